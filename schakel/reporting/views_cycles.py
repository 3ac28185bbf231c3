"""Reporting pages of a scope: the Reports tab, setting up a cycle and its compliance view.

The compliance view is the PMO's page: per reporting project of a period, who has
submitted, who is late, with a reminder button and "Publish all approved". Everyone who
sees the scope sees it; the PMO of the scope acts on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.models import Role
from schakel.lib.forms import add_service_errors, conflict_rows
from schakel.lib.services import StaleVersionError
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project

from . import access, consolidated, reminders, services
from .forms import CycleForm, dimension_formset, dimensions_of
from .models import ReportingCycle, StatusReport, default_dimensions
from .views_common import (
    Scope,
    chosen_period,
    crumbs,
    recent_periods,
    scope_kind_of,
    scope_reports_url,
)


def _counts(rows: list[services.ComplianceRow]) -> dict[str, int]:
    reached = {StatusReport.Status.SUBMITTED, StatusReport.Status.APPROVED}
    return {
        "submitted": sum(1 for r in rows if r.state in reached),
        "published": sum(1 for r in rows if r.state == StatusReport.Status.PUBLISHED),
        "late": sum(1 for r in rows if r.late),
        "missing": sum(1 for r in rows if r.report is None),
        "total": len(rows),
    }


def _scope_page(request: HttpRequest, scope: Scope) -> HttpResponse:
    user = request.user
    kind = scope_kind_of(scope)
    today = timezone.localdate()
    cycles_qs = access.visible_cycles(user).select_related("programme__portfolio", "portfolio")
    context: dict[str, Any] = {"scope": scope, "scope_kind": kind}
    if isinstance(scope, Project):
        cycles = list(cycles_qs.filter(projects=scope))
        probe = StatusReport(project=scope)
        context["can_write"] = access.can_write(user, probe)
        context["reports"] = list(
            access.visible_reports(user)
            .filter(project=scope, superseded=False)
            .select_related("cycle")
            .order_by("-period_end", "-revision")[:50]
        )
        context["cycles"] = [(c, services.reporting_period(c, today)) for c in cycles]
        context["trends"] = [_trend_grid(c, scope, p) for c, p in context["cycles"]]
    else:
        field = "programme" if isinstance(scope, Programme) else "portfolio"
        rows = []
        for cycle in cycles_qs.filter(**{field: scope}):
            period = services.reporting_period(cycle, today)
            rows.append((cycle, period, _counts(services.compliance(cycle, period, today))))
        context["cycle_rows"] = rows
        context["can_manage"] = portfolio_access.can(user, scope, Role.PMO)
    context["breadcrumbs"] = crumbs(scope)
    return render(request, "reporting/scope_reports.html", context)


def _trend_grid(cycle: ReportingCycle, project: Project, period: Any) -> dict[str, Any]:
    """The project's colour per dimension over the cycle's last periods, for the trend grid."""
    language = get_language() or "en"
    periods = consolidated.periods_up_to(cycle, period)
    trend = consolidated.project_trend(cycle, project, period)
    words = {"green": _("Green"), "amber": _("Amber"), "red": _("Red"), "": _("Not reported")}
    labels = [(d.key, d.label) for d in consolidated.dimensions(cycle, language)]
    rows = []
    for key, label in [("overall", _("Overall")), *labels]:
        cells = [
            {"rag": rag, "title": f"{label}, {p.end:%d-%m-%Y}: {words.get(rag, rag)}"}
            for p, rag in zip(periods, trend[key], strict=True)
        ]
        rows.append({"key": key, "label": label, "cells": cells})
    return {"cycle": cycle, "periods": periods, "rows": rows, "reported": any(trend["overall"])}


@login_required
@require_GET
def project_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's reports, and a "Write report" button per cycle it reports in."""
    return _scope_page(request, portfolio_access.project_for_user(request.user, pk))


@login_required
@require_GET
def programme_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's reporting cycles with where the current period stands."""
    return _scope_page(request, portfolio_access.programme_for_user(request.user, pk))


