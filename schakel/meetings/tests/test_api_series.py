"""The meeting-series API: managers create, change, plan and trash series in their scope."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings.models import Meeting, MeetingSeries
from schakel.meetings.tests import factories
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

AGENDA = [
    {"title": "Opening", "minutes": 5},
    {"title": "Actions from last time", "minutes": 10, "standing": "previous_actions"},
]


def _new(org, **extra):
    return {
        "programme": org.programme.pk,
        "kind": "steering_committee",
        "title": "Steering committee",
        "recurrence": "monthly_weekday",
        "first_date": timezone.localdate().isoformat(),
        "start_time": "14:00",
        "duration": 90,
        "standard_agenda": AGENDA,
        **extra,
    }


def test_a_manager_creates_a_series_in_their_programme(org, manager, pmo):
    body = _new(org, chair=manager.pk, minute_taker=pmo.pk, invitees=[pmo.pk])
    response = api_client(manager).post(f"{API}/meeting-series/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["scope_kind"], data["scope_name"]) == ("programme", "Support services")
    assert data["chair"]["username"] == "manager"
    assert [p["username"] for p in data["invitees"]] == ["pmo"]
    assert data["standard_agenda"] == AGENDA
    assert data["version"] == 1
    series = MeetingSeries.objects.get(pk=data["id"])
    assert series.programme == org.programme
    assert series.created_by == manager


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_below_manager_creating_a_series_is_refused(request, org, who):
    user = request.getfixturevalue(who)
    body = _new(org, programme=None, project=org.project.pk)
    response = api_client(user).post(f"{API}/meeting-series/", body, format="json")
    assert response.status_code == 403
    assert not MeetingSeries.objects.exists()


def test_anonymous_callers_are_asked_to_authenticate(org):
    assert api_client().get(f"{API}/meeting-series/").status_code == 401


def test_an_outsider_neither_lists_nor_opens_a_series(org, manager, outsider):
    series = factories.series(org.programme, manager)
    client = api_client(outsider)
    assert client.get(f"{API}/meeting-series/").json()["count"] == 0
    assert client.get(f"{API}/meeting-series/{series.pk}/").status_code == 404
    assert (
        client.patch(
            f"{API}/meeting-series/{series.pk}/", {"title": "X", "version": 1}, format="json"
        ).status_code
        == 404
    )


def test_the_list_filters_by_scope(org, pmo):
    programme_series = factories.series(org.programme, pmo)
    project_series = factories.series(org.project, pmo, title="Project board")
    other = factories.series(org.other_project, pmo, title="Care board")
    client = api_client(pmo)
    assert ids(client.get(f"{API}/meeting-series/?programme={org.programme.pk}")) == {
        programme_series.pk,
        project_series.pk,
    }
    assert ids(client.get(f"{API}/meeting-series/?project={org.other_project.pk}")) == {other.pk}
    assert client.get(f"{API}/meeting-series/?kind=nonsense").status_code == 400


def test_a_scope_the_caller_cannot_see_reads_as_missing(org, manager):
    client = api_client(manager)
    hidden = client.post(
        f"{API}/meeting-series/", _new(org, programme=org.other_programme.pk), format="json"
    )
    missing = client.post(f"{API}/meeting-series/", _new(org, programme=999999), format="json")
    assert hidden.status_code == missing.status_code == 400
    assert "does not exist" in hidden.json()["programme"][0]
    assert not MeetingSeries.objects.exists()


def test_a_project_member_cannot_reach_the_programme_behind_their_project(org, member):
    # A role on one project shows its programme, but not the programme's own meetings.
    response = api_client(member).post(f"{API}/meeting-series/", _new(org), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["programme"]


def test_people_without_a_role_in_the_scope_are_refused(org, manager, member, outsider, pmo):
    client = api_client(manager)
    # Someone the manager cannot see at all reads as missing.
    response = client.post(
        f"{API}/meeting-series/", _new(org, minute_taker=outsider.pk), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["minute_taker"][0]
    # Someone who works elsewhere (the other programme) may not take part in this one's.
    other = UserFactory(username="elsewhere")
    Membership.objects.create(user=other, project=org.other_project, role=Role.MANAGER)
    response = api_client(pmo).post(
        f"{API}/meeting-series/", _new(org, invitees=[other.pk], chair=other.pk), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"invitees", "chair"}
    assert not MeetingSeries.objects.exists()


def test_the_managers_of_the_programmes_projects_may_be_invited(org, manager, member):
    # The member works on a project of the programme: its steering committee may invite her.
    response = api_client(manager).post(
        f"{API}/meeting-series/", _new(org, invitees=[member.pk], chair=member.pk), format="json"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"programme": None},
        {"project": 1, "portfolio": 1},
    ],
    ids=["none", "two"],
)
def test_exactly_one_scope_is_needed(org, pmo, body):
    if "project" in body:
        body = {"project": org.project.pk, "portfolio": org.portfolio.pk}
    response = api_client(pmo).post(f"{API}/meeting-series/", _new(org, **body), format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    "agenda",
    [
        "not a list",
        [{"title": "x", "minutes": -5}],
        [{"title": "x", "minutes": 2000}],
        [{"title": ""}],
        [{"title": "x", "standing": "gossip"}],
        [{"title": "x", "colour": "red"}],
        [{"title": "x"}] * 51,
        [["a list"]],
    ],
    ids=["string", "negative", "too-long", "blank", "standing", "unknown-key", "51", "nested"],
)
def test_a_bad_standard_agenda_is_refused(org, pmo, agenda):
    response = api_client(pmo).post(
        f"{API}/meeting-series/", _new(org, standard_agenda=agenda), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["standard_agenda"]
    assert not MeetingSeries.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [{"id": 5}, {"version": 3}, {"created_by": 1}, {"scope_kind": "project"}, {"colour": "red"}],
    ids=lambda extra: next(iter(extra)),
)
def test_fields_the_caller_may_not_set_are_refused(org, pmo, extra):
    response = api_client(pmo).post(f"{API}/meeting-series/", _new(org, **extra), format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(extra)


def test_junk_input_is_a_400_not_a_server_error(org, pmo):
    client = api_client(pmo)
    for junk in (
        {"first_date": "someday"},
        {"start_time": "25:99"},
        {"duration": "long"},
        {"duration": 2},
        {"online_url": "javascript:alert(1)"},
        {"recurrence": "hourly"},
        {"invitees": "everyone"},
    ):
        response = client.post(f"{API}/meeting-series/", _new(org, **junk), format="json")
        assert response.status_code == 400, junk
    assert client.post(f"{API}/meeting-series/", ["a", "list"], format="json").status_code == 400
    assert not MeetingSeries.objects.exists()


def test_a_change_needs_the_version_and_a_stale_one_answers_409(org, manager):
    series = factories.series(org.programme, manager)
    client = api_client(manager)
    url = f"{API}/meeting-series/{series.pk}/"
    assert client.patch(url, {"title": "Board"}, format="json").status_code == 400
    response = client.patch(url, {"title": "Board", "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["version"]) == ("Board", 2)
    stale = client.patch(url, {"title": "Mine", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "Board"
    assert MeetingSeries.objects.get(pk=series.pk).title == "Board"


def test_a_series_stays_in_its_scope(org, pmo):
    series = factories.series(org.programme, pmo)
    response = api_client(pmo).patch(
        f"{API}/meeting-series/{series.pk}/",
        {"project": org.project.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "stays in its" in response.json()["project"][0]
    assert MeetingSeries.objects.get(pk=series.pk).project is None


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_below_manager_changing_a_series_is_refused(request, org, pmo, who):
    series = factories.series(org.project, pmo)
    response = api_client(request.getfixturevalue(who)).patch(
        f"{API}/meeting-series/{series.pk}/", {"title": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert MeetingSeries.objects.get(pk=series.pk).version == 1


def test_planning_creates_the_next_meetings_with_the_standard_agenda(org, manager):
    series = factories.series(org.programme, manager, chair=manager)
    response = api_client(manager).post(
        f"{API}/meeting-series/{series.pk}/plan/", {"count": 2}, format="json"
    )
    assert response.status_code == 201
    planned = response.json()
    assert len(planned) == 2
    assert {m["series"] for m in planned} == {series.pk}
    first = Meeting.objects.get(pk=planned[0]["id"])
    assert first.agenda.count() == len(factories.STANDARD_AGENDA)
    assert timezone.localtime(first.start).time() == datetime.time(14, 0)


@pytest.mark.parametrize("count", [0, 53, "many", None])
def test_planning_refuses_a_bad_count(org, manager, count):
    series = factories.series(org.programme, manager)
    response = api_client(manager).post(
        f"{API}/meeting-series/{series.pk}/plan/", {"count": count}, format="json"
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_a_viewer_may_not_plan_and_an_outsider_finds_nothing(org, pmo, viewer, outsider):
    series = factories.series(org.project, pmo)
    url = f"{API}/meeting-series/{series.pk}/plan/"
    assert api_client(viewer).post(url, {"count": 1}, format="json").status_code == 403
    assert api_client(outsider).post(url, {"count": 1}, format="json").status_code == 404
    assert not Meeting.objects.exists()


def test_deleting_moves_the_series_to_the_trash(org, manager, member):
    series = factories.series(org.project, manager)
    url = f"{API}/meeting-series/{series.pk}/"
    assert api_client(member).delete(url).status_code == 403
    assert api_client(manager).delete(url).status_code == 204
    assert MeetingSeries.all_objects.get(pk=series.pk).deleted_at is not None
    assert api_client(manager).get(url).status_code == 404
