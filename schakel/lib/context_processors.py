"""Context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    """Expose site-wide facts to templates (the site URL, languages)."""
    return {"SITE_URL": settings.SITE_URL}
