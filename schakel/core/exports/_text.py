"""Small text helpers every renderer shares: XML-safe text, URL checks and meeting dates.

Kept in one place so that the spreadsheet, Word, PDF and calendar writers strip the same
characters, accept the same links and print a meeting's date the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

__all__ = [
    "XML_ILLEGAL",
    "PagePart",
    "clean_text",
    "format_day",
    "format_long_date",
    "format_meeting_time",
    "format_short_date",
    "is_safe_url",
    "multi_line",
    "normalise_newlines",
    "single_line",
    "split_page_label",
]

# XML 1.0 cannot hold C0 controls other than tab/newline/carriage return, lone surrogates
# or U+FFFE/U+FFFF; openpyxl and python-docx raise on the first group and write a broken
# file for the rest.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Only these schemes become clickable: javascript:, data:, file: and friends stay text.
_SAFE_URL = re.compile(r"(?:https?://[^\s/?#@]+|mailto:[^\s@]+@[^\s@]+)[^\s]*\Z", re.IGNORECASE)

# Both languages read day-month-year with the weekday first; Babel supplies the names.
_DAY_PATTERN = "EEEE d MMMM y"
_SHORT_DATE_PATTERN = "d MMM y"
_LONG_DATE_PATTERN = "d MMMM y"
_FALLBACK_LOCALE = "en"

_WHITESPACE = re.compile(r"\s+")

# A piece of a "Page {page} of {pages}" label: literal text or one of the two counters.
PagePart = Literal["text", "page", "pages"]


def clean_text(text: str) -> str:
    """Drop the characters an XML document (docx, xlsx, HTML for the PDF) cannot hold."""
    return XML_ILLEGAL.sub("", text)


def normalise_newlines(text: str) -> str:
    """Clean ``text`` and turn CRLF and lone CR into LF, so every writer sees one kind."""
    return clean_text(text).replace("\r\n", "\n").replace("\r", "\n")


def multi_line(value: str) -> str:
    """Multi-line user text, XML-safe with LF line ends and no blank edges."""
    return normalise_newlines(value).strip()


def single_line(value: str) -> str:
    """Single-line user text (titles, names): XML-safe, whitespace runs folded to a space."""
    return _WHITESPACE.sub(" ", normalise_newlines(value)).strip()


def split_page_label(template: str, fallback: str) -> list[tuple[PagePart, str]]:
    """Split a translated "Page {page} of {pages}" label into literal text and counters.

    Each writer turns ``("page", "")`` and ``("pages", "")`` into its own counter (a Word
    field, a CSS counter). A translation that lost ``{page}`` falls back to ``fallback``
    (the plain word "Page") followed by the number, so the number is never missing; stray
    braces are just text.
    """
    parts: list[tuple[PagePart, str]] = []
    for piece in re.split(r"(\{pages\}|\{page\})", single_line(template)):
        if piece == "{page}":
            parts.append(("page", ""))
        elif piece == "{pages}":
            parts.append(("pages", ""))
        elif piece:
            parts.append(("text", piece))
    if ("page", "") not in parts:
        return [("text", single_line(fallback) + " "), ("page", "")]
    return parts


def is_safe_url(url: str) -> bool:
    """Say whether ``url`` may become a link: an http(s) URL with a host, or a mailto."""
    return bool(_SAFE_URL.match(url))


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_") or _FALLBACK_LOCALE)
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(_FALLBACK_LOCALE)


def format_day(day: date, language: str) -> str:
    """Format a day as people write it in letters: "Tuesday 3 March 2026"."""
    return format_date(day, _DAY_PATTERN, locale=_locale(language))


def format_short_date(day: date, language: str) -> str:
    """Format a due date compactly for a table cell: "3 Mar 2026", "3 mrt 2026"."""
    return format_date(day, _SHORT_DATE_PATTERN, locale=_locale(language))


def format_long_date(day: date, language: str) -> str:
    """Format a day without its weekday, for periods and headers: "3 March 2026"."""
    return format_date(day, _LONG_DATE_PATTERN, locale=_locale(language))


def format_meeting_time(start: datetime, end: datetime, language: str) -> str:
    """Format a meeting's wall-clock span: "Tuesday 3 March 2026, 14:00–15:30".

    The datetimes are printed as given (the caller converts them to the reader's time
    zone). A meeting running past midnight names both days.
    """
    # Both languages use the 24-hour clock with a colon; no locale needed.
    start_time = f"{start:%H:%M}"
    end_time = f"{end:%H:%M}"
    if start.date() == end.date():
        return f"{format_day(start.date(), language)}, {start_time}–{end_time}"
    return (
        f"{format_day(start.date(), language)}, {start_time} – "
        f"{format_day(end.date(), language)}, {end_time}"
    )
