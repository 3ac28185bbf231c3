"""The personal calendar feed: its secret URL, its settings page and what it shows."""

from __future__ import annotations

import datetime
import re

import pytest
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import FeedToken, Membership
from schakel.accounts.services import feed_token_rotate
from schakel.meetings import services
from schakel.meetings.calendar import FEED_SOURCES, feed_events, feed_source
from schakel.registers.tests import factories as items

from . import factories

pytestmark = pytest.mark.django_db

SETTINGS = reverse("meetings:feed_settings")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://pmo.example.org"


def _feed_path(key: str) -> str:
    return reverse("meetings:feed", args=[key])


def _fetch(key: str):
    """Fetch a feed as a calendar program does: no session, no cookies."""
    return Client().get(_feed_path(key))


def _events(key: str) -> dict[str, object]:
    response = _fetch(key)
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode("utf-8"))
    return {event.summary.value: event for event in calendar.contents.get("vevent", [])}


# The feed itself -------------------------------------------------------------------------


def test_the_feed_needs_no_login_and_is_cached_privately(org, member):
    _token, key = feed_token_rotate(user=member)
    response = _fetch(key)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Set-Cookie" not in response.headers
    calendar = vobject.readOne(response.content.decode())
    assert calendar.method.value == "PUBLISH"
    assert calendar.contents["x-wr-calname"][0].value == f"Schakel – {member.display_name}"


def test_the_feed_answers_head_and_refuses_writes(org, member):
    _token, key = feed_token_rotate(user=member)
    client = Client(enforce_csrf_checks=True)
    assert client.head(_feed_path(key)).status_code == 200
    assert client.post(_feed_path(key)).status_code in (403, 405)


@pytest.mark.parametrize("key", ["junk", "x" * 43, "a" * 200])
def test_an_unknown_key_answers_404(org, member, key):
    feed_token_rotate(user=member)
    assert _fetch(key).status_code == 404


def test_rotating_shuts_the_old_url_and_revoking_shuts_the_feed(org, member, client_as):
    _token, old = feed_token_rotate(user=member)
    _token, new = feed_token_rotate(user=member)
    assert _fetch(old).status_code == 404
    assert _fetch(new).status_code == 200
    client_as(member).post(SETTINGS, {"action": "revoke"})
    assert _fetch(new).status_code == 404


def test_a_deactivated_account_has_no_feed(org, member):
    _token, key = feed_token_rotate(user=member)
    member.is_active = False
    member.save()
    assert _fetch(key).status_code == 404


def test_a_fetch_is_recorded_as_last_used(org, member):
    token, key = feed_token_rotate(user=member)
    assert token.last_used_at is None
    _fetch(key)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_holds_my_meetings_and_my_open_actions_with_a_due_date(org, manager, member, viewer):
    due = timezone.localdate() + datetime.timedelta(days=5)
    invited = factories.meeting(org.project, manager, title="Team sync", invitees=[member])
    factories.meeting(org.project, manager, title="Not for me", invitees=[viewer])
    chaired = factories.meeting(org.project, manager, title="I chair this", chair=member)
    services.attendance_remove(
        attendance=chaired.attendance.get(user=member), by=manager
    )  # chair without an attendance row: still theirs
    long_ago = factories.meeting(
        org.project, manager, title="Long ago", invitees=[member], start=factories.at(-90)
    )
    mine = items.action(org.project, manager, title="Write the plan", owner=member, due=due)
    items.action(org.project, manager, title="No date", owner=member)
    items.action(org.project, manager, title="Someone else's", owner=viewer, due=due)
    done = items.action(org.project, manager, title="Finished", owner=member, due=due)
    from schakel.registers import services as register_services

    register_services.item_update(item=done, version=done.version, by=manager, status="done")
    _token, key = feed_token_rotate(user=member)

    events = _events(key)
    assert set(events) == {"Team sync", "I chair this", f"A: {mine.ref} Write the plan"}
    meeting = events["Team sync"]
    assert meeting.uid.value == f"{invited.uid}@pmo.example.org"  # type: ignore[attr-defined]
    action = events[f"A: {mine.ref} Write the plan"]
    assert action.dtstart.value == due  # type: ignore[attr-defined]
    assert action.dtend.value == due + datetime.timedelta(days=1)  # type: ignore[attr-defined]
    assert action.url.value == f"https://pmo.example.org{mine.get_absolute_url()}"  # type: ignore[attr-defined]
    assert long_ago.title not in events


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(org, manager, member):
    meeting = factories.meeting(org.project, manager, title="Called off", invitees=[member])
    services.meeting_cancel(meeting=meeting, by=manager)
    _token, key = feed_token_rotate(user=member)
    event = _events(key)["Called off"]
    assert event.status.value == "CANCELLED"  # type: ignore[attr-defined]
    assert event.sequence.value == "1"  # type: ignore[attr-defined]


