"""The consolidated progress report as a PowerPoint deck, opened again with python-pptx."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.table import Table, _Cell

from schakel.core.exports._rag import AMBER, GREEN, MISSING, RED
from schakel.core.exports.pptx import ROWS_PER_SLIDE, report_pptx
from schakel.core.tests.report_samples import (
    dutch_report,
    hostile_report,
    large_report,
    sample_report,
    tiny_png,
)

GREEN_RGB, AMBER_RGB, RED_RGB, MISSING_RGB = (
    style.fill.lstrip("#") for style in (GREEN, AMBER, RED, MISSING)
)


def deck(report=None) -> PresentationType:
    return Presentation(io.BytesIO(report_pptx(report or sample_report())))


def texts(slide: Slide) -> list[str]:
    """Every piece of text on a slide: text boxes, shapes and table cells."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return found


def tables(slide: Slide) -> list[Table]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def fill(cell: _Cell) -> str:
    return str(cell.fill.fore_color.rgb)


def row_of(table: Table, key: str) -> list[_Cell]:
    [row] = [row for row in table.rows if row.cells[0].text.startswith(key)]
    return list(row.cells)


@pytest.fixture(scope="module")
def sample() -> PresentationType:
    return deck()


@pytest.fixture(scope="module")
def slides(sample: PresentationType) -> list[Slide]:
    return list(sample.slides)


# --------------------------------------------------------------------------- structure


def test_it_is_16_to_9(sample: PresentationType) -> None:
    assert sample.slide_width is not None and sample.slide_height is not None
    assert sample.slide_width / sample.slide_height == pytest.approx(16 / 9, rel=0.01)


def test_it_has_title_overview_messages_chart_and_one_slide_per_project(
    slides: list[Slide],
) -> None:
    # 1 title + 1 overview + 1 messages + 1 chart + 3 projects.
    assert len(slides) == 7
    assert "Progress report Change programme" in texts(slides[0])
    assert "Overview" in texts(slides[1])
    assert "Key messages" in texts(slides[2])
    assert any(shape.has_chart for shape in slides[3].shapes)
    assert "P001 · Project 1 digital workplace" in texts(slides[4])
    assert "P002 · Project 2 digital workplace" in texts(slides[5])
    assert "P003 · Project 3 data platform" in texts(slides[6])


def test_the_title_slide_names_organisation_scope_and_period(slides: list[Slide]) -> None:
    text = "\n".join(texts(slides[0]))

    for expected in (
        "Gemeente Oostwold",
        "Change programme",
        "November 2026",
        "1 November 2026 – 30 November 2026",
        "Generated: 3 December 2026",
    ):
        assert expected in text


def test_every_slide_has_the_organisation_in_its_footer_and_a_slide_number(
    slides: list[Slide],
) -> None:
    for number, slide in enumerate(slides, start=1):
        assert "Gemeente Oostwold · November 2026" in texts(slide)
        fields = slide.shapes._spTree.findall(f".//{qn('a:fld')}")
        assert [(field.get("type"), field.findtext(qn("a:t"))) for field in fields] == [
            ("slidenum", str(number))
        ]


def test_every_run_uses_one_font(slides: list[Slide]) -> None:
    fonts = set()
    for slide in slides:
        for properties in slide.shapes._spTree.iter(qn("a:rPr")):
            latin = properties.find(qn("a:latin"))
            if latin is not None:
                fonts.add(latin.get("typeface"))
    assert fonts == {"Calibri"}


# --------------------------------------------------------------------------- overview


def test_the_overview_is_a_native_table_with_a_header_per_dimension(slides: list[Slide]) -> None:
    [table] = tables(slides[1])

    assert [cell.text for cell in table.rows[0].cells] == [
        "Project",
        "Project manager",
        "Overall",
        "Schedule",
        "Budget",
        "Scope",
        "Resources",
        "Risks",
        "Quality",
        "Benefits",
    ]
    assert len(table.rows) == 1 + 3


