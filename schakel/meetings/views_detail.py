"""The meeting page: header, agenda builder, attendance, event sessions and outcomes.

One URL, several swappable regions (`#agenda`, `#attendance`, `#sessions`): every change
posts to its own endpoint, which answers an htmx request with the region redrawn (and the
flash messages out of band) and a plain form post with a redirect back to the region. A
refused change answers 400 with the region showing why; a stale agenda item 409 with the
item's form at its stored values. (To htmx a refusal answers 422 rather than 400, which
django-htmx's debug script would take over.) Reading needs the meeting to be visible; changing the
agenda and attendance needs `can_run` (chair, minute taker, managers).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.lib.forms import add_service_errors, conflict_rows
from schakel.lib.htmx import targets, wants_partial, with_messages
from schakel.lib.services import StaleVersionError
from schakel.portfolio import access as portfolio_access
from schakel.registers import access as register_access
from schakel.registers.models import Action, Decision, Issue, RegisterItem, Risk

from . import access, services
from .forms import (
    AgendaItemForm,
    AgendaLinkForm,
    AttendanceStatusForm,
    GuestForm,
    InviteForm,
    SessionForm,
)
from .minutes import outcome_items
from .models import (
    AgendaItem,
    AgendaLink,
    Attendance,
    EventSession,
    Meeting,
    Outcome,
    Registration,
)
from .views_common import crumbs, error_text, scope_label, scope_list_url

PARTS = ("agenda", "attendance", "sessions")
MAX_ORDER = 500
# Outcomes grouped by register, in the order minutes read them.
OUTCOME_GROUPS: tuple[tuple[str, type[RegisterItem]], ...] = (
    ("decision", Decision),
    ("action", Action),
    ("risk", Risk),
    ("issue", Issue),
)


# Reading the meeting ----------------------------------------------------------------------


@dataclass
class AgendaRow:
    """An agenda item as the page shows it: its number, clock times and linked items."""

    item: AgendaItem
    number: int
    start: datetime.datetime
    end: datetime.datetime
    links: list[RegisterItem] = field(default_factory=list)
    outcome_count: int = 0
    up_order: str = ""
    down_order: str = ""


def _linked_items(user: Any, items: list[AgendaItem]) -> dict[int, list[RegisterItem]]:
    """The register items linked under each agenda item that the user may see."""
    links = list(AgendaLink.objects.filter(agenda_item__in=[i.pk for i in items]).order_by("pk"))
    wanted: dict[int, set[int]] = defaultdict(set)
    for link in links:
        wanted[link.item_type_id].add(link.item_id)
    found: dict[tuple[int, int], RegisterItem] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not issubclass(model, RegisterItem):
            continue
        for target in (
            register_access.visible_items(user, model)
            .filter(pk__in=ids)
            .select_related("project", "programme", "owner")
        ):
            found[(type_id, target.pk)] = target
    by_item: dict[int, list[RegisterItem]] = defaultdict(list)
    for link in links:
        linked = found.get((link.item_type_id, link.item_id))
        if linked is not None:
            by_item[link.agenda_item_id].append(linked)
    return by_item


def agenda_rows(user: Any, meeting: Meeting) -> list[AgendaRow]:
    """The agenda in order, each item with its running clock times from the meeting's start."""
    items = list(meeting.agenda.select_related("presenter").order_by("position", "pk"))
    links = _linked_items(user, items)
    outcomes = dict(
        Outcome.objects.filter(meeting=meeting, agenda_item__isnull=False)
        .values("agenda_item_id")
        .annotate(n=Count("pk"))
        .values_list("agenda_item_id", "n")
    )
    ids = [item.pk for item in items]
    clock = timezone.localtime(meeting.start)
    rows = []
    for index, item in enumerate(items):
        end = clock + datetime.timedelta(minutes=item.minutes)
        up = down = ""
        if index > 0:
            order = ids.copy()
            order[index - 1], order[index] = order[index], order[index - 1]
            up = ",".join(map(str, order))
        if index < len(ids) - 1:
            order = ids.copy()
            order[index + 1], order[index] = order[index], order[index + 1]
            down = ",".join(map(str, order))
        rows.append(
            AgendaRow(
                item=item,
                number=index + 1,
                start=clock,
                end=end,
                links=links.get(item.pk, []),
                outcome_count=outcomes.get(item.pk, 0),
                up_order=up,
                down_order=down,
            )
        )
        clock = end
    return rows


