"""Turn django-simple-history records into entries people can read: who, when, what changed.

Generic on purpose: any model with `history = HistoricalRecords(...)` can show a History tab
through `object_history(obj, page)`, and a list of changes over many objects (e.g. the
memberships of a project) through `history_page(queryset, page)`.

The number of queries does not grow with the number of entries: predecessors, related
objects (foreign keys) and many-to-many snapshots are each loaded in one query per page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

PER_PAGE = 50

# Bookkeeping fields that change on every save or are shown by the action itself
# ("moved to trash"), so listing them would only hide the real changes.
NOISE_FIELDS = frozenset(
    {"id", "version", "created_at", "updated_at", "deleted_at", "deleted_by", "trash_batch"}
)

# Long texts are cut in the list; the object's page shows them in full.
MAX_TEXT = 300

EMPTY = (None, "")

CREATED = "created"
CHANGED = "changed"
DELETED = "deleted"
TRASHED = "trashed"
RESTORED = "restored"


@dataclass
class FieldChange:
    """One field of one entry: its label and the old and new values as text (None = empty)."""

    name: str
    label: str
    old: str | None
    new: str | None


@dataclass
class HistoryEntry:
    """One historical record explained: who did what, when, and which fields changed."""

    record: Any
    when: datetime.datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""

    @property
    def action_label(self) -> str:
        labels = {
            CREATED: _("created"),
            CHANGED: _("changed"),
            DELETED: _("deleted"),
            TRASHED: _("moved to the trash"),
            RESTORED: _("restored from the trash"),
        }
        return labels[self.action]


def object_history(
    obj: models.Model, page_number: Any = 1, *, per_page: int = PER_PAGE
) -> tuple[Page, list[HistoryEntry]]:
    """Return one page of an object's history, newest first, and its entries."""
    return history_page(obj.history.all(), page_number, per_page=per_page)  # type: ignore[attr-defined]


def history_page(
    queryset: models.QuerySet,
    page_number: Any = 1,
    *,
    per_page: int = PER_PAGE,
    select_related: Sequence[str] = (),
    subject: Callable[[Any], str] | None = None,
    snapshot_fields: Iterable[str] = (),
    skip_empty: bool = True,
) -> tuple[Page, list[HistoryEntry]]:
    """Return one page of historical records (any objects of one model) and their entries.

    `subject` names the object of each record when the list spans several objects.
    `snapshot_fields` are listed on created and deleted records too (e.g. the role of a
    membership that was added or removed). Records whose only changes are bookkeeping
    are left out when `skip_empty`, so a page may hold slightly fewer than `per_page`.
    """
    page = Paginator(_annotated(queryset, select_related), per_page).get_page(page_number)
    entries = explain(
        list(page.object_list),
        subject=subject,
        snapshot_fields=snapshot_fields,
        skip_empty=skip_empty,
    )
    return page, entries


def latest_history(
    queryset: models.QuerySet,
    limit: int,
    *,
    select_related: Sequence[str] = (),
    subject: Callable[[Any], str] | None = None,
    snapshot_fields: Iterable[str] = (),
) -> list[HistoryEntry]:
    """Return the entries of the newest `limit` records, for a "recent changes" list."""
    records = list(_annotated(queryset, select_related)[:limit])
    return explain(records, subject=subject, snapshot_fields=snapshot_fields)


def _annotated(queryset: models.QuerySet, select_related: Sequence[str]) -> models.QuerySet:
    """Order records newest first, each annotated with the id of its object's previous one."""
    previous = (
        queryset.model._default_manager.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        queryset.select_related("history_user", *select_related)
        .annotate(previous_history_id=Subquery(previous))
        .order_by("-history_date", "-history_id")
    )


def explain(
    records: Sequence[Any],
    *,
    subject: Callable[[Any], str] | None = None,
    snapshot_fields: Iterable[str] = (),
    skip_empty: bool = True,
) -> list[HistoryEntry]:
    """Explain historical records annotated with `previous_history_id` (see `history_page`)."""
    if not records:
        return []
    history_model = type(records[0])
    previous_ids = [r.previous_history_id for r in records if r.previous_history_id]
    previous = {
        r.history_id: r for r in history_model._default_manager.filter(history_id__in=previous_ids)
    }
    differ = _Differ(history_model, records, snapshot_fields)
    # First find what changed, then load the related rows those changes name, all at once.
    found = []
    for record in records:
        before = previous.get(record.previous_history_id)
        action = _action(record)
        names = differ.changed_fields(record, before, action)
        m2m = differ.changed_m2m(record, before, action)
        if skip_empty and action == CHANGED and not names and not m2m:
            continue
        differ.want_related(names, record, before)
        found.append((record, before, action, names, m2m))
    differ.load_related()
    entries = []
    for record, before, action, names, m2m in found:
        user = record.history_user
        entries.append(
            HistoryEntry(
                record=record,
                when=record.history_date,
                who=user.display_name if user is not None else _("System"),
                action=action,
                changes=[*differ.render(names, record, before, action), *m2m],
                subject=subject(record) if subject else "",
            )
        )
    return entries


def _action(record: Any) -> str:
    if record.history_type == "+":
        return CREATED
    if record.history_type == "-":
        return DELETED
    reason = record.history_change_reason or ""
    if reason == "trash":
        return TRASHED
    if reason == "restore":
        return RESTORED
    return CHANGED


