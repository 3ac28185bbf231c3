"""Template helpers of the register lists: the register switcher with open counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

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
    """The six registers at a scope with the number of open items each (one query).

    `scope_kind` is "project", "programme", "portfolio" or "all" (then `scope` is None).
    """
    from schakel.registers.views_lists import ListScope, scoped_items

    user = context["request"].user
    where = ListScope(scope_kind, scope) if scope else ListScope("all")
    counts = open_counts(
        [
            scoped_items(user, reg.model, where).filter(status__in=reg.model.OPEN_STATUSES)
            for reg in REGISTERS
        ]
    )
    return [
        RegisterTab(register=reg, url=where.list_url(reg.slug), open_count=count)
        for reg, count in zip(REGISTERS, counts, strict=True)
    ]


def open_counts(querysets: list[QuerySet[Any]]) -> list[int]:
    """Count the rows of several querysets in one round trip (a sub-select each)."""
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        try:
            sql, args = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a queryset that can match nothing (`.none()`)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 # nosec B608 # ORM SQL
        params.extend(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]


def _renderer(context: Any) -> Any:
    """The row renderer of this list (made once per template render)."""
    from schakel.registers.row_html import RowRenderer

    renderer = context.render_context.get("register_row_renderer")
    if renderer is None:
        renderer = context.render_context["register_row_renderer"] = RowRenderer(
            kind=context["register"].kind,
            status_choices=context["status_choices"],
            scope_kind=context["scope_kind"],
            scope_param=context["scope_param"],
            selectable=bool(context.get("selectable")),
            csrf_token=str(context.get("csrf_token", "")),
        )
    return renderer


@register.simple_tag(takes_context=True)
def register_rows(context: Any, rows: Any) -> Any:
    """Draw a list's rows (`schakel.registers.row_html`)."""
    return _renderer(context).rows(rows)


@register.simple_tag(takes_context=True)
def register_row(context: Any, row: Any) -> Any:
    """Draw one row; the context may say it is `new`, in `conflict` or has an `error`."""
    return _renderer(context).row(
        row,
        new=bool(context.get("new")),
        conflict=bool(context.get("conflict")),
        error=context.get("error") or None,
    )


@register.simple_tag(takes_context=True)
def cockpit_rows(context: Any, rows: Any) -> Any:
    """Draw the cockpit's project rows (`schakel.registers.cockpit_html`)."""
    from schakel.registers.cockpit_html import CockpitRenderer

    renderer = context.render_context.get("cockpit_renderer")
    if renderer is None:
        renderer = context.render_context["cockpit_renderer"] = CockpitRenderer()
    return renderer.rows(rows)
