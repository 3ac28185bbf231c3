"""The task-links API: links move dates, loops are refused, hidden tasks stay hidden."""

from __future__ import annotations

import datetime

import pytest

from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task, TaskLink
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def plan(org, manager):
    for project in (org.project, org.sibling, org.other_project):
        ProjectPlan.objects.create(project=project, start=MONDAY)
    design = services.task_create(project=org.project, by=manager, name="Design", duration=3)
    build = services.task_create(project=org.project, by=manager, name="Build", duration=2)
    return design, build


def _start(task):
    return Task.objects.get(pk=task.pk).start


def test_a_link_moves_the_successor_and_can_be_changed_and_removed(plan, manager):
    design, build = plan
    client = api_client(manager)

    made = client.post(
        f"{API}/task-links/", {"predecessor": design.pk, "successor": build.pk}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["type"] == "FS" and made.json()["lag"] == 0
    assert _start(build) == datetime.date(2026, 3, 5)

    url = f"{API}/task-links/{made.json()['id']}/"
    changed = client.patch(url, {"type": "SS", "lag": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["type"] == "SS"
    assert _start(build) == datetime.date(2026, 3, 3)

    assert client.delete(url).status_code == 204
    assert _start(build) == MONDAY and not TaskLink.objects.exists()


def test_a_loop_is_refused_naming_its_tasks(plan, manager):
    design, build = plan
    services.link_create(predecessor=design, successor=build, by=manager)

    response = api_client(manager).post(
        f"{API}/task-links/", {"predecessor": build.pk, "successor": design.pk}, format="json"
    )

    assert response.status_code == 400
    message = " ".join(response.json()["non_field_errors"])
    assert "Design" in message and "Build" in message
    assert TaskLink.objects.count() == 1


def test_a_hidden_predecessor_reads_as_missing(plan, manager, org, pmo):
    _design, build = plan
    hidden = services.task_create(project=org.other_project, by=pmo, name="Care task")

    response = api_client(manager).post(
        f"{API}/task-links/", {"predecessor": hidden.pk, "successor": build.pk}, format="json"
    )
    missing = api_client(manager).post(
        f"{API}/task-links/", {"predecessor": 999999, "successor": build.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["predecessor"] == [
        missing.json()["predecessor"][0].replace("999999", str(hidden.pk))
    ]


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_only_the_successors_editors_link(plan, request, who):
    design, build = plan

    response = api_client(request.getfixturevalue(who)).post(
        f"{API}/task-links/", {"predecessor": design.pk, "successor": build.pk}, format="json"
    )

    assert response.status_code == 403 and not TaskLink.objects.exists()


def test_the_tasks_of_a_link_stay_and_others_may_not_change_it(plan, manager, member, outsider):
    design, build = plan
    link = services.link_create(predecessor=design, successor=build, by=manager)
    url = f"{API}/task-links/{link.pk}/"

    moved = api_client(manager).patch(url, {"successor": design.pk}, format="json")
    by_member = api_client(member).patch(url, {"lag": 2}, format="json")
    by_outsider = api_client(outsider).delete(url)

    assert moved.status_code == 400 and "successor" in moved.json()
    assert (by_member.status_code, by_outsider.status_code) == (403, 404)
    assert TaskLink.objects.get().lag == 0


def test_a_cross_project_link_shows_only_to_who_sees_both_ends(plan, pmo, member, org):
    design, _build = plan
    care = services.task_create(project=org.other_project, by=pmo, name="Care task")
    policy = services.task_create(project=org.sibling, by=pmo, name="Policy task")
    across = services.link_create(predecessor=design, successor=care, by=pmo)
    within = services.link_create(predecessor=design, successor=policy, by=pmo)

    assert ids(api_client(pmo).get(f"{API}/task-links/")) == {across.pk, within.pk}
    assert ids(api_client(pmo).get(f"{API}/task-links/?project={org.sibling.pk}")) == {within.pk}
    assert ids(api_client(member).get(f"{API}/task-links/")) == set()
    assert api_client(member).get(f"{API}/task-links/{across.pk}/").status_code == 404
