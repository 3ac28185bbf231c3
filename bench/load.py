"""Schakel under concurrent load over HTTP: throughput, latency, errors and worker memory.

Run against a database holding a demo (``schakel demo --size S|M|L``) on PostgreSQL::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench SCHAKEL_VAR_DIR=/tmp/benchvar \\
        .venv/bin/python -m bench.load --users 1,8,50 --seconds 30 --json /tmp/load.json

``schakel serve`` (gunicorn, DEBUG off, production settings) runs on a loopback port; our own
asyncio HTTP/1.1 client plays N virtual users, each on one keep-alive connection (reopened
when the server closes it: gunicorn's sync workers close after every answer). The client
acts as the TLS-terminating proxy would: ``X-Forwarded-Proto: https`` on every request, and
the cookies (session, CSRF) are sent by hand because production cookies are Secure.

Each virtual user is a real demo person with memberships (the PMO officer, programme
managers, project managers, team members), logged in by a session made directly in the
database (no login POST: django-axes is never involved). It loops without think time until
the deadline over a fixed-seed mix: 70 % reads (cockpit, My work, register lists of a
programme and a portfolio with a filter and a sort, the portfolio heatmap, a project page,
a project's schedule, a programme's consolidated report, search, API lists) of things the
person may see, and 30 % API writes (create and update actions and risks, capture an action
as a meeting outcome) in a project the person works in. Updates only touch items the same
virtual user created, so a 409 (stale version) is a real conflict; it is counted apart, and
the client re-reads the current version before patching again.

Everything written has a title starting with ``bench-load`` and is hard-deleted at the end
through the ORM (items, their history rows, outcomes, links, comments), as are the sessions,
so the data set stays as it was. Leftovers of an interrupted run are removed at the start.

Errors: answers of 500 and above, connection errors and time-outs, and every answer other
than 2xx or 409 (a 4xx or a redirect to the login page is a failure of the client or the
server, not a conflict). The first lines of each error go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import random
import secrets
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    children,
    machine,
    memory_kib,
    production_server,
    setup_django,
    summary,
    write_json,
)

PREFIX = "bench-load"  # the title of everything this benchmark writes starts with it
SESSION_PREFIX = "benchload"  # the session keys this benchmark makes start with it
SEED = 20261125
TARGET_USERS = 50
TARGET_P95_MS = 300.0
ERROR_LINES = 25  # error lines printed per run; the rest are only counted
LARGE_PLAN = 1000  # tasks: a plan this big is "the large one", read only rarely

# The mix: name, kind and weight (percent of requests).
MIX: tuple[tuple[str, str, float], ...] = (
    ("cockpit", "read", 8),
    ("my_work", "read", 8),
    ("programme_register", "read", 8),
    ("portfolio_register", "read", 6),
    ("portfolio_heatmap", "read", 5),
    ("project_detail", "read", 8),
    ("schedule", "read", 5.5),
    ("schedule_large", "read", 0.5),
    ("cycle_report", "read", 5),
    ("search", "read", 6),
    ("api_risks", "read", 5),
    ("api_actions", "read", 5),
    ("create_action", "write", 8),
    ("update_action", "write", 8),
    ("create_risk", "write", 5),
    ("update_risk", "write", 5),
    ("add_outcome", "write", 4),
)
KIND_OF = {name: kind for name, kind, _weight in MIX}
KIND_OF["refetch_after_conflict"] = "write"

# Filters and sorts of the register lists (the query strings people bookmark).
PROGRAMME_LISTS = (
    ("risks", {"state": "open_items", "ordering": "-score"}),
    ("actions", {"state": "open_items", "ordering": "due"}),
    ("actions", {"owner": "me", "ordering": "due"}),
    ("issues", {"state": "open_items", "ordering": "-updated"}),
)
PORTFOLIO_LISTS = (
    ("risks", {"state": "open_items", "ordering": "-score"}),
    ("actions", {"overdue": "true", "ordering": "due"}),
    ("decisions", {"state": "open_items", "ordering": "-updated"}),
)


# The virtual users' plans -----------------------------------------------------------------


@dataclass
class Person:
    """One virtual user: who logs in, what they may read, where they write."""

    user_id: int
    username: str
    persona: str
    projects: list[int]
    schedules: list[int]
    large_schedule: int | None
    programmes: list[int]
    portfolios: list[int]
    cycles: list[int]
    write_project: int
    meeting: int | None
    agenda_item: int | None
    search_terms: list[str]
    session_key: str = ""
    csrf_token: str = ""


@dataclass
class Scale:
    """The risk scale's values (probability and impact)."""

    probability: list[int]
    impact: list[int]


