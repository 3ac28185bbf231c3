"""What the consolidated progress report shows, decided once for PPTX, PDF and XLSX.

The three writers walk the same outline: an overview of every project with its colour per
dimension, key messages and escalations, the distribution over the periods, then one part
per project. Which projects count as "not reported", which register columns a table gets,
how a date or a trend reads: decided here so that the formats cannot drift apart. Every
string that leaves this module is already stripped of characters XML cannot hold;
escaping for the target format remains the writer's job.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from schakel.core.exports._rag import arrow, rag_label
from schakel.core.exports._text import (
    PagePart,
    format_long_date,
    format_short_date,
    multi_line,
    single_line,
    split_page_label,
)
from schakel.core.exports.report_data import (
    ConsolidatedReport,
    Milestone,
    ProjectReport,
    Rating,
    RegisterLine,
    ReportLabels,
)

__all__ = [
    "ELLIPSIS",
    "NO_RATING",
    "RegisterTable",
    "dimension_ratings",
    "escalating_projects",
    "header_text",
    "is_reported",
    "line",
    "lines_needed",
    "milestone_table",
    "page_parts",
    "period_dates",
    "png_size",
    "project_heading",
    "rating_cell",
    "register_table",
    "shows_distribution",
    "text",
    "truncate",
]

NO_RATING = Rating("")
ELLIPSIS = "…"

# The register columns in the order they appear; a column that no line fills is left out.
_REGISTER_FIELDS = ("ref", "title", "owner", "due", "score", "status")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

text = multi_line
line = single_line


@dataclass(frozen=True, slots=True)
class RegisterTable:
    """A small table ready to print: translated headers and rows of plain strings.

    ``fields`` names what each column holds ("ref", "title", ...), so a writer can give the
    title column the room and narrow the others.
    """

    fields: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def header_text(report: ConsolidatedReport) -> str:
    """The running header: organisation · title · period, whichever are present."""
    parts = (line(report.organisation), line(report.title), line(report.period_label))
    return " · ".join(part for part in parts if part)


def period_dates(report: ConsolidatedReport) -> str:
    """The period's first and last day: "1 November 2026 – 30 November 2026"."""
    start = format_long_date(report.period_start, report.language)
    end = format_long_date(report.period_end, report.language)
    return f"{start} – {end}"


def page_parts(labels: ReportLabels) -> list[tuple[PagePart, str]]:
    """The "Page {page} of {pages}" footer as literal text and counters."""
    return split_page_label(labels.page_of, labels.page)


def project_heading(project: ProjectReport) -> str:
    """ "ODI · Office digitisation", or just the name when the project has no key."""
    key, name = line(project.key), line(project.name)
    return " · ".join(part for part in (key, name) if part)


def is_reported(project: ProjectReport) -> bool:
    """Whether the project sent a report this period: it has any colour at all.

    The app requires the overall colour of every submitted report, so a project with no
    colour anywhere has nothing to show but the fact that it did not report.
    """
    return bool(project.overall.rag) or any(rating.rag for rating in project.ratings.values())


def dimension_ratings(
    report: ConsolidatedReport, project: ProjectReport
) -> list[tuple[str, str, Rating]]:
    """Key, label and rating of every dimension of the report, in the report's order.

    A dimension the project did not rate is "not reported" rather than missing, so every
    project's rows line up in the overview.
    """
    return [
        (dimension.key, line(dimension.label), project.ratings.get(dimension.key, NO_RATING))
        for dimension in report.dimensions
    ]


def rating_cell(rating: Rating, labels: ReportLabels) -> str:
    """A rating as words for a text cell: "Amber ↓", "Green", "Not reported"."""
    word = line(rag_label(rating.rag, labels))
    mark = arrow(rating.trend)
    return f"{word} {mark}" if mark else word


def shows_distribution(report: ConsolidatedReport) -> bool:
    """The distribution chart says something only over more than one period."""
    return len(report.distribution) > 1


def escalating_projects(report: ConsolidatedReport) -> list[tuple[ProjectReport, str]]:
    """The projects that ask the board for something, with their escalation text."""
    found = []
    for project in report.projects:
        escalation = text(project.escalations)
        if escalation:
            found.append((project, escalation))
    return found


def register_table(
    lines: Sequence[RegisterLine], labels: ReportLabels, language: str
) -> RegisterTable:
    """Risks, issues, actions or decisions as a table with only the columns they fill.

    Risks have a score, actions a due date, issues a status; rather than a table per kind,
    a column is shown when any line has a value for it. Reference and title always show.
    """
    headers = {
        "ref": labels.ref,
        "title": labels.title,
        "owner": labels.owner,
        "due": labels.due,
        "score": labels.score,
        "status": labels.status,
    }
    cells = [_register_cells(entry, language) for entry in lines]
    fields = tuple(
        name
        for index, name in enumerate(_REGISTER_FIELDS)
        if name in ("ref", "title") or any(row[index] for row in cells)
    )
    keep = [_REGISTER_FIELDS.index(name) for name in fields]
    return RegisterTable(
        fields=fields,
        headers=tuple(line(headers[name]) for name in fields),
        rows=tuple(tuple(row[index] for index in keep) for row in cells),
    )


def _register_cells(entry: RegisterLine, language: str) -> tuple[str, ...]:
    return (
        line(entry.ref),
        line(entry.title),
        line(entry.owner),
        format_short_date(entry.due, language) if entry.due else "",
        "" if entry.score is None else str(entry.score),
        line(entry.status),
    )


def milestone_table(
    milestones: Sequence[Milestone], labels: ReportLabels, language: str
) -> RegisterTable:
    """Milestones with their baseline and forecast dates, and a tick when done."""
    rows = tuple(
        (
            line(milestone.title),
            format_short_date(milestone.baseline, language) if milestone.baseline else "",
            format_short_date(milestone.forecast, language) if milestone.forecast else "",
            "✓" if milestone.done else "",
        )
        for milestone in milestones
    )
    return RegisterTable(
        fields=("title", "baseline", "forecast", "done"),
        headers=(
            line(labels.title),
            line(labels.baseline),
            line(labels.forecast),
            line(labels.done),
        ),
        rows=rows,
    )


def truncate(value: str, limit: int) -> str:
    """Cut ``value`` to at most ``limit`` characters, ending in "…" when it was cut.

    Cuts at a word boundary when one is near, so a sentence does not end mid-word.
    """
    if limit <= 0:
        return ""
    if len(value) <= limit:
        return value
    cut = value[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + ELLIPSIS


def lines_needed(value: str, chars_per_line: int) -> int:
    """How many lines a paragraph takes at roughly ``chars_per_line`` characters a line."""
    return max(1, math.ceil(len(value) / max(chars_per_line, 1)))


def png_size(data: bytes | None) -> tuple[int, int] | None:
    """Width and height of a PNG from its header, or None when ``data`` is not a PNG.

    Enough to place a logo and to refuse something that is not one, without decoding it.
    """
    if not data or len(data) < 24 or not data.startswith(_PNG_SIGNATURE):
        return None
    if data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= 8_000 and 0 < height <= 8_000):
        return None
    return width, height
