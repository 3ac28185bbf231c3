"""Shared set-up of the reporting page tests: a cycle, and a report form's POST data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from schakel.reporting import services
from schakel.reporting.models import StatusReport


def make_cycle(org: Any, by: Any, **fields: Any) -> Any:
    values = {"name": "Monthly report", "frequency": "monthly", "anchor": timezone.localdate()}
    return services.cycle_create(scope=org.programme, by=by, **{**values, **fields})


def start(cycle: Any, project: Any, by: Any) -> StatusReport:
    period = services.reporting_period(cycle)
    return services.report_start(cycle=cycle, project=project, period=period, by=by)


def report_data(
    report: StatusReport, *, colour: str = "green", reason: str = "", **extra: Any
) -> dict[str, Any]:
    """What the edit page posts: every dimension in one colour, the texts, no milestones."""
    data: dict[str, Any] = {
        "version": str(report.version),
        "overall": colour,
        "overall_reason": reason,
        "summary": "Going well.",
        "ms-TOTAL_FORMS": "1",
        "ms-INITIAL_FORMS": "0",
        "ms-MIN_NUM_FORMS": "0",
        "ms-MAX_NUM_FORMS": "30",
        "ms-0-title": "",
        "action": "save",
    }
    for key in report.cycle.dimension_keys:
        data[f"rag_{key}"] = colour
        data[f"reason_{key}"] = reason
    data.update(extra)
    return data
