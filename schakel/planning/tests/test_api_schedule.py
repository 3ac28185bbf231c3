"""The schedule API (the Gantt's data) and calendars: content, days off, query budget."""

from __future__ import annotations

import datetime

import pytest

from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
GANTT_KEYS = {
    "id", "parent", "level", "wbs", "name", "summary", "milestone", "start", "finish",
    "duration", "percent", "critical", "total_float", "baseline_start", "baseline_finish",
    "owner", "version", "editable",
}  # fmt: skip


def _plan(project, by, size):
    ProjectPlan.objects.get_or_create(project=project, defaults={"start": MONDAY})
    phase = services.task_create(project=project, by=by, name="Phase", duration=1)
    previous = None
    for n in range(size - 1):
        task = services.task_create(project=project, by=by, name=f"T{n}", duration=2, parent=phase)
        if previous is not None:
            services.link_create(predecessor=previous, successor=task, by=by)
        previous = task
    return phase


def test_a_ten_task_plan_answers_in_outline_order_with_the_gantt_fields(org, manager, member):
    _plan(org.project, manager, 10)
    mine = Task.objects.get(name="T3")
    services.task_update(task=mine, version=mine.version, by=manager, owner=member)

    body = api_client(member).get(f"{API}/schedules/{org.project.pk}/").json()

    assert [t["wbs"] for t in body["tasks"]] == ["1"] + [f"1.{n}" for n in range(1, 10)]
    assert all(set(t) == GANTT_KEYS for t in body["tasks"])
    assert body["tasks"][0]["summary"] and body["tasks"][0]["finish"] == "2026-03-25"
    assert body["start"] == "2026-03-02" and body["finish"] == "2026-03-25"
    assert len(body["links"]) == 8 and all(link["critical"] for link in body["links"])
    assert body["editable"] is False
    assert [t["name"] for t in body["tasks"] if t["editable"]] == ["T3"]
    assert body["tasks"][4]["owner"] == member.display_name
    assert body["calendar"]["weekdays"] == [0, 1, 2, 3, 4]


def test_days_off_are_the_holidays_and_exceptions_within_the_plan(org, manager):
    _plan(org.project, manager, 6)
    plan = ProjectPlan.objects.get(project=org.project)
    services.exception_set(plan=plan, day=datetime.date(2026, 3, 4), working=False, by=manager)
    services.exception_set(plan=plan, day=datetime.date(2026, 3, 7), working=True, by=manager)
    services.exception_set(plan=plan, day=datetime.date(2027, 1, 1), working=False, by=manager)

    calendar = api_client(manager).get(f"{API}/schedules/{org.project.pk}/").json()["calendar"]

    assert calendar["days_off"] == ["2026-03-04"]
    assert calendar["working_days"] == ["2026-03-07"]


def test_a_baseline_of_another_project_is_refused(org, manager):
    _plan(org.project, manager, 2)
    _plan(org.sibling, manager, 2)
    other = services.baseline_create(project=org.sibling, name="B", by=manager)

    response = api_client(manager).get(f"{API}/schedules/{org.project.pk}/?baseline={other.pk}")

    assert response.status_code == 400 and "baseline" in response.json()


def test_a_calendar_get_writes_nothing_and_a_change_makes_the_plan(org, manager):
    client = api_client(manager)

    shown = client.get(f"{API}/calendars/{org.sibling.pk}/")
    assert shown.status_code == 200 and shown.json()["version"] == 1
    assert not ProjectPlan.objects.filter(project=org.sibling).exists()

    changed = client.patch(
        f"{API}/calendars/{org.sibling.pk}/",
        {"version": 1, "start": "2026-03-02", "weekdays": [0, 1, 2, 3]},
        format="json",
    )
    stale = client.patch(f"{API}/calendars/{org.sibling.pk}/", {"version": 1}, format="json")
    day = client.post(f"{API}/calendars/{org.sibling.pk}/exceptions/", {"day": "2026-03-10"})

    assert changed.status_code == 200 and changed.json()["weekdays"] == [0, 1, 2, 3]
    assert stale.status_code == 409
    assert day.status_code == 201 and day.json()["exceptions"][0]["day"] == "2026-03-10"
    gone = client.delete(f"{API}/calendars/{org.sibling.pk}/exceptions/2026-03-10/")
    assert gone.status_code == 204


@pytest.mark.parametrize("size", [5, 50])
def test_the_schedule_answers_in_a_fixed_number_of_queries(
    org, manager, django_assert_num_queries, size
):
    _plan(org.project, manager, size)
    baseline = services.baseline_create(project=org.project, name="B", by=manager)
    client = api_client(manager)

    # Session, user, roles, the project, the baseline asked for, the plan, its exceptions,
    # tasks, baseline rows, links, baselines: the same whatever the size.
    with django_assert_num_queries(11):
        response = client.get(f"{API}/schedules/{org.project.pk}/?baseline={baseline.pk}")
    assert response.status_code == 200 and len(response.json()["tasks"]) == size
