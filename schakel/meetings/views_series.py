"""Meeting series pages: create, show, edit (with conflict detection), plan the next
meetings, delete to the trash and restore.

A series is the forum (the steering committee of a programme) with its rhythm, people and
standard agenda; "Plan next meetings" turns it into meetings, each starting from the
standard agenda. Managers and above plan and change series; everyone who sees the scope
sees them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.lib.forms import add_service_errors, conflict_rows
from schakel.lib.services import StaleVersionError

from . import access, services
from .filters import start_of_day
from .forms import BaseStandardAgendaFormSet, PlanForm, SeriesForm, agenda_formset
from .models import MeetingSeries
from .views_common import archived, crumbs, scope_label, scope_list_url, undo_form
from .views_meetings import open_actions_by_meeting

SHOWN_MEETINGS = 12


def _agenda_conflict(
    formset: BaseStandardAgendaFormSet, current: MeetingSeries
) -> list[tuple[str, str, str]]:
    yours = formset.agenda()
    if yours == current.standard_agenda:
        return []

    def titles(rows: list[dict[str, Any]]) -> str:
        return "; ".join(str(row.get("title", "")) for row in rows) or "—"

    return [(str(_("Standard agenda")), titles(yours), titles(current.standard_agenda))]


def _render_form(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, "meetings/series_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest, scope_kind: str, pk: int) -> HttpResponse:
    """Set up a recurring forum in a scope (managers and above)."""
    user = request.user
    scope = access.scope_for_user(user, scope_kind, pk, plan=True)
    if archived(scope):
        messages.warning(request, _("This is archived and read-only; unarchive it to change it."))
        return redirect(scope_list_url(scope))
    instance = MeetingSeries()
    instance.scope = scope
    initial = {"first_date": timezone.localdate(), "chair": user.pk}
    form = SeriesForm(
        request.POST or None, instance=instance, scope=scope, user=user, initial=initial
    )
    formset = agenda_formset(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                series = services.series_create(
                    scope=scope,
                    by=user,
                    invitees=form.cleaned_data["invitees"],
                    standard_agenda=formset.agenda(),
                    **form.changes(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The series “%(title)s” is set up. Plan its first meetings here.")
                    % {"title": series.title},
                )
                return redirect(series)
    heading = _("New meeting series")
    return _render_form(
        request,
        {
            "form": form,
            "formset": formset,
            "scope": scope,
            "heading": heading,
            "submit_label": _("Create series"),
            "cancel_url": scope_list_url(scope),
            "breadcrumbs": crumbs(scope, heading),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a series; an edit from an older version answers 409 with the current one."""
    user = request.user
    series = access.series_for_user(user, pk, edit=True)
    form = SeriesForm(request.POST or None, instance=series, user=user)
    formset = agenda_formset(request.POST or None, agenda=series.standard_agenda)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                series = services.series_update(
                    series=series,
                    version=form.cleaned_data["version"],
                    by=user,
                    invitees=list(form.cleaned_data["invitees"]),
                    standard_agenda=formset.agenda(),
                    **form.changes(),
                )
            except StaleVersionError as stale:
                current = access.series_for_user(user, pk)
                conflict = conflict_rows(form, stale.current) + _agenda_conflict(formset, current)
                form = SeriesForm(instance=current, user=user)
                formset = agenda_formset(agenda=current.standard_agenda)
                series, status = current, 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Series saved. Meetings already planned keep their details.")
                )
                return redirect(series)
    heading = _("Edit series")
    return _render_form(
        request,
        {
            "form": form,
            "formset": formset,
            "series": series,
            "scope": series.scope,
            "conflict": conflict,
            "heading": heading,
            "submit_label": _("Save"),
            "cancel_url": series.get_absolute_url(),
            "breadcrumbs": crumbs(series.scope, (series.title, series.get_absolute_url()), heading),
        },
        status=status,
    )


