"""Every operation of the OpenAPI schema, every persona: the expected answer, declared once.

`OPS` maps each operationId of the schema (`/api/v1/schema/`) to the object it is tried on,
the body it is sent with and the status each persona gets. Bodies are valid, so that the
status says who may, not whether the body was right: a manager gets 200/201/204, a viewer
403, an outsider 404 (400 when the hidden object is a foreign key in a create's body), an
anonymous caller 401. Objects live in project ODI of the `org` fixture (see `objects.py`),
where `viewer` and `member` hold their roles; `manager` manages its programme.

`tests/test_api_operation_matrix.py` runs the table; it fails when the schema has an
operation this table lacks or the table names one the schema no longer has.

Columns: anonymous, outsider, viewer, member, manager, pmo, admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.routes import objects, planning_api, reporting_api, reporting_pages
from tests.routes.meetings_api import event_kwargs, published_meeting
from tests.test_route_matrix import (
    _register_item,
    foreign_token,
    membership,
    none,
    portfolio,
    programme,
    project,
    theme,
    user,
)

Expect = tuple[int, int, int, int, int, int, int]
Maker = Callable[[Any], dict[str, Any]]


@dataclass
class Op:
    """One operation: URL arguments, expected statuses, and (for writes) body and query."""

    kwargs: Maker
    expect: Expect
    body: Maker | None = None
    query: Maker | None = None
    # Which personas' requests may change data; by default those answered with 2xx.
    changes: tuple[bool, bool, bool, bool, bool, bool, bool] | None = None
    fmt: str = "json"


EVERYONE = (401, 200, 200, 200, 200, 200, 200)
SEE = (401, 404, 200, 200, 200, 200, 200)
OWNER_ONLY = (401, 404, 404, 200, 404, 404, 404)  # the member's own export
NOBODY = (401, 404, 404, 404, 404, 404, 404)  # another person's API token


def contribute(code: int) -> Expect:
    """Members of the project and above (viewers may only read)."""
    return (401, 404, 403, code, code, code, code)


def manage(code: int) -> Expect:
    """The programme's manager and above."""
    return (401, 404, 403, 403, code, code, code)


def pmo(code: int) -> Expect:
    """The PMO of the portfolio and the site administrator."""
    return (401, 404, 403, 403, 403, code, code)


def create(expect: Expect) -> Expect:
    """A create names its scope in the body: to an outsider it reads as missing (400)."""
    return (expect[0], 400, *expect[2:])  # type: ignore[return-value]


# Helpers ------------------------------------------------------------------------------


def _person(name: str) -> Any:
    from schakel.accounts.models import User

    return User.objects.get(username=name)


def _version(model: Any, pk: int) -> int:
    return int(model._base_manager.filter(pk=pk).values_list("version", flat=True).get())


def _pk(maker: Maker) -> Callable[[Any], int]:
    return lambda ctx: int(maker(ctx)["pk"])


def _made(ctx: Any) -> dict[str, Any]:
    return ctx.__dict__.setdefault("api_ops_objects", {})


def _once(ctx: Any, key: str, make: Callable[[], Any]) -> Any:
    made = _made(ctx)
    if key not in made:
        made[key] = make()
    return made[key]


def nothing(ctx: Any) -> dict[str, Any]:
    return {}


# The registers ------------------------------------------------------------------------

REGISTERS = {
    "actions": "action",
    "assumptions": "assumption",
    "decisions": "decision",
    "dependencies": "dependency",
    "issues": "issue",
    "risks": "risk",
}


def _required(kind: str, ctx: Any) -> dict[str, Any]:
    """The fields a register needs besides a title."""
    if kind == "risk":
        return {"probability": 3, "impact": 2}
    if kind == "dependency":
        return {"other_project": ctx.org.sibling.pk}
    return {}


def _other_kind(kind: str) -> str:
    return "risk" if kind == "action" else "action"


def _item_version(kind: str, ctx: Any) -> int:
    item = _register_item(ctx, kind)
    return _version(type(item), item.pk)


def _item(kind: str) -> Maker:
    def kwargs(ctx: Any) -> dict[str, Any]:
        return {"pk": _register_item(ctx, kind).pk}

    return kwargs


