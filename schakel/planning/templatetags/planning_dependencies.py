"""The plan's side of a dependency item's page: "In the plan", or a form to connect it.

The registers' templates load this library, so the registers' code never imports
planning; everything is read in a fixed number of queries (see `dependencies.plan_view`).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from schakel.planning import access, dependencies
from schakel.planning.forms import ConnectForm

register = template.Library()


@register.inclusion_tag("planning/_dependency_plan.html", takes_context=True)
def dependency_plan(context: template.Context, item: Any) -> dict[str, Any]:
    """Show where a dependency item sits in the plans, or how to put it there."""
    request = context["request"]
    user = request.user
    shown: dict[str, Any] = {
        "item": item,
        "csrf_token": context.get("csrf_token"),
        "plan": None,
        "connect_form": None,
        "successor_project": None,
    }
    if item.project_id is None:
        return shown
    view = dependencies.plan_view(user, item)
    shown["plan"] = view
    if view is not None or context.get("read_only"):
        return shown
    waiting = dependencies.successor_project(item)
    shown["successor_project"] = waiting
    if waiting is not None and access.can_edit_plan(user, waiting):
        ours, theirs = dependencies.connect_tasks(user, item)
        shown["connect_form"] = ConnectForm(ours=ours, theirs=theirs)
        shown["connect_url"] = reverse("planning:dependency_connect", args=[item.pk])
    return shown
