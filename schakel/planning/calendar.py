"""Milestones in the personal calendar feed: a source for `schakel.meetings.calendar`.

Each milestone of a project the feed's owner may see today is an all-day event on its
forecast date, within the feed's window (`FEED_PAST` ago to `FEED_FUTURE` ahead). Its
description gives the baseline date and the slip in working days, and it links to the plan.
A fixed number of queries, whatever the number of projects and milestones.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.core.exports.ics import CalendarEvent
from schakel.meetings.calendar import FEED_FUTURE, FEED_PAST, absolute, site_host
from schakel.portfolio import access as portfolio_access

from .milestones import Milestone, project_milestones


def slip_text(milestone: Milestone) -> str:
    """The milestone against its baseline, in words (working days)."""
    if milestone.baseline is None:
        return _("No baseline yet.")
    baseline = date_format(milestone.baseline)
    slip = milestone.slip_days or 0
    if slip > 0:
        return ngettext(
            "Baseline %(date)s: %(days)d working day later.",
            "Baseline %(date)s: %(days)d working days later.",
            slip,
        ) % {"date": baseline, "days": slip}
    if slip < 0:
        return ngettext(
            "Baseline %(date)s: %(days)d working day earlier.",
            "Baseline %(date)s: %(days)d working days earlier.",
            -slip,
        ) % {"date": baseline, "days": -slip}
    return _("Baseline %(date)s: on time.") % {"date": baseline}


def milestone_event(milestone: Milestone, project: Any) -> CalendarEvent:
    """One milestone as an all-day event on its forecast date, linking to the plan."""
    url = absolute(reverse("planning:project_plan", args=[project.pk]))
    lines = [f"{project.key} {project.name}", slip_text(milestone)]
    if milestone.done:
        lines.append(_("Done."))
    elif milestone.late:
        lines.append(_("Late: the date has passed and it is not done."))
    lines += ["", _("Plan: %(url)s") % {"url": url}]
    return CalendarEvent(
        uid=f"milestone-{milestone.task_id}@{site_host()}",
        sequence=milestone.version,
        summary=f"◆ {project.key} {milestone.name}",
        start=milestone.forecast,
        end=milestone.forecast,
        description="\n".join(lines),
        url=url,
        categories=(_("Milestone"),),
    )


def milestone_events(user: Any, *, today: datetime.date | None = None) -> list[CalendarEvent]:
    """The milestones of every running project the user may see, within the feed's window."""
    today = today or timezone.localdate()
    projects = {
        p.pk: p
        for p in portfolio_access.visible_projects(user)
        .filter(archived_at__isnull=True)
        .only("pk", "key", "name")
    }
    if not projects:
        return []
    found = project_milestones(
        list(projects), today=today, first=today - FEED_PAST, last=today + FEED_FUTURE
    )
    return [
        milestone_event(milestone, projects[project_id])
        for project_id, milestones in sorted(found.items(), key=lambda item: projects[item[0]].key)
        for milestone in milestones
    ]
