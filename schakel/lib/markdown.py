"""Render user Markdown to safe HTML: Markdown first, then an nh3 allow-list."""

from __future__ import annotations

import threading

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


EXTENSIONS = ["extra", "sane_lists", "nl2br"]
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# One parser per thread, reset between texts (as the Markdown library documents for reuse):
# building one (its extensions, patterns and processors) costs about 0.6 ms before a word is
# read, which a page of hundreds of texts (the consolidated report) paid hundreds of times.
_local = threading.local()


def _parser() -> markdown_lib.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    return parser


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of rendered Markdown."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )


def render_markdown(text: str) -> str:
    """Turn Markdown into sanitised HTML; raw HTML in the input never survives as markup."""
    if not text:
        return ""
    return sanitise(_parser().reset().convert(text))
