"""Template helpers of the register lists: the register switcher with open counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from schakel.registers.registry import REGISTERS, Register

register = template.Library()


@dataclass
class RegisterTab:
    """One tab of the register switcher: the register, its list URL at the scope, open items."""

    register: Register
    url: str
    open_count: int


@register.simple_tag(takes_context=True)
def register_tabs(context: Any, scope_kind: str, scope: Any = None) -> list[RegisterTab]:
    """The six registers at a scope with the number of open items each (a query per register).

    `scope_kind` is "project", "programme", "portfolio" or "all" (then `scope` is None).
    """
    from schakel.registers.views_lists import ListScope, scoped_items

    user = context["request"].user
    where = ListScope(scope_kind, scope) if scope else ListScope("all")
    return [
        RegisterTab(
            register=reg,
            url=where.list_url(reg.slug),
            open_count=scoped_items(user, reg.model, where)
            .filter(status__in=reg.model.OPEN_STATUSES)
            .count(),
        )
        for reg in REGISTERS
    ]
