"""What the minutes documents show, decided once for the Word and the PDF writer.

Both writers walk the same outline (title block, attendance, summary, items with their
outcomes, action list, decision list); the choices of which rows appear, in which order
and how dates read live here so the two formats cannot drift apart. Every string that
leaves this module is already stripped of characters XML cannot hold; escaping for the
target format remains the writer's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from schakel.core.exports._text import (
    PagePart,
    format_day,
    format_meeting_time,
    format_short_date,
    is_safe_url,
    multi_line,
    single_line,
    split_page_label,
)
from schakel.core.exports.documents import Minutes, MinutesItem, Outcome

# The order outcome groups appear in under an item; other kinds are not printed.
OUTCOME_KINDS = ("decision", "action", "risk", "issue")


@dataclass(frozen=True, slots=True)
class MetaRow:
    """One line of the title block: a label, its value and, for links, a checked URL."""

    label: str
    value: str
    url: str = ""


# Shared with the progress report writers; kept under their old names for the minutes.
text = multi_line
line = single_line


def header_text(minutes: Minutes) -> str:
    """The running header: organisation and forum, whichever are present."""
    return " · ".join(part for part in (line(minutes.organisation), line(minutes.forum)) if part)


def subtitle(minutes: Minutes) -> str:
    """The line under the title: the word "Minutes", the forum and the scope."""
    parts = (line(minutes.labels.minutes), line(minutes.forum), line(minutes.scope))
    return " · ".join(part for part in parts if part)


def meta_rows(minutes: Minutes) -> list[MetaRow]:
    """The title block's label/value rows, leaving out what the meeting does not have."""
    labels = minutes.labels
    rows = [
        MetaRow(
            line(labels.date),
            format_meeting_time(minutes.start, minutes.end, minutes.language),
        )
    ]
    if location := line(minutes.location):
        rows.append(MetaRow(line(labels.location), location))
    if online := line(minutes.online_url):
        rows.append(MetaRow(line(labels.online), online, online if is_safe_url(online) else ""))
    if chair := line(minutes.chair):
        rows.append(MetaRow(line(labels.chair), chair))
    if taker := line(minutes.minute_taker):
        rows.append(MetaRow(line(labels.minute_taker), taker))
    rows.append(MetaRow(line(labels.version), str(minutes.version)))
    if minutes.published_at is not None:
        rows.append(
            MetaRow(line(labels.published), format_day(minutes.published_at, minutes.language))
        )
    return rows


def attendance_rows(minutes: Minutes) -> list[tuple[str, str]]:
    """Label and comma-separated names per attendance group; "None" for nobody present.

    Present is always shown (a meeting without attendees is worth noticing); the other
    groups only when someone is in them.
    """
    labels = minutes.labels
    attendance = minutes.attendance
    groups = (
        (labels.present, attendance.present, True),
        (labels.absent, attendance.absent, False),
        (labels.excused, attendance.excused, False),
        (labels.guests, attendance.guests, False),
    )
    rows = []
    for label, names, always in groups:
        cleaned = [name for name in (line(raw) for raw in names) if name]
        if cleaned or always:
            rows.append((line(label), ", ".join(cleaned) or line(labels.none)))
    return rows


def item_heading(item: MinutesItem) -> str:
    """ "1. Title", or just the title when the item has no number."""
    number = line(item.number).rstrip(".")
    title = line(item.title)
    return f"{number}. {title}" if number else title


def outcome_groups(item: MinutesItem) -> Iterator[tuple[str, list[Outcome]]]:
    """The item's outcomes per kind, in the fixed order, skipping empty kinds."""
    for kind in OUTCOME_KINDS:
        outcomes = [outcome for outcome in item.outcomes if outcome.kind.lower() == kind]
        if outcomes:
            yield kind, outcomes


def all_outcomes(minutes: Minutes, kind: str) -> list[Outcome]:
    """Every outcome of one kind across the items, each reference listed once.

    An action reviewed under two items is one action: the first mention wins. Outcomes
    without a reference cannot be matched and are all kept.
    """
    seen: set[str] = set()
    found = []
    for item in minutes.items:
        for outcome in item.outcomes:
            if outcome.kind.lower() != kind:
                continue
            ref = line(outcome.ref)
            if ref and ref in seen:
                continue
            seen.add(ref)
            found.append(outcome)
    return found


def group_label(minutes: Minutes, kind: str) -> str:
    labels = minutes.labels
    return line(
        {
            "decision": labels.decisions,
            "action": labels.actions,
            "risk": labels.risks,
            "issue": labels.issues,
        }[kind]
    )


def due_text(outcome: Outcome, language: str) -> str:
    return format_short_date(outcome.due, language) if outcome.due else ""


def outcome_columns(minutes: Minutes, kind: str) -> list[str]:
    """Column headers of an outcome table: actions have a due date, risks/issues a status."""
    labels = minutes.labels
    last = labels.due if kind == "action" else labels.status
    return [line(labels.ref), line(labels.title), line(labels.owner), line(last)]


def outcome_cells(outcome: Outcome, kind: str, language: str) -> list[str]:
    """The cells of one outcome row, matching `outcome_columns`."""
    last = due_text(outcome, language) if kind == "action" else line(outcome.status)
    return [line(outcome.ref), text(outcome.title), line(outcome.owner), last]


def page_parts(minutes: Minutes) -> list[tuple[PagePart, str]]:
    """Split the "Page {page} of {pages}" label into literal text and page counters.

    See `split_page_label`: a translation that lost ``{page}`` falls back to the plain
    "Page" label followed by the number.
    """
    return split_page_label(minutes.labels.page_of, minutes.labels.page)
