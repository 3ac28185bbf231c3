"""Changes to reporting cycles and status reports; pages, the API and the worker call these.

The life of a report: started as a copy of the project's previous report (so the project
manager only edits what changed), with its key milestones taken from the project's plan →
submitted (complete: every dimension rated, a reason for every colour that is not green;
what Schakel knows is frozen into the snapshot) → returned with a comment, or approved →
published by the PMO. A published report never changes; a correction starts the next
revision of the same period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.reporting.periods import Cycle, Period
from schakel.core.reporting.periods import Frequency as CoreFrequency
from schakel.core.workdays import WorkingCalendar
from schakel.lib.services import StaleVersionError, changed_copy, update_versioned
from schakel.planning.milestones import report_milestones
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers.models import PRIORITY_RANK, Action, Decision, Issue, Risk

from .models import (
    TEXT_SECTIONS,
    DimensionRating,
    PeriodNote,
    Rag,
    ReportingCycle,
    Section,
    StatusReport,
)

CYCLE_PROTECTED = frozenset(
    {"id", "pk", "portfolio", "programme", "version", "created_by", "created_at",
     "updated_at", "deleted_at", "deleted_by", "trash_batch"}
)  # fmt: skip
REPORT_FIELDS = frozenset(
    {"overall", "overall_reason", "milestones", *(str(s) for s in TEXT_SECTIONS)}
)
SNAPSHOT_SIZE = 5
MAX_MILESTONES = 30


# Cycles -----------------------------------------------------------------------------------


def core_cycle(cycle: ReportingCycle) -> Cycle:
    """The cycle as the pure period arithmetic knows it."""
    return Cycle(
        CoreFrequency(cycle.frequency),
        anchor=cycle.anchor,
        month_day=cycle.month_day,
        due_after=cycle.due_after,
        calendar=WorkingCalendar(),
    )


def reporting_period(cycle: ReportingCycle, today: datetime.date | None = None) -> Period:
    """The period reported on now: the last one that has ended."""
    today = today or timezone.localdate()
    return core_cycle(cycle).periods_before(today, 1)[0]


def scope_projects(scope: Portfolio | Programme) -> Any:
    """The live, unarchived projects of a programme or portfolio."""
    if isinstance(scope, Programme):
        return Project.objects.filter(programme=scope, archived_at__isnull=True)
    return Project.objects.filter(
        programme__portfolio=scope,
        programme__deleted_at__isnull=True,
        archived_at__isnull=True,
    )


def _refuse(fields: Iterable[str], protected: frozenset[str]) -> None:
    bad = sorted(set(fields) & protected)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})


def _check_projects(scope: Portfolio | Programme, projects: Iterable[Project]) -> list[Project]:
    projects = list(projects)
    allowed = set(scope_projects(scope).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in projects):
        raise ValidationError({"projects": _("Choose projects of this programme or portfolio.")})
    return projects


@transaction.atomic
def cycle_create(
    *,
    scope: Portfolio | Programme,
    by: Any,
    projects: Iterable[Project] | None = None,
    **fields: Any,
) -> ReportingCycle:
    """Create a cycle; without a list of projects every live project of the scope reports."""
    _refuse(fields, CYCLE_PROTECTED)
    cycle = ReportingCycle(**fields)
    cycle.portfolio = scope if isinstance(scope, Portfolio) else None
    cycle.programme = scope if isinstance(scope, Programme) else None
    cycle.created_by = by if getattr(by, "is_authenticated", False) else None
    cycle.full_clean()
    cycle._history_user = by  # type: ignore[attr-defined]
    cycle.save()
    chosen = scope_projects(scope) if projects is None else _check_projects(scope, projects)
    cycle.projects.set(list(chosen))
    return cycle


def cycle_update(
    *,
    cycle: ReportingCycle,
    version: int | None,
    by: Any,
    projects: Iterable[Project] | None = None,
    **changes: Any,
) -> ReportingCycle:
    _refuse(changes, CYCLE_PROTECTED)
    candidate = changed_copy(cycle, changes)
    candidate.full_clean()
    m2m = None
    if projects is not None:
        m2m = {"projects": _check_projects(cycle.scope, projects)}
    return update_versioned(cycle, version=version, changes=changes, m2m=m2m, by=by)


# Reports ----------------------------------------------------------------------------------


def latest_report(
    cycle: ReportingCycle, project: Project, period_end: datetime.date
) -> StatusReport | None:
    """The newest revision of the project's report for the period, if any."""
    return (
        StatusReport.objects.filter(cycle=cycle, project=project, period_end=period_end)
        .order_by("-revision")
        .first()
    )


