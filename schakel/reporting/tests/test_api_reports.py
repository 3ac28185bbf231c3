"""Status reports through the API: start, edit, the whole workflow, and what is refused."""

from __future__ import annotations

import datetime

import pytest

from schakel.reporting import services
from schakel.reporting.models import StatusReport
from schakel.reporting.tests.pages import make_cycle, start
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

REPORTS = f"{API}/status-reports/"
FROZEN = {"status": ["This report is published and can no longer be changed."]}


def _url(report, tail=""):
    return f"{REPORTS}{report.pk}/{tail}"


def _all_green(cycle):
    return {key: {"rag": "green"} for key in cycle.dimension_keys}


def _current(client, report):
    return client.get(_url(report)).json()


# Starting a report ------------------------------------------------------------------------


def test_the_writer_starts_a_report_once(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    client = api_client(manager)
    body = {"cycle": cycle.pk, "project": org.project.pk}
    first = client.post(REPORTS, body, format="json")
    assert first.status_code == 201, first.json()
    data = first.json()
    period = services.reporting_period(cycle)
    assert (data["status"], data["period_end"], data["revision"]) == (
        "draft",
        period.end.isoformat(),
        1,
    )
    assert [r["dimension"] for r in data["ratings"]] == cycle.dimension_keys
    again = client.post(REPORTS, body, format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert StatusReport.objects.count() == 1


def test_a_report_of_an_earlier_period_is_started_by_its_end(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    earlier = services.core_cycle(cycle).previous_end(services.reporting_period(cycle).end)
    body = {"cycle": cycle.pk, "project": org.project.pk, "period_end": earlier.isoformat()}
    response = api_client(manager).post(REPORTS, body, format="json")
    assert response.status_code == 201 and response.json()["period_end"] == earlier.isoformat()
    body["period_end"] = (earlier - datetime.timedelta(days=3)).isoformat()
    refused = api_client(manager).post(REPORTS, body, format="json")
    assert refused.status_code == 400 and "period_end" in refused.json()


@pytest.mark.parametrize(
    ("persona", "project", "expected", "field"),
    [
        ("viewer", "project", 403, None),
        ("member", "project", 403, None),
        ("member", "other_project", 400, "project"),  # hidden: "does not exist"
        ("outsider", "project", 400, "cycle"),  # the cycle is hidden too
        ("pmo", "other_project", 400, "project"),  # seen, but does not report in the cycle
    ],
)
def test_starting_is_refused_to_others_and_for_other_projects(
    org, pmo, request, persona, project, expected, field
):
    cycle = make_cycle(org, pmo)
    user = request.getfixturevalue(persona)
    body = {"cycle": cycle.pk, "project": getattr(org, project).pk}
    response = api_client(user).post(REPORTS, body, format="json")
    assert response.status_code == expected
    if field:
        assert field in response.json()
    assert not StatusReport.objects.exists()


# Editing ----------------------------------------------------------------------------------


def test_ratings_are_changed_as_a_dict_or_a_list(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    report = start(cycle, org.project, manager)
    client = api_client(manager)
    as_dict = client.patch(
        _url(report),
        {"version": 1, "ratings": {"budget": {"rag": "amber", "reason": "Overrun"}}},
        format="json",
    )
    assert as_dict.status_code == 200, as_dict.json()
    budget = next(r for r in as_dict.json()["ratings"] if r["dimension"] == "budget")
    assert (budget["rag"], budget["reason"], budget["label"]) == ("amber", "Overrun", "Budget")
    as_list = client.patch(
        _url(report),
        {"version": 2, "ratings": [{"dimension": "budget", "rag": "red"}], "summary": "Hm."},
        format="json",
    )
    assert as_list.status_code == 200, as_list.json()
    assert as_list.json()["version"] == 3 and as_list.json()["summary"] == "Hm."
    rating = report.ratings.get(dimension="budget")
    assert (rating.rag, rating.reason) == ("red", "Overrun")  # the reason stays


def test_ratings_read_in_the_request_language(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    data = api_client(manager).get(_url(report), HTTP_ACCEPT_LANGUAGE="nl").json()
    assert data["ratings"][0]["label"] == "Planning"


def test_bad_edits_are_refused(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    client = api_client(manager)
    cases = [
        ({"summary": "No version"}, "version"),
        ({"version": 1, "ratings": {"weather": "green"}}, "ratings"),
        ({"version": 1, "ratings": {"budget": "purple"}}, "ratings"),
        ({"version": 1, "status": "published"}, "status"),
        ({"version": 1, "snapshot": {}}, "snapshot"),
        ({"version": 1, "milestones": [{"baseline": "2026-01-01"}]}, "milestones"),
        ({"version": 1, "overall": "blue"}, "overall"),
    ]
    for body, field in cases:
        response = client.patch(_url(report), body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    report.refresh_from_db()
    assert report.version == 1


def test_milestones_are_saved_with_iso_dates(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    milestones = [{"title": "Go live", "baseline": "2027-01-15", "done": False}]
    response = api_client(manager).patch(
        _url(report), {"version": 1, "milestones": milestones}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["milestones"] == [
        {"title": "Go live", "baseline": "2027-01-15", "forecast": None, "done": False}
    ]


def test_a_stale_edit_answers_409_with_the_current_report(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    client = api_client(manager)
    assert client.patch(
        _url(report), {"version": 1, "summary": "A"}, format="json"
    ).status_code == (200)
    stale = client.patch(_url(report), {"version": 1, "ratings": {"budget": "red"}}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["summary"] == "A"
    assert report.ratings.get(dimension="budget").rag == ""


@pytest.mark.parametrize(("persona", "expected"), [("viewer", 403), ("outsider", 404)])
def test_others_cannot_edit(org, pmo, manager, request, persona, expected):
    report = start(make_cycle(org, pmo), org.project, manager)
    user = request.getfixturevalue(persona)
    response = api_client(user).patch(_url(report), {"version": 1, "summary": "X"}, format="json")
    assert response.status_code == expected
    report.refresh_from_db()
    assert report.summary == ""


# The workflow -----------------------------------------------------------------------------


def test_a_report_goes_through_the_whole_workflow(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    writer, reviewer = api_client(manager), api_client(pmo)
    created = writer.post(REPORTS, {"cycle": cycle.pk, "project": org.project.pk}, format="json")
    report = StatusReport.objects.get(pk=created.json()["id"])
    assert set(created.json()["completeness"]) == {"overall", "ratings"}
    # Submitting without colours: 400, by field.
    refused = writer.post(_url(report, "submit/"), {"version": 1}, format="json")
    assert refused.status_code == 400
    assert (
        "overall" in refused.json() and "Give a colour for Schedule." in refused.json()["ratings"]
    )
    # Fill in and submit.
    filled = writer.patch(
        _url(report),
        {"version": 1, "overall": "green", "ratings": _all_green(cycle), "summary": "Fine."},
        format="json",
    )
    assert filled.json()["completeness"] == {}
    submitted = writer.post(_url(report, "submit/"), {"version": 2}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert set(submitted.json()["snapshot"]) >= {"risks", "issues", "taken_on"}
    # The writer cannot review; returning needs a comment.
    assert writer.post(_url(report, "approve/"), {"version": 3}).status_code == 403
    no_comment = reviewer.post(_url(report, "return/"), {"version": 3}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    returned = reviewer.post(
        _url(report, "return/"), {"version": 3, "comment": "Explain."}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Explain."
    # Edit and submit again; approve and publish.
    edited = writer.patch(_url(report), {"version": 4, "summary": "Explained."}, format="json")
    assert edited.status_code == 200
    writer.post(_url(report, "submit/"), {"version": 5}, format="json")
    approved = reviewer.post(_url(report, "approve/"), {"version": 6}, format="json")
    assert approved.json()["status"] == "approved"
    published = reviewer.post(_url(report, "publish/"), {"version": 7}, format="json")
    assert published.json()["status"] == "published"
    # A published report never changes: not by PATCH, ratings, PUT or DELETE.
    for body in (
        {"version": 8, "summary": "Changed"},
        {"version": 8, "ratings": {"budget": "red"}},
    ):
        response = writer.patch(_url(report), body, format="json")
        assert (response.status_code, response.json()) == (400, FROZEN)
    assert writer.put(_url(report), {"version": 8, "summary": "X"}, format="json").status_code == (
        405
    )
    assert reviewer.delete(_url(report)).status_code == 405
    resubmit = writer.post(_url(report, "submit/"), {"version": 8}, format="json")
    assert (resubmit.status_code, resubmit.json()) == (400, FROZEN)
    report.refresh_from_db()
    assert (report.summary, report.status, report.version) == ("Explained.", "published", 8)
    assert report.ratings.get(dimension="budget").rag == "green"
    # A correction is revision 2, a draft copy.
    stale = writer.post(_url(report, "correct/"), {"version": 7}, format="json")
    assert stale.status_code == 409
    corrected = writer.post(_url(report, "correct/"), {"version": 8}, format="json")
    assert corrected.status_code == 201
    assert (corrected.json()["revision"], corrected.json()["status"]) == (2, "draft")
    assert corrected.json()["summary"] == "Explained."
    again = reviewer.post(_url(report, "correct/"), {"version": 8}, format="json")
    assert again.status_code == 400


def test_the_steps_need_their_role_and_state(org, pmo, manager, member, viewer):
    report = start(make_cycle(org, pmo), org.project, manager)
    assert api_client(viewer).post(_url(report, "submit/"), {"version": 1}).status_code == 403
    assert api_client(member).post(_url(report, "correct/"), {"version": 1}).status_code == 403
    early = api_client(pmo).post(_url(report, "approve/"), {"version": 1}, format="json")
    assert early.status_code == 400
    publish = api_client(pmo).post(_url(report, "publish/"), {"version": 1}, format="json")
    assert publish.status_code == 400
    report.refresh_from_db()
    assert (report.status, report.version) == ("draft", 1)


def test_a_step_from_a_stale_version_answers_409(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    report = start(cycle, org.project, manager)
    client = api_client(manager)
    client.patch(
        _url(report),
        {"version": 1, "overall": "green", "ratings": _all_green(cycle)},
        format="json",
    )
    stale = client.post(_url(report, "submit/"), {"version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    report.refresh_from_db()
    assert report.status == "draft"


# Lists ------------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_filters(org, pmo, manager, viewer):
    cycle = make_cycle(org, pmo)
    period = services.reporting_period(cycle)
    earlier = services.core_cycle(cycle).period_ending(
        services.core_cycle(cycle).previous_end(period.end)
    )
    old = services.report_start(cycle=cycle, project=org.project, period=earlier, by=manager)
    new = start(cycle, org.project, manager)
    sibling = start(cycle, org.sibling, manager)
    client = api_client(manager)
    rows = client.get(REPORTS).json()["results"]
    assert [r["id"] for r in rows] == [new.pk, sibling.pk, old.pk]
    assert rows[0]["project_key"] == "ODI"
    found = client.get(f"{REPORTS}?period_end={earlier.end.isoformat()}").json()["results"]
    assert [r["id"] for r in found] == [old.pk]
    found = client.get(f"{REPORTS}?project={org.sibling.pk}&status=draft").json()["results"]
    assert [r["id"] for r in found] == [sibling.pk]
    assert client.get(f"{REPORTS}?status=published").json()["count"] == 0
    assert client.get(f"{REPORTS}?cycle={cycle.pk}").json()["count"] == 3
    assert {r["id"] for r in api_client(viewer).get(REPORTS).json()["results"]} == {
        new.pk,
        old.pk,
    }
