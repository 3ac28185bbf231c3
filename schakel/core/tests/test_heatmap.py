"""The risk heatmap and the trend sparkline, read back as SVG documents."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # only for the Element type; parsing is by defusedxml
from collections.abc import Mapping

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.core.charts.heatmap import (
    BANDS,
    HeatmapScale,
    render_heatmap,
    render_heatmap_pair,
    render_trend_sparkline,
)

SVG = "{http://www.w3.org/2000/svg}"
PROBABILITY = ["Very low", "Low", "Medium", "High", "Very high"]
IMPACT = ["Negligible", "Minor", "Moderate", "Major", "Severe"]


def default_scale() -> HeatmapScale:
    return HeatmapScale(probability_labels=PROBABILITY, impact_labels=IMPACT)


def draw(counts: Mapping[tuple[int, int], int], scale: HeatmapScale | None = None, **kw) -> str:
    options = {"title": "Risks", "axis_probability": "Probability", "axis_impact": "Impact"}
    options.update(kw)
    return render_heatmap(counts, scale or default_scale(), **options)


def grid(root: ET.Element) -> ET.Element:
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "heatmap-grid"]
    return group


def cell_rects(root: ET.Element) -> list[ET.Element]:
    return [r for r in grid(root).iter(f"{SVG}rect") if r.get("class") == "heatmap-cell"]


def cell_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in grid(root).iter(f"{SVG}g") if g.get("class") == "heatmap-cell-group"]


def count_texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in grid(root).iter(f"{SVG}text") if t.get("class") == "heatmap-count"]


def cell_of_point(root: ET.Element, x: float, y: float, levels: int) -> tuple[int, int]:
    """Tell which (probability, impact) cell a point lies in, from the geometry alone."""
    rects = cell_rects(root)
    tops = sorted({float(r.get("y", "0")) for r in rects})
    lefts = sorted({float(r.get("x", "0")) for r in rects})
    for rect in rects:
        rx, ry = float(rect.get("x", "0")), float(rect.get("y", "0"))
        rw, rh = float(rect.get("width", "0")), float(rect.get("height", "0"))
        if rx <= x <= rx + rw and ry <= y <= ry + rh:
            # Rows are counted from the top: the top row is the highest probability.
            return levels - tops.index(ry), lefts.index(rx) + 1
    raise AssertionError(f"no cell holds the point ({x}, {y})")


def counts_by_position(root: ET.Element, levels: int) -> dict[tuple[int, int], int]:
    found: dict[tuple[int, int], int] = {}
    for text in count_texts(root):
        cell = cell_of_point(root, float(text.get("x", "0")), float(text.get("y", "0")), levels)
        assert cell not in found
        found[cell] = int(text.text or "")
    return found


def fill_of_cell(root: ET.Element, probability: int, impact: int) -> str:
    for group in cell_groups(root):
        if (group.get("data-probability"), group.get("data-impact")) == (
            str(probability),
            str(impact),
        ):
            [rect] = group.iter(f"{SVG}rect")
            return rect.get("fill", "")
    raise AssertionError(f"no cell ({probability}, {impact})")


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def luminance(colour: str) -> float:
    """Relative luminance after WCAG 2.1."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- the document ----------------------------------------------------------------------


def test_it_draws_a_standalone_svg_with_title_and_description() -> None:
    root = fromstring(draw({(4, 5): 3}, title="Project risks", description="Three risks, all high"))

    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 360 ")
    assert float(root.get("width", "0")) == 360
    assert float(root.get("height", "0")) > 0
    assert root.get("role") == "img"
    [title] = root.findall(f"{SVG}title")
    [desc] = root.findall(f"{SVG}desc")
    assert title.text == "Project risks"
    assert desc.text == "Three risks, all high"
    # The accessible name and description point at them.
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def test_it_summarises_the_cells_in_the_description_when_the_caller_gives_none() -> None:
    root = fromstring(
        draw({(4, 5): 3, (1, 2): 1}, cell_label=lambda p, i, c: f"P{p} I{i}: {c} risks")
    )

    [desc] = root.findall(f"{SVG}desc")
    assert desc.text == "P4 I5: 3 risks; P1 I2: 1 risks"


def test_it_carries_no_script_no_style_and_no_event_handler() -> None:
    root = fromstring(draw({(1, 1): 1}, cell_url=lambda p, i: f"/risks/?p={p}&i={i}"))

    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.lower().startswith("on")]


# --- the grid --------------------------------------------------------------------------


def test_it_draws_one_cell_for_every_probability_and_impact() -> None:
    root = fromstring(draw({}))

    rects = cell_rects(root)
    assert len(rects) == 25
    assert len({r.get("y") for r in rects}) == 5
    assert len({r.get("x") for r in rects}) == 5


