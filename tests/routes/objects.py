"""Objects the meeting routes are tested on, made once per test on the `ctx` of the matrix.

All live in project ODI (where `viewer` and `member` hold their roles) unless named
otherwise; `member` neither chairs nor minutes them, so running them needs a manager.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def _made(ctx: Any) -> dict[str, Any]:
    return ctx.__dict__.setdefault("meeting_objects", {})


def _admin(ctx: Any) -> Any:
    from schakel.accounts.models import User

    return User.objects.filter(is_superuser=True).first()


def meeting(ctx: Any) -> Any:
    """A planned project-team meeting of ODI with two agenda items and the member invited."""
    from schakel.meetings import services

    made = _made(ctx)
    if "meeting" not in made:
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
        made["meeting"] = services.meeting_create(
            scope=ctx.org.project,
            by=_admin(ctx),
            kind="project_team",
            title="Project team ODI",
            start=start,
            end=start + datetime.timedelta(hours=1),
            invitees=[ctx.member],
            agenda=[{"title": "Progress", "minutes": 20}, {"title": "Risks", "minutes": 10}],
        )
    return made["meeting"]


def event(ctx: Any) -> Any:
    """An event of ODI with one session."""
    from schakel.meetings import services

    made = _made(ctx)
    if "event" not in made:
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
        event = services.meeting_create(
            scope=ctx.org.project,
            by=_admin(ctx),
            kind="event",
            title="Workshop afternoon",
            start=start,
            end=start + datetime.timedelta(hours=3),
        )
        made["event"] = event
        made["session"] = services.session_add(
            meeting=event, by=_admin(ctx), title="Risk workshop", room="2.01", capacity=20
        )
    return made["event"]


def series(ctx: Any) -> Any:
    """A monthly steering committee of ODI."""
    from schakel.meetings import services

    made = _made(ctx)
    if "series" not in made:
        made["series"] = services.series_create(
            scope=ctx.org.project,
            by=_admin(ctx),
            kind="steering_committee",
            title="Steering committee ODI",
            recurrence="monthly_date",
            first_date=timezone.localdate(),
        )
    return made["series"]


def meeting_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": meeting(ctx).pk}


def series_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": series(ctx).pk}


def agenda_item_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": meeting(ctx).agenda.order_by("position").first().pk}


def attendance_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": meeting(ctx).attendance.get(user=ctx.member).pk}


def session_kwargs(ctx: Any) -> dict[str, Any]:
    event(ctx)
    return {"pk": _made(ctx)["session"].pk}


def new_in_project(ctx: Any) -> dict[str, Any]:
    return {"scope_kind": "project", "pk": ctx.org.project.pk}


def new_in_programme(ctx: Any) -> dict[str, Any]:
    return {"scope_kind": "programme", "pk": ctx.org.programme.pk}
