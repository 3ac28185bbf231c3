"""Changes to meetings; pages, the API, the demo and the chair view all call these.

The flow of a meeting: planned (agenda built, standing items prepared) → in progress (the
chair walks the agenda, the minute taker writes notes and captures actions, decisions,
risks and issues straight into the registers) → minutes draft (the meeting ended; the
minutes are checked) → published (a frozen `MinutesVersion`, e-mailed to everyone invited
or present). A correction reopens the draft and publishes the next version.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.recurrence import occurrences
from schakel.lib.services import changed_copy, update_versioned
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers import services as register_services
from schakel.registers.models import Action, Decision, Issue, RegisterItem, Risk

from .models import (
    AgendaItem,
    AgendaLink,
    Attendance,
    EventSession,
    Meeting,
    MeetingSeries,
    Outcome,
    Registration,
    Standing,
    validate_standard_agenda,
)

Scope = Portfolio | Programme | Project

# Fields callers never set directly on series and meetings.
PROTECTED = frozenset(
    {
        "id",
        "pk",
        "portfolio",
        "programme",
        "project",
        "series",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
        "trash_batch",
        "uid",
        "sequence",
        "status",
        "current_item",
        "current_item_started_at",
        "started_at",
        "ended_at",
        "agenda_prepared_at",
    }
)
# Changes that an invitee's calendar must pick up: they raise the ICS SEQUENCE.
CALENDAR_FIELDS = frozenset({"start", "end", "location", "online_url", "title"})
# The registers a meeting can capture into, and what each needs.
CAPTURE_MODELS: dict[str, type[RegisterItem]] = {
    "action": Action,
    "decision": Decision,
    "risk": Risk,
    "issue": Issue,
}


def _refuse(fields: Iterable[str]) -> None:
    bad = sorted(set(fields) & PROTECTED)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})


def _not_archived(scope: Scope) -> None:
    if getattr(scope, "archived_at", None) is not None:
        raise ValidationError(_("This is archived and read-only; unarchive it to change it."))


# Series ---------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, scope: Scope, by: Any, invitees: Iterable[Any] = (), **fields: Any
) -> MeetingSeries:
    """Create a meeting series in a scope."""
    _refuse(fields)
    _not_archived(scope)
    series = MeetingSeries(**fields)
    series.scope = scope
    series.created_by = by if getattr(by, "is_authenticated", False) else None
    series.full_clean()
    series._history_user = by  # type: ignore[attr-defined]
    series.save()
    series.invitees.set(list(invitees))
    return series


def series_update(
    *,
    series: MeetingSeries,
    version: int | None,
    by: Any,
    invitees: Iterable[Any] | None = None,
    **changes: Any,
) -> MeetingSeries:
    """Change a series if nobody changed it since `version`. Planned meetings keep theirs."""
    _refuse(changes)
    candidate = changed_copy(series, changes)
    candidate.full_clean()
    return update_versioned(
        series,
        version=version,
        changes=changes,
        m2m={"invitees": invitees} if invitees is not None else None,
        by=by,
    )


def _local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def series_next_dates(series: MeetingSeries, *, count: int = 1) -> list[datetime.date]:
    """The next dates of the series from today, after its last meeting."""
    last = series.meetings.order_by("-start").values_list("start", flat=True).first()
    after = timezone.localdate()
    if last is not None:
        after = max(after, timezone.localtime(last).date() + datetime.timedelta(days=1))
    return occurrences(series.first_date, series.recurrence, after=after, count=count)


@transaction.atomic
def series_plan(*, series: MeetingSeries, by: Any, count: int = 1) -> list[Meeting]:
    """Create the next `count` meetings of a series, each with the standard agenda."""
    MeetingSeries.all_objects.select_for_update().filter(pk=series.pk).first()
    count = max(1, min(count, 52))
    return [
        series_meeting_on(series=series, day=day, by=by)
        for day in series_next_dates(series, count=count)
    ]


def series_meeting_on(*, series: MeetingSeries, day: datetime.date, by: Any) -> Meeting:
    """Create the series' meeting on `day`, at its time, with its people and agenda."""
    start = _local_datetime(day, series.start_time)
    return meeting_create(
        scope=series.scope,
        by=by,
        series=series,
        kind=series.kind,
        title=series.title,
        start=start,
        end=start + datetime.timedelta(minutes=series.duration),
        location=series.location,
        online_url=series.online_url,
        chair=series.chair,
        minute_taker=series.minute_taker,
    )


# Meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    scope: Scope,
    by: Any,
    series: MeetingSeries | None = None,
    invitees: Iterable[Any] | None = None,
    agenda: Sequence[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Meeting:
    """Create a meeting; from a series it takes the invitees and the standard agenda."""
    _refuse(fields)
    _not_archived(scope)
    meeting = Meeting(**fields)
    meeting.scope = scope
    meeting.series = series
    meeting.created_by = by if getattr(by, "is_authenticated", False) else None
    meeting.full_clean()
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save()
    people = list(invitees) if invitees is not None else []
    if invitees is None and series is not None:
        people = list(series.invitees.all())
    for person in (meeting.chair, meeting.minute_taker):
        if person is not None and person not in people:
            people.insert(0, person)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=person, invited=True) for person in people]
    )
    if agenda is None and series is not None:
        validate_standard_agenda(series.standard_agenda)
        agenda = series.standard_agenda
    for position, entry in enumerate(agenda or []):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=entry["title"],
            minutes=entry.get("minutes", 10),
            description=entry.get("description", ""),
            standing=entry.get("standing", ""),
        )
    return meeting


def meeting_update(*, meeting: Meeting, version: int | None, by: Any, **changes: Any) -> Meeting:
    """Change a meeting's details; a change of time or place raises its calendar SEQUENCE."""
    _refuse(changes)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    candidate = changed_copy(meeting, changes)
    candidate.full_clean()
    calendar_changed = any(
        getattr(meeting, name) != value
        for name, value in changes.items()
        if name in CALENDAR_FIELDS
    )
    if calendar_changed:
        changes = {**changes, "sequence": meeting.sequence + 1}
    return update_versioned(meeting, version=version, changes=changes, by=by)


def _set_status(meeting: Meeting, status: str, by: Any, **extra: Any) -> Meeting:
    return update_versioned(meeting, version=None, changes={"status": status, **extra}, by=by)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Any) -> Meeting:
    """Cancel a planned meeting; invitees' calendars drop it (SEQUENCE raised)."""
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    return _set_status(meeting, Meeting.Status.CANCELLED, by, sequence=meeting.sequence + 1)


@transaction.atomic
def meeting_start(*, meeting: Meeting, by: Any) -> Meeting:
    """Open the meeting: the chair view starts at the first agenda item."""
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS):
        raise ValidationError(_("This meeting cannot be started any more."))
    if meeting.status == Meeting.Status.IN_PROGRESS:
        return meeting
    first = meeting.agenda.order_by("position", "pk").first()
    now = timezone.now()
    # Whoever chairs and minutes the meeting is there; the rest is marked by the minute taker.
    meeting.attendance.filter(
        user_id__in=[pk for pk in (meeting.chair_id, meeting.minute_taker_id) if pk],
        status=Attendance.Status.INVITED,
    ).update(status=Attendance.Status.PRESENT)
    return _set_status(
        meeting,
        Meeting.Status.IN_PROGRESS,
        by,
        started_at=now,
        current_item=first,
        current_item_started_at=now if first else None,
    )


