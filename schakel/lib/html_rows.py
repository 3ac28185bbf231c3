"""Helpers for drawing many table rows without the template engine.

The register lists, the cockpit and the Plan tab draw their rows in Python (see
docs/performance.md): what is the same for every row is made once per page. These are the
pieces they share: a URL reversed once and filled in per row, and dates formatted once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape

# Stands for the id in `UrlPattern`'s arguments: a number no object has.
ID = 987654321


class UrlPattern:
    """A URL reversed once with `ID` among its arguments; `url(pk)` puts a real id there."""

    def __init__(self, name: str, *args: Any):
        url = reverse(name, args=list(args))
        self.prefix, _sep, self.suffix = url.partition(str(ID))

    def url(self, pk: Any) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


class DateTexts:
    """Escaped dates in one format, each value formatted once per page."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self._texts: dict[date, str] = {}

    def __call__(self, value: date) -> str:
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = escape(date_format(value, self.fmt))
        return text
