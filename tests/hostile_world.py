"""Hostile payloads, and a small organisation whose every user-writable text holds them.

`tests/test_hostile_sinks.py` renders every sink (pages, API, e-mails, exports, calendars)
from this world and reads each one back with the library that parses that format.

Every text field gets the payloads joined one after another, starting at a different one
per field, so each field starts with a different attack (formula triggers included) and
every long field carries all of them; short fields are cut to their column's length at a
payload's end. The very long string goes into the long Markdown fields.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

PAYLOADS: dict[str, str] = {
    "formula_equals": '=HYPERLINK("http://evil.example","x")',
    "script": "<script>alert(1)</script>",
    "img_onerror": "<img src=x onerror=alert(1)>",
    "formula_plus": "+SUM(1,1)",
    "attribute_break": '"><svg onload=alert(1)>',
    "formula_minus": "-2+3",
    "markdown_js_link": "[x](javascript:alert(1))",
    "formula_at": "@cmd",
    "header_injection": "a\r\nBCC: x@evil.example",
    "template": "{{ 7*7 }}",
    "ical_injection": "x\r\nATTENDEE:mailto:evil@example.org",
    "mixed": "Ünïcødé ‘quotes’ & <b>bold</b> 'single' \"double\" \\back\\slash; ;,: tab\there",
    "rtl_override": "invoice\u202egpj.exe",
}
LONG = "Lorem ipsum <i>dolor</i> sit amet & consectetur. " * 400  # 20,000 characters

_ORDER = list(PAYLOADS.values())
_counter = {"n": 0}


def hostile(limit: int | None = None, *, long: bool = False) -> str:
    """The next hostile value: every payload, starting at the next one, cut to `limit`."""
    start = _counter["n"] % len(_ORDER)
    _counter["n"] += 1
    parts = _ORDER[start:] + _ORDER[:start]
    if long:
        parts = [*parts, LONG]
    text = parts[0]
    for part in parts[1:]:
        longer = f"{text} {part}"
        if limit is not None and len(longer) > limit:
            break
        text = longer
    return text[:limit] if limit is not None else text


def hostile_fields(model: type[models.Model], *names: str, long: str = "") -> dict[str, str]:
    """Hostile values for the named text fields of `model`, each within its max_length."""
    values = {}
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        values[name] = hostile(limit, long=name == long)
    return values


@dataclass
class World:
    """What the sinks show: the objects, and the stored hostile values they show."""

    org: Any
    pmo: Any
    manager: Any
    member: Any
    items: dict[str, Any] = field(default_factory=dict)
    comment: Any = None
    meeting: Any = None
    minutes: Any = None
    cycle: Any = None
    report: Any = None
    note: Any = None
    tasks: list[Any] = field(default_factory=list)


def _rename_people(*users: Any) -> None:
    from schakel.accounts.models import User

    for user in users:
        for name, value in hostile_fields(User, "first_name", "last_name").items():
            setattr(user, name, value)
        user.save()


def _rename_org(org: Any, by: Any) -> None:
    from schakel.portfolio.models import Portfolio, Programme, Project, Theme

    for obj, model in (
        (org.portfolio, Portfolio),
        (org.programme, Programme),
        (org.theme, Theme),
        (org.project, Project),
        (org.sibling, Project),
    ):
        for name, value in hostile_fields(model, "name", "description").items():
            setattr(obj, name, value)
        obj._history_user = by
        obj.save()


def _register_items(world: World) -> None:
    from schakel.registers import services
    from schakel.registers.models import Action, Assumption, Decision, Dependency, Issue, Risk

    org, by = world.org, world.manager
    soon = timezone.localdate() + datetime.timedelta(days=2)
    specs: list[tuple[str, Any, dict[str, Any], tuple[str, ...]]] = [
        ("risk", Risk, {"probability": 4, "impact": 5, "owner": world.member, "review_date": soon},
         ("title", "description", "cause", "event", "effect", "response_plan")),
        ("issue", Issue, {"owner": world.member, "due": soon},
         ("title", "description", "resolution")),
        ("assumption", Assumption, {"owner": world.member},
         ("title", "description", "consequence")),
        ("dependency", Dependency, {"other_project": org.sibling, "owner": world.member},
         ("title", "description", "milestone", "other_milestone")),
        ("decision", Decision, {"owner": world.member},
         ("title", "description", "rationale", "options", "impact", "forum")),
        ("action", Action, {"owner": world.member, "due": soon}, ("title", "description")),
    ]  # fmt: skip
    for kind, model, extra, texts in specs:
        usable = {k: v for k, v in extra.items() if _has_field(model, k)}
        values = hostile_fields(model, *texts, long="description")
        world.items[kind] = services.item_create(
            model=model, scope=org.project, by=by, **usable, **values
        )
    risk = world.items["risk"]
    from schakel.registers import access

    world.comment = services.comment_add(
        item=risk, body=hostile(long=True), by=world.member, mention_pool=access.mention_pool(risk)
    )


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _meeting(world: World) -> None:
    from schakel.meetings import minutes, services
    from schakel.meetings.models import AgendaItem, Attendance, Meeting
    from schakel.registers.models import Action, Decision

    org, manager = world.org, world.manager
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    meeting = services.meeting_create(
        scope=org.project,
        by=manager,
        kind="project_team",
        start=start,
        end=start + datetime.timedelta(hours=1),
        invitees=[world.member],
        chair=manager,
        minute_taker=manager,
        agenda=[
            {"minutes": 20, **hostile_fields(AgendaItem, "title", "description")},
            {"minutes": 10, **hostile_fields(AgendaItem, "title", "description")},
        ],
        **hostile_fields(Meeting, "title", "location"),
    )
    services.meeting_start(meeting=meeting, by=manager)
    for item in meeting.agenda.order_by("position"):
        services.agenda_item_update(
            item=item, version=item.version, by=manager, notes=hostile(long=True)
        )
    first = meeting.agenda.order_by("position").first()
    services.attendance_set(
        attendance=meeting.attendance.get(user=world.member),
        status=Attendance.Status.PRESENT,
        by=manager,
    )
    guest = hostile_fields(Attendance, "name")
    services.attendance_add_guest(meeting=meeting, email="guest@example.org", by=manager, **guest)
    for kind, model in (("action", Action), ("decision", Decision)):
        services.outcome_capture(
            meeting=meeting,
            agenda_item=first,
            kind=kind,
            scope=org.project,
            by=manager,
            owner=world.member,
            **hostile_fields(model, "title", "description"),
        )
    meeting.refresh_from_db()
    meeting = services.meeting_update(
        meeting=meeting, version=meeting.version, by=manager, summary=hostile(long=True)
    )
    meeting = services.meeting_end(meeting=meeting, by=manager)
    world.minutes = minutes.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    meeting.refresh_from_db()
    world.meeting = meeting


def _report(world: World) -> None:
    from schakel.reporting import services
    from schakel.reporting.models import ReportingCycle, StatusReport

    org, pmo, manager = world.org, world.pmo, world.manager
    cycle = services.cycle_create(
        scope=org.programme,
        by=pmo,
        frequency="monthly",
        anchor=timezone.localdate(),
        **hostile_fields(ReportingCycle, "name"),
    )
    period = services.reporting_period(cycle)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=manager)
    texts = hostile_fields(
        StatusReport,
        "overall_reason",
        "summary",
        "achievements",
        "next_period",
        "tolerances",
        "change_requests",
        "escalations",
        long="summary",
    )
    ratings = {key: ("amber", hostile()) for key in cycle.dimension_keys}
    report = services.report_update(
        report=report,
        version=report.version,
        by=manager,
        overall="amber",
        milestones=[{"title": hostile(200), "forecast": timezone.localdate().isoformat()}],
        ratings=ratings,
        **texts,
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    world.note = services.key_messages_save(
        cycle=cycle, period_end=period.end, text=hostile(), version=0, by=pmo
    )
    world.cycle, world.report = cycle, report


def _plan(world: World) -> None:
    from schakel.planning import services
    from schakel.planning.models import ProjectPlan, Task

    project = world.org.project
    ProjectPlan.objects.get_or_create(
        project=project, defaults={"start": timezone.localdate() - datetime.timedelta(days=3)}
    )
    first = services.task_create(
        project=project, by=world.manager, duration=3, **hostile_fields(Task, "name", "notes")
    )
    second = services.task_create(
        project=project, by=world.manager, duration=2, **hostile_fields(Task, "name", "notes")
    )
    milestone = services.task_create(
        project=project,
        by=world.manager,
        milestone=True,
        duration=0,
        **hostile_fields(Task, "name"),
    )
    services.link_create(predecessor=first, successor=second, by=world.manager)
    world.tasks = [first, second, milestone]


def build_world(org: Any, pmo: Any, manager: Any, member: Any) -> World:
    """Fill every user-writable text of `org` and its people with hostile values."""
    _counter["n"] = 0
    world = World(org=org, pmo=pmo, manager=manager, member=member)
    _rename_people(pmo, manager, member)
    _rename_org(org, pmo)
    _register_items(world)
    _meeting(world)
    _report(world)
    _plan(world)
    return world