def _linked_item(kind: str) -> Maker:
    """The item, linked to an item of another register (for removing the link)."""

    def kwargs(ctx: Any) -> dict[str, Any]:
        from schakel.registers import services

        item = _register_item(ctx, kind)
        other = _register_item(ctx, _other_kind(kind))
        _once(ctx, f"link-{kind}", lambda: services.link_add(a=item, b=other, by=None))
        return {"pk": item.pk}

    return kwargs


def register_ops(slug: str, kind: str) -> dict[str, Op]:
    """The operations of one register: its items, their comments and links, bulk changes."""
    name = slug.replace("-", "_")
    item = _item(kind)

    def new(ctx: Any) -> dict[str, Any]:
        return {"title": "New item", "project": ctx.org.project.pk, **_required(kind, ctx)}

    def whole(ctx: Any) -> dict[str, Any]:
        version = _item_version(kind, ctx)
        return {"title": "Renamed", "version": version, **_required(kind, ctx)}

    def rename(ctx: Any) -> dict[str, Any]:
        return {"title": "Renamed", "version": _item_version(kind, ctx)}

    def other(ctx: Any) -> dict[str, Any]:
        target = _other_kind(kind)
        return {"kind": target, "id": _register_item(ctx, target).pk}

    def bulk(ctx: Any) -> dict[str, Any]:
        item = _register_item(ctx, kind)
        return {"ids": [item.pk], "status": type(item).Status.values[1]}

    ops = {
        f"{name}_list": Op(none, EVERYONE),
        f"{name}_create": Op(none, create(contribute(201)), new),
        f"{name}_retrieve": Op(item, SEE),
        f"{name}_update": Op(item, contribute(200), whole),
        f"{name}_partial_update": Op(item, contribute(200), rename),
        f"{name}_destroy": Op(item, manage(204)),
        f"{name}_comments_list": Op(item, SEE),
        f"{name}_comments_create": Op(item, contribute(201), lambda ctx: {"body": "Noted."}),
        f"{name}_links_list": Op(item, SEE),
        f"{name}_links_create": Op(item, contribute(201), other),
        f"{name}_links_destroy": Op(_linked_item(kind), contribute(204), query=other),
        # Bulk answers 200 with what it refused; only members and above change anything.
        f"{name}_bulk_create": Op(
            none,
            EVERYONE,
            bulk,
            changes=(False, False, False, True, True, True, True),
        ),
    }
    if kind == "dependency":
        # The other project (POL) is one viewer and member cannot see: it reads as missing.
        ops[f"{name}_create"].expect = (401, 400, 400, 400, 201, 201, 201)
    transition = {"risk": "occurred", "assumption": "invalidate"}.get(kind)
    if transition:
        ops[f"{name}_{transition}_create"] = Op(
            item, contribute(201), lambda ctx: {"version": _item_version(kind, ctx)}
        )
    return ops


# Accounts and the portfolio tree ----------------------------------------------------------


def _tree_version(model_name: str, maker: Maker) -> Callable[[Any], int]:
    def version(ctx: Any) -> int:
        from schakel.accounts.models import Membership
        from schakel.portfolio import models

        model = Membership if model_name == "Membership" else getattr(models, model_name)
        return _version(model, maker(ctx)["pk"])

    return version


portfolio_version = _tree_version("Portfolio", portfolio)
programme_version = _tree_version("Programme", programme)
theme_version = _tree_version("Theme", theme)
project_version = _tree_version("Project", project)
membership_version = _tree_version("Membership", membership)


def archived_programme(ctx: Any) -> dict[str, Any]:
    from schakel.portfolio import services

    def make() -> Any:
        return services.programme_archive(
            programme=ctx.org.programme, archived=True, by=_person("admin")
        )

    _once(ctx, "archived-programme", make)
    return programme(ctx)


def archived_project(ctx: Any) -> dict[str, Any]:
    from schakel.portfolio import services

    def make() -> Any:
        return services.project_archive(project=ctx.org.project, archived=True, by=None)

    _once(ctx, "archived-project", make)
    return project(ctx)


