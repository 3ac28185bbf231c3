"""The chair view: one screen to run a meeting and write its minutes while it happens.

The chair (or the minute taker) walks the agenda item by item with the time box running,
writes notes that save themselves, and captures actions, decisions, risks and issues
straight into the registers. Everyone else who may see the meeting gets the same screen
without the controls, following the current item (a projector, a second laptop).

The page talks to the server in small requests that answer JSON or an htmx fragment:
`notes_save`/`summary_save` (autosave with the row's version; a stale version answers 409
with the stored text, never overwriting it), `capture` (a new register item), `goto`,
`action_review`, and `state`, which second screens poll to follow along. Every request
works without JavaScript too: forms post and the view redirects back.
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schakel.lib.htmx import wants_partial
from schakel.lib.services import StaleVersionError
from schakel.portfolio.views_history import object_breadcrumbs
from schakel.registers import access as register_access
from schakel.registers.models import Action, RegisterItem

from . import access, services
from .forms_live import (
    CAPTURE_FORMS,
    CaptureForm,
    capture_scopes,
    meeting_people,
)
from .minutes import outcome_items
from .models import AgendaItem, AgendaLink, Meeting, Outcome, Standing

# Longer notes than this are refused (400): minutes are read, not archived novels.
MAX_TEXT = 100_000
# A form sent back with its errors. Not 400: in development django-htmx replaces the whole
# page with any 400 answer to show Django's error page, which would hide the form.
INVALID = 422
LIVE_STATUSES = (
    Meeting.Status.PLANNED,
    Meeting.Status.IN_PROGRESS,
    Meeting.Status.MINUTES_DRAFT,
)


# Small helpers ----------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_error(message: str, status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _int(raw: Any) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or len(text) > 12:
        return None
    return int(text)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _clock(value: datetime.datetime) -> str:
    """A time as the user reads it ("14:03"), in their time zone."""
    return formats.time_format(timezone.localtime(value), "H:i")


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def chair_url(meeting: Meeting, item: AgendaItem | int | None = None) -> str:
    url = reverse("meetings:chair", args=[meeting.pk])
    pk = item.pk if isinstance(item, AgendaItem) else item
    return f"{url}?item={pk}" if pk else url


def _agenda_item(user: Any, pk: int) -> AgendaItem:
    """An agenda item of a meeting the user may run (404 when hidden, 403 when only seen)."""
    item = (
        AgendaItem.objects.filter(pk=pk, meeting__in=access.visible_meetings(user))
        .select_related("meeting")
        .first()
    )
    if item is None:
        raise Http404
    item.meeting = access.meeting_for_user(user, item.meeting_id, run=True)
    return item


def meeting_crumbs(meeting: Meeting, *tail: Any) -> list[tuple[str, str | None]]:
    """Portfolio › … › scope › Meetings › the meeting › `tail`."""
    scope_list = reverse(f"meetings:{meeting.scope_kind}_meetings", args=[meeting.scope.pk])
    return object_breadcrumbs(
        meeting.scope,
        (_("Meetings"), scope_list),
        (meeting.title, meeting.get_absolute_url()),
        *tail,
    )


# What the page shows -----------------------------------------------------------------------


@dataclass
class OutcomeEntry:
    """A register item captured (or reviewed) under an agenda item, ready for the page."""

    outcome: Outcome
    item: RegisterItem

    @property
    def kind_label(self) -> str:
        return str(self.item._meta.verbose_name)


@dataclass
class ReviewRow:
    """A previous action with what this meeting did to it (done, re-planned) so far."""

    action: Action
    note: str = ""
    error: str = ""
    conflict: bool = False


@dataclass
class ItemView:
    """One agenda item on the chair screen."""

    item: AgendaItem
    number: int
    links: list[RegisterItem] = field(default_factory=list)
    outcomes: list[OutcomeEntry] = field(default_factory=list)
    shows_previous_actions: bool = False
    previous: int | None = None
    next: int | None = None

    @property
    def pk(self) -> int:
        return int(self.item.pk)


def _visible_links(user: Any, agenda: list[AgendaItem]) -> dict[int, list[RegisterItem]]:
    """The register items on the agenda that the user may see, per agenda item."""
    rows = list(
        AgendaLink.objects.filter(agenda_item__in=agenda).values_list(
            "agenda_item_id", "item_type_id", "item_id"
        )
    )
    wanted: dict[int, set[int]] = defaultdict(set)
    for _agenda_id, type_id, item_id in rows:
        wanted[type_id].add(item_id)
    found: dict[tuple[int, int], RegisterItem] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not issubclass(model, RegisterItem):
            continue
        for obj in (
            register_access.visible_items(user, model)
            .filter(pk__in=ids)
            .select_related("owner", "project", "programme")
        ):
            found[(type_id, obj.pk)] = obj
    result: dict[int, list[RegisterItem]] = defaultdict(list)
    for agenda_id, type_id, item_id in rows:
        if (type_id, item_id) in found:
            result[agenda_id].append(found[(type_id, item_id)])
    return result


def _outcomes(meeting: Meeting) -> dict[int | None, list[OutcomeEntry]]:
    grouped: dict[int | None, list[OutcomeEntry]] = defaultdict(list)
    for outcome, item in outcome_items(meeting):
        grouped[outcome.agenda_item_id].append(OutcomeEntry(outcome, item))
    return grouped


def _series_action_ids(meeting: Meeting) -> Any:
    """Actions created in earlier meetings of the series: the ones this meeting reviews."""
    return Outcome.objects.filter(
        meeting__series_id=meeting.series_id,
        meeting__start__lt=meeting.start,
        kind="action",
        role=Outcome.Role.CREATED,
    ).values("item_id")


def _review_notes(meeting: Meeting) -> dict[int, str]:
    notes: dict[int, str] = {}
    for item_id, note in (
        meeting.outcomes.filter(kind="action", role=Outcome.Role.REVIEWED)
        .order_by("pk")
        .values_list("item_id", "note")
    ):
        notes[item_id] = note
    return notes


def review_rows(user: Any, meeting: Meeting) -> list[ReviewRow]:
    """Open actions from earlier meetings of the series, and those this meeting reviewed."""
    if meeting.series_id is None:
        return []
    notes = _review_notes(meeting)
    open_ids = {a.pk for a in services.previous_actions(meeting)}
    ids = open_ids | set(notes)
    actions = (
        register_access.visible_items(user, Action)
        .filter(pk__in=ids)
        .filter(pk__in=_series_action_ids(meeting))
        .select_related("owner", "project", "programme")
        .order_by("due", "pk")
    )
    return [ReviewRow(action, note=notes.get(action.pk, "")) for action in actions]


def _shown_item(request: HttpRequest, meeting: Meeting, agenda: list[AgendaItem]) -> int | None:
    wanted = _int(request.GET.get("item"))
    ids = [a.pk for a in agenda]
    if wanted in ids:
        return wanted
    if meeting.current_item_id in ids:
        return meeting.current_item_id
    return ids[0] if ids else None


def capture_forms(
    request: HttpRequest,
    meeting: Meeting,
    *,
    agenda_item: int | None,
    bound: CaptureForm | None = None,
) -> list[CaptureForm]:
    """The four capture forms; `bound` replaces its kind's empty form (errors to show)."""
    scopes, _every = capture_scopes(request.user, meeting)
    people = meeting_people(meeting, request.user)
    forms = []
    for kind, form_class in CAPTURE_FORMS.items():
        if bound is not None and kind == bound.KIND:
            forms.append(bound)
            continue
        forms.append(
            form_class(
                meeting=meeting,
                user=request.user,
                scopes=scopes,
                people=people,
                initial={"agenda_item": agenda_item},
            )
        )
    return forms


