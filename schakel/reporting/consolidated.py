"""The consolidated report of a cycle's period: what the board reads, as plain data.

`build()` turns the highlight reports of one period of a programme's or the portfolio's
cycle into a `ConsolidatedReport` (see `schakel/core/exports/report_data.py`): the same
value feeds the web page and the PowerPoint, PDF and Excel downloads. Only what the reader
may see goes in: projects they do not see are left out, not blanked.

A project's report counts once the PMO has approved it (approved or published; the newest
such revision of the period). A project without one is listed as not received, with the
state its report is in. The trend strips and the distribution chart look back `HISTORY`
periods, the current one included. The number of queries does not depend on the number of
projects or periods.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.dates import format_date
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, override, pgettext
from django.utils.translation import gettext as _

from schakel.core.exports.report_data import (
    ConsolidatedReport,
    Dimension,
    Milestone,
    PeriodCount,
    ProjectReport,
    Rating,
    RegisterLine,
    ReportLabels,
)
from schakel.core.reporting.periods import Period
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project
from schakel.registers.models import Action, Decision, Issue, Risk

from . import services
from .models import DimensionRating, PeriodNote, ReportingCycle, StatusReport

HISTORY = 6
COUNTED = (StatusReport.Status.APPROVED, StatusReport.Status.PUBLISHED)
LOGO_LIMIT = 1024 * 1024  # a logo larger than this is not read (it would bloat every file)


@dataclass(frozen=True)
class Source:
    """What `build` read, beside the report itself: the pages use it for links."""

    reports: dict[int, StatusReport]  # project pk → the counted report of the period
    pending: dict[int, StatusReport]  # project pk → a report that has not been approved yet
    projects: list[Project]
    note: PeriodNote | None = None  # the PMO's key messages of the period, if written


def periods_up_to(cycle: ReportingCycle, period: Period, count: int = HISTORY) -> list[Period]:
    """The `count` periods of the cycle that end with `period`, oldest first."""
    return services.core_cycle(cycle).periods_before(period.end + datetime.timedelta(days=1), count)


def reporting_projects(cycle: ReportingCycle, user: Any) -> list[Project]:
    """The cycle's live reporting projects that `user` sees, by key."""
    return list(
        cycle.projects.filter(
            deleted_at__isnull=True,
            archived_at__isnull=True,
            pk__in=portfolio_access.visible_projects(user).values("pk"),
        )
        .select_related("manager")
        .order_by("key")
    )


def counted_reports(
    cycle: ReportingCycle,
    project_ids: Iterable[int],
    period_ends: Sequence[datetime.date],
    *,
    full: bool = False,
) -> dict[tuple[int, datetime.date], StatusReport]:
    """Per (project, period end): the newest approved or published revision, with ratings.

    `full` loads the texts and the reasons too (the current period); history needs the
    colours only. The ratings are read as plain rows (`rating_rows`, see `_ratings`), one
    query for all reports: a report has a rating per dimension, so a programme's history is
    thousands of them, too many to build as model instances on every page view.
    """
    queryset = StatusReport.objects.filter(
        cycle=cycle,
        project_id__in=list(project_ids),
        period_end__in=list(period_ends),
        status__in=COUNTED,
    )
    if full:
        queryset = queryset.select_related("reviewed_by")
    else:
        queryset = queryset.only("pk", "project_id", "period_end", "revision", "overall", "status")
    found: dict[tuple[int, datetime.date], StatusReport] = {}
    for report in queryset.order_by("revision"):
        found[(report.project_id, report.period_end)] = report
    if found:
        rows: dict[int, list[tuple[str, str, str]]] = {report.pk: [] for report in found.values()}
        ratings = DimensionRating.objects.filter(report_id__in=list(rows)).order_by("pk")
        if full:
            for report_id, dimension, rag, reason in ratings.values_list(
                "report_id", "dimension", "rag", "reason"
            ):
                rows[report_id].append((dimension, rag, reason))
        else:
            for report_id, dimension, rag in ratings.values_list("report_id", "dimension", "rag"):
                rows[report_id].append((dimension, rag, ""))
        for report in found.values():
            report.rating_rows = rows[report.pk]  # type: ignore[attr-defined]
    return found


def _ratings(report: StatusReport) -> list[tuple[str, str, str]]:
    """A report's ratings as (dimension, colour, reason), in their order: the rows
    `counted_reports` read, or else the report's own."""
    rows = getattr(report, "rating_rows", None)
    if rows is None:
        rows = [(r.dimension, r.rag, r.reason) for r in report.ratings.all()]
    return rows


def _colours(report: StatusReport | None) -> dict[str, str]:
    if report is None:
        return {}
    colours = {dimension: rag for dimension, rag, _reason in _ratings(report)}
    colours["overall"] = report.overall
    return colours


