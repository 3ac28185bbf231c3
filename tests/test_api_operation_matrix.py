"""Every operation of the OpenAPI schema, every persona, every method: the declared answer.

The table is `tests/routes/api_ops.py`. The schema is generated in-process, as
`/api/v1/schema/` serves it; an operation the table lacks, or one it names that the schema
no longer has, fails the suite, so a new endpoint cannot ship unchecked.

Each persona's request runs in a savepoint that is rolled back afterwards, so every persona
meets the same objects: a DELETE or a state change by one does not consume the object for
the next (a fresh object per persona, without building the organisation seven times).
Inside the savepoint a refused write is checked to have changed nothing: the rows, their
versions and the row count of every table, history tables included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from conftest import PERSONAS
from tests.routes.api_ops import OPS, REGISTERS, Op
from tests.test_route_matrix import ctx, snapshot  # noqa: F401 (`ctx` is a fixture)

MISSING = 987654321
SAFE = frozenset({"get", "head", "options"})


@cache
def schema_operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path) for every operation of the generated schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found: dict[str, tuple[str, str]] = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            name = operation["operationId"]
            assert name not in found, f"operationId {name} is not unique"
            found[name] = (method, path)
    return found


def test_every_operation_of_the_schema_is_in_the_table():
    missing = sorted(set(schema_operations()) - set(OPS))
    assert missing == [], f"Add these operations to tests/routes/api_ops.py: {missing}"


def test_the_table_names_no_operation_that_is_gone():
    assert sorted(set(OPS) - set(schema_operations())) == []


def test_the_table_covers_every_method():
    methods = {method for method, _path in schema_operations().values()}
    assert methods == {"get", "post", "put", "patch", "delete"}


# Running one operation -------------------------------------------------------------------


def _url(path: str, kwargs: dict[str, Any]) -> str:
    values = {("id" if key == "pk" else key): value for key, value in kwargs.items()}
    return path.format(**values)


def _client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _send(client: APIClient, method: str, url: str, op: Op, body: Any, query: Any) -> Any:
    if query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(query)}"
    if method in SAFE:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format=op.fmt)


@cache
def _count_query() -> tuple[list[str], str]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(table)})"  # noqa: S608 (names from the models)
        for table in tables
    )
    return tables, f"SELECT {parts}"


def counts() -> list[tuple[str, int]]:
    """The row count of every table (history, comments, tokens, outbox, ...), in one query."""
    tables, sql = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(zip(tables, cursor.fetchone(), strict=True))


def state() -> tuple[Any, Any]:
    return snapshot(), counts()


def _body(op: Op, context: Any) -> Any:
    return op.body(context) if op.body else {}


def _run(name: str, context: Any, people: dict[str, Any]) -> dict[str, int]:
    """Send the operation as each persona; check that refused writes change nothing."""
    op = OPS[name]
    method, path = schema_operations()[name]
    url = _url(path, op.kwargs(context))
    query = op.query(context) if op.query else None
    _body(op, context)  # make what the body refers to before taking the snapshot
    clients = [_client(people.get(persona)) for persona in PERSONAS]  # sessions made first
    before = state() if method not in SAFE else None
    got: dict[str, int] = {}
    for index, (persona, client) in enumerate(zip(PERSONAS, clients, strict=True)):
        with transaction.atomic():
            response = _send(client, method, url, op, _body(op, context), query)
            got[persona] = response.status_code
            may_change = op.changes[index] if op.changes is not None else response.status_code < 300
            if before is not None and not may_change:
                assert state() == before, f"{persona}'s refused {method.upper()} changed data"
            transaction.set_rollback(True)
    return got


@pytest.fixture
def _quick_pdf(monkeypatch):
    """Print PDFs as a stub: who may download is decided before the (slow) printing, and
    `test_route_matrix` and the meetings tests print real ones."""
    from schakel.core.exports import pdf

    monkeypatch.setattr(pdf, "render_html", lambda document, resources=None: b"%PDF-1.7 stub")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OPS))
def test_each_persona_gets_the_declared_answer(name, ctx, _quick_pdf):  # noqa: F811
    context, people = ctx
    got = _run(name, context, people)
    assert got == dict(zip(PERSONAS, OPS[name].expect, strict=True))


# Hidden objects read exactly like missing ones ---------------------------------------------


def _object_addressed() -> list[str]:
    return sorted(name for name, (_m, path) in schema_operations().items() if "{id}" in path)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _object_addressed())
def test_an_object_the_caller_cannot_see_answers_exactly_like_a_missing_one(name, ctx):  # noqa: F811
    """An outsider gets the same 404, same body, for ODI's object and for no object at all."""
    context, people = ctx
    op = OPS[name]
    method, path = schema_operations()[name]
    kwargs = op.kwargs(context)
    query = op.query(context) if op.query else None
    client = _client(people["outsider"])
    _body(op, context)  # make what the body refers to outside the savepoints
    answers = []
    for target in (kwargs, {**kwargs, "pk": MISSING}):
        with transaction.atomic():
            response = _send(client, method, _url(path, target), op, _body(op, context), query)
            answers.append((response.status_code, response.content))
            transaction.set_rollback(True)
    hidden, missing = answers
    assert hidden[0] == 404
    assert hidden == missing


