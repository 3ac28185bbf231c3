"""Parse the small Markdown subset people type into minutes, into plain blocks and runs.

Notes and summaries are typed in a textarea: paragraphs, bullet and numbered lists, a
heading now and then, **bold**, *italic*, `code` and links. The Word and PDF writers both
need that structure, and each must escape text for its own format, so this parser returns
plain dataclasses and never HTML. It accepts any string without raising: what does not
parse as markup stays literal text, and characters XML cannot hold are dropped.

Supported, deliberately nothing more:

* paragraphs separated by blank lines; a single newline is a line break (people type
  minutes line by line and expect to see them that way);
* ``# Heading`` (level 1) and ``## Heading`` (level 2; deeper levels count as 2);
* bullet lists with ``- `` or ``* `` (also ``+ ``) and numbered lists with ``1. `` or
  ``1) ``; an indented line continues the item above it;
* inline ``**bold**``, ``*italic*`` / ``_italic_``, `` `code` `` and ``[text](url)`` links,
  where only ``http``, ``https`` and ``mailto`` URLs become links; ``\\*`` writes a
  literal ``*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from schakel.core.exports._text import is_safe_url, normalise_newlines

__all__ = ["Block", "BlockKind", "Line", "Run", "parse", "plain_text"]

BlockKind = Literal["paragraph", "heading", "bullet_list", "numbered_list"]


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one formatting; ``url`` is set for a (checked) link."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    url: str = ""


# One visual line: the runs between two line breaks.
Line = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a heading or a list.

    Paragraphs and headings hold ``lines`` (to be joined with line breaks); lists hold
    ``items``, each item being its own lines. ``level`` is the heading level (1 or 2) and
    ``start`` the first number of a numbered list.
    """

    kind: BlockKind
    lines: tuple[Line, ...] = ()
    items: tuple[tuple[Line, ...], ...] = ()
    level: int = 1
    start: int = 1


_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\Z")
_BULLET = re.compile(r"[ \t]*[-*+][ \t]+(.*\S)[ \t]*\Z")
_NUMBERED = re.compile(r"[ \t]*(\d{1,9})[.)][ \t]+(.*\S)[ \t]*\Z")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
_ESCAPABLE = frozenset("\\`*_[]()#+-.!")

# A closing delimiter must follow a non-space character; a single ``*`` or ``_`` must also
# not be followed by a word character (nor opened right after one), so snake_case_names
# and 2*3*4 stay text.
_CLOSERS = {
    "***": re.compile(r"(?<=\S)\*\*\*"),
    "**": re.compile(r"(?<=\S)\*\*"),
    "*": re.compile(r"(?<=\S)\*(?!\w)"),
    "_": re.compile(r"(?<=\S)_(?!\w)"),
}


def parse(text: str) -> list[Block]:
    """Split ``text`` into blocks with formatted runs; never raises, whatever the input."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    list_kind: BlockKind | None = None
    list_start = 1
    items: list[list[str]] = []

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(Block("paragraph", lines=tuple(_line(raw) for raw in paragraph)))
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_kind
        if list_kind is not None and items:
            blocks.append(
                Block(
                    list_kind,
                    items=tuple(tuple(_line(raw) for raw in item) for item in items),
                    start=list_start,
                )
            )
        list_kind = None
        items.clear()

    for raw in normalise_newlines(text).split("\n"):
        if not raw.strip():
            close_paragraph()
            close_list()
            continue
        if heading := _HEADING.match(raw):
            close_paragraph()
            close_list()
            content = heading.group(2).strip()
            if content:
                level = 1 if len(heading.group(1)) == 1 else 2
                blocks.append(Block("heading", lines=(_line(content),), level=level))
            continue
        if item := _list_item(raw):
            kind, content, number = item
            close_paragraph()
            if kind != list_kind:
                close_list()
                list_kind = kind
                list_start = number
            items.append([content])
            continue
        if list_kind is not None and items and raw[:1] in (" ", "\t"):
            items[-1].append(raw.strip())
            continue
        close_list()
        paragraph.append(raw.strip())
    close_paragraph()
    close_list()
    return blocks


def _list_item(raw: str) -> tuple[BlockKind, str, int] | None:
    """Recognise a list line: its kind, its text and (for numbered lists) its number."""
    if bullet := _BULLET.match(raw):
        return "bullet_list", bullet.group(1), 1
    if numbered := _NUMBERED.match(raw):
        return "numbered_list", numbered.group(2), int(numbered.group(1))
    return None


def plain_text(line: Line) -> str:
    """The text of a line without formatting, e.g. for a heading's bookmark or a test."""
    return "".join(run.text for run in line)


