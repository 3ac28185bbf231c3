"""Minutes: built from what the meeting recorded, frozen when published.

`minutes_build` gathers attendance, per agenda item the notes and the register items
captured or reviewed under it, into the plain `Minutes` value the DOCX and PDF renderers
take. Publishing stores that value as JSON in a `MinutesVersion`, so the minutes that were
sent stay exactly as sent even when an action is later re-planned or renamed.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakel.core.exports.documents import (
    Attendance as AttendanceData,
)
from schakel.core.exports.documents import (
    Minutes,
    MinutesItem,
    MinutesLabels,
)
from schakel.core.exports.documents import (
    Outcome as OutcomeData,
)
from schakel.lib.services import update_versioned
from schakel.registers.models import Action, Decision, RegisterItem

from .models import Attendance, Meeting, MinutesVersion, Outcome
from .services import CAPTURE_MODELS


def labels() -> MinutesLabels:
    """The documents' fixed words in the active language."""
    return MinutesLabels(
        minutes=_("Minutes"),
        date=_("Date"),
        time=_("Time"),
        location=_("Location"),
        online=_("Online"),
        chair=_("Chair"),
        minute_taker=_("Minute taker"),
        attendance=_("Attendance"),
        present=_("Present"),
        absent=_("Absent"),
        excused=_("Excused"),
        guests=_("Guests"),
        agenda_item=_("Agenda item"),
        presenter=_("Presenter"),
        notes=_("Notes"),
        decisions=_("Decisions"),
        actions=_("Actions"),
        risks=_("Risks"),
        issues=_("Issues"),
        ref=_("Ref."),
        title=_("Title"),
        owner=_("Owner"),
        due=_("Due"),
        status=_("Status"),
        action_list=_("Action list"),
        decision_list=_("Decision list"),
        version=_("Version"),
        published=_("Published"),
        page=_("Page"),
        none=_("None"),
        summary=_("Summary"),
        # Translators: the footer of a document page; keep {page} and {pages}.
        page_of=_("Page {page} of {pages}"),
    )


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _outcome_data(item: RegisterItem, note: str = "") -> OutcomeData:
    owner = getattr(item, "owner", None)
    detail = note
    if isinstance(item, Decision) and not note:
        detail = item.rationale
    status = item.get_status_display()  # type: ignore[attr-defined]
    return OutcomeData(
        kind=item.KIND,
        ref=item.ref,
        title=item.title,
        owner=_name(owner),
        due=getattr(item, "due", None) if isinstance(item, Action) else None,
        status=str(status),
        detail=detail,
    )


def outcome_items(meeting: Meeting) -> list[tuple[Outcome, RegisterItem]]:
    """The meeting's outcomes with their register items (live ones), in capture order."""
    outcomes = list(meeting.outcomes.all().order_by("pk"))
    by_kind: dict[str, set[int]] = defaultdict(set)
    for outcome in outcomes:
        by_kind[outcome.kind].add(outcome.item_id)
    items: dict[tuple[str, int], RegisterItem] = {}
    for kind, ids in by_kind.items():
        model = CAPTURE_MODELS.get(kind)
        if model is None:
            continue
        for item in model.objects.filter(pk__in=ids).select_related(
            "owner", "project", "programme"
        ):
            items[(kind, item.pk)] = item
    return [(o, items[(o.kind, o.item_id)]) for o in outcomes if (o.kind, o.item_id) in items]