# Foreign keys in bodies and queries: a hidden object reads exactly like a missing one ------
#
# The programme's manager may write in ODI but cannot see project CAR of the other
# programme. Pointing at an object of CAR in a body (or a query) must answer exactly as
# pointing at an id that does not exist, and change nothing.


def _hidden_item(kind: str) -> Callable[[Any], int]:
    def make(context: Any) -> int:
        from schakel.registers import services
        from schakel.registers.access import model_for_kind

        fields: dict[str, Any] = {"title": f"A hidden {kind}"}
        if kind == "risk":
            fields.update(probability=2, impact=2)
        if kind == "dependency":
            # Between two projects of the other programme (one on ODI's side would be seen).
            from schakel.portfolio.tests.factories import ProjectFactory

            fields.update(other_project=ProjectFactory(programme=context.org.other_programme))
        item = services.item_create(
            model=model_for_kind(kind), scope=context.org.other_project, by=None, **fields
        )
        return int(item.pk)

    return make


def _hidden_project(context: Any) -> int:
    return int(context.org.other_project.pk)


def _hidden_task(context: Any) -> int:
    from schakel.planning import services

    task = services.task_create(project=context.org.other_project, by=None, name="Hidden")
    return int(task.pk)


def _hidden_agenda_item(context: Any) -> int:
    import datetime

    from django.utils import timezone

    from schakel.meetings import services

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    meeting = services.meeting_create(
        scope=context.org.other_project,
        by=None,
        kind="project_team",
        title="Hidden meeting",
        start=start,
        end=start + datetime.timedelta(hours=1),
        agenda=[{"title": "Hidden item", "minutes": 10}],
    )
    return int(meeting.agenda.get().pk)


@dataclass
class Pointer:
    """An operation of `OPS` whose body (or query) names the hidden object's id."""

    operation: str
    hidden: Callable[[Any], int]
    body: Callable[[Any, int], dict[str, Any]] | None = None
    query: Callable[[Any, int], dict[str, Any]] | None = None
    status: int | None = None  # None: any 4xx, the same for both


def _with(field: str) -> Callable[[str], Callable[[Any, int], dict[str, Any]]]:
    """The operation's own valid body, with `field` pointing at the given id."""

    def for_operation(operation: str) -> Callable[[Any, int], dict[str, Any]]:
        def body(context: Any, pk: int) -> dict[str, Any]:
            return {**_body(OPS[operation], context), field: pk}

        return body

    return for_operation