class _Differ:
    """Compare pairs of records and render their values, loading related rows in bulk."""

    def __init__(
        self, history_model: type[models.Model], records: Sequence[Any], snapshot: Iterable[str]
    ):
        self.model = history_model
        tracked = [f for f in history_model.tracked_fields if f.name not in NOISE_FIELDS]  # type: ignore[attr-defined]
        self.fields: dict[str, Any] = {
            f.name: history_model._meta.get_field(f.name) for f in tracked
        }
        # diff_against compares editable fields only; the others (e.g. archived_at) are
        # compared here so that archiving still shows.
        self.editable = [name for name, f in self.fields.items() if f.editable]
        self.uneditable = [name for name, f in self.fields.items() if not f.editable]
        self.m2m = {f.name: f for f in history_model._history_m2m_fields}  # type: ignore[attr-defined]
        self.snapshot = [name for name in snapshot if name in self.fields]
        self.order = {name: i for i, name in enumerate(self.fields)}
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.related: dict[type[models.Model], dict[Any, Any]] = {}
        self.m2m_values = self._load_m2m(records) if self.m2m else {}

    # Finding changes -------------------------------------------------------------

    def changed_fields(self, record: Any, before: Any | None, action: str) -> list[str]:
        if action in (CREATED, DELETED) or before is None:
            return [
                name
                for name in self.snapshot
                if getattr(record, self.fields[name].attname) not in EMPTY
            ]
        names: list[str] = []
        if self.editable:
            delta = record.diff_against(before, included_fields=self.editable)
            names.extend(change.field for change in delta.changes)
        names.extend(
            name
            for name in self.uneditable
            if getattr(record, self.fields[name].attname)
            != getattr(before, self.fields[name].attname)
        )
        # Show fields in the order the model declares them, as the forms do.
        return sorted(set(names), key=lambda n: self.order.get(n, len(self.order)))

    def changed_m2m(self, record: Any, before: Any | None, action: str) -> list[FieldChange]:
        if before is None or action in (CREATED, DELETED):
            return []
        changes = []
        for name, m2m_field in self.m2m.items():
            old = self.m2m_values[name].get(before.history_id, [])
            new = self.m2m_values[name].get(record.history_id, [])
            if old != new:
                changes.append(
                    FieldChange(
                        name,
                        capfirst(str(m2m_field.verbose_name)),
                        ", ".join(old) or None,
                        ", ".join(new) or None,
                    )
                )
        return changes

    # Loading -------------------------------------------------------------------

    def want_related(self, names: list[str], *records: Any) -> None:
        for name in names:
            f = self.fields[name]
            if f.is_relation and f.related_model is not None:
                for record in records:
                    pk = getattr(record, f.attname, None) if record is not None else None
                    if pk is not None:
                        self.wanted[f.related_model].add(pk)

    def load_related(self) -> None:
        self.related = {
            model: model._base_manager.in_bulk(list(pks)) for model, pks in self.wanted.items()
        }

    def _load_m2m(self, records: Sequence[Any]) -> dict[str, dict[int, list[str]]]:
        """Return, per m2m field, the related objects' names at each history record."""
        out: dict[str, dict[int, list[str]]] = {}
        ids = {r.history_id for r in records} | {
            r.previous_history_id for r in records if r.previous_history_id
        }
        for name, m2m_field in self.m2m.items():
            through = getattr(self.model, name).model
            target_name = m2m_field.m2m_reverse_field_name()
            target_attname = through._meta.get_field(target_name).attname
            rows = list(
                through._default_manager.filter(history_id__in=ids).values_list(
                    "history_id", target_attname
                )
            )
            targets = m2m_field.related_model._base_manager.in_bulk({pk for _h, pk in rows})
            values: dict[int, list[str]] = defaultdict(list)
            for history_id, pk in rows:
                target = targets.get(pk)
                values[history_id].append(str(target) if target else _deleted(pk))
            out[name] = {h: sorted(v, key=str.casefold) for h, v in values.items()}
        return out

    # Rendering -----------------------------------------------------------------

    def render(
        self, names: list[str], record: Any, before: Any | None, action: str
    ) -> list[FieldChange]:
        changes = []
        for name in names:
            label = capfirst(str(self.fields[name].verbose_name))
            if action == DELETED:
                old, new = self._value(record, name), None
            elif action == CREATED or before is None:
                old, new = None, self._value(record, name)
            else:
                old, new = self._value(before, name), self._value(record, name)
            changes.append(FieldChange(name, label, old, new))
        return changes

    def _value(self, record: Any, name: str) -> str | None:
        f = self.fields[name]
        raw = getattr(record, f.attname)
        if raw in EMPTY:
            return None
        if f.is_relation:
            obj = self.related.get(f.related_model, {}).get(raw)
            return str(obj) if obj is not None else _deleted(raw)
        if f.choices:
            return str(dict(f.flatchoices).get(raw, raw))
        return humanize(raw)


def _deleted(pk: Any) -> str:
    return _("deleted object #%(pk)s") % {"pk": pk}


def humanize(value: Any) -> str:
    """Render a plain field value as text in the active language and time zone."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, str):
        return Truncator(value).chars(MAX_TEXT)
    return str(formats.localize(value))
