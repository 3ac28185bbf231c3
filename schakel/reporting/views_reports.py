"""A highlight report: read it, edit it, and move it through the workflow.

Draft or returned → the project manager edits and submits; submitted → the PMO returns it
with a comment or approves it; approved → the PMO publishes it; published → the project
manager or the PMO starts a correction (the next revision). Every step goes through the
services, which refuse a step the report's state does not allow.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.core.charts.gantt import RoadmapMilestone, RoadmapProject, roadmap_svg
from schakel.lib import safe_html
from schakel.lib.services import StaleVersionError
from schakel.planning.labels import chart_labels
from schakel.planning.models import Task

from . import access, services
from .forms import ReportForm, ReviewForm, milestone_formset, milestones_of
from .models import Section, StatusReport
from .views_common import crumbs, version_of

ARROWS = {("red", "amber"): "up", ("red", "green"): "up", ("amber", "green"): "up"}


def _trend(before: str, now: str) -> str:
    """ "up", "down" or "same" from the previous colour to this one ("" if either is unset)."""
    if not before or not now:
        return ""
    if before == now:
        return "same"
    return ARROWS.get((before, now), "down")


def _language() -> str:
    return "nl" if (get_language() or "en").startswith("nl") else "en"


def _dimension_rows(report: StatusReport, previous: StatusReport | None) -> list[dict[str, Any]]:
    ratings = {r.dimension: r for r in report.ratings.all()}
    before = {r.dimension: r.rag for r in previous.ratings.all()} if previous else {}
    lang = _language()
    rows = []
    for dim in report.cycle.dimensions:
        key = dim["key"]
        rating = ratings.get(key)
        rag = rating.rag if rating else ""
        rows.append(
            {
                "key": key,
                "label": dim.get(lang) or dim["en"],
                "rag": rag,
                "reason": rating.reason if rating else "",
                "previous": before.get(key, ""),
                "trend": _trend(before.get(key, ""), rag),
            }
        )
    return rows


def _report_crumbs(report: StatusReport, *tail: Any) -> list[tuple[str, str | None]]:
    from .views_cycles import cycle_url

    return crumbs(
        report.cycle.scope,
        (report.cycle.name, f"{cycle_url(report.cycle)}?period={report.period_end.isoformat()}"),
        *tail,
    )


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def milestone_chart(report: StatusReport) -> SafeString | None:
    """The report's key milestones on a timeline: forecast diamonds, hollow baselines.

    Drawn from the milestones stored in the report (never from the live plan), measured
    against the end of the period, so a submitted report shows the same picture for good.
    """
    items = []
    for number, row in enumerate(report.milestones if isinstance(report.milestones, list) else []):
        if not isinstance(row, dict):
            continue
        forecast, baseline = _day(row.get("forecast")), _day(row.get("baseline"))
        if forecast is None and baseline is None:
            continue
        items.append(
            RoadmapMilestone(
                name=str(row.get("title", "")),
                date=forecast or baseline,  # type: ignore[arg-type]
                baseline=baseline if forecast else None,
                done=bool(row.get("done")),
                key=str(number),
            )
        )
    if not items:
        return None
    labels = dataclasses.replace(
        chart_labels(),
        roadmap=_("Key milestones"),
        today=_("End of period"),
        # A report keeps dates only: the chart counts its slip in calendar days.
        slipped_by=_("{days} calendar days later than the baseline"),
    )
    lane = RoadmapProject(key=report.project.key, name=report.project.name, milestones=items)
    # The chart module escapes every text it draws and writes no scripts or styles.
    return safe_html.chart(
        roadmap_svg(
            [lane], today=report.period_end, labels=labels, width=1000, svg_id="report-milestones"
        )
    )


def _can_correct(user: Any, report: StatusReport) -> bool:
    return access.can_write(user, report) or access.can_manage(user, report.cycle)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as the board reads it, with the buttons the user's role and its state give."""
    user = request.user
    report = access.report_for_user(user, pk)
    previous = services.previous_report(report)
    revisions = list(
        StatusReport.objects.filter(
            cycle=report.cycle_id, project=report.project_id, period_end=report.period_end
        ).order_by("revision")
    )
    snapshot = report.snapshot if not report.editable else services.report_snapshot(report)
    can_write = access.can_write(user, report)
    can_manage = access.can_manage(user, report.cycle)
    sections = report.cycle.sections
    texts = [
        (section.label, getattr(report, str(section)))
        for section in Section
        if str(section) in sections
        and hasattr(report, str(section))
        and str(section) not in ("milestones",)
    ]
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "cycle": report.cycle,
            "previous": previous,
            "overall_trend": _trend(previous.overall if previous else "", report.overall),
            "dimensions": _dimension_rows(report, previous),
            "texts": texts,
            "show": set(sections),
            "snapshot": snapshot,
            "live_snapshot": report.editable,
            "revisions": revisions if len(revisions) > 1 else [],
            "can_edit": can_write and report.editable,
            "can_review": can_manage and report.status == StatusReport.Status.SUBMITTED,
            "can_publish": can_manage and report.status == StatusReport.Status.APPROVED,
            "can_correct": report.status == StatusReport.Status.PUBLISHED
            and revisions[-1].pk == report.pk
            and _can_correct(user, report),
            "review_form": ReviewForm(initial={"version": report.version}),
            "milestone_chart": milestone_chart(report) if "milestones" in sections else None,
            "breadcrumbs": _report_crumbs(report, f"{report.project.key} {report.period_end}"),
        },
    )


