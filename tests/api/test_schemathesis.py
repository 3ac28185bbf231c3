"""API fuzzing with schemathesis: every operation of /api/v1/schema/, as one user, with ids of
another user's objects mixed in.

Two managers work side by side: A on the first programme, B on the other one; neither sees
the other's programme or projects. Both get one object of every kind the API serves (register
items with a comment and a link, a meeting series, an event with its agenda, attendance,
session and an outcome, a reporting cycle with a status report and an export, a plan with
tasks, a link, a baseline and a calendar exception, a theme and a token). Schemathesis then
calls every operation as A (with A's API token) with generated input: positive data (what
the schema allows) and negative data (what it does not). Path parameters are sometimes
replaced by the id of A's own object, so answers with content are checked too, and sometimes
by the id of B's object of the same kind, so cross-object access is tried.

Every answer must:
- not be a server error (5xx);
- have a status code, content type, headers and body as the schema documents them;
- refuse without credentials (schemathesis strips or spoils the token once per operation);
- never contain B's marker (every text of B's objects carries it);
- be 400, 401, 403 or 404 when the path named one of B's objects.

Left out, on purpose: `positive_data_acceptance` (schema-valid input is refused for reasons a
schema cannot state: an id of an object that does not exist or that A may not see, and rules
across fields such as "exactly one of project or programme"), `negative_data_rejection` (as
in DRF and django-filter, an empty filter or an unusable `page_size` is ignored and the list
answers with its defaults), and the stateful checks (`use_after_free`,
`ensure_resource_availability`), which need the stateful phase and its links.

Bounded for CI: a few examples per operation, derandomized (the same cases every run), no
example database, the coverage phase off (it would enumerate every boundary of every field).
`pytest tests/api/test_schemathesis.py -s` prints the number of operations and cases.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from schakel.accounts.models import Membership, Role
from schakel.accounts.services import token_create
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import services as meetings
from schakel.meetings.models import Kind
from schakel.meetings.tests import factories as meeting_factories
from schakel.planning import services as planning
from schakel.planning.models import ProjectPlan
from schakel.portfolio.models import Programme, Project
from schakel.portfolio.tests.factories import (
    PortfolioFactory,
    ProgrammeFactory,
    ProjectFactory,
    ThemeFactory,
)
from schakel.registers import services as registers
from schakel.registers.models import Action, Assumption, Decision, Dependency, Issue, Risk
from schakel.reporting import services as reporting
from schakel.reporting.models import ReportExport

# Operations x examples: about 2 minutes on SQLite with one core.
MAX_EXAMPLES = 6

APP = get_wsgi_application()
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # Credentials are A's token (below), never generated.
            "with-security-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}},
    }
)
# Loaded through the app like any client would: the schema the API serves.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", APP, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]

# In every text of B's objects; must never reach A.
MARKER_B = "Quokka-B-7731"
MARKER_A = "Wombat-A-2259"
REFUSED = {400, 401, 403, 404}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Run:
    """What the current test knows: A's token and the ids of A's and B's objects."""

    key: str = ""
    own: dict[str, dict[str, Any]] = field(default_factory=dict)
    others: dict[str, dict[str, Any]] = field(default_factory=dict)
    cases: Counter[str] = field(default_factory=Counter)
    crossing: int = 0


RUN = Run()


@schema.auth(refresh_interval=None)
class TokenOfA:
    """A's API token (a new one per test), sent as `Authorization: Token <key>`."""

    def get(self, case: Any, context: Any) -> str:
        return RUN.key

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Token {data}"