def minutes_build(meeting: Meeting) -> Minutes:
    """The minutes as they stand now, in the active language."""
    attendance = list(meeting.attendance.select_related("user"))
    groups: dict[str, list[str]] = defaultdict(list)
    for row in attendance:
        groups[row.status].append(row.display_name)
    by_item: dict[int | None, list[OutcomeData]] = defaultdict(list)
    for outcome, item in outcome_items(meeting):
        by_item[outcome.agenda_item_id].append(_outcome_data(item, outcome.note))
    items = []
    for number, agenda_item in enumerate(
        meeting.agenda.select_related("presenter").order_by("position", "pk"), start=1
    ):
        items.append(
            MinutesItem(
                number=str(number),
                title=agenda_item.title,
                presenter=_name(agenda_item.presenter),
                notes=agenda_item.notes,
                outcomes=by_item.get(agenda_item.pk, []),
            )
        )
    loose = by_item.get(None, [])
    if loose:
        items.append(
            MinutesItem(number=str(len(items) + 1), title=_("Other business"), outcomes=loose)
        )
    last = meeting.minutes_versions.order_by("-number").values_list("number", flat=True).first()
    return Minutes(
        organisation=getattr(settings, "SCHAKEL_ORGANISATION", "") or "Schakel",
        title=meeting.title,
        forum=meeting.series.title if meeting.series else str(meeting.get_kind_display()),
        scope=str(meeting.scope),
        start=timezone.localtime(meeting.start).replace(tzinfo=None),
        end=timezone.localtime(meeting.end).replace(tzinfo=None),
        location=meeting.location,
        online_url=meeting.online_url,
        chair=_name(meeting.chair),
        minute_taker=_name(meeting.minute_taker),
        attendance=AttendanceData(
            present=groups[Attendance.Status.PRESENT],
            absent=groups[Attendance.Status.ABSENT] + groups[Attendance.Status.INVITED],
            excused=groups[Attendance.Status.EXCUSED],
            guests=groups[Attendance.Status.GUEST],
        ),
        summary=meeting.summary,
        items=items,
        version=(last or 0) + 1,
        published_at=None,
        language=translation.get_language() or "en",
        labels=labels(),
    )


# JSON round trip of the frozen minutes ---------------------------------------------------


def minutes_to_json(minutes: Minutes) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(dataclasses.asdict(minutes))  # type: ignore[no-any-return]


def minutes_from_json(data: dict[str, Any]) -> Minutes:
    def dt(value: str | None) -> datetime.datetime | None:
        return datetime.datetime.fromisoformat(value) if value else None

    items = [
        MinutesItem(
            number=i["number"],
            title=i["title"],
            presenter=i.get("presenter", ""),
            notes=i.get("notes", ""),
            outcomes=[
                OutcomeData(
                    **{
                        **o,
                        "due": datetime.date.fromisoformat(o["due"]) if o.get("due") else None,
                    }
                )
                for o in i.get("outcomes", [])
            ],
        )
        for i in data.get("items", [])
    ]
    known_labels = {f.name for f in dataclasses.fields(MinutesLabels)}
    return Minutes(
        **{
            **{k: v for k, v in data.items() if k not in {"items", "attendance", "labels"}},
            "start": dt(data["start"]),
            "end": dt(data["end"]),
            "published_at": dt(data.get("published_at")),
            "attendance": AttendanceData(**data.get("attendance", {})),
            "labels": MinutesLabels(
                **{k: v for k, v in data.get("labels", {}).items() if k in known_labels}
            ),
            "items": items,
        }
    )


# Publishing -----------------------------------------------------------------------------


@transaction.atomic
def minutes_publish(*, meeting: Meeting, version: int | None, by: Any) -> MinutesVersion:
    """Freeze the minutes as the next version and mark the meeting published.

    `version` is the meeting's version the publisher looked at: publishing minutes someone
    changed in the meantime is refused (409), so nobody publishes what they did not read.
    """
    if meeting.status not in (Meeting.Status.MINUTES_DRAFT, Meeting.Status.IN_PROGRESS):
        raise ValidationError(_("Only a meeting that took place has minutes to publish."))
    meeting = update_versioned(
        meeting,
        version=version,
        changes={
            "status": Meeting.Status.PUBLISHED,
            "ended_at": meeting.ended_at or timezone.now(),
            "current_item": None,
            "current_item_started_at": None,
        },
        by=by,
    )
    minutes = minutes_build(meeting)
    now = timezone.now()
    minutes = dataclasses.replace(
        minutes, published_at=timezone.localtime(now).replace(tzinfo=None)
    )
    return MinutesVersion.objects.create(
        meeting=meeting,
        number=minutes.version,
        data=minutes_to_json(minutes),
        published_by=by if getattr(by, "is_authenticated", False) else None,
    )


def minutes_reopen(*, meeting: Meeting, version: int | None, by: Any) -> Meeting:
    """Reopen published minutes for a correction; the published versions stay on record."""
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Only published minutes can be reopened."))
    return update_versioned(
        meeting, version=version, changes={"status": Meeting.Status.MINUTES_DRAFT}, by=by
    )