def data_projects() -> list[int]:
    """Live, unarchived projects that hold both risks and actions (the ones with data)."""
    from schakel.portfolio.models import Project
    from schakel.registers.models import Action, Risk

    with_risks = set(Risk.objects.values_list("project_id", flat=True).distinct())
    with_actions = set(Action.objects.values_list("project_id", flat=True).distinct())
    live = Project.objects.filter(
        archived_at__isnull=True,
        programme__archived_at__isnull=True,
        programme__deleted_at__isnull=True,
    ).values_list("pk", flat=True)
    return sorted(pk for pk in live if pk in with_risks and pk in with_actions)


def choose_people(count: int, rng: random.Random, projects: list[int]) -> list[tuple[Any, str]]:
    """Pick ``count`` realistic people: the PMO officer, programme managers, project
    managers and members of projects with data; distinct while the demo has enough."""
    from schakel.accounts.models import Membership, Role, User

    live = User.objects.filter(is_active=True, is_superuser=False)

    def pool(**where: Any) -> list[int]:
        ids = sorted(set(Membership.objects.filter(**where).values_list("user_id", flat=True)))
        rng.shuffle(ids)
        return ids

    pools = {
        "pmo": pool(portfolio__isnull=False, role=Role.PMO),
        "programme manager": pool(programme__isnull=False, role=Role.MANAGER),
        "project manager": pool(project__in=projects, role=Role.MANAGER),
        "member": pool(project__in=projects, role=Role.MEMBER),
    }
    wanted = {"pmo": 1 if count >= 8 else 0}
    wanted["programme manager"] = max(1, round(count * 0.1)) if count >= 8 else 0
    wanted["project manager"] = max(1, round(count * 0.4))
    wanted["member"] = count - sum(wanted.values())
    active = set(live.values_list("pk", flat=True))
    chosen: list[tuple[int, str]] = []
    taken: set[int] = set()
    for persona, number in wanted.items():
        for pk in pools[persona]:
            if number <= 0:
                break
            if pk in taken or pk not in active:
                continue
            chosen.append((pk, persona))
            taken.add(pk)
            number -= 1
    # A small demo has fewer people than virtual users: people then log in more than once.
    everyone = list(chosen)
    while len(chosen) < count and everyone:
        chosen.append(everyone[len(chosen) % len(everyone)])
    users = User.objects.in_bulk([pk for pk, _persona in chosen])
    return [(users[pk], persona) for pk, persona in chosen]


def runnable_meeting(user: Any, project: Any) -> Any:
    """The first open meeting covering ``project`` that ``user`` may run, or None."""
    from django.db.models import Q

    from schakel.meetings import access as meeting_access
    from schakel.meetings.models import Meeting

    meetings = (
        Meeting.objects.filter(
            Q(project=project)
            | Q(programme_id=project.programme_id)
            | Q(portfolio_id=project.programme.portfolio_id)
        )
        .exclude(status__in=(Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED))
        .select_related("project__programme__portfolio", "programme__portfolio", "portfolio")
        .order_by("start", "pk")
    )
    return next((m for m in meetings[:50] if meeting_access.can_run(user, m)), None)


def plan_person(
    user: Any, persona: str, rng: random.Random, plans: dict[int, int], with_data: set[int]
) -> Person:
    """What one person reads (things they may see) and where they write (a project of
    theirs, and an open meeting there that they may run, if any)."""

    from schakel.meetings.models import AgendaItem
    from schakel.portfolio import access as portfolio_access
    from schakel.portfolio.models import Project
    from schakel.registers import access as register_access
    from schakel.reporting.access import visible_cycles

    visible = [
        pk
        for pk in portfolio_access.visible_projects(user).values_list("pk", flat=True)
        if pk in with_data
    ]
    rng.shuffle(visible)
    # Where the person works: a project they manage or are a member of, else one they may
    # contribute to (a programme manager's, the PMO's); one with an open meeting they may
    # run (chair, minute taker, manager), where they can capture outcomes, if there is one.
    own = list(
        user.memberships.filter(project__in=visible, role__in=("member", "manager"))
        .order_by("role", "project_id")  # "manager" sorts before "member"
        .values_list("project_id", flat=True)
    )
    write_project = meeting = None
    for pk in (own or visible)[:20]:
        project = Project.objects.select_related("programme__portfolio").get(pk=pk)
        if not register_access.can_contribute_to(user, project):
            continue
        write_project = write_project or project
        meeting = runnable_meeting(user, project)
        if meeting is not None:
            write_project = project
            break
    if write_project is None:
        raise RuntimeError(f"{user.username} may not write in any project with data")
    agenda_id = (
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
        .first()
        if meeting is not None
        else None
    )
    schedules = [pk for pk in visible if pk in plans and plans[pk] < LARGE_PLAN]
    large = [pk for pk in visible if plans.get(pk, 0) >= LARGE_PLAN]
    names = [
        *Project.objects.filter(pk__in=visible[:20]).values_list("name", flat=True),
        write_project.name,
    ]
    words = sorted(
        {w.strip(".,:;()").lower() for n in names for w in n.split() if len(w.strip(".,:;()")) > 3}
    )
    rng.shuffle(words)
    return Person(
        user_id=user.pk,
        username=user.username,
        persona=persona,
        projects=visible[:20] or [write_project.pk],
        schedules=schedules[:10],
        large_schedule=large[0] if large else None,
        programmes=list(portfolio_access.visible_programmes(user).values_list("pk", flat=True)),
        portfolios=list(portfolio_access.visible_portfolios(user).values_list("pk", flat=True)),
        cycles=list(visible_cycles(user).values_list("pk", flat=True)),
        write_project=write_project.pk,
        meeting=meeting.pk if meeting is not None else None,
        agenda_item=agenda_id,
        search_terms=words[:6] or ["project"],
    )


