"""Dependencies on the pages: "In the plan" on the item, connecting it, and the task page's
link form that reaches the tasks of other projects one project at a time."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.planning import services
from schakel.planning.models import Task, TaskLink
from schakel.planning.tests.dependency_plans import MONDAY
from schakel.planning.tests.dependency_plans import task as _task
from schakel.registers import services as register_services
from schakel.registers.models import Dependency


def _item(project, other, **fields):
    values = {"title": "Needs their design", "other_project": other, **fields}
    return register_services.item_create(model=Dependency, scope=project, by=None, **values)


def _page(client, item):
    return client.get(item.get_absolute_url()).content.decode()


# "In the plan" ------------------------------------------------------------------------------


def test_the_item_shows_its_tasks_and_that_the_plan_is_on_time(plans, manager, client_as):
    design = _task(plans.project, "Design the organisation", 3)
    build = _task(plans.sibling, "Write the policy", 2)
    services.link_create(predecessor=design, successor=build, by=manager)
    item = Dependency.objects.get()

    page = _page(client_as(manager), item)

    assert "In the plan" in page and "on time" in page and "late by" not in page
    assert "Design the organisation" in page and "Write the policy" in page
    plan_url = reverse("planning:project_plan", args=[plans.project.pk])
    assert f'href="{plan_url}#task-{design.pk}"' in page


def test_the_item_says_how_late_the_plan_forecasts_the_delivery(plans, manager, client_as):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)
    build = Task.objects.get(pk=build.pk)
    services.task_update(task=build, version=build.version, by=manager, actual_start=MONDAY)

    page = _page(client_as(manager), Dependency.objects.get())

    assert "late by 3 working days" in page and "on time" not in page


def test_a_task_in_a_plan_the_reader_cannot_see_is_not_linked(plans, manager, viewer, client_as):
    # The item is in POL; the viewer sees it from ODI's side, but not POL's plan.
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)

    page = _page(client_as(viewer), Dependency.objects.get())

    assert "a task in a plan you cannot see" in page
    assert reverse("planning:project_plan", args=[plans.sibling.pk]) not in page
    assert reverse("planning:project_plan", args=[plans.project.pk]) in page


def test_the_item_page_reads_the_plan_in_a_fixed_number_of_queries(plans, manager, client_as):
    counts = []
    for size in (2, 12):
        Task.objects.all().delete()
        Dependency.all_objects.all().delete()
        design = _task(plans.project, "Design", 3)
        for n in range(size):
            _task(plans.project, f"Other {n}")
            _task(plans.sibling, f"Later {n}")
        build = _task(plans.sibling, "Build", 2)
        services.link_create(predecessor=design, successor=build, by=manager)
        item = Dependency.objects.get()
        client = client_as(manager)
        client.get(item.get_absolute_url())  # warm the content-type cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(item.get_absolute_url())
        assert response.status_code == 200 and "on time" in response.content.decode()
        counts.append(len(queries))

    assert counts[0] == counts[1]


# Connecting an existing item --------------------------------------------------------------


def test_an_item_is_connected_to_the_plan_from_its_page(plans, manager, client_as):
    item = _item(plans.project, plans.sibling)  # ODI depends on POL
    ours = _task(plans.project, "Start the new organisation", 2)
    theirs = _task(plans.sibling, "Policy approved", 3)
    client = client_as(manager)
    assert "Connect to the plan" in _page(client, item)

    response = client.post(
        reverse("planning:dependency_connect", args=[item.pk]),
        {"ours": ours.pk, "theirs": theirs.pk, "type": "FS", "lag": "0"},
        follow=True,
    )

    link = TaskLink.objects.get()
    assert (link.predecessor, link.successor, link.dependency) == (theirs, ours, item)
    assert Dependency.objects.count() == 1
    assert "is in the plan now" in response.content.decode()
    assert Dependency.objects.get().need_by == Task.objects.get(pk=ours.pk).start


def test_an_outbound_item_makes_their_task_wait_for_ours(plans, manager, client_as):
    item = _item(plans.project, plans.sibling, direction=Dependency.Direction.OUTBOUND)
    ours, theirs = _task(plans.project, "Deliver"), _task(plans.sibling, "Use")

    client_as(manager).post(
        reverse("planning:dependency_connect", args=[item.pk]),
        {"ours": ours.pk, "theirs": theirs.pk, "type": "FS", "lag": "0"},
    )

    link = TaskLink.objects.get()
    assert (link.predecessor, link.successor) == (ours, theirs)


def test_who_may_not_shape_the_waiting_plan_is_told_so(plans, client_as):
    # ODI's own project manager, who only reads POL: they shape ODI's plan, not POL's.
    person = UserFactory(username="odi-pm")
    Membership.objects.create(user=person, project=plans.project, role=Role.MANAGER)
    Membership.objects.create(user=person, project=plans.sibling, role=Role.VIEWER)
    item = _item(plans.project, plans.sibling, direction=Dependency.Direction.OUTBOUND)
    ours, theirs = _task(plans.project, "Deliver"), _task(plans.sibling, "Use")
    client = client_as(person)

    page = _page(client, item)
    response = client.post(
        reverse("planning:dependency_connect", args=[item.pk]),
        {"ours": ours.pk, "theirs": theirs.pk, "type": "FS", "lag": "0"},
        follow=True,
    )

    assert "Connect to the plan" not in page and "can connect it" in page
    assert "You may not change the plan of Policy." in response.content.decode()
    assert not TaskLink.objects.exists()


def test_a_task_outside_the_items_projects_is_refused_with_a_field_message(
    plans, manager, client_as
):
    item = _item(plans.project, plans.sibling)
    ours = _task(plans.project, "Start")
    stray = _task(plans.project, "Not theirs")

    response = client_as(manager).post(
        reverse("planning:dependency_connect", args=[item.pk]),
        {"ours": ours.pk, "theirs": stray.pk, "type": "FS", "lag": "x"},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200 and "Their task:" in page and "Lag" in page
    assert not TaskLink.objects.exists()


def test_a_viewer_may_not_connect_and_an_outsider_finds_nothing(plans, viewer, outsider, client_as):
    item = _item(plans.project, plans.sibling)
    url = reverse("planning:dependency_connect", args=[item.pk])

    assert client_as(viewer).post(url, {}).status_code == 403
    assert client_as(outsider).post(url, {}).status_code == 404
    assert "Connect to the plan" not in _page(client_as(viewer), item)


# The task page's link form ------------------------------------------------------------------


def test_the_link_form_offers_this_projects_tasks_and_loads_another_projects(
    plans, manager, client_as
):
    build = _task(plans.project, "Build")
    _task(plans.project, "Design")
    _task(plans.sibling, "Policy text")
    client = client_as(manager)
    options_url = reverse("planning:link_options", args=[build.pk])

    page = client.get(reverse("planning:task_edit", args=[build.pk])).content.decode()
    other = client.get(options_url, {"project": plans.sibling.pk}).content.decode()
    without_js = client.get(
        reverse("planning:task_edit", args=[build.pk]), {"project": plans.sibling.pk}
    ).content.decode()

    assert f'hx-get="{options_url}"' in page
    assert "Design" in page and "Policy text" not in page
    assert "Policy text" in other and "Design" not in other and "Build" not in other
    assert "Policy text" in without_js


def test_the_options_of_a_project_the_user_cannot_see_answer_404(plans, manager, viewer, client_as):
    build = _task(plans.project, "Build")
    url = reverse("planning:link_options", args=[build.pk])

    assert client_as(manager).get(url, {"project": plans.other_project.pk}).status_code == 404
    assert client_as(manager).get(url, {"project": "9" * 30}).status_code == 404
    assert client_as(viewer).get(url, {"project": plans.project.pk}).status_code == 403


def test_a_link_to_another_projects_task_is_recorded_as_a_dependency(plans, manager, client_as):
    build = _task(plans.project, "Build")
    policy = _task(plans.sibling, "Policy text", 3)

    response = client_as(manager).post(
        reverse("planning:link_create", args=[build.pk]),
        {"project": plans.sibling.pk, "predecessor": policy.pk, "type": "FS", "lag": "0"},
        follow=True,
    )

    item = Dependency.objects.get()
    assert item.project == plans.project and item.other_project == plans.sibling
    assert TaskLink.objects.get().dependency == item
    assert item.ref in response.content.decode()


def test_a_link_to_a_task_the_user_cannot_see_is_refused(plans, manager, pmo, client_as):
    build = _task(plans.project, "Build")
    hidden = _task(plans.other_project, "Care task")

    client_as(manager).post(
        reverse("planning:link_create", args=[build.pk]),
        {"predecessor": hidden.pk, "type": "FS", "lag": "0"},
    )

    assert not TaskLink.objects.exists() and not Dependency.objects.exists()
