"""Fixtures of the planning tests."""

from __future__ import annotations

from typing import Any

import pytest

from schakel.planning.models import ProjectPlan
from schakel.planning.tests.dependency_plans import MONDAY


@pytest.fixture
def plans(org: Any) -> Any:
    """Plans for ODI, POL and CAR from Monday 2 March 2026 (a test file may define its own)."""
    for project in (org.project, org.sibling, org.other_project):
        ProjectPlan.objects.create(project=project, start=MONDAY)
    return org
