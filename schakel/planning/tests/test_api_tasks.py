"""The tasks API: create with computed dates, versioned changes, the owner's progress, the
outline actions, and who may do what."""

from __future__ import annotations

import datetime

import pytest

from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def project(org):
    ProjectPlan.objects.create(project=org.project, start=MONDAY)
    return org.project


def _task(project, by, name, duration=1, **fields):
    return services.task_create(project=project, by=by, name=name, duration=duration, **fields)


def _patch(user, task, **body):
    return api_client(user).patch(f"{API}/tasks/{task.pk}/", body, format="json")


def test_a_manager_adds_a_task_and_gets_the_dates_the_schedule_computed(project, manager):
    design = _task(project, manager, "Design", 3)

    response = api_client(manager).post(
        f"{API}/tasks/",
        {"project": project.pk, "name": "Build", "duration": 2, "after": design.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["wbs"], body["level"], body["start"], body["finish"]) == (
        "2", 1, "2026-03-02", "2026-03-03"
    )  # fmt: skip
    assert body["version"] == 1 and body["critical"] is False and "after" not in body


def test_a_milestone_under_a_summary(project, manager):
    phase = _task(project, manager, "Phase", 2)

    response = api_client(manager).post(
        f"{API}/tasks/",
        {"project": project.pk, "name": "Done", "milestone": True, "parent": phase.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["wbs"], response.json()["duration"]) == ("1.1", 0)
    assert Task.objects.get(pk=phase.pk).summary


@pytest.mark.parametrize("field", ["start", "finish", "critical", "wbs", "total_float"])
def test_the_fields_the_engine_owns_are_refused(project, manager, field):
    task = _task(project, manager, "Design", 3)
    value = {"critical": True, "total_float": 3, "wbs": "9"}.get(field, "2027-01-01")

    created = api_client(manager).post(
        f"{API}/tasks/", {"project": project.pk, "name": "X", field: value}, format="json"
    )
    changed = _patch(manager, task, version=1, **{field: value})

    assert (created.status_code, changed.status_code) == (400, 400)
    assert field in created.json() and field in changed.json()
    assert Task.objects.filter(project=project).count() == 1


def test_a_parent_of_another_project_is_refused(project, manager, org):
    ProjectPlan.objects.create(project=org.sibling, start=MONDAY)
    elsewhere = _task(org.sibling, manager, "Elsewhere")

    response = api_client(manager).post(
        f"{API}/tasks/", {"project": project.pk, "name": "X", "parent": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400 and "parent" in response.json()


@pytest.mark.parametrize(("who", "code"), [("viewer", 403), ("member", 403), ("outsider", 400)])
def test_only_the_plans_editors_add_tasks(project, request, who, code):
    user = request.getfixturevalue(who)

    response = api_client(user).post(
        f"{API}/tasks/", {"project": project.pk, "name": "X"}, format="json"
    )

    assert response.status_code == code
    assert not Task.objects.exists()


def test_a_change_moves_the_dates_and_a_stale_version_answers_409_with_the_task(project, manager):
    task = _task(project, manager, "Design", 3)

    changed = _patch(manager, task, version=1, duration=5)
    stale = _patch(manager, task, version=1, duration=1)

    assert changed.status_code == 200
    assert (changed.json()["finish"], changed.json()["version"]) == ("2026-03-06", 2)
    assert stale.status_code == 409
    assert stale.json()["current"]["duration"] == 5 and stale.json()["current"]["version"] == 2


def test_a_change_needs_its_version(project, manager):
    task = _task(project, manager, "Design", 3)

    response = _patch(manager, task, duration=5)

    assert response.status_code == 400 and "version" in response.json()


def test_the_owner_reports_progress_and_nothing_else(project, manager, member):
    task = _task(project, manager, "Design", 3, owner=member)

    progress = _patch(member, task, version=1, percent_complete=50, actual_start="2026-03-02")
    rename = _patch(member, task, version=2, name="Mine now")
    mixed = _patch(member, task, version=2, percent_complete=60, duration=9)

    assert progress.status_code == 200, progress.json()
    assert progress.json()["percent_complete"] == 50
    assert (rename.status_code, mixed.status_code) == (403, 403)
    assert Task.objects.get(pk=task.pk).name == "Design"


@pytest.mark.parametrize(("who", "code"), [("member", 403), ("viewer", 403), ("outsider", 404)])
def test_others_may_not_report_progress(project, manager, request, who, code):
    task = _task(project, manager, "Design", 3)

    response = _patch(request.getfixturevalue(who), task, version=1, percent_complete=50)

    assert response.status_code == code
    assert Task.objects.get(pk=task.pk).percent_complete == 0


def test_an_owner_must_see_the_project(project, manager, outsider, member):
    task = _task(project, manager, "Design", 3)

    refused = _patch(manager, task, version=1, owner=outsider.pk)
    given = _patch(manager, task, version=1, owner=member.pk)

    assert refused.status_code == 400 and "owner" in refused.json()
    assert given.status_code == 200 and given.json()["owner"]["id"] == member.pk


def test_a_removal_takes_the_version_in_the_query_or_the_body(project, manager, member):
    a, b, c = (_task(project, manager, name) for name in "ABC")
    client = api_client(manager)

    assert client.delete(f"{API}/tasks/{a.pk}/").status_code == 400
    assert client.delete(f"{API}/tasks/{a.pk}/?version=7").status_code == 409
    assert api_client(member).delete(f"{API}/tasks/{a.pk}/?version=1").status_code == 403
    assert client.delete(f"{API}/tasks/{a.pk}/?version=1").status_code == 204
    assert client.delete(f"{API}/tasks/{b.pk}/", {"version": 1}, format="json").status_code == 204
    assert [t.wbs for t in Task.objects.all()] == ["1"]
    assert Task.objects.get().pk == c.pk


def test_indent_outdent_and_move_change_the_outline(project, manager):
    a, b, c = (_task(project, manager, name) for name in "ABC")
    client = api_client(manager)

    indented = client.post(f"{API}/tasks/{b.pk}/indent/", {"version": 1}, format="json")
    stale = client.post(f"{API}/tasks/{b.pk}/outdent/", {"version": 1}, format="json")
    moved = client.post(f"{API}/tasks/{c.pk}/move/", {"version": 1, "before": a.pk}, format="json")
    outdented = client.post(f"{API}/tasks/{b.pk}/outdent/", {"version": 2}, format="json")

    assert indented.status_code == 200 and indented.json()["parent"] == a.pk
    assert indented.json()["wbs"] == "1.1"
    assert stale.status_code == 409
    assert moved.status_code == 200 and moved.json()["wbs"] == "1"
    assert outdented.status_code == 200 and outdented.json()["parent"] is None
    assert [t.name for t in services.outline(project)] == ["C", "A", "B"]


def test_the_first_task_cannot_be_indented_and_the_member_may_not_try(project, manager, member):
    a = _task(project, manager, "A")

    refused = api_client(manager).post(f"{API}/tasks/{a.pk}/indent/", {"version": 1})
    forbidden = api_client(member).post(f"{API}/tasks/{a.pk}/indent/", {"version": 1})
    itself = api_client(manager).post(
        f"{API}/tasks/{a.pk}/move/", {"version": 1, "before": a.pk}, format="json"
    )

    assert (refused.status_code, forbidden.status_code, itself.status_code) == (400, 403, 400)


def test_the_list_shows_visible_tasks_in_outline_order_and_filters(project, manager, member, org):
    a = _task(project, manager, "A", 3)
    b = _task(project, manager, "B", 1)
    done = _task(project, manager, "Done", milestone=True)
    services.link_create(predecessor=a, successor=done, by=manager)
    ProjectPlan.objects.create(project=org.other_project, start=MONDAY)
    hidden = _task(org.other_project, manager, "Hidden")
    client = api_client(member)

    listed = client.get(f"{API}/tasks/?project={project.pk}").json()["results"]
    critical = client.get(f"{API}/tasks/?project={project.pk}&critical=true")
    milestones = client.get(f"{API}/tasks/?milestone=true")

    assert [row["id"] for row in listed] == [a.pk, b.pk, done.pk]
    assert ids(critical) == {a.pk, done.pk}
    assert ids(milestones) == {done.pk}
    assert hidden.pk not in ids(client.get(f"{API}/tasks/"))
    assert client.get(f"{API}/tasks/{hidden.pk}/").status_code == 404


def test_put_is_not_offered(project, manager):
    task = _task(project, manager, "A")

    response = api_client(manager).put(f"{API}/tasks/{task.pk}/", {"version": 1}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize("size", [5, 50])
def test_the_lists_answer_in_a_fixed_number_of_queries(
    project, manager, member, django_assert_max_num_queries, size
):
    previous = None
    for n in range(size):
        task = _task(project, manager, f"T{n}", owner=member)
        if previous is not None:
            services.link_create(predecessor=previous, successor=task, by=manager)
        previous = task
    client = api_client(member)

    # Session, user, roles, count and page: owners come with the tasks.
    with django_assert_max_num_queries(5):
        tasks = client.get(f"{API}/tasks/?project={project.pk}")
    with django_assert_max_num_queries(5):
        links = client.get(f"{API}/task-links/?project={project.pk}")
    assert tasks.json()["count"] == size and links.json()["count"] == size - 1
