"""The meetings API: create, list, read, change, run and trash meetings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.models import Meeting
from schakel.meetings.tests import factories
from schakel.meetings.tests.factories import at
from schakel.registers.tests import factories as items
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db


def _new(org, **extra):
    start = at(5, 10)
    return {
        "project": org.project.pk,
        "kind": "project_team",
        "title": "Team meeting",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=1)).isoformat(),
        "location": "Room 2.01",
        **extra,
    }


def _meeting(org, by, **fields):
    return factories.meeting(org.project, by, **fields)


# Creating -------------------------------------------------------------------------------


def test_a_manager_creates_a_meeting_with_people_and_an_agenda(org, manager, member, viewer):
    body = _new(
        org,
        chair=member.pk,
        invitees=[viewer.pk],
        agenda=[{"title": "Progress", "minutes": 20}, {"title": "Risks"}],
    )
    response = api_client(manager).post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["scope_kind"], data["duration_minutes"]) == (
        "planned",
        "project",
        60,
    )
    assert "invitees" not in data and "agenda" not in data
    meeting = Meeting.objects.get(pk=data["id"])
    assert [a.title for a in meeting.agenda.all()] == ["Progress", "Risks"]
    assert {a.user for a in meeting.attendance.all()} == {member, viewer}


def test_a_meeting_from_a_series_takes_its_scope_people_and_agenda(org, manager, pmo):
    series = factories.series(org.programme, manager, invitees=[pmo])
    start = at(3, 9)
    body = {
        "series": series.pk,
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=2)).isoformat(),
    }
    response = api_client(manager).post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["programme"], data["kind"], data["title"]) == (
        org.programme.pk,
        "steering_committee",
        "Steering committee",
    )
    meeting = Meeting.objects.get(pk=data["id"])
    assert meeting.agenda.count() == len(factories.STANDARD_AGENDA)
    assert [a.user for a in meeting.attendance.all()] == [pmo]


def test_a_series_of_another_scope_is_refused(org, pmo):
    series = factories.series(org.programme, pmo)
    response = api_client(pmo).post(f"{API}/meetings/", _new(org, series=series.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["series"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_below_manager_creating_a_meeting_is_refused(request, org, who):
    response = api_client(request.getfixturevalue(who)).post(
        f"{API}/meetings/", _new(org), format="json"
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_a_hidden_project_reads_as_missing(org, manager):
    response = api_client(manager).post(
        f"{API}/meetings/", _new(org, project=org.other_project.pk), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["project"][0]


def test_invitees_outside_the_scope_are_refused(org, manager, member):
    # The member works on ODI, not on its sibling project.
    response = api_client(manager).post(
        f"{API}/meetings/", _new(org, project=org.sibling.pk, invitees=[member.pk]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["invitees"]


@pytest.mark.parametrize(
    "junk",
    [
        {"start": "tomorrow"},
        {"end": "2020-01-01T00:00:00Z"},
        {"online_url": "javascript:alert(1)"},
        {"kind": "party"},
        {"title": ""},
        {"agenda": [{"minutes": 5}]},
        {"chair": "me"},
        {"status": "published"},
        {"uid": "x"},
    ],
    ids=lambda junk: next(iter(junk)),
)
def test_bad_input_is_a_400_and_creates_nothing(org, pmo, junk):
    response = api_client(pmo).post(f"{API}/meetings/", _new(org, **junk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(junk)
    assert not Meeting.objects.exists()


# Reading --------------------------------------------------------------------------------


def test_the_list_shows_only_what_the_caller_may_see(org, pmo, member, outsider):
    mine = _meeting(org, pmo)
    factories.meeting(org.other_project, pmo)
    factories.meeting(org.programme, pmo)
    assert ids(api_client(member).get(f"{API}/meetings/")) == {mine.pk}
    assert api_client(outsider).get(f"{API}/meetings/").json()["count"] == 0
    assert api_client(pmo).get(f"{API}/meetings/").json()["count"] == 3


def test_the_list_filters_by_scope_kind_status_time_and_mine(org, pmo, member):
    team = _meeting(org, pmo, chair=member)
    later = _meeting(org, pmo, start=at(40), kind="project_board")
    programme = factories.meeting(org.programme, pmo, start=at(2))
    other = factories.meeting(org.other_project, pmo)
    services.meeting_cancel(meeting=later, by=pmo)
    client = api_client(pmo)

    def found(query):
        response = client.get(f"{API}/meetings/?{query}")
        assert response.status_code == 200, response.json()
        return ids(response)

    assert found(f"project={org.project.pk}") == {team.pk, later.pk}
    assert found(f"programme={org.programme.pk}") == {team.pk, later.pk, programme.pk}
    assert found(f"portfolio={org.portfolio.pk}") == {team.pk, later.pk, programme.pk, other.pk}
    assert found("kind=project_board") == {later.pk}
    assert found("status=cancelled") == {later.pk}
    after = (at(30)).isoformat()
    assert found(f"start_after={after.replace('+', '%2B')}") == {later.pk}
    assert found(f"start_before={at(3).isoformat().replace('+', '%2B')}") == {programme.pk}
    assert ids(api_client(member).get(f"{API}/meetings/?mine=true")) == {team.pk}


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "kind=x", "project=1e30", "project=99999999999999999999", "page=abc"],
)
def test_junk_filters_are_refused_not_a_server_error(org, pmo, query):
    _meeting(org, pmo)
    assert api_client(pmo).get(f"{API}/meetings/?{query}").status_code in (400, 404)


def test_an_absurd_start_bound_is_ignored(org, pmo):
    meeting = _meeting(org, pmo)
    response = api_client(pmo).get(f"{API}/meetings/?start_after=9999-12-31T23:59:59-12:00")
    assert response.status_code == 200
    assert ids(response) == {meeting.pk}


def test_a_meeting_reads_with_its_agenda_attendance_outcomes_sessions_and_minutes(
    org, manager, member
):
    meeting = _meeting(org, manager, chair=member)
    first = meeting.agenda.get(position=0)
    risk = items.risk(org.project, manager)
    hidden = items.risk(org.other_project, manager, title="Elsewhere")
    services.agenda_link(item=first, target=risk, by=manager)
    services.agenda_link(item=first, target=hidden, by=manager)
    services.meeting_start(meeting=meeting, by=manager)
    action = services.outcome_capture(
        meeting=meeting, agenda_item=first, kind="action", scope=org.project, by=member, title="Do"
    )
    response = api_client(member).get(f"{API}/meetings/{meeting.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert [a["title"] for a in data["agenda_items"]] == ["Progress", "Planning"]
    # The member cannot see the other project's risk: it is left out, not named.
    assert [link["ref"] for link in data["agenda_items"][0]["links"]] == [risk.ref]
    assert [row["user"]["username"] for row in data["attendance"]] == ["member"]
    assert [o["item"]["ref"] for o in data["outcomes"]] == [action.ref]
    assert data["outcomes"][0]["item"]["api_url"].endswith(f"/api/v1/actions/{action.pk}/")
    assert (data["sessions"], data["minutes_versions"]) == ([], [])
    assert (data["can_run"], data["can_plan"], data["current_item"]) == (True, False, first.pk)


def test_an_outsider_gets_404_like_a_missing_meeting(org, pmo, outsider):
    meeting = _meeting(org, pmo)
    client = api_client(outsider)
    assert client.get(f"{API}/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"{API}/meetings/999999/").status_code == 404
    assert client.get(f"{API}/meetings/99999999999999999999999/").status_code == 404


# Changing -------------------------------------------------------------------------------


def test_a_manager_reschedules_and_the_calendar_sequence_rises(org, manager):
    meeting = _meeting(org, manager)
    later = meeting.start + datetime.timedelta(days=1)
    response = api_client(manager).patch(
        f"{API}/meetings/{meeting.pk}/",
        {
            "start": later.isoformat(),
            "end": (later + datetime.timedelta(hours=1)).isoformat(),
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["version"], response.json()["sequence"]) == (2, 1)


def test_the_chair_writes_the_summary_but_does_not_reschedule(org, manager, member):
    meeting = _meeting(org, manager, chair=member)
    client = api_client(member)
    url = f"{API}/meetings/{meeting.pk}/"
    response = client.patch(url, {"summary": "All on track.", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["summary"] == "All on track."
    assert client.patch(url, {"title": "Mine", "version": 2}, format="json").status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).title == "Project team"


def test_a_viewer_changes_nothing(org, manager, viewer):
    meeting = _meeting(org, manager)
    response = api_client(viewer).patch(
        f"{API}/meetings/{meeting.pk}/", {"summary": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_a_stale_change_answers_409_with_the_current_meeting(org, manager):
    meeting = _meeting(org, manager)
    services.meeting_update(meeting=meeting, version=1, by=manager, title="Renamed")
    response = api_client(manager).patch(
        f"{API}/meetings/{meeting.pk}/", {"title": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "Renamed"
    assert response.json()["current"]["version"] == 2


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("status", "published", "actions"),
        ("project", None, "stays in its"),
        ("series", None, "stays in its series"),
        ("current_item", 1, "goto"),
        ("sequence", 9, "set by the server"),
        ("invitees", [], "Unknown field"),
    ],
)
def test_fields_the_caller_may_not_change_are_refused_with_a_reason(
    org, manager, field, value, hint
):
    meeting = _meeting(org, manager)
    response = api_client(manager).patch(
        f"{API}/meetings/{meeting.pk}/", {field: value, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert hint in response.json()[field][0]
    assert Meeting.objects.get(pk=meeting.pk).version == 1


def test_an_end_before_the_start_is_refused(org, manager):
    meeting = _meeting(org, manager)
    response = api_client(manager).patch(
        f"{API}/meetings/{meeting.pk}/",
        {"end": (meeting.start - datetime.timedelta(hours=1)).isoformat(), "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end"]


# Running --------------------------------------------------------------------------------


def test_the_chair_runs_the_meeting_from_start_to_published_minutes(org, manager, member):
    meeting = _meeting(org, manager, chair=member)
    first, second = meeting.agenda.order_by("position")
    client = api_client(member)
    url = f"{API}/meetings/{meeting.pk}"
    started = client.post(f"{url}/start/")
    assert started.status_code == 200
    assert (started.json()["status"], started.json()["current_item"]) == ("in_progress", first.pk)
    moved = client.post(f"{url}/goto/", {"agenda_item": second.pk}, format="json")
    assert moved.json()["current_item"] == second.pk
    ended = client.post(f"{url}/end/")
    assert ended.json()["status"] == "minutes_draft"
    published = client.post(f"{url}/publish/", {"version": ended.json()["version"]}, format="json")
    assert published.status_code == 201
    assert published.json()["number"] == 1
    assert published.json()["docx"].endswith(f"/meetings/{meeting.pk}/minutes.docx/?version=1")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    reopened = client.post(f"{url}/reopen/", {"version": meeting.version}, format="json")
    assert reopened.json()["status"] == "minutes_draft"


def test_publishing_minutes_changed_since_answers_409(org, manager):
    meeting = _meeting(org, manager)
    meeting = services.meeting_end(meeting=meeting, by=manager)
    response = api_client(manager).post(
        f"{API}/meetings/{meeting.pk}/publish/", {"version": meeting.version - 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "minutes_draft"
    assert not meeting.minutes_versions.exists()


@pytest.mark.parametrize("body", [{}, {"version": "x"}, {"version": 0}, {"version": 1, "a": 1}])
def test_publishing_needs_a_version(org, manager, body):
    meeting = services.meeting_end(meeting=_meeting(org, manager), by=manager)
    response = api_client(manager).post(
        f"{API}/meetings/{meeting.pk}/publish/", body, format="json"
    )
    assert response.status_code == 400
    assert not meeting.minutes_versions.exists()


def test_goto_refuses_an_item_of_another_meeting_and_junk(org, manager):
    meeting = _meeting(org, manager)
    other = _meeting(org, manager)
    services.meeting_start(meeting=meeting, by=manager)
    url = f"{API}/meetings/{meeting.pk}/goto/"
    client = api_client(manager)
    foreign = other.agenda.get(position=0).pk
    for body in ({"agenda_item": foreign}, {"agenda_item": "first"}, {}, ["x"]):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
    meeting.refresh_from_db()
    assert meeting.current_item == meeting.agenda.get(position=0)


def test_moves_that_do_not_fit_the_status_are_refused(org, manager):
    meeting = _meeting(org, manager)
    client = api_client(manager)
    # Not started: goto is refused; published: nothing starts again.
    first = meeting.agenda.get(position=0).pk
    goto = client.post(f"{API}/meetings/{meeting.pk}/goto/", {"agenda_item": first}, format="json")
    assert goto.status_code == 400
    assert client.post(f"{API}/meetings/{meeting.pk}/reopen/", {"version": 1}).status_code == 400


def test_a_manager_cancels_a_planned_meeting_and_the_chair_may_not(org, manager, member):
    meeting = _meeting(org, manager, chair=member)
    url = f"{API}/meetings/{meeting.pk}/cancel/"
    assert api_client(member).post(url).status_code == 403
    response = api_client(manager).post(url)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sequence"]) == ("cancelled", 1)
    assert api_client(manager).post(url).status_code == 400


def test_running_is_for_the_chair_minute_taker_and_managers(org, manager, member, viewer):
    meeting = _meeting(org, manager)
    # The member neither chairs nor minutes this one.
    assert api_client(member).post(f"{API}/meetings/{meeting.pk}/start/").status_code == 403
    assert api_client(viewer).post(f"{API}/meetings/{meeting.pk}/end/").status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_deleting_moves_the_meeting_to_the_trash(org, manager, member):
    meeting = _meeting(org, manager, chair=member)
    url = f"{API}/meetings/{meeting.pk}/"
    assert api_client(member).delete(url).status_code == 403
    assert api_client(manager).delete(url).status_code == 204
    assert Meeting.all_objects.get(pk=meeting.pk).deleted_at is not None
    assert api_client(manager).get(url).status_code == 404
    assert api_client(manager).get(f"{API}/meetings/{meeting.pk}/agenda-items/").status_code == 404


def test_a_meeting_in_an_archived_project_cannot_be_created(org, pmo):
    org.project.archived_at = timezone.now()
    org.project.save()
    response = api_client(pmo).post(f"{API}/meetings/", _new(org), format="json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_publishing_e_mails_the_minutes_unless_asked_not_to(
    org, manager, member, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _meeting(org, manager, chair=manager, minute_taker=member)
    meeting = services.meeting_end(meeting=meeting, by=manager)
    client = api_client(manager)
    url = f"{API}/meetings/{meeting.pk}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published = client.post(
            f"{url}/publish/", {"version": meeting.version, "send": False}, format="json"
        )
    assert published.status_code == 201
    assert callbacks == []
    assert mailoutbox == []
    # Sent again on request: everyone with an address gets their own message.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{url}/send-minutes/")
    assert again.status_code == 202
    assert again.json() == {"number": 1, "recipients": 2}
    addressed = sorted(m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mailoutbox)
    assert addressed == sorted([manager.email, member.email])
    assert all(m.attachments for m in mailoutbox)


def test_publishing_sends_by_default(
    org, manager, member, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _meeting(org, manager, chair=manager, minute_taker=member)
    meeting = services.meeting_end(meeting=meeting, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(member).post(
            f"{API}/meetings/{meeting.pk}/publish/", {"version": meeting.version}, format="json"
        )
    assert response.status_code == 201
    assert len(mailoutbox) == 2


def test_sending_minutes_that_were_never_published_is_refused(org, manager, mailoutbox):
    meeting = _meeting(org, manager)
    response = api_client(manager).post(f"{API}/meetings/{meeting.pk}/send-minutes/")
    assert response.status_code == 400
    assert mailoutbox == []
