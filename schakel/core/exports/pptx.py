"""Write the consolidated progress report as a 16:9 PowerPoint deck (python-pptx).

The deck is what a programme board is shown, and a PMO officer often adjusts a slide
before the meeting, so everything is a native, editable PowerPoint object: tables whose
cells are filled with the RAG colour, a python-pptx chart for the distribution, text
boxes with real bullets. The only picture is the organisation's logo. The slides:

1. title (organisation, title, scope, period, logo);
2. the overview: one row per project with its colour overall and per dimension and an
   arrow against the previous period, continued on further slides beyond `ROWS_PER_SLIDE`
   projects with the header repeated;
3. key messages and every project's escalations;
4. the distribution over the periods as a stacked column chart (with more than one);
5. one slide per project: ratings with reasons, the texts, milestones and top risks.

A slide has a fixed size and PowerPoint does not shrink text for us, so long texts are cut
to an estimated number of characters and end in "…" rather than running off the slide;
the PDF carries the full text. All text goes through python-pptx, which escapes it for
XML; characters XML cannot hold are stripped first (lxml would refuse them).
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.text import CT_RegularTextRun
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.shapes.connector import Connector
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.table import Table, _Cell
from pptx.text.text import TextFrame, _Paragraph, _Run
from pptx.util import Emu, Inches, Length, Pt

from schakel.core.charts.rag import axis_ticks
from schakel.core.exports import _report as outline
from schakel.core.exports import markup
from schakel.core.exports._rag import (
    MISSING,
    RAG_ORDER,
    RagStyle,
    arrow,
    rag_label,
    rag_style,
    rgb,
    trend_label,
)
from schakel.core.exports._text import clean_text, format_long_date
from schakel.core.exports.report_data import (
    ConsolidatedReport,
    PeriodCount,
    Progress,
    ProjectReport,
    ReportLabels,
)

__all__ = ["ROWS_PER_SLIDE", "report_pptx"]

# Projects per overview slide: thirteen rows of a readable size fit under the title.
ROWS_PER_SLIDE = 12

_FONT = "Calibri"
_CODE_FONT = "Consolas"
_INK = RGBColor(0x1F, 0x29, 0x37)
_MUTED = RGBColor(0x6B, 0x72, 0x80)
_ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
_HEADER_FILL = RGBColor(0x37, 0x41, 0x51)
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
_ZEBRA = RGBColor(0xF3, 0xF4, 0xF6)
_RULE = RGBColor(0xD1, 0xD5, 0xDB)

# 16:9 at PowerPoint's default widescreen size.
_SLIDE_W = Emu(12_192_000)
_SLIDE_H = Emu(6_858_000)
_MARGIN = Inches(0.5)
_CONTENT_W = Emu(_SLIDE_W - 2 * _MARGIN)
_FOOTER_TOP = Inches(7.0)
_BLANK_LAYOUT = 6

# Word-processing estimates: Calibri's average advance is about half its size, and a line
# is about 1.2 times the size high. Generous on purpose: cutting a little early beats
# running off the slide.
_ADVANCE = 0.5
_LEADING = 1.2

_LANGUAGE_TAGS = {"en": "en-GB", "nl": "nl-NL"}

# Element names, looked up once: qn() showed up in profiles at tens of thousands of calls.
_A_RPR = qn("a:rPr")
_A_T = qn("a:t")
_A_SOLID_FILL = qn("a:solidFill")
_A_SRGB = qn("a:srgbClr")
_A_LATIN = qn("a:latin")
_A_CS = qn("a:cs")
_A_END_PARA = qn("a:endParaRPr")
_CELL_MARGIN_X = str(Inches(0.05))
_CELL_MARGIN_Y = str(Inches(0.02))
_ALIGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r"}


def report_pptx(report: ConsolidatedReport, progress: Progress | None = None) -> bytes:
    """Render ``report`` as PPTX bytes: title, overview(s), messages, chart, projects.

    ``progress(done, total)`` is called after each project's slide.
    """
    deck = _Deck(report)
    deck.title_slide()
    deck.overview_slides()
    deck.messages_slide()
    if outline.shows_distribution(report):
        deck.distribution_slide()
    total = len(report.projects)
    for done, project in enumerate(report.projects, start=1):
        deck.project_slide(project)
        if progress is not None:
            progress(done, total)
    return deck.save()


# --------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class _Para:
    """One paragraph of a text box: formatted runs and how it is listed."""

    runs: tuple[markup.Run, ...]
    kind: str = "paragraph"  # "paragraph", "heading", "bullet" or "number"
    start: int = 1

    @property
    def length(self) -> int:
        return sum(len(run.text) for run in self.runs)


def _paragraphs(text: str) -> list[_Para]:
    """Markup as slide paragraphs: one per line, one per list item, headings in bold."""
    paras: list[_Para] = []
    for block in markup.parse(text):
        if block.kind in ("paragraph", "heading"):
            kind = "heading" if block.kind == "heading" else "paragraph"
            paras.extend(_Para(tuple(line), kind) for line in block.lines)
        else:
            kind = "bullet" if block.kind == "bullet_list" else "number"
            for item in block.items:
                runs: list[markup.Run] = []
                for index, line in enumerate(item):
                    if index:
                        runs.append(markup.Run(" "))
                    runs.extend(line)
                paras.append(_Para(tuple(runs), kind, block.start))
    return paras


def _fit(paras: Sequence[_Para], max_lines: int, chars_per_line: int) -> list[_Para]:
    """Keep the paragraphs that fit ``max_lines``; cut the first that does not with "…"."""
    kept: list[_Para] = []
    used = 0
    for para in paras:
        width = chars_per_line - (4 if para.kind in ("bullet", "number") else 0)
        needed = outline.lines_needed(_plain(para.runs), width)
        if used + needed <= max_lines:
            kept.append(para)
            used += needed
            continue
        room = max_lines - used
        if room > 0:
            kept.append(replace(para, runs=_cut(para.runs, room * width - 1)))
        elif kept:
            last = kept[-1]
            kept[-1] = replace(last, runs=_cut(last.runs, max(last.length - 1, 0)))
        break
    return kept


def _cut(runs: Sequence[markup.Run], limit: int) -> tuple[markup.Run, ...]:
    """The runs shortened to ``limit`` characters (at a word if one is near), plus "…"."""
    text = outline.truncate(_plain(runs), limit + 1)
    if not text.endswith(outline.ELLIPSIS):
        text += outline.ELLIPSIS
    keep = len(text) - 1
    cut: list[markup.Run] = []
    for run in runs:
        if keep <= 0:
            break
        cut.append(replace(run, text=run.text[:keep]))
        keep -= len(run.text)
    if cut:
        cut[-1] = replace(cut[-1], text=cut[-1].text.rstrip() + outline.ELLIPSIS)
    else:
        cut.append(markup.Run(outline.ELLIPSIS))
    return tuple(cut)


def _plain(runs: Sequence[markup.Run]) -> str:
    return "".join(run.text for run in runs)


def _chars_per_line(width: Length, size: float) -> int:
    """Roughly how many characters of ``size`` points fit a line ``width`` wide."""
    return max(8, int(width / 12_700 / (size * _ADVANCE)))


def _lines_in(height: Length, size: float) -> int:
    """Roughly how many lines of ``size`` points fit ``height``."""
    return max(1, int(height / 12_700 / (size * _LEADING)))


# --------------------------------------------------------------------------- the deck


class _Deck:
    """The presentation being built, with the report and its house style at hand."""

    def __init__(self, report: ConsolidatedReport) -> None:
        self.report = report
        self.labels: ReportLabels = report.labels
        self.language_tag = _LANGUAGE_TAGS.get(report.language, "en-GB")
        self.prs: PresentationType = Presentation()
        self.prs.slide_width = _SLIDE_W
        self.prs.slide_height = _SLIDE_H
        properties = self.prs.core_properties
        properties.title = outline.line(report.title)[:255]
        properties.subject = outline.line(report.scope)[:255]
        properties.author = outline.line(report.organisation)[:255]
        properties.last_modified_by = "Schakel"
        properties.keywords = ""
        properties.comments = ""
        properties.category = ""
        if report.generated_at is not None:
            properties.created = report.generated_at.replace(tzinfo=None)
            properties.modified = report.generated_at.replace(tzinfo=None)

    def save(self) -> bytes:
        output = io.BytesIO()
        self.prs.save(output)
        return output.getvalue()

    # ------------------------------------------------------------------ slide frame

    def new_slide(self, title: str, subtitle: str = "", title_width: Length = _CONTENT_W) -> Slide:
        """A blank slide with the house frame: accent bar, title, footer, slide number.

        ``title_width`` leaves room beside the title (the project slides' overall colour);
        the title is cut to what fits on one line of it.
        """
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[_BLANK_LAYOUT])
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, _SLIDE_W, Inches(0.12))
        _plain_shape(bar, _ACCENT)
        if title:
            box = self.text_box(slide, _MARGIN, Inches(0.3), title_width, Inches(0.6))
            limit = _chars_per_line(title_width, 26 * 1.1)  # bold runs wider
            self.add_run(box.paragraphs[0], outline.truncate(title, limit), size=26, bold=True)
            box.vertical_anchor = MSO_ANCHOR.MIDDLE
        if subtitle:
            box = self.text_box(slide, _MARGIN, Inches(0.9), title_width, Inches(0.35))
            limit = _chars_per_line(title_width, 13)
            self.add_run(
                box.paragraphs[0], outline.truncate(subtitle, limit), size=13, colour=_MUTED
            )
        self.footer(slide)
        return slide

    def footer(self, slide: Slide) -> None:
        rule = slide.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT,
            _MARGIN,
            Emu(_FOOTER_TOP - Inches(0.06)),
            Emu(_SLIDE_W - _MARGIN),
            Emu(_FOOTER_TOP - Inches(0.06)),
        )
        _unstyled(rule)
        rule.line.color.rgb = _RULE
        rule.line.width = Pt(0.75)
        width = Emu(_CONTENT_W - Inches(1.0))
        left = self.text_box(slide, _MARGIN, _FOOTER_TOP, width, Inches(0.3))
        footer = " · ".join(
            part
            for part in (
                outline.line(self.report.organisation),
                outline.line(self.report.period_label),
            )
            if part
        )
        self.add_run(left.paragraphs[0], outline.truncate(footer, 120), size=9, colour=_MUTED)
        right = self.text_box(
            slide, Emu(_SLIDE_W - _MARGIN - Inches(1.0)), _FOOTER_TOP, Inches(1.0), Inches(0.3)
        )
        paragraph = right.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        _slide_number(paragraph, len(self.prs.slides), self.report.language)

    def text_box(
        self, slide: Slide, left: Length, top: Length, width: Length, height: Length
    ) -> TextFrame:
        shape = slide.shapes.add_textbox(left, top, width, height)
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = Inches(0.04)
        frame.margin_top = frame.margin_bottom = Inches(0.02)
        return frame

    def add_run(
        self,
        paragraph: _Paragraph,
        text: str,
        *,
        size: float,
        bold: bool = False,
        italic: bool = False,
        colour: RGBColor = _INK,
        font: str = _FONT,
        url: str = "",
    ) -> None:
        # Built with lxml rather than python-pptx's property setters: a 200-project deck
        # has some 25,000 runs, and the setters made up most of its rendering time.
        run = OxmlElement("a:r")
        properties = etree.SubElement(
            run,
            _A_RPR,
            {
                "lang": self.language_tag,
                "sz": str(round(size * 100)),
                "b": "1" if bold else "0",
                "i": "1" if italic else "0",
            },
        )
        fill = etree.SubElement(properties, _A_SOLID_FILL)
        etree.SubElement(fill, _A_SRGB, {"val": str(colour)})
        etree.SubElement(properties, _A_LATIN, {"typeface": font})
        etree.SubElement(properties, _A_CS, {"typeface": font})
        etree.SubElement(run, _A_T).text = clean_text(text)
        end = paragraph._p.find(_A_END_PARA)
        if end is not None:
            end.addprevious(run)
        else:
            paragraph._p.append(run)
        if url:
            _Run(cast(CT_RegularTextRun, run), paragraph).hyperlink.address = url

    def write(
        self, frame: TextFrame, paras: Sequence[_Para], *, size: float, first: bool = True
    ) -> None:
        """Write paragraphs into ``frame``, the first into its existing empty paragraph."""
        for index, para in enumerate(paras):
            paragraph = frame.paragraphs[0] if first and index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(2)
            if para.kind == "bullet":
                _bullet(paragraph, size)
            elif para.kind == "number":
                _numbered(paragraph, para.start, size)
            for run in para.runs:
                self.add_run(
                    paragraph,
                    run.text,
                    size=size,
                    bold=run.bold or para.kind == "heading",
                    italic=run.italic,
                    font=_CODE_FONT if run.code else _FONT,
                    url=run.url,
                )

    def section(
        self,
        slide: Slide,
        heading: str,
        body: str,
        box: tuple[Length, Length, Length, Length],
        *,
        size: float = 10,
    ) -> None:
        """A heading and the markup ``body`` under it, cut to fit the box."""
        left, top, width, height = box
        frame = self.text_box(slide, left, top, width, height)
        self.add_run(
            frame.paragraphs[0],
            outline.truncate(heading, 60),
            size=size + 1.5,
            bold=True,
            colour=_ACCENT,
        )
        frame.paragraphs[0].space_after = Pt(3)
        paras = _paragraphs(body) or [_Para((markup.Run(outline.line(self.labels.none)),))]
        inner = Emu(width - Inches(0.08))
        lines = _lines_in(Emu(height - Inches(0.1) - Pt((size + 1.5) * _LEADING + 3)), size)
        self.write(frame, _fit(paras, lines, _chars_per_line(inner, size)), size=size, first=False)

    # ------------------------------------------------------------------ tables

    def table(
        self,
        slide: Slide,
        rows: int,
        widths: Sequence[Length],
        left: Length,
        top: Length,
        row_height: Length,
        header_height: Length | None = None,
    ) -> Table:
        width = Emu(sum(widths))
        height = Emu((header_height or row_height) + row_height * (rows - 1))
        frame = slide.shapes.add_table(rows, len(widths), left, top, width, height)
        table = frame.table
        table.first_row = True
        table.horz_banding = False
        for index, column_width in enumerate(widths):
            table.columns[index].width = Emu(column_width)
        for index, row in enumerate(table.rows):
            row.height = Emu(header_height if index == 0 and header_height else row_height)
        return table

    def cell(
        self,
        cell: _Cell,
        text: str,
        *,
        size: float,
        fill: RGBColor | None = _WHITE,
        colour: RGBColor = _INK,
        bold: bool = False,
        align: PP_ALIGN = PP_ALIGN.LEFT,
    ) -> _Paragraph:
        # Margins, anchor and fill written straight into a:tcPr, for the reason in add_run.
        properties = cell._tc.get_or_add_tcPr()
        properties.set("marL", _CELL_MARGIN_X)
        properties.set("marR", _CELL_MARGIN_X)
        properties.set("marT", _CELL_MARGIN_Y)
        properties.set("marB", _CELL_MARGIN_Y)
        properties.set("anchor", "ctr")
        if fill is not None:
            for old in properties.findall(_A_SOLID_FILL):
                properties.remove(old)
            solid = etree.SubElement(properties, _A_SOLID_FILL)
            etree.SubElement(solid, _A_SRGB, {"val": str(fill)})
        paragraph = cell.text_frame.paragraphs[0]
        paragraph._p.get_or_add_pPr().set("algn", _ALIGN[align])
        if text:
            self.add_run(paragraph, text, size=size, bold=bold, colour=colour)
        return paragraph

    def header_cells(self, table: Table, headers: Sequence[str], size: float) -> None:
        for index, header in enumerate(headers):
            self.cell(
                table.cell(0, index),
                header,
                size=size,
                fill=_HEADER_FILL,
                colour=_WHITE,
                bold=True,
            )

    def rag_cell(self, cell: _Cell, style: RagStyle, text: str, size: float) -> None:
        """A cell filled with a RAG colour, its text in the colour's ink, centred."""
        self.cell(
            cell,
            text or style.mark,
            size=size,
            fill=RGBColor(*rgb(style.fill)),
            colour=RGBColor(*rgb(style.ink)),
            bold=True,
            align=PP_ALIGN.CENTER,
        )

    # ------------------------------------------------------------------ slides

    def title_slide(self) -> None:
        report = self.report
        slide = self.new_slide("")
        logo = _logo_box(report.logo_png)
        if logo is not None:
            width, height = logo
            # A logo whose header reads as a PNG but whose body is broken is left out:
            # a bad upload must not cost the board its deck. (Pillow says SyntaxError.)
            with contextlib.suppress(OSError, ValueError, SyntaxError):
                slide.shapes.add_picture(
                    io.BytesIO(report.logo_png or b""),
                    Emu(_SLIDE_W - _MARGIN - width),
                    Inches(0.5),
                    width,
                    height,
                )
        top = Inches(2.0)
        box = self.text_box(slide, _MARGIN, top, Inches(10), Inches(0.45))
        self.add_run(
            box.paragraphs[0],
            outline.truncate(outline.line(report.organisation), 90),
            size=16,
            bold=True,
            colour=_ACCENT,
        )
        box = self.text_box(slide, _MARGIN, Inches(2.5), _CONTENT_W, Inches(1.5))
        box.vertical_anchor = MSO_ANCHOR.TOP
        self.add_run(
            box.paragraphs[0], outline.truncate(outline.line(report.title), 100), size=36, bold=True
        )
        # Three bars in the RAG colours: the report's signature, drawn as shapes.
        for index, style in enumerate(RAG_ORDER[:3]):
            bar = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE,
                Emu(_MARGIN + Inches(0.55) * index),
                Inches(4.15),
                Inches(0.5),
                Inches(0.08),
            )
            _plain_shape(bar, RGBColor(*rgb(style.fill)))
        box = self.text_box(slide, _MARGIN, Inches(4.4), _CONTENT_W, Inches(1.2))
        self.add_run(box.paragraphs[0], outline.truncate(outline.line(report.scope), 120), size=20)
        paragraph = box.add_paragraph()
        self.add_run(
            paragraph,
            outline.truncate(outline.line(report.period_label), 80),
            size=20,
            colour=_MUTED,
        )
        paragraph = box.add_paragraph()
        self.add_run(paragraph, outline.period_dates(report), size=12, colour=_MUTED)
        if report.generated_at is not None:
            paragraph = box.add_paragraph()
            generated = format_long_date(report.generated_at.date(), report.language)
            self.add_run(
                paragraph,
                f"{outline.line(self.labels.generated)}: {generated}",
                size=12,
                colour=_MUTED,
            )

    def overview_slides(self) -> None:
        projects = self.report.projects
        pages = max(1, math.ceil(len(projects) / ROWS_PER_SLIDE))
        for page in range(pages):
            chunk = projects[page * ROWS_PER_SLIDE : (page + 1) * ROWS_PER_SLIDE]
            title = outline.line(self.labels.overview)
            if pages > 1:
                title = f"{title} ({page + 1}/{pages})"
            subtitle = " · ".join(
                part
                for part in (
                    outline.line(self.report.scope),
                    outline.line(self.report.period_label),
                )
                if part
            )
            self.overview_slide(self.new_slide(title, subtitle), chunk)

    def overview_slide(self, slide: Slide, projects: Sequence[ProjectReport]) -> None:
        labels = self.labels
        dimensions = self.report.dimensions
        project_w, manager_w, overall_w = Inches(3.5), Inches(2.0), Inches(1.0)
        rest = _CONTENT_W - project_w - manager_w - overall_w
        dimension_w = Emu(int(rest / max(len(dimensions), 1)))
        widths = [project_w, manager_w, overall_w] + [dimension_w] * len(dimensions)
        size = 11 if len(dimensions) <= 8 else 9
        table = self.table(
            slide,
            len(projects) + 1,
            widths,
            _MARGIN,
            Inches(1.4),
            Inches(0.36),
            header_height=Inches(0.5),
        )
        headers = [
            outline.line(labels.project),
            outline.line(labels.manager),
            outline.line(labels.overall),
            *(outline.line(dimension.label) for dimension in dimensions),
        ]
        # Dimension names are single words mostly: shrink the header until the longest fits
        # (headers are bold, a good tenth wider than the estimate for regular text).
        header_size = float(size - 1)
        longest = max((len(word) for header in headers[2:] for word in header.split()), default=0)
        while (
            header_size > 7.5
            and _chars_per_line(Emu(dimension_w - Inches(0.1)), header_size * 1.15) < longest
        ):
            header_size -= 0.5
        self.header_cells(table, [outline.truncate(header, 24) for header in headers], header_size)
        project_chars = _chars_per_line(project_w, size) - 1
        manager_chars = _chars_per_line(manager_w, size) - 1
        for row, project in enumerate(projects, start=1):
            fill = _ZEBRA if row % 2 == 0 else _WHITE
            paragraph = self.cell(table.cell(row, 0), "", size=size, fill=fill)
            key, name = outline.line(project.key), outline.line(project.name)
            if key:
                self.add_run(paragraph, key + " ", size=size, bold=True)
            self.add_run(
                paragraph, outline.truncate(name, max(project_chars - len(key) - 1, 8)), size=size
            )
            self.cell(
                table.cell(row, 1),
                outline.truncate(outline.line(project.manager), manager_chars),
                size=size,
                fill=fill,
            )
            if not outline.is_reported(project):
                first, last = table.cell(row, 2), table.cell(row, len(widths) - 1)
                if last is not first:
                    first.merge(last)
                self.cell(
                    first,
                    outline.line(labels.not_reported),
                    size=size,
                    fill=RGBColor(*rgb(MISSING.fill)),
                    colour=RGBColor(*rgb(MISSING.ink)),
                    align=PP_ALIGN.CENTER,
                )
                continue
            ratings = [project.overall] + [
                rating for _, _, rating in outline.dimension_ratings(self.report, project)
            ]
            for column, rating in enumerate(ratings, start=2):
                self.rag_cell(
                    table.cell(row, column), rag_style(rating.rag), arrow(rating.trend), size + 1
                )
        top = Emu(Inches(1.4) + Inches(0.5) + Inches(0.36) * len(projects) + Inches(0.15))
        self.legend(slide, top)

    def legend(self, slide: Slide, top: Length) -> None:
        """The colours and arrows explained, in one line of native text."""
        frame = self.text_box(slide, _MARGIN, top, _CONTENT_W, Inches(0.3))
        paragraph = frame.paragraphs[0]
        for style in RAG_ORDER:
            self.add_run(paragraph, "■ ", size=12, colour=RGBColor(*rgb(style.fill)))
            self.add_run(
                paragraph,
                outline.line(rag_label(style.key, self.labels)) + "     ",
                size=9,
                colour=_MUTED,
            )
        for trend in ("better", "worse", "same"):
            self.add_run(
                paragraph,
                f"{arrow(trend)} {outline.line(trend_label(trend, self.labels))}     ",
                size=9,
                colour=_MUTED,
            )

    def messages_slide(self) -> None:
        labels = self.labels
        slide = self.new_slide(
            outline.line(labels.key_messages),
            " · ".join(
                part
                for part in (
                    outline.line(self.report.scope),
                    outline.line(self.report.period_label),
                )
                if part
            ),
        )
        top, height = Inches(1.45), Inches(5.35)
        half = Emu(int((_CONTENT_W - Inches(0.4)) / 2))
        # The slide's title names the key messages; they start right under it.
        size = 13
        frame = self.text_box(slide, _MARGIN, top, half, height)
        paras = _paragraphs(self.report.key_messages) or [
            _Para((markup.Run(outline.line(labels.none)),))
        ]
        lines = _lines_in(Emu(height - Inches(0.1)), size)
        chars = _chars_per_line(Emu(half - Inches(0.08)), size)
        self.write(frame, _fit(paras, lines, chars), size=size)

        left = Emu(_MARGIN + half + Inches(0.4))
        frame = self.text_box(slide, left, top, half, height)
        self.add_run(
            frame.paragraphs[0],
            outline.line(labels.escalations),
            size=13.5,
            bold=True,
            colour=_ACCENT,
        )
        frame.paragraphs[0].space_after = Pt(3)
        size = 11
        escalating = outline.escalating_projects(self.report)
        if not escalating:
            self.add_run(frame.add_paragraph(), outline.line(labels.none), size=size)
            return
        budget = _lines_in(Emu(height - Inches(0.45)), size)
        width = _chars_per_line(Emu(half - Inches(0.08)), size) - 4
        shown = 0
        for project, escalation in escalating:
            heading = outline.project_heading(project)
            flat = " ".join(outline.line(escalation).split())
            body = outline.truncate(flat, max(width * 3 - len(heading) - 2, 20))
            needed = outline.lines_needed(f"{heading}: {body}", width)
            remaining = len(escalating) - shown
            # Keep a line free for "…and N more" unless this is the last one.
            if needed > budget - (1 if remaining > 1 else 0):
                break
            paragraph = frame.add_paragraph()
            paragraph.space_after = Pt(4)
            _bullet(paragraph, size)
            self.add_run(paragraph, f"{heading}: ", size=size, bold=True)
            self.add_run(paragraph, body, size=size)
            budget -= needed
            shown += 1
        if shown < len(escalating):
            more = outline.line(labels.more).replace("{count}", str(len(escalating) - shown))
            self.add_run(frame.add_paragraph(), more, size=size, italic=True, colour=_MUTED)

    def distribution_slide(self) -> None:
        labels = self.labels
        slide = self.new_slide(outline.line(labels.distribution), outline.line(self.report.scope))
        data = CategoryChartData()
        data.categories = [outline.line(period.label) for period in self.report.distribution]
        fields = ("green", "amber", "red", "missing")
        for style, field_name in zip(RAG_ORDER, fields, strict=True):
            data.add_series(
                outline.line(rag_label(style.key, labels)),
                [int(getattr(period, field_name)) for period in self.report.distribution],
            )
        # python-pptx annotates add_chart as taking ChartData and returning the Chart; it
        # takes any chart data and returns the GraphicFrame holding the chart.
        frame = cast(
            GraphicFrame,
            slide.shapes.add_chart(
                XL_CHART_TYPE.COLUMN_STACKED,
                _MARGIN,
                Inches(1.4),
                _CONTENT_W,
                Inches(5.4),
                data,  # type: ignore[arg-type]
            ),
        )
        chart = frame.chart
        chart.font.name = _FONT
        chart.font.size = Pt(11)
        chart.font.color.rgb = _INK
        chart.has_legend = True
        assert chart.legend is not None
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.overlap = 100
        for series, style in zip(plot.series, RAG_ORDER, strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor(*rgb(style.fill))
            labels_ = series.data_labels
            labels_.show_value = True
            # Zero hides its label: an empty segment should not print a "0".
            labels_.number_format = "0;-0;;"
            labels_.number_format_is_linked = False
            labels_.font.size = Pt(10)
            labels_.font.bold = True
            labels_.font.color.rgb = RGBColor(*rgb(style.ink))
        value_axis = chart.value_axis
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = _RULE
        # Whole projects: a round step and no decimals on the axis.
        highest = max((_period_total(period) for period in self.report.distribution), default=0)
        value_axis.major_unit = axis_ticks(highest)[0]
        value_axis.tick_labels.number_format = "0"
        value_axis.tick_labels.number_format_is_linked = False
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = outline.line(labels.projects)
        category_axis = chart.category_axis
        category_axis.has_title = True
        category_axis.axis_title.text_frame.text = outline.line(labels.period)

    def project_slide(self, project: ProjectReport) -> None:
        labels = self.labels
        details = [
            f"{outline.line(labels.manager)}: {outline.line(project.manager)}"
            if outline.line(project.manager)
            else "",
            f"{outline.line(labels.state)}: {outline.line(project.state)}"
            if outline.line(project.state)
            else "",
        ]
        slide = self.new_slide(
            outline.project_heading(project),
            " · ".join(part for part in details if part),
            title_width=Emu(_CONTENT_W - Inches(2.8)),
        )
        # The overall colour, top right, in words as well as colour.
        overall = rag_style(project.overall.rag)
        chip = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            Emu(_SLIDE_W - _MARGIN - Inches(2.6)),
            Inches(0.35),
            Inches(2.6),
            Inches(0.75),
        )
        _plain_shape(chip, RGBColor(*rgb(overall.fill)))
        frame = chip.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        words = rag_label(project.overall.rag, labels)
        mark = arrow(project.overall.trend)
        self.add_run(
            paragraph,
            f"{outline.line(labels.overall)}: {outline.line(words)}{' ' + mark if mark else ''}",
            size=15,
            bold=True,
            colour=RGBColor(*rgb(overall.ink)),
        )

        column_left = Emu(_MARGIN + Inches(6.35))
        column_w = Emu(_SLIDE_W - _MARGIN - column_left)
        bottom = Inches(5.25)
        milestones = outline.milestone_table(project.milestones, labels, self.report.language)
        self.small_table(
            slide, outline.line(labels.milestones), milestones, _MARGIN, bottom, Inches(6.1)
        )
        risks = outline.register_table(project.risks, labels, self.report.language)
        self.small_table(slide, outline.line(labels.risks), risks, column_left, bottom, column_w)
        if not outline.is_reported(project):
            self.missing_panel(slide, project)
            return

        self.ratings_table(slide, project)
        box_w = Emu(int((column_w - Inches(0.2)) / 2))
        box_h = Inches(1.8)
        top = Inches(1.4)
        sections = (
            (labels.summary, project.summary),
            (labels.achievements, project.achievements),
            (labels.next_period, project.next_period),
            (labels.escalations, project.escalations),
        )
        for index, (heading, body) in enumerate(sections):
            left = Emu(column_left + (box_w + Inches(0.2)) * (index % 2))
            box_top = Emu(top + (box_h + Inches(0.05)) * (index // 2))
            self.section(
                slide, outline.line(heading), body, (left, box_top, box_w, box_h), size=9.5
            )

    def missing_panel(self, slide: Slide, project: ProjectReport) -> None:
        """In place of ratings and texts: a grey panel saying that no report came in."""
        panel = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, _MARGIN, Inches(1.4), _CONTENT_W, Inches(1.4)
        )
        _plain_shape(panel, RGBColor(*rgb(MISSING.fill)))
        frame = panel.text_frame
        frame.word_wrap = True
        frame.margin_left = Inches(0.3)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        self.add_run(paragraph, outline.line(self.labels.missing_reports), size=20, bold=True)
        history = project.trend.get("overall", [])[-6:]
        if history:
            paragraph = frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT
            self.add_run(
                paragraph,
                f"{outline.line(self.labels.overall)} · {outline.line(self.labels.trend)}:  ",
                size=12,
                colour=_MUTED,
            )
            for colour in history:
                style = rag_style(colour)
                self.add_run(paragraph, "■", size=16, colour=RGBColor(*rgb(style.fill)))

    def ratings_table(self, slide: Slide, project: ProjectReport) -> None:
        labels = self.labels
        rows = [("overall", outline.line(labels.overall), project.overall)]
        rows += outline.dimension_ratings(self.report, project)
        widths = [Inches(1.45), Inches(1.05), Inches(0.95), Inches(2.65)]
        available = Inches(5.05) - Inches(1.4) - Inches(0.32)
        row_h = Emu(min(Inches(0.42), int(available / max(len(rows), 1))))
        size = 9.5 if row_h >= Inches(0.36) else 8
        table = self.table(slide, len(rows) + 1, widths, _MARGIN, Inches(1.4), row_h, Inches(0.32))
        self.header_cells(
            table,
            [
                outline.line(labels.dimension),
                outline.line(labels.colour),
                outline.line(labels.trend),
                outline.line(labels.reason),
            ],
            9,
        )
        reason_chars = _chars_per_line(Emu(widths[3] - Inches(0.1)), size) * max(
            _lines_in(row_h, size), 1
        )
        for index, (key, label, rating) in enumerate(rows, start=1):
            fill = _ZEBRA if index % 2 == 0 else _WHITE
            self.cell(
                table.cell(index, 0),
                outline.truncate(label, 22),
                size=size,
                fill=fill,
                bold=key == "overall",
            )
            style = rag_style(rating.rag)
            mark = arrow(rating.trend)
            words = outline.line(rag_label(style.key, labels)) if style.key else ""
            self.rag_cell(table.cell(index, 1), style, f"{words} {mark}".strip(), size)
            # The trend strip as coloured squares: native text, editable like the rest.
            paragraph = self.cell(table.cell(index, 2), "", size=size, fill=fill)
            for colour in project.trend.get(key, [])[-6:]:
                trend_style = rag_style(colour)
                self.add_run(paragraph, "■", size=size + 1, colour=RGBColor(*rgb(trend_style.fill)))
            reason = " ".join(outline.line(rating.reason).split())
            self.cell(
                table.cell(index, 3),
                outline.truncate(reason, reason_chars),
                size=size - 0.5,
                fill=fill,
            )

    def small_table(
        self,
        slide: Slide,
        caption: str,
        data: outline.RegisterTable,
        left: Length,
        top: Length,
        width: Length,
    ) -> None:
        """A caption and the first rows of a register table, the title column widest."""
        frame = self.text_box(slide, left, top, width, Inches(0.28))
        self.add_run(frame.paragraphs[0], caption, size=11, bold=True, colour=_ACCENT)
        rows = data.rows[:3]
        if not rows:
            frame = self.text_box(slide, left, Emu(top + Inches(0.3)), width, Inches(0.28))
            self.add_run(frame.paragraphs[0], outline.line(self.labels.none), size=9, colour=_MUTED)
            return
        narrow = {
            "ref": Inches(0.95),
            "owner": Inches(1.25),
            "due": Inches(0.95),
            "score": Inches(0.6),
            "status": Inches(0.95),
            "baseline": Inches(1.0),
            "forecast": Inches(1.0),
            "done": Inches(0.6),
        }
        fixed = sum(narrow[name] for name in data.fields if name != "title")
        widths = [
            Emu(narrow[name]) if name != "title" else Emu(max(width - fixed, Inches(1.5)))
            for name in data.fields
        ]
        table = self.table(
            slide, len(rows) + 1, widths, left, Emu(top + Inches(0.3)), Inches(0.3), Inches(0.28)
        )
        self.header_cells(table, list(data.headers), 8.5)
        for index, row in enumerate(rows, start=1):
            fill = _ZEBRA if index % 2 == 0 else _WHITE
            for column, (name, value) in enumerate(zip(data.fields, row, strict=True)):
                limit = _chars_per_line(Emu(widths[column] - Inches(0.1)), 8.5)
                self.cell(
                    table.cell(index, column),
                    outline.truncate(value, limit),
                    size=8.5,
                    fill=fill,
                    align=PP_ALIGN.CENTER if name in ("score", "done") else PP_ALIGN.LEFT,
                )


# --------------------------------------------------------------------------- helpers


def _plain_shape(shape: Shape, fill: RGBColor) -> None:
    """Fill an autoshape with one colour and no outline or shadow."""
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    shape.line.fill.background()
    _unstyled(shape)


def _unstyled(shape: Shape | Connector) -> None:
    """Drop the theme style python-pptx gives new shapes.

    The style adds a shadow and theme colours; PowerPoint hides the shadow when told to,
    LibreOffice still draws it. Every colour is set explicitly, so nothing is lost.
    """
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _period_total(period: PeriodCount) -> int:
    return int(period.green) + int(period.amber) + int(period.red) + int(period.missing)


def _logo_box(png: bytes | None) -> tuple[Length, Length] | None:
    """The logo's size on the title slide (at most 2.6 × 1.1 inch), or None without one."""
    size = outline.png_size(png)
    if size is None:
        return None
    width, height = size
    scale = min(Inches(2.6) / width, Inches(1.1) / height)
    return Emu(int(width * scale)), Emu(int(height * scale))


def _bullet(paragraph: _Paragraph, size: float) -> None:
    """Make ``paragraph`` a bulleted list item with a hanging indent."""
    properties = paragraph._p.get_or_add_pPr()
    indent = int(Pt(size * 1.3))
    properties.set("marL", str(indent))
    properties.set("indent", str(-indent))
    font = etree.SubElement(properties, qn("a:buFont"))
    font.set("typeface", "Arial")
    char = etree.SubElement(properties, qn("a:buChar"))
    char.set("char", "•")


def _numbered(paragraph: _Paragraph, start: int, size: float) -> None:
    """Make ``paragraph`` a numbered list item; PowerPoint counts on from ``start``."""
    properties = paragraph._p.get_or_add_pPr()
    indent = int(Pt(size * 1.8))
    properties.set("marL", str(indent))
    properties.set("indent", str(-indent))
    number = etree.SubElement(properties, qn("a:buAutoNum"))
    number.set("type", "arabicPeriod")
    number.set("startAt", str(max(1, min(start, 32767))))


def _slide_number(paragraph: _Paragraph, number: int, language: str) -> None:
    """A slide-number field: PowerPoint renumbers it when slides are moved."""
    field = OxmlElement("a:fld")
    end = paragraph._p.find(_A_END_PARA)
    if end is not None:
        end.addprevious(field)
    else:
        paragraph._p.append(field)
    field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field.set("type", "slidenum")
    properties = etree.SubElement(field, qn("a:rPr"))
    properties.set("lang", "nl-NL" if language == "nl" else "en-GB")
    properties.set("sz", "900")
    fill = etree.SubElement(properties, qn("a:solidFill"))
    colour = etree.SubElement(fill, qn("a:srgbClr"))
    colour.set("val", str(_MUTED))
    latin = etree.SubElement(properties, qn("a:latin"))
    latin.set("typeface", _FONT)
    text = etree.SubElement(field, qn("a:t"))
    text.text = str(number)
