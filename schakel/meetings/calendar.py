"""Meetings and actions as calendar events: the `.ics` invitation and the personal feed.

Turning rows into `schakel.core.exports.ics.CalendarEvent`s happens here; writing
iCalendar (escaping, folding, UTC) happens in `schakel.core.exports.ics`. A meeting keeps
one UID for life (`<meeting.uid>@<host>`) and a SEQUENCE that its services raise on every
change a calendar must pick up, so an updated or cancelled invitation replaces the old
entry instead of adding a second one.

A personal feed is made of *event sources*: functions that take a user and return that
user's events. Meetings and actions are the first two; another app (planning, with its
milestones) adds its own with `feed_source` in its `AppConfig.ready()`. Every source reads
through the access helpers at the moment the feed is fetched, so a calendar subscribed
yesterday shows only what its owner may see today.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.exports.ics import CalendarEvent, Person
from schakel.portfolio.models import Project
from schakel.registers.access import visible_items
from schakel.registers.models import Action

from . import access
from .models import Attendance, Meeting

# Identifies the writer in every calendar file (RFC 5545 PRODID).
PRODID = "-//Schakel//Schakel meetings//EN"
# The window of meetings a feed carries: recent ones (for looking back) and the coming year.
FEED_PAST = datetime.timedelta(days=60)
FEED_FUTURE = datetime.timedelta(days=365)

EventSource = Callable[[Any], Iterable[CalendarEvent]]
FEED_SOURCES: list[EventSource] = []


def feed_source(source: EventSource) -> EventSource:
    """Add a source of events to every personal feed; adding one twice has no effect."""
    if source not in FEED_SOURCES:
        FEED_SOURCES.append(source)
    return source


# Helpers ---------------------------------------------------------------------------------


def site_host() -> str:
    """The host name of `SITE_URL`: the right-hand side of every UID Schakel writes."""
    return urlsplit(settings.SITE_URL).hostname or "schakel.invalid"


def absolute(path: str) -> str:
    """An absolute URL on this site (calendars have no page to resolve a path against)."""
    return settings.SITE_URL.rstrip("/") + path


def _person(user: Any) -> Person | None:
    if user is None or not user.email:
        return None
    return Person(name=user.display_name, email=user.email)


def _scope_label(meeting: Meeting) -> str:
    scope = meeting.scope
    if isinstance(scope, Project):
        return f"{scope.key} {scope.name}"
    return scope.name


# Meetings ------------------------------------------------------------------------------


def meeting_description(meeting: Meeting) -> str:
    """Series and scope, the numbered agenda with its time boxes, and the meeting's page."""
    lines: list[str] = []
    head = [meeting.series.title] if meeting.series_id and meeting.series else []
    head.append(_scope_label(meeting))
    lines.append(" · ".join(head))
    if meeting.location and meeting.online_url:
        lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
    agenda = list(meeting.agenda.all())
    if agenda:
        lines += ["", _("Agenda")]
        for number, item in enumerate(agenda, start=1):
            box = _("(%(minutes)d min)") % {"minutes": item.minutes} if item.minutes else ""
            lines.append(f"{number}. {item.title} {box}".rstrip())
    if meeting.is_event:
        sessions = list(meeting.sessions.all())
        if sessions:
            lines += ["", _("Sessions")]
            for session in sessions:
                room = f" ({session.room})" if session.room else ""
                lines.append(f"- {session.title}{room}")
    lines += ["", _("Meeting page: %(url)s") % {"url": absolute(meeting.get_absolute_url())}]
    return "\n".join(lines)


def meeting_event(meeting: Meeting) -> CalendarEvent:
    """One meeting as calendars see it (agenda, attendance and sessions are read from it)."""
    attendees = []
    for attendance in meeting.attendance.all():
        email = attendance.contact_email
        if email:
            attendees.append(Person(name=attendance.display_name, email=email))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    return CalendarEvent(
        uid=f"{meeting.uid}@{site_host()}",
        sequence=meeting.sequence,
        summary=meeting.title,
        start=meeting.start,
        end=meeting.end,
        description=meeting_description(meeting),
        location=meeting.location or meeting.online_url,
        url=absolute(meeting.get_absolute_url()),
        organizer=_person(meeting.chair) or _person(meeting.created_by),
        attendees=tuple(attendees),
        status="CANCELLED" if cancelled else "CONFIRMED",
        categories=(str(meeting.get_kind_display()),),
    )


def meetings_with_details(queryset: Any) -> Any:
    """Load what `meeting_event` reads, for any number of meetings, in a fixed few queries."""
    return queryset.select_related(
        "series", "chair", "created_by", "project", "programme", "portfolio"
    ).prefetch_related(
        "agenda",
        "sessions",
        Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
    )


# Actions -------------------------------------------------------------------------------


def action_event(action: Action) -> CalendarEvent:
    """An action as an all-day event on its due date, linking to the action."""
    if action.due is None:
        raise ValueError("only actions with a due date go into a calendar")
    scope = action.project or action.programme
    lines = [
        scope.name if scope is not None else "",
        _("Status: %(status)s") % {"status": action.get_status_display()},
        "",
        _("Action page: %(url)s") % {"url": absolute(action.get_absolute_url())},
    ]
    return CalendarEvent(
        uid=f"action-{action.pk}@{site_host()}",
        sequence=action.version,
        summary=_("A: %(ref)s %(title)s") % {"ref": action.ref, "title": action.title},
        start=action.due,
        end=action.due,
        description="\n".join(lines).strip(),
        url=absolute(action.get_absolute_url()),
        categories=(_("Action"),),
    )


# The personal feed ---------------------------------------------------------------------


@feed_source
def meeting_events(user: Any) -> list[CalendarEvent]:
    """Meetings the user is invited to, chairs, minutes or has a session place in.

    From `FEED_PAST` ago to `FEED_FUTURE` ahead; cancelled ones stay, marked CANCELLED, so
    subscribed calendars drop them instead of keeping a stale entry. Attendees are left
    out: a feed is fetched by calendar services, which need not learn everyone's address
    (the invitation and the meeting page name them).
    """
    now = timezone.now()
    mine = (
        Q(attendance__user=user)
        | Q(chair=user)
        | Q(minute_taker=user)
        | Q(sessions__registrations__user=user)
    )
    ids = (
        access.visible_meetings(user)
        .filter(mine, start__gte=now - FEED_PAST, start__lte=now + FEED_FUTURE)
        .values("pk")
    )
    meetings = meetings_with_details(Meeting.objects.filter(pk__in=ids)).order_by("start", "pk")
    return [dataclasses.replace(meeting_event(m), attendees=()) for m in meetings]


@feed_source
def action_events(user: Any) -> list[CalendarEvent]:
    """The user's open actions that have a due date, on that date."""
    actions = (
        visible_items(user, Action)
        .filter(owner=user, status__in=Action.OPEN_STATUSES, due__isnull=False)
        .select_related("project", "programme", "owner")
        .order_by("due", "pk")
    )
    return [action_event(action) for action in actions]


def feed_events(user: Any) -> list[CalendarEvent]:
    """Every event of the user's personal feed, from every registered source."""
    events: list[CalendarEvent] = []
    for source in FEED_SOURCES:
        events.extend(source(user))
    return events