def previous_report(report: StatusReport) -> StatusReport | None:
    """The project's report of the period before (its newest revision)."""
    return (
        StatusReport.objects.filter(
            cycle=report.cycle, project=report.project, period_end__lt=report.period_start
        )
        .order_by("-period_end", "-revision")
        .first()
    )


def _copy_content(source: StatusReport, target: StatusReport) -> None:
    for name in REPORT_FIELDS:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def report_start(
    *, cycle: ReportingCycle, project: Project, period: Period, by: Any
) -> StatusReport:
    """The project's report for the period: the existing one, or a new draft that starts as
    a copy of the project's last report."""
    if not cycle.projects.filter(pk=project.pk).exists():
        raise ValidationError(_("This project does not report in this cycle."))
    ReportingCycle.all_objects.select_for_update().filter(pk=cycle.pk).first()
    existing = latest_report(cycle, project, period.end)
    if existing is not None:
        return existing
    report = StatusReport(
        cycle=cycle,
        project=project,
        period_start=period.start,
        period_end=period.end,
        due=period.due,
    )
    last = (
        StatusReport.objects.filter(cycle=cycle, project=project, period_end__lt=period.start)
        .order_by("-period_end", "-revision")
        .first()
    )
    if last is not None:
        _copy_content(last, report)
    if str(Section.MILESTONES) in cycle.sections:
        planned = _planned_milestones(report, report.milestones)
        if planned is not None:
            report.milestones = planned
    report._history_user = by  # type: ignore[attr-defined]
    report.save()
    old = {r.dimension: r for r in last.ratings.all()} if last is not None else {}
    DimensionRating.objects.bulk_create(
        [
            DimensionRating(
                report=report,
                dimension=key,
                rag=old[key].rag if key in old else "",
                reason=old[key].reason if key in old else "",
            )
            for key in cycle.dimension_keys
        ]
    )
    return report


def _planned_milestones(
    report: StatusReport, current: Any, today: datetime.date | None = None
) -> list[dict[str, Any]] | None:
    """The report's milestone rows taken from the project's plan, merged over `current`.

    The plan's milestones done within the period and its next open ones come first, with
    the plan's dates; a row of `current` about another milestone (one the project manager
    added by hand) stays after them, and a plan milestone without a baseline keeps the
    baseline date `current` gave it. None when the plan has no scheduled milestones.
    """
    rows, names = report_milestones(
        report.project,
        period_start=report.period_start,
        period_end=report.period_end,
        today=today,
    )
    if not names:
        return None
    earlier: dict[str, dict[str, Any]] = {}
    kept: list[dict[str, Any]] = []
    for row in current if isinstance(current, list) else []:
        if not isinstance(row, dict):
            continue
        title = str(row.get("title", "")).strip()
        if title.casefold() in names:
            earlier.setdefault(title.casefold(), row)
        elif title:
            kept.append(row)
    for row in rows:
        before = earlier.get(row["title"].strip().casefold())
        if row["baseline"] is None and before is not None and before.get("baseline"):
            row["baseline"] = before["baseline"]
    return _clean_milestones((rows + kept)[:MAX_MILESTONES])


@transaction.atomic
def milestones_from_plan(*, report: StatusReport, version: int | None, by: Any) -> StatusReport:
    """Refill a draft or returned report's milestones from the project's plan.

    A stale version is refused (`StaleVersionError`), as is a report that is no longer
    editable; rows the project manager added by hand stay.
    """
    _editable(report)
    current = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if version is not None and current.version != version:
        raise StaleVersionError(current)
    _editable(current)
    planned = _planned_milestones(current, current.milestones)
    if planned is None:
        raise ValidationError(
            {"milestones": _("The project's plan has no scheduled milestones yet.")}
        )
    return report_update(report=current, version=current.version, by=by, milestones=planned)