ACCOUNT_OPS = {
    "users_list": Op(none, EVERYONE),
    "users_retrieve": Op(user, SEE),
    "users_me_retrieve": Op(none, EVERYONE),
    "users_me_partial_update": Op(none, EVERYONE, lambda ctx: {"first_name": "Renamed"}),
    "tokens_list": Op(none, EVERYONE),
    "tokens_create": Op(none, (401, 201, 201, 201, 201, 201, 201), lambda ctx: {"name": "CI"}),
    # Another person's token: nobody else sees it, whatever their role.
    "tokens_retrieve": Op(foreign_token, NOBODY),
    "tokens_destroy": Op(foreign_token, NOBODY),
    "tokens_revoke_create": Op(foreign_token, NOBODY),
}

TREE_OPS = {
    "portfolios_list": Op(none, EVERYONE),
    "portfolios_create": Op(
        none, (401, 403, 403, 403, 403, 403, 201), lambda ctx: {"name": "Second portfolio"}
    ),
    "portfolios_retrieve": Op(portfolio, SEE),
    "portfolios_update": Op(
        portfolio,
        pmo(200),
        lambda ctx: {"name": "Renamed", "version": portfolio_version(ctx)},
    ),
    "portfolios_partial_update": Op(
        portfolio,
        pmo(200),
        lambda ctx: {"description": "All change", "version": portfolio_version(ctx)},
    ),
    "portfolios_destroy": Op(portfolio, pmo(204)),
    "programmes_list": Op(none, EVERYONE),
    "programmes_create": Op(
        none,
        create(pmo(201)),
        lambda ctx: {"portfolio": ctx.org.portfolio.pk, "name": "Third programme"},
    ),
    "programmes_retrieve": Op(programme, SEE),
    "programmes_update": Op(
        programme,
        manage(200),
        lambda ctx: {"name": "Renamed", "version": programme_version(ctx)},
    ),
    "programmes_partial_update": Op(
        programme,
        manage(200),
        lambda ctx: {"state": "on_hold", "version": programme_version(ctx)},
    ),
    "programmes_destroy": Op(programme, pmo(204)),
    "programmes_archive_create": Op(programme, manage(200)),
    "programmes_unarchive_create": Op(archived_programme, manage(200)),
    "themes_list": Op(none, EVERYONE),
    "themes_create": Op(
        none,
        create(manage(201)),
        lambda ctx: {"programme": ctx.org.programme.pk, "name": "Quick wins"},
    ),
    "themes_retrieve": Op(theme, SEE),
    "themes_update": Op(
        theme, manage(200), lambda ctx: {"name": "Renamed", "version": theme_version(ctx)}
    ),
    "themes_partial_update": Op(
        theme, manage(200), lambda ctx: {"name": "Renamed", "version": theme_version(ctx)}
    ),
    "themes_destroy": Op(theme, pmo(204)),
    "projects_list": Op(none, EVERYONE),
    "projects_create": Op(
        none,
        create(manage(201)),
        lambda ctx: {"key": "NEW", "name": "New project", "programme": ctx.org.programme.pk},
    ),
    "projects_retrieve": Op(project, SEE),
    "projects_update": Op(
        project,
        manage(200),
        lambda ctx: {"key": "ODI", "name": "Renamed", "version": project_version(ctx)},
    ),
    "projects_partial_update": Op(
        project, manage(200), lambda ctx: {"name": "Renamed", "version": project_version(ctx)}
    ),
    "projects_destroy": Op(project, pmo(204)),
    "projects_archive_create": Op(project, manage(200)),
    "projects_unarchive_create": Op(archived_project, manage(200)),
    "projects_move_create": Op(
        project,
        pmo(200),
        lambda ctx: {"programme": ctx.org.other_programme.pk, "version": project_version(ctx)},
    ),
    "memberships_list": Op(none, EVERYONE),
    "memberships_create": Op(
        none,
        create(manage(201)),
        lambda ctx: {"user": _person("pmo").pk, "role": "viewer", "project": ctx.org.project.pk},
    ),
    "memberships_retrieve": Op(membership, SEE),
    "memberships_update": Op(
        membership,
        manage(200),
        lambda ctx: {"role": "viewer", "version": membership_version(ctx)},
    ),
    "memberships_partial_update": Op(
        membership,
        manage(200),
        lambda ctx: {"role": "viewer", "version": membership_version(ctx)},
    ),
    "memberships_destroy": Op(membership, manage(204)),
}