def test_overview_cells_are_filled_with_their_rag_colour(slides: list[Slide]) -> None:
    [table] = tables(slides[1])
    cells = row_of(table, "P001")

    assert cells[0].text == "P001 Project 1 digital workplace"
    assert cells[1].text == "Manager 1"
    # Overall amber, then schedule green, budget red, scope and resources green, risks
    # amber, quality red, benefits amber.
    assert [fill(cell) for cell in cells[2:]] == [
        AMBER_RGB,
        GREEN_RGB,
        RED_RGB,
        GREEN_RGB,
        GREEN_RGB,
        AMBER_RGB,
        RED_RGB,
        AMBER_RGB,
    ]


def test_overview_cells_show_the_arrow_against_the_previous_period(slides: list[Slide]) -> None:
    [table] = tables(slides[1])

    # Overall amber after red: better; budget red after amber: worse; the rest unchanged
    # except benefits (amber after red).
    assert [cell.text for cell in row_of(table, "P001")[2:]] == [
        "↑",
        "→",
        "↓",
        "→",
        "→",
        "→",
        "→",
        "↑",
    ]


def test_a_cell_without_a_previous_colour_has_no_arrow() -> None:
    report = sample_report()
    first = report.projects[0]
    report = replace(report, projects=[replace(first, overall=replace(first.overall, previous=""))])
    [table] = tables(deck(report).slides[1])

    assert row_of(table, "P001")[2].text == ""
    assert fill(row_of(table, "P001")[2]) == AMBER_RGB


def test_a_project_without_a_report_spans_its_row_as_not_reported(slides: list[Slide]) -> None:
    [table] = tables(slides[1])
    cells = row_of(table, "P003")

    assert cells[2].is_merge_origin
    assert cells[2].span_width == 8
    assert cells[2].text == "Not reported"
    assert fill(cells[2]) == MISSING_RGB


def test_an_unrated_dimension_is_grey_with_a_dash() -> None:
    report = sample_report()
    first = report.projects[0]
    ratings = {key: rating for key, rating in first.ratings.items() if key != "scope"}
    report = replace(report, projects=[replace(first, ratings=ratings)])
    [table] = tables(deck(report).slides[1])
    scope = row_of(table, "P001")[5]

    assert (scope.text, fill(scope)) == ("–", MISSING_RGB)


def test_the_overview_continues_on_further_slides_with_the_header_repeated() -> None:
    presentation = deck(large_report(30))
    overviews = [
        slide
        for slide in presentation.slides
        if any(t.startswith("Overview") for t in texts(slide))
    ]

    assert [next(t for t in texts(s) if t.startswith("Overview")) for s in overviews] == [
        "Overview (1/3)",
        "Overview (2/3)",
        "Overview (3/3)",
    ]
    row_counts = []
    for slide in overviews:
        [table] = tables(slide)
        assert table.rows[0].cells[0].text == "Project"
        row_counts.append(len(table.rows) - 1)
    assert row_counts == [ROWS_PER_SLIDE, ROWS_PER_SLIDE, 30 - 2 * ROWS_PER_SLIDE]
    # 1 title + 3 overviews + messages + chart + 30 projects.
    assert len(presentation.slides) == 36


def test_the_overview_has_a_legend_for_colours_and_arrows(slides: list[Slide]) -> None:
    text = "\n".join(texts(slides[1]))

    for expected in ("Green", "Amber", "Red", "Not reported", "↑ Better", "↓ Worse"):
        assert expected in text


# --------------------------------------------------------------------------- messages, chart


def test_the_messages_slide_has_key_messages_and_every_escalation(slides: list[Slide]) -> None:
    text = "\n".join(texts(slides[2]))

    assert "The programme is on track overall." in text
    assert "Budget pressure on P001" in text
    assert "Escalations and decisions needed" in text
    assert (
        "P001 · Project 1 digital workplace: Decision needed on the extra licences budget." in text
    )
    # P002 escalates nothing.
    assert "P002" not in text


def test_many_escalations_end_with_how_many_more_there_are(portfolio) -> None:
    presentation, _ = portfolio
    text = "\n".join(texts(presentation.slides[18]))

    assert "P001 · Project 1 digital workplace:" in text
    assert "…and" in text and "more" in text


