"""What every progress report renderer shares: colours, trends, tables, cutting, headers."""

from __future__ import annotations

from datetime import date

import pytest

from schakel.core.exports import _report as outline
from schakel.core.exports._rag import MISSING, RED, arrow, rag_label, rag_style, rgb
from schakel.core.exports._text import format_long_date, split_page_label
from schakel.core.exports.report_data import (
    Milestone,
    ProjectReport,
    Rating,
    RegisterLine,
    ReportLabels,
)
from schakel.core.tests.report_samples import DUTCH_LABELS, sample_report, tiny_png


def test_colours_outside_the_three_are_not_reported() -> None:
    assert rag_style("red") is RED
    for value in ("", "Red", "purple", "red "):
        assert rag_style(value) is MISSING
    assert rag_label("purple", ReportLabels()) == "Not reported"


def test_hex_colours_become_rgb_triples() -> None:
    assert rgb("#2E7D32") == (46, 125, 50)


@pytest.mark.parametrize(
    ("rag", "previous", "expected"),
    [("green", "red", "↑"), ("red", "amber", "↓"), ("amber", "amber", "→"), ("red", "", "")],
)
def test_the_arrow_compares_with_the_previous_period(
    rag: str, previous: str, expected: str
) -> None:
    assert arrow(Rating(rag, previous).trend) == expected


def test_a_rating_reads_as_colour_and_arrow() -> None:
    assert outline.rating_cell(Rating("amber", "green"), ReportLabels()) == "Amber ↓"
    assert outline.rating_cell(Rating("red", "amber"), DUTCH_LABELS) == "Rood ↓"
    assert outline.rating_cell(Rating(""), ReportLabels()) == "Not reported"


def test_a_project_counts_as_reported_when_it_has_any_colour() -> None:
    assert not outline.is_reported(ProjectReport("X", "x"))
    assert outline.is_reported(ProjectReport("X", "x", overall=Rating("green")))
    assert outline.is_reported(ProjectReport("X", "x", ratings={"budget": Rating("red")}))


def test_an_unrated_dimension_lines_up_as_not_reported() -> None:
    report = sample_report()
    project = ProjectReport("X", "x", ratings={"budget": Rating("red")})

    ratings = outline.dimension_ratings(report, project)

    assert [key for key, _, _ in ratings][:3] == ["schedule", "budget", "scope"]
    assert [rating.rag for _, _, rating in ratings][:3] == ["", "red", ""]


def test_register_tables_show_only_the_columns_their_lines_fill() -> None:
    risks = outline.register_table(
        [RegisterLine("P-R1", "Late", "Anna", score=20)], ReportLabels(), "en"
    )
    actions = outline.register_table(
        [RegisterLine("P-A1", "Draft", due=date(2026, 3, 3))], ReportLabels(), "nl"
    )

    assert risks.fields == ("ref", "title", "owner", "score")
    assert risks.rows == (("P-R1", "Late", "Anna", "20"),)
    assert actions.headers == ("Ref.", "Title", "Due")
    assert actions.rows == (("P-A1", "Draft", "3 mrt 2026"),)


def test_milestones_show_dates_and_a_tick_when_done() -> None:
    table = outline.milestone_table(
        [Milestone("Live", date(2026, 10, 1), None, done=True)], ReportLabels(), "en"
    )

    assert table.rows == (("Live", "1 Oct 2026", "", "✓"),)


def test_truncate_cuts_at_a_word_and_adds_an_ellipsis() -> None:
    text = "The supplier has not delivered the laptops yet"

    assert outline.truncate(text, 100) == text
    assert outline.truncate(text, 20) == "The supplier has…"
    assert len(outline.truncate("x" * 50, 10)) == 10
    assert outline.truncate(text, 0) == ""


def test_the_png_size_is_read_from_its_header_and_anything_else_is_refused() -> None:
    assert outline.png_size(tiny_png(30, 12)) == (30, 12)
    assert outline.png_size(b"GIF89a" + b"\x00" * 30) is None
    assert outline.png_size(None) is None
    huge = bytearray(tiny_png())
    huge[16:20] = (100_000).to_bytes(4, "big")
    assert outline.png_size(bytes(huge)) is None


def test_the_header_and_period_read_naturally() -> None:
    report = sample_report()

    assert outline.header_text(report) == (
        "Gemeente Oostwold · Progress report Change programme · November 2026"
    )
    assert outline.period_dates(report) == "1 November 2026 – 30 November 2026"
    assert format_long_date(date(2026, 3, 3), "nl") == "3 maart 2026"


def test_a_page_label_without_its_number_falls_back_to_page_n() -> None:
    assert split_page_label("Page {page} of {pages}", "Page") == [
        ("text", "Page "),
        ("page", ""),
        ("text", " of "),
        ("pages", ""),
    ]
    assert split_page_label("Seite", "Pagina") == [("text", "Pagina "), ("page", "")]
