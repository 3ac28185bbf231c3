"""Invitations and feeds as iCalendar, read back with vobject (an independent parser)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject

from schakel.core.exports.ics import CalendarEvent, Person, feed, invitation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Schakel//Schakel 0.1//EN"
STAMP = datetime(2026, 2, 20, 8, 0, tzinfo=UTC)


def meeting(**changes) -> CalendarEvent:
    values = {
        "uid": "meeting-42@schakel.example.org",
        "sequence": 3,
        "summary": "Steering committee 12",
        "start": datetime(2026, 3, 3, 14, 0, tzinfo=AMSTERDAM),
        "end": datetime(2026, 3, 3, 15, 30, tzinfo=AMSTERDAM),
        "description": "Agenda:\n1. Opening\n2. Progress",
        "location": "Room 4.12",
        "url": "https://schakel.example.org/meetings/42/",
        "organizer": Person("Anna de Vries", "anna@example.org"),
        "attendees": (
            Person("Bram Jansen", "bram@example.org"),
            Person("Chris Smit", "chris@example.org"),
        ),
        "stamp": STAMP,
        "categories": ("Meeting", "Steering committee"),
    }
    values.update(changes)
    return CalendarEvent(**values)


def parse(data: bytes):
    return vobject.readOne(data.decode("utf-8"))


def people(component, name: str) -> list[tuple[str, str]]:
    return [
        (prop.params.get("CN", [""])[0], prop.value) for prop in component.contents.get(name, [])
    ]


def test_an_invitation_is_a_request_with_uid_sequence_and_utc_times() -> None:
    calendar = parse(invitation(meeting(), prodid=PRODID))
    event = calendar.vevent

    assert calendar.method.value == "REQUEST"
    assert calendar.prodid.value == PRODID
    assert event.uid.value == "meeting-42@schakel.example.org"
    assert event.sequence.value == "3"
    assert event.dtstart.value == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    assert event.dtstart.value.utcoffset() == timedelta(0)
    assert event.dtend.value == datetime(2026, 3, 3, 14, 30, tzinfo=UTC)
    assert event.dtstamp.value == STAMP
    assert event.status.value == "CONFIRMED"
    assert event.location.value == "Room 4.12"
    assert event.url.value == "https://schakel.example.org/meetings/42/"
    assert event.description.value == "Agenda:\n1. Opening\n2. Progress"


def test_the_raw_text_writes_times_in_utc_with_a_z() -> None:
    data = invitation(meeting(), prodid=PRODID)

    assert b"\r\nDTSTART:20260303T130000Z\r\n" in data
    assert b"\r\nDTEND:20260303T143000Z\r\n" in data


def test_organizer_and_attendees_have_names_mailto_and_rsvp() -> None:
    event = parse(invitation(meeting(), prodid=PRODID)).vevent

    assert people(event, "organizer") == [("Anna de Vries", "mailto:anna@example.org")]
    assert people(event, "attendee") == [
        ("Bram Jansen", "mailto:bram@example.org"),
        ("Chris Smit", "mailto:chris@example.org"),
    ]
    for attendee in event.contents["attendee"]:
        assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
        assert attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
        assert attendee.params["RSVP"] == ["TRUE"]


def test_a_cancellation_says_cancel_and_cancelled_whatever_the_event_status() -> None:
    calendar = parse(invitation(meeting(status="CONFIRMED"), prodid=PRODID, method="CANCEL"))

    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"


def test_newlines_commas_and_semicolons_in_text_round_trip() -> None:
    summary = "Budget, planning; risks\nand a \\ backslash"
    location = "Town hall, room 2;\nsecond floor"
    event = parse(invitation(meeting(summary=summary, location=location), prodid=PRODID)).vevent

    assert event.summary.value == summary
    assert event.location.value == location


def test_a_name_with_crlf_cannot_inject_a_property_or_an_attendee() -> None:
    hostile = (
        Person("Eve\r\nATTENDEE:mailto:x@evil.example", "eve@example.org"),
        Person('Mallory "Boss"\r\nORGANIZER:mailto:m@evil.example', "mallory@example.org"),
    )
    data = invitation(
        meeting(
            attendees=hostile,
            organizer=Person("Anna\nX-INJECTED:1", "anna@example.org"),
            summary="Hi\r\nATTENDEE:mailto:y@evil.example",
        ),
        prodid=PRODID,
    )
    event = parse(data).vevent

    assert [value for _, value in people(event, "attendee")] == [
        "mailto:eve@example.org",
        "mailto:mallory@example.org",
    ]
    assert people(event, "organizer") == [("Anna X-INJECTED:1", "mailto:anna@example.org")]
    assert people(event, "attendee")[0][0] == "Eve ATTENDEE:mailto:x@evil.example"
    assert "x-injected" not in event.contents
    lines = data.decode().split("\r\n")
    assert not any(line.startswith(("ATTENDEE:", "ORGANIZER:", "X-INJECTED")) for line in lines)
    assert sum(line.startswith("ORGANIZER") for line in lines) == 1


def test_double_quotes_in_names_become_single_quotes() -> None:
    bob = Person('Bob "the Builder"', "bob@example.org")
    event = parse(invitation(meeting(attendees=(bob,)), prodid=PRODID)).vevent

    assert people(event, "attendee") == [("Bob 'the Builder'", "mailto:bob@example.org")]


@pytest.mark.parametrize(
    "email",
    [
        "not-an-address",
        "two@@example.org",
        "x@evil.example\r\nATTENDEE:mailto:y@evil.example",
        "a@b",
        "me@example.org?cc=boss@example.org",
        "semi;colon@example.org",
        "",
    ],
)
def test_an_implausible_email_is_left_out_rather_than_written(email: str) -> None:
    data = invitation(
        meeting(organizer=Person("Org", email), attendees=(Person("Guest", email),)),
        prodid=PRODID,
    )
    event = parse(data).vevent

    assert "attendee" not in event.contents
    assert "organizer" not in event.contents


def test_all_day_events_write_dates_with_dtend_on_the_next_day() -> None:
    data = invitation(meeting(start=date(2026, 4, 6), end=date(2026, 4, 7)), prodid=PRODID)
    event = parse(data).vevent

    assert event.dtstart.value == date(2026, 4, 6)
    assert event.dtend.value == date(2026, 4, 8)
    assert b"DTSTART;VALUE=DATE:20260406" in data


def test_a_feed_publishes_several_events_with_name_and_refresh_hints() -> None:
    events = [
        meeting(uid="a@schakel", summary="First"),
        meeting(uid="b@schakel", summary="Second", status="TENTATIVE"),
        meeting(uid="c@schakel", summary="Away day", start=date(2026, 5, 1), end=date(2026, 5, 1)),
    ]
    data = feed(events, name="My meetings, Schakel", prodid=PRODID)
    calendar = parse(data)

    assert calendar.method.value == "PUBLISH"
    assert calendar.contents["x-wr-calname"][0].value == "My meetings, Schakel"
    assert calendar.contents["name"][0].value == "My meetings, Schakel"
    refresh = calendar.contents["refresh-interval"][0]
    assert refresh.value == "PT1H"
    assert refresh.params["VALUE"] == ["DURATION"]
    assert calendar.contents["x-published-ttl"][0].value == "PT1H"
    vevents = calendar.contents["vevent"]
    assert [e.uid.value for e in vevents] == ["a@schakel", "b@schakel", "c@schakel"]
    assert [e.status.value for e in vevents] == ["CONFIRMED", "TENTATIVE", "CONFIRMED"]
    assert vevents[2].dtend.value == date(2026, 5, 2)
    # A feed is not an invitation: no RSVP requests.
    assert all("RSVP" not in a.params for e in vevents for a in e.contents.get("attendee", []))


def test_long_lines_are_folded_at_75_octets_without_splitting_characters() -> None:
    summary = "Überlegungen zur Planung — " * 10
    data = invitation(meeting(summary=summary, description="é" * 200), prodid=PRODID)

    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # a fold in the middle of a character would fail here
    assert parse(data).vevent.summary.value == summary.strip()


def test_a_stamp_defaults_to_now_in_utc() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    event = parse(invitation(meeting(stamp=None), prodid=PRODID)).vevent

    assert before <= event.dtstamp.value <= datetime.now(UTC)


def test_a_non_http_url_is_left_out() -> None:
    event = parse(invitation(meeting(url="javascript:alert(1)"), prodid=PRODID)).vevent

    assert "url" not in event.contents


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": datetime(2026, 3, 3, 14, 0)}, "timezone-aware"),
        ({"start": date(2026, 3, 3)}, "both be datetimes or both be dates"),
        ({"end": datetime(2026, 3, 3, 13, 0, tzinfo=AMSTERDAM)}, "end before it starts"),
        ({"status": "MAYBE"}, "status must be"),
        ({"uid": " \r\n"}, "non-empty uid"),
        ({"sequence": -1}, "negative"),
    ],
)
def test_bad_events_get_a_clear_error(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        invitation(meeting(**changes), prodid=PRODID)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="REQUEST or CANCEL"):
        invitation(meeting(), prodid=PRODID, method="PUBLISH")


def test_a_feed_name_with_a_newline_stays_one_property() -> None:
    data = feed([], name="Mine\r\nX-EVIL:1", prodid="-//Evil\r\nX-EVIL:2//EN")

    lines = data.decode().split("\r\n")
    assert not any(line.startswith("X-EVIL") for line in lines)
    assert parse(data).contents["x-wr-calname"][0].value == "Mine X-EVIL:1"
