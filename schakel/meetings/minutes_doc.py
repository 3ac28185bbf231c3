"""The minutes arranged for reading: shared by the minutes page and the e-mail.

`Minutes` (see `schakel.core.exports.documents`) lists each agenda item's outcomes in
capture order; a reader wants them grouped (decisions, then actions, risks and issues)
and the action and decision lists of the whole meeting at the end, as the Word and PDF
documents print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from schakel.core.exports.documents import Minutes, MinutesItem, Outcome

from .models import AgendaItem

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class DocItem:
    """One agenda item of the minutes with its outcomes sorted by kind."""

    item: MinutesItem
    agenda_item: AgendaItem | None = None
    by_kind: dict[str, list[Outcome]] = field(default_factory=dict)

    @property
    def decisions(self) -> list[Outcome]:
        return self.by_kind.get("decision", [])

    @property
    def actions(self) -> list[Outcome]:
        return self.by_kind.get("action", [])

    @property
    def risks(self) -> list[Outcome]:
        return self.by_kind.get("risk", [])

    @property
    def issues(self) -> list[Outcome]:
        return self.by_kind.get("issue", [])


def document(minutes: Minutes, agenda: list[AgendaItem] | None = None) -> dict[str, Any]:
    """Template context for `minutes`; `agenda` pairs the items with their rows (a draft)."""
    items = []
    for index, item in enumerate(minutes.items):
        by_kind: dict[str, list[Outcome]] = {}
        for outcome in item.outcomes:
            by_kind.setdefault(outcome.kind, []).append(outcome)
        row = agenda[index] if agenda is not None and index < len(agenda) else None
        items.append(DocItem(item, row, by_kind))
    every = [outcome for item in minutes.items for outcome in item.outcomes]
    return {
        "minutes": minutes,
        "doc_items": items,
        "all_actions": [o for o in every if o.kind == "action"],
        "all_decisions": [o for o in every if o.kind == "decision"],
    }


def filename(minutes: Minutes, suffix: str, extension: str) -> str:
    """A plain ASCII file name people can keep: minutes-<title>-<date>-<suffix>.<ext>.

    Only letters, digits and hyphens survive, so the name is safe in a header and on
    every file system.
    """
    title = slugify(minutes.title)[:60].strip("-") or "meeting"
    safe_suffix = slugify(suffix) or "minutes"
    return f"minutes-{title}-{minutes.start:%Y-%m-%d}-{safe_suffix}.{extension}"