# Meetings -----------------------------------------------------------------------------


def _meeting_version(ctx: Any, meeting: Any) -> int:
    from schakel.meetings.models import Meeting

    return _version(Meeting, meeting.pk)


def started_meeting(ctx: Any) -> Any:
    """A project-team meeting of ODI under way (for moving through its agenda)."""
    from schakel.meetings import services

    def make() -> Any:
        start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
        meeting = services.meeting_create(
            scope=ctx.org.project,
            by=objects._admin(ctx),
            kind="project_team",
            title="Project team under way",
            start=start,
            end=start + datetime.timedelta(hours=1),
            invitees=[ctx.member],
            agenda=[{"title": "Progress", "minutes": 20}],
        )
        return services.meeting_start(meeting=meeting, by=objects._admin(ctx))

    return _once(ctx, "started-meeting", make)


def ended_meeting(ctx: Any) -> Any:
    """A meeting of ODI that ended, its minutes not yet published."""
    from schakel.meetings import services

    def make() -> Any:
        start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
        meeting = services.meeting_create(
            scope=ctx.org.project,
            by=objects._admin(ctx),
            kind="project_team",
            title="Project team yesterday",
            start=start,
            end=start + datetime.timedelta(hours=1),
            agenda=[{"title": "Progress", "minutes": 20}],
        )
        meeting = services.meeting_start(meeting=meeting, by=objects._admin(ctx))
        return services.meeting_end(meeting=meeting, by=objects._admin(ctx))

    return _once(ctx, "ended-meeting", make)


def started_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": started_meeting(ctx).pk}


def ended_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": ended_meeting(ctx).pk}


def _series_version(ctx: Any) -> int:
    from schakel.meetings.models import MeetingSeries

    return _version(MeetingSeries, objects.series(ctx).pk)


def _agenda_version(ctx: Any) -> int:
    from schakel.meetings.models import AgendaItem

    return _version(AgendaItem, objects.agenda_item_kwargs(ctx)["pk"])


def _soon() -> tuple[str, str]:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    return start.isoformat(), (start + datetime.timedelta(hours=1)).isoformat()


def new_meeting(ctx: Any) -> dict[str, Any]:
    start, end = _soon()
    return {
        "project": ctx.org.project.pk,
        "kind": "project_team",
        "title": "Extra meeting",
        "start": start,
        "end": end,
    }


def whole_meeting(ctx: Any) -> dict[str, Any]:
    start, end = _soon()
    meeting = objects.meeting(ctx)
    return {"start": start, "end": end, "version": _meeting_version(ctx, meeting)}


def action_review(ctx: Any) -> dict[str, Any]:
    action = _register_item(ctx, "action")
    return {"action": action.pk, "version": _item_version("action", ctx), "status": "done"}


def goto(ctx: Any) -> dict[str, Any]:
    return {"agenda_item": started_meeting(ctx).agenda.get().pk}


def reorder(ctx: Any) -> dict[str, Any]:
    meeting = objects.meeting(ctx)
    return {"order": list(meeting.agenda.order_by("-position").values_list("pk", flat=True))}


def capture(ctx: Any) -> dict[str, Any]:
    return {"kind": "action", "title": "Send the minutes", "project": ctx.org.project.pk}


def published_version(ctx: Any) -> dict[str, Any]:
    from schakel.meetings.models import Meeting

    return {"version": _version(Meeting, published_meeting(ctx)["pk"])}


def linked_agenda_item(ctx: Any) -> dict[str, Any]:
    """The first agenda item of the meeting, linked to the risk of ODI."""
    from schakel.meetings import services
    from schakel.meetings.models import AgendaItem

    kwargs = objects.agenda_item_kwargs(ctx)
    item = AgendaItem.objects.get(pk=kwargs["pk"])
    risk = _register_item(ctx, "risk")
    _once(ctx, "agenda-link", lambda: services.agenda_link(item=item, target=risk, by=None))
    return kwargs


def risk_pointer(ctx: Any) -> dict[str, Any]:
    return {"kind": "risk", "id": _register_item(ctx, "risk").pk}


def registered_session(ctx: Any) -> dict[str, Any]:
    """The workshop session with the member registered (so giving a place back works)."""
    from schakel.meetings import services

    kwargs = objects.session_kwargs(ctx)
    session = objects._made(ctx)["session"]
    _once(
        ctx,
        "registration",
        lambda: services.session_register(session=session, user=ctx.member, by=ctx.member),
    )
    return kwargs


MEETING_OPS = {
    "meeting_series_list": Op(none, EVERYONE),
    "meeting_series_create": Op(
        none,
        create(manage(201)),
        lambda ctx: {
            "project": ctx.org.project.pk,
            "kind": "steering_committee",
            "title": "Another committee",
            "first_date": timezone.localdate().isoformat(),
        },
    ),
    "meeting_series_retrieve": Op(objects.series_kwargs, SEE),
    "meeting_series_update": Op(
        objects.series_kwargs,
        manage(200),
        lambda ctx: {
            "kind": "steering_committee",
            "title": "Renamed",
            "first_date": timezone.localdate().isoformat(),
            "version": _series_version(ctx),
        },
    ),
    "meeting_series_partial_update": Op(
        objects.series_kwargs,
        manage(200),
        lambda ctx: {"title": "Renamed", "version": _series_version(ctx)},
    ),
    "meeting_series_destroy": Op(objects.series_kwargs, manage(204)),
    "meeting_series_plan_create": Op(objects.series_kwargs, manage(201), lambda ctx: {"count": 1}),
    "meetings_list": Op(none, EVERYONE),
    "meetings_create": Op(none, create(manage(201)), new_meeting),
    "meetings_retrieve": Op(objects.meeting_kwargs, SEE),
    "meetings_update": Op(objects.meeting_kwargs, manage(200), whole_meeting),
    "meetings_partial_update": Op(
        objects.meeting_kwargs,
        manage(200),
        lambda ctx: {
            "title": "Renamed",
            "version": _meeting_version(ctx, objects.meeting(ctx)),
        },
    ),
    "meetings_destroy": Op(objects.meeting_kwargs, manage(204)),
    "meetings_action_reviews_create": Op(started_kwargs, manage(200), action_review),
    "meetings_agenda_items_list": Op(objects.meeting_kwargs, SEE),
    "meetings_agenda_items_create": Op(
        objects.meeting_kwargs, manage(201), lambda ctx: {"title": "Any other business"}
    ),
    "meetings_attendance_list": Op(objects.meeting_kwargs, SEE),
    "meetings_attendance_create": Op(
        objects.meeting_kwargs,
        manage(201),
        lambda ctx: {"name": "A guest", "email": "guest@example.org"},
    ),
    "meetings_cancel_create": Op(objects.meeting_kwargs, manage(200)),
    "meetings_start_create": Op(objects.meeting_kwargs, manage(200)),
    "meetings_goto_create": Op(started_kwargs, manage(200), goto),
    "meetings_end_create": Op(started_kwargs, manage(200)),
    "meetings_prepare_create": Op(objects.meeting_kwargs, manage(200)),
    "meetings_publish_create": Op(
        ended_kwargs,
        manage(201),
        lambda ctx: {"version": _meeting_version(ctx, ended_meeting(ctx))},
    ),
    "meetings_reopen_create": Op(published_meeting, manage(200), published_version),
    "meetings_send_minutes_create": Op(published_meeting, manage(202)),
    "meetings_reorder_create": Op(objects.meeting_kwargs, manage(200), reorder),
    "meetings_invite.ics_retrieve": Op(objects.meeting_kwargs, SEE),
    "meetings_minutes.docx_retrieve": Op(published_meeting, SEE),
    "meetings_minutes.pdf_retrieve": Op(published_meeting, SEE),
    "meetings_outcomes_list": Op(objects.meeting_kwargs, SEE),
    "meetings_outcomes_create": Op(started_kwargs, manage(201), capture),
    "meetings_sessions_list": Op(event_kwargs, SEE),
    "meetings_sessions_create": Op(
        event_kwargs, manage(201), lambda ctx: {"title": "Second workshop"}
    ),
    "agenda_items_retrieve": Op(objects.agenda_item_kwargs, SEE),
    "agenda_items_partial_update": Op(
        objects.agenda_item_kwargs,
        manage(200),
        lambda ctx: {"title": "Renamed", "version": _agenda_version(ctx)},
    ),
    "agenda_items_destroy": Op(objects.agenda_item_kwargs, manage(204)),
    "agenda_items_links_list": Op(objects.agenda_item_kwargs, SEE),
    "agenda_items_links_create": Op(objects.agenda_item_kwargs, manage(201), risk_pointer),
    "agenda_items_links_destroy": Op(linked_agenda_item, manage(204), query=risk_pointer),
    "attendance_retrieve": Op(objects.attendance_kwargs, SEE),
    "attendance_partial_update": Op(
        objects.attendance_kwargs, manage(200), lambda ctx: {"status": "excused"}
    ),
    "attendance_destroy": Op(objects.attendance_kwargs, manage(204)),
    "sessions_retrieve": Op(objects.session_kwargs, SEE),
    "sessions_partial_update": Op(
        objects.session_kwargs, manage(200), lambda ctx: {"room": "3.14"}
    ),
    "sessions_destroy": Op(objects.session_kwargs, manage(204)),
    # Anyone who sees an event takes a place in it; the member's place is given back by
    # the member or by those who run the event.
    "sessions_register_create": Op(
        objects.session_kwargs, (401, 404, 201, 201, 201, 201, 201), nothing
    ),
    "sessions_unregister_create": Op(
        registered_session,
        (401, 404, 403, 204, 204, 204, 204),
        lambda ctx: {"user": ctx.member.pk},
    ),
}


# Planning ------------------------------------------------------------------------------


def _task_version(ctx: Any, name: str = "build") -> int:
    from schakel.planning.models import Task

    return _version(Task, planning_api.plan(ctx)[name].pk)


def _plan_version(ctx: Any) -> int:
    from schakel.planning.models import ProjectPlan

    planning_api.plan(ctx)
    return int(ProjectPlan.objects.get(project=ctx.org.project).version)


def _test_task(ctx: Any) -> Any:
    """A third task "Test" after "Build", linked to nothing (made by the administrator)."""
    from schakel.planning import services

    planning_api.plan(ctx)
    return _once(
        ctx,
        "task-test",
        lambda: services.task_create(
            project=ctx.org.project, by=objects._admin(ctx), name="Test", duration=1
        ),
    )


def test_task(ctx: Any) -> dict[str, Any]:
    return {"pk": _test_task(ctx).pk}


def indented_task(ctx: Any) -> dict[str, Any]:
    """Task "Test", indented under "Build" (so it can be outdented)."""
    from schakel.planning import services

    task = _test_task(ctx)
    _once(ctx, "indented", lambda: services.task_indent(task=task, version=None, by=None))
    return test_task(ctx)


def _test_version(ctx: Any) -> dict[str, Any]:
    from schakel.planning.models import Task

    return {"version": _version(Task, _test_task(ctx).pk)}


