"""Shared set-up of the dependency tests: tasks in the plans of the `plans` fixture
(conftest.py)."""

from __future__ import annotations

import datetime
from typing import Any

from schakel.planning import services
from schakel.planning.models import Task

MONDAY = datetime.date(2026, 3, 2)


def task(project: Any, name: str, duration: int = 1, by: Any = None, **fields: Any) -> Task:
    return services.task_create(project=project, by=by, name=name, duration=duration, **fields)
