"""The e-mail digest: each subscriber's open and overdue actions and items due for review.

`send_due_digests` runs in the worker once an hour and queues itself again; it sends each
subscriber at most one digest a day (daily) or a week (weekly, on Mondays), after 07:00 in
the subscriber's time zone. A page never waits for it.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakel.accounts.models import User
from schakel.lib.tasks import is_mail_outage

from . import access
from .models import Action, Assumption, Decision, Risk

logger = logging.getLogger(__name__)

SEND_FROM_HOUR = 7
REVIEW_HORIZON = datetime.timedelta(days=7)


@dataclass
class Digest:
    """What one person's digest holds."""

    user: Any
    today: datetime.date
    overdue_actions: list[Action] = field(default_factory=list)
    upcoming_actions: list[Action] = field(default_factory=list)
    risks_to_review: list[Risk] = field(default_factory=list)
    assumptions_to_validate: list[Assumption] = field(default_factory=list)
    decisions_waiting: list[Decision] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_actions
            or self.upcoming_actions
            or self.risks_to_review
            or self.assumptions_to_validate
            or self.decisions_waiting
        )


def _local_now(user: Any, now: datetime.datetime) -> datetime.datetime:
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return now.astimezone(zone)


def is_due(user: Any, now: datetime.datetime) -> bool:
    """Whether a subscriber's next digest is due at `now` (an aware datetime)."""
    if user.digest == User.Digest.OFF or not user.is_active or not user.email:
        return False
    local = _local_now(user, now)
    if local.hour < SEND_FROM_HOUR:
        return False
    if user.digest == User.Digest.WEEKLY and local.weekday() != 0:
        return False
    if user.digest_sent_at is None:
        return True
    last = _local_now(user, user.digest_sent_at)
    return last.date() < local.date()


def build(user: Any, *, today: datetime.date | None = None) -> Digest:
    """Collect a person's digest from the items they may still see."""
    today = today or timezone.localdate()
    horizon = today + REVIEW_HORIZON
    digest = Digest(user=user, today=today)
    actions = (
        access.visible_items(user, Action)
        .filter(status__in=Action.OPEN_STATUSES)
        .filter(owner=user)
        .select_related("project", "programme")
        .order_by("due", "pk")
    )
    digest.overdue_actions = [a for a in actions if a.due and a.due < today]
    digest.upcoming_actions = [a for a in actions if a.due and today <= a.due <= horizon]
    digest.risks_to_review = list(
        access.visible_items(user, Risk)
        .filter(status__in=Risk.OPEN_STATUSES)
        .filter(Q(owner=user) | Q(actionee=user), review_date__lte=horizon)
        .select_related("project", "programme")
        .order_by("review_date", "pk")
    )
    digest.assumptions_to_validate = list(
        access.visible_items(user, Assumption)
        .filter(status__in=Assumption.OPEN_STATUSES)
        .filter(owner=user, validate_by__lte=horizon)
        .select_related("project", "programme")
        .order_by("validate_by", "pk")
    )
    digest.decisions_waiting = list(
        access.visible_items(user, Decision)
        .filter(status=Decision.Status.PROPOSED)
        .filter(Q(decided_by=user) | Q(owner=user))
        .select_related("project", "programme")
        .order_by("needed_by", "pk")
    )
    return digest


def render(digest: Digest) -> EmailMultiAlternatives:
    """Write the digest as an e-mail (plain text and HTML) in the person's language."""
    user = digest.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"digest": digest, "user": user, "site_url": settings.SITE_URL}
        subject = _("Your Schakel digest: %(overdue)s overdue, %(upcoming)s due this week") % {
            "overdue": len(digest.overdue_actions),
            "upcoming": len(digest.upcoming_actions),
        }
        text = render_to_string("registers/email/digest.txt", context)
        html = render_to_string("registers/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def claim(user: Any, now: datetime.datetime) -> bool:
    """Mark a digest as sent unless another worker did so first (one row update decides)."""
    updated = (
        User.objects.filter(pk=user.pk)
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at=user.digest_sent_at))
        .update(digest_sent_at=now)
    )
    return updated == 1


def release(user: Any, now: datetime.datetime) -> None:
    """Undo `claim` after a failed send, so that the next round sends the digest again."""
    User.objects.filter(pk=user.pk, digest_sent_at=now).update(digest_sent_at=user.digest_sent_at)


def send_due(now: datetime.datetime | None = None) -> int:
    """Send every digest that is due; return how many were sent.

    When the mail server cannot be reached the digest is not marked as sent, an error is
    logged and the round stops: the hourly round after it tries again. An address the
    server refuses is logged and stays marked as sent for the day (trying again would not help).
    """
    now = now or timezone.now()
    sent = 0
    subscribers = User.objects.filter(is_active=True).exclude(digest=User.Digest.OFF)
    for user in subscribers.exclude(email=""):
        if not is_due(user, now):
            continue
        digest = build(user, today=_local_now(user, now).date())
        if digest.is_empty or not claim(user, now):
            continue
        try:
            render(digest).send()
        except OSError as error:
            summary = " ".join(f"{type(error).__name__}: {error}".split())[:300]
            if not is_mail_outage(error):
                logger.error("The digest of user %s was refused: %s", user.pk, summary)
                continue
            release(user, now)
            logger.error(
                "Digests could not be sent, the next round tries again (user %s): %s",
                user.pk,
                summary,
            )
            break
        sent += 1
    return sent
