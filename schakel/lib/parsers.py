"""The API's request parsers (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`).

A module of its own: DRF reads its parser setting while `rest_framework.views` is being
imported, so this must not import that module (nor `schakel.lib.api`, which does).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but JSON nested too deeply for Python's decoder (`[[[[…`) is a 400
    like any other malformed body, not a RecursionError and a server error."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - the body nests too deeply.")) from exc