def test_losing_access_to_a_project_empties_the_feed_at_the_next_fetch(org, manager, member):
    due = timezone.localdate() + datetime.timedelta(days=3)
    items.action(org.project, manager, title="Still mine", owner=member, due=due)
    factories.meeting(org.project, manager, title="Team sync", invitees=[member])
    _token, key = feed_token_rotate(user=member)
    assert len(_events(key)) == 2
    Membership.objects.filter(user=member, project=org.project).delete()
    assert _events(key) == {}


def test_meetings_i_may_not_see_are_left_out_even_when_i_am_invited(org, manager, member, pmo):
    # Invited to their own programme's board (they see a part of it: their project), but
    # also to a meeting of a programme they see nothing of.
    factories.meeting(org.programme, manager, title="Programme board", invitees=[member])
    factories.meeting(org.other_programme, pmo, title="Elsewhere", invitees=[member])
    _token, key = feed_token_rotate(user=member)
    assert set(_events(key)) == {"Programme board"}


def test_hostile_titles_cannot_add_events_to_the_feed(org, manager, member):
    due = timezone.localdate() + datetime.timedelta(days=3)
    hostile = "Plan\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected"
    items.action(org.project, manager, title=hostile, owner=member, due=due)
    _token, key = feed_token_rotate(user=member)
    calendar = vobject.readOne(_fetch(key).content.decode())
    assert len(calendar.contents["vevent"]) == 1
    assert calendar.vevent.summary.value.endswith(hostile.replace("\r\n", "\n"))


def test_another_app_adds_events_through_a_feed_source(org, member):
    from schakel.core.exports.ics import CalendarEvent

    def milestones(user):
        day = timezone.localdate()
        return [CalendarEvent(uid="m-1@x", sequence=0, summary="Go-live", start=day, end=day)]

    feed_source(milestones)
    try:
        assert [e.summary for e in feed_events(member)] == ["Go-live"]
    finally:
        FEED_SOURCES.remove(milestones)


# The settings page -----------------------------------------------------------------------


def test_the_page_says_the_feed_is_off_until_a_url_is_made(org, member, client_as):
    response = client_as(member).get(SETTINGS)
    assert response.status_code == 200
    assert response.context["token"] is None
    assert "You have no calendar feed yet." in response.content.decode()
    assert "/calendar/feed/" not in response.content.decode()


def test_creating_shows_the_url_once_and_it_works(org, member, client_as):
    client = client_as(member)
    response = client.post(SETTINGS, {"action": "rotate"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    url = response.context["feed_url"]
    assert url.startswith("https://pmo.example.org/calendar/feed/")
    assert url in response.content.decode()
    assert response.context["webcal_url"] == "webcal://" + url.removeprefix("https://")
    key = re.search(r"/calendar/feed/([^/]+)\.ics$", url).group(1)  # type: ignore[union-attr]
    assert _fetch(key).status_code == 200
    # Shown once: the page no longer knows the key.
    again = client.get(SETTINGS).content.decode()
    assert key not in again
    assert key[:8] in again  # the prefix identifies it


def test_the_page_shows_when_the_feed_was_last_fetched(org, member, client_as):
    _token, key = feed_token_rotate(user=member)
    client = client_as(member)
    assert "Not yet" in client.get(SETTINGS).content.decode()
    _fetch(key)
    response = client.get(SETTINGS)
    assert response.context["token"].last_used_at is not None
    assert "Not yet" not in response.content.decode()


def test_turning_off_touches_only_my_own_token(org, member, viewer, client_as):
    mine, _ = feed_token_rotate(user=member)
    theirs, their_key = feed_token_rotate(user=viewer)
    response = client_as(member).post(SETTINGS, {"action": "revoke"})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assert _fetch(their_key).status_code == 200


def test_rotating_touches_only_my_own_token(org, member, viewer, client_as):
    theirs, their_key = feed_token_rotate(user=viewer)
    client_as(member).post(SETTINGS, {"action": "rotate", "user": viewer.pk})
    assert FeedToken.objects.filter(user=member, revoked_at__isnull=True).count() == 1
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert _fetch(their_key).status_code == 200


def test_an_unknown_action_is_refused_and_changes_nothing(org, member, client_as):
    token, _key = feed_token_rotate(user=member)
    response = client_as(member).post(SETTINGS, {"action": "delete-everything"})
    assert response.status_code == 400
    assert "Choose to create, rotate or turn off the feed." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in_and_cannot_post(org, member):
    feed_token_rotate(user=member)
    client = Client()
    assert client.get(SETTINGS).status_code == 302
    assert client.post(SETTINGS, {"action": "revoke"}).status_code == 302
    assert FeedToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_profile_page_links_to_the_feed_settings(org, member, client_as):
    page = client_as(member).get(reverse("accounts:profile")).content.decode()
    assert f'href="{SETTINGS}"' in page


def test_the_feed_names_the_organiser_but_not_everyone_invited(org, manager, member, viewer):
    factories.meeting(
        org.project, manager, title="Team sync", chair=manager, invitees=[member, viewer]
    )
    _token, key = feed_token_rotate(user=member)
    event = _events(key)["Team sync"]
    assert event.organizer.value == f"mailto:{manager.email}"  # type: ignore[attr-defined]
    assert "attendee" not in event.contents  # type: ignore[attr-defined]
