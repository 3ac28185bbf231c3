"""No lost updates: two users save the same object from the same version at the same moment.

For every versioned model's API edit (and the register item edit form), two clients of two
different users send conflicting edits that start from one read version, lined up by a
barrier so that they reach the server together, many times over. Every pair must end with
exactly one winner (200, or the form's redirect) and one refusal (409 with the stored values,
or the form's conflict page showing them); the row holds the winner's value at version + 1
and its history gained exactly one entry.

Only PostgreSQL runs requests truly in parallel (SQLite serialises every writer), so the
tests are skipped on other engines.
"""

from __future__ import annotations

import datetime
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, models
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings.tests import factories as meeting_factories
from schakel.planning import services as planning_services
from schakel.planning.models import ProjectPlan
from schakel.registers import services as register_services
from schakel.registers.models import Assumption, Dependency
from schakel.registers.tests import factories as register_factories
from schakel.reporting.models import PeriodNote
from schakel.reporting.tests.pages import make_cycle, start
from tests.api import API, api_client

# Conflicting pairs per API edit path (19 of them) and for the item form.
PAIRS = 12
FORM_PAIRS = 20

pytestmark = [
    # serialized_rollback: the risk scale and categories that migrations add come back
    # after an earlier transactional test emptied the tables.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent edits need PostgreSQL (SQLite runs one writer at a time)",
    ),
]


@dataclass
class Target:
    """One versioned object and how to edit it through the API."""

    obj: models.Model
    url: str
    field: str
    method: str = "patch"
    # The stored row (the note of a period is found by its cycle, not by a fixed id).
    stored: Callable[[], models.Model | None] = lambda: None
    value: Callable[[int, str], Any] = lambda n, who: f"{who} {n}"

    def row(self) -> models.Model | None:
        found = self.stored()
        if found is not None:
            return found
        model = type(self.obj)
        manager = getattr(model, "all_objects", model._default_manager)
        return manager.filter(pk=self.obj.pk).first()


def _history_count(row: models.Model | None) -> int | None:
    """History entries of the row, or None for a model without history."""
    if row is None:
        return 0
    history = getattr(type(row), "history", None)
    if history is None:
        return None
    return history.filter(id=row.pk).count()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.fixture
def editors(org, pmo):
    """Two PMOs of the portfolio: both may change everything in it."""
    second = UserFactory(username="pmo2")
    Membership.objects.create(user=second, portfolio=org.portfolio, role=Role.PMO)
    return pmo, second


