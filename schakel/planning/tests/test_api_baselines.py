"""The baselines API: kept dates, variance in working days, immutable, removable by editors."""

from __future__ import annotations

import pytest

from schakel.planning import services
from schakel.planning.models import Baseline, BaselineTask, Task
from schakel.planning.tests.test_api_schedule import _plan
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db


def test_a_baseline_adds_its_dates_and_shows_the_variance(org, manager):
    _plan(org.project, manager, 3)
    client = api_client(manager)
    made = client.post(f"{API}/baselines/", {"project": org.project.pk, "name": "Signed off"})
    assert made.status_code == 201, made.json()
    first = Task.objects.get(name="T0")
    services.task_update(task=first, version=first.version, by=manager, duration=4)

    gantt = client.get(f"{API}/schedules/{org.project.pk}/?baseline={made.json()['id']}").json()
    detail = client.get(f"{API}/baselines/{made.json()['id']}/").json()

    t1 = next(t for t in gantt["tasks"] if t["name"] == "T1")
    assert (t1["baseline_start"], t1["start"]) == ("2026-03-04", "2026-03-06")
    assert gantt["baselines"] == [{"id": made.json()["id"], "name": "Signed off"}]
    row = next(r for r in detail["tasks"] if r["name"] == "T1")
    assert (row["start_variance"], row["finish_variance"]) == (2, 2)
    assert client.patch(f"{API}/baselines/{made.json()['id']}/", {"name": "x"}).status_code == 405
    assert client.delete(f"{API}/baselines/{made.json()['id']}/").status_code == 204
    assert not Baseline.objects.exists()


def test_hidden_projects_answer_404_and_viewers_may_not_take_baselines(org, manager, viewer):
    _plan(org.project, manager, 2)

    assert api_client(viewer).get(f"{API}/schedules/{org.other_project.pk}/").status_code == 404
    refused = api_client(viewer).post(f"{API}/baselines/", {"project": org.project.pk, "name": "B"})
    assert refused.status_code == 403 and not Baseline.objects.exists()


def test_the_list_filters_by_project_and_hides_other_programmes(org, manager, pmo, member):
    _plan(org.project, manager, 2)
    _plan(org.other_project, pmo, 2)
    mine = services.baseline_create(project=org.project, name="A", by=manager)
    hidden = services.baseline_create(project=org.other_project, name="B", by=pmo)

    assert ids(api_client(member).get(f"{API}/baselines/")) == {mine.pk}
    assert ids(api_client(pmo).get(f"{API}/baselines/?project={org.other_project.pk}")) == {
        hidden.pk
    }
    assert api_client(member).get(f"{API}/baselines/{hidden.pk}/").status_code == 404


def test_only_editors_remove_a_baseline_and_the_plan_stays(org, manager, member):
    _plan(org.project, manager, 3)
    baseline = services.baseline_create(project=org.project, name="A", by=manager)

    refused = api_client(member).delete(f"{API}/baselines/{baseline.pk}/")
    removed = api_client(manager).delete(f"{API}/baselines/{baseline.pk}/")

    assert (refused.status_code, removed.status_code) == (403, 204)
    assert not BaselineTask.objects.exists() and Task.objects.count() == 3
