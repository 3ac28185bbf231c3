"""Reminders to project managers whose progress report is not yet with the PMO.

The worker (`tasks.send_due_reminders`, once a day) asks `due_reminders` which reminders
today calls for: `remind_days_before` calendar days before the due date, on the due date,
and every `remind_overdue_every` days once the report is late — each only while the
project's newest report of the period is missing, a draft or returned. `ReminderLog` keeps
a reminder from going out twice, however often the worker runs. The PMO can also remind
one project by hand (`send_manual`) from the compliance view.

Each person gets a message of their own, in their language, as HTML with a plain-text
alternative. The subject is made from user text (the project's key), so it goes through
`clean_header`: a line break in it must not add a header.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Role, User
from schakel.core.reporting.periods import Period
from schakel.meetings.mail import clean_header
from schakel.portfolio.models import Project

from . import services
from .models import ReminderLog, ReportingCycle

logger = logging.getLogger(__name__)

Kind = ReminderLog.Kind
PENDING_STATES = frozenset({"missing", "draft", "returned"})


@dataclass(frozen=True)
class Reminder:
    """One reminder today calls for: a project's report of a period, and why now."""

    cycle: ReportingCycle
    project: Project
    period: Period
    kind: str
    day: datetime.date


def _kinds_today(cycle: ReportingCycle, period: Period, today: datetime.date) -> list[str]:
    """Which scheduled reminders of the cycle fall on `today` for the period."""
    kinds = []
    days_left = (period.due - today).days
    if cycle.remind_days_before > 0 and days_left == cycle.remind_days_before:
        kinds.append(Kind.BEFORE.value)
    if cycle.remind_on_due and days_left == 0:
        kinds.append(Kind.DUE.value)
    every = cycle.remind_overdue_every
    if every > 0 and days_left < 0 and (-days_left) % every == 0:
        kinds.append(Kind.OVERDUE.value)
    return kinds


def due_reminders(today: datetime.date | None = None) -> list[Reminder]:
    """Every scheduled reminder for `today` that has not been sent yet."""
    today = today or timezone.localdate()
    found: list[Reminder] = []
    cycles = ReportingCycle.objects.filter(active=True, deleted_at__isnull=True).order_by("pk")
    for cycle in cycles:
        period = services.reporting_period(cycle, today)
        kinds = _kinds_today(cycle, period, today)
        if not kinds:
            continue
        sent = set(
            ReminderLog.objects.filter(
                cycle=cycle, period_end=period.end, sent_on=today, kind__in=kinds
            ).values_list("project_id", "kind")
        )
        for row in services.compliance(cycle, period, today):
            if row.state not in PENDING_STATES:
                continue
            for kind in kinds:
                if (row.project.pk, kind) not in sent:
                    found.append(Reminder(cycle, row.project, period, kind, today))
    return found


def recipients(project: Project) -> list[User]:
    """The project manager; without one (or without an address), the project's managers."""
    manager = project.manager
    if manager is not None and manager.is_active and manager.email:
        return [manager]
    user_ids = Membership.objects.filter(project=project, role=Role.MANAGER).values("user_id")
    return list(
        User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    )


def report_url(cycle: ReportingCycle, project: Project) -> str:
    """Where the reader writes the report: the project's Reports tab, with its "Write
    report" button per cycle (starting a report is a POST, which a mail link cannot make).
    The project's page stands in should the reporting pages be absent."""
    try:
        path = reverse("reporting:project_reports", args=[project.pk])
    except NoReverseMatch:
        path = project.get_absolute_url()
    return f"{settings.SITE_URL}{path}"


def render(
    reminder: Reminder, user: User, *, today: datetime.date, by: Any = None
) -> EmailMultiAlternatives:
    """One person's reminder, written in their language."""
    period, project = reminder.period, reminder.project
    overdue = today > period.due
    with translation.override(user.language or settings.LANGUAGE_CODE):
        due = formats.date_format(period.due, "j F")
        if overdue:
            subject = _("Progress report %(project)s overdue since %(date)s") % {
                "project": project.key,
                "date": due,
            }
        else:
            subject = _("Progress report %(project)s due %(date)s") % {
                "project": project.key,
                "date": due,
            }
        context = {
            "user": user,
            "project": project,
            "cycle": reminder.cycle,
            "period": period,
            "overdue": overdue,
            "manual": reminder.kind == Kind.MANUAL,
            "sender": by.display_name if getattr(by, "is_authenticated", False) else "",
            "url": report_url(reminder.cycle, project),
            "subject": subject,
            "language": user.language or settings.LANGUAGE_CODE,
        }
        text = render_to_string("reporting/email/reminder.txt", context)
        html = render_to_string("reporting/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=clean_header(subject),
        body=text,
        to=[formataddr((clean_header(user.display_name), clean_header(user.email)))],
    )
    message.attach_alternative(html, "text/html")
    return message


class ReminderNotSent(Exception):
    """Not one message of a reminder went out: the mail server is down or refused them."""

    @property
    def message(self) -> str:
        """What the page and the API tell the PMO."""
        return _("No reminder was sent: the mail server did not answer. Please try again later.")


def _send(reminder: Reminder, *, today: datetime.date, by: Any = None) -> tuple[int, int]:
    """Mail everyone the reminder goes to and log it; return how many were mailed and how
    many could not be (those are not logged as sent, so a later round sends them)."""
    people = recipients(reminder.project)
    if not people:
        logger.warning(
            "No one to remind about the report of project %s (cycle %s, period ending %s)",
            reminder.project.key,
            reminder.cycle.pk,
            reminder.period.end,
        )
        return 0, 0
    sent = failed = 0
    for user in people:
        try:
            sent += render(reminder, user, today=today, by=by).send()
        except Exception:
            failed += 1
            logger.exception(
                "A report reminder for project %s could not be sent", reminder.project.key
            )
            continue
        ReminderLog.objects.create(
            cycle=reminder.cycle,
            project=reminder.project,
            period_end=reminder.period.end,
            kind=reminder.kind,
            sent_on=today,
            sent_to=user.email,
        )
    return sent, failed


def send_due_counting(today: datetime.date | None = None) -> tuple[int, int]:
    """Send every reminder due today; return how many messages went out and how many not."""
    today = today or timezone.localdate()
    sent = failed = 0
    for reminder in due_reminders(today):
        went, not_sent = _send(reminder, today=today)
        sent += went
        failed += not_sent
    return sent, failed


def send_due(today: datetime.date | None = None) -> int:
    """Send every reminder due today; return how many messages went out."""
    return send_due_counting(today)[0]


def send_manual(*, cycle: ReportingCycle, project: Project, period: Period, by: Any) -> int:
    """The PMO's one-click reminder for one project: always sent, logged; how many mailed.

    Raises `ReminderNotSent` when there was someone to mail but not one message went out,
    so the page can say so instead of claiming the project has no manager.
    """
    today = timezone.localdate()
    reminder = Reminder(cycle, project, period, Kind.MANUAL.value, today)
    sent, failed = _send(reminder, today=today, by=by)
    if failed and not sent:
        raise ReminderNotSent(project.key)
    return sent