def _target(kind: str, org: Any, by: Any) -> Target:
    if kind in ("portfolio", "programme", "theme", "project"):
        obj = getattr(org, kind)
        plural = {"portfolio": "portfolios", "programme": "programmes"}.get(kind, f"{kind}s")
        return Target(obj, f"{API}/{plural}/{obj.pk}/", "name")
    if kind in ("risk", "issue", "action", "decision"):
        item = getattr(register_factories, kind)(org.project, by)
        plural = {"issue": "issues"}.get(kind, f"{kind}s")
        return Target(item, f"{API}/{plural}/{item.pk}/", "title")
    if kind == "assumption":
        item = register_services.item_create(
            model=Assumption, scope=org.project, by=by, title="Budget approved"
        )
        return Target(item, f"{API}/assumptions/{item.pk}/", "title")
    if kind == "dependency":
        item = register_services.item_create(
            model=Dependency, scope=org.project, by=by, title="Policy", other_project=org.sibling
        )
        return Target(item, f"{API}/dependencies/{item.pk}/", "title")
    if kind == "meeting_series":
        series = meeting_factories.series(org.project, by)
        return Target(series, f"{API}/meeting-series/{series.pk}/", "title")
    if kind == "meeting":
        meeting = meeting_factories.meeting(org.project, by)
        return Target(meeting, f"{API}/meetings/{meeting.pk}/", "title")
    if kind == "agenda_item":
        item = meeting_factories.meeting(org.project, by).agenda.get(position=0)
        return Target(item, f"{API}/agenda-items/{item.pk}/", "title")
    if kind == "reporting_cycle":
        cycle = make_cycle(org, by)
        return Target(cycle, f"{API}/reporting-cycles/{cycle.pk}/", "name")
    if kind == "status_report":
        report = start(make_cycle(org, by), org.project, by)
        return Target(report, f"{API}/status-reports/{report.pk}/", "summary")
    if kind == "period_note":
        # The first pair races to create the note (both send version 0), the rest to change it.
        cycle = make_cycle(org, by)
        return Target(
            PeriodNote(cycle=cycle, version=0),
            f"{API}/reporting-cycles/{cycle.pk}/key-messages/",
            "key_messages",
            method="put",
            stored=lambda: PeriodNote.objects.filter(cycle=cycle).first(),
        )
    if kind == "project_plan":
        plan = ProjectPlan.objects.create(project=org.project, start=datetime.date(2026, 3, 2))
        return Target(
            plan,
            f"{API}/calendars/{org.project.pk}/",
            "status_date",
            # Each pair's two dates differ from each other and from every earlier pair's.
            value=lambda n, who: (
                datetime.date(2026, 3, 2) + datetime.timedelta(days=2 * n + (who == "B"))
            ),
        )
    if kind == "task":
        ProjectPlan.objects.create(project=org.sibling, start=datetime.date(2026, 3, 2))
        task = planning_services.task_create(project=org.sibling, by=by, name="Design", duration=3)
        return Target(task, f"{API}/tasks/{task.pk}/", "name")
    if kind == "membership":
        # Membership is not a VersionedModel, but its role edits carry a version all the
        # same. A role only moves the version when it changes, so each side asks for one of
        # the two roles the member does not have.
        person = UserFactory(username="racer")
        member = Membership.objects.create(user=person, project=org.project, role=Role.VIEWER)
        roles = [Role.VIEWER, Role.MEMBER, Role.MANAGER]

        def other_role(n: int, who: str) -> str:
            now = Membership.objects.get(pk=member.pk).role
            return [role for role in roles if role != now][0 if who == "A" else 1]

        return Target(member, f"{API}/memberships/{member.pk}/", "role", value=other_role)
    raise AssertionError(kind)


KINDS = [
    "portfolio",
    "programme",
    "theme",
    "project",
    "risk",
    "issue",
    "assumption",
    "dependency",
    "action",
    "decision",
    "meeting_series",
    "meeting",
    "agenda_item",
    "reporting_cycle",
    "status_report",
    "period_note",
    "project_plan",
    "task",
    "membership",
]


class Racers:
    """Two threads, one client each, that send their request of a pair at the same moment."""

    def __init__(self, clients: tuple[Any, Any]) -> None:
        self.barrier = threading.Barrier(2, timeout=30)
        self.inboxes: tuple[queue.Queue[Any], queue.Queue[Any]] = (queue.Queue(), queue.Queue())
        self.results: queue.Queue[tuple[int, Any]] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._run, args=(n, client), daemon=True)
            for n, client in enumerate(clients)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, n: int, client: Any) -> None:
        try:
            while (job := self.inboxes[n].get()) is not None:
                try:
                    self.barrier.wait()
                    answer = job(client)
                except Exception as error:  # handed to the test, which fails on it
                    answer = error
                self.results.put((n, answer))
        finally:
            connection.close()

    def race(self, first: Callable[[Any], Any], second: Callable[[Any], Any]) -> tuple[Any, Any]:
        """Run `first` in thread 0 and `second` in thread 1 together; return both answers."""
        self.inboxes[0].put(first)
        self.inboxes[1].put(second)
        answers: dict[int, Any] = dict(self.results.get(timeout=60) for _ in range(2))
        if self.barrier.broken:  # a thread timed out: start the next pair afresh
            self.barrier.reset()
        for answer in answers.values():
            if isinstance(answer, Exception):
                raise answer
        return answers[0], answers[1]

    def stop(self) -> None:
        for inbox in self.inboxes:
            inbox.put(None)
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def racers_for():
    made: list[Racers] = []

    def make(clients: tuple[Any, Any]) -> Racers:
        made.append(Racers(clients))
        return made[-1]

    yield make
    for racers in made:
        racers.stop()


