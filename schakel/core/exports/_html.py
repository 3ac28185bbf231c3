"""HTML pieces every WeasyPrint document shares: escaping, CSS strings and markup blocks.

The minutes PDF and the progress report PDF build their HTML by hand, never through a
template engine or a Markdown library, so that typed ``<b>`` or ``<img>`` stays visible
text. Escaping user text for HTML and for CSS (the running headers and footers live in
``@page`` rules), and turning `markup` blocks into HTML, is done here once so that both
documents escape the same way.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from schakel.core.exports import markup
from schakel.core.exports._text import PagePart

__all__ = ["blocks_html", "css_string", "escape", "page_content"]


def escape(value: str) -> str:
    """Escape user text for HTML text and attribute values (quotes included)."""
    return html.escape(value, quote=True)


def css_string(value: str) -> str:
    """Quote ``value`` as a CSS string that no character can break out of.

    Everything but ASCII letters, digits and spaces becomes a hex escape; the space after
    each escape ends it, so a following digit or space is read as itself.
    """
    escaped = "".join(
        char if (char.isascii() and char.isalnum()) or char == " " else f"\\{ord(char):x} "
        for char in value
    )
    return f'"{escaped}"'


def page_content(parts: Iterable[tuple[PagePart, str]]) -> str:
    """The CSS ``content`` value for "Page N of M" from `split_page_label`'s parts."""
    pieces = []
    for kind, literal in parts:
        if kind == "text":
            pieces.append(css_string(literal))
        else:
            pieces.append(f"counter({kind})")
    return " ".join(pieces)


def blocks_html(
    blocks: Iterable[markup.Block], heading_tags: tuple[str, str] = ("h3", "h4")
) -> list[str]:
    """Render parsed notes as HTML; markup headings become ``heading_tags`` (level 1, 2).

    The caller picks heading tags below its own section heading, so a ``# Heading`` typed
    in a note never competes with the document's outline.
    """
    parts = []
    for block in blocks:
        if block.kind == "heading":
            tag = heading_tags[0] if block.level == 1 else heading_tags[1]
            parts.append(f"<{tag}>{_lines(block.lines)}</{tag}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{_lines(block.lines)}</p>")
        else:
            if block.kind == "bullet_list":
                opening, closing = "<ul>", "</ul>"
            else:
                # WeasyPrint ignores the start attribute; the counter does the same job.
                first = int(block.start)
                opening = f'<ol start="{first}" style="counter-reset: list-item {first - 1}">'
                closing = "</ol>"
            items = "".join(f"<li>{_lines(item)}</li>" for item in block.items)
            parts.append(f"{opening}{items}{closing}")
    return parts


def _lines(lines: Sequence[markup.Line]) -> str:
    return "<br>".join("".join(_run(run) for run in line) for line in lines)


def _run(run: markup.Run) -> str:
    text = escape(run.text)
    if run.code:
        text = f"<code>{text}</code>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    if run.url:
        text = f'<a href="{escape(run.url)}">{text}</a>'
    return text