def plan_people(count: int, seed: int) -> list[Person]:
    """The plans of ``count`` virtual users (people picked and planned with ``seed``)."""
    from django.db.models import Count

    from schakel.planning.models import Task

    rng = random.Random(seed)
    plans = dict(
        Task.objects.values("project_id").annotate(n=Count("pk")).values_list("project_id", "n")
    )
    projects = data_projects()
    people = choose_people(count, rng, projects)
    return [plan_person(user, persona, rng, plans, set(projects)) for user, persona in people]


def risk_scale() -> Scale:
    from schakel.registers.models import RiskScaleLevel

    levels = list(RiskScaleLevel.objects.values_list("axis", "value"))
    probability = sorted(v for axis, v in levels if axis == "probability") or [1, 2, 3, 4, 5]
    impact = sorted(v for axis, v in levels if axis == "impact") or [1, 2, 3, 4, 5]
    return Scale(probability, impact)


# Sessions ---------------------------------------------------------------------------------


def open_sessions(people: list[Person]) -> None:
    """Log every person in: a session row made directly (with the auth hash) and a CSRF
    secret of our own for the cookie and the header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from schakel.accounts.models import User

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        raise RuntimeError(f"sessions in {settings.SESSION_ENGINE}: only the database is done")
    users = User.objects.in_bulk([p.user_id for p in people])
    alphabet = string.ascii_lowercase + string.digits
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = []
    for person in people:
        user = users[person.user_id]
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        # The key column holds 40 characters.
        person.session_key = SESSION_PREFIX + get_random_string(40 - len(SESSION_PREFIX), alphabet)
        person.csrf_token = get_random_string(32, string.ascii_letters + string.digits)
        encoded = SessionStore().encode(data)
        rows.append(
            Session(session_key=person.session_key, session_data=encoded, expire_date=expires)
        )
    Session.objects.bulk_create(rows)


def close_sessions() -> int:
    from django.contrib.sessions.models import Session

    deleted, _counts = Session.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    return deleted


# Clean-up ---------------------------------------------------------------------------------


def cleanup() -> dict[str, int]:
    """Hard-delete what the benchmark wrote: items titled ``bench-load…`` in every register
    (trashed or not), their history rows, the outcomes, links and comments pointing at
    them, and the benchmark's sessions. Returns the rows deleted per kind."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Q

    from schakel.meetings.models import Outcome
    from schakel.registers.models import REGISTER_MODELS, Comment, Link

    deleted: Counter[str] = Counter()
    with transaction.atomic():
        for model in REGISTER_MODELS:
            manager: Any = getattr(model, "all_objects", model._default_manager)
            ids = list(manager.filter(title__startswith=PREFIX).values_list("pk", flat=True))
            history: Any = model.history  # type: ignore[attr-defined]
            if ids:
                ct = ContentType.objects.get_for_model(model)
                deleted["outcomes"] += Outcome.objects.filter(
                    item_type=ct, item_id__in=ids
                ).delete()[0]
                deleted["links"] += Link.objects.filter(
                    Q(from_type=ct, from_id__in=ids) | Q(to_type=ct, to_id__in=ids)
                ).delete()[0]
                comments = Comment.objects.filter(item_type=ct, item_id__in=ids)
                comment_ids = list(comments.values_list("pk", flat=True))
                deleted["comments"] += comments.delete()[0]
                deleted["comments"] += Comment.history.filter(id__in=comment_ids).delete()[0]  # type: ignore[attr-defined]
                deleted[model._meta.model_name or ""] += manager.filter(pk__in=ids).delete()[0]
            # Also the rows written by the deletion just above (simple_history records it).
            deleted["history"] += history.filter(
                Q(id__in=ids) | Q(title__startswith=PREFIX)
            ).delete()[0]
    deleted["sessions"] = close_sessions()
    return {name: n for name, n in deleted.items() if n}


