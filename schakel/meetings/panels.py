"""The meetings' panels on "My work": the next meetings and the minutes still to publish."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from schakel.lib.panels import Panel

from . import access
from .models import Meeting

SHOWN = 5


def my_meetings(user: Any) -> list[Panel]:
    if not user.is_authenticated:
        return []
    mine = (
        Q(chair=user)
        | Q(minute_taker=user)
        | Q(attendance__user=user)
        | Q(sessions__registrations__user=user)
    )
    visible = access.visible_meetings(user).filter(mine)
    now = timezone.now()
    upcoming = list(
        visible.filter(end__gte=now - datetime.timedelta(hours=1))
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.PUBLISHED])
        .select_related("project", "programme", "portfolio")
        .distinct()
        .order_by("start")[: SHOWN + 1]
    )
    to_publish = list(
        visible.filter(
            Q(chair=user) | Q(minute_taker=user),
            status__in=[Meeting.Status.IN_PROGRESS, Meeting.Status.MINUTES_DRAFT],
            end__lt=now,
        )
        .distinct()
        .order_by("start")[:SHOWN]
    )
    return [
        Panel(
            key="meetings",
            template="meetings/_my_work_panel.html",
            context={
                "upcoming": upcoming[:SHOWN],
                "more": len(upcoming) > SHOWN,
                "to_publish": to_publish,
                "user_id": user.pk,
            },
        )
    ]