def _resource(path: str) -> str:
    """`/api/v1/risks/{id}/links/` -> `risks`."""
    return path.removeprefix("/api/v1/").split("/", 1)[0]


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Keep the generated path, or put in the ids of A's or of B's object of that kind."""
    if not path_parameters or context.operation is None:
        return st.just(path_parameters)
    resource = _resource(context.operation.path)
    choices = [path_parameters]
    for ids in (RUN.own.get(resource), RUN.others.get(resource)):
        if ids and set(path_parameters) <= set(ids):
            choices.append({**path_parameters, **{name: ids[name] for name in path_parameters}})
    return st.sampled_from(choices)


def _seed(
    user: Any, programme: Programme, project: Project, other: Project, marker: str
) -> dict[str, Any]:
    """One object of every kind the API serves, in `project`, by `user`; returns per API
    resource the path parameters that name it."""
    today = timezone.localdate()
    theme = ThemeFactory(programme=programme, name=f"Theme {marker}")
    membership = Membership.objects.get(user=user, programme=programme)
    token, _key = token_create(user=user, name=f"Token {marker}")

    def item(model: Any, **fields: Any) -> Any:
        return registers.item_create(
            model=model, scope=project, by=user, title=f"{model.KIND} {marker}", **fields
        )

    risk = item(Risk, probability=3, impact=4, description=marker)
    issue = item(Issue, description=marker)
    assumption = item(Assumption, description=marker)
    dependency = item(Dependency, description=marker, other_project=other)
    action = item(Action, description=marker, due=today + datetime.timedelta(days=7))
    decision = item(Decision, description=marker)
    registers.comment_add(item=risk, body=f"Comment {marker}", by=user, mention_pool=[])
    registers.link_add(a=risk, b=action, by=user)

    series = meeting_factories.series(project, user, title=f"Series {marker}")
    event = meeting_factories.meeting(
        project, user, kind=Kind.EVENT, title=f"Event {marker}", location=marker
    )
    agenda_item = meetings.agenda_item_add(
        meeting=event, by=user, title=f"Agenda {marker}", minutes=10
    )
    attendance = meetings.attendance_add_guest(meeting=event, name=f"Guest {marker}", by=user)
    session = meetings.session_add(meeting=event, by=user, title=f"Session {marker}")
    meetings.outcome_capture(
        meeting=event,
        agenda_item=agenda_item,
        kind="action",
        scope=project,
        by=user,
        title=f"Outcome {marker}",
    )

    cycle = reporting.cycle_create(
        scope=programme,
        by=user,
        name=f"Cycle {marker}",
        frequency="monthly",
        anchor=today,
    )
    report = reporting.report_start(
        cycle=cycle, project=project, period=reporting.reporting_period(cycle), by=user
    )
    report.summary = f"Summary {marker}"
    report.save()
    export = ReportExport.objects.create(
        user=user, cycle=cycle, period_end=report.period_end, kind=ReportExport.Kind.PDF
    )

    plan = ProjectPlan.objects.create(project=project, start=today)
    first = planning.task_create(project=project, by=user, name=f"Task {marker}", duration=3)
    second = planning.task_create(project=project, by=user, name=f"Next {marker}", duration=2)
    task_link = planning.link_create(predecessor=first, successor=second, by=user)
    baseline = planning.baseline_create(project=project, name=f"Baseline {marker}", by=user)
    day = today + datetime.timedelta(days=10)
    planning.exception_set(plan=plan, day=day, working=False, name=f"Day off {marker}", by=user)

    ids = {
        "programmes": programme.pk,
        "projects": project.pk,
        "themes": theme.pk,
        "memberships": membership.pk,
        "tokens": token.pk,
        "risks": risk.pk,
        "issues": issue.pk,
        "assumptions": assumption.pk,
        "dependencies": dependency.pk,
        "actions": action.pk,
        "decisions": decision.pk,
        "meeting-series": series.pk,
        "meetings": event.pk,
        "agenda-items": agenda_item.pk,
        "attendance": attendance.pk,
        "sessions": session.pk,
        "reporting-cycles": cycle.pk,
        "status-reports": report.pk,
        "report-exports": export.pk,
        "tasks": first.pk,
        "task-links": task_link.pk,
        "baselines": baseline.pk,
        "schedules": project.pk,
    }
    paths: dict[str, dict[str, Any]] = {name: {"id": pk} for name, pk in ids.items()}
    paths["calendars"] = {"id": project.pk, "day": day.isoformat()}
    return paths


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Run]:
    """A manages the first programme, B the other; each has one object of every kind.

    Made once for the whole file, inside a transaction that is rolled back at its end; each
    operation's test runs in a savepoint of it (the `db` fixture), so every operation starts
    from these objects whatever the operations before it changed.
    """
    # As Django's test client does: a request's end must not close the database connection,
    # which holds the transaction (PostgreSQL would lose it; SQLite's in-memory one ignores it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            portfolio = PortfolioFactory(name="Change portfolio")
            mine = ProgrammeFactory(portfolio=portfolio, name="Support services")
            theirs = ProgrammeFactory(portfolio=portfolio, name=f"Programme {MARKER_B}")
            project = ProjectFactory(programme=mine, key="ODI", name="Org design")
            sibling = ProjectFactory(programme=mine, key="POL", name="Policy")
            other = ProjectFactory(programme=theirs, key="CAR", name=f"Project {MARKER_B}")
            neighbour = ProjectFactory(programme=theirs, key="NBR", name=f"Next {MARKER_B}")
            alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
            Membership.objects.create(user=alice, programme=mine, role=Role.MANAGER)
            Membership.objects.create(user=bob, programme=theirs, role=Role.MANAGER)
            RUN.own = _seed(alice, mine, project, sibling, MARKER_A)
            RUN.others = _seed(bob, theirs, other, neighbour, MARKER_B)
            RUN.key = token_create(user=alice, name="schemathesis")[1]
            yield RUN
        finally:
            RUN.key = ""
            RUN.own, RUN.others = {}, {}
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _names_b(case: Any) -> bool:
    """Whether the case's path names one of B's objects."""
    ids = RUN.others.get(_resource(case.operation.path))
    params = case.path_parameters or {}
    return bool(ids and params and all(params.get(k) == v for k, v in ids.items() if k in params))


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_as_a_with_b_objects_in_reach(case: Any, world: Run, db: Any) -> None:
    world.cases[case.operation.label] += 1
    response = case.call(app=APP)
    case.validate_response(response, checks=CHECKS)
    assert MARKER_B not in response.text, f"{case.operation.label} showed B's data to A"
    if _names_b(case):
        world.crossing += 1
        assert response.status_code in REFUSED, (
            f"{case.operation.label} on B's object answered {response.status_code}"
        )


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if RUN.cases:
        print(
            f"\nschemathesis: {len(RUN.cases)} operations, {sum(RUN.cases.values())} cases "
            f"(at most {MAX_EXAMPLES} generated examples per operation), "
            f"{RUN.crossing} of them on B's objects"
        )