def leftovers() -> dict[str, int]:
    """What of the benchmark's writes is still in the database (all zero after a clean-up)."""
    from django.contrib.sessions.models import Session

    from schakel.registers.models import REGISTER_MODELS

    found = {"sessions": Session.objects.filter(session_key__startswith=SESSION_PREFIX).count()}
    for model in REGISTER_MODELS:
        manager: Any = getattr(model, "all_objects", model._default_manager)
        history: Any = model.history  # type: ignore[attr-defined]
        found[str(model._meta.model_name)] = manager.filter(title__startswith=PREFIX).count()
        found[f"{model._meta.model_name} history"] = history.filter(
            title__startswith=PREFIX
        ).count()
    return {name: n for name, n in found.items() if n}


# The HTTP client --------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str]


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened when the server has closed it."""

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()

    async def request(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes = b""
    ) -> Answer:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            reused = self.writer is not None
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.opened += 1
            assert self.reader is not None and self.writer is not None
            try:
                self.writer.write(message)
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("the server closed the connection")
            except (ConnectionError, OSError):
                await self.close()
                # A kept-alive connection the server had closed: nothing was answered, so
                # sending once more on a new one is safe.
                if reused and attempt == 1:
                    continue
                raise
            return await self._answer(method, status_line)
        raise AssertionError("unreachable")

    async def _answer(self, method: str, status_line: bytes) -> Answer:
        assert self.reader is not None
        reader = self.reader
        version, _sep, rest = status_line.decode("latin-1").partition(" ")
        status = int(rest.split(" ", 1)[0])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _colon, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        if method == "HEAD" or status in (204, 304) or status < 200:
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b"".join(parts)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close" or version == "HTTP/1.0":
            await self.close()
        return Answer(status, headers, body, cookies)


# Virtual users ----------------------------------------------------------------------------


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0: no answer (connection error, time-out)
    name: str
    size: int


@dataclass
class Shared:
    """What every virtual user of one run writes to."""

    measure_from: float
    deadline: float
    timeout: float
    samples: list[Sample] = field(default_factory=list)
    warmup_errors: int = 0
    connections: int = 0  # opened (gunicorn's sync workers close after every answer)
    sent: int = 0  # requests, the warm-up's included
    error_lines: int = 0


class VirtualUser:
    """One person on one connection, looping over the mix until the deadline."""

    def __init__(self, number: int, person: Person, host: str, port: int, scale: Scale, seed: int):
        from django.conf import settings

        self.number = number
        self.person = person
        self.scale = scale
        self.rng = random.Random(seed * 1000 + number)
        self.connection = Connection(host, port)
        self.origin = f"https://{host}:{port}"
        self.cookies = {
            settings.SESSION_COOKIE_NAME: person.session_key,
            settings.CSRF_COOKIE_NAME: person.csrf_token,
        }
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.actions: dict[int, int] = {}  # id → version of the actions this user made
        self.risks: dict[int, int] = {}
        self.made = 0
        names = [name for name, _kind, _weight in MIX]
        weights = [weight for _name, _kind, weight in MIX]
        self.names, self.weights = names, weights

    # Requests -----------------------------------------------------------------------

    def _headers(self, *, api: bool, write: bool) -> list[tuple[str, str]]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = [
            ("X-Forwarded-Proto", "https"),
            ("Accept", "application/json" if api else "text/html"),
            ("Accept-Language", "nl,en;q=0.8"),
            ("User-Agent", "schakel-bench-load"),
            ("Cookie", cookie),
        ]
        if write:
            headers += [
                ("Content-Type", "application/json"),
                ("X-CSRFToken", self.cookies[self.csrf_cookie]),
                ("Origin", self.origin),
                ("Referer", self.origin + "/"),
            ]
        return headers

    async def call(
        self, shared: Shared, name: str, method: str, target: str, payload: Any = None
    ) -> Answer | None:
        """Send one request, time it, record it (after the warm-up) and report errors."""
        api = target.startswith("/api/")
        write = method not in ("GET", "HEAD")
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = self._headers(api=api, write=write)
        started = time.perf_counter()
        shared.sent += 1
        answer: Answer | None = None
        problem = ""
        try:
            answer = await asyncio.wait_for(
                self.connection.request(method, target, headers, body), shared.timeout
            )
        except TimeoutError:
            problem = f"no answer within {shared.timeout:.0f} s"
            await self.connection.close()
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            await self.connection.close()
        seconds = time.perf_counter() - started
        status = answer.status if answer is not None else 0
        if answer is not None:
            for cookie in answer.cookies:
                key, _eq, value = cookie.split(";", 1)[0].partition("=")
                if key.strip() in self.cookies and value.strip():
                    self.cookies[key.strip()] = value.strip()
        if started >= shared.measure_from:
            size = len(answer.body) if answer is not None else 0
            shared.samples.append(Sample(started, seconds, status, name, size))
        if is_error(status):
            if started < shared.measure_from:
                shared.warmup_errors += 1
            if shared.error_lines < ERROR_LINES:
                shared.error_lines += 1
                shown = problem if answer is None else repr(answer.body[:200])
                print(
                    f"[load] user {self.number} ({self.person.username}) {name}: "
                    f"{status or 'no answer'} {method} {target}: {shown}",
                    file=sys.stderr,
                    flush=True,
                )
        return answer

    async def run(self, shared: Shared, think: float) -> None:
        # Spread the first requests over a moment, like people arriving.
        await asyncio.sleep(self.rng.random() * 0.5)
        while time.perf_counter() < shared.deadline:
            name = self.rng.choices(self.names, self.weights)[0]
            await self.step(shared, name)
            if think:
                await asyncio.sleep(self.rng.expovariate(1 / think))
        await self.connection.close()
        shared.connections += self.connection.opened

    async def step(self, shared: Shared, name: str) -> None:
        if KIND_OF[name] == "read":
            name, target = self.read_target(name)
            await self.call(shared, name, "GET", target)
        else:
            await self.write(shared, name)

    def read_target(self, name: str) -> tuple[str, str]:
        """The name (after fallbacks) and URL of one read of things the person may see."""
        p, rng = self.person, self.rng
        query: dict[str, Any]
        if name == "cockpit":
            return name, "/cockpit/"
        if name == "my_work":
            return name, "/my-work/"
        if name == "programme_register":
            slug, query = rng.choice(PROGRAMME_LISTS)
            pk = rng.choice(p.programmes)
            return name, f"/programmes/{pk}/registers/{slug}/?{urlencode(query)}"
        if name == "portfolio_register":
            slug, query = rng.choice(PORTFOLIO_LISTS)
            pk = rng.choice(p.portfolios)
            return name, f"/portfolios/{pk}/registers/{slug}/?{urlencode(query)}"
        if name == "portfolio_heatmap":
            return name, f"/portfolios/{rng.choice(p.portfolios)}/heatmap/"
        if name == "project_detail" or (name == "cycle_report" and not p.cycles):
            return "project_detail", f"/projects/{rng.choice(p.projects)}/"
        if name == "schedule_large" and p.large_schedule is not None:
            return name, f"/api/v1/schedules/{p.large_schedule}/"
        if name in ("schedule", "schedule_large"):
            return "schedule", f"/api/v1/schedules/{rng.choice(p.schedules or p.projects)}/"
        if name == "cycle_report":
            return name, f"/reporting-cycles/{rng.choice(p.cycles)}/report/"
        if name == "search":
            return name, f"/search/?{urlencode({'q': rng.choice(p.search_terms)})}"
        if name == "api_risks":
            if rng.random() < 0.5:
                query = {"project": rng.choice(p.projects), "state": "open_items"}
            else:
                query = {"programme": rng.choice(p.programmes), "score_min": 10}
            return name, f"/api/v1/risks/?{urlencode({**query, 'ordering': '-score'})}"
        if name == "api_actions":
            if rng.random() < 0.5:
                query = {"owner": "me", "state": "open_items"}
            else:
                query = {"project": rng.choice(p.projects), "overdue": "true"}
            return name, f"/api/v1/actions/?{urlencode({**query, 'ordering': 'due'})}"
        raise ValueError(name)

    # Writes -------------------------------------------------------------------------

    async def write(self, shared: Shared, name: str) -> None:
        """One write through the API in the person's project; an update of an item when the
        user has made none yet, or an outcome without a meeting to run, creates instead."""
        p, rng = self.person, self.rng
        changes: dict[str, Any]
        if name == "add_outcome" and p.meeting is not None:
            payload = {"kind": "action", "agenda_item": p.agenda_item, **self.action_fields()}
            target = f"/api/v1/meetings/{p.meeting}/outcomes/"
            self.remember(await self.call(shared, name, "POST", target, payload), self.actions)
        elif name in ("create_action", "add_outcome") or (
            name == "update_action" and not self.actions
        ):
            await self.create(shared, "create_action", "actions", self.action_fields())
        elif name == "create_risk" or (name == "update_risk" and not self.risks):
            await self.create(shared, "create_risk", "risks", self.risk_fields())
        elif name == "update_action":
            changes = {
                "status": rng.choice(("open", "in_progress")),
                "priority": rng.choice(("low", "medium", "high")),
                "due": self.due().isoformat(),
            }
            await self.update(shared, name, "actions", self.actions, changes)
        elif name == "update_risk":
            changes = {
                "probability": rng.choice(self.scale.probability),
                "impact": rng.choice(self.scale.impact),
            }
            await self.update(shared, name, "risks", self.risks, changes)
        else:
            raise ValueError(name)

    def due(self) -> datetime.date:
        return datetime.date.today() + datetime.timedelta(days=self.rng.randint(3, 60))

    def title(self, what: str) -> str:
        self.made += 1
        return f"{PREFIX} {what} {self.number}.{self.made}"

    def action_fields(self) -> dict[str, Any]:
        return {
            "project": self.person.write_project,
            "title": self.title("action"),
            "owner": self.person.user_id,
            "due": self.due().isoformat(),
            "priority": self.rng.choice(("low", "medium", "high")),
        }

    def risk_fields(self) -> dict[str, Any]:
        return {
            "project": self.person.write_project,
            "title": self.title("risk"),
            "owner": self.person.user_id,
            "probability": self.rng.choice(self.scale.probability),
            "impact": self.rng.choice(self.scale.impact),
            "cause": "Load test",
        }

    @staticmethod
    def remember(answer: Answer | None, store: dict[int, int]) -> None:
        if answer is not None and answer.status == 201:
            data = json.loads(answer.body)
            store[int(data["id"])] = int(data["version"])

    async def create(self, shared: Shared, name: str, register: str, payload: Any) -> None:
        answer = await self.call(shared, name, "POST", f"/api/v1/{register}/", payload)
        self.remember(answer, self.risks if register == "risks" else self.actions)

    async def update(
        self,
        shared: Shared,
        name: str,
        register: str,
        store: dict[int, int],
        changes: dict[str, Any],
    ) -> None:
        """PATCH one of this user's items from the version it last saw; after a 409, take
        the current version (from the answer, else by reading the item) and patch once more."""
        pk = self.rng.choice(sorted(store)[-20:])
        target = f"/api/v1/{register}/{pk}/"
        answer = await self.call(shared, name, "PATCH", target, {"version": store[pk], **changes})
        if answer is not None and answer.status == 409:
            current = (json.loads(answer.body) or {}).get("current") or {}
            version = current.get("version")
            if version is None:
                fresh = await self.call(shared, "refetch_after_conflict", "GET", target)
                if fresh is None or fresh.status != 200:
                    return
                version = json.loads(fresh.body)["version"]
            answer = await self.call(shared, name, "PATCH", target, {"version": version, **changes})
        if answer is not None and answer.status == 200:
            store[pk] = int(json.loads(answer.body)["version"])


def is_error(status: int) -> bool:
    """Anything but a 2xx or a 409 (a real conflict) is an error; 0 is no answer at all."""
    return not (200 <= status < 300 or status == 409)


# One run ----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled_workers(master: int, *, timeout: float = 20.0) -> int:
    """Wait until the master's workers are forked (their number stays the same for a second)."""
    deadline = time.monotonic() + timeout
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(children(master))
        if count != seen:
            seen, since = count, time.monotonic()
        elif count and time.monotonic() - since >= 1.0:
            break
        time.sleep(0.1)
    return seen


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