def _line(raw: str) -> Line:
    return tuple(_merge(_inline(raw, Run(""))))


def _inline(text: str, style: Run) -> list[Run]:
    """Turn inline markup into runs that inherit ``style``'s formatting.

    Each kind of span can only open once per nesting path (no bold inside bold, no link
    inside a link), so the recursion is at most a few levels deep. A closing delimiter
    that is not found is remembered, so pathological input stays linear-ish instead of
    searching the rest of the text again at every opener.
    """
    runs: list[Run] = []
    buffer: list[str] = []
    missing: set[str] = set()
    index = 0
    length = len(text)

    def flush() -> None:
        if buffer:
            runs.append(replace(style, text="".join(buffer)))
            buffer.clear()

    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in _ESCAPABLE:
            buffer.append(text[index + 1])
            index += 2
            continue
        if char == "`" and not style.code:
            end = -1 if "`" in missing else text.find("`", index + 1)
            if end == -1:
                missing.add("`")
            elif end > index + 1:
                flush()
                runs.append(replace(style, text=text[index + 1 : end], code=True))
                index = end + 1
                continue
        if char in "*_":
            span = _emphasis(text, index, style, missing)
            if span is not None:
                flush()
                inner_style, inner_start, inner_end, after = span
                runs.extend(_inline(text[inner_start:inner_end], inner_style))
                index = after
                continue
        if char == "[" and not style.url:
            link = _LINK.match(text, index)
            if link is not None and link.group(1).strip() and is_safe_url(link.group(2)):
                flush()
                label = _inline(link.group(1), replace(style, url=link.group(2)))
                runs.extend(label)
                index = link.end()
                continue
            if link is not None:
                # Not a link we allow (javascript:, a relative path...): keep it verbatim.
                buffer.append(link.group(0))
                index = link.end()
                continue
        buffer.append(char)
        index += 1
    flush()
    return runs


def _emphasis(
    text: str, index: int, style: Run, missing: set[str]
) -> tuple[Run, int, int, int] | None:
    """Match ``***``, ``**``, ``*`` or ``_`` emphasis opening at ``index``, if any.

    Returns the inner style, the inner text's bounds and the index after the closer.
    """
    previous = text[index - 1] if index else " "
    for delimiter in ("***", "**", "*", "_"):
        if not text.startswith(delimiter, index):
            continue
        bold = delimiter in ("***", "**")
        italic = delimiter in ("***", "*", "_")
        if (bold and style.bold) or (italic and style.italic) or delimiter in missing:
            continue
        start = index + len(delimiter)
        if start >= len(text) or text[start].isspace():
            continue
        if delimiter in ("*", "_") and (previous.isalnum() or previous == "_"):
            continue
        # Searching from one past the opener guarantees at least one character inside.
        closer = _CLOSERS[delimiter].search(text, start + 1)
        if closer is None:
            missing.add(delimiter)
            continue
        inner_style = replace(style, bold=style.bold or bold, italic=style.italic or italic)
        return inner_style, start, closer.start(), closer.end()
    return None


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs with the same formatting and drop empty ones."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and replace(merged[-1], text="") == replace(run, text=""):
            merged[-1] = replace(merged[-1], text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged
