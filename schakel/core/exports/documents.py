"""Plain data that the minutes (and later the reports) are rendered from.

The meetings app turns a published meeting into a `Minutes` value: strings, dates and lists,
already translated and already limited to what the reader may see. The renderers in
`docx.py` and `pdf.py` turn it into bytes; they never see a model or a request. Text fields
hold what users typed (plain text with a small Markdown subset in `notes`): each renderer
escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class MinutesLabels:
    """Every fixed word the documents print, translated by the caller."""

    minutes: str = "Minutes"
    date: str = "Date"
    time: str = "Time"
    location: str = "Location"
    online: str = "Online"
    chair: str = "Chair"
    minute_taker: str = "Minutes"
    attendance: str = "Attendance"
    present: str = "Present"
    absent: str = "Absent"
    excused: str = "Excused"
    guests: str = "Guests"
    agenda_item: str = "Agenda item"
    presenter: str = "Presenter"
    notes: str = "Notes"
    decisions: str = "Decisions"
    actions: str = "Actions"
    risks: str = "Risks"
    issues: str = "Issues"
    ref: str = "Ref."
    title: str = "Title"
    owner: str = "Owner"
    due: str = "Due"
    status: str = "Status"
    action_list: str = "Action list"
    decision_list: str = "Decision list"
    version: str = "Version"
    published: str = "Published"
    page: str = "Page"
    none: str = "None"
    summary: str = "Summary"
    # The PDF footer (and the Word footer): {page} and {pages} are replaced by the numbers.
    page_of: str = "Page {page} of {pages}"


@dataclass(frozen=True)
class Outcome:
    """A register item captured during the meeting (or reviewed in it)."""

    kind: str  # "action", "decision", "risk" or "issue"
    ref: str  # the reference code people say aloud: ODI-A34
    title: str
    owner: str = ""
    due: date | None = None
    status: str = ""  # already translated
    detail: str = ""  # e.g. a decision's rationale; plain text


@dataclass(frozen=True)
class MinutesItem:
    number: str  # "1", "2", ...
    title: str
    presenter: str = ""
    notes: str = ""  # plain text with a small Markdown subset (see `markup.py`)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass(frozen=True)
class Attendance:
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Minutes:
    organisation: str  # printed in the header of every page
    title: str  # the meeting's title
    forum: str  # the series, e.g. "Steering committee Support services"
    scope: str  # the project, programme or portfolio
    start: datetime  # local wall-clock time, as the reader expects to see it
    end: datetime
    location: str = ""
    online_url: str = ""
    chair: str = ""
    minute_taker: str = ""
    attendance: Attendance = field(default_factory=Attendance)
    summary: str = ""  # same markup as notes
    items: list[MinutesItem] = field(default_factory=list)
    version: int = 1
    published_at: datetime | None = None
    language: str = "en"  # "en" or "nl": the document's language tag and date format
    labels: MinutesLabels = field(default_factory=MinutesLabels)
