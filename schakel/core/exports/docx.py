"""Write meeting minutes as a Word document (python-docx) in a plain house style.

The document is meant to be edited, forwarded and archived by people who live in Word, so
it uses Word's own building blocks: Heading styles (the navigation pane lists every
agenda item), the List Bullet and List Number styles, real tables, PAGE/NUMPAGES fields in
the footer and hyperlinks. All text goes through python-docx, which escapes it for XML;
characters XML cannot hold at all are stripped first (python-docx would raise on them).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run as WordRun

from schakel.core.exports import _minutes as outline
from schakel.core.exports import markup
from schakel.core.exports.documents import Minutes, MinutesItem, Outcome

__all__ = ["minutes_docx"]

_FONT = "Calibri"
_CODE_FONT = "Consolas"
_BODY_SIZE = Pt(10.5)
_INK = RGBColor(0x1F, 0x29, 0x37)
_MUTED = RGBColor(0x6B, 0x72, 0x80)
_ACCENT = RGBColor(0x1D, 0x4E, 0xD8)
_HEADER_FILL = "E5E7EB"

_PAGE_WIDTH = Cm(21.0)
_PAGE_HEIGHT = Cm(29.7)
_MARGIN_SIDE = Cm(2.0)
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN_SIDE

# Ref, title, owner, due/status: the title takes what the others leave.
_OUTCOME_WIDTHS = (Cm(2.6), Cm(8.4), Cm(3.6), Cm(2.4))
_LABEL_WIDTH = Cm(3.6)

# Markup headings in notes sit below the item heading (Heading 1).
_MARKUP_HEADING_BASE = 2

# Word's language tags; a bare "nl" would leave the spelling checker guessing the region.
_LANGUAGE_TAGS = {"en": "en-GB", "nl": "nl-NL"}


def minutes_docx(minutes: Minutes) -> bytes:
    """Render ``minutes`` as DOCX bytes: title block, attendance, items, action and
    decision lists, with the organisation and forum in the header of every page."""
    document = docx.Document()
    language = _LANGUAGE_TAGS.get(minutes.language, minutes.language or "en-GB")
    _set_up_styles(document, language)
    _set_up_page(document, minutes)
    _set_properties(document, minutes, language)

    _title_block(document, minutes)
    _attendance(document, minutes)
    summary = markup.parse(minutes.summary)
    if summary:
        document.add_heading(outline.line(minutes.labels.summary), level=1)
        _blocks(document, summary)
    for item in minutes.items:
        _item(document, minutes, item)
    _action_list(document, minutes)
    _decision_list(document, minutes)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --------------------------------------------------------------------------- set-up


def _set_up_styles(document: Document, language: str) -> None:
    normal = document.styles["Normal"]
    _use_font(normal, _FONT)
    normal.font.size = _BODY_SIZE
    normal.font.color.rgb = _INK
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = document.styles[name]
        _use_font(style, _FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = _INK
    _use_font(document.styles["Heading 4"], _FONT)
    subtitle = document.styles["Subtitle"]
    _use_font(subtitle, _FONT)
    subtitle.font.color.rgb = _MUTED
    subtitle.font.italic = False
    # The document's language drives Word's spelling and hyphenation.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None:
            properties = run_defaults.find(qn("w:rPr"))
            if properties is not None:
                for old in properties.findall(qn("w:lang")):
                    properties.remove(old)
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), language)
                properties.append(lang)


def _use_font(style: CharacterStyle, name: str) -> None:
    """Set a style's font for every script; theme fonts would otherwise win in Word."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def _set_up_page(document: Document, minutes: Minutes) -> None:
    section = document.sections[0]
    section.page_width = _PAGE_WIDTH
    section.page_height = _PAGE_HEIGHT
    section.left_margin = section.right_margin = _MARGIN_SIDE
    section.top_margin = Cm(2.4)
    section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)

    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    run = header.add_run(outline.header_text(minutes))
    run.font.size = Pt(9)
    run.font.color.rgb = _MUTED

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.paragraph_format.tab_stops.clear_all()
    footer.paragraph_format.tab_stops.add_tab_stop(_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    version = f"{outline.line(minutes.labels.version)} {minutes.version}"
    _muted(footer.add_run(version + "\t"))
    for kind, literal in outline.page_parts(minutes):
        if kind == "text":
            _muted(footer.add_run(literal))
        else:
            _add_field(footer, "PAGE" if kind == "page" else "NUMPAGES")


def _muted(run: WordRun) -> None:
    run.font.size = Pt(9)
    run.font.color.rgb = _MUTED


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a field (PAGE, NUMPAGES) that Word computes; "1" shows until it does."""
    for kind, value in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        _muted(run)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {value} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    _muted(paragraph.add_run("1"))
    end = paragraph.add_run()
    _muted(end)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _set_properties(document: Document, minutes: Minutes, language: str) -> None:
    properties = document.core_properties
    # Word's core properties hold at most 255 characters (python-docx refuses more).
    properties.title = outline.line(minutes.title)[:255]
    properties.subject = outline.line(minutes.forum)[:255]
    properties.language = language
    properties.author = outline.line(minutes.minute_taker)[:255]
    properties.last_modified_by = ""
    properties.comments = ""
    properties.keywords = ""
    properties.revision = max(1, minutes.version)
    when: datetime = minutes.published_at or minutes.start
    properties.created = properties.modified = when


# --------------------------------------------------------------------------- sections


def _title_block(document: Document, minutes: Minutes) -> None:
    document.add_heading(outline.line(minutes.title), level=0)
    if subtitle := outline.subtitle(minutes):
        document.add_paragraph(subtitle, style="Subtitle")
    rows = outline.meta_rows(minutes)
    table = _table(document, len(rows), 2, grid=False)
    for row, meta in zip(table.rows, rows, strict=True):
        label, value = row.cells
        _cell_text(label, meta.label, bold=True)
        paragraph = value.paragraphs[0]
        if meta.url:
            _add_hyperlink(paragraph, markup.Run(meta.value, url=meta.url))
        else:
            paragraph.add_run(meta.value)
    _widths(table, (_LABEL_WIDTH, _TEXT_WIDTH - _LABEL_WIDTH))


def _attendance(document: Document, minutes: Minutes) -> None:
    document.add_heading(outline.line(minutes.labels.attendance), level=1)
    rows = outline.attendance_rows(minutes)
    table = _table(document, len(rows), 2, grid=False)
    for row, (label, names) in zip(table.rows, rows, strict=True):
        _cell_text(row.cells[0], label, bold=True)
        _cell_text(row.cells[1], names)
    _widths(table, (_LABEL_WIDTH, _TEXT_WIDTH - _LABEL_WIDTH))


def _item(document: Document, minutes: Minutes, item: MinutesItem) -> None:
    document.add_heading(outline.item_heading(item), level=1)
    if presenter := outline.line(item.presenter):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{outline.line(minutes.labels.presenter)}: ").bold = True
        paragraph.add_run(presenter)
    _blocks(document, markup.parse(item.notes))
    for kind, outcomes in outline.outcome_groups(item):
        document.add_heading(outline.group_label(minutes, kind), level=2)
        if kind == "decision":
            _decisions(document, outcomes)
        else:
            _outcome_table(document, minutes, kind, outcomes)


def _decisions(document: Document, outcomes: Sequence[Outcome]) -> None:
    for outcome in outcomes:
        paragraph = document.add_paragraph(style="List Bullet")
        if ref := outline.line(outcome.ref):
            paragraph.add_run(ref + " ").bold = True
        paragraph.add_run(outline.text(outcome.title)).bold = True
        if detail := outline.text(outcome.detail):
            paragraph.add_run("\n" + detail)


def _outcome_table(
    document: Document, minutes: Minutes, kind: str, outcomes: Sequence[Outcome]
) -> None:
    columns = outline.outcome_columns(minutes, kind)
    table = _table(document, len(outcomes) + 1, len(columns))
    _header_row(table, columns)
    for row, outcome in zip(table.rows[1:], outcomes, strict=True):
        cells = outline.outcome_cells(outcome, kind, minutes.language)
        for cell, value in zip(row.cells, cells, strict=True):
            _cell_text(cell, value)
    _widths(table, _OUTCOME_WIDTHS)


def _action_list(document: Document, minutes: Minutes) -> None:
    document.add_heading(outline.line(minutes.labels.action_list), level=1)
    actions = outline.all_outcomes(minutes, "action")
    if actions:
        _outcome_table(document, minutes, "action", actions)
    else:
        document.add_paragraph(outline.line(minutes.labels.none))


def _decision_list(document: Document, minutes: Minutes) -> None:
    document.add_heading(outline.line(minutes.labels.decision_list), level=1)
    decisions = outline.all_outcomes(minutes, "decision")
    if not decisions:
        document.add_paragraph(outline.line(minutes.labels.none))
        return
    labels = minutes.labels
    table = _table(document, len(decisions) + 1, 2)
    _header_row(table, [outline.line(labels.ref), outline.line(labels.title)])
    for row, decision in zip(table.rows[1:], decisions, strict=True):
        _cell_text(row.cells[0], outline.line(decision.ref))
        _cell_text(row.cells[1], outline.text(decision.title))
    _widths(table, (_OUTCOME_WIDTHS[0], _TEXT_WIDTH - _OUTCOME_WIDTHS[0]))


# --------------------------------------------------------------------------- markup


def _blocks(document: Document, blocks: Sequence[markup.Block]) -> None:
    """Write parsed notes: headings, paragraphs with line breaks, real Word lists."""
    for block in blocks:
        if block.kind == "heading":
            level = _MARKUP_HEADING_BASE + block.level - 1
            _lines(document.add_heading("", level=level), block.lines)
        elif block.kind == "paragraph":
            _lines(document.add_paragraph(), block.lines)
        elif block.kind == "bullet_list":
            for item in block.items:
                _lines(document.add_paragraph(style="List Bullet"), item)
        else:
            num_id = _restarted_numbering(document, block.start)
            for item in block.items:
                paragraph = document.add_paragraph(style="List Number")
                if num_id is not None:
                    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                    num_pr.get_or_add_ilvl().val = 0
                    num_pr.get_or_add_numId().val = num_id
                _lines(paragraph, item)


def _lines(paragraph: Paragraph, lines: Sequence[markup.Line]) -> None:
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        for run in line:
            if run.url:
                _add_hyperlink(paragraph, run)
            else:
                _styled_run(paragraph, run)


def _styled_run(paragraph: Paragraph, run: markup.Run) -> WordRun:
    written = paragraph.add_run(run.text)
    if run.bold:
        written.bold = True
    if run.italic:
        written.italic = True
    if run.code:
        written.font.name = _CODE_FONT
    return written


def _add_hyperlink(paragraph: Paragraph, run: markup.Run) -> None:
    """Append a real, clickable hyperlink; ``run.url`` was checked by the markup parser."""
    relationship = paragraph.part.relate_to(run.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    written = _styled_run(paragraph, run)
    written.font.color.rgb = _ACCENT
    written.font.underline = True
    # add_run appended the run to the paragraph; moving it into the hyperlink element.
    hyperlink.append(written._r)
    paragraph._p.append(hyperlink)


def _restarted_numbering(document: Document, start: int) -> int | None:
    """Give a numbered list its own numbering that starts at ``start``.

    All List Number paragraphs share one numbering in Word, so a second list would go on
    counting from the first. A new ``w:num`` pointing at the same abstract numbering with
    a start override makes each list count on its own.
    """
    style = document.styles["List Number"]
    style_num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if style_num_pr is None or style_num_pr.numId is None:
        return None
    numbering = document.part.numbering_part.element
    base = numbering.num_having_numId(style_num_pr.numId.val)
    num = numbering.add_num(base.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


# --------------------------------------------------------------------------- tables


def _table(document: Document, rows: int, columns: int, *, grid: bool = True) -> Table:
    table = document.add_table(rows=rows, cols=columns)
    if grid:
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    return table


def _header_row(table: Table, labels: Sequence[str]) -> None:
    row = table.rows[0]
    # Repeat the header row when a table runs onto the next page.
    row_properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    for cell, label in zip(row.cells, labels, strict=True):
        _cell_text(cell, label, bold=True)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), _HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shading)


def _cell_text(cell: _Cell, value: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(value)
    if bold:
        run.bold = True


def _widths(table: Table, widths: Sequence[int]) -> None:
    """Word reads the cell widths, LibreOffice the grid columns: set both."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
