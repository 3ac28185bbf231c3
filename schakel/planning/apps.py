from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Project plans: a work breakdown of tasks and milestones, links, calendars, baselines."""

    name = "schakel.planning"
    label = "planning"
    verbose_name = _("Planning")
