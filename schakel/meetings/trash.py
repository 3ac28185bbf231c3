"""Deleted meetings and series on the Trash page, for the managers who may restore them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from schakel.lib.trash import TrashRow, TrashSection

from . import access

LIMIT = 200


def trashed_meetings(user: Any) -> list[TrashSection]:
    meetings = (
        access.visible_meetings(user, include_trashed=True)
        .filter(deleted_at__isnull=False)
        .select_related(
            "project__programme__portfolio", "programme__portfolio", "portfolio", "deleted_by"
        )
        .order_by("-deleted_at")[:LIMIT]
    )
    series = (
        access.visible_series(user, include_trashed=True)
        .filter(deleted_at__isnull=False)
        .select_related(
            "project__programme__portfolio", "programme__portfolio", "portfolio", "deleted_by"
        )
        .order_by("-deleted_at")[:LIMIT]
    )
    return [
        TrashSection(
            key="meeting-series",
            title=_("Meeting series"),
            rows=[
                TrashRow(
                    label=s.title,
                    where=str(s.scope),
                    deleted_by=s.deleted_by.display_name if s.deleted_by else "",
                    deleted_at=s.deleted_at,  # type: ignore[arg-type]
                    restore_url=reverse("meetings:series_restore", args=[s.pk]),
                )
                for s in series
                if access.can_edit_series(user, s)
            ],
        ),
        TrashSection(
            key="meetings",
            title=_("Meetings"),
            rows=[
                TrashRow(
                    label=f"{m.title} ({m.start:%Y-%m-%d})",
                    where=str(m.scope),
                    deleted_by=m.deleted_by.display_name if m.deleted_by else "",
                    deleted_at=m.deleted_at,  # type: ignore[arg-type]
                    restore_url=reverse("meetings:meeting_restore", args=[m.pk]),
                )
                for m in meetings
                if access.can_plan_meeting(user, m)
            ],
        ),
    ]
