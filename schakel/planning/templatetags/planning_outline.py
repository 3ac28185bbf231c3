"""The Plan tab's outline rows (`schakel.planning.outline_html`)."""

from __future__ import annotations

from typing import Any

from django import template

from schakel.planning.outline_html import OutlineRenderer

register = template.Library()


@register.simple_tag(takes_context=True)
def outline_rows(context: Any, rows: Any) -> Any:
    """Draw the outline's rows of this page."""
    return OutlineRenderer(
        baseline=bool(context.get("baseline")),
        can_edit=bool(context.get("can_edit")),
        csrf_token=str(context.get("csrf_token", "")),
    ).rows(rows)
