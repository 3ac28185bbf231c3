"""Template helpers used across apps: Markdown, form fields, sort links."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from schakel.lib import safe_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render Markdown as sanitised HTML."""
    return safe_html.markdown(text)


@register.inclusion_tag("components/_field.html")
def field(bound_field: Any, span: int = 1) -> dict[str, Any]:
    """Render one form field with its label, help text and errors."""
    return {"field": bound_field, "span": span}


@register.simple_tag(takes_context=True)
def sort_url(context: dict[str, Any], key: str) -> str:
    """Link that sorts a list by `key`, toggling direction when it is already sorted so."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("ordering", "")
    params["ordering"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_state(context: dict[str, Any], key: str) -> str:
    """Return "ascending", "descending" or "none" for aria-sort on a column header."""
    current = context["request"].GET.get("ordering", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
