"""Where a register item came from, told by the app it came from.

The registers do not know about meetings (or, later, reports); those apps register a
provider in `AppConfig.ready()` that, for a page of items, says which of them were born
somewhere the user may see ("Steering committee, 3 March 2026, item 2"). The registers'
lists, detail pages and API show the answer with a link back, in one query per provider.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Origin:
    """A place an item came from: a label to show, a link, and when."""

    label: str
    url: str
    kind: str  # e.g. "meeting"
    date: datetime.date | None = None
    detail: str = ""  # e.g. the agenda item


# Keyed by (content type id, object id) of the register item.
OriginMap = dict[tuple[int, int], Origin]
Provider = Callable[[Any, Sequence[Any]], OriginMap]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add an origin provider; registering twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def origins_for(user: Any, items: Sequence[Any]) -> OriginMap:
    """The origins the user may see of a page of register items (any registers mixed)."""
    found: OriginMap = {}
    if not items:
        return found
    for provider in _providers:
        for key, origin in provider(user, items).items():
            found.setdefault(key, origin)
    return found


def origin_of(user: Any, item: Any) -> Origin | None:
    """The origin of one item, if any provider knows it and the user may see it."""
    from django.contrib.contenttypes.models import ContentType

    key = (ContentType.objects.get_for_model(item).pk, item.pk)
    return origins_for(user, [item]).get(key)
