"""The API's error answers, written into the OpenAPI schema of every operation.

Every operation can refuse a caller in the same few ways (schakel.lib.api's exception handler
gives them one format): 401 without valid credentials, 403 when the caller's role does not
allow it, 404 for an object that does not exist or that the caller may not see (the two look
the same), 400 for input that does not validate, 415 for a body in a format the API does not
read, and 409 for an edit of a changed object (declared by the views where it applies).
drf-spectacular documents
the successful answers from the views; `document_errors` adds the refusals, so a client (and
the schemathesis run in the tests) knows every status code the API gives.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ERROR = "Error"
VALIDATION_ERRORS = "ValidationErrors"

METHODS = ("get", "put", "patch", "post", "delete")


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: Any, schema: str) -> dict[str, Any]:
    return {
        "description": str(description),
        "content": {"application/json": {"schema": _ref(schema)}},
    }


def _components() -> dict[str, Any]:
    return {
        ERROR: {
            "type": "object",
            "description": str(_("Why the request was refused.")),
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string"},
            },
            "required": ["detail"],
        },
        # DRF reports invalid input per field (a list of messages, or the errors of a nested
        # object or list), with `non_field_errors` for the object as a whole; a list body
        # (the bulk operations) gets a list with one such object per row.
        VALIDATION_ERRORS: {
            "description": str(_("The input that did not validate, field by field.")),
            "oneOf": [
                {"type": "object", "additionalProperties": True},
                {"type": "array", "items": {}},
            ],
        },
    }


def _has_query(operation: dict[str, Any]) -> bool:
    return any(p.get("in") == "query" for p in operation.get("parameters", []))


def _has_path(operation: dict[str, Any]) -> bool:
    return any(p.get("in") == "path" for p in operation.get("parameters", []))


def _is_list(operation: dict[str, Any]) -> bool:
    return operation.get("operationId", "").endswith("_list")


# A time of day as DRF writes and reads it: 14:00, 14:00:00 or 14:00:00.5, without an offset.
TIME_PATTERN = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"


def _plain_times(node: Any) -> None:
    """Describe times of day as DRF writes them.

    drf-spectacular gives a TimeField `format: time`, which JSON Schema defines as RFC 3339's
    full-time: with an offset (14:00:00Z). DRF writes and reads a time without one (14:00:00),
    so the schema says that instead.
    """
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = TIME_PATTERN
            node.setdefault("example", "14:00:00")
        for value in node.values():
            _plain_times(value)
    elif isinstance(node, list):
        for value in node:
            _plain_times(value)


def document_errors(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: add the error answers to every operation (and
    describe times of day as the API writes them)."""
    _plain_times(result)
    result.setdefault("components", {}).setdefault("schemas", {}).update(_components())
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            errors: dict[str, Any] = {
                "401": _answer(_("Not signed in, or the token is unknown or revoked."), ERROR),
                "403": _answer(_("Your role does not allow this."), ERROR),
            }
            if method != "get" or _has_query(operation):
                errors["400"] = _answer(_("The input is not valid."), VALIDATION_ERRORS)
            if _has_path(operation) or _is_list(operation):
                # A list answers 404 for a page number past its end.
                errors["404"] = _answer(
                    _("No such object, or not one you may see (they look the same)."), ERROR
                )
            if "requestBody" in operation:
                errors["415"] = _answer(_("The body is not in a supported format."), ERROR)
            for code, answer in errors.items():
                responses.setdefault(code, answer)
    return result
