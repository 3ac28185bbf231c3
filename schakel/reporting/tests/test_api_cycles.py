"""Reporting cycles through the API: set up, change, compliance, reminders, key messages and
the consolidated report as JSON."""

from __future__ import annotations

import pytest
from django.core import mail

from schakel.reporting import services
from schakel.reporting.models import ReportingCycle
from schakel.reporting.tests.pages import make_cycle, start
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

CYCLES = f"{API}/reporting-cycles/"


def _url(cycle, tail=""):
    return f"{CYCLES}{cycle.pk}/{tail}"


def _body(**extra):
    return {"name": "Monthly", "frequency": "monthly", "anchor": "2026-11-30", **extra}


def _complete(report, by, colour="green"):
    reason = "" if colour == "green" else "Late"
    return services.report_update(
        report=report,
        version=report.version,
        by=by,
        ratings=dict.fromkeys(report.cycle.dimension_keys, (colour, reason)),
        overall=colour,
        overall_reason=reason,
        summary="On track.",
    )


def _publish(report, writer, pmo, colour="green"):
    report = _complete(report, writer, colour)
    report = services.report_submit(report=report, version=report.version, by=writer)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    return services.report_publish(report=report, version=report.version, by=pmo)


# Set up -----------------------------------------------------------------------------------


def test_the_pmo_sets_up_a_cycle_on_a_programme(org, pmo):
    response = api_client(pmo).post(CYCLES, _body(programme=org.programme.pk), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["programme"] == org.programme.pk and data["portfolio"] is None
    assert sorted(data["projects"]) == sorted([org.project.pk, org.sibling.pk])
    assert data["version"] == 1
    assert [d["key"] for d in data["dimensions"]][:2] == ["schedule", "budget"]
    assert set(data["current_period"]) == {"start", "end", "due"}
    cycle = ReportingCycle.objects.get(pk=data["id"])
    assert cycle.created_by == pmo


def test_a_cycle_takes_chosen_projects_dimensions_and_sections(org, pmo):
    body = _body(
        portfolio=org.portfolio.pk,
        projects=[org.project.pk, org.other_project.pk],
        dimensions=[{"key": "time", "en": "Time", "nl": "Tijd"}],
        sections=["summary", "risks"],
    )
    response = api_client(pmo).post(CYCLES, body, format="json")
    assert response.status_code == 201, response.json()
    cycle = ReportingCycle.objects.get(pk=response.json()["id"])
    assert set(cycle.projects.all()) == {org.project, org.other_project}
    assert cycle.dimension_keys == ["time"] and cycle.sections == ["summary", "risks"]


@pytest.mark.parametrize(
    "scope",
    [{}, {"programme": "both"}],
    ids=["neither", "both"],
)
def test_a_cycle_names_exactly_one_scope(org, pmo, scope):
    if scope:
        scope = {"programme": org.programme.pk, "portfolio": org.portfolio.pk}
    response = api_client(pmo).post(CYCLES, _body(**scope), format="json")
    assert response.status_code == 400
    assert "programme" in response.json()
    assert not ReportingCycle.objects.exists()


def test_projects_must_belong_to_the_scope(org, pmo):
    body = _body(programme=org.programme.pk, projects=[org.other_project.pk])
    response = api_client(pmo).post(CYCLES, body, format="json")
    assert response.status_code == 400
    assert "projects" in response.json()


def test_bad_dimensions_and_sections_are_refused(org, pmo):
    client = api_client(pmo)
    bad = _body(programme=org.programme.pk, dimensions=[{"key": "Bad Key", "en": "A", "nl": "B"}])
    assert client.post(CYCLES, bad, format="json").status_code == 400
    bad = _body(programme=org.programme.pk, sections=["summary", "summary"])
    assert client.post(CYCLES, bad, format="json").status_code == 400
    assert not ReportingCycle.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("manager", 403), ("viewer", 403), ("outsider", 400)],
)
def test_only_the_pmo_sets_up_a_cycle(org, request, persona, expected):
    user = request.getfixturevalue(persona)
    response = api_client(user).post(CYCLES, _body(programme=org.programme.pk), format="json")
    assert response.status_code == expected
    if expected == 400:  # the outsider does not see the programme: it "does not exist"
        assert "programme" in response.json()
    assert not ReportingCycle.objects.exists()


