"""Minutes as a Word document, read back with python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.core.exports._text import clean_text
from schakel.core.exports.documents import Attendance, MinutesItem, MinutesLabels, Outcome
from schakel.core.exports.docx import minutes_docx
from schakel.core.tests.minutes_samples import DUTCH_LABELS, hostile_minutes, sample_minutes


def load(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with(document: Document, text: str) -> list[list[str]]:
    """The first table with a cell reading exactly ``text``."""
    for table in document.tables:
        rows = cells(table)
        if any(text in row for row in rows):
            return rows
    raise AssertionError(f"no table has a cell {text!r}")


def style(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def headings(document: Document) -> list[tuple[str, str]]:
    return [
        (style(paragraph), paragraph.text)
        for paragraph in document.paragraphs
        if style(paragraph).startswith(("Heading", "Title"))
    ]


def paragraph_starting(document: Document, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(text))


@pytest.fixture(scope="module")
def english() -> Document:
    return load(minutes_docx(sample_minutes()))


def test_it_uses_heading_styles_so_the_navigation_pane_lists_every_item(
    english: Document,
) -> None:
    assert headings(english) == [
        ("Title", "Steering committee 12"),
        ("Heading 1", "Attendance"),
        ("Heading 1", "Summary"),
        ("Heading 1", "1. Opening and minutes of the last meeting"),
        ("Heading 2", "Decisions"),
        ("Heading 2", "Actions"),
        ("Heading 2", "Risks"),
        ("Heading 1", "2. Progress report"),
        ("Heading 2", "Actions"),
        ("Heading 2", "Issues"),
        ("Heading 1", "Action list"),
        ("Heading 1", "Decision list"),
    ]


def test_the_title_block_names_date_time_place_link_chair_and_minute_taker(
    english: Document,
) -> None:
    rows = table_with(english, "Chair")

    assert rows == [
        ["Date", "Tuesday 3 March 2026, 14:00–15:30"],
        ["Location", "Room 4.12"],
        ["Online", "https://meet.example.org/sc-12"],
        ["Chair", "Anna de Vries"],
        ["Minutes", "Bram Jansen"],
        ["Version", "2"],
        ["Published", "Thursday 5 March 2026"],
    ]
    subtitle = next(p for p in english.paragraphs if style(p) == "Subtitle")
    assert subtitle.text == (
        "Minutes · Steering committee Support services · Support services programme"
    )


def test_the_attendance_table_lists_every_group(english: Document) -> None:
    assert table_with(english, "Present") == [
        ["Present", "Anna de Vries, Bram Jansen, Chris Smit"],
        ["Absent", "Dana Kok"],
        ["Excused", "Evi Bos"],
        ["Guests", "Femke Visser"],
    ]


def test_an_items_actions_and_risks_are_tables_with_their_cells(english: Document) -> None:
    assert table_with(english, "SSP-R5") == [
        ["Ref.", "Title", "Owner", "Status"],
        ["SSP-R5", "Supplier delay", "Chris Smit", "Open"],
    ]
    assert cells(english.tables[2]) == [
        ["Ref.", "Title", "Owner", "Due"],
        ["SSP-A34", "Draft the intake form", "Bram Jansen", "17 Mar 2026"],
    ]


def test_decisions_show_ref_title_and_detail(english: Document) -> None:
    decision = paragraph_starting(english, "SSP-D7")

    assert decision.text == "SSP-D7 Adopt the new intake process\nSaves two weeks per request."
    assert decision.runs[0].bold


def test_the_action_list_lists_every_action_once_and_the_decision_list_every_decision(
    english: Document,
) -> None:
    action_list, decision_list = english.tables[-2], english.tables[-1]

    assert cells(action_list) == [
        ["Ref.", "Title", "Owner", "Due"],
        ["SSP-A34", "Draft the intake form", "Bram Jansen", "17 Mar 2026"],
        ["SSP-A35", "Update the risk log", "Chris Smit", "24 Mar 2026"],
    ]
    assert cells(decision_list) == [["Ref.", "Title"], ["SSP-D7", "Adopt the new intake process"]]


def test_notes_keep_bold_and_italic_runs(english: Document) -> None:
    summary = paragraph_starting(english, "The programme is")
    budget = paragraph_starting(english, "Budget reviewed")
    planning = paragraph_starting(english, "Planning confirmed")

    assert [(run.text, bool(run.bold)) for run in summary.runs] == [
        ("The programme is ", False),
        ("on track", True),
        ("; budget needs attention.", False),
    ]
    assert budget.runs[0].text == "Budget" and budget.runs[0].bold
    assert planning.runs[-1].text == "confirmed" and planning.runs[-1].italic


def test_notes_lists_use_word_list_styles_and_single_newlines_are_line_breaks(
    english: Document,
) -> None:
    styles = {p.text: style(p) for p in english.paragraphs}

    assert styles["Budget reviewed"] == "List Bullet"
    assert styles["Planning confirmed"] == "List Bullet"
    assert styles["first step"] == styles["second step"] == "List Number"
    assert styles["Minutes approved.\nNo remarks."] == "Normal"


def test_each_numbered_list_restarts_at_its_own_start() -> None:
    minutes = sample_minutes(summary="1. a\n2. b\n\nbetween\n\n5. c\n6. d")
    document = load(minutes_docx(minutes))

    def num_id(text: str) -> int:
        paragraph = paragraph_starting(document, text)
        element = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        assert element is not None, text
        return int(element.get(qn("w:val")))

    assert num_id("a") == num_id("b")
    assert num_id("c") == num_id("d") != num_id("a")
    numbering = document.part.numbering_part.element
    override = numbering.num_having_numId(num_id("c")).find(qn("w:lvlOverride"))
    assert override.find(qn("w:startOverride")).get(qn("w:val")) == "5"


def test_links_become_real_hyperlinks(english: Document) -> None:
    see = paragraph_starting(english, "See the plan")

    [link] = see.hyperlinks
    assert (link.text, link.url) == ("the plan", "https://example.org/plan")


def test_every_page_has_the_header_and_a_footer_with_page_fields_and_version() -> None:
    data = minutes_docx(sample_minutes())
    section = load(data).sections[0]

    assert section.header.paragraphs[0].text == (
        "Gemeente Oostwold · Steering committee Support services"
    )
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Version 2\tPage ")
    instructions = [node.text.strip() for node in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_the_page_is_a4(english: Document) -> None:
    section = english.sections[0]

    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)


def test_core_properties_carry_title_and_language(english: Document) -> None:
    properties = english.core_properties

    assert properties.title == "Steering committee 12"
    assert properties.language == "en-GB"
    assert properties.author == "Bram Jansen"


def test_dutch_minutes_use_dutch_dates_labels_and_language() -> None:
    document = load(minutes_docx(sample_minutes(language="nl", labels=DUTCH_LABELS)))

    assert table_with(document, "Datum")[0] == ["Datum", "dinsdag 3 maart 2026, 14:00–15:30"]
    assert ("Heading 1", "Actielijst") in headings(document)
    assert cells(document.tables[-2])[2] == [
        "SSP-A35",
        "Update the risk log",
        "Chris Smit",
        "24 mrt 2026",
    ]
    assert document.core_properties.language == "nl-NL"
    assert document.sections[0].footer.paragraphs[0].text.startswith("Versie 2\tPagina ")


def test_empty_lists_say_none() -> None:
    document = load(minutes_docx(sample_minutes(items=[], summary="")))
    texts = [p.text for p in document.paragraphs]

    assert texts[texts.index("Action list") + 1] == "None"
    assert texts[texts.index("Decision list") + 1] == "None"
    assert "Summary" not in texts


def test_hostile_text_is_kept_as_text_and_illegal_characters_are_stripped() -> None:
    data = minutes_docx(hostile_minutes())
    document = load(data)
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell for table in document.tables for row in cells(table) for cell in row]
    )

    assert ("Title", "<script>alert('title')</script>") in headings(document)
    assert ("Heading 1", "1. =cmd|' /C calc'!A0") in headings(document)
    assert "<b>hi</b>" in everything
    assert "nulbyte, lonesurrogate, verticaltab" in everything
    assert "Nul Byte" in everything
    assert "Presenter: Lone" in everything
    assert '=HYPERLINK("http://evil")' in everything
    assert "[local](file:///etc/passwd)" in everything
    assert "\x00" not in everything
    # Only the checked http(s) links are hyperlinks; the file: URL is not.
    urls = {link.url for p in document.paragraphs for link in p.hyperlinks}
    assert urls == {"http://127.0.0.1/secret"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<script" not in body
    assert "&lt;script&gt;" in body


@settings(max_examples=25, deadline=None)
@given(st.text(), st.text(), st.text())
def test_any_text_in_any_field_still_gives_a_document_word_can_open(
    first: str, second: str, third: str
) -> None:
    minutes = sample_minutes(
        title=first,
        organisation=second,
        chair=third,
        online_url=first,
        attendance=Attendance(present=[first, second]),
        summary=third,
        items=[
            MinutesItem(
                second,
                first,
                third,
                first + "\n" + third,
                [Outcome("action", first, second, third), Outcome("decision", third, first)],
            )
        ],
        labels=MinutesLabels(page_of=first, none=second),
    )

    document = load(minutes_docx(minutes))

    assert document.core_properties.title == " ".join(clean_text(first).split())
