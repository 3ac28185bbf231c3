"""The registers as one table: what pages, API, exports and imports need to know per register.

Adding a seventh register means a model in `models.py`, a filter in `filters.py` and a line
here; the shared views, API, exports and imports pick it up from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .filters import FILTERS, RegisterFilter
from .models import Action, Assumption, Decision, Dependency, Issue, RegisterItem, Risk


@dataclass(frozen=True)
class Register:
    """One register: its model, its URL slug, its filter and how people call it."""

    model: type[RegisterItem]
    slug: str
    filter: type[RegisterFilter]
    title: Promise
    item_name: Promise

    @property
    def kind(self) -> str:
        return self.model.KIND

    @property
    def prefix(self) -> str:
        return self.model.PREFIX


REGISTERS: tuple[Register, ...] = (
    Register(Risk, "risks", FILTERS["risk"], _("Risks"), _("risk")),
    Register(Issue, "issues", FILTERS["issue"], _("Issues"), _("issue")),
    Register(Assumption, "assumptions", FILTERS["assumption"], _("Assumptions"), _("assumption")),
    Register(Dependency, "dependencies", FILTERS["dependency"], _("Dependencies"), _("dependency")),
    Register(Action, "actions", FILTERS["action"], _("Actions"), _("action")),
    Register(Decision, "decisions", FILTERS["decision"], _("Decisions"), _("decision")),
)
BY_KIND: dict[str, Register] = {r.kind: r for r in REGISTERS}
BY_SLUG: dict[str, Register] = {r.slug: r for r in REGISTERS}


def register_for_slug(slug: str) -> Register:
    """Return the register behind a URL slug such as "risks"; 404 for anything else."""
    try:
        return BY_SLUG[slug]
    except KeyError as exc:
        raise Http404 from exc


def register_for_kind(kind: str) -> Register:
    """Return the register of a kind such as "risk"; 404 for anything else."""
    try:
        return BY_KIND[kind]
    except KeyError as exc:
        raise Http404 from exc