def test_read_only_fields_are_refused(org, pmo):
    body = _body(programme=org.programme.pk, version=3, current_period={"end": "2026-01-31"})
    response = api_client(pmo).post(CYCLES, body, format="json")
    assert response.status_code == 400
    assert {"version", "current_period"} <= set(response.json())


# Change -----------------------------------------------------------------------------------


def test_the_pmo_changes_a_cycle_from_its_version(org, pmo):
    cycle = make_cycle(org, pmo)
    client = api_client(pmo)
    response = client.patch(
        _url(cycle), {"name": "Renamed", "version": 1, "projects": [org.project.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response.json()["projects"] == [org.project.pk]
    cycle.refresh_from_db()
    assert cycle.name == "Renamed"


def test_a_change_without_a_version_or_of_the_scope_is_refused(org, pmo):
    cycle = make_cycle(org, pmo)
    client = api_client(pmo)
    assert "version" in client.patch(_url(cycle), {"name": "X"}, format="json").json()
    moved = client.patch(
        _url(cycle), {"version": 1, "programme": org.other_programme.pk}, format="json"
    )
    assert moved.status_code == 400 and "programme" in moved.json()
    cycle.refresh_from_db()
    assert (cycle.name, cycle.programme, cycle.version) == ("Monthly report", org.programme, 1)


def test_a_stale_change_answers_409_with_the_current_cycle(org, pmo):
    cycle = make_cycle(org, pmo)
    client = api_client(pmo)
    first = client.patch(_url(cycle), {"name": "First", "version": 1}, format="json")
    assert first.status_code == 200
    response = client.patch(_url(cycle), {"name": "Second", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "First"
    assert response.json()["current"]["version"] == 2


@pytest.mark.parametrize(("persona", "expected"), [("manager", 403), ("outsider", 404)])
def test_others_cannot_change_a_cycle(org, pmo, request, persona, expected):
    cycle = make_cycle(org, pmo)
    user = request.getfixturevalue(persona)
    response = api_client(user).patch(_url(cycle), {"name": "X", "version": 1}, format="json")
    assert response.status_code == expected
    cycle.refresh_from_db()
    assert cycle.name == "Monthly report"


def test_a_cycle_is_neither_replaced_nor_deleted(org, pmo):
    cycle = make_cycle(org, pmo)
    client = api_client(pmo)
    assert client.put(_url(cycle), _body(version=1), format="json").status_code == 405
    assert client.delete(_url(cycle)).status_code == 405
    assert ReportingCycle.objects.filter(pk=cycle.pk).exists()


# Lists ------------------------------------------------------------------------------------


def test_the_list_shows_visible_cycles_and_filters(org, pmo, member, outsider):
    mine = make_cycle(org, pmo)
    other = services.cycle_create(
        scope=org.other_programme, by=pmo, name="Other", frequency="monthly", anchor=mine.anchor
    )
    whole = services.cycle_create(
        scope=org.portfolio, by=pmo, name="Board", frequency="monthly", anchor=mine.anchor
    )
    services.cycle_update(cycle=whole, version=1, by=pmo, active=False)
    client = api_client(pmo)
    assert ids(client.get(CYCLES)) == {mine.pk, other.pk, whole.pk}
    assert ids(client.get(f"{CYCLES}?programme={org.programme.pk}")) == {mine.pk}
    assert ids(client.get(f"{CYCLES}?portfolio={org.portfolio.pk}")) == {
        mine.pk,
        other.pk,
        whole.pk,
    }
    assert ids(client.get(f"{CYCLES}?active=false")) == {whole.pk}
    # The member sees their programme's cycle and the portfolio's, not the other programme's,
    # and of a cycle only the projects they see.
    seen = api_client(member).get(CYCLES).json()["results"]
    assert {row["id"] for row in seen} == {mine.pk, whole.pk}
    assert {p for row in seen for p in row["projects"]} == {org.project.pk}
    assert api_client(outsider).get(CYCLES).json()["count"] == 0


# Compliance and reminders -----------------------------------------------------------------


def test_compliance_lists_the_projects_you_see(org, pmo, manager, viewer):
    cycle = make_cycle(org, pmo)
    report = start(cycle, org.project, manager)
    rows = api_client(pmo).get(_url(cycle, "compliance/")).json()
    period = services.reporting_period(cycle)
    assert [(r["project"]["key"], r["status"], r["report"]) for r in rows] == [
        ("ODI", "draft", report.pk),
        ("POL", "missing", None),
    ]
    assert rows[0]["due"] == period.due.isoformat()
    assert isinstance(rows[0]["late"], bool)
    seen = api_client(viewer).get(_url(cycle, "compliance/")).json()
    assert [r["project"]["key"] for r in seen] == ["ODI"]


def test_a_period_must_be_a_period_end_of_the_cycle(org, pmo):
    cycle = make_cycle(org, pmo)
    period = services.reporting_period(cycle)
    client = api_client(pmo)
    earlier = services.core_cycle(cycle).previous_end(period.end)
    answer = client.get(_url(cycle, f"compliance/?period={earlier.isoformat()}"))
    assert answer.status_code == 200
    odd = period.end.replace(day=15)
    refused = client.get(_url(cycle, f"compliance/?period={odd.isoformat()}"))
    assert refused.status_code == 400 and "period" in refused.json()
    assert client.get(_url(cycle, "compliance/?period=soon")).status_code == 400


def test_the_pmo_reminds_a_project_manager(org, pmo, member, manager):
    org.project.manager = member
    org.project.save()
    cycle = make_cycle(org, pmo)
    body = {"project": org.project.pk}
    assert api_client(manager).post(_url(cycle, "remind/"), body).status_code == 403
    assert len(mail.outbox) == 0
    response = api_client(pmo).post(_url(cycle, "remind/"), body, format="json")
    assert response.status_code == 200
    assert response.json() == {"sent": 1}
    assert member.email in mail.outbox[0].to[0]


def test_a_reminder_is_for_a_project_of_the_cycle(org, pmo):
    cycle = make_cycle(org, pmo, projects=[org.project])
    client = api_client(pmo)
    response = client.post(_url(cycle, "remind/"), {"project": org.sibling.pk}, format="json")
    assert response.status_code == 400 and "project" in response.json()
    missing = client.post(_url(cycle, "remind/"), {"project": 10**9}, format="json")
    assert missing.status_code == 400 and "project" in missing.json()


# Key messages and the consolidated report -------------------------------------------------


def test_key_messages_are_written_from_a_version(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    url = _url(cycle, "key-messages/")
    client = api_client(pmo)
    assert client.get(url).json()["version"] == 0
    first = client.put(url, {"key_messages": "All well.", "version": 0}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 1
    assert first.json()["period"] == services.reporting_period(cycle).end.isoformat()
    stale = client.put(url, {"key_messages": "Changed.", "version": 0}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["key_messages"] == "All well."
    refused = api_client(manager).put(url, {"key_messages": "Mine", "version": 1}, format="json")
    assert refused.status_code == 403
    assert api_client(manager).get(url).json()["key_messages"] == "All well."


def test_the_consolidated_report_is_json_in_the_callers_language(org, pmo, manager, viewer):
    cycle = make_cycle(org, pmo)
    _publish(start(cycle, org.project, manager), manager, pmo, colour="amber")
    services.key_messages_save(
        cycle=cycle,
        period_end=services.reporting_period(cycle).end,
        text="Budget under pressure.",
        version=0,
        by=pmo,
    )
    data = api_client(pmo).get(_url(cycle, "report/")).json()
    assert "logo_png" not in data and "labels" not in data
    assert data["key_messages"] == "Budget under pressure."
    assert data["period_end"] == services.reporting_period(cycle).end.isoformat()
    assert data["dimensions"][0] == {"key": "schedule", "label": "Schedule"}
    odi, pol = data["projects"]
    assert (odi["key"], pol["key"]) == ("ODI", "POL")
    assert odi["overall"]["rag"] == "amber" and odi["overall"]["reason"] == "Late"
    assert odi["ratings"]["budget"] == {
        "rag": "amber",
        "previous": "",
        "trend": "",
        "reason": "Late",
    }
    assert odi["trend"]["overall"][-1] == "amber"
    assert pol["overall"]["rag"] == "" and pol["ratings"] == {}
    assert sum(p["amber"] for p in data["distribution"]) == 1
    dutch = api_client(pmo).get(_url(cycle, "report/"), HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.json()["dimensions"][0]["label"] == "Planning"
    # A viewer of ODI reads ODI only.
    assert [
        p["key"] for p in api_client(viewer).get(_url(cycle, "report/")).json()["projects"]
    ] == ["ODI"]