def js_strings() -> dict[str, str]:
    """Words chair.js shows, in the user's language (the page has no inline script)."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved %(time)s"),
        "unsaved": _("Unsaved changes"),
        "offline": _("Offline — will retry"),
        "conflict": _("Conflict"),
        "failed": _("Not saved: %(reason)s"),
        "restored": _("Restored text that was not saved yet"),
        "forbidden": _("you may no longer change this"),
        "conflict_intro": _(
            "Someone else changed this text while you were typing. Nothing was overwritten."
        ),
        "yours": _("Your text (not saved)"),
        "theirs": _("Saved by someone else"),
        "keep_mine": _("Keep mine"),
        "take_theirs": _("Take theirs"),
        "over": _("over"),
        "left": _("left"),
        "state_changed": _("The meeting moved on. Reload the page when your text is saved."),
        "goto_failed": _("Could not go to that item: %(reason)s"),
        "network": _("the connection dropped"),
    }


def chair_context(
    request: HttpRequest, meeting: Meeting, *, bound: CaptureForm | None = None
) -> dict[str, Any]:
    """Everything the chair screen shows, for runners (controls) and followers (read-only)."""
    user = request.user
    can_run = access.can_run(user, meeting)
    live = meeting.status in LIVE_STATUSES
    editable = can_run and live
    agenda = list(meeting.agenda.select_related("presenter").order_by("position", "pk"))
    links = _visible_links(user, agenda)
    outcomes = _outcomes(meeting)
    items = [
        ItemView(
            item=item,
            number=number,
            links=links.get(item.pk, []),
            outcomes=outcomes.get(item.pk, []),
            shows_previous_actions=item.standing == Standing.PREVIOUS_ACTIONS,
        )
        for number, item in enumerate(agenda, start=1)
    ]
    for before, after in itertools.pairwise(items):
        before.next, after.previous = after.pk, before.pk
    shown = _shown_item(request, meeting, agenda)
    if bound is not None and bound.is_bound:
        shown = _int(bound.data.get(bound.add_prefix("agenda_item"))) or shown
    planned_minutes = sum(item.minutes for item in agenda)
    shown_view = next((view for view in items if view.pk == shown), None)
    return {
        "meeting": meeting,
        "scope": meeting.scope,
        "items": items,
        "shown": shown,
        # The standing "previous actions" item lists them already: no need for the panel.
        "shown_is_previous": bool(shown_view and shown_view.shows_previous_actions),
        "loose_outcomes": outcomes.get(None, []),
        "can_run": can_run,
        "editable": editable,
        "read_only": not editable,
        "planned_minutes": planned_minutes,
        "over_planned": planned_minutes > meeting.duration_minutes,
        "review_rows": review_rows(user, meeting) if meeting.series_id else [],
        "has_series": meeting.series_id is not None,
        "forms": capture_forms(request, meeting, agenda_item=shown, bound=bound)
        if editable
        else [],
        "server_now": timezone.now(),
        "strings": js_strings(),
        "breadcrumbs": meeting_crumbs(meeting, _("Chair view")),
    }


# Pages and state ---------------------------------------------------------------------------


@login_required
@require_GET
def chair(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair view; `?part=outcomes&item=<id>` answers one item's outcome list (polling)."""
    meeting = access.meeting_for_user(request.user, pk)
    if request.GET.get("part") == "outcomes":
        item_id = _int(request.GET.get("item"))
        if item_id is None or not meeting.agenda.filter(pk=item_id).exists():
            raise Http404
        entries = _outcomes(meeting).get(item_id, [])
        return render(
            request, "meetings/chair_outcomes.html", {"entries": entries, "item_id": item_id}
        )
    return render(request, "meetings/chair.html", chair_context(request, meeting))


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """Where the meeting is: what a second screen needs to follow along."""
    counts = dict(
        meeting.outcomes.values("agenda_item_id")
        .annotate(n=Count("pk"))
        .values_list("agenda_item_id", "n")
    )
    items = [
        {"id": pk, "version": version, "notes": notes, "outcomes": counts.get(pk, 0)}
        for pk, version, notes in meeting.agenda.order_by("position", "pk").values_list(
            "pk", "version", "notes"
        )
    ]
    return {
        "status": meeting.status,
        "version": meeting.version,
        "current_item": meeting.current_item_id,
        "current_item_started_at": _iso(meeting.current_item_started_at),
        "started_at": _iso(meeting.started_at),
        "ended_at": _iso(meeting.ended_at),
        "now": timezone.now().isoformat(),
        "summary": meeting.summary,
        "items": items,
    }