def test_it_puts_each_count_in_its_cell_with_the_highest_probability_at_the_top() -> None:
    counts = {(5, 1): 4, (1, 5): 2, (4, 5): 3, (3, 3): 11, (1, 1): 7}

    root = fromstring(draw(counts))

    assert counts_by_position(root, levels=5) == counts


def test_it_labels_the_top_row_with_the_highest_probability() -> None:
    root = fromstring(draw({}))

    [ticks] = [g for g in root.iter(f"{SVG}g") if "heatmap-ticks-probability" in g.get("class", "")]
    by_height = sorted(ticks.iter(f"{SVG}text"), key=lambda t: float(t.get("y", "0")))
    assert [t.text for t in by_height] == list(reversed(PROBABILITY))


def test_it_labels_the_impact_columns_from_left_to_right() -> None:
    root = fromstring(draw({}, size=600))

    [ticks] = [g for g in root.iter(f"{SVG}g") if "heatmap-ticks-impact" in g.get("class", "")]
    by_place = sorted(ticks.iter(f"{SVG}text"), key=lambda t: float(t.get("x", "0")))
    assert [" ".join("".join(t.itertext()).split()) for t in by_place] == IMPACT


def test_empty_cells_show_no_number_and_a_lighter_colour() -> None:
    scale = default_scale()

    root = fromstring(draw({(5, 5): 2}, scale))

    assert len(count_texts(root)) == 1
    assert fill_of_cell(root, 5, 5) == scale.band(5, 5).fill
    assert fill_of_cell(root, 4, 5) == scale.band(4, 5).empty_fill
    assert luminance(scale.band(4, 5).empty_fill) > luminance(scale.band(4, 5).fill)


def test_each_cell_carries_the_callers_label_as_its_title() -> None:
    root = fromstring(
        draw({(4, 5): 3}, cell_label=lambda p, i, c: f"Probability {p}, impact {i}: {c} risks")
    )

    titles = {
        (g.get("data-probability"), g.get("data-impact")): g.findtext(f"{SVG}title")
        for g in cell_groups(root)
    }
    assert titles[("4", "5")] == "Probability 4, impact 5: 3 risks"
    assert titles[("1", "1")] == "Probability 1, impact 1: 0 risks"


def test_without_a_label_function_a_cell_is_named_by_the_scale_labels() -> None:
    root = fromstring(draw({(4, 5): 3}))

    [cell] = [g for g in cell_groups(root) if g.get("data-count") == "3"]
    assert cell.findtext(f"{SVG}title") == "High × Severe: 3"


def test_it_refuses_a_cell_off_the_scale_and_a_negative_count() -> None:
    with pytest.raises(ValueError, match="off the"):
        draw({(6, 1): 1})
    with pytest.raises(ValueError, match="negative"):
        draw({(1, 1): -1})


# --- links -----------------------------------------------------------------------------


def test_it_draws_no_links_without_a_cell_url() -> None:
    root = fromstring(draw({(4, 5): 3, (1, 1): 1}))

    assert links(root) == []
    assert root.get("role") == "img"


def test_with_a_cell_url_every_cell_holding_risks_links_to_its_filtered_list() -> None:
    root = fromstring(
        draw({(4, 5): 3, (1, 2): 1}, cell_url=lambda p, i: f"/risks/?probability={p}&impact={i}")
    )

    hrefs = {}
    for link in links(root):
        [cell] = link.findall(f"{SVG}g")
        hrefs[(cell.get("data-probability"), cell.get("data-impact"))] = link.get("href")
    assert hrefs == {
        ("4", "5"): "/risks/?probability=4&impact=5",
        ("1", "2"): "/risks/?probability=1&impact=2",
    }
    # With links inside, the chart is a group so that assistive technology reaches them.
    assert root.get("role") == "group"


def test_a_link_is_named_by_the_cell_label() -> None:
    root = fromstring(
        draw(
            {(4, 5): 3},
            cell_url=lambda p, i: f"/risks/?p={p}&i={i}",
            cell_label=lambda p, i, c: f"Probability {p}, impact {i}: {c} risks",
        )
    )

    [link] = links(root)
    assert link.findtext(f".//{SVG}title") == "Probability 4, impact 5: 3 risks"


def test_empty_cells_link_too_when_asked() -> None:
    root = fromstring(draw({(4, 5): 3}, cell_url=lambda p, i: "/risks/", link_empty_cells=True))

    assert len(links(root)) == 25


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x"],
)
def test_a_url_that_could_run_code_is_not_linked(url: str) -> None:
    root = fromstring(draw({(4, 5): 3}, cell_url=lambda p, i: url))

    assert links(root) == []
    assert counts_by_position(root, levels=5) == {(4, 5): 3}


# --- escaping --------------------------------------------------------------------------


HOSTILE = '<script>alert("x")</script> & \'co\' "quoted" <b>'


