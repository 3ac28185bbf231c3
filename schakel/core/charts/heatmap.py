"""Draw the risk heatmap and a small trend line as standalone SVG strings.

The same string is inlined in the page, embedded in the PDF by WeasyPrint and put in
e-mail, so it must stand on its own: an ``xmlns``, a ``viewBox`` and a width and height;
no scripts, no event handlers, no ``style`` attributes (the CSP forbids inline styles where
the SVG is inlined) and no external fonts. Presentation attributes (``fill``,
``font-size``, ``text-anchor``) carry every visual choice.

Every word in a picture comes from the caller, already translated: core has no gettext.
Labels and URLs may come from users or configuration, so every piece of text is
XML-escaped, characters that XML 1.0 cannot hold are dropped, and URLs whose scheme could
run code are not linked.

Coordinates: probability level ``p`` runs from 1 (lowest) to the number of probability
labels and is drawn on the vertical axis with the highest level at the top; impact level
``i`` runs from 1 to the number of impact labels, left to right. ``probability_labels[0]``
names level 1.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

MIN_LEVELS = 2
MAX_LEVELS = 10
MIN_SIZE = 160

# Text on the white background: grey-900, contrast about 15:1.
_INK = "#1f2937"
_BACKGROUND = "#ffffff"
# Core has no font metrics, so text widths are estimated from rough advances of a
# sans-serif face (shares of the font size, on the generous side) and labels that would
# not fit are shortened with an ellipsis.
_NARROW = frozenset("iljtfrI.,:;'!|()[] ")
_WIDE = frozenset("mwMW@%")
_ELLIPSIS = "…"

# XML 1.0 cannot carry most control characters, not even as character references, so a
# label holding one (pasted from a spreadsheet, say) would make the whole document invalid.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Browsers drop ASCII tab and newlines anywhere in a URL ("java\tscript:" runs script), and
# trim leading and trailing controls and spaces, before they read the scheme.
_URL_IGNORED = re.compile("[\t\n\r]")
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SVG_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class Band:
    """Name one colour band of the heatmap and the colours it draws with.

    ``key`` is language-neutral ("low", "medium", "high", "critical"): the caller
    translates it for a legend. ``text`` is the colour of the count on ``fill`` and keeps a
    contrast of at least 4.5:1 (WCAG AA). ``empty_fill`` is the lighter colour of a cell
    that holds no items; such a cell shows no number.
    """

    key: str
    fill: str
    empty_fill: str
    text: str


# Material-design 400/600 shades for cells with items, their 100 shades for empty cells.
# Contrast of the count text on the fill: 7.5, 12.7, 7.5 and 5.6 to 1.
BANDS: tuple[Band, Band, Band, Band] = (
    Band(key="low", fill="#66bb6a", empty_fill="#c8e6c9", text="#111827"),
    Band(key="medium", fill="#fdd835", empty_fill="#fff9c4", text="#111827"),
    Band(key="high", fill="#fb8c00", empty_fill="#ffe0b2", text="#111827"),
    Band(key="critical", fill="#c62828", empty_fill="#ffcdd2", text="#ffffff"),
)

# The classic 5×5 matrix: low up to 4, medium up to 9, high up to 16, critical above.
_DEFAULT_THRESHOLDS_5X5 = (4, 9, 16)
_DEFAULT_MAX_SCORE = 25


def _scaled_thresholds(max_score: int) -> tuple[int, int, int]:
    """Scale the 5×5 thresholds to a matrix whose highest score is ``max_score``."""
    # Round half up (not Python's half-to-even) so that 10×10 gives exactly 16, 36, 64,
    # then keep the bounds strictly rising so that no band vanishes on a small matrix.
    bounds: list[int] = []
    for threshold in _DEFAULT_THRESHOLDS_5X5:
        value = math.floor(threshold * max_score / _DEFAULT_MAX_SCORE + 0.5)
        value = max(value, bounds[-1] + 1 if bounds else 1)
        bounds.append(value)
    return bounds[0], bounds[1], bounds[2]


@dataclass(frozen=True)
class HeatmapScale:
    """Describe a probability × impact matrix: its labels and its colour thresholds.

    Each side has 2 to 10 levels; the labels come from the caller, translated. The score of
    a cell is probability × impact. ``thresholds`` are the inclusive upper scores of the
    low, medium and high bands (anything above is critical); left out, they are 4, 9 and
    16 for a 5×5 matrix and scaled by the highest score for any other size.
    """

    probability_labels: Sequence[str]
    impact_labels: Sequence[str]
    thresholds: tuple[int, int, int] | None = None
    bounds: tuple[int, int, int] = field(init=False)

    def __post_init__(self) -> None:
        # Freeze the labels: a list the caller changes later must not change the scale.
        object.__setattr__(self, "probability_labels", tuple(self.probability_labels))
        object.__setattr__(self, "impact_labels", tuple(self.impact_labels))
        for name, labels in (
            ("probability_labels", self.probability_labels),
            ("impact_labels", self.impact_labels),
        ):
            if not MIN_LEVELS <= len(labels) <= MAX_LEVELS:
                raise ValueError(
                    f"{name} needs {MIN_LEVELS} to {MAX_LEVELS} labels, got {len(labels)}"
                )
        if self.thresholds is None:
            bounds = _scaled_thresholds(self.max_score)
        else:
            given = tuple(self.thresholds)
            if len(given) != 3 or not all(isinstance(b, int) for b in given):
                raise ValueError("thresholds are three whole numbers: low, medium, high")
            if not 1 <= given[0] < given[1] < given[2]:
                raise ValueError(f"thresholds must rise from 1 upwards, got {given}")
            bounds = (given[0], given[1], given[2])
        object.__setattr__(self, "bounds", bounds)

    @property
    def probability_levels(self) -> int:
        """Return how many probability levels the scale has."""
        return len(self.probability_labels)

    @property
    def impact_levels(self) -> int:
        """Return how many impact levels the scale has."""
        return len(self.impact_labels)

    @property
    def max_score(self) -> int:
        """Return the highest score on the scale."""
        return self.probability_levels * self.impact_levels

    def contains(self, probability: int, impact: int) -> bool:
        """Tell whether a cell lies on this scale."""
        return 1 <= probability <= self.probability_levels and 1 <= impact <= self.impact_levels

    def score(self, probability: int, impact: int) -> int:
        """Return the score of a cell: probability × impact."""
        return probability * impact

    def band_for_score(self, score: int) -> Band:
        """Return the colour band a score falls in."""
        for band, upper in zip(BANDS, self.bounds, strict=False):
            if score <= upper:
                return band
        return BANDS[-1]

    def band(self, probability: int, impact: int) -> Band:
        """Return the colour band of a cell."""
        return self.band_for_score(self.score(probability, impact))


# --- small helpers ---------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold."""
    return _NOT_XML_CHAR.sub("", str(text))


