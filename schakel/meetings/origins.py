"""Tell the registers which items were born in a meeting the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from schakel.lib.origins import Origin, OriginMap

from . import access
from .models import Outcome


def meeting_origins(user: Any, items: Sequence[Any]) -> OriginMap:
    """For a page of register items: the meeting (and agenda item) each was created in."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for item in items:
        wanted[ContentType.objects.get_for_model(item).pk].add(item.pk)
    condition = Q()
    for type_id, ids in wanted.items():
        condition |= Q(item_type_id=type_id, item_id__in=ids)
    outcomes = (
        Outcome.objects.filter(condition, role=Outcome.Role.CREATED)
        .filter(meeting__in=access.visible_meetings(user))
        .select_related("meeting", "agenda_item")
        .order_by("pk")
    )
    found: OriginMap = {}
    for outcome in outcomes:
        meeting = outcome.meeting
        day = timezone.localtime(meeting.start).date()
        url = reverse("meetings:meeting_detail", args=[meeting.pk])
        if outcome.agenda_item_id:
            url += f"#agenda-{outcome.agenda_item_id}"
        found.setdefault(
            (outcome.item_type_id, outcome.item_id),
            Origin(
                label=f"{meeting.title}, {date_format(day, 'SHORT_DATE_FORMAT')}",
                url=url,
                kind="meeting",
                date=day,
                detail=outcome.agenda_item.title if outcome.agenda_item else "",
            ),
        )
    return found