def _add_errors(form: ReportForm, report: StatusReport, errors: dict[str, list[str]]) -> None:
    """Show each message at its field: the dimensions' at their own colour or reason."""
    for name, messages_ in errors.items():
        per_dimension = services.dimension_errors(report) if name == "ratings" else {}
        if per_dimension:
            for field, message in per_dimension.items():
                form.add_error(field, message)
            continue
        form.add_error(name if name in form.fields else None, messages_)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in the report; "Save and submit" hands it to the PMO when it is complete."""
    user = request.user
    report = access.report_for_user(user, pk, write=True)
    if not report.editable:
        messages.warning(request, _("This report can no longer be changed."))
        return redirect("reporting:report_detail", pk=report.pk)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, report=report, language=_language())
    milestones = milestone_formset(data, milestones=report.milestones)
    status = 200
    conflict: list[tuple[str, str, str]] | None = None
    if request.method == "POST":
        status = 400
        if form.is_valid() and milestones.is_valid():
            try:
                saved = services.report_update(
                    report=report,
                    version=form.cleaned_data["version"],
                    by=user,
                    ratings=form.ratings(),
                    milestones=milestones_of(milestones),
                    **form.changes(),
                )
                if request.POST.get("action") == "submit":
                    errors = services.completeness_errors(saved)
                    if errors:
                        raise ValidationError(errors)
                    saved = services.report_submit(report=saved, version=saved.version, by=user)
            except StaleVersionError:
                report = access.report_for_user(user, pk, write=True)
                form = ReportForm(report=report, language=_language())
                milestones = milestone_formset(milestones=report.milestones)
                conflict, status = [], 409
            except ValidationError as exc:
                report = access.report_for_user(user, pk, write=True)
                # Errors of a submit: the draft was saved, so the form carries on from it.
                fresh = request.POST.copy()
                fresh["version"] = str(report.version)
                form.data = fresh
                if hasattr(exc, "error_dict"):
                    _add_errors(form, report, exc.message_dict)
                else:
                    form.add_error(None, exc)
            else:
                if saved.status == StatusReport.Status.SUBMITTED:
                    messages.success(request, _("The report is submitted to the PMO."))
                    return redirect("reporting:report_detail", pk=saved.pk)
                messages.success(request, _("The draft is saved."))
                return redirect("reporting:report_edit", pk=saved.pk)
    return _edit_page(request, report, form, milestones, status=status, conflict=conflict)


def _edit_page(
    request: HttpRequest,
    report: StatusReport,
    form: ReportForm,
    milestones: Any,
    *,
    status: int = 200,
    conflict: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    previous = services.previous_report(report)
    before = {r.dimension: r.rag for r in previous.ratings.all()} if previous else {}
    heading = _("Report %(project)s, period until %(end)s") % {
        "project": report.project.key,
        "end": date_format(report.period_end),
    }
    show_milestones = str(Section.MILESTONES) in report.cycle.sections
    return render(
        request,
        "reporting/report_edit.html",
        {
            "report": report,
            "form": form,
            "milestones": milestones,
            "show_milestones": show_milestones,
            "milestone_chart": milestone_chart(report) if show_milestones else None,
            "plan_has_milestones": show_milestones
            and Task.objects.filter(
                project=report.project_id, milestone=True, finish__isnull=False
            ).exists(),
            "dimension_rows": [
                (key, label, rag, reason, before.get(key, ""))
                for key, label, rag, reason in form.dimension_rows()
            ],
            "previous_overall": previous.overall if previous else "",
            "conflict": conflict,
            "heading": heading,
            "breadcrumbs": _report_crumbs(
                report, (f"{report.project.key} {report.period_end}", report_url(report)), _("Edit")
            ),
        },
        status=status,
    )


@login_required
@require_POST
def report_milestones_from_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Refill the report's key milestones from the project's plan ("Take from the plan")."""
    user = request.user
    report = access.report_for_user(user, pk, write=True)
    try:
        services.milestones_from_plan(report=report, version=version_of(request), by=user)
    except StaleVersionError:
        report = access.report_for_user(user, pk, write=True)
        if not report.editable:
            messages.error(request, _("This report can no longer be changed."))
            return redirect("reporting:report_detail", pk=report.pk)
        form = ReportForm(report=report, language=_language())
        milestones = milestone_formset(milestones=report.milestones)
        return _edit_page(request, report, form, milestones, status=409, conflict=[])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        target = "reporting:report_edit" if report.editable else "reporting:report_detail"
        return redirect(target, pk=report.pk)
    messages.success(request, _("The key milestones are taken from the plan."))
    return redirect("reporting:report_edit", pk=report.pk)