@login_required
@require_GET
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A series: its rhythm, people, standard agenda, and its meetings past and to come."""
    user = request.user
    series = access.series_for_user(user, pk)
    today = start_of_day(timezone.localdate())
    meetings = (
        access.visible_meetings(user)
        .filter(series=series)
        .select_related("chair")
        .annotate(agenda_count=Count("agenda", distinct=True))
    )
    upcoming = list(meetings.filter(start__gte=today).order_by("start", "pk")[:SHOWN_MEETINGS])
    past = list(meetings.filter(start__lt=today).order_by("-start", "-pk")[:SHOWN_MEETINGS])
    actions = open_actions_by_meeting(user, [*upcoming, *past])
    for meeting in [*upcoming, *past]:
        meeting.open_actions = actions.get(meeting.pk, 0)  # type: ignore[attr-defined]
    agenda = [row for row in series.standard_agenda if isinstance(row, dict)]
    can_edit = access.can_edit_series(user, series)
    context = {
        "series": series,
        "scope": series.scope,
        "scope_label": scope_label(series.scope),
        "scope_url": scope_list_url(series.scope),
        "invitees": list(series.invitees.order_by("first_name", "last_name", "username")),
        "agenda": agenda,
        "agenda_total": sum(int(row.get("minutes", 0) or 0) for row in agenda),
        "upcoming": upcoming,
        "past": past,
        "more_upcoming": meetings.filter(start__gte=today).count() > len(upcoming),
        "more_past": meetings.filter(start__lt=today).count() > len(past),
        "list_url": scope_list_url(series.scope) + f"?series={series.pk}",
        "can_edit": can_edit,
        "can_plan": can_edit and not archived(series.scope),
        "plan_form": PlanForm(),
        "next_dates": services.series_next_dates(series, count=3),
        "breadcrumbs": crumbs(series.scope, series.title),
    }
    return render(request, "meetings/series_detail.html", context)


@login_required
@require_POST
def series_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the next 1–12 meetings of the series from its rhythm and standard agenda."""
    user = request.user
    series = access.series_for_user(user, pk, edit=True)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Plan between 1 and 12 meetings at a time."))
        return redirect(series)
    try:
        planned = services.series_plan(series=series, by=user, count=form.cleaned_data["count"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(series)
    if not planned:
        messages.warning(
            request, _("There is no next date: this series does not repeat, or its dates are over.")
        )
    else:
        first = timezone.localtime(planned[0].start).date()
        messages.success(
            request,
            ngettext(
                "%(count)d meeting planned, on %(first)s.",
                "%(count)d meetings planned, the first on %(first)s.",
                len(planned),
            )
            % {"count": len(planned), "first": date_format(first, "DATE_FORMAT")},
        )
    return redirect(series)


@login_required
@require_http_methods(["GET", "POST"])
def series_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a series to the trash; its meetings stay."""
    user = request.user
    series = access.series_for_user(user, pk, edit=True)
    if request.method == "POST":
        services.trash(obj=series, by=user)
        messages.success(
            request,
            format_html(
                _("The series “{title}” was moved to the trash. {undo}"),
                title=series.title,
                undo=undo_form(request, reverse("meetings:series_restore", args=[series.pk])),
            ),
        )
        return redirect(scope_list_url(series.scope))
    return render(
        request,
        "meetings/series_delete.html",
        {
            "series": series,
            "meeting_count": access.visible_meetings(user).filter(series=series).count(),
            "breadcrumbs": crumbs(
                series.scope, (series.title, series.get_absolute_url()), _("Move to trash")
            ),
        },
    )


@login_required
@require_POST
def series_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring a series back from the trash (managers of its scope)."""
    user = request.user
    try:
        series = (
            access.visible_series(user, include_trashed=True)
            .select_related("project__programme__portfolio", "programme__portfolio", "portfolio")
            .get(pk=int(pk))
        )
    except (ValueError, MeetingSeries.DoesNotExist) as exc:
        raise Http404 from exc
    if not access.can_edit_series(user, series):
        raise PermissionDenied
    if series.is_trashed:
        services.restore(obj=series, by=user)
        messages.success(request, _("The series “%(title)s” is back.") % {"title": series.title})
    return redirect(series)
