"""Global search over meetings: titles, locations and agenda items the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from schakel.lib import search as site_search

from . import access


def search_meetings(user: Any, words: list[str], limit: int) -> list[site_search.Group]:
    meetings = access.visible_meetings(user)
    for word in words:
        meetings = meetings.filter(
            Q(title__icontains=word)
            | Q(location__icontains=word)
            | Q(summary__icontains=word)
            | Q(agenda__title__icontains=word)
            | Q(agenda__notes__icontains=word)
        )
    rows = list(
        meetings.distinct()
        .select_related("project", "programme", "portfolio")
        .order_by("-start")[: limit + 1]
    )
    hits = [
        site_search.Hit(
            title=m.title,
            url=m.get_absolute_url(),
            context=f"{date_format(timezone.localtime(m.start), 'SHORT_DATETIME_FORMAT')} · "
            f"{m.scope}",
            badge=str(m.get_status_display()),
            badge_class=f"status-{m.status}",
        )
        for m in rows
    ]
    return [site_search.Group(key="meetings", label=_("Meetings"), hits=hits, limit=limit)]
