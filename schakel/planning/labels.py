"""The words of the server-drawn charts (Gantt, roadmap, milestone trend), translated."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from schakel.core.charts.gantt import ChartLabels


def chart_labels() -> ChartLabels:
    return ChartLabels(
        language=(get_language() or "en")[:2],
        gantt=_("Gantt chart"),
        roadmap=_("Programme roadmap"),
        wbs=_("WBS"),
        name=_("Name"),
        project=_("Project"),
        task=_("Task"),
        progress=_("Progress"),
        critical=_("Critical"),
        summary=_("Summary"),
        milestone=_("Milestone"),
        baseline=_("Baseline"),
        today=_("Today"),
        done=_("Done"),
        late=_("Late"),
        slipped=_("Slipped against the baseline"),
        slip_days=_("+{days} d"),
        slipped_by=_("{days} working days later than the baseline"),
        dependency=_("Dependency"),
        dependency_broken=_("Dependency not met"),
        week=_("W{week}"),
        quarter=_("Q{quarter}"),
        none=_("Nothing to show"),
        page_of=_("Page {page} of {pages}"),
        page=_("Page"),
        trend=_("Milestone trend analysis"),
        reporting_date=_("Reporting date"),
        forecast_date=_("Forecast date"),
        achieved=_("Achieved"),
        trend_hint=_("A rising line is a milestone that slips"),
    )
