"""The trash across apps: each app lists what a user may restore; the Trash page shows all.

The portfolio app's own objects are listed by its trash view; other apps (the registers,
later meetings and reports) register a provider in `AppConfig.ready()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TrashRow:
    """One deleted thing: what it was, where it lived, who deleted it when, how to restore it."""

    label: str
    where: str
    deleted_by: str
    deleted_at: datetime.datetime
    restore_url: str


@dataclass
class TrashSection:
    key: str
    title: str
    rows: list[TrashRow] = field(default_factory=list)


Provider = Callable[[Any], list[TrashSection]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a trash provider; registering twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections(user: Any) -> list[TrashSection]:
    """Every provider's sections that hold something the user may restore."""
    found: list[TrashSection] = []
    for provider in _providers:
        found += [s for s in provider(user) if s.rows]
    return found