def test_hostile_labels_and_urls_leave_a_well_formed_document_with_the_text_intact() -> None:
    scale = HeatmapScale(
        probability_labels=[HOSTILE, "B", "C"], impact_labels=["x", "y & z", HOSTILE]
    )
    url = '/risks/?q="><script>alert(1)</script>&owner=a&b'

    root = fromstring(
        draw(
            {(1, 3): 2},
            scale,
            title=HOSTILE,
            axis_probability=HOSTILE,
            axis_impact='Impact "&" <more>',
            description=HOSTILE,
            cell_url=lambda p, i: url,
            cell_label=lambda p, i, c: f"{HOSTILE} {p}/{i}: {c}",
            size=900,
        )
    )

    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter(f"{SVG}b"))
    assert root.findtext(f"{SVG}title") == HOSTILE
    assert root.findtext(f"{SVG}desc") == HOSTILE
    [link] = links(root)
    assert link.get("href") == url
    assert link.findtext(f".//{SVG}title") == f"{HOSTILE} 1/3: 2"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert HOSTILE in texts
    assert 'Impact "&" <more>' in texts


def test_characters_xml_cannot_hold_are_dropped_from_labels() -> None:
    root = fromstring(draw({}, title="Risks\x00 of\x1b Apollo\x0c"))

    assert root.findtext(f"{SVG}title") == "Risks of Apollo"


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=80),
    labels=st.lists(st.text(max_size=40), min_size=2, max_size=10),
)
def test_any_text_in_labels_renders_a_well_formed_document(title: str, labels: list[str]) -> None:
    scale = HeatmapScale(probability_labels=labels, impact_labels=list(reversed(labels)))

    root = fromstring(
        draw({(1, 1): 1}, scale, title=title, axis_impact=title, cell_url=lambda p, i: title)
    )

    assert root.tag == f"{SVG}svg"
    assert len(cell_rects(root)) == len(labels) ** 2


# --- colour bands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "impact", "band"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 4, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (4, 4, "high"),
        (3, 5, "high"),
        (5, 4, "critical"),
        (5, 5, "critical"),
    ],
)
def test_the_default_5x5_scale_colours_each_cell_by_its_score(
    probability: int, impact: int, band: str
) -> None:
    scale = default_scale()
    fills = {b.key: b.fill for b in BANDS}

    root = fromstring(draw({(probability, impact): 1}, scale))

    assert scale.band(probability, impact).key == band
    assert fill_of_cell(root, probability, impact) == fills[band]


def test_every_count_keeps_a_contrast_of_at_least_4_5_to_1_on_its_cell() -> None:
    counts = {(p, i): p * 10 + i for p in range(1, 6) for i in range(1, 6)}

    root = fromstring(draw(counts))

    seen_bands = set()
    for group in cell_groups(root):
        [rect] = group.findall(f"{SVG}rect")
        [text] = group.findall(f"{SVG}text")
        assert contrast(text.get("fill", ""), rect.get("fill", "")) >= 4.5
        seen_bands.add(group.get("data-band"))
    assert seen_bands == {"low", "medium", "high", "critical"}


def test_the_thresholds_scale_with_the_highest_score() -> None:
    assert default_scale().bounds == (4, 9, 16)
    assert HeatmapScale([str(n) for n in range(10)], [str(n) for n in range(10)]).bounds == (
        16,
        36,
        64,
    )
    # On the smallest matrix every band keeps a score of its own.
    tiny = HeatmapScale(["a", "b"], ["c", "d"])
    assert [tiny.band_for_score(s).key for s in (1, 2, 4)] == ["low", "medium", "critical"]


def test_the_caller_can_set_the_thresholds() -> None:
    scale = HeatmapScale(PROBABILITY, IMPACT, thresholds=(2, 6, 12))

    assert [scale.band_for_score(s).key for s in (2, 3, 6, 12, 15)] == [
        "low",
        "medium",
        "medium",
        "high",
        "critical",
    ]


@pytest.mark.parametrize(
    ("probability_levels", "impact_levels", "thresholds"),
    [(1, 5, None), (5, 11, None), (5, 5, (4, 4, 16)), (5, 5, (0, 9, 16))],
)
def test_it_refuses_a_scale_out_of_bounds(
    probability_levels: int, impact_levels: int, thresholds: tuple[int, int, int] | None
) -> None:
    with pytest.raises(ValueError):
        HeatmapScale(["p"] * probability_levels, ["i"] * impact_levels, thresholds=thresholds)


