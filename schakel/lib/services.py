"""Service helpers shared by every app: versioned updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

from django.db import models, transaction

from .models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


class StaleVersionError(Exception):
    """Raised when an edit started from an older version than the one stored."""

    def __init__(self, current: VersionedModel):
        super().__init__(f"{current._meta.verbose_name} was changed by someone else")
        self.current = current


def update_versioned(
    instance: M,
    *,
    version: int | None,
    changes: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    by: Any = None,
) -> M:
    """Apply `changes` to `instance` if it is still at `version`, and raise its version.

    The row is locked and re-read inside the transaction, so two concurrent edits from the
    same version cannot both win: the second raises `StaleVersionError` with the stored row.
    A `version` of None skips the check (internal callers that hold the lock themselves).
    """
    model: type[models.Model] = type(instance)
    manager = getattr(model, "all_objects", model._default_manager)
    with transaction.atomic():
        current = cast(M, manager.select_for_update().get(pk=instance.pk))
        if version is not None and current.version != version:
            raise StaleVersionError(current)
        changed = False
        for field, value in changes.items():
            if getattr(current, field) != value:
                setattr(current, field, value)
                changed = True
        m2m_changed = False
        for field, values in (m2m or {}).items():
            values = list(values)
            before = {obj.pk for obj in getattr(current, field).all()}
            if before != {obj.pk for obj in values}:
                m2m_changed = True
        if changed or m2m_changed:
            current.version = current.version + 1
            if by is not None:
                current._history_user = by  # type: ignore[attr-defined]
            current.save()
            for field, values in (m2m or {}).items():
                getattr(current, field).set(list(values))
    return current


def changed_copy(instance: M, changes: Mapping[str, Any]) -> M:
    """Return an unsaved copy of `instance` with `changes` applied, for validation.

    Related objects in `changes` (`{"manager": user}`) are set by id; the copy keeps the
    primary key and counts as an existing row, so unique checks exclude the row itself.
    """
    model = type(instance)
    values = {
        f.attname: getattr(instance, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    for name, value in changes.items():
        field = model._meta.get_field(name)
        if field.is_relation and not name.endswith("_id"):
            values[getattr(field, "attname", name)] = value.pk if value is not None else None
        else:
            values[name] = value
    copy = model(**values)
    copy.pk = instance.pk
    copy._state.adding = False
    return copy
