from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Project plans: a work breakdown of tasks and milestones, links, calendars, baselines."""

    name = "schakel.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from schakel.meetings.calendar import feed_source

        from .calendar import milestone_events

        # The milestones of the projects a person sees go into their calendar feed.
        feed_source(milestone_events)