def mspdi_file(ctx: Any) -> dict[str, Any]:
    """ODI's own plan as MS Project XML, to be read back over it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schakel.planning import transfer

    planning_api.plan(ctx)
    data = transfer.export_plan(ctx.org.project)
    upload = SimpleUploadedFile("plan.xml", data, content_type="application/xml")
    return {"file": upload, "replace": "true"}


def new_link(ctx: Any) -> dict[str, Any]:
    """A second link: "Test" waits for "Build"."""
    return {"predecessor": planning_api.plan(ctx)["build"].pk, "successor": _test_task(ctx).pk}


PLAN_EDIT = manage  # the programme's manager and above (the project has no manager)

PLANNING_OPS = {
    "tasks_list": Op(none, EVERYONE),
    "tasks_create": Op(
        none,
        create(PLAN_EDIT(201)),
        lambda ctx: {"project": ctx.org.project.pk, "name": "Review", "duration": 1},
    ),
    "tasks_retrieve": Op(planning_api.task_kwargs, SEE),
    "tasks_partial_update": Op(
        planning_api.task_kwargs,
        PLAN_EDIT(200),
        lambda ctx: {"name": "Renamed", "version": _task_version(ctx)},
    ),
    "tasks_destroy": Op(test_task, PLAN_EDIT(204), query=_test_version),
    "tasks_indent_create": Op(test_task, PLAN_EDIT(200), _test_version),
    "tasks_outdent_create": Op(indented_task, PLAN_EDIT(200), _test_version),
    "tasks_move_create": Op(
        planning_api.task_kwargs,
        PLAN_EDIT(200),
        lambda ctx: {
            "before": planning_api.plan(ctx)["design"].pk,
            "version": _task_version(ctx),
        },
    ),
    "task_links_list": Op(none, EVERYONE),
    "task_links_create": Op(none, create(PLAN_EDIT(201)), new_link),
    "task_links_retrieve": Op(planning_api.link_kwargs, SEE),
    "task_links_partial_update": Op(
        planning_api.link_kwargs, PLAN_EDIT(200), lambda ctx: {"lag": 1}
    ),
    "task_links_destroy": Op(planning_api.link_kwargs, PLAN_EDIT(204)),
    "baselines_list": Op(none, EVERYONE),
    "baselines_create": Op(
        none,
        create(PLAN_EDIT(201)),
        lambda ctx: {"project": ctx.org.project.pk, "name": "Second baseline"},
    ),
    "baselines_retrieve": Op(planning_api.baseline_kwargs, SEE),
    "baselines_destroy": Op(planning_api.baseline_kwargs, PLAN_EDIT(204)),
    "calendars_retrieve": Op(planning_api.planned_project, SEE),
    "calendars_partial_update": Op(
        planning_api.planned_project,
        PLAN_EDIT(200),
        lambda ctx: {"status_date": "2026-03-10", "version": _plan_version(ctx)},
    ),
    "calendars_exceptions_create": Op(
        planning_api.planned_project,
        PLAN_EDIT(201),
        lambda ctx: {"day": "2026-04-06", "working": False, "name": "Easter Monday"},
    ),
    "calendars_exceptions_destroy": Op(planning_api.exception_kwargs, PLAN_EDIT(204)),
    "schedules_retrieve": Op(planning_api.planned_project, SEE),
    "schedules_mspdi_retrieve": Op(planning_api.planned_project, SEE),
    "schedules_mspdi_create": Op(
        planning_api.planned_project, PLAN_EDIT(200), mspdi_file, fmt="multipart"
    ),
}


# Reporting -----------------------------------------------------------------------------


def _cycle_version(ctx: Any) -> int:
    from schakel.reporting.models import ReportingCycle

    return _version(ReportingCycle, reporting_pages.cycle(ctx).pk)


STAGES = ("draft", "filled", "submitted", "approved", "published")


def _report_at(ctx: Any, stage: str) -> Any:
    """ODI's report of the current period, taken to `stage` by the administrator."""
    from schakel.reporting import services

    report = reporting_pages.report(ctx)
    admin = objects._admin(ctx)
    made = _made(ctx)
    reached = STAGES.index(made.get("report-stage", "draft"))
    for step in STAGES[reached + 1 : STAGES.index(stage) + 1]:
        report.refresh_from_db()
        if step == "filled":
            fields: dict[str, Any] = {
                "overall": "green",
                "overall_reason": "On track",
                "summary": "All well",
            }
            fields["ratings"] = dict.fromkeys(report.cycle.dimension_keys, ("green", "Fine"))
            report = services.report_update(report=report, version=None, by=admin, **fields)
        elif step == "submitted":
            report = services.report_submit(report=report, version=None, by=admin)
        elif step == "approved":
            report = services.report_approve(report=report, version=None, by=admin)
        else:
            report = services.report_publish(report=report, version=None, by=admin)
        made["report-stage"] = step
    return report


def _report_step(stage: str) -> tuple[Maker, Maker]:
    def kwargs(ctx: Any) -> dict[str, Any]:
        return {"pk": _report_at(ctx, stage).pk}

    def body(ctx: Any) -> dict[str, Any]:
        from schakel.reporting.models import StatusReport

        return {"version": _version(StatusReport, kwargs(ctx)["pk"])}

    return kwargs, body


