"""Write meeting invitations and calendar feeds as iCalendar (RFC 5545) with `icalendar`.

Two uses: an invitation e-mailed to attendees (``METHOD:REQUEST``, or ``CANCEL`` when a
meeting is called off; RFC 5546) and a subscribable feed of a person's or a series'
meetings (``METHOD:PUBLISH``). Times are written in UTC so no VTIMEZONE is needed and
every client agrees on the instant.

User text never breaks the format: the library escapes commas, semicolons, backslashes
and newlines in text values and folds long lines at 75 octets. Parameters (the CN of an
attendee) and addresses are cleaned here as well, because a client that mis-parses a
quoted parameter would otherwise read a CR/LF in a name as a new property: control
characters go, double quotes become single ones, and an address that is not a plausible
e-mail address is left out rather than written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from schakel.core.exports._text import is_safe_url

__all__ = ["CalendarEvent", "Person", "feed", "invitation"]


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as calendars see it.

    ``start``/``end`` are both aware datetimes (written as UTC) or both dates for an
    all-day event, where ``end`` is the last day (inclusive): DTEND is written as the day
    after, as RFC 5545 wants. ``sequence`` must grow with every change the attendees
    should see, or their calendars ignore the update.
    """

    uid: str
    sequence: int
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE, CANCELLED
    stamp: datetime | None = None  # DTSTAMP; default now (UTC)
    categories: tuple[str, ...] = ()


_STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
_INVITATION_METHODS = frozenset({"REQUEST", "CANCEL"})

# RFC 5545 TEXT may hold no control characters but HTAB (newlines are escaped by the
# library); parameter values may not hold any, nor a double quote.
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ALL_CONTROLS = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")

# Deliberately narrower than RFC 5322: ASCII letters, digits and . _ + ' - before the @,
# and a dotted host name after it. Characters such as ? # % or , could alter a mailto URI
# and ":" or ";" would confuse lenient parsers; such addresses are left out, not written.
_EMAIL = re.compile(
    r"[A-Za-z0-9._+'-]{1,64}@(?=.{1,253}\Z)"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z"
)


def invitation(event: CalendarEvent, *, prodid: str, method: str = "REQUEST") -> bytes:
    """One event as an invitation (``REQUEST``) or a cancellation (``CANCEL``).

    A cancellation always carries ``STATUS:CANCELLED``, whatever the event says, because
    that is what makes clients remove the meeting.
    """
    method = method.upper()
    if method not in _INVITATION_METHODS:
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    calendar = _calendar(prodid, method)
    status = "CANCELLED" if method == "CANCEL" else event.status
    calendar.add_component(_event(event, status=status, invite=True))
    return bytes(calendar.to_ical())


def feed(events: Iterable[CalendarEvent], *, name: str, prodid: str) -> bytes:
    """A subscribable calendar (``PUBLISH``) that clients refresh every hour.

    Attendees are written without RSVP so clients do not treat feed entries as
    invitations; callers decide whether a shared feed should list attendees at all.
    """
    calendar = _calendar(prodid, "PUBLISH")
    # The library does not know these as text properties; vText makes it escape commas
    # and semicolons as it does for SUMMARY.
    calendar_name = vText(_line(name))
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    # An X- property is text to the library, so the duration is written out by hand.
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_event(event, status=event.status, invite=False))
    return bytes(calendar.to_ical())


def _calendar(prodid: str, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", _line(prodid) or "-//Schakel//Schakel//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(event: CalendarEvent, *, status: str, invite: bool) -> Event:
    status = status.upper()
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {sorted(_STATUSES)}, not {status!r}")
    uid = _line(event.uid)
    if not uid:
        raise ValueError("an event needs a non-empty uid")
    if event.sequence < 0:
        raise ValueError("sequence cannot be negative")

    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(event.stamp) if event.stamp else datetime.now(UTC))
    start, end = _span(event.start, event.end)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", _text(event.summary))
    vevent.add("status", status)
    if description := _text(event.description):
        vevent.add("description", description)
    if location := _text(event.location):
        vevent.add("location", location)
    if event.url and is_safe_url(url := _line(event.url)) and url.lower().startswith("http"):
        vevent.add("url", url)
    categories = [category for category in (_line(c) for c in event.categories) if category]
    if categories:
        vevent.add("categories", categories)

    if event.organizer is not None and (organizer := _address(event.organizer)) is not None:
        vevent.add("organizer", organizer)
    for person in event.attendees:
        attendee = _address(person)
        if attendee is None:
            continue
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        if invite:
            attendee.params["PARTSTAT"] = "NEEDS-ACTION"
            attendee.params["RSVP"] = "TRUE"
        vevent.add("attendee", attendee)
    return vevent


def _span(start: datetime | date, end: datetime | date) -> tuple[datetime | date, datetime | date]:
    """Check the event's start and end and turn them into DTSTART/DTEND values."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        start_utc, end_utc = _utc(start), _utc(end)
        if end_utc < start_utc:
            raise ValueError("an event cannot end before it starts")
        return start_utc, end_utc
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise ValueError("start and end must both be datetimes or both be dates")
    if end < start:
        raise ValueError("an event cannot end before it starts")
    return start, end + timedelta(days=1)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC)


def _address(person: Person) -> vCalAddress | None:
    """``mailto:`` address with a clean CN, or None when the e-mail is not plausible."""
    email = _ALL_CONTROLS.sub("", person.email).strip()
    if not _EMAIL.match(email):
        return None
    address = vCalAddress(f"mailto:{email}")
    if name := _parameter(person.name):
        address.params["CN"] = name
    return address


def _parameter(value: str) -> str:
    """A parameter value: one line, no control characters, no double quotes."""
    cleaned = _ALL_CONTROLS.sub(" ", value).replace('"', "'")
    return _WHITESPACE.sub(" ", cleaned).strip()


def _text(value: str) -> str:
    """Multi-line text: the library escapes newlines; other control characters go."""
    return _TEXT_CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _line(value: str) -> str:
    return _WHITESPACE.sub(" ", _ALL_CONTROLS.sub(" ", value)).strip()