def period_label(cycle: ReportingCycle, period: Period, language: str) -> str:
    """ "November 2026" for a calendar month, else "3 Nov – 30 Nov 2026"."""
    month_end = (period.end + datetime.timedelta(days=1)).day == 1
    if cycle.frequency == "monthly" and cycle.month_day == 0 and month_end:
        return format_date(period.end, "LLLL yyyy", locale=_locale(language))
    start = format_date(period.start, "d MMM", locale=_locale(language))
    end = format_date(period.end, "d MMM yyyy", locale=_locale(language))
    return f"{start} – {end}"


def _locale(language: str) -> str:
    return "nl_NL" if language.startswith("nl") else "en_GB"


def dimensions(cycle: ReportingCycle, language: str) -> list[Dimension]:
    name = "nl" if language.startswith("nl") else "en"
    return [Dimension(d["key"], d[name]) for d in cycle.dimensions]


def report_labels() -> ReportLabels:
    """Every fixed word of the renderers, in the active language."""
    return ReportLabels(
        overview=_("Overview"),
        project=_("Project"),
        manager=_("Project manager"),
        overall=_("Overall"),
        state=pgettext("progress report", "Report"),
        key_messages=_("Key messages"),
        escalations=_("Escalations and decisions needed"),
        summary=_("Summary"),
        achievements=_("Achieved this period"),
        next_period=_("Planned for next period"),
        tolerances=_("Tolerances"),
        change_requests=_("Requests for change"),
        milestones=_("Key milestones"),
        baseline=_("Baseline"),
        forecast=_("Forecast"),
        done=_("Done"),
        risks=_("Top risks"),
        issues=_("Top issues"),
        overdue_actions=_("Overdue actions"),
        decisions=_("Decisions this period"),
        ref=_("Ref."),
        title=_("Title"),
        owner=_("Owner"),
        due=_("Due"),
        score=_("Score"),
        status=_("Status"),
        reason=_("Reason"),
        dimension=_("Dimension"),
        colour=pgettext("red amber green", "RAG"),
        previous=_("Previous"),
        trend=_("Trend"),
        green=_("Green"),
        amber=_("Amber"),
        red=_("Red"),
        not_reported=_("Not reported"),
        missing_reports=_("No report received"),
        distribution=_("Red, amber and green over the periods"),
        period=_("Period"),
        none=_("None"),
        page_of=_("Page {page} of {pages}"),
        page=_("Page"),
        key=_("Key"),
        better=_("Better"),
        worse=_("Worse"),
        same=_("Unchanged"),
        projects=_("Projects"),
        ratings=_("Ratings"),
        generated=_("Generated"),
        more=_("…and {count} more"),
    )


def _status_label(kind: str, value: str) -> str:
    choices = {
        "risks": Risk.Status,
        "issues": Issue.Status,
        "overdue_actions": Action.Status,
        "decisions": Decision.Status,
    }[kind]
    return str(dict(choices.choices).get(value, value))


def _date(raw: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _lines(snapshot: dict[str, Any], kind: str) -> list[RegisterLine]:
    lines = []
    for entry in snapshot.get(kind, []):
        if not isinstance(entry, dict):
            continue
        score = entry.get("score")
        lines.append(
            RegisterLine(
                ref=str(entry.get("ref", "")),
                title=str(entry.get("title", "")),
                owner=str(entry.get("owner", "")),
                due=_date(entry.get("due") or entry.get("decided_on")),
                score=score if isinstance(score, int) else None,
                status=_status_label(kind, str(entry.get("status", ""))),
            )
        )
    return lines


def _milestones(value: Any) -> list[Milestone]:
    out = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and entry.get("title"):
            out.append(
                Milestone(
                    title=str(entry["title"]),
                    baseline=_date(entry.get("baseline")),
                    forecast=_date(entry.get("forecast")),
                    done=bool(entry.get("done")),
                )
            )
    return out


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def project_report(
    project: Project,
    report: StatusReport | None,
    pending: StatusReport | None,
    history: Sequence[dict[str, str]],
    keys: Sequence[str],
) -> ProjectReport:
    """One project's part of the consolidated report; `history` holds the colours of the
    earlier periods (oldest first), the report supplies this period's."""
    now = _colours(report)
    before = history[-1] if history else {}
    trend = {key: [h.get(key, "") for h in history] + [now.get(key, "")] for key in keys}
    manager = _person(project.manager) if project.manager_id else ""
    if report is None:
        state = pending.get_status_display() if pending is not None else _("Not started")
        return ProjectReport(
            key=project.key,
            name=project.name,
            manager=manager,
            state=str(state),
            overall=Rating("", before.get("overall", "")),
            trend=trend,
        )
    reasons = {dimension: reason for dimension, _rag, reason in _ratings(report)}
    ratings = {
        key: Rating(now.get(key, ""), before.get(key, ""), reasons.get(key, ""))
        for key in keys
        if key != "overall"
    }
    snapshot = report.snapshot or {}
    return ProjectReport(
        key=project.key,
        name=project.name,
        manager=manager,
        state=str(report.get_status_display()),
        overall=Rating(report.overall, before.get("overall", ""), report.overall_reason),
        ratings=ratings,
        summary=report.summary,
        achievements=report.achievements,
        next_period=report.next_period,
        tolerances=report.tolerances,
        change_requests=report.change_requests,
        escalations=report.escalations,
        milestones=_milestones(report.milestones),
        risks=_lines(snapshot, "risks"),
        issues=_lines(snapshot, "issues"),
        overdue_actions=_lines(snapshot, "overdue_actions"),
        decisions=_lines(snapshot, "decisions"),
        trend=trend,
        submitted_at=report.submitted_at,
        approved_by=_person(report.reviewed_by),
    )


def organisation_logo() -> bytes | None:
    """The PNG named by SCHAKEL_LOGO, if it is set, readable and not too large."""
    path = getattr(settings, "SCHAKEL_LOGO", "")
    if not path:
        return None
    try:
        file = Path(path)
        if file.stat().st_size > LOGO_LIMIT:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"\x89PNG\r\n\x1a\n") else None


