"""Apply a logged-in user's language and time zone to each request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Activate the user's chosen language and time zone.

    Runs after LocaleMiddleware: a language saved on the profile wins over the browser's,
    and the language cookie (set by the switcher) wins for anonymous visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            apply_preferences(request, user)
        else:
            timezone.deactivate()
        response = self.get_response(request)
        # An API token logs the user in inside the view, after this middleware ran.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            response.setdefault("Content-Language", user.language)
        return response


def apply_preferences(request: HttpRequest, user: Any) -> None:
    """Activate the user's language and time zone for the rest of the request."""
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
