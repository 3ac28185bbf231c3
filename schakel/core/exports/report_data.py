"""Plain data that progress reports are rendered from: one value feeds web, PPTX, PDF, XLSX.

The reporting app turns the highlight reports of a period (a programme's or the
portfolio's) into a `ConsolidatedReport`: strings, dates and colours, already translated and
limited to what the reader may see. The renderers (`pptx.py`, `report_pdf.py`,
`report_xlsx.py`) and the charts (`schakel/core/charts/rag.py`) turn it into bytes or SVG.
Text fields hold what users typed (plain text with the small Markdown subset of
`markup.py`); each renderer escapes it for its own format.

Colours are the strings "green", "amber", "red", or "" for not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

RAG_COLOURS = ("green", "amber", "red")

# What a renderer calls after each project, so a long export can show how far it is:
# progress(done, total).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Dimension:
    key: str  # "schedule", "budget", ...
    label: str  # translated: "Planning", "Budget"


@dataclass(frozen=True)
class Rating:
    rag: str  # "green", "amber", "red" or ""
    previous: str = ""  # the colour of the previous period, for the arrow
    reason: str = ""  # required by the app when not green

    @property
    def trend(self) -> str:
        """ "better", "worse", "same" or "" (no previous colour to compare with)."""
        order = {"red": 0, "amber": 1, "green": 2}
        if self.rag not in order or self.previous not in order:
            return ""
        if order[self.rag] > order[self.previous]:
            return "better"
        if order[self.rag] < order[self.previous]:
            return "worse"
        return "same"


@dataclass(frozen=True)
class Milestone:
    title: str
    baseline: date | None = None
    forecast: date | None = None
    done: bool = False


@dataclass(frozen=True)
class RegisterLine:
    """A risk, issue, action or decision as the report shows it."""

    ref: str  # ODI-R12
    title: str
    owner: str = ""
    due: date | None = None
    score: int | None = None  # risks: the score that ranks them
    status: str = ""  # translated


@dataclass(frozen=True)
class ProjectReport:
    key: str  # ODI
    name: str
    manager: str = ""
    state: str = ""  # translated workflow state: "Approved", "Submitted", "Not submitted"
    overall: Rating = field(default_factory=lambda: Rating(""))
    ratings: dict[str, Rating] = field(default_factory=dict)  # dimension key → rating
    summary: str = ""
    achievements: str = ""
    next_period: str = ""
    tolerances: str = ""
    change_requests: str = ""
    escalations: str = ""  # escalations and decisions needed from the board
    milestones: list[Milestone] = field(default_factory=list)
    risks: list[RegisterLine] = field(default_factory=list)
    issues: list[RegisterLine] = field(default_factory=list)
    overdue_actions: list[RegisterLine] = field(default_factory=list)
    decisions: list[RegisterLine] = field(default_factory=list)
    # Colours per dimension key (and "overall") over the last periods, oldest first,
    # ending with this period: the trend strips.
    trend: dict[str, list[str]] = field(default_factory=dict)
    submitted_at: datetime | None = None
    approved_by: str = ""


@dataclass(frozen=True)
class PeriodCount:
    """How many projects were green, amber and red (and not reported) in one period."""

    label: str  # "Nov 2026"
    green: int = 0
    amber: int = 0
    red: int = 0
    missing: int = 0


@dataclass(frozen=True)
class ReportLabels:
    """Every fixed word the renderers print, translated by the caller."""

    overview: str = "Overview"
    project: str = "Project"
    manager: str = "Project manager"
    overall: str = "Overall"
    state: str = "Report"
    key_messages: str = "Key messages"
    escalations: str = "Escalations and decisions needed"
    summary: str = "Summary"
    achievements: str = "Achieved this period"
    next_period: str = "Planned for next period"
    tolerances: str = "Tolerances"
    change_requests: str = "Requests for change"
    milestones: str = "Key milestones"
    baseline: str = "Baseline"
    forecast: str = "Forecast"
    done: str = "Done"
    risks: str = "Top risks"
    issues: str = "Top issues"
    overdue_actions: str = "Overdue actions"
    decisions: str = "Decisions this period"
    ref: str = "Ref."
    title: str = "Title"
    owner: str = "Owner"
    due: str = "Due"
    score: str = "Score"
    status: str = "Status"
    reason: str = "Reason"
    dimension: str = "Dimension"
    colour: str = "RAG"
    previous: str = "Previous"
    trend: str = "Trend"
    green: str = "Green"
    amber: str = "Amber"
    red: str = "Red"
    not_reported: str = "Not reported"
    missing_reports: str = "No report received"
    distribution: str = "Red, amber and green over the periods"
    period: str = "Period"
    none: str = "None"
    page_of: str = "Page {page} of {pages}"
    # Added for the renderers; all defaulted, so existing callers keep working.
    page: str = "Page"  # the fallback when a translation of page_of lost {page}
    key: str = "Key"  # the project's key, as a spreadsheet column
    better: str = "Better"
    worse: str = "Worse"
    same: str = "Unchanged"
    projects: str = "Projects"  # the distribution chart's vertical axis
    ratings: str = "Ratings"  # the spreadsheet's first sheet
    generated: str = "Generated"
    more: str = "…and {count} more"  # a list cut short on a slide


@dataclass(frozen=True)
class ConsolidatedReport:
    organisation: str  # on every slide and page
    title: str  # "Progress report Change programme"
    scope: str  # the programme or portfolio
    period_label: str  # "November 2026"
    period_start: date
    period_end: date
    dimensions: list[Dimension] = field(default_factory=list)
    projects: list[ProjectReport] = field(default_factory=list)
    key_messages: str = ""  # written by the PMO for this period
    distribution: list[PeriodCount] = field(default_factory=list)  # oldest first
    generated_at: datetime | None = None
    logo_png: bytes | None = None  # the organisation's logo, if configured
    language: str = "en"
    labels: ReportLabels = field(default_factory=ReportLabels)
