"""Meeting pages: the lists (everything, a project, a programme, a portfolio), and creating,
editing, cancelling, deleting and restoring a meeting.

The meeting page itself with its agenda builder, attendance and event sessions lives in
`views_detail`; its views are re-exported here because the URL map names this module.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.lib.htmx import wants_partial, with_messages
from schakel.lib.services import StaleVersionError
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers import access as register_access
from schakel.registers.models import Action

from . import access, services
from .filters import ALL, PAST, UPCOMING, WHEN_CHOICES, MeetingFilter
from .forms import MeetingForm, meeting_conflict
from .models import Kind, Meeting, MeetingSeries, Outcome
from .views_common import (
    SCOPE_KINDS,
    Scope,
    archived,
    crumbs,
    plannable_scopes,
    refuse,
    scope_kind_of,
    scope_label,
    scope_list_url,
    undo_form,
)
from .views_detail import (  # noqa: F401  (the URL map names them here)
    agenda_add,
    agenda_delete,
    agenda_edit,
    agenda_link,
    agenda_prepare,
    agenda_reorder,
    agenda_unlink,
    attendance_guest,
    attendance_invite,
    attendance_remove,
    attendance_set,
    meeting_detail,
    session_add,
    session_delete,
    session_edit,
    session_register,
    session_unregister,
)

PAGE_SIZE = 25
# Filters shown in the bar (the "when" toggle and the scope filters are links or implied).
BAR_FILTERS = ("q", "kind", "series", "status", "date_from", "date_to")


# Lists ------------------------------------------------------------------------------------


def scoped_meetings(user: Any, scope: Scope | None) -> QuerySet[Meeting]:
    """The visible meetings of a scope: a programme's include its projects', a portfolio's all."""
    meetings = access.visible_meetings(user)
    if isinstance(scope, Project):
        return meetings.filter(project=scope)
    if isinstance(scope, Programme):
        return meetings.filter(Q(programme=scope) | Q(project__programme=scope))
    if isinstance(scope, Portfolio):
        return meetings.filter(
            Q(portfolio=scope)
            | Q(programme__portfolio=scope)
            | Q(project__programme__portfolio=scope)
        )
    return meetings


def scoped_series(user: Any, scope: Scope | None) -> QuerySet[MeetingSeries]:
    series = access.visible_series(user)
    if isinstance(scope, Project):
        return series.filter(project=scope)
    if isinstance(scope, Programme):
        return series.filter(Q(programme=scope) | Q(project__programme=scope))
    if isinstance(scope, Portfolio):
        return series.filter(
            Q(portfolio=scope)
            | Q(programme__portfolio=scope)
            | Q(project__programme__portfolio=scope)
        )
    return series


def _filter_data(params: QueryDict) -> QueryDict:
    """The query with the default period: upcoming, unless a date range says otherwise."""
    data = params.copy()
    if not data.get("when"):
        data["when"] = ALL if (data.get("date_from") or data.get("date_to")) else UPCOMING
    series = data.get("series", "")
    if series and not (series.isdigit() and len(series) < 10):
        data["series"] = ""
    return data


def _ordered(filterset: MeetingFilter, when: str) -> QuerySet[Meeting]:
    queryset = filterset.qs
    if filterset.form.cleaned_data.get("ordering"):
        return queryset.order_by(*queryset.query.order_by, "pk")
    if when == UPCOMING:
        return queryset.order_by("start", "pk")
    return queryset.order_by("-start", "-pk")


def open_actions_by_meeting(user: Any, meetings: Sequence[Meeting]) -> dict[int, int]:
    """How many open actions (that the user may see) each meeting produced: two queries."""
    rows = list(
        Outcome.objects.filter(
            meeting__in=[m.pk for m in meetings], kind="action", role=Outcome.Role.CREATED
        ).values_list("meeting_id", "item_id")
    )
    if not rows:
        return {}
    open_ids = set(
        register_access.visible_items(user, Action)
        .filter(status__in=Action.OPEN_STATUSES, pk__in={item for _meeting, item in rows})
        .values_list("pk", flat=True)
    )
    return dict(Counter(meeting for meeting, item in rows if item in open_ids))