def meeting_goto(*, meeting: Meeting, item: AgendaItem | None, by: Any) -> Meeting:
    """Move the meeting to another agenda item; its time box starts now."""
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise ValidationError(_("Start the meeting first."))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("That agenda item belongs to another meeting."))
    Meeting.all_objects.filter(pk=meeting.pk).update(
        current_item=item, current_item_started_at=timezone.now() if item else None
    )
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_end(*, meeting: Meeting, by: Any) -> Meeting:
    """Close the meeting; the minutes are now a draft to check and publish."""
    if meeting.status not in (Meeting.Status.IN_PROGRESS, Meeting.Status.PLANNED):
        raise ValidationError(_("This meeting has already ended."))
    return _set_status(
        meeting,
        Meeting.Status.MINUTES_DRAFT,
        by,
        ended_at=timezone.now(),
        current_item=None,
        current_item_started_at=None,
        started_at=meeting.started_at or timezone.now(),
    )


# Agenda ---------------------------------------------------------------------------------


def _editable(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED):
        raise ValidationError(
            _("The minutes are published; reopen them to change this meeting.")
            if meeting.status == Meeting.Status.PUBLISHED
            else _("This meeting is cancelled.")
        )


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by: Any, **fields: Any) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _editable(meeting)
    last = meeting.agenda.aggregate(n=Max("position"))["n"]
    item = AgendaItem(meeting=meeting, position=0 if last is None else last + 1, **fields)
    item.full_clean()
    item.save()
    return item


def agenda_item_update(
    *, item: AgendaItem, version: int | None, by: Any, **changes: Any
) -> AgendaItem:
    """Change an agenda item (title, time box, presenter, notes...) unless it moved on."""
    _editable(item.meeting)
    bad = sorted(set(changes) & {"id", "pk", "meeting", "position", "version"})
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    candidate = changed_copy(item, changes)
    candidate.full_clean()
    return update_versioned(item, version=version, changes=changes, by=by)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: Any) -> None:
    _editable(item.meeting)
    if item.outcomes.exists():
        raise ValidationError(
            _("Items were captured under this agenda item; it cannot be removed.")
        )
    item.delete()


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, order: Sequence[int], by: Any) -> None:
    """Put the agenda in the given order of item ids (all of the meeting's items, once)."""
    _editable(meeting)
    ids = list(meeting.agenda.values_list("pk", flat=True))
    if sorted(order) != sorted(ids) or len(set(order)) != len(order):
        raise ValidationError(_("The new order must list every agenda item exactly once."))
    items = {item.pk: item for item in meeting.agenda.all()}
    for position, pk in enumerate(order):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])


def agenda_link(*, item: AgendaItem, target: RegisterItem, by: Any) -> AgendaLink:
    """Put a register item on the agenda under `item` (idempotent)."""
    _editable(item.meeting)
    link, _created = AgendaLink.objects.get_or_create(
        agenda_item=item,
        item_type=ContentType.objects.get_for_model(target),
        item_id=target.pk,
    )
    return link


def agenda_unlink(*, item: AgendaItem, target: RegisterItem, by: Any) -> None:
    _editable(item.meeting)
    AgendaLink.objects.filter(
        agenda_item=item, item_type=ContentType.objects.get_for_model(target), item_id=target.pk
    ).delete()


def _scope_filter(meeting: Meeting) -> Q:
    """Register items of the meeting's scope: a project's, or a programme's and its projects'."""
    if meeting.project_id:
        return Q(project_id=meeting.project_id)
    if meeting.programme_id:
        return Q(programme_id=meeting.programme_id) | Q(project__programme_id=meeting.programme_id)
    return Q(programme__portfolio_id=meeting.portfolio_id) | Q(
        project__programme__portfolio_id=meeting.portfolio_id
    )


def previous_actions(meeting: Meeting) -> list[Action]:
    """Open actions captured in earlier meetings of the same series."""
    if meeting.series_id is None:
        return []
    action_ids = Outcome.objects.filter(
        meeting__series_id=meeting.series_id,
        meeting__start__lt=meeting.start,
        kind="action",
        role=Outcome.Role.CREATED,
    ).values("item_id")
    return list(
        Action.objects.open()
        .filter(pk__in=action_ids)
        .order_by("due", "pk")
        .select_related("owner", "project", "programme")
    )