async def drive(
    people: list[Person],
    *,
    base_url: str,
    scale: Scale,
    seconds: float,
    warmup: float,
    timeout: float,
    think: float,
    seed: int,
) -> tuple[Shared, float]:
    """Run every virtual user until the deadline; the samples and the measured window."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    now = time.perf_counter()
    shared = Shared(measure_from=now + warmup, deadline=now + warmup + seconds, timeout=timeout)
    users = [
        VirtualUser(number, person, host, port, scale, seed)
        for number, person in enumerate(people, start=1)
    ]
    await asyncio.gather(*(user.run(shared, think) for user in users))
    return shared, seconds


def stats(samples: list[Sample]) -> dict[str, Any]:
    """Latency summary, errors and conflicts of some samples."""
    if not samples:
        return {"n": 0, "errors": 0, "conflicts": 0}
    result: dict[str, Any] = dict(summary([s.seconds for s in samples]))
    result["p50_ms"] = result["median_ms"]
    result["errors"] = sum(1 for s in samples if is_error(s.status))
    result["conflicts"] = sum(1 for s in samples if s.status == 409)
    result["mean_kib"] = round(sum(s.size for s in samples) / len(samples) / 1024, 1)
    return result


def measure(
    people: list[Person],
    *,
    master: int,
    base_url: str,
    scale: Scale,
    seconds: float,
    warmup: float,
    timeout: float,
    think: float,
    seed: int,
) -> dict[str, Any]:
    """One run: its requests, throughput, latencies, errors, CPU and worker memory."""
    load_before = [round(v, 2) for v in os.getloadavg()]
    workers_before = {pid: cpu_seconds(pid) for pid in children(master)}
    busy_before, total_before = machine_ticks()
    client_before = time.process_time()
    shared, window = asyncio.run(
        drive(
            people,
            base_url=base_url,
            scale=scale,
            seconds=seconds,
            warmup=warmup,
            timeout=timeout,
            think=think,
            seed=seed,
        )
    )
    client_cpu = time.process_time() - client_before
    busy_after, total_after = machine_ticks()
    workers = children(master)
    samples = shared.samples
    by_kind = {
        kind: stats([s for s in samples if KIND_OF[s.name] == kind]) for kind in ("read", "write")
    }
    names = sorted({s.name for s in samples}, key=lambda n: (KIND_OF[n], n))
    by_name = {name: stats([s for s in samples if s.name == name]) for name in names}
    for name in by_name:
        by_name[name]["kind"] = KIND_OF[name]
    overall = stats(samples)
    elapsed = warmup + seconds
    workers_cpu = sum(cpu_seconds(pid) - workers_before.get(pid, 0.0) for pid in workers)
    memory = [{"pid": pid, **memory_kib(pid)} for pid in workers]
    return {
        "users": len(people),
        "distinct_people": len({p.user_id for p in people}),
        "personas": dict(Counter(p.persona for p in people)),
        "with_meeting": sum(1 for p in people if p.meeting is not None),
        "seconds": window,
        "warmup_s": warmup,
        "think_s": think,
        "requests": len(samples),
        "throughput_rps": round(len(samples) / window, 1),
        "latency": overall,
        "errors": overall.get("errors", 0),
        "conflicts": overall.get("conflicts", 0),
        "warmup_errors": shared.warmup_errors,
        "connections_opened": shared.connections,
        "statuses": dict(sorted(Counter(str(s.status) for s in samples).items())),
        "by_kind": by_kind,
        "by_name": by_name,
        "load_average_before": load_before,
        "client_cpu_s": round(client_cpu, 2),
        "client_cpu_pct": round(100 * client_cpu / elapsed, 1),
        "workers_cpu_s": round(workers_cpu, 1),
        # What one request costs the web workers, whatever else runs on the machine.
        "workers_cpu_ms_per_request": round(1000 * workers_cpu / max(1, shared.sent), 1),
        "machine_busy_pct": round(
            100 * (busy_after - busy_before) / max(1, total_after - total_before), 1
        ),
        "workers_restarted": sorted(set(workers_before) - set(workers)),
        "worker_memory": memory,
        "master_memory": memory_kib(master),
        "peak_worker_rss_mib": round(max((m["peak_rss_kib"] for m in memory), default=0) / 1024, 1),
    }


# Output -----------------------------------------------------------------------------------


def _ms(values: dict[str, Any], key: str) -> str:
    return f"{values[key]:.0f}" if key in values else "-"


def print_run(run: dict[str, Any]) -> None:
    mib = [f"{m['peak_rss_kib'] / 1024:.0f}" for m in run["worker_memory"]]
    now = [f"{m['rss_kib'] / 1024:.0f}" for m in run["worker_memory"]]
    print(
        f"\n== {run['users']} users ({run['distinct_people']} people: "
        + ", ".join(f"{n} {k}" for k, n in run["personas"].items())
        + f"), {run['seconds']:.0f} s after {run['warmup_s']:.0f} s warm-up"
    )
    print(
        f"   {run['requests']} requests, {run['throughput_rps']} req/s, "
        f"errors {run['errors']}, conflicts (409) {run['conflicts']}, "
        f"warm-up errors {run['warmup_errors']}, statuses {run['statuses']}, "
        f"connections opened {run['connections_opened']} (with the warm-up)"
    )
    print(
        f"   CPU: client {run['client_cpu_s']} s ({run['client_cpu_pct']} % of one core), "
        f"workers {run['workers_cpu_s']} s ({run['workers_cpu_ms_per_request']} ms a request), "
        f"machine busy {run['machine_busy_pct']} % "
        f"(load average before: {' '.join(map(str, run['load_average_before']))})"
    )
    print(
        f"   workers' memory MiB, peak since start: {' '.join(mib)}; now: {' '.join(now)}"
        + (f"; restarted: {run['workers_restarted']}" if run["workers_restarted"] else "")
    )
    print(
        f"   {'request':<24} {'kind':<5} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'max':>7} {'err':>4} {'409':>4} {'KiB':>7}"
    )
    rows = [*run["by_name"].items(), *run["by_kind"].items(), ("all", run["latency"])]
    for name, values in rows:
        if name in ("read", "write", "all"):
            kind = ""
            name = f"— {name}"
        else:
            kind = values.get("kind", "")
        print(
            f"   {name:<24} {kind:<5} {values['n']:>6} {_ms(values, 'p50_ms'):>7} "
            f"{_ms(values, 'p95_ms'):>7} {_ms(values, 'p99_ms'):>7} {_ms(values, 'max_ms'):>7} "
            f"{values['errors']:>4} {values['conflicts']:>4} {values.get('mean_kib', 0):>7}"
        )


def print_overview(runs: list[dict[str, Any]]) -> None:
    print(
        f"\n{'users':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'409':>4} {'worker peak MiB':>15} {'CPU ms/req':>10} {'client CPU':>10}"
    )
    for run in runs:
        lat = run["latency"]
        print(
            f"{run['users']:>5} {run['throughput_rps']:>7} {_ms(lat, 'p50_ms'):>7} "
            f"{_ms(lat, 'p95_ms'):>7} {_ms(lat, 'p99_ms'):>7} {run['errors']:>6} "
            f"{run['conflicts']:>4} {run['peak_worker_rss_mib']:>15} "
            f"{run['workers_cpu_ms_per_request']:>10} {run['client_cpu_pct']:>9}%"
        )


# Main -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: the environment's DATABASE_URL")
    parser.add_argument("--users", default="1,8,50", help="concurrent users per run (1,8,50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between requests")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: gunicorn's)")
    parser.add_argument("--threads", type=int, help="WEB_THREADS (default: sync workers)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--server-log", type=Path, help="gunicorn's log (default: a temp file)")
    parser.add_argument("--label", default="", help="name of this data set (S, M, L)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.users.split(",") if n.strip()]
    # Sessions are signed and carry a hash keyed by SECRET_KEY: the server (which inherits
    # the environment) and this process must share it.
    if not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = "bench-load-" + secrets.token_urlsafe(48)
    setup_django(args.database_url)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("warning: DATABASE_URL is not PostgreSQL", file=sys.stderr)

    from django.db import connections

    left = cleanup()
    if left:
        print(f"removed leftovers of an earlier run: {left}", file=sys.stderr)
    scale = risk_scale()
    env = {"WEB_THREADS": str(args.threads)} if args.threads else {}
    log = args.server_log or Path(tempfile.gettempdir()) / f"bench-load-{os.getpid()}.log"
    print(f"server log: {log}", flush=True)
    runs: list[dict[str, Any]] = []
    removed: dict[str, int] = {}
    try:
        with production_server(env=env, workers=args.workers, log=log) as (base_url, server):
            workers = settled_workers(server.pid)
            print(f"schakel serve at {base_url}: {workers} workers", flush=True)
            for count in counts:
                people = plan_people(count, args.seed + count)
                open_sessions(people)
                connections.close_all()  # nothing of ours holds a connection during the run
                run = measure(
                    people,
                    master=server.pid,
                    base_url=base_url,
                    scale=scale,
                    seconds=args.seconds,
                    warmup=args.warmup,
                    timeout=args.timeout,
                    think=args.think,
                    seed=args.seed,
                )
                close_sessions()
                runs.append(run)
                print_run(run)
    finally:
        removed = cleanup()
        print(f"\nclean-up: removed {removed}; left behind: {leftovers() or 'nothing'}")
    print_overview(runs)
    target = next((r for r in runs if r["users"] == TARGET_USERS), None)
    met = None
    if target is not None:
        met = target["errors"] == 0 and target["latency"].get("p95_ms", 1e9) < TARGET_P95_MS
        print(
            f"\ntarget ({TARGET_USERS} users: 0 errors, p95 < {TARGET_P95_MS:.0f} ms): "
            + ("met" if met else "NOT met")
        )
    write_json(
        args.json,
        {
            "machine": machine(),
            "label": args.label,
            "config": {
                "users": counts,
                "seconds": args.seconds,
                "warmup_s": args.warmup,
                "think_s": args.think,
                "workers": args.workers or "default",
                "threads": args.threads or 1,
                "seed": args.seed,
                "mix": [{"name": n, "kind": k, "weight": w} for n, k, w in MIX],
            },
            "runs": runs,
            "cleanup": removed,
            "target": {"users": TARGET_USERS, "p95_ms": TARGET_P95_MS, "met": met},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