def _editable(report: StatusReport) -> None:
    if not report.editable:
        raise ValidationError(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )


def _clean_milestones(value: Any) -> list[dict[str, Any]]:
    message = _("Each milestone needs a title; dates as YYYY-MM-DD.")
    if not isinstance(value, list) or len(value) > MAX_MILESTONES:
        raise ValidationError({"milestones": message})
    cleaned = []
    for entry in value:
        if not isinstance(entry, dict) or not str(entry.get("title", "")).strip():
            raise ValidationError({"milestones": message})
        row: dict[str, Any] = {"title": str(entry["title"]).strip()[:200]}
        for name in ("baseline", "forecast"):
            raw = entry.get(name) or None
            if raw is not None:
                try:
                    row[name] = datetime.date.fromisoformat(str(raw)).isoformat()
                except ValueError as exc:
                    raise ValidationError({"milestones": message}) from exc
            else:
                row[name] = None
        row["done"] = bool(entry.get("done", False))
        cleaned.append(row)
    return cleaned


@transaction.atomic
def report_update(
    *,
    report: StatusReport,
    version: int | None,
    by: Any,
    ratings: Mapping[str, tuple[str, str]] | None = None,
    **changes: Any,
) -> StatusReport:
    """Change a draft or returned report: texts, overall colour, milestones and ratings.

    A change of the ratings alone raises the report's version too, so a stale edit of
    either is refused (409), never silently overwritten.
    """
    _editable(report)
    bad = sorted(set(changes) - REPORT_FIELDS)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    if "milestones" in changes:
        changes["milestones"] = _clean_milestones(changes["milestones"])
    candidate = changed_copy(report, changes)
    candidate.full_clean(exclude=["cycle", "project"])
    wanted: dict[str, tuple[str, str]] = {}
    if ratings is not None:
        unknown = sorted(set(ratings) - set(report.cycle.dimension_keys))
        if unknown:
            raise ValidationError(
                {"ratings": _("Unknown dimension: %(keys)s") % {"keys": ", ".join(unknown)}}
            )
        for key, (rag, reason) in ratings.items():
            if rag not in ("", *Rag.values):
                raise ValidationError({"ratings": _("Choose green, amber or red.")})
            wanted[key] = (rag, reason.strip())
    current = StatusReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and current.version != version:
        raise StaleVersionError(current)
    _editable(current)
    rows = {r.dimension: r for r in current.ratings.all()}
    changed_ratings = [
        key
        for key, value in wanted.items()
        if key not in rows or (rows[key].rag, rows[key].reason) != value
    ]
    changed_fields = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not changed_fields and not changed_ratings:
        return current
    for name, value in changed_fields.items():
        setattr(current, name, value)
    current.version += 1
    current._history_user = by  # type: ignore[attr-defined]
    current.save()
    for key in changed_ratings:
        row = rows.get(key) or DimensionRating(report=current, dimension=key)
        row.rag, row.reason = wanted[key]
        row.save()
    return current


def dimension_errors(report: StatusReport) -> dict[str, str]:
    """What is missing per dimension, keyed by the report form's field (``rag_schedule``,
    ``reason_budget``), so a page can show each message at its dimension."""
    errors: dict[str, str] = {}
    ratings = {r.dimension: r for r in report.ratings.all()}
    labels = {d["key"]: d["en"] for d in report.cycle.dimensions}
    for key in report.cycle.dimension_keys:
        rating = ratings.get(key)
        if rating is None or not rating.rag:
            errors[f"rag_{key}"] = _("Give a colour for %(dimension)s.") % {
                "dimension": labels[key]
            }
        elif rating.rag != Rag.GREEN and not rating.reason.strip():
            errors[f"reason_{key}"] = _("Say why %(dimension)s is not green.") % {
                "dimension": labels[key]
            }
    return errors