def _list_page(
    request: HttpRequest, scope: Scope | None, *, template: str = "meetings/meeting_list.html"
) -> HttpResponse:
    user = request.user
    data = _filter_data(request.GET)
    base = scoped_meetings(user, scope)
    filterset = MeetingFilter(data, queryset=base, request=request)
    when = str(data.get("when") or "")
    if when not in {UPCOMING, PAST, ALL}:
        when = UPCOMING
    rows = _ordered(filterset, when).select_related(
        "series", "chair", "project", "programme", "portfolio"
    )
    rows = rows.annotate(agenda_count=Count("agenda", distinct=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    meetings = list(page.object_list)
    actions = open_actions_by_meeting(user, meetings)
    for meeting in meetings:
        meeting.open_actions = actions.get(meeting.pk, 0)  # type: ignore[attr-defined]
    filtered = any(
        value for key, value in request.GET.items() if key not in ("page", "ordering", "when")
    )
    context: dict[str, Any] = {
        "scope": scope,
        "scope_kind": scope_kind_of(scope) if scope is not None else "all",
        "page_obj": page,
        "meetings": meetings,
        "when": when,
        "when_choices": WHEN_CHOICES,
        "filtered": filtered,
        "show_scope": scope is None or scope_kind_of(scope) != "project",
    }
    if wants_partial(request) and request.htmx.target == "meeting-results":  # type: ignore[attr-defined]
        return with_messages(request, render(request, f"{template}#results", context))
    form = filterset.form
    series_field = form.fields["series"]
    series_choices = [("", _("All series"))] + [
        (str(s.pk), s.title) for s in scoped_series(user, scope).order_by("title")[:200]
    ]
    series_field.widget = forms.Select(choices=series_choices)
    form.fields["kind"].widget.choices = [("", _("All kinds")), *Kind.choices]
    form.fields["status"].widget.choices = [("", _("All statuses")), *Meeting.Status.choices]
    for name in ("date_from", "date_to"):
        form.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    for name in ("kind", "series", "status", "date_from", "date_to"):
        form.fields[name].widget.attrs["data-autosubmit"] = ""
    can_plan_here = scope is not None and not archived(scope) and access.can_plan(user, scope)
    context.update(
        {
            "filter_form": form,
            "filter_fields": [form[name] for name in BAR_FILTERS],
            "mine": form.cleaned_data.get("mine") if form.is_valid() else False,
            "can_plan": can_plan_here,
            "scope_options": plannable_scopes(user) if scope is None else [],
            "breadcrumbs": crumbs(scope) if scope is not None else [(_("Meetings"), None)],
            "scope_label": scope_label(scope) if scope is not None else "",
        }
    )
    return render(request, template, context)


def _start_new(request: HttpRequest) -> HttpResponse | None:
    """From the list of all meetings: "New meeting in <scope>" goes to that scope's form."""
    what = request.GET.get("new")
    if what not in ("meeting", "series"):
        return None
    kind, _sep, pk = (request.GET.get("in") or "").partition(":")
    if kind not in SCOPE_KINDS or not pk.isdigit() or len(pk) > 9:
        messages.error(request, _("Choose where the new meeting belongs."))
        return redirect("meetings:meeting_list")
    access.scope_for_user(request.user, kind, pk, plan=True)
    name = "meetings:meeting_create" if what == "meeting" else "meetings:series_create"
    return redirect(name, scope_kind=kind, pk=int(pk))


@login_required
@vary_on_headers("HX-Request")
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting the user may see: upcoming first, filters, and "new" for planners."""
    started = _start_new(request)
    if started is not None:
        return started
    return _list_page(request, None)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def project_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's meetings."""
    return _list_page(request, access.scope_for_user(request.user, "project", pk))


@login_required
@vary_on_headers("HX-Request")
@require_GET
def programme_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's own meetings and those of its projects (the ones the user may see)."""
    return _list_page(request, access.scope_for_user(request.user, "programme", pk))


@login_required
@vary_on_headers("HX-Request")
@require_GET
def portfolio_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """Every meeting in a portfolio that the user may see, under the portfolio's tab bar."""
    return _list_page(request, access.scope_for_user(request.user, "portfolio", pk))


# Create and edit --------------------------------------------------------------------------


def _service_errors(form: MeetingForm, error: ValidationError) -> None:
    """Put a service's errors on the form; the model's start and end are our time fields."""
    rename = {"start": "start_time", "end": "end_time"}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = rename.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


def _series_initial(
    request: HttpRequest, series_choices: QuerySet[MeetingSeries]
) -> dict[str, Any] | None:
    raw = request.GET.get("series", "")
    if not raw.isdigit() or len(raw) > 9:
        return None
    series = series_choices.filter(pk=int(raw)).first()
    if series is None:
        return None
    dates = services.series_next_dates(series, count=1)
    day = dates[0] if dates else timezone.localdate() + datetime.timedelta(days=7)
    return MeetingForm.initial_from_series(series, day)


def _default_kind(scope: Scope) -> str:
    return {
        "project": Kind.PROJECT_TEAM,
        "programme": Kind.STEERING_COMMITTEE,
        "portfolio": Kind.STEERING_COMMITTEE,
    }[scope_kind_of(scope)]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, scope_kind: str, pk: int) -> HttpResponse:
    """Plan a meeting in a scope (managers and above); `?series=` fills in the series' ways."""
    user = request.user
    scope = access.scope_for_user(user, scope_kind, pk, plan=True)
    if archived(scope):
        messages.warning(request, _("This is archived and read-only; unarchive it to change it."))
        return redirect(scope_list_url(scope))
    series_choices = access.visible_series(user).filter(**{scope_kind: scope}).order_by("title")
    initial = _series_initial(request, series_choices) or {
        "kind": _default_kind(scope),
        "date": timezone.localdate() + datetime.timedelta(days=1),
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(11, 0),
        "chair": user.pk,
    }
    form = MeetingForm(
        request.POST or None,
        scope=scope,
        user=user,
        series_choices=series_choices,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            series = form.cleaned_data.get("series")
            invitees = list(form.cleaned_data.get("invitees") or [])
            try:
                meeting = services.meeting_create(
                    scope=scope,
                    by=user,
                    series=series,
                    invitees=None if series is not None and not invitees else invitees,
                    **form.changes(),
                )
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(
                    request, _("The meeting “%(title)s” is planned.") % {"title": meeting.title}
                )
                return redirect(meeting)
    heading = _("New meeting")
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "scope": scope,
            "heading": heading,
            "submit_label": _("Plan meeting"),
            "cancel_url": scope_list_url(scope),
            "breadcrumbs": crumbs(scope, heading),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change when, where and who (managers); a stale version answers 409 with the current."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, plan=True)
    form = MeetingForm(
        request.POST or None,
        scope=meeting.scope,
        user=user,
        meeting=meeting,
        initial=MeetingForm.initial_for(meeting),
    )
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.meeting_update(
                    meeting=meeting,
                    version=form.cleaned_data["version"],
                    by=user,
                    **form.changes(),
                )
            except StaleVersionError:
                current = access.meeting_for_user(user, pk)
                conflict = meeting_conflict(form, current)
                form = MeetingForm(
                    scope=current.scope,
                    user=user,
                    meeting=current,
                    initial=MeetingForm.initial_for(current),
                )
                meeting, status = current, 409
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting)
    heading = _("Edit meeting")
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "scope": meeting.scope,
            "conflict": conflict,
            "heading": heading,
            "submit_label": _("Save"),
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumbs": crumbs(
                meeting.scope, (meeting.title, meeting.get_absolute_url()), heading
            ),
        },
        status=status,
    )


