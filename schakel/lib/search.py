"""Global search across apps: each app registers a provider; the search page shows them all.

A provider takes the user, the query's words and a limit, and returns groups of hits it
found among the objects that user may see. The portfolio app searches the organisation
itself; later apps (registers, meetings, ...) add theirs in `AppConfig.ready()`, so the
search page never has to know them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


@dataclass
class Hit:
    """One thing found: what it is called, where it lives, and a badge."""

    title: str
    url: str
    ref: str = ""
    context: str = ""
    badge: str = ""
    badge_class: str = ""


@dataclass
class Group:
    """The hits of one kind (e.g. risks), with a link to see them all when there are more."""

    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more_url: str = ""
    limit: int = 20

    @property
    def shown(self) -> list[Hit]:
        return self.hits[: self.limit]

    @property
    def more(self) -> bool:
        return len(self.hits) > self.limit


Provider = Callable[[Any, list[str], int], list[Group]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a search provider (usable as a decorator); registering twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def search(user: Any, query: str, *, limit: int = 20) -> list[Group]:
    """Ask every provider; return the groups that found something."""
    words = query.split()[:8]
    if not words:
        return []
    groups: list[Group] = []
    for provider in _providers:
        groups += [g for g in provider(user, words, limit) if g.hits]
    return groups


def full_text_available() -> bool:
    """Whether the database offers real full-text search (PostgreSQL)."""
    return connection.vendor == "postgresql"