@login_required
@require_GET
def portfolio_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The portfolio's reporting cycles with where the current period stands."""
    return _scope_page(request, portfolio_access.portfolio_for_user(request.user, pk))


# Set up and change a cycle -----------------------------------------------------------------


def _cycle_scope(user: Any, scope_kind: str, pk: int) -> Portfolio | Programme:
    if scope_kind == "programme":
        scope: Portfolio | Programme = portfolio_access.programme_for_user(user, pk)
    elif scope_kind == "portfolio":
        scope = portfolio_access.portfolio_for_user(user, pk)
    else:
        raise Http404
    if not portfolio_access.can(user, scope, Role.PMO):
        raise PermissionDenied
    return scope


def _render_cycle_form(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, "reporting/cycle_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest, scope_kind: str, pk: int) -> HttpResponse:
    """Set up a reporting cycle on a programme or the portfolio (the PMO)."""
    user = request.user
    scope = _cycle_scope(user, scope_kind, pk)
    projects = services.scope_projects(scope).order_by("key")
    instance = ReportingCycle(anchor=timezone.localdate())
    form = CycleForm(request.POST or None, instance=instance, projects=projects)
    formset = dimension_formset(request.POST or None, dimensions=default_dimensions())
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                cycle = services.cycle_create(
                    scope=scope,
                    by=user,
                    projects=form.cleaned_data["projects"],
                    dimensions=dimensions_of(formset),
                    **form.changes(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The reporting cycle is set up."))
                return redirect("reporting:cycle_detail", pk=cycle.pk)
    heading = _("New reporting cycle")
    return _render_cycle_form(
        request,
        {
            "form": form,
            "formset": formset,
            "scope": scope,
            "heading": heading,
            "submit_label": _("Create cycle"),
            "cancel_url": scope_reports_url(scope),
            "breadcrumbs": crumbs(scope, heading),
        },
        status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a cycle; a save from an older version answers 409 with the current one."""
    user = request.user
    cycle = access.cycle_for_user(user, pk, manage=True)
    scope = cycle.scope
    projects = services.scope_projects(scope).order_by("key")
    form = CycleForm(request.POST or None, instance=cycle, projects=projects)
    formset = dimension_formset(request.POST or None, dimensions=cycle.dimensions)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                services.cycle_update(
                    cycle=cycle,
                    version=form.cleaned_data["version"],
                    by=user,
                    projects=form.cleaned_data["projects"],
                    dimensions=dimensions_of(formset),
                    **form.changes(),
                )
            except StaleVersionError as stale:
                conflict = conflict_rows(form, stale.current)
                cycle = access.cycle_for_user(user, pk, manage=True)
                form = CycleForm(instance=cycle, projects=projects)
                formset = dimension_formset(dimensions=cycle.dimensions)
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The reporting cycle is saved."))
                return redirect("reporting:cycle_detail", pk=cycle.pk)
    heading = _("Edit reporting cycle")
    return _render_cycle_form(
        request,
        {
            "form": form,
            "formset": formset,
            "scope": scope,
            "cycle": cycle,
            "conflict": conflict,
            "heading": heading,
            "submit_label": _("Save"),
            "cancel_url": reverse("reporting:cycle_detail", args=[cycle.pk]),
            "breadcrumbs": crumbs(scope, (cycle.name, cycle_url(cycle)), heading),
        },
        status,
    )


def cycle_url(cycle: ReportingCycle) -> str:
    return reverse("reporting:cycle_detail", args=[cycle.pk])


# The compliance view ------------------------------------------------------------------------


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Per reporting project of a period: its report's state, when it came in, if late."""
    user = request.user
    cycle = access.cycle_for_user(user, pk)
    today = timezone.localdate()
    period = chosen_period(cycle, request.GET.get("period"))
    rows = services.compliance(cycle, period, today)
    visible = set(
        portfolio_access.visible_projects(user)
        .filter(pk__in=[r.project.pk for r in rows])
        .values_list("pk", flat=True)
    )
    rows = [r for r in rows if r.project.pk in visible]
    can_manage = access.can_manage(user, cycle)
    # One query for the projects' programmes, which the role check needs, not one a row.
    programmes = Programme.objects.in_bulk({r.project.programme_id for r in rows})
    writable = set()
    for row in rows:
        row.project.programme = programmes[row.project.programme_id]
        probe = StatusReport(project=row.project)
        if access.can_write(user, probe):
            writable.add(row.project.pk)
    return render(
        request,
        "reporting/cycle_detail.html",
        {
            "cycle": cycle,
            "scope": cycle.scope,
            "scope_kind": scope_kind_of(cycle.scope),
            "period": period,
            "periods": recent_periods(cycle, today),
            "rows": [(row, row.project.pk in writable) for row in rows],
            "counts": _counts(rows),
            "approved": sum(1 for r in rows if r.state == StatusReport.Status.APPROVED),
            "can_manage": can_manage,
            "can_remind": can_manage,
            "breadcrumbs": crumbs(cycle.scope, cycle.name),
        },
    )


def _period_url(cycle: ReportingCycle, period_end: str) -> str:
    return f"{cycle_url(cycle)}?period={period_end}"


@login_required
@require_POST
def cycle_remind(request: HttpRequest, pk: int, project: int) -> HttpResponse:
    """Send the project manager a reminder about the period's report now (the PMO)."""
    user = request.user
    cycle = access.cycle_for_user(user, pk, manage=True)
    target = cycle.projects.filter(pk=project, deleted_at__isnull=True).first()
    if target is None:
        raise Http404
    period = chosen_period(cycle, request.POST.get("period"))
    try:
        sent = reminders.send_manual(cycle=cycle, project=target, period=period, by=user)
    except reminders.ReminderNotSent as not_sent:
        messages.error(request, not_sent.message)
        return redirect(_period_url(cycle, period.end.isoformat()))
    if sent:
        messages.success(
            request,
            ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent)
            % {"count": sent},
        )
    else:
        messages.warning(request, _("No reminder was sent: the project has no manager to e-mail."))
    return redirect(_period_url(cycle, period.end.isoformat()))


@login_required
@require_POST
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish every approved report of the period at once (the PMO)."""
    user = request.user
    cycle = access.cycle_for_user(user, pk, manage=True)
    period = chosen_period(cycle, request.POST.get("period"))
    approved = StatusReport.objects.filter(
        cycle=cycle, period_end=period.end, status=StatusReport.Status.APPROVED
    )
    done = 0
    for report in approved:
        try:
            services.report_publish(report=report, version=None, by=user)
        except ValidationError:
            continue
        done += 1
    messages.success(
        request,
        ngettext("%(count)d report published.", "%(count)d reports published.", done)
        % {"count": done},
    )
    return redirect(_period_url(cycle, period.end.isoformat()))


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int, project: int) -> HttpResponse:
    """Open the project's report of the period (a copy of the last one) and edit it."""
    user = request.user
    cycle = access.cycle_for_user(user, pk)
    target = (
        portfolio_access.visible_projects(user)
        .filter(pk=project, reporting_cycles=cycle)
        .select_related("programme")
        .first()
    )
    if target is None:
        raise Http404
    if not access.can_write(user, StatusReport(project=target)):
        raise PermissionDenied
    period = chosen_period(cycle, request.POST.get("period"))
    try:
        report = services.report_start(cycle=cycle, project=target, period=period, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_period_url(cycle, period.end.isoformat()))
    if report.editable:
        return redirect("reporting:report_edit", pk=report.pk)
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """Every cycle the user sees, and the open reports of the projects they manage."""
    user = request.user
    today = timezone.localdate()
    cycles = [
        (cycle, services.reporting_period(cycle, today))
        for cycle in access.visible_cycles(user)
        .select_related("programme__portfolio", "portfolio")
        .order_by("name")[:200]
    ]
    open_reports = list(
        access.visible_reports(user)
        .filter(project__manager_id=user.pk, status__in=StatusReport.EDITABLE)
        .select_related("cycle", "project")
        .order_by("due")[:50]
    )
    return render(
        request,
        "reporting/my_reports.html",
        {"cycles": cycles, "open_reports": open_reports, "breadcrumbs": [(_("Reports"), None)]},
    )