draft_report, draft_version = _report_step("draft")
filled_report, filled_version = _report_step("filled")
submitted_report, submitted_version = _report_step("submitted")
approved_report, approved_version = _report_step("approved")
published_report, published_report_version = _report_step("published")

# The manager writes the report; the PMO reviews, approves and publishes.
REPORT_WRITE = manage
REVIEW = pmo

REPORTING_OPS = {
    "reporting_cycles_list": Op(none, EVERYONE),
    "reporting_cycles_create": Op(
        none,
        create(REVIEW(201)),
        lambda ctx: {
            "programme": ctx.org.programme.pk,
            "name": "Quarterly report",
            "frequency": "weekly",
            "anchor": timezone.localdate().isoformat(),
        },
    ),
    "reporting_cycles_retrieve": Op(reporting_pages.cycle_kwargs, SEE),
    "reporting_cycles_partial_update": Op(
        reporting_pages.cycle_kwargs,
        REVIEW(200),
        lambda ctx: {"name": "Renamed", "version": _cycle_version(ctx)},
    ),
    "reporting_cycles_compliance_list": Op(reporting_pages.cycle_kwargs, SEE),
    "reporting_cycles_report_retrieve": Op(reporting_pages.cycle_kwargs, SEE),
    "reporting_cycles_key_messages_retrieve": Op(reporting_pages.cycle_kwargs, SEE),
    "reporting_cycles_key_messages_update": Op(
        reporting_pages.cycle_kwargs,
        REVIEW(200),
        lambda ctx: {"key_messages": "Steady progress.", "version": 0},
    ),
    "reporting_cycles_remind_create": Op(
        reporting_pages.cycle_kwargs, REVIEW(200), lambda ctx: {"project": ctx.org.project.pk}
    ),
    # Anyone who sees a cycle downloads its report.
    "reporting_cycles_exports_create": Op(
        reporting_pages.cycle_kwargs,
        (401, 404, 201, 201, 201, 201, 201),
        lambda ctx: {"kind": "xlsx"},
    ),
    "report_exports_retrieve": Op(reporting_api.member_export, OWNER_ONLY),
    "report_exports_download_retrieve": Op(reporting_api.member_export, OWNER_ONLY),
    "status_reports_list": Op(none, EVERYONE),
    "status_reports_create": Op(
        none,
        create(REPORT_WRITE(201)),
        lambda ctx: {"cycle": reporting_pages.cycle(ctx).pk, "project": ctx.org.project.pk},
    ),
    "status_reports_retrieve": Op(reporting_pages.report_kwargs, SEE),
    "status_reports_partial_update": Op(
        draft_report,
        REPORT_WRITE(200),
        lambda ctx: {"summary": "Changed", "version": draft_version(ctx)["version"]},
    ),
    "status_reports_submit_create": Op(filled_report, REPORT_WRITE(200), filled_version),
    "status_reports_return_create": Op(
        submitted_report,
        REVIEW(200),
        lambda ctx: {**submitted_version(ctx), "comment": "Add the budget figures."},
    ),
    "status_reports_approve_create": Op(submitted_report, REVIEW(200), submitted_version),
    "status_reports_publish_create": Op(approved_report, REVIEW(200), approved_version),
    "status_reports_correct_create": Op(
        published_report, REPORT_WRITE(201), published_report_version
    ),
}


def _all_ops() -> dict[str, Op]:
    ops: dict[str, Op] = {}
    for slug, kind in REGISTERS.items():
        ops.update(register_ops(slug, kind))
    for table in (ACCOUNT_OPS, TREE_OPS, MEETING_OPS, PLANNING_OPS, REPORTING_OPS):
        for name, op in table.items():
            assert name not in ops, f"{name} is declared twice"
            ops[name] = op
    ops["risk_scale_list"] = Op(none, EVERYONE)
    ops["risk_categories_list"] = Op(none, EVERYONE)
    return ops


#: operationId → Op, for every operation of the API.
OPS: dict[str, Op] = _all_ops()
