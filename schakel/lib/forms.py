"""Form plumbing every app's edit pages share: versioned saves, conflicts, service errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats

from .services import StaleVersionError

T = TypeVar("T")
F = TypeVar("F", bound=forms.BaseForm)


def display_value(form_field: forms.Field | None, value: Any) -> str:
    """Show a form value as a person reads it: choice labels, people's names, local dates."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "display_name"):
        return str(value.display_name)
    if hasattr(value, "isoformat"):
        return formats.date_format(value)
    choices = dict(getattr(form_field, "choices", None) or [])
    return str(choices.get(value, value))


def _comparable(value: Any) -> Any:
    if hasattr(value, "all"):  # a related manager: compare the names, case-insensitively
        value = [str(obj) for obj in value.all()]
    if isinstance(value, list | tuple):
        return {str(v).lower() for v in value}
    if isinstance(value, str):
        return value.replace("\r\n", "\n") or None
    return value


def conflict_rows(form: forms.BaseForm, current: Any) -> list[tuple[str, str, str]]:
    """List (label, your value, stored value) where a submitted form differs from the row."""
    rows = []
    for name, form_field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data[name]
        stored = getattr(current, name, None)
        if _comparable(yours) != _comparable(stored):
            if stored is not None and hasattr(stored, "all"):
                stored = [str(obj) for obj in stored.all()]
            rows.append(
                (
                    str(form_field.label),
                    display_value(form_field, yours),
                    display_value(form_field, stored),
                )
            )
    return rows


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation errors on the form: on their field, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@dataclass
class VersionedSave(Generic[F, T]):
    """The outcome of `save_versioned`: the saved object, or the form to show again."""

    form: F
    saved: T | None = None
    status: int = 200
    conflict: list[tuple[str, str, str]] = field(default_factory=list)


def save_versioned(form: F, update: Callable[[], T]) -> VersionedSave[F, T]:
    """Run a service `update` for a valid model form and report how it went.

    A stale version gives status 409, the rows that differ, and a fresh form bound to the
    stored row, so the user sees the current values and redoes the edit on top of them;
    a service's validation errors land on the form's fields.
    """
    try:
        return VersionedSave(form=form, saved=update())
    except StaleVersionError as stale:
        rows = conflict_rows(form, stale.current)
        fresh = type(form)(instance=stale.current)  # type: ignore[call-arg]
        return VersionedSave(form=fresh, status=409, conflict=rows)
    except ValidationError as error:
        add_service_errors(form, error)
        return VersionedSave(form=form)
