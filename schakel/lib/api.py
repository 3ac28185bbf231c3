"""API plumbing shared by every app: pagination, versioned updates, error format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .services import StaleVersionError


class Pagination(PageNumberPagination):
    """Page through lists with `?page=` and `?page_size=` (at most 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object was changed by someone else."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors into API answers: stale version 409, validation 400, access 404/403."""
    if isinstance(exc, StaleVersionError):
        serializer_class = getattr(context.get("view"), "get_serializer_class", None)
        current: Any = None
        if serializer_class is not None:
            serializer = serializer_class()(exc.current, context=context)
            current = serializer.data
        return Response(
            {
                "detail": str(Conflict.default_detail),
                "code": "conflict",
                "current": current,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: Any = {
                k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()
            }
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(data)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