def standing_candidates(meeting: Meeting, standing: str) -> list[RegisterItem]:
    """What a standing agenda item brings to this meeting."""
    if standing == Standing.PREVIOUS_ACTIONS:
        return list(previous_actions(meeting))
    day = timezone.localtime(meeting.start).date()
    if standing == Standing.DECISIONS_NEEDED:
        return list(
            Decision.objects.filter(_scope_filter(meeting), status=Decision.Status.PROPOSED)
            .order_by("needed_by", "pk")
            .select_related("project", "programme")[:50]
        )
    if standing == Standing.RISKS_REVIEW:
        return list(
            Risk.objects.open()
            .filter(_scope_filter(meeting), review_date__lte=day)
            .order_by("review_date", "-score")
            .select_related("project", "programme")[:50]
        )
    return []


@transaction.atomic
def agenda_prepare(*, meeting: Meeting, by: Any) -> int:
    """Fill the standing items with what they bring; returns how many links were added.

    Running it again adds what is new and keeps what the minute taker removed removed only
    until the next preparation (it is a fill-in, not a sync).
    """
    _editable(meeting)
    added = 0
    for item in meeting.agenda.exclude(standing=""):
        for target in standing_candidates(meeting, item.standing):
            _link, created = AgendaLink.objects.get_or_create(
                agenda_item=item,
                item_type=ContentType.objects.get_for_model(target),
                item_id=target.pk,
            )
            added += int(created)
    Meeting.all_objects.filter(pk=meeting.pk).update(agenda_prepared_at=timezone.now())
    return added


# Attendance -----------------------------------------------------------------------------


def attendance_set(*, attendance: Attendance, status: str, by: Any) -> Attendance:
    _editable(attendance.meeting)
    if status not in Attendance.Status.values:
        raise ValidationError({"status": _("Choose a valid attendance.")})
    attendance.status = status
    attendance.save(update_fields=["status"])
    return attendance


def attendance_invite(*, meeting: Meeting, user: Any, by: Any) -> Attendance:
    """Invite a person (idempotent); after the meeting it records them as present."""
    _editable(meeting)
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"invited": True}
    )
    return attendance


def attendance_add_guest(*, meeting: Meeting, name: str, email: str = "", by: Any) -> Attendance:
    _editable(meeting)
    attendance = Attendance(
        meeting=meeting,
        name=name.strip(),
        email=email.strip(),
        invited=False,
        status=Attendance.Status.GUEST,
    )
    attendance.full_clean()
    attendance.save()
    return attendance


def attendance_remove(*, attendance: Attendance, by: Any) -> None:
    _editable(attendance.meeting)
    attendance.delete()


# Capturing outcomes ---------------------------------------------------------------------


@transaction.atomic
def outcome_capture(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem | None,
    kind: str,
    scope: Project | Programme,
    by: Any,
    **fields: Any,
) -> RegisterItem:
    """Create an action, decision, risk or issue in the registers, born in this meeting."""
    _editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("That agenda item belongs to another meeting."))
    model = CAPTURE_MODELS.get(kind)
    if model is None:
        raise ValidationError({"kind": _("Choose an action, decision, risk or issue.")})
    if model is Decision and "forum" not in fields:
        forum = meeting.series.title if meeting.series else meeting.title
        # A meeting's title may be longer than a decision's forum holds.
        fields["forum"] = forum[: Decision._meta.get_field("forum").max_length]
    item = register_services.item_create(model=model, scope=scope, by=by, **fields)
    Outcome.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        item_type=ContentType.objects.get_for_model(model),
        item_id=item.pk,
        kind=kind,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    return item