def _race_pairs(racers: Racers, target: Target) -> None:
    """Run PAIRS conflicting edits of one target and check each pair's outcome."""
    for n in range(PAIRS):
        before = target.row()
        version = before.version if before is not None else 0
        history = _history_count(before)
        mine, theirs = target.value(n, "A"), target.value(n, "B")

        def edit(value: Any, version: int = version) -> Callable[[Any], Any]:
            data = {target.field: _plain(value), "version": version}
            return lambda client: getattr(client, target.method)(target.url, data, format="json")

        answers = racers.race(edit(mine), edit(theirs))

        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409], (n, [a.content[:300] for a in answers])
        winner = mine if answers[0].status_code == 200 else theirs
        loser = answers[1] if answers[0].status_code == 200 else answers[0]
        row = target.row()
        assert row is not None
        assert (getattr(row, target.field), row.version) == (winner, version + 1), n
        current = loser.json()["current"]
        assert (current[target.field], current["version"]) == (_plain(winner), version + 1), n
        if history is not None:
            assert _history_count(row) == history + 1, n


def test_two_api_edits_from_one_version_never_both_win(org, editors, racers_for):
    # One test for every kind: each test of a transactional database ends by emptying
    # every table, which costs more than the pairs of one kind.
    targets = {kind: _target(kind, org, editors[0]) for kind in KINDS}
    racers = racers_for((api_client(editors[0]), api_client(editors[1])))
    failures = {}
    for kind, target in targets.items():
        try:
            _race_pairs(racers, target)
        except Exception as error:  # every kind is tried; the test names all that failed
            failures[kind] = f"{type(error).__name__}: {str(error)[:200]}"
    assert not failures, "lost or refused updates in: " + "\n".join(
        f"{kind}: {message}" for kind, message in failures.items()
    )


def _form_data(item: Any, **changes: Any) -> dict[str, Any]:
    from django.forms.models import model_to_dict

    from schakel.registers.forms import form_for

    fields = form_for(type(item))._meta.fields or []
    data = {
        name: ("" if value is None else value)
        for name, value in model_to_dict(item, fields=fields).items()
    }
    data["tags"] = ""
    data["version"] = item.version
    data.update(changes)
    return data


def test_two_form_edits_of_an_item_from_one_version_never_both_win(
    org, editors, client_as, racers_for
):
    item = register_factories.risk(org.project, editors[0])
    model = type(item)
    url = reverse("registers:item_edit", args=[item.KIND, item.pk])
    racers = racers_for((client_as(editors[0]), client_as(editors[1])))

    for n in range(FORM_PAIRS):
        opened = model.objects.get(pk=item.pk)  # both users opened the form at this version
        history = _history_count(opened)
        mine, theirs = f"Mine {n}", f"Theirs {n}"

        def save(title: str, opened: Any = opened) -> Callable[[Any], Any]:
            data = _form_data(opened, title=title)
            return lambda client: client.post(url, data)

        answers = racers.race(save(mine), save(theirs))

        codes = sorted(a.status_code for a in answers)
        assert codes == [302, 409], (n, codes)
        winner = mine if answers[0].status_code == 302 else theirs
        refused = answers[1] if answers[0].status_code == 302 else answers[0]
        stored = model.objects.get(pk=item.pk)
        assert (stored.title, stored.version) == (winner, opened.version + 1), n
        assert history is not None and _history_count(stored) == history + 1, n
        page = refused.content.decode()
        assert "Someone else changed this while you were editing." in page
        assert f'value="{winner}"' in page  # the form now shows the stored values
        assert f'name="version" value="{opened.version + 1}"' in page
