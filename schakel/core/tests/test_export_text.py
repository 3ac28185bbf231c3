"""Text helpers shared by the document writers: XML-safe text, link checks, dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from schakel.core.exports._text import (
    clean_text,
    format_meeting_time,
    format_short_date,
    is_safe_url,
    normalise_newlines,
)


def test_meeting_times_read_naturally_in_english_and_dutch() -> None:
    start, end = datetime(2026, 3, 3, 14, 0), datetime(2026, 3, 3, 15, 30)

    assert format_meeting_time(start, end, "en") == "Tuesday 3 March 2026, 14:00–15:30"
    assert format_meeting_time(start, end, "nl") == "dinsdag 3 maart 2026, 14:00–15:30"


def test_a_meeting_past_midnight_names_both_days() -> None:
    text = format_meeting_time(datetime(2026, 3, 3, 22, 0), datetime(2026, 3, 4, 1, 0), "en")

    assert text == "Tuesday 3 March 2026, 22:00 – Wednesday 4 March 2026, 01:00"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("", "17 Mar 2026"), ("xx-nonsense", "17 Mar 2026"), ("nl-NL", "17 mrt 2026")],
)
def test_an_unknown_or_regional_language_still_formats(language: str, expected: str) -> None:
    assert format_short_date(date(2026, 3, 17), language) == expected


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c#d", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("mailto:pmo@example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("file:///etc/passwd", False),
        ("//example.org", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("mailto:nobody", False),
    ],
)
def test_only_http_https_and_mailto_urls_are_safe(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_clean_text_drops_what_xml_cannot_hold_and_newlines_are_normalised() -> None:
    assert clean_text("a\x00b\x1fc\ud800d\uffffe\tf\ng") == "abcde\tf\ng"
    assert normalise_newlines("a\r\nb\rc\x00") == "a\nb\nc"