def test_a_3_by_4_scale_draws_three_rows_of_four_cells() -> None:
    scale = HeatmapScale(["Rare", "Possible", "Likely"], ["Low", "Medium", "High", "Extreme"])
    counts = {(3, 4): 5, (1, 1): 1, (2, 3): 2}

    root = fromstring(draw(counts, scale))

    rects = cell_rects(root)
    assert len(rects) == 12
    assert len({r.get("y") for r in rects}) == 3
    assert len({r.get("x") for r in rects}) == 4
    assert counts_by_position(root, levels=3) == counts
    assert scale.band(3, 4).key == "critical"
    assert fill_of_cell(root, 3, 4) == scale.band(3, 4).fill


@settings(max_examples=80, deadline=None)
@given(
    levels=st.tuples(st.integers(2, 10), st.integers(2, 10)).flatmap(
        lambda size: st.tuples(
            st.just(size),
            st.dictionaries(
                st.tuples(st.integers(1, size[0]), st.integers(1, size[1])),
                st.integers(0, 100_000),
                max_size=size[0] * size[1],
            ),
        )
    )
)
def test_any_counts_render_a_well_formed_svg_showing_the_same_total(
    levels: tuple[tuple[int, int], dict[tuple[int, int], int]],
) -> None:
    (rows, cols), counts = levels
    scale = HeatmapScale([f"p{n}" for n in range(rows)], [f"i{n}" for n in range(cols)])

    root = fromstring(draw(counts, scale))

    assert len(cell_rects(root)) == rows * cols
    assert sum(int(t.text or "") for t in count_texts(root)) == sum(counts.values())
    assert counts_by_position(root, levels=rows) == {k: v for k, v in counts.items() if v}


# --- inherent and residual -------------------------------------------------------------


def test_the_pair_draws_inherent_and_residual_as_two_matching_pictures() -> None:
    inherent, residual = render_heatmap_pair(
        {(5, 5): 2, (4, 4): 1},
        {(2, 2): 3},
        default_scale(),
        inherent_title="Inherent",
        residual_title="Residual",
        axis_probability="Probability",
        axis_impact="Impact",
        inherent_cell_url=lambda p, i: f"/risks/?probability={p}&impact={i}",
        residual_cell_url=lambda p, i: f"/risks/?residual_probability={p}&residual_impact={i}",
    )

    left, right = fromstring(inherent), fromstring(residual)
    assert left.findtext(f"{SVG}title") == "Inherent"
    assert right.findtext(f"{SVG}title") == "Residual"
    assert counts_by_position(left, levels=5) == {(5, 5): 2, (4, 4): 1}
    assert counts_by_position(right, levels=5) == {(2, 2): 3}
    assert [a.get("href") for a in links(right)] == [
        "/risks/?residual_probability=2&residual_impact=2"
    ]
    # Side by side they line up, and their ids do not collide on one page.
    assert left.get("height") == right.get("height")
    ids = [e.get("id") for root in (left, right) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 6


# --- sparkline -------------------------------------------------------------------------


def test_the_sparkline_draws_higher_values_higher() -> None:
    root = fromstring(render_trend_sparkline([1, 5, 10], label="Score: rising", width=100))

    [line] = root.iter(f"{SVG}polyline")
    points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert points[0][1] > points[1][1] > points[2][1]
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Score: rising"
    assert root.get("viewBox") == "0 0 100 24"


def test_the_sparkline_breaks_its_line_at_missing_values() -> None:
    root = fromstring(render_trend_sparkline([3, 4, None, 6, 9, None, 12], label="Score"))

    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    # The lone 12 at the end is a dot of its own.
    assert [c.get("class") for c in root.iter(f"{SVG}circle")] == ["sparkline-point"]


def test_the_sparkline_marks_the_latest_value() -> None:
    root = fromstring(render_trend_sparkline([3, 4, 8], label="Score", width=60, height=20))

    [line] = root.iter(f"{SVG}polyline")
    [last] = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "sparkline-last"]
    x, y = line.get("points", "").split()[-1].split(",")
    assert (last.get("cx"), last.get("cy")) == (x, y)


@pytest.mark.parametrize("values", [[], [None, None], [7], [float("nan"), 2.0, 2.0]])
def test_the_sparkline_copes_with_little_or_flat_data(values: list[float | None]) -> None:
    root = fromstring(render_trend_sparkline(values, label="No history <yet> & more"))

    assert root.findtext(f"{SVG}title") == "No history <yet> & more"
    for element in root.iter():
        assert "nan" not in " ".join(element.attrib.values()).lower()


def test_a_fixed_range_lets_sparklines_compare() -> None:
    low = fromstring(render_trend_sparkline([2, 2], label="a", minimum=1, maximum=25))
    high = fromstring(render_trend_sparkline([20, 20], label="b", minimum=1, maximum=25))

    [low_line] = low.iter(f"{SVG}polyline")
    [high_line] = high.iter(f"{SVG}polyline")
    low_y = float(low_line.get("points", "").split()[0].split(",")[1])
    high_y = float(high_line.get("points", "").split()[0].split(",")[1])
    assert high_y < low_y