def completeness_errors(report: StatusReport) -> dict[str, list[str]]:
    """What is missing before the report can be submitted, by field."""
    errors: dict[str, list[str]] = {}
    if not report.overall:
        errors["overall"] = [_("Give the overall colour.")]
    elif report.overall != Rag.GREEN and not report.overall_reason.strip():
        errors["overall_reason"] = [_("Say why the project is not green.")]
    per_dimension = list(dimension_errors(report).values())
    if per_dimension:
        errors["ratings"] = per_dimension
    return errors


def _line(item: Any, **extra: Any) -> dict[str, Any]:
    owner = item.owner
    return {
        "ref": item.ref,
        "title": item.title,
        "owner": (owner.get_full_name() or owner.get_username()) if owner else "",
        "status": item.status,
        **extra,
    }


def report_snapshot(report: StatusReport, today: datetime.date | None = None) -> dict[str, Any]:
    """What Schakel knows about the project for the report: frozen when it is submitted."""
    today = today or timezone.localdate()
    project = report.project
    risks = (
        Risk.objects.open()
        .filter(project=project)
        .select_related("owner")
        .alias(rank=Coalesce("residual_score", "score"))
        .order_by(F("rank").desc(nulls_last=True), "pk")[:SNAPSHOT_SIZE]
    )
    urgency = Case(
        *[When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    issues = (
        Issue.objects.open()
        .filter(project=project)
        .select_related("owner")
        .alias(urgency=urgency)
        .order_by("-urgency", "target_date", "pk")[:SNAPSHOT_SIZE]
    )
    overdue = (
        Action.objects.overdue(today)
        .filter(project=project)
        .select_related("owner")
        .order_by("due", "pk")[: SNAPSHOT_SIZE * 2]
    )
    decisions = (
        Decision.objects.filter(
            project=project, decided_on__gte=report.period_start, decided_on__lte=report.period_end
        )
        .filter(Q(status=Decision.Status.APPROVED) | Q(status=Decision.Status.REJECTED))
        .select_related("owner")
        .order_by("decided_on", "pk")
    )
    return {
        "taken_on": today.isoformat(),
        "risks": [_line(r, score=r.residual_score or r.score) for r in risks],
        "issues": [_line(i, priority=i.priority) for i in issues],
        "overdue_actions": [_line(a, due=a.due.isoformat() if a.due else None) for a in overdue],
        "decisions": [
            _line(d, decided_on=d.decided_on.isoformat() if d.decided_on else None)
            for d in decisions
        ],
    }


@transaction.atomic
def report_submit(*, report: StatusReport, version: int | None, by: Any) -> StatusReport:
    """Hand the report to the PMO: it must be complete; what Schakel knows is frozen."""
    _editable(report)
    current = StatusReport.objects.select_for_update().get(pk=report.pk)
    errors = completeness_errors(current)
    if errors:
        raise ValidationError(errors)
    return update_versioned(
        current,
        version=version,
        changes={
            "status": StatusReport.Status.SUBMITTED,
            "snapshot": report_snapshot(current),
            "submitted_at": timezone.now(),
            "submitted_by": by if getattr(by, "is_authenticated", False) else None,
        },
        by=by,
    )


def _review(
    report: StatusReport, version: int | None, by: Any, status: str, comment: str = ""
) -> StatusReport:
    if report.status != StatusReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    return update_versioned(
        report,
        version=version,
        changes={
            "status": status,
            "review_comment": comment,
            "reviewed_at": timezone.now(),
            "reviewed_by": by if getattr(by, "is_authenticated", False) else None,
        },
        by=by,
    )


def report_return(
    *, report: StatusReport, version: int | None, by: Any, comment: str
) -> StatusReport:
    """Send the report back to the project manager with a comment on what to change."""
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what needs to change.")})
    return _review(report, version, by, StatusReport.Status.RETURNED, comment.strip())


def report_approve(
    *, report: StatusReport, version: int | None, by: Any, comment: str = ""
) -> StatusReport:
    """Approve a submitted report: it now counts in the consolidated report, whose PDF
    page is printed in the background right away."""
    approved = _review(report, version, by, StatusReport.Status.APPROVED, comment.strip())
    from .tasks import schedule_warming

    schedule_warming(approved.cycle_id, approved.period_end)
    return approved


@transaction.atomic
def report_publish(*, report: StatusReport, version: int | None, by: Any) -> StatusReport:
    """Publish an approved report; an earlier published revision of the period is superseded."""
    if report.status != StatusReport.Status.APPROVED:
        raise ValidationError(_("Only an approved report can be published."))
    published = update_versioned(
        report,
        version=version,
        changes={"status": StatusReport.Status.PUBLISHED, "published_at": timezone.now()},
        by=by,
    )
    StatusReport.objects.filter(
        cycle=report.cycle_id,
        project=report.project_id,
        period_end=report.period_end,
        revision__lt=report.revision,
    ).update(superseded=True)
    return published


@transaction.atomic
def report_correct(*, report: StatusReport, by: Any) -> StatusReport:
    """Start the next revision of a published report, as a draft copy of it."""
    if report.status != StatusReport.Status.PUBLISHED:
        raise ValidationError(_("Only a published report is corrected with a new revision."))
    newest = StatusReport.objects.filter(
        cycle=report.cycle_id, project=report.project_id, period_end=report.period_end
    ).aggregate(n=Max("revision"))["n"]
    if newest != report.revision:
        raise ValidationError(_("A correction of this report is already being made."))
    draft = StatusReport(
        cycle=report.cycle,
        project=report.project,
        period_start=report.period_start,
        period_end=report.period_end,
        due=report.due,
        revision=report.revision + 1,
    )
    _copy_content(report, draft)
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    DimensionRating.objects.bulk_create(
        [
            DimensionRating(report=draft, dimension=r.dimension, rag=r.rag, reason=r.reason)
            for r in report.ratings.all()
        ]
    )
    return draft


# Compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    """Where one project stands for one period: its report (if any) and whether it is late."""

    project: Project
    report: StatusReport | None
    late: bool

    @property
    def state(self) -> str:
        return self.report.status if self.report is not None else "missing"


def compliance(
    cycle: ReportingCycle, period: Period, today: datetime.date | None = None
) -> list[ComplianceRow]:
    """Per reporting project of the cycle: the newest report of the period and if it is late.

    A report is late when the due date has passed and it has not reached the PMO (missing,
    draft or returned). Archived and deleted projects no longer report (nor are they
    reminded). Two queries, whatever the number of projects.
    """
    today = today or timezone.localdate()
    reports: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(cycle=cycle, period_end=period.end).order_by(
        "revision"
    ):
        reports[report.project_id] = report
    waiting = {StatusReport.Status.DRAFT, StatusReport.Status.RETURNED}
    rows = []
    for project in (
        cycle.projects.filter(deleted_at__isnull=True, archived_at__isnull=True)
        .select_related("manager")
        .order_by("key")
    ):
        found = reports.get(project.pk)
        pending = found is None or found.status in waiting
        rows.append(ComplianceRow(project, found, late=pending and today > period.due))
    return rows


# Key messages ----------------------------------------------------------------------------


@transaction.atomic
def key_messages_save(
    *, cycle: ReportingCycle, period_end: datetime.date, text: str, version: int | None, by: Any
) -> PeriodNote:
    """Write the PMO's key messages above a period's consolidated report.

    The first save of a period sends version 0 (there is nothing yet); a stale edit is
    refused with `StaleVersionError` carrying what is stored now.
    """
    if len(text) > 20_000:
        raise ValidationError({"key_messages": _("Keep the key messages under 20,000 characters.")})
    ReportingCycle.all_objects.select_for_update().filter(pk=cycle.pk).first()
    note = PeriodNote.objects.filter(cycle=cycle, period_end=period_end).first()
    if note is None:
        if version not in (None, 0):
            raise StaleVersionError(PeriodNote(cycle=cycle, period_end=period_end, version=0))
        note = PeriodNote(cycle=cycle, period_end=period_end, key_messages=text.strip())
        note.updated_by = by if getattr(by, "is_authenticated", False) else None
        note._history_user = by  # type: ignore[attr-defined]
        note.save()
        return note
    return update_versioned(
        note,
        version=version,
        changes={
            "key_messages": text.strip(),
            "updated_by": by if getattr(by, "is_authenticated", False) else None,
        },
        by=by,
    )
