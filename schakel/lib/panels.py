"""Panels other apps add to a page they do not own, such as "My work".

The registers own "My work", but what waits for a person is not only in the registers: the
meetings app adds "My next meetings" and "Minutes to publish". An app registers a provider
in `AppConfig.ready()`; the page asks for the panels of its place and includes each
panel's template with its context, without knowing the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    """A card for a page: the template that draws it and what it needs."""

    key: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any], list[Panel]]
_providers: dict[str, list[Provider]] = {}


def register(place: str, provider: Provider) -> Provider:
    """Add a provider of panels for a place ("my_work"); registering twice has no effect."""
    providers = _providers.setdefault(place, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def panels(place: str, user: Any) -> list[Panel]:
    """The panels every provider of the place has for the user."""
    found: list[Panel] = []
    for provider in _providers.get(place, []):
        found += provider(user)
    return found
