"""Every word of the interactive Gantt chart (static/js/gantt.js), translated for the page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def gantt_strings() -> dict[str, Any]:
    return {
        "months": [
            pgettext("short month", "Jan"),
            pgettext("short month", "Feb"),
            pgettext("short month", "Mar"),
            pgettext("short month", "Apr"),
            pgettext("short month", "May"),
            pgettext("short month", "Jun"),
            pgettext("short month", "Jul"),
            pgettext("short month", "Aug"),
            pgettext("short month", "Sep"),
            pgettext("short month", "Oct"),
            pgettext("short month", "Nov"),
            pgettext("short month", "Dec"),
        ],
        "date": _("%(d)s %(mon)s %(y)s"),
        "range": _("%(start)s – %(finish)s"),
        # Written with %% for gettext's format check; the chart fills in %(…)s itself.
        "bar": _("%(name)s, %(range)s, %(percent)s %%").replace("%%", "%"),
        "milestone": _("%(name)s, milestone, %(date)s"),
        "week": _("W%(n)s"),
        "quarter": _("Q%(n)s"),
        "half": _("H%(n)s"),
        "col_wbs": _("WBS"),
        "col_name": _("Task"),
        "col_start": _("Start"),
        "col_finish": _("Finish"),
        "col_duration": _("Days"),
        "col_percent": "%",
        "grid_label": _("Tasks"),
        "chart_label": _("Timeline"),
        "resize_grid": _("Resize task list"),
        "zoom": _("Zoom"),
        "zoom_day": _("Day"),
        "zoom_week": _("Week"),
        "zoom_month": _("Month"),
        "zoom_quarter": _("Quarter"),
        "zoom_year": _("Year"),
        "today": _("Today"),
        "expand_all": _("Expand all"),
        "collapse_all": _("Collapse all"),
        "indent": _("Indent"),
        "outdent": _("Outdent"),
        "link_label": _("Link from %(from)s to %(to)s"),
        "link_selected": _("Link selected. Press Delete to remove it."),
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "error": _("The change was not saved."),
        "conflict": _("Someone else changed this task in the meantime; the chart shows theirs."),
        "keyboard_help": _(
            "Arrow keys move between tasks, Right and Left expand and collapse, Enter opens. "
            "Tab and Shift+Tab indent and outdent, Alt+Arrow moves a task a day, "
            "Alt+Shift+Arrow changes its length, Escape leaves the list."
        ),
    }
