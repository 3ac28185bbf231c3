"""The RAG colours, drawn the same way by every progress report renderer and chart.

A board compares the PowerPoint with the PDF and the web page; if "amber" were a slightly
different yellow in each, people would ask whether it means something. So the fills, the
text colour on each fill, the arrows and the mark for "not reported" live here, and the
PPTX, PDF, XLSX writers and the SVG charts all read them from this module.

Colour keys are "green", "amber", "red"; anything else (the empty string, or a value that
should not be there) is drawn as "not reported": a light grey with a dash. Because only
these constants ever reach a file, a caller's string never lands in a colour attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from schakel.core.exports.report_data import ReportLabels

__all__ = [
    "AMBER",
    "ARROWS",
    "GREEN",
    "MISSING",
    "MISSING_MARK",
    "RAG_ORDER",
    "RED",
    "RagStyle",
    "arrow",
    "rag_label",
    "rag_style",
    "rgb",
    "trend_label",
]


@dataclass(frozen=True, slots=True)
class RagStyle:
    """How one colour is drawn: its key, fill, the text colour on it, and a mark.

    ``ink`` keeps a contrast of at least 4.5:1 on ``fill`` (white on green 5.1, white on
    red 5.6, dark on amber 9.6, dark on grey 12). ``mark`` is what a cell shows when it has
    nothing else to say: a dash for not reported, so that colour is not the only signal.
    """

    key: str
    fill: str
    ink: str
    mark: str = ""


_WHITE = "#FFFFFF"
_DARK = "#1F2937"

GREEN = RagStyle("green", "#2E7D32", _WHITE)
AMBER = RagStyle("amber", "#F9A825", _DARK)
RED = RagStyle("red", "#C62828", _WHITE)
MISSING_MARK = "–"
MISSING = RagStyle("", "#E0E0E0", _DARK, MISSING_MARK)

# Bottom to top in a stacked column, left to right in a legend.
RAG_ORDER: tuple[RagStyle, ...] = (GREEN, AMBER, RED, MISSING)
_BY_KEY = {style.key: style for style in (GREEN, AMBER, RED)}

# The arrow against the previous period, by `Rating.trend`.
ARROWS = {"better": "↑", "worse": "↓", "same": "→"}


def rag_style(colour: str) -> RagStyle:
    """The style for a colour key; unknown keys and "" are "not reported"."""
    return _BY_KEY.get(colour, MISSING)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``"#2E7D32"`` as ``(46, 125, 50)``, for python-pptx and openpyxl."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def arrow(trend: str) -> str:
    """↑, ↓ or → for "better", "worse", "same"; nothing without a previous colour."""
    return ARROWS.get(trend, "")


def rag_label(colour: str, labels: ReportLabels) -> str:
    """The translated name of a colour: "Green", "Amber", "Red" or "Not reported"."""
    return {
        "green": labels.green,
        "amber": labels.amber,
        "red": labels.red,
    }.get(colour, labels.not_reported)


def trend_label(trend: str, labels: ReportLabels) -> str:
    """The translated word for a trend ("Better", "Worse", "Unchanged"), or ""."""
    return {"better": labels.better, "worse": labels.worse, "same": labels.same}.get(trend, "")