def locked_reason(meeting: Meeting) -> str | None:
    """Why the agenda and attendance cannot change any more, if they cannot."""
    if meeting.status == Meeting.Status.PUBLISHED:
        return _(
            "The minutes are published: the agenda and attendance are read-only. "
            "Reopen the minutes to change them."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting is cancelled: its agenda and attendance are read-only.")
    return None


def can_register(user: Any, meeting: Meeting) -> bool:
    """Who may put themselves down for a session: members of the scope and invitees."""
    if not user.is_authenticated:
        return False
    role = access.role_on_scope(user, meeting)
    if portfolio_access.has_role(role, access.RUN):
        return True
    return meeting.attendance.filter(user=user).exists()


def _sessions(user: Any, meeting: Meeting, *, with_people: bool) -> list[EventSession]:
    sessions: list[EventSession] = list(
        meeting.sessions.select_related("host")
        .annotate(taken=Count("registrations"))
        .order_by("position", "pk")
    )
    mine = set(
        Registration.objects.filter(session__meeting=meeting, user=user).values_list(
            "session_id", flat=True
        )
    )
    people: dict[int, list[Any]] = defaultdict(list)
    if with_people:
        for registration in (
            Registration.objects.filter(session__meeting=meeting)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username")
        ):
            people[registration.session_id].append(registration.user)
    for session in sessions:
        session.registered = session.pk in mine  # type: ignore[attr-defined]
        session.full = session.capacity is not None and session.taken >= session.capacity  # type: ignore[attr-defined]
        session.people = people.get(session.pk, [])  # type: ignore[attr-defined]
    return sessions


def _outcomes(user: Any, meeting: Meeting) -> list[tuple[str, list[tuple[Outcome, RegisterItem]]]]:
    """What the meeting produced, by register, keeping only the items the user may see."""
    pairs = outcome_items(meeting)
    visible: set[tuple[str, int]] = set()
    for kind, model in OUTCOME_GROUPS:
        ids = {item.pk for outcome, item in pairs if outcome.kind == kind}
        if ids:
            visible |= {
                (kind, pk)
                for pk in register_access.visible_items(user, model)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            }
    labels = {
        "decision": _("Decisions"),
        "action": _("Actions"),
        "risk": _("Risks"),
        "issue": _("Issues"),
    }
    groups = []
    for kind, _model in OUTCOME_GROUPS:
        rows = [(o, i) for o, i in pairs if o.kind == kind and (kind, i.pk) in visible]
        if rows:
            groups.append((labels[kind], rows))
    return groups


def detail_context(request: HttpRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """Everything the meeting page and its regions draw; `extra` carries bound forms."""
    user = request.user
    can_run = access.can_run(user, meeting)
    can_plan = access.can_plan_meeting(user, meeting)
    locked = locked_reason(meeting)
    editable = can_run and locked is None
    rows = agenda_rows(user, meeting)
    total = sum(row.item.minutes for row in rows)
    length = meeting.duration_minutes
    attendance = list(meeting.attendance.select_related("user").order_by("pk"))
    context: dict[str, Any] = {
        "meeting": meeting,
        "scope": meeting.scope,
        "scope_label": scope_label(meeting.scope),
        "scope_url": scope_list_url(meeting.scope),
        "can_run": can_run,
        "can_plan": can_plan,
        "editable": editable,
        "locked_reason": locked,
        "rows": rows,
        "agenda_total": total,
        "agenda_length": length,
        "agenda_over": total - length if total > length else 0,
        "agenda_left": length - total if total < length else 0,
        "agenda_end": rows[-1].end if rows else None,
        "attendance": attendance,
        "attendance_counts": _attendance_counts(attendance),
        "outcome_groups": _outcomes(user, meeting),
        "breadcrumbs": crumbs(meeting.scope, meeting.title),
        "show_chair": can_run
        and meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS),
        "show_minutes": meeting.status == Meeting.Status.PUBLISHED
        or (
            can_run and meeting.status in (Meeting.Status.IN_PROGRESS, Meeting.Status.MINUTES_DRAFT)
        ),
        "can_cancel": can_plan and meeting.status == Meeting.Status.PLANNED,
    }
    if editable:
        context.update(
            {
                "add_form": extra.pop("add_form", None)
                or AgendaItemForm(meeting=meeting, user=user, prefix="add"),
                "link_form": extra.pop("link_form", None),
                "invite_form": extra.pop("invite_form", None)
                or InviteForm(meeting=meeting, prefix="invite"),
                "guest_form": extra.pop("guest_form", None) or GuestForm(prefix="guest"),
                "has_standing": any(row.item.standing for row in rows),
            }
        )
    if meeting.is_event:
        context["sessions"] = _sessions(user, meeting, with_people=can_run)
        context["may_register"] = can_register(user, meeting) and meeting.status not in (
            Meeting.Status.CANCELLED,
            Meeting.Status.PUBLISHED,
        )
        if editable:
            context["session_form"] = extra.pop("session_form", None) or SessionForm(
                meeting=meeting, user=user, prefix="session"
            )
    context.update(extra)
    return context


def _attendance_counts(rows: list[Attendance]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return dict(counts)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's hub: what, when, where, who, the agenda, attendance, sessions, outcomes."""
    meeting = access.meeting_for_user(request.user, pk)
    context = detail_context(request, meeting)
    for part in PARTS:
        if targets(request, part):
            return with_messages(
                request, render(request, f"meetings/meeting_detail.html#{part}", context)
            )
    return render(request, "meetings/meeting_detail.html", context)


# Answering a change -----------------------------------------------------------------------


def _fresh(request: HttpRequest, meeting: Meeting) -> Meeting:
    return access.meeting_for_user(request.user, meeting.pk)


def _part(
    request: HttpRequest, meeting: Meeting, part: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The region `part` redrawn for htmx; the whole page (with any bound form) otherwise.

    A plain post that worked gets a redirect back to the region instead (see `_done`).
    """
    context = detail_context(request, _fresh(request, meeting), **extra)
    if wants_partial(request):
        response = render(
            request, f"meetings/meeting_detail.html#{part}", context, status=_htmx_status(status)
        )
        return with_messages(request, response)
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _htmx_status(status: int) -> int:
    """A refused change answers 422 to htmx: django-htmx's debug script takes over 400s."""
    return 422 if status == 400 else status


def _done(request: HttpRequest, meeting: Meeting, part: str, **extra: Any) -> HttpResponse:
    if wants_partial(request):
        return _part(request, meeting, part, **extra)
    return redirect(meeting.get_absolute_url() + f"#{part}")


def _refused(
    request: HttpRequest, meeting: Meeting, part: str, error: ValidationError | str
) -> HttpResponse:
    """A change the rules refuse (published minutes, items captured under an agenda item)."""
    text = error if isinstance(error, str) else error_text(error)
    if wants_partial(request):
        return _part(request, meeting, part, status=400, **{f"{part}_error": text})
    messages.error(request, text)
    return redirect(meeting.get_absolute_url() + f"#{part}")


# Agenda -----------------------------------------------------------------------------------


def _agenda_item(request: HttpRequest, pk: int) -> tuple[Meeting, AgendaItem]:
    """An agenda item of a meeting the user may run (404 when hidden, 403 when only seen)."""
    meeting_id = AgendaItem.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = access.meeting_for_user(request.user, meeting_id, run=True)
    item = AgendaItem.objects.select_related("presenter").get(pk=pk)
    item.meeting = meeting
    return meeting, item


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item at the end of the agenda."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    form = AgendaItemForm(request.POST, meeting=meeting, user=user, prefix="add")
    if form.is_valid():
        try:
            item = services.agenda_item_add(meeting=meeting, by=user, **form.changes())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, meeting, "agenda", exc)
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(title)s” was added to the agenda.") % {"title": item.title}
            )
            return _done(request, meeting, "agenda")
    return _part(request, meeting, "agenda", status=400, add_form=form)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an agenda item in place; an edit of an item changed meanwhile answers 409."""
    user = request.user
    meeting, item = _agenda_item(request, pk)
    prefix = f"item-{item.pk}"
    form = AgendaItemForm(
        request.POST or None, instance=item, meeting=meeting, user=user, prefix=prefix
    )
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.agenda_item_update(
                    item=item, version=form.cleaned_data["version"], by=user, **form.changes()
                )
            except StaleVersionError as stale:
                current = AgendaItem.objects.select_related("presenter").get(pk=item.pk)
                current.meeting = meeting
                conflict = conflict_rows(form, stale.current)
                form = AgendaItemForm(instance=current, meeting=meeting, user=user, prefix=prefix)
                item, status = current, 409
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    return _refused(request, meeting, "agenda", exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Agenda item saved."))
                return _done(request, meeting, "agenda")
    if request.method == "GET":
        form.fields["title"].widget.attrs["data-focus-first"] = ""
    context = {
        "meeting": meeting,
        "item": item,
        "form": form,
        "conflict": conflict,
        "standalone": not wants_partial(request),
        "breadcrumbs": crumbs(
            meeting.scope, (meeting.title, meeting.get_absolute_url()), _("Edit agenda item")
        ),
    }
    if wants_partial(request):
        response = render(
            request, "meetings/agenda_item_form.html#form", context, status=_htmx_status(status)
        )
        if request.method == "POST":
            # The form posts with #agenda as its target; a refused form replaces itself.
            response["HX-Retarget"] = f"#agenda-{item.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "meetings/agenda_item_form.html", context, status=status)


@login_required
@require_POST
def agenda_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an agenda item, unless items were captured under it."""
    meeting, item = _agenda_item(request, pk)
    try:
        services.agenda_item_delete(item=item, by=request.user)
    except ValidationError as exc:
        return _refused(request, meeting, "agenda", exc)
    messages.success(request, _("“%(title)s” was removed from the agenda.") % {"title": item.title})
    return _done(request, meeting, "agenda")


def _parse_order(request: HttpRequest) -> list[int] | None:
    """The posted order: `order=3,1,2` or `order=3&order=1&order=2`; None when not numbers."""
    raw = ",".join(request.POST.getlist("order"))
    parts = [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()]
    if not parts or len(parts) > MAX_ORDER or not all(p.isdigit() and len(p) < 12 for p in parts):
        return None
    return [int(p) for p in parts]


@login_required
@require_POST
def agenda_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the agenda in the posted order (every item once); htmx gets the agenda back."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    order = _parse_order(request)
    try:
        if order is None:
            raise ValidationError(_("The new order must list every agenda item exactly once."))
        services.agenda_reorder(meeting=meeting, order=order, by=user)
    except ValidationError as exc:
        if wants_partial(request):
            # Plain text: the script shows it with textContent and restores the old order.
            return HttpResponse(
                error_text(exc), status=400, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, error_text(exc))
        return redirect(meeting.get_absolute_url() + "#agenda")
    if wants_partial(request):
        return _part(request, meeting, "agenda")
    return redirect(meeting.get_absolute_url() + "#agenda")


@login_required
@require_POST
def agenda_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the standing items (previous actions, decisions needed, risks due for review)."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    try:
        added = services.agenda_prepare(meeting=meeting, by=user)
    except ValidationError as exc:
        return _refused(request, meeting, "agenda", exc)
    if added:
        messages.success(
            request,
            ngettext(
                "Agenda prepared: %(count)d item added.",
                "Agenda prepared: %(count)d items added.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(request, _("Agenda prepared: nothing new to add."))
    return _done(request, meeting, "agenda")


@login_required
@require_POST
def agenda_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a register item under an agenda item by its reference code (e.g. ODI-R3)."""
    user = request.user
    meeting, item = _agenda_item(request, pk)
    form = AgendaLinkForm(request.POST, user=user)
    if form.is_valid() and form.target is not None:
        try:
            services.agenda_link(item=item, target=form.target, by=user)
        except ValidationError as exc:
            return _refused(request, meeting, "agenda", exc)
        messages.success(
            request,
            _("%(ref)s is on the agenda under “%(title)s”.")
            % {"ref": form.target.ref, "title": item.title},
        )
        return _done(request, meeting, "agenda")
    return _part(request, meeting, "agenda", status=400, link_form=form, link_item=item.pk)


@login_required
@require_POST
def agenda_unlink(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    """Take a register item off an agenda item."""
    user = request.user
    meeting, agenda_item = _agenda_item(request, pk)
    target = register_access.item_for_user(user, register_access.model_for_kind(kind), item)
    try:
        services.agenda_unlink(item=agenda_item, target=target, by=user)
    except ValidationError as exc:
        return _refused(request, meeting, "agenda", exc)
    messages.success(
        request,
        _("%(ref)s is no longer on the agenda under “%(title)s”.")
        % {"ref": target.ref, "title": agenda_item.title},
    )
    return _done(request, meeting, "agenda")


# Attendance -------------------------------------------------------------------------------


def _attendance(request: HttpRequest, pk: int) -> tuple[Meeting, Attendance]:
    meeting_id = Attendance.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = access.meeting_for_user(request.user, meeting_id, run=True)
    row = Attendance.objects.select_related("user").get(pk=pk)
    row.meeting = meeting
    return meeting, row


@login_required
@require_POST
def attendance_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark someone present, absent or excused."""
    meeting, row = _attendance(request, pk)
    form = AttendanceStatusForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, "attendance", _("Choose present, absent or excused."))
    try:
        services.attendance_set(attendance=row, status=form.cleaned_data["status"], by=request.user)
    except ValidationError as exc:
        return _refused(request, meeting, "attendance", exc)
    return _done(request, meeting, "attendance")


@login_required
@require_POST
def attendance_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a person who works in the meeting's scope."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    form = InviteForm(request.POST, meeting=meeting, prefix="invite")
    if form.is_valid():
        try:
            row = services.attendance_invite(
                meeting=meeting, user=form.cleaned_data["user"], by=user
            )
        except ValidationError as exc:
            return _refused(request, meeting, "attendance", exc)
        messages.success(request, _("%(name)s is invited.") % {"name": row.display_name})
        return _done(request, meeting, "attendance")
    return _part(request, meeting, "attendance", status=400, invite_form=form)


@login_required
@require_POST
def attendance_guest(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a guest without an account: a name and, if known, an e-mail address."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    form = GuestForm(request.POST, prefix="guest")
    if form.is_valid():
        try:
            row = services.attendance_add_guest(
                meeting=meeting,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                by=user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, meeting, "attendance", exc)
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is added as a guest.") % {"name": row.display_name}
            )
            return _done(request, meeting, "attendance", guest_open=True)
    return _part(request, meeting, "attendance", status=400, guest_form=form)


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take someone off the list."""
    meeting, row = _attendance(request, pk)
    name = row.display_name
    try:
        services.attendance_remove(attendance=row, by=request.user)
    except ValidationError as exc:
        return _refused(request, meeting, "attendance", exc)
    messages.success(request, _("%(name)s is no longer on the list.") % {"name": name})
    return _done(request, meeting, "attendance")


# Event sessions ---------------------------------------------------------------------------


def _session(request: HttpRequest, pk: int, *, run: bool) -> tuple[Meeting, EventSession]:
    meeting_id = EventSession.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = access.meeting_for_user(request.user, meeting_id, run=run)
    session = EventSession.objects.select_related("host").get(pk=pk)
    session.meeting = meeting
    return meeting, session


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a parallel session to an event."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    if not meeting.is_event:
        return _refused(request, meeting, "sessions", _("Only an event has sessions."))
    form = SessionForm(request.POST, meeting=meeting, user=user, prefix="session")
    if form.is_valid():
        try:
            session = services.session_add(meeting=meeting, by=user, **form.changes())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, meeting, "sessions", exc)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session “%(title)s” added.") % {"title": session.title})
            return _done(request, meeting, "sessions", session_open=True)
    return _part(request, meeting, "sessions", status=400, session_form=form)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a session (title, room, host, times, capacity)."""
    user = request.user
    meeting, session = _session(request, pk, run=True)
    form = SessionForm(
        request.POST or None,
        instance=session,
        meeting=meeting,
        user=user,
        prefix=f"session-{session.pk}",
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.session_update(session=session, by=user, **form.changes())
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    return _refused(request, meeting, "sessions", exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Session saved."))
                if wants_partial(request):
                    return _part(request, meeting, "sessions")
                return redirect(meeting.get_absolute_url() + "#sessions")
    if request.method == "GET":
        form.fields["title"].widget.attrs["data-focus-first"] = ""
    context = {
        "meeting": meeting,
        "session": session,
        "form": form,
        "standalone": not wants_partial(request),
        "breadcrumbs": crumbs(
            meeting.scope, (meeting.title, meeting.get_absolute_url()), _("Edit session")
        ),
    }
    if wants_partial(request):
        response = render(
            request, "meetings/session_form.html#form", context, status=_htmx_status(status)
        )
        if request.method == "POST":
            response["HX-Retarget"] = f"#session-{session.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "meetings/session_form.html", context, status=status)


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a session and its registrations."""
    meeting, session = _session(request, pk, run=True)
    try:
        services.session_delete(session=session, by=request.user)
    except ValidationError as exc:
        return _refused(request, meeting, "sessions", exc)
    messages.success(request, _("Session “%(title)s” removed.") % {"title": session.title})
    return _done(request, meeting, "sessions")


def _registrant(request: HttpRequest, pk: int) -> tuple[Meeting, EventSession]:
    meeting, session = _session(request, pk, run=False)
    if not can_register(request.user, meeting):
        raise PermissionDenied
    return meeting, session


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the current user down for a session, if a place is left."""
    meeting, session = _registrant(request, pk)
    try:
        services.session_register(session=session, user=request.user, by=request.user)
    except ValidationError as exc:
        return _refused(request, meeting, "sessions", exc)
    messages.success(request, _("You are registered for “%(title)s”.") % {"title": session.title})
    return _done(request, meeting, "sessions")


@login_required
@require_POST
def session_unregister(request: HttpRequest, pk: int) -> HttpResponse:
    """Give up one's place in a session."""
    meeting, session = _registrant(request, pk)
    services.session_unregister(session=session, user=request.user, by=request.user)
    messages.success(
        request, _("You are no longer registered for “%(title)s”.") % {"title": session.title}
    )
    return _done(request, meeting, "sessions")
