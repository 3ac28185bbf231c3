"""`schakel demo` fills planning: a plan per project, a baseline, progress and one slip."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import transaction
from django.db.models import F

from schakel.accounts.models import User
from schakel.planning import services
from schakel.planning.demo import (
    BASELINE_NAME,
    BulkBuilder,
    OutlineMaker,
    SmallBuilder,
    _outline_for,
)
from schakel.planning.models import Baseline, ProjectPlan, Task, TaskLink
from schakel.portfolio.demo import DemoContext, build_demo, reset_demo
from schakel.portfolio.models import Portfolio, Project
from schakel.registers.models import Dependency

TODAY = datetime.date(2026, 11, 3)
QUIET = {"log": lambda line: None}


@pytest.fixture(scope="class")
def small(django_db_setup, django_db_blocker):
    """Size S, built once for the class below (it is slow) and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(today=TODAY, **QUIET)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def projects(small, db) -> list[Project]:
    return list(Project.objects.select_related("plan").order_by("key"))


class TestSizeS:
    """What a person exploring the demo finds in the Gantt charts."""

    def test_every_project_has_a_plan_of_phases_tasks_and_milestones(self, projects):
        assert len(projects) == 13
        for project in projects:
            tasks = Task.objects.filter(project=project)
            summaries = tasks.filter(summary=True)
            assert 15 <= tasks.count() <= 40, project.key
            assert 3 <= summaries.count() <= 5, project.key
            assert tasks.filter(milestone=True).count() >= summaries.count(), project.key
            assert not tasks.filter(level=1, summary=False).exists(), project.key
            assert tasks.exclude(owner=None).count() == tasks.count(), project.key

    def test_every_task_has_dates_from_the_engine(self, projects):
        assert not Task.objects.filter(start=None).exists()
        assert not Task.objects.filter(finish=None).exists()
        assert all(p.plan.finish is not None for p in projects)
        assert Task.objects.filter(critical=True).exists()

    def test_most_plans_started_months_before_the_demos_day(self, projects):
        started = [p for p in projects if p.plan.start <= TODAY - datetime.timedelta(days=20)]
        assert len(started) >= len(projects) - 3
        assert Task.objects.filter(percent_complete=100, actual_finish__lt=TODAY).exists()
        assert Task.objects.filter(percent_complete__gt=0, percent_complete__lt=100).exists()

    def test_links_are_mostly_finish_to_start_with_overlaps_lags_and_leads(self, small, db):
        links = TaskLink.objects.all()
        kinds = list(links.values_list("type", flat=True))
        assert kinds.count("FS") > len(kinds) * 0.7
        assert "SS" in kinds and "FF" in kinds
        assert links.filter(lag__gt=0).exists() and links.filter(lag__lt=0).exists()
        constrained = Task.objects.exclude(constraint="ASAP")
        assert Project.objects.count() <= constrained.count() <= 2 * Project.objects.count()

    def test_milestones_of_one_project_drive_tasks_of_another(self, small, db):
        cross = TaskLink.objects.exclude(predecessor__project=F("successor__project"))
        assert 2 <= cross.count() <= 4
        assert all(link.predecessor.milestone for link in cross)
        assert {link.successor.project.programme.key for link in cross} == {"VOD"}

    def test_each_link_between_projects_is_a_dependency_of_the_waiting_project(self, small, db):
        cross = TaskLink.objects.exclude(predecessor__project=F("successor__project"))
        links = list(cross.select_related("dependency", "predecessor", "successor"))
        items = [link.dependency for link in links]
        assert all(items) and len(set(items)) == len(items)
        for link, item in zip(links, items, strict=True):
            assert item is not None
            assert item.project_id == link.successor.project_id
            assert item.other_project_id == link.predecessor.project_id
            assert item.need_by == link.successor.start
        # The registers' demo recorded SDK's needs already: connected, not made twice.
        sdk = Dependency.objects.filter(project__key="SDK", task_link__isnull=False)
        assert {d.title for d in sdk} >= {
            "Standaardwerkplek en ITSM-tool uit de architectuur",
            "Vrijvallende medewerkers voor het servicedeskteam",
        }

    def test_every_project_has_the_agreed_baseline_saved_early(self, projects):
        for project in projects:
            baseline = Baseline.objects.get(project=project)
            assert baseline.name == BASELINE_NAME
            assert baseline.tasks.count() == Task.objects.filter(project=project).count()
            assert baseline.created_at.date() <= TODAY

    def test_one_milestone_of_the_change_programme_is_late_against_the_baseline(self, small, db):
        late = []
        for baseline in Baseline.objects.filter(project__programme__key="VOD"):
            milestones = list(Task.objects.filter(project=baseline.project, milestone=True))
            shifts = services.variances(baseline, milestones)
            late += [pk for pk, (_start, finish) in shifts.items() if finish and finish > 0]
        assert late
        for baseline in Baseline.objects.filter(project__programme__key="PMO"):
            assert not any(finish for _start, finish in services.variances(baseline).values())

    def test_progress_only_on_work_that_started_before_the_demos_day(self, small, db):
        progressed = Task.objects.filter(percent_complete__gt=0)
        assert progressed.exists()
        assert not progressed.filter(actual_start=None).exists()
        assert not progressed.filter(actual_start__gte=TODAY).exists()
        assert not progressed.filter(start__gte=TODAY).exists()
        assert not Task.objects.filter(actual_finish__gte=TODAY).exists()
        leaves = Task.objects.filter(summary=False).exclude(actual_start=None)
        assert all(t.actual_start == t.start for t in leaves)
        assert all(t.actual_finish == t.finish for t in leaves.exclude(actual_finish=None))
        assert not leaves.filter(actual_finish=None, finish__lt=TODAY).exists()

    def test_building_again_changes_nothing(self, small, db):
        before = list(Task.objects.order_by("pk").values_list("pk", "start", "finish", "version"))
        SmallBuilder(_context()).build()
        after = list(Task.objects.order_by("pk").values_list("pk", "start", "finish", "version"))
        assert after == before and TaskLink.objects.count() and Baseline.objects.count() == 13

    def test_bulk_plans_are_scheduled_with_a_deep_outline(self, projects):
        ctx = _context()
        spare = [
            Project.objects.create(
                programme=projects[0].programme, key=f"BLK{n}", name=f"Bulk {n}", start_date=TODAY
            )
            for n in range(3)
        ]
        builder = BulkBuilder(ctx, count=300, big=200)
        builder.projects = lambda: spare  # type: ignore[method-assign]
        builder.build()

        tasks = Task.objects.filter(project__in=spare)
        big = Task.objects.filter(project=spare[0])
        assert tasks.count() == 300 and big.count() == 200
        assert max(big.values_list("level", flat=True)) >= 4
        assert not tasks.filter(start=None).exists()
        assert big.filter(critical=True).exists() and big.filter(critical=False).exists()
        assert TaskLink.objects.filter(successor__project=spare[0]).count() > 60
        # Work packages run side by side: a deep plan spans months, not decades.
        span = ProjectPlan.objects.get(project=spare[0])
        assert span.finish is not None and (span.finish - span.start).days < 365
        for project in spare:
            wbs = [t.wbs for t in services.outline(project)]
            assert wbs[0] == "1" and len(set(wbs)) == len(wbs)


def _context() -> DemoContext:
    ctx = DemoContext(
        rng=random.Random(1), today=TODAY, password_hash="", log=lambda line: None, seed=7
    )
    ctx.portfolio = Portfolio.objects.get()
    ctx.users["admin"] = User.objects.get(username="admin")
    return ctx


def test_the_same_seed_gives_the_same_outlines():
    def outlines(seed: str) -> tuple[object, ...]:
        rng = random.Random(seed)
        nodes = OutlineMaker(rng, 120, 4).nodes
        return (
            _outline_for(rng, "ODI", "VOD"),
            [(n.parent, n.wbs, n.name, n.duration, n.milestone) for n in nodes],
        )

    assert outlines("planning:1") == outlines("planning:1")
    assert outlines("planning:1") != outlines("planning:2")


def test_size_m_scaled_adds_bulk_plans_and_reset_removes_them(db):
    build_demo(size="M", scale=0.05, today=TODAY, **QUIET)
    generated = Task.objects.exclude(project__programme__key__in=["VOD", "PMO"])
    assert generated.count() == 250
    assert not generated.filter(start=None).exists()
    reset_demo()
    assert not Task.objects.exists() and not ProjectPlan.objects.exists()