def test_the_distribution_is_a_native_stacked_column_chart_in_rag_colours(
    slides: list[Slide],
) -> None:
    [chart] = [shape.chart for shape in slides[3].shapes if shape.has_chart]
    plot = chart.plots[0]

    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert list(plot.categories) == [
        "Jun 2026",
        "Jul 2026",
        "Aug 2026",
        "Sep 2026",
        "Oct 2026",
        "Nov 2026",
    ]
    assert [series.name for series in plot.series] == ["Green", "Amber", "Red", "Not reported"]
    assert [str(series.format.fill.fore_color.rgb) for series in plot.series] == [
        GREEN_RGB,
        AMBER_RGB,
        RED_RGB,
        MISSING_RGB,
    ]
    assert list(plot.series[0].values) == [1, 2, 1, 2, 1, 2]
    assert list(plot.series[2].values) == [0, 1, 2, 0, 1, 2]


def test_one_period_gives_no_chart_slide() -> None:
    report = sample_report()
    presentation = deck(replace(report, distribution=report.distribution[-1:]))

    assert len(presentation.slides) == 6
    assert not any(shape.has_chart for slide in presentation.slides for shape in slide.shapes)


# --------------------------------------------------------------------------- projects


def test_a_project_slide_shows_header_ratings_texts_and_registers(slides: list[Slide]) -> None:
    text = "\n".join(texts(slides[4]))

    for expected in (
        "P001 · Project 1 digital workplace",
        "Project manager: Manager 1 · Report: Approved",
        "Overall: Amber ↑",
        "Budget under pressure: supplier late.",
        "Project 1 is on track for the pilot.",
        "Pilot group trained",
        "Roll out to the second floor",
        "Decision needed on the extra licences budget.",
        "Key milestones",
        "Pilot live",
        "1 Oct 2026",
        "Top risks",
        "P001-R3",
        "Supplier delivers late",
    ):
        assert expected in text


def test_the_ratings_table_is_coloured_and_names_each_colour(slides: list[Slide]) -> None:
    ratings = next(t for t in tables(slides[4]) if t.rows[0].cells[0].text == "Dimension")
    rows = {row.cells[0].text: list(row.cells) for row in list(ratings.rows)[1:]}

    assert rows["Overall"][1].text == "Amber ↑"
    assert fill(rows["Overall"][1]) == AMBER_RGB
    assert rows["Budget"][1].text == "Red ↓"
    assert fill(rows["Budget"][1]) == RED_RGB
    assert rows["Budget"][3].text == "Budget under pressure: supplier late."
    assert fill(rows["Schedule"][1]) == GREEN_RGB


def test_the_trend_strip_is_coloured_squares_oldest_first(slides: list[Slide]) -> None:
    ratings = next(t for t in tables(slides[4]) if t.rows[0].cells[0].text == "Dimension")
    budget = next(row for row in ratings.rows if row.cells[0].text == "Budget")
    runs = budget.cells[2].text_frame.paragraphs[0].runs

    assert "".join(run.text for run in runs) == "■" * 6
    # Budget went amber, red, red, amber, amber, red.
    assert [str(run.font.color.rgb) for run in runs] == [
        AMBER_RGB,
        RED_RGB,
        RED_RGB,
        AMBER_RGB,
        AMBER_RGB,
        RED_RGB,
    ]


def test_lists_in_texts_become_real_bullets_and_numbers(slides: list[Slide]) -> None:
    paragraphs = [
        paragraph
        for shape in slides[4].shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
    ]
    bullet = next(p for p in paragraphs if p.text == "Pilot group trained")
    number = next(p for p in paragraphs if p.text == "Roll out to the second floor")

    assert bullet._p.pPr.find(qn("a:buChar")) is not None
    assert number._p.pPr.find(qn("a:buAutoNum")).get("startAt") == "1"


def test_a_project_without_a_report_says_so(slides: list[Slide]) -> None:
    text = "\n".join(texts(slides[6]))

    assert "No report received" in text
    assert "Overall: Not reported" in text
    assert "Report: Not submitted" in text