@login_required
@require_GET
def state(request: HttpRequest, pk: int) -> JsonResponse:
    """The meeting's state as JSON (status, current item, versions and text of the notes)."""
    meeting = access.meeting_for_user(request.user, pk)
    response = JsonResponse(meeting_state(meeting))
    response["Cache-Control"] = "no-store"
    return response


# Moving through the meeting ---------------------------------------------------------------


def _moved(request: HttpRequest, meeting: Meeting, url: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(meeting_state(meeting))
    return redirect(url)


def _refused(request: HttpRequest, meeting: Meeting, error: ValidationError) -> HttpResponse:
    if _wants_json(request):
        return _json_error(_message(error))
    messages.error(request, _message(error))
    return redirect(chair_url(meeting))


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the meeting at its first agenda item (chair, minute taker, managers)."""
    meeting = access.meeting_for_user(request.user, pk, run=True)
    try:
        meeting = services.meeting_start(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting, error)
    return _moved(request, meeting, chair_url(meeting))


@login_required
@require_POST
def goto(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the meeting to another agenda item; its time box starts now."""
    meeting = access.meeting_for_user(request.user, pk, run=True)
    item_id = _int(request.POST.get("item"))
    item = meeting.agenda.filter(pk=item_id).first() if item_id is not None else None
    if item is None:
        return _refused(request, meeting, ValidationError(_("Choose an item of this agenda.")))
    try:
        meeting = services.meeting_goto(meeting=meeting, item=item, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting, error)
    return _moved(request, meeting, chair_url(meeting, item))


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the meeting: its minutes become a draft to check and publish."""
    meeting = access.meeting_for_user(request.user, pk, run=True)
    try:
        meeting = services.meeting_end(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting, error)
    if not _wants_json(request):
        messages.success(request, _("The meeting has ended. Check the minutes, then publish."))
    return _moved(request, meeting, reverse("meetings:minutes", args=[meeting.pk]))


# Autosave -----------------------------------------------------------------------------------


def _text_and_version(request: HttpRequest, name: str) -> tuple[str, int] | JsonResponse:
    text = request.POST.get(name)
    version = _int(request.POST.get("version"))
    if text is None or version is None:
        return _json_error(_("Send the text and the version it was written on."))
    if len(text) > MAX_TEXT:
        return _json_error(_("This text is too long (at most %(n)s characters).") % {"n": MAX_TEXT})
    return text.replace("\r\n", "\n"), version


def _saved(version: int) -> JsonResponse:
    now = timezone.now()
    return JsonResponse({"version": version, "saved_at": now.isoformat(), "time": _clock(now)})


def _back(request: HttpRequest, meeting: Meeting, answer: JsonResponse) -> HttpResponse:
    """Without JavaScript the autosave form posts normally: say how it went, go back."""
    if _wants_json(request):
        return answer
    if answer.status_code == 200:
        messages.success(request, _("Saved."))
    else:
        messages.error(request, json.loads(answer.content).get("error", _("Not saved.")))
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = chair_url(meeting)
    return redirect(back)


@login_required
@require_POST
def notes_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save an agenda item's notes (autosave); a stale version answers 409 with the stored text."""
    item = _agenda_item(request.user, pk)
    return _back(request, item.meeting, _notes_save(request, item))


def _notes_save(request: HttpRequest, item: AgendaItem) -> JsonResponse:
    parsed = _text_and_version(request, "notes")
    if isinstance(parsed, JsonResponse):
        return parsed
    notes, version = parsed
    try:
        item = services.agenda_item_update(item=item, version=version, by=request.user, notes=notes)
    except StaleVersionError as stale:
        current: Any = stale.current
        if current.notes == notes:  # a retry of a save that did arrive
            return _saved(current.version)
        return _json_error(
            _("Someone else changed these notes."),
            409,
            notes=current.notes,
            version=current.version,
        )
    except ValidationError as error:
        return _json_error(_message(error))
    return _saved(item.version)


@login_required
@require_POST
def summary_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the meeting's summary (autosave) on the meeting's version, like the notes."""
    meeting = access.meeting_for_user(request.user, pk, run=True)
    return _back(request, meeting, _summary_save(request, meeting))


def _summary_save(request: HttpRequest, meeting: Meeting) -> JsonResponse:
    parsed = _text_and_version(request, "summary")
    if isinstance(parsed, JsonResponse):
        return parsed
    summary, version = parsed
    if meeting.status not in LIVE_STATUSES:
        return _json_error(_("The minutes are published; reopen them to change the summary."))
    try:
        meeting = services.meeting_update(
            meeting=meeting, version=version, by=request.user, summary=summary
        )
    except StaleVersionError as stale:
        current: Any = stale.current
        if current.summary == summary:
            return _saved(current.version)
        return _json_error(
            _("Someone else changed the summary."),
            409,
            summary=current.summary,
            version=current.version,
        )
    except ValidationError as error:
        return _json_error(_message(error))
    return _saved(meeting.version)


# Capturing outcomes ---------------------------------------------------------------------------


def _capture_response(
    request: HttpRequest,
    meeting: Meeting,
    form: CaptureForm,
    *,
    created: OutcomeEntry | None = None,
    status: int = 200,
) -> HttpResponse:
    html = render_to_string(
        "meetings/chair_capture_form.html",
        {"form": form, "meeting": meeting, "created": created},
        request=request,
    )
    if created is not None:
        html += render_to_string(
            "meetings/chair_outcome_oob.html",
            {"entry": created, "item_id": created.outcome.agenda_item_id},
            request=request,
        )
    return HttpResponse(html, status=status)


@login_required
@require_POST
def capture(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Create an action, decision, risk or issue in the registers, born in this meeting."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    form_class = CAPTURE_FORMS.get(kind)
    if form_class is None:
        raise Http404
    scopes, every = capture_scopes(user, meeting)
    chosen = request.POST.get(f"{kind}-scope", "")
    if chosen in {c.key for c in every} - {c.key for c in scopes}:
        raise PermissionDenied  # a scope of the meeting the user may not add items to
    people = meeting_people(meeting, user)
    form = form_class(request.POST, meeting=meeting, user=user, scopes=scopes, people=people)
    if form.is_valid():
        try:
            item = services.outcome_capture(
                meeting=meeting,
                agenda_item=form.agenda_item_obj,
                kind=kind,
                scope=form.chosen_scope(),
                by=user,
                **form.changes(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            outcome = meeting.outcomes.filter(kind=kind, item_id=item.pk).latest("pk")
            created = OutcomeEntry(outcome, item)
            if not wants_partial(request):
                messages.success(request, _("%(ref)s was added.") % {"ref": item.ref})
                return redirect(chair_url(meeting, form.agenda_item_obj))
            fresh = form_class(
                meeting=meeting,
                user=user,
                scopes=scopes,
                people=people,
                initial={
                    "scope": form.cleaned_data["scope"],
                    "agenda_item": form.cleaned_data.get("agenda_item"),
                },
            )
            return _capture_response(request, meeting, fresh, created=created)
    if wants_partial(request):
        return _capture_response(request, meeting, form, status=INVALID)
    return render(
        request, "meetings/chair.html", chair_context(request, meeting, bound=form), status=INVALID
    )


# Reviewing previous actions -------------------------------------------------------------------


def _reviewable(user: Any, meeting: Meeting, pk: int) -> Action:
    """A previous action of the series the user may see (404) and change (403)."""
    if meeting.series_id is None:
        raise Http404
    action = register_access.item_for_user(user, Action, pk)
    if not _series_action_ids(meeting).filter(item_id=action.pk).exists():
        raise Http404
    if not register_access.can_item(user, action, register_access.CONTRIBUTE):
        raise PermissionDenied
    return action


def _review_row(
    request: HttpRequest, meeting: Meeting, row: ReviewRow, status: int = 200
) -> HttpResponse:
    if not wants_partial(request):
        if row.error:
            messages.error(request, row.error)
        elif row.note:
            messages.success(request, f"{row.action.ref}: {row.note}")
        return redirect(chair_url(meeting))
    return render(
        request,
        "meetings/chair_review_row.html",
        {"row": row, "meeting": meeting, "editable": True, "fresh": True},
        status=status,
    )


@login_required
@require_POST
def action_review(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    """Mark a previous action done or re-plan it; a stale version answers 409, unchanged."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    target = _reviewable(user, meeting, action)
    version = _int(request.POST.get("version"))
    agenda_id = _int(request.POST.get("agenda_item"))
    agenda_item = meeting.agenda.filter(pk=agenda_id).first() if agenda_id else None
    op = request.POST.get("op", "")
    changes: dict[str, Any] = {}
    error = ""
    if version is None:
        error = _("Reload the page: the action's version is missing.")
    elif op == "done":
        changes["status"] = Action.Status.DONE
    elif op == "replan":
        due = parse_date_safely(request.POST.get("due", ""))
        if due is None:
            error = _("Give the new due date.")
        else:
            changes["due"] = due
    else:
        error = _("Choose done or a new due date.")
    if error:
        return _review_row(request, meeting, ReviewRow(target, error=error), status=INVALID)
    try:
        updated = services.action_review(
            meeting=meeting,
            agenda_item=agenda_item,
            action=target,
            version=version,
            by=user,
            **changes,
        )
    except StaleVersionError as stale:
        current: Any = stale.current
        current = register_access.item_for_user(user, Action, current.pk)
        row = ReviewRow(
            current,
            conflict=True,
            error=_(
                "Someone else changed this action; nothing was overwritten. It now reads as "
                "shown here: check it, then try again."
            ),
        )
        return _review_row(request, meeting, row, status=409)
    except ValidationError as error_:
        return _review_row(
            request, meeting, ReviewRow(target, error=_message(error_)), status=INVALID
        )
    updated = register_access.item_for_user(user, Action, updated.pk)
    note = _review_notes(meeting).get(updated.pk, "")
    return _review_row(request, meeting, ReviewRow(updated, note=note))


def parse_date_safely(raw: str) -> datetime.date | None:
    """A yyyy-mm-dd date, or None for anything else (never an exception)."""
    try:
        return parse_date((raw or "").strip())
    except ValueError:
        return None