def _pointer_cases() -> dict[str, Pointer]:
    cases: dict[str, Pointer] = {}
    for slug in ("actions", "assumptions", "decisions", "dependencies", "issues", "risks"):
        name = slug.replace("-", "_")
        other = "risk" if slug == "actions" else "action"
        cases[f"{name}_create"] = Pointer(
            f"{name}_create", _hidden_project, _with("project")(f"{name}_create")
        )
        cases[f"{name}_links_create"] = Pointer(
            f"{name}_links_create",
            _hidden_item(other),
            lambda context, pk, other=other: {"kind": other, "id": pk},
        )
        cases[f"{name}_links_destroy"] = Pointer(
            f"{name}_links_destroy",
            _hidden_item(other),
            query=lambda context, pk, other=other: {"kind": other, "id": pk},
        )
        # Bulk answers 200 and lists each id it refused ("Not found.").
        cases[f"{name}_bulk_create"] = Pointer(
            f"{name}_bulk_create",
            _hidden_item(REGISTERS[slug]),
            lambda context, pk, name=name: {
                **_body(OPS[f"{name}_bulk_create"], context),
                "ids": [pk],
            },
            status=200,
        )
    for operation, field in {
        "meetings_create": "project",
        "meeting_series_create": "project",
        "tasks_create": "project",
        "baselines_create": "project",
        "status_reports_create": "project",
        "reporting_cycles_remind_create": "project",
        "memberships_create": "project",
    }.items():
        cases[operation] = Pointer(operation, _hidden_project, _with(field)(operation))
    cases["meetings_action_reviews_create"] = Pointer(
        "meetings_action_reviews_create",
        _hidden_item("action"),
        lambda context, pk: {"action": pk, "version": 1, "status": "done"},
    )
    cases["meetings_goto_create"] = Pointer(
        "meetings_goto_create", _hidden_agenda_item, _with("agenda_item")("meetings_goto_create")
    )
    cases["agenda_items_links_create"] = Pointer(
        "agenda_items_links_create",
        _hidden_item("risk"),
        lambda context, pk: {"kind": "risk", "id": pk},
    )
    cases["agenda_items_links_destroy"] = Pointer(
        "agenda_items_links_destroy",
        _hidden_item("risk"),
        query=lambda context, pk: {"kind": "risk", "id": pk},
    )
    cases["task_links_create_predecessor"] = Pointer(
        "task_links_create", _hidden_task, _with("predecessor")("task_links_create")
    )
    cases["task_links_create_successor"] = Pointer(
        "task_links_create", _hidden_task, _with("successor")("task_links_create")
    )
    cases["tasks_move_create"] = Pointer(
        "tasks_move_create", _hidden_task, _with("before")("tasks_move_create")
    )
    return cases


POINTERS = _pointer_cases()


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(POINTERS))
def test_a_hidden_object_named_in_a_body_reads_exactly_like_a_missing_one(case, ctx, manager):  # noqa: F811
    context, _people = ctx
    pointer = POINTERS[case]
    op = OPS[pointer.operation]
    method, path = schema_operations()[pointer.operation]
    url = _url(path, op.kwargs(context))
    hidden_pk = pointer.hidden(context)
    _body(op, context)
    client = _client(manager)
    before = state()
    answers = []
    for pk in (hidden_pk, MISSING):
        body = pointer.body(context, pk) if pointer.body else _body(op, context)
        query = pointer.query(context, pk) if pointer.query else None
        with transaction.atomic():
            response = _send(client, method, url, op, body, query)
            assert state() == before, "naming a hidden object changed data"
            transaction.set_rollback(True)
        answers.append((response.status_code, response.content))
    (hidden_status, hidden_body), (missing_status, missing_body) = answers
    if pointer.status is None:
        assert 400 <= hidden_status < 500
    else:
        assert hidden_status == pointer.status
    assert hidden_status == missing_status
    assert _naming(hidden_body, hidden_pk) == _naming(missing_body, MISSING)


def _naming(content: bytes, pk: int) -> Any:
    """The answer with the id it was asked about written as <id> (in ids and messages)."""
    import json
    import re

    word = re.compile(rf"(?<![0-9]){pk}(?![0-9])")

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            return word.sub("<id>", value)
        if key in {"id", "ids"} and value == pk:
            return "<id>"
        return value

    return walk(json.loads(content))