def report_url(report: StatusReport) -> str:
    from django.urls import reverse

    return reverse("reporting:report_detail", args=[report.pk])


def _step(request: HttpRequest, report: StatusReport, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except StaleVersionError:
        messages.error(
            request, _("Someone else changed this report in the meantime; nothing was changed.")
        )
        return redirect("reporting:report_detail", pk=report.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(request, done)
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.report_for_user(user, pk, write=True)
    return _step(
        request,
        report,
        lambda: services.report_submit(report=report, version=version_of(request), by=user),
        _("The report is submitted to the PMO."),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.report_for_user(user, pk, review=True)
    comment = request.POST.get("comment", "")[:5000]
    return _step(
        request,
        report,
        lambda: services.report_return(
            report=report, version=version_of(request), by=user, comment=comment
        ),
        _("The report is returned to the project manager."),
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.report_for_user(user, pk, review=True)
    comment = request.POST.get("comment", "")[:5000]
    return _step(
        request,
        report,
        lambda: services.report_approve(
            report=report, version=version_of(request), by=user, comment=comment
        ),
        _("The report is approved."),
    )


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access.report_for_user(user, pk, review=True)
    return _step(
        request,
        report,
        lambda: services.report_publish(report=report, version=version_of(request), by=user),
        _("The report is published."),
    )


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the next revision of a published report and open it for editing."""
    user = request.user
    report = access.report_for_user(user, pk)
    if not _can_correct(user, report):
        raise PermissionDenied
    try:
        draft = services.report_correct(report=report, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(
        request, _("A correction is started as revision %(n)d.") % {"n": draft.revision}
    )
    if access.can_write(user, draft):
        return redirect("reporting:report_edit", pk=draft.pk)
    return redirect("reporting:report_detail", pk=draft.pk)