# Cancel, delete, restore ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then cancel a planned meeting; invitees' calendars drop it."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, plan=True)
    if request.method == "POST":
        try:
            services.meeting_cancel(meeting=meeting, by=user)
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("The meeting is cancelled."))
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_confirm.html",
        {
            "meeting": meeting,
            "action": "cancel",
            "can_do": meeting.status == Meeting.Status.PLANNED,
            "breadcrumbs": crumbs(
                meeting.scope, (meeting.title, meeting.get_absolute_url()), _("Cancel")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a meeting to the trash (managers); it can be restored."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, plan=True)
    if request.method == "POST":
        services.trash(obj=meeting, by=user)
        messages.success(
            request,
            format_html(
                _("“{title}” was moved to the trash. {undo}"),
                title=meeting.title,
                undo=undo_form(request, reverse("meetings:meeting_restore", args=[meeting.pk])),
            ),
        )
        return redirect(scope_list_url(meeting.scope))
    return render(
        request,
        "meetings/meeting_confirm.html",
        {
            "meeting": meeting,
            "action": "delete",
            "can_do": True,
            "outcome_count": meeting.outcomes.count(),
            "breadcrumbs": crumbs(
                meeting.scope, (meeting.title, meeting.get_absolute_url()), _("Move to trash")
            ),
        },
    )


@login_required
@require_POST
def meeting_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring a meeting back from the trash (managers of its scope)."""
    user = request.user
    try:
        meeting = (
            access.visible_meetings(user, include_trashed=True)
            .select_related("project__programme__portfolio", "programme__portfolio", "portfolio")
            .get(pk=int(pk))
        )
    except (ValueError, Meeting.DoesNotExist) as exc:
        raise Http404 from exc
    if not access.can_plan_meeting(user, meeting):
        raise PermissionDenied
    if meeting.is_trashed:
        services.restore(obj=meeting, by=user)
        messages.success(request, _("“%(title)s” is back.") % {"title": meeting.title})
    return redirect(meeting)
