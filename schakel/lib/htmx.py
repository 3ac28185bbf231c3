"""htmx helpers shared by every app's views: one URL, a full page or a swapped region."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def wants_partial(request: HttpRequest) -> bool:
    """Whether htmx asked for a region (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def targets(request: HttpRequest, element_id: str) -> bool:
    """Whether this is an htmx request that swaps the element with `element_id`."""
    htmx = getattr(request, "htmx", None)
    return wants_partial(request) and htmx is not None and htmx.target == element_id


def with_messages(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Append the flash messages as an out-of-band swap to an htmx fragment."""
    response.content += render_to_string("portfolio/_messages_oob.html", request=request).encode()
    return response
