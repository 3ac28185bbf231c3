"""Planning services: tasks, outline, links, rescheduling, baselines, calendars."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from schakel.lib.services import StaleVersionError
from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task, TaskLink

MONDAY = datetime.date(2026, 3, 2)


def d(day: int, month: int = 3) -> datetime.date:
    return datetime.date(2026, month, day)


@pytest.fixture
def project(org):
    ProjectPlan.objects.create(project=org.project, start=MONDAY)
    return org.project


def _task(project, by, name, duration=1, **fields):
    return services.task_create(project=project, by=by, name=name, duration=duration, **fields)


def _fresh(*tasks):
    return [Task.objects.get(pk=t.pk) for t in tasks]


def test_linked_tasks_get_dates_floats_and_the_critical_path(project, manager):
    a = _task(project, manager, "Design", 3)
    b = _task(project, manager, "Build", 2)
    side = _task(project, manager, "Side job", 1)
    done = _task(project, manager, "Done", milestone=True)
    services.link_create(predecessor=a, successor=b, by=manager)
    services.link_create(predecessor=b, successor=done, by=manager)
    services.link_create(predecessor=side, successor=done, by=manager)

    a, b, side, done = _fresh(a, b, side, done)

    assert (a.start, a.finish) == (d(2), d(4))  # Mon–Wed
    assert (b.start, b.finish) == (d(5), d(6))  # Thu–Fri
    assert done.start == done.finish == d(6)
    assert a.critical and b.critical and done.critical
    assert not side.critical and side.total_float == 4
    assert ProjectPlan.objects.get(project=project).finish == d(6)
    assert [t.wbs for t in services.outline(project)] == ["1", "2", "3", "4"]


def test_a_longer_task_moves_its_successors_at_once_and_stale_edits_are_refused(project, manager):
    a = _task(project, manager, "Design", 3)
    b = _task(project, manager, "Build", 2)
    services.link_create(predecessor=a, successor=b, by=manager)
    a = Task.objects.get(pk=a.pk)

    services.task_update(task=a, version=a.version, by=manager, duration=5)

    (b,) = _fresh(b)
    assert b.start == d(9)  # the Monday after a five-day task
    with pytest.raises(StaleVersionError):
        services.task_update(task=a, version=a.version, by=manager, duration=1)


def test_a_loop_is_refused_with_its_tasks_named_and_nothing_changes(project, manager):
    a = _task(project, manager, "Design", 3)
    b = _task(project, manager, "Build", 2)
    services.link_create(predecessor=a, successor=b, by=manager)

    with pytest.raises(ValidationError) as refused:
        services.link_create(predecessor=b, successor=a, by=manager)

    assert "Design" in str(refused.value) and "Build" in str(refused.value)
    assert b.predecessor_links.count() == 1 and a.predecessor_links.count() == 0


def test_indent_makes_a_summary_that_spans_its_children_and_outdent_undoes_it(project, manager):
    phase = _task(project, manager, "Phase", 1)
    a = _task(project, manager, "Design", 3)
    b = _task(project, manager, "Build", 2)
    services.link_create(predecessor=a, successor=b, by=manager)
    a = services.task_indent(task=Task.objects.get(pk=a.pk), version=None, by=manager)
    b = services.task_indent(task=Task.objects.get(pk=b.pk), version=None, by=manager)

    phase, a, b = _fresh(phase, a, b)
    assert phase.summary and (phase.start, phase.finish) == (d(2), d(6))
    assert phase.duration == 5  # a summary's duration is its span in working days
    assert [t.wbs for t in services.outline(project)] == ["1", "1.1", "1.2"]

    # Outdenting Design would put Build under it while Build waits for Design: refused.
    with pytest.raises(ValidationError):
        services.task_outdent(task=a, version=a.version, by=manager)
    assert [t.wbs for t in services.outline(project)] == ["1", "1.1", "1.2"]
    services.link_delete(link=b.predecessor_links.get(), by=manager)
    (a,) = _fresh(a)

    services.task_outdent(task=a, version=a.version, by=manager)

    assert [(t.name, t.wbs) for t in services.outline(project)] == [
        ("Phase", "1"), ("Design", "2"), ("Build", "2.1"),
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.task_indent(task=Task.objects.get(pk=phase.pk), version=None, by=manager)


def test_moving_a_task_renumbers_the_outline(project, manager):
    a = _task(project, manager, "A")
    b = _task(project, manager, "B")
    c = _task(project, manager, "C")

    services.task_move(task=c, version=None, by=manager, before=a)

    assert [t.name for t in services.outline(project)] == ["C", "A", "B"]
    services.task_move(task=Task.objects.get(pk=c.pk), version=None, by=manager, before=None)
    assert [t.name for t in services.outline(project)] == ["A", "B", "C"]
    del b


def test_a_task_of_another_project_waits_and_follows_a_slip(org, project, manager):
    ProjectPlan.objects.create(project=org.sibling, start=MONDAY)
    ours = _task(project, manager, "Deliver data", 3)
    theirs = services.task_create(project=org.sibling, by=manager, name="Use data", duration=2)
    services.link_create(predecessor=ours, successor=theirs, by=manager)
    assert Task.objects.get(pk=theirs.pk).start == d(5)

    ours = Task.objects.get(pk=ours.pk)
    services.task_update(task=ours, version=ours.version, by=manager, duration=5)

    assert Task.objects.get(pk=theirs.pk).start == d(9)


def test_a_baseline_keeps_the_dates_and_measures_slippage(project, manager):
    a = _task(project, manager, "Design", 3)
    b = _task(project, manager, "Build", 2)
    services.link_create(predecessor=a, successor=b, by=manager)
    baseline = services.baseline_create(project=project, name="Approved plan", by=manager)
    a = Task.objects.get(pk=a.pk)

    services.task_update(task=a, version=a.version, by=manager, duration=5)

    shifts = services.variances(baseline)
    assert shifts[a.pk] == (0, 2)
    assert shifts[b.pk] == (2, 2)
    assert baseline.tasks.get(task=b).start == d(5)


def test_a_day_off_moves_the_plan(project, manager):
    a = _task(project, manager, "Design", 3)
    plan = ProjectPlan.objects.get(project=project)

    services.exception_set(plan=plan, day=d(3), working=False, name="Team day", by=manager)

    assert Task.objects.get(pk=a.pk).finish == d(5)


def test_fields_the_engine_owns_cannot_be_set(project, manager):
    with pytest.raises(ValidationError):
        services.task_create(project=project, by=manager, name="X", start=MONDAY)
    a = _task(project, manager, "A")
    with pytest.raises(ValidationError):
        services.task_update(task=a, version=a.version, by=manager, critical=True)


def test_a_milestone_has_no_duration_and_a_constraint_needs_a_date(project, manager):
    m = services.task_create(project=project, by=manager, name="Go-live", milestone=True)
    assert m.duration == 0
    with pytest.raises(ValidationError):
        services.task_create(project=project, by=manager, name="Late", constraint="SNET")
    late = services.task_create(
        project=project, by=manager, name="Late", constraint="SNET", constraint_date=d(11)
    )
    assert late.start == d(11)


def test_a_task_cannot_be_moved_before_itself(project, manager):
    a = _task(project, manager, "A")
    with pytest.raises(ValidationError):
        services.task_move(task=a, version=None, by=manager, before=a)


def test_rescheduling_can_wait_for_the_end_of_a_block(project, manager):
    with services.rescheduling_deferred():
        a = _task(project, manager, "Design", 3)
        b = _task(project, manager, "Build", 2)
        services.link_create(predecessor=a, successor=b, by=manager)
        with services.rescheduling_deferred():  # nested: joins the outer block
            _task(project, manager, "Test", 1)
        assert Task.objects.get(pk=b.pk).start is None  # not yet scheduled

    a, b = _fresh(a, b)
    assert (a.start, a.finish, b.start, b.finish) == (d(2), d(4), d(5), d(6))
    assert Task.objects.get(name="Test").start == d(2)

    # A loop is only found at the end of the block, and refused there.
    with (
        pytest.raises(ValidationError, match="loop"),
        transaction.atomic(),
        services.rescheduling_deferred(),
    ):
        services.link_create(predecessor=b, successor=a, by=manager)
    assert TaskLink.objects.count() == 1
