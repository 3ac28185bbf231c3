"""Factories for register items (through the service, so numbers and scores are real)."""

from __future__ import annotations

from typing import Any

from schakel.registers import services
from schakel.registers.models import Action, Decision, Issue, Risk


def risk(project: Any, by: Any, **fields: Any) -> Risk:
    values = {"title": "Supplier delivers late", "probability": 3, "impact": 4, **fields}
    return services.item_create(model=Risk, scope=project, by=by, **values)


def action(project: Any, by: Any, **fields: Any) -> Action:
    values = {"title": "Call the supplier", **fields}
    return services.item_create(model=Action, scope=project, by=by, **values)


def issue(project: Any, by: Any, **fields: Any) -> Issue:
    values = {"title": "Server room floods", **fields}
    return services.item_create(model=Issue, scope=project, by=by, **values)


def decision(project: Any, by: Any, **fields: Any) -> Decision:
    values = {"title": "Choose the new ERP", **fields}
    return services.item_create(model=Decision, scope=project, by=by, **values)
