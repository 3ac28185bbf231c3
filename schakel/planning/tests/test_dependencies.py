"""A link between two projects is a dependency of the registers: one rule, one record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schakel.accounts.tests.factories import UserFactory
from schakel.planning import dependencies, services
from schakel.planning.models import Task, TaskLink
from schakel.planning.tests.dependency_plans import MONDAY
from schakel.planning.tests.dependency_plans import task as _task
from schakel.portfolio.models import Project, Tag
from schakel.registers import services as register_services
from schakel.registers.models import Dependency


def d(day: int) -> datetime.date:
    return datetime.date(2026, 3, day)


def _item(project, other, by=None, **fields):
    values = {"title": "Needs their design", "other_project": other, **fields}
    return register_services.item_create(model=Dependency, scope=project, by=by, **values)


# Who may link ------------------------------------------------------------------------------


def test_a_predecessor_the_user_cannot_see_is_refused(plans, manager):
    hidden = _task(plans.other_project, "Care design")  # another programme: manager sees none
    ours = _task(plans.project, "Build")

    with pytest.raises(ValidationError) as refused:
        services.link_create(predecessor=hidden, successor=ours, by=manager)

    assert "predecessor" in refused.value.message_dict
    assert not TaskLink.objects.exists() and not Dependency.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_who_does_not_shape_the_successors_plan_may_not_link(plans, request, who):
    design, build = _task(plans.project, "Design"), _task(plans.project, "Build")

    with pytest.raises(ValidationError) as refused:
        services.link_create(predecessor=design, successor=build, by=request.getfixturevalue(who))

    assert "successor" in refused.value.message_dict
    assert not TaskLink.objects.exists()


def test_the_system_links_without_a_user(plans):
    theirs = _task(plans.other_project, "Care design", 3)
    ours = _task(plans.project, "Build")

    link = services.link_create(predecessor=theirs, successor=ours, by=None)

    assert link.created_by is None and link.dependency is not None
    assert link.dependency.created_by is None


# The record --------------------------------------------------------------------------------


def test_a_link_between_two_projects_records_one_dependency_on_the_waiting_project(plans, manager):
    boss = UserFactory(username="pol-boss")
    plans.sibling.manager = boss
    plans.sibling.save()
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)

    link = services.link_create(predecessor=design, successor=build, by=manager, lag=1)

    item = Dependency.objects.get()
    assert link.dependency == item and TaskLink.objects.get().dependency_id == item.pk
    assert item.project == plans.sibling and item.other_project == plans.project
    assert item.direction == Dependency.Direction.INBOUND
    assert item.ref == "POL-P1" and item.title == "Design from ODI"
    assert (item.milestone, item.other_milestone) == ("Build", "Design")
    assert item.need_by == Task.objects.get(pk=build.pk).start == d(6)  # Wed + 1 day lag
    assert item.owner == boss and item.created_by == manager
    assert item.history.count() == 1


def test_a_finish_to_finish_link_needs_the_delivery_by_the_successors_finish(plans, manager):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)

    services.link_create(predecessor=design, successor=build, by=manager, type="FF")

    build = Task.objects.get(pk=build.pk)
    assert build.start != build.finish
    assert Dependency.objects.get().need_by == build.finish == d(4)


def test_a_link_within_a_project_records_nothing(plans, manager):
    design, build = _task(plans.project, "Design"), _task(plans.project, "Build")

    link = services.link_create(predecessor=design, successor=build, by=manager)

    assert link.dependency is None and not Dependency.objects.exists()


def test_a_link_whose_item_is_refused_is_not_made_either(plans, manager):
    design = _task(plans.project, "Design")
    build = _task(plans.sibling, "Build")
    Project.all_objects.filter(pk=plans.sibling.pk).update(archived_at=timezone.now())

    with pytest.raises(ValidationError, match="archived"):
        services.link_create(predecessor=design, successor=build, by=manager)

    assert not TaskLink.objects.exists() and not Dependency.objects.exists()


def test_an_existing_dependency_is_connected_instead_of_a_new_one(plans, manager):
    item = _item(plans.sibling, plans.project, need_by=d(30))
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)

    link = services.link_create(predecessor=design, successor=build, by=manager, dependency=item)

    item.refresh_from_db()
    assert Dependency.objects.count() == 1 and link.dependency == item
    assert item.need_by == d(5)  # from now on the plan says when it is needed
    assert item.title == "Needs their design"


def test_a_dependency_is_connected_only_once_and_in_its_direction(plans, manager):
    inbound = _item(plans.sibling, plans.project)
    outbound = _item(plans.sibling, plans.project, direction=Dependency.Direction.OUTBOUND)
    design, other = _task(plans.project, "Design"), _task(plans.project, "Other")
    build = _task(plans.sibling, "Build")
    services.link_create(predecessor=design, successor=build, by=manager, dependency=inbound)

    with pytest.raises(ValidationError, match="in the plan already"):
        services.link_create(predecessor=other, successor=build, by=manager, dependency=inbound)
    with pytest.raises(ValidationError, match="direction"):
        # Outbound: their task (POL) waits for ours (ODI), not the other way round.
        services.link_create(predecessor=other, successor=build, by=manager, dependency=outbound)

    assert TaskLink.objects.count() == 1 and Dependency.objects.count() == 2


def test_removing_the_link_keeps_the_item(plans, manager):
    design = _task(plans.project, "Design")
    build = _task(plans.sibling, "Build")
    link = services.link_create(predecessor=design, successor=build, by=manager)

    services.link_delete(link=link, by=manager)

    item = Dependency.objects.get()
    assert not TaskLink.objects.exists()
    assert not hasattr(item, "task_link")
    assert item.deleted_at is None


# Following the plan ------------------------------------------------------------------------


def test_the_need_by_date_follows_a_reschedule_with_one_history_record(plans, manager):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)
    item = Dependency.objects.get()
    item.tags.add(Tag.objects.create(name="supplier"))
    before = (item.history.count(), Dependency.objects.get().version)
    assert item.need_by == d(5)

    design = Task.objects.get(pk=design.pk)
    services.task_update(task=design, version=design.version, by=manager, duration=5)

    item = Dependency.objects.get()
    assert item.need_by == d(9)
    assert (item.history.count(), item.version) == (before[0] + 1, before[1] + 1)
    latest = item.history.first()
    assert latest.need_by == d(9) and latest.history_change_reason == "plan"
    assert [t.tag.name for t in latest.tags.all()] == ["supplier"]


def test_a_reschedule_that_moves_nothing_writes_nothing(plans, manager):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)
    item = Dependency.objects.get()
    before = (item.history.count(), item.version, item.updated_at)

    build = Task.objects.get(pk=build.pk)
    services.task_update(task=build, version=build.version, by=manager, notes="Ask early")
    services.reschedule(plans.sibling)
    services.reschedule(plans.project)

    item = Dependency.objects.get()
    assert (item.history.count(), item.version, item.updated_at) == before


@pytest.mark.parametrize("moved", [False, True])
def test_a_reschedule_reads_and_writes_the_items_in_a_fixed_number_of_queries(
    plans, manager, moved
):
    counts = []
    for size in (1, 5):
        Task.objects.all().delete()
        delivery = _task(plans.project, "Delivery", 2)
        for n in range(size):
            services.link_create(
                predecessor=delivery, successor=_task(plans.sibling, f"Use {n}"), by=manager
            )
        delivery = Task.objects.get(pk=delivery.pk)
        if moved:
            Task.objects.filter(pk=delivery.pk).update(duration=delivery.duration + size)
        with CaptureQueriesContext(connection) as queries:
            services.reschedule(plans.project)
        counts.append(len(queries))
        assert Dependency.objects.filter(task_link__isnull=False).count() == size
        expected = {Task.objects.get(name=f"Use {n}").start for n in range(size)}
        linked = Dependency.objects.filter(task_link__isnull=False)
        assert {i.need_by for i in linked} == expected

    assert counts[0] == counts[1]


# What the item's page reads ----------------------------------------------------------------


def test_the_plan_forecasts_on_time_when_the_link_holds(plans, manager, pmo):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)

    view = dependencies.plan_view(pmo, Dependency.objects.get())

    assert view is not None and view.late_by == 0 and view.on_time
    assert (view.theirs.name, view.ours.name) == ("Design", "Build")


def test_the_plan_forecasts_late_when_the_successor_started_before_the_delivery(
    plans, manager, pmo
):
    design = _task(plans.project, "Design", 3)  # Mon–Wed
    build = _task(plans.sibling, "Build", 2)
    services.link_create(predecessor=design, successor=build, by=manager)
    build = Task.objects.get(pk=build.pk)
    services.task_update(
        task=build, version=build.version, by=manager, actual_start=MONDAY, percent_complete=10
    )

    view = dependencies.plan_view(pmo, Dependency.objects.get())

    assert Task.objects.get(pk=build.pk).start == MONDAY
    assert view is not None and view.late_by == 3 and not view.on_time  # Thursday's need


@pytest.mark.parametrize(("kind", "lag"), [("FS", 0), ("SS", 2), ("FF", 1), ("SF", 0), ("FS", -1)])
def test_every_kind_of_link_reads_on_time_when_scheduled(plans, manager, pmo, kind, lag):
    design = _task(plans.project, "Design", 3)
    gate = _task(plans.project, "Gate", milestone=True)
    services.link_create(predecessor=design, successor=gate, by=manager)
    for predecessor in (design, gate):
        build = _task(plans.sibling, f"Build after {predecessor.name}", 2)
        services.link_create(
            predecessor=predecessor, successor=build, by=manager, type=kind, lag=lag
        )

    for item in Dependency.objects.all():
        view = dependencies.plan_view(pmo, item)
        assert view is not None
        assert view.on_time, (item.title, view.late_by)
