"""Answer 503 instead of 500 while the database cannot be reached (a restart, a failover).

A request that meets `django.db.OperationalError` or `InterfaceError` gets a short page
(or `{"detail": ...}` under `/api/`) with status 503 and `Retry-After`, and one warning
line in the log instead of a traceback. The broken connection is closed so that the next
request connects afresh: service resumes by itself once the database is back.

Errors raised by a view (or while rendering its template) reach `process_exception`.
Errors raised in another middleware (the session and user lookups) are turned into a 500
by Django where they happen; the `got_request_exception` signal marks such a request, and
this middleware — placed before every middleware that reads the database — swaps the 500
for the 503 on the way out.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait; a PostgreSQL restart takes a few.
RETRY_AFTER = 5
_MARK = "_schakel_database_error"


def _remember_database_error(
    sender: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Mark a request whose uncaught exception (being handled now) is a database outage."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, error)


got_request_exception.connect(_remember_database_error, dispatch_uid="schakel-database-outage")


class _SkipConvertedErrors(logging.Filter):
    """Keep Django's "Internal Server Error" traceback out of the log for a request this
    middleware answers with 503; it logs one warning line of its own instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not hasattr(getattr(record, "request", None), _MARK)


_skip_converted_errors = _SkipConvertedErrors()


def release_broken_connections() -> None:
    """Close every connection that failed and no longer answers, so the next use reconnects.

    A connection inside a transaction block is left to the block that owns it.
    """
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:  # closing a dead connection may fail as well
            logger.debug("Closing a broken database connection failed", exc_info=True)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON under /api/, a page without any database lookup otherwise."""
    message = _("The service is briefly unavailable. Please try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # No request in the context: context processors (the user, messages) would need
        # the database that just failed.
        response = HttpResponse(render_to_string("errors/503.html", {}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database outage met while answering a request into a clean 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        logging.getLogger("django.request").addFilter(_skip_converted_errors)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, _MARK, None)
        if error is not None and response.status_code == 500:
            return self._answer(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        setattr(request, _MARK, exception)
        return self._answer(request, exception)

    def _answer(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.warning(
            "Database unavailable, answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            " ".join(str(error).split())[:300],
        )
        release_broken_connections()
        return unavailable_response(request)