@transaction.atomic
def action_review(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem | None,
    action: Action,
    version: int | None,
    by: Any,
    status: str | None = None,
    due: datetime.date | None = None,
) -> Action:
    """Mark a previous action done (or another status) or re-plan it, from the meeting."""
    _editable(meeting)
    changes: dict[str, Any] = {}
    notes = []
    if status is not None and status != action.status:
        changes["status"] = status
        notes.append(str(Action.Status(status).label))
    if due is not None and due != action.due:
        changes["due"] = due
        notes.append(_("due %(date)s") % {"date": due.isoformat()})
    if not changes:
        return action
    updated = register_services.item_update(item=action, version=version, by=by, **changes)
    Outcome.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        item_type=ContentType.objects.get_for_model(Action),
        item_id=action.pk,
        kind="action",
        role=Outcome.Role.REVIEWED,
        note=", ".join(notes)[:300],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    return updated


# Events ---------------------------------------------------------------------------------


def session_add(*, meeting: Meeting, by: Any, **fields: Any) -> EventSession:
    _editable(meeting)
    if not meeting.is_event:
        raise ValidationError(_("Only an event has sessions."))
    last = meeting.sessions.aggregate(n=Max("position"))["n"]
    session = EventSession(meeting=meeting, position=(last or 0) + 1, **fields)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(*, session: EventSession, by: Any, **changes: Any) -> EventSession:
    """Change a session's title, room, host, capacity or times (not below its registrations)."""
    _editable(session.meeting)
    bad = sorted(set(changes) & {"id", "pk", "meeting", "position"})
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    current = EventSession.objects.select_for_update().get(pk=session.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    capacity = changes.get("capacity")
    if capacity is not None and capacity < current.registrations.count():
        raise ValidationError(
            {"capacity": _("More people are registered already; the capacity cannot be lower.")}
        )
    current.full_clean()
    current.save()
    return current


def session_delete(*, session: EventSession, by: Any) -> None:
    """Remove a session and its registrations."""
    _editable(session.meeting)
    session.delete()


@transaction.atomic
def session_register(*, session: EventSession, user: Any, by: Any) -> Registration:
    """Register a person for a session, if a place is left (checked under a row lock)."""
    EventSession.objects.select_for_update().filter(pk=session.pk).first()
    meeting = session.meeting
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Registration for this event is closed."))
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    taken = session.registrations.count()
    if session.capacity is not None and taken >= session.capacity:
        raise ValidationError(_("This session is full."))
    # Parallel sessions run side by side: one place per person at a time.
    start, end = session.start or meeting.start, session.end or meeting.end
    for other in EventSession.objects.filter(meeting=meeting, registrations__user=user).exclude(
        pk=session.pk
    ):
        if (other.start or meeting.start) < end and start < (other.end or meeting.end):
            raise ValidationError(
                _("%(name)s is already registered for “%(session)s”, at the same time.")
                % {"name": getattr(user, "display_name", str(user)), "session": other.title}
            )
    return Registration.objects.create(session=session, user=user)


def session_unregister(*, session: EventSession, user: Any, by: Any) -> None:
    Registration.objects.filter(session=session, user=user).delete()


# Trash ----------------------------------------------------------------------------------


@transaction.atomic
def trash(*, obj: Meeting | MeetingSeries, by: Any) -> uuid.UUID:
    """Move a meeting or a series to the trash (a series' meetings stay where they are)."""
    batch = uuid.uuid4()
    current = type(obj).all_objects.select_for_update().get(pk=obj.pk)
    current.mark_trashed(by=by if getattr(by, "is_authenticated", False) else None, batch=batch)
    current._history_user = by  # type: ignore[attr-defined]
    current._change_reason = "trash"  # type: ignore[attr-defined]
    current.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    obj.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])
    return batch


@transaction.atomic
def restore(*, obj: Meeting | MeetingSeries, by: Any) -> None:
    """Bring a meeting or a series back from the trash."""
    current = type(obj).all_objects.select_for_update().get(pk=obj.pk)
    current.mark_restored()
    current._history_user = by  # type: ignore[attr-defined]
    current._change_reason = "restore"  # type: ignore[attr-defined]
    current.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    obj.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])