def test_long_texts_are_cut_with_an_ellipsis_instead_of_overflowing() -> None:
    long = "The supplier has not delivered the laptops yet and we keep waiting. " * 40
    report = sample_report()
    first = replace(
        report.projects[0],
        summary=long,
        ratings={k: replace(r, reason=long) for k, r in report.projects[0].ratings.items()},
    )
    slide = deck(replace(report, projects=[first])).slides[4]
    summary = next(text for text in texts(slide) if text.startswith("Summary"))
    reasons = [text for text in texts(slide) if text.startswith("The supplier")]

    assert summary.endswith("…")
    assert 200 < len(summary) < len(long) / 3
    assert reasons and all(text.endswith("…") and len(text) < 200 for text in reasons)


# --------------------------------------------------------------------------- input


def test_hostile_text_stays_text_and_the_file_opens() -> None:
    presentation = deck(hostile_report())
    text = "\n".join(t for slide in presentation.slides for t in texts(slide))

    assert "<script>alert(1)</script>" in text
    assert "=cmd|' /C calc'!A0" in text
    assert '=HYPERLINK("http://evil")' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "\x00" not in text and "\ud800" not in text
    assert "nulbyte" in text and "lonesurrogate" in text


def test_only_safe_links_become_hyperlinks() -> None:
    presentation = deck(hostile_report())
    addresses = [
        run.hyperlink.address
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.hyperlink.address
    ]

    assert "https://example.org/ok" in addresses
    assert not any(address.startswith(("file:", "javascript:")) for address in addresses)


def test_an_unknown_colour_is_drawn_as_not_reported() -> None:
    [table] = tables(deck(hostile_report()).slides[1])
    budget = table.rows[1].cells[4]

    assert (budget.text, fill(budget)) == ("–", MISSING_RGB)


def test_the_logo_is_placed_on_the_title_slide() -> None:
    presentation = deck(sample_report(logo_png=tiny_png(300, 100)))
    pictures = [shape for shape in presentation.slides[0].shapes if shape.shape_type == 13]

    assert len(pictures) == 1
    assert pictures[0].width / pictures[0].height == pytest.approx(3, rel=0.01)


@pytest.mark.parametrize(
    "logo",
    [b"not a png", tiny_png()[:40] + b"broken body" * 4, b""],
    ids=["not-png", "broken-png", "empty"],
)
def test_a_broken_logo_is_left_out_and_the_deck_still_renders(logo: bytes) -> None:
    presentation = deck(sample_report(logo_png=logo))
    pictures = [shape for shape in presentation.slides[0].shapes if shape.shape_type == 13]

    assert pictures == []
    assert len(presentation.slides) == 7


def test_dutch_labels_and_dates_are_used() -> None:
    presentation = deck(dutch_report())
    text = "\n".join(t for slide in presentation.slides for t in texts(slide))

    for expected in (
        "Overzicht",
        "Kernboodschappen",
        "1 november 2026 – 30 november 2026",
        "Totaal: Oranje ↑",
        "Niet gerapporteerd",
        "Projectleider",
        "1 okt 2026",
    ):
        assert expected in text


def test_run_languages_follow_the_report() -> None:
    presentation = deck(dutch_report())
    languages = {
        properties.get("lang")
        for properties in presentation.slides[1].shapes._spTree.iter(qn("a:rPr"))
    }

    assert languages == {"nl-NL"}


# --------------------------------------------------------------------------- scale


@pytest.fixture(scope="module")
def portfolio() -> Iterator[tuple[PresentationType, float]]:
    report = large_report(200)
    started = time.perf_counter()
    data = report_pptx(report)
    elapsed = time.perf_counter() - started
    yield Presentation(io.BytesIO(data)), elapsed


def test_a_portfolio_of_200_projects_renders_every_slide(portfolio) -> None:
    presentation, elapsed = portfolio
    print(f"\nPPTX for 200 projects: {elapsed:.2f}s")  # measured, never asserted

    # 1 title + 17 overviews + messages + chart + 200 projects.
    assert len(presentation.slides) == 1 + 17 + 1 + 1 + 200
    assert "P200 · Project 200 data platform" in texts(presentation.slides[-1])
