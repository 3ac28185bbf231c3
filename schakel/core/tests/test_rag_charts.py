"""The RAG trend strip and the distribution chart, read back as SVG documents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only for the Element type; parsing is by defusedxml

import pytest
from defusedxml.ElementTree import fromstring

from schakel.core.charts.rag import axis_ticks, rag_distribution_svg, rag_strip_svg
from schakel.core.exports._rag import AMBER, GREEN, MISSING, RED
from schakel.core.exports.report_data import PeriodCount, ReportLabels
from schakel.core.tests.report_samples import DUTCH_LABELS

SVG = "{http://www.w3.org/2000/svg}"


def cells(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "rag-strip-cell"]


def segments(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "rag-distribution-segment"]


def all_text(root: ET.Element) -> str:
    return " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


# --------------------------------------------------------------------------- the strip


def test_the_strip_draws_one_square_per_period_oldest_first_in_the_shared_colours() -> None:
    root = fromstring(rag_strip_svg(["green", "amber", "red", ""], label="Schedule"))

    squares = cells(root)
    assert [square.get("data-rag") for square in squares] == ["green", "amber", "red", "none"]
    assert [square.get("fill") for square in squares] == [
        GREEN.fill,
        AMBER.fill,
        RED.fill,
        MISSING.fill,
    ]
    xs = [float(square.get("x") or 0) for square in squares]
    assert xs == sorted(xs)


def test_only_the_newest_square_is_outlined() -> None:
    squares = cells(fromstring(rag_strip_svg(["red", "amber", "green"], label="x")))

    assert [square.get("stroke") is not None for square in squares] == [False, False, True]


def test_a_period_without_a_report_is_grey_with_a_dash() -> None:
    root = fromstring(rag_strip_svg(["green", ""], label="x"))

    assert cells(root)[1].get("fill") == MISSING.fill
    assert len(list(root.iter(f"{SVG}line"))) == 1


def test_the_strip_has_a_title_for_screen_readers() -> None:
    root = fromstring(rag_strip_svg(["green"], label="Budget: green, amber"))

    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Budget: green, amber"
    assert root.get("viewBox")


def test_an_unknown_colour_never_reaches_an_attribute() -> None:
    document = rag_strip_svg(['red" onload="alert(1)', "javascript:x"], label="<b>x</b>\x00")
    root = fromstring(document)

    assert [square.get("fill") for square in cells(root)] == [MISSING.fill, MISSING.fill]
    assert "onload" not in document
    assert root.findtext(f"{SVG}title") == "<b>x</b>"


def test_an_empty_history_draws_an_empty_but_valid_strip() -> None:
    root = fromstring(rag_strip_svg([], label="Nothing yet"))

    assert cells(root) == []
    assert root.findtext(f"{SVG}title") == "Nothing yet"


# --------------------------------------------------------------------------- distribution


def test_the_distribution_stacks_green_amber_red_and_missing_per_period() -> None:
    counts = [PeriodCount("Oct 2026", 5, 2, 1, 1), PeriodCount("Nov 2026", 6, 1, 2, 0)]
    root = fromstring(rag_distribution_svg(counts, labels=ReportLabels()))

    periods = [g for g in root.iter(f"{SVG}g") if g.get("class") == "rag-distribution-period"]
    assert len(periods) == 2
    first = [(g.get("data-rag"), g.get("data-count")) for g in segments(periods[0])]
    assert first == [("green", "5"), ("amber", "2"), ("red", "1"), ("none", "1")]
    # An empty segment is not drawn at all.
    second = [g.get("data-rag") for g in segments(periods[1])]
    assert second == ["green", "amber", "red"]
    # Green sits at the bottom: the larger y.
    rects = [g.find(f"{SVG}rect") for g in segments(periods[0])]
    ys = [float(rect.get("y") or 0) for rect in rects if rect is not None]
    assert ys == sorted(ys, reverse=True)


def test_the_segments_are_filled_with_the_shared_colours() -> None:
    root = fromstring(rag_distribution_svg([PeriodCount("Nov", 1, 1, 1, 1)], labels=ReportLabels()))

    fills = [g.find(f"{SVG}rect").get("fill") for g in segments(root)]  # type: ignore[union-attr]
    assert fills == [GREEN.fill, AMBER.fill, RED.fill, MISSING.fill]


def test_the_chart_has_axis_labels_a_legend_and_a_description_with_the_numbers() -> None:
    counts = [PeriodCount("okt 2026", 3, 1, 0, 0), PeriodCount("nov 2026", 2, 1, 1, 0)]
    root = fromstring(rag_distribution_svg(counts, labels=DUTCH_LABELS))

    text = all_text(root)
    for expected in ("Projecten", "Periode", "Groen", "Oranje", "Rood", "Niet gerapporteerd"):
        assert expected in text
    assert "okt 2026" in text and "nov 2026" in text
    assert root.findtext(f"{SVG}title") == "Rood, oranje en groen over de perioden"
    description = root.findtext(f"{SVG}desc") or ""
    assert "nov 2026: Groen 2, Oranje 1, Rood 1, Niet gerapporteerd 0" in description


def test_each_segment_tells_its_period_colour_and_count() -> None:
    root = fromstring(rag_distribution_svg([PeriodCount("Nov", 0, 0, 3)], labels=ReportLabels()))

    [segment] = segments(root)
    assert segment.findtext(f"{SVG}title") == "Nov · Red: 3"


def test_labels_are_escaped_and_cleaned() -> None:
    labels = ReportLabels(distribution="<script>alert(1)</script>", period="P\x00eriod")
    document = rag_distribution_svg([PeriodCount("<b>Nov</b>", 1)], labels=labels)
    root = fromstring(document)

    assert "<script>" not in document and "<b>" not in document
    assert root.findtext(f"{SVG}title") == "<script>alert(1)</script>"
    assert "<b>Nov</b>" in all_text(root)
    assert "Period" in all_text(root)


def test_no_periods_draws_an_empty_chart_saying_none() -> None:
    root = fromstring(rag_distribution_svg([], labels=ReportLabels()))

    assert segments(root) == []
    assert "None" in all_text(root)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        rag_distribution_svg([PeriodCount("Nov", green=-1)], labels=ReportLabels())


def test_the_chart_carries_no_scripts_or_styles() -> None:
    document = rag_distribution_svg([PeriodCount("Nov", 1, 2, 3, 4)], labels=ReportLabels())

    assert "<script" not in document
    assert "style=" not in document
    assert not re.search(r"\son[a-z]+=", document)


@pytest.mark.parametrize(
    ("highest", "expected"),
    [(0, (1, 1)), (3, (1, 3)), (7, (2, 8)), (23, (5, 25)), (200, (50, 200)), (201, (50, 250))],
)
def test_the_count_axis_uses_round_steps(highest: int, expected: tuple[int, int]) -> None:
    assert axis_ticks(highest) == expected