def _esc(text: str) -> str:
    """Escape text for an element's content or a double-quoted attribute."""
    return html.escape(_clean(text), quote=True)


def _num(value: float) -> str:
    """Format a coordinate compactly (two decimals at most)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text_width(text: str, font_size: float) -> float:
    """Estimate how wide a line of text is drawn."""
    total = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif char in _NARROW:
            total += 0.32
        elif char in _WIDE:
            total += 0.88
        elif char.isupper():
            total += 0.7
        else:
            total += 0.55
    return total * font_size


def _fit(text: str, max_width: float, font_size: float) -> str:
    """Shorten text with an ellipsis so that it fits ``max_width``."""
    text = " ".join(_clean(text).split())
    if _text_width(text, font_size) <= max_width:
        return text
    # Drop characters from the end until the text and its ellipsis fit.
    # No glyph is narrower than 0.32 em, which bounds the search for a very long label.
    keep = min(len(text), int(max_width / (0.32 * font_size)) + 1)
    while keep > 1 and _text_width(text[:keep].rstrip() + _ELLIPSIS, font_size) > max_width:
        keep -= 1
    return text[:keep].rstrip() + _ELLIPSIS


def _wrap(text: str, max_width: float, font_size: float, max_lines: int) -> list[str]:
    """Break text into at most ``max_lines`` lines that fit ``max_width``."""
    words = _clean(text).split()
    if not words:
        return []
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, font_size) <= max_width or not current:
            current = candidate
            continue
        lines.append(current)
        if len(lines) == max_lines:
            # No room for the rest: the last line shows that something was left out.
            rest = " ".join([lines.pop(), *words[index:]])
            lines.append(_fit(rest, max_width, font_size))
            return lines
        current = word
    lines.append(current)
    return [_fit(line, max_width, font_size) for line in lines]


def _safe_href(url: str) -> str | None:
    """Return the URL if following it cannot run code, otherwise None."""
    # _clean has already removed the other control characters browsers would trim.
    cleaned = _URL_IGNORED.sub("", _clean(url)).strip()
    if not cleaned:
        return None
    match = _URL_SCHEME.match(cleaned)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return cleaned


def _check_svg_id(svg_id: str) -> str:
    """Refuse an id that is not a plain XML name, since it is repeated in attributes."""
    if not _SVG_ID.match(svg_id):
        raise ValueError(f"svg_id must be letters, digits, '-' or '_', got {svg_id!r}")
    return svg_id


def _default_id(prefix: str, *parts: object) -> str:
    """Derive a stable id from what is drawn, so two different charts on a page differ."""
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False)
    return f"{prefix}-{digest.hexdigest()[:10]}"


def _validated_counts(
    counts: Mapping[tuple[int, int], int], scale: HeatmapScale
) -> dict[tuple[int, int], int]:
    """Return the counts per cell, refusing cells off the scale and negative counts."""
    result: dict[tuple[int, int], int] = {}
    for key, count in counts.items():
        probability, impact = key
        if not scale.contains(probability, impact):
            raise ValueError(
                f"cell (probability={probability}, impact={impact}) is off the "
                f"{scale.probability_levels}×{scale.impact_levels} scale"
            )
        if count < 0:
            raise ValueError(f"count for cell {key} is negative: {count}")
        result[(probability, impact)] = result.get((probability, impact), 0) + int(count)
    return result


# --- the heatmap -----------------------------------------------------------------------


def render_heatmap(
    counts: Mapping[tuple[int, int], int],
    scale: HeatmapScale,
    *,
    title: str,
    axis_probability: str,
    axis_impact: str,
    cell_url: Callable[[int, int], str] | None = None,
    cell_label: Callable[[int, int, int], str] | None = None,
    description: str | None = None,
    link_empty_cells: bool = False,
    size: int = 360,
    svg_id: str | None = None,
) -> str:
    """Draw a probability × impact heatmap with the number of items in each cell.

    ``counts`` maps ``(probability, impact)`` to a number of items; missing cells count 0.
    ``cell_label(p, i, count)`` gives each cell's accessible text (e.g. "Probability 4,
    impact 5: 3 risks"); without it the cell reads "<probability label> × <impact label>:
    <count>". ``description`` is the chart's ``<desc>``; without it the labels of the cells
    that hold items are joined. With ``cell_url(p, i)`` each cell holding items becomes a
    link (every cell with ``link_empty_cells``), so clicking it filters the list; a URL
    whose scheme could run code (``javascript:``) is left unlinked.

    The chart is ``size`` pixels wide; its height follows from the number of levels. It
    carries ``role="img"`` when it has no links; with links it is a ``role="group"`` so
    that assistive technology can reach them (an image's children are hidden from it).
    """
    if size < MIN_SIZE:
        raise ValueError(f"size must be at least {MIN_SIZE}, got {size}")
    cells = _validated_counts(counts, scale)
    rows, cols = scale.probability_levels, scale.impact_levels
    chart_id = (
        _check_svg_id(svg_id)
        if svg_id
        else _default_id(
            "heatmap", title, axis_probability, axis_impact, scale, sorted(cells.items())
        )
    )

    def label_for(probability: int, impact: int, count: int) -> str:
        if cell_label is not None:
            return cell_label(probability, impact, count)
        return (
            f"{scale.probability_labels[probability - 1]} × "
            f"{scale.impact_labels[impact - 1]}: {count}"
        )

    # Type grows with the chart, but never below what stays legible.
    k = size / 360
    title_fs = max(10.0, 14 * k)
    axis_fs = max(9.0, 12 * k)
    tick_fs = max(8.0, 11 * k)
    pad = 6 * k
    width = float(size)

    top = pad + title_fs * 1.7
    axis_band = axis_fs * 1.6
    widest_tick = max(_text_width(label, tick_fs) for label in scale.probability_labels)
    tick_w = min(widest_tick, 0.28 * width)
    left = pad + axis_band + tick_w + pad
    grid_w = width - left - pad
    cell_w = grid_w / cols
    # Square cells, unless many probability levels would make the chart taller than wide.
    cell_h = min(cell_w, grid_w / rows)
    grid_h = cell_h * rows
    tick_lines = 2
    ticks_h = pad + tick_lines * tick_fs * 1.2
    height = top + grid_h + ticks_h + pad + axis_band

    parts: list[str] = []
    add = parts.append

    links_drawn = 0
    cell_parts: list[str] = []
    summary: list[str] = []
    for probability in range(rows, 0, -1):
        row = rows - probability
        for impact in range(1, cols + 1):
            count = cells.get((probability, impact), 0)
            band = scale.band(probability, impact)
            x = left + (impact - 1) * cell_w
            y = top + row * cell_h
            label = label_for(probability, impact, count)
            if count:
                summary.append(label)
            cell = [
                f'<g class="heatmap-cell-group" data-probability="{probability}"'
                f' data-impact="{impact}" data-count="{count}" data-band="{band.key}">',
                f"<title>{_esc(label)}</title>",
                f'<rect class="heatmap-cell" x="{_num(x)}" y="{_num(y)}"'
                f' width="{_num(cell_w)}" height="{_num(cell_h)}"'
                f' fill="{band.fill if count else band.empty_fill}"'
                f' stroke="{_BACKGROUND}" stroke-width="2"/>',
            ]
            if count:
                digits = len(str(count))
                count_fs = min(cell_h * 0.45, cell_w * 0.45, 18 * k)
                # Large numbers shrink to stay inside their cell.
                count_fs = min(count_fs, cell_w * 0.8 / (digits * 0.62))
                cell.append(
                    f'<text class="heatmap-count" x="{_num(x + cell_w / 2)}"'
                    f' y="{_num(y + cell_h / 2 + count_fs * 0.35)}" text-anchor="middle"'
                    f' font-size="{_num(count_fs)}" font-weight="bold"'
                    f' fill="{band.text}">{count}</text>'
                )
            cell.append("</g>")
            href = _safe_href(cell_url(probability, impact)) if cell_url else None
            if href is not None and (count or link_empty_cells):
                links_drawn += 1
                cell_parts.append(f'<a class="heatmap-link" href="{_esc(href)}">')
                cell_parts.extend(cell)
                cell_parts.append("</a>")
            else:
                cell_parts.extend(cell)

    desc = description if description is not None else "; ".join(summary)
    labelled_by = f"{chart_id}-title"
    role = "group" if links_drawn else "img"
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="heatmap"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}"'
        f' height="{_num(height)}" role="{role}" aria-labelledby="{labelled_by}"'
        + (f' aria-describedby="{chart_id}-desc"' if desc else "")
        + f' font-family="sans-serif" fill="{_INK}">'
    )
    add(f'<title id="{labelled_by}">{_esc(title)}</title>')
    if desc:
        add(f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>')
    # A white ground keeps the text contrast on dark pages and in print alike.
    add(
        f'<rect class="heatmap-background" x="0" y="0" width="{_num(width)}"'
        f' height="{_num(height)}" fill="{_BACKGROUND}"/>'
    )
    add(
        f'<text class="heatmap-title" x="{_num(width / 2)}" y="{_num(pad + title_fs)}"'
        f' text-anchor="middle" font-size="{_num(title_fs)}" font-weight="bold">'
        f"{_esc(_fit(title, width - 2 * pad, title_fs))}</text>"
    )

    # Probability: axis title turned a quarter, tick labels right-aligned beside the rows.
    axis_x = pad + axis_fs
    axis_y = top + grid_h / 2
    add(
        f'<text class="heatmap-axis heatmap-axis-probability" x="{_num(axis_x)}"'
        f' y="{_num(axis_y)}" transform="rotate(-90 {_num(axis_x)} {_num(axis_y)})"'
        f' text-anchor="middle" font-size="{_num(axis_fs)}">'
        f"{_esc(_fit(axis_probability, grid_h, axis_fs))}</text>"
    )
    add('<g class="heatmap-ticks heatmap-ticks-probability">')
    for probability in range(rows, 0, -1):
        y = top + (rows - probability) * cell_h + cell_h / 2 + tick_fs * 0.35
        tick = _fit(scale.probability_labels[probability - 1], tick_w, tick_fs)
        add(
            f'<text data-probability="{probability}" x="{_num(left - pad)}" y="{_num(y)}"'
            f' text-anchor="end" font-size="{_num(tick_fs)}">{_esc(tick)}</text>'
        )
    add("</g>")

    # Impact: tick labels under the columns, wrapped to two lines, then the axis title.
    add('<g class="heatmap-ticks heatmap-ticks-impact">')
    for impact in range(1, cols + 1):
        x = left + (impact - 1) * cell_w + cell_w / 2
        y = top + grid_h + pad + tick_fs
        lines = _wrap(scale.impact_labels[impact - 1], cell_w - 2, tick_fs, tick_lines)
        spans = "".join(
            f'<tspan x="{_num(x)}" dy="{_num(0 if n == 0 else tick_fs * 1.2)}">{_esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        add(
            f'<text data-impact="{impact}" x="{_num(x)}" y="{_num(y)}" text-anchor="middle"'
            f' font-size="{_num(tick_fs)}">{spans}</text>'
        )
    add("</g>")
    add(
        f'<text class="heatmap-axis heatmap-axis-impact" x="{_num(left + grid_w / 2)}"'
        f' y="{_num(top + grid_h + ticks_h + pad + axis_fs)}" text-anchor="middle"'
        f' font-size="{_num(axis_fs)}">{_esc(_fit(axis_impact, grid_w, axis_fs))}</text>'
    )

    add('<g class="heatmap-grid">')
    parts.extend(cell_parts)
    add("</g>")
    add("</svg>")
    return "".join(parts)


def render_heatmap_pair(
    inherent: Mapping[tuple[int, int], int],
    residual: Mapping[tuple[int, int], int],
    scale: HeatmapScale,
    *,
    inherent_title: str,
    residual_title: str,
    axis_probability: str,
    axis_impact: str,
    inherent_cell_url: Callable[[int, int], str] | None = None,
    residual_cell_url: Callable[[int, int], str] | None = None,
    cell_label: Callable[[int, int, int], str] | None = None,
    inherent_description: str | None = None,
    residual_description: str | None = None,
    link_empty_cells: bool = False,
    size: int = 360,
) -> tuple[str, str]:
    """Draw the inherent and the residual heatmap on one scale, as two SVG strings.

    Two pictures rather than one wide one: the page sets them side by side and lets them
    wrap on a narrow screen, and each keeps its own title, description and links (the
    residual cells filter on residual probability and impact). Both share the scale, the
    size and therefore the height, so they line up. Their ids differ even when their
    counts are equal.
    """
    base = _default_id(
        "heatmap",
        inherent_title,
        residual_title,
        scale,
        sorted(inherent.items()),
        sorted(residual.items()),
    )

    def draw(
        counts: Mapping[tuple[int, int], int],
        title: str,
        cell_url: Callable[[int, int], str] | None,
        description: str | None,
        suffix: str,
    ) -> str:
        return render_heatmap(
            counts,
            scale,
            title=title,
            axis_probability=axis_probability,
            axis_impact=axis_impact,
            cell_url=cell_url,
            cell_label=cell_label,
            description=description,
            link_empty_cells=link_empty_cells,
            size=size,
            svg_id=f"{base}-{suffix}",
        )

    return (
        draw(inherent, inherent_title, inherent_cell_url, inherent_description, "inherent"),
        draw(residual, residual_title, residual_cell_url, residual_description, "residual"),
    )


# --- the sparkline ---------------------------------------------------------------------


def render_trend_sparkline(
    values: Sequence[float | None],
    *,
    label: str,
    width: int = 120,
    height: int = 24,
    minimum: float | None = None,
    maximum: float | None = None,
) -> str:
    """Draw a tiny line of a value over time, with gaps where a value is None.

    Higher values are drawn higher. The vertical range runs from the lowest to the highest
    value unless ``minimum`` and ``maximum`` fix it (pass 1 and the scale's highest score
    so that sparklines in one table compare). A lone value between gaps is a dot; the
    latest value is marked with a dot. ``label`` is the accessible name (e.g. "Score over
    the last 12 weeks: rising from 6 to 15"). Non-finite values count as gaps.
    """
    if width < 8 or height < 8:
        raise ValueError(f"a sparkline needs at least 8×8 pixels, got {width}×{height}")
    points: list[float | None] = [
        float(v) if v is not None and math.isfinite(v) else None for v in values
    ]
    known = [v for v in points if v is not None]
    low = minimum if minimum is not None else (min(known) if known else 0.0)
    high = maximum if maximum is not None else (max(known) if known else 0.0)
    if low > high:
        raise ValueError(f"minimum {low} is above maximum {high}")
    pad = 2.5
    inner_w = width - 2 * pad
    inner_h = height - 2 * pad

    def x_of(index: int) -> float:
        if len(points) == 1:
            return width / 2
        return pad + inner_w * index / (len(points) - 1)

    def y_of(value: float) -> float:
        if high == low:
            return height / 2
        # Values outside a fixed range are held at its edge rather than drawn off the chart.
        clamped = min(max(value, low), high)
        return pad + inner_h * (high - clamped) / (high - low)

    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, value in enumerate(points):
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((x_of(index), y_of(value)))
    if current:
        runs.append(current)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{_esc(label)}">',
        f"<title>{_esc(label)}</title>",
    ]
    for run in runs:
        if len(run) == 1:
            x, y = run[0]
            parts.append(
                f'<circle class="sparkline-point" cx="{_num(x)}" cy="{_num(y)}" r="1.5"'
                f' fill="{_INK}"/>'
            )
            continue
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
        parts.append(
            f'<polyline class="sparkline-line" points="{coords}" fill="none"'
            f' stroke="{_INK}" stroke-width="1.5" stroke-linejoin="round"'
            f' stroke-linecap="round"/>'
        )
    if runs and len(runs[-1]) > 1:
        x, y = runs[-1][-1]
        parts.append(
            f'<circle class="sparkline-last" cx="{_num(x)}" cy="{_num(y)}" r="2" fill="{_INK}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