def build(
    cycle: ReportingCycle,
    period: Period,
    user: Any,
    *,
    language: str | None = None,
    projects: list[Project] | None = None,
) -> tuple[ConsolidatedReport, Source]:
    """The consolidated report of `period` as `user` may see it, in `language`."""
    language = language or get_language() or settings.LANGUAGE_CODE
    with override(language):
        return _build(cycle, period, user, language, projects)


def _build(
    cycle: ReportingCycle,
    period: Period,
    user: Any,
    language: str,
    projects: list[Project] | None,
) -> tuple[ConsolidatedReport, Source]:
    if projects is None:
        projects = reporting_projects(cycle, user)
    ids = [p.pk for p in projects]
    periods = periods_up_to(cycle, period)
    earlier = [p.end for p in periods[:-1]]
    current = counted_reports(cycle, ids, [period.end], full=True)
    past = counted_reports(cycle, ids, earlier)
    pending: dict[int, StatusReport] = {}
    for waiting in (
        StatusReport.objects.filter(cycle=cycle, project_id__in=ids, period_end=period.end)
        .exclude(status__in=COUNTED)
        .only("pk", "project_id", "status", "revision")
        .order_by("revision")
    ):
        pending[waiting.project_id] = waiting
    keys = [*cycle.dimension_keys, "overall"]
    reports: dict[int, StatusReport] = {}
    parts = []
    for project in projects:
        report = current.get((project.pk, period.end))
        if report is not None:
            reports[project.pk] = report
        history = [_colours(past.get((project.pk, end))) for end in earlier]
        parts.append(project_report(project, report, pending.get(project.pk), history, keys))
    distribution = []
    for each in periods:
        if each.end == period.end:
            colours = [p.overall.rag for p in parts]
        else:
            found = (past.get((pk, each.end)) for pk in ids)
            colours = [report.overall if report is not None else "" for report in found]
        distribution.append(
            PeriodCount(
                label=_short_period(cycle, each, language),
                green=colours.count("green"),
                amber=colours.count("amber"),
                red=colours.count("red"),
                missing=sum(1 for c in colours if c not in ("green", "amber", "red")),
            )
        )
    note = PeriodNote.objects.filter(cycle=cycle, period_end=period.end).first()
    scope = cycle.scope
    data = ConsolidatedReport(
        organisation=settings.SCHAKEL_ORGANISATION,
        title=_("Progress report %(scope)s") % {"scope": scope.name},
        scope=scope.name,
        period_label=period_label(cycle, period, language),
        period_start=period.start,
        period_end=period.end,
        dimensions=dimensions(cycle, language),
        projects=parts,
        key_messages=note.key_messages if note is not None else "",
        distribution=distribution,
        generated_at=timezone.localtime(),
        logo_png=organisation_logo(),
        language=language,
        labels=report_labels(),
    )
    return data, Source(reports=reports, pending=pending, projects=projects, note=note)


def _short_period(cycle: ReportingCycle, period: Period, language: str) -> str:
    """A period as a chart's axis label: "Nov 2026" for months, else the end date."""
    if cycle.frequency == "monthly":
        return format_date(period.end, "MMM yyyy", locale=_locale(language))
    return format_date(period.end, "d MMM", locale=_locale(language))


def project_trend(
    cycle: ReportingCycle, project: Project, period: Period, count: int = HISTORY
) -> dict[str, list[str]]:
    """The colours of each dimension (and "overall") of one project over the last periods."""
    periods = periods_up_to(cycle, period, count)
    found = counted_reports(cycle, [project.pk], [p.end for p in periods])
    keys = [*cycle.dimension_keys, "overall"]
    rows = [_colours(found.get((project.pk, p.end))) for p in periods]
    return {key: [row.get(key, "") for row in rows] for key in keys}
