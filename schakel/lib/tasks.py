"""Background tasks shared by every app; `schakel worker` runs them.

Tasks take and return JSON-serialisable values only: the database backend stores the
arguments and the result in a table until a worker picks the task up.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# A mail task that cannot reach the mail server is tried this many times in all, waiting
# longer each time (the waits before the 2nd, 3rd, ... attempt); then it gives up, logs an
# error and is marked failed in Site administration -> Task results.
MAIL_ATTEMPTS = 5
MAIL_BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)


def is_mail_outage(error: BaseException) -> bool:
    """Whether `error` is worth trying again later: the mail server was unreachable, timed
    out or answered "try later". Refused addresses are not (SMTP errors are OSErrors)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)


def retry_mail_later(
    mail_task: Task[Any, Any],
    args: list[Any],
    *,
    attempt: int,
    error: BaseException,
    what: str,
) -> bool:
    """Queue `mail_task` again after the back-off for `attempt`; False when it gives up.

    It gives up after `MAIL_ATTEMPTS`, on an error that retrying will not cure, and on a
    backend that cannot run a task later. Either way the caller raises the error, so this
    attempt shows as failed with its cause.
    """
    summary = " ".join(f"{type(error).__name__}: {error}".split())[:300]
    backend = mail_task.get_backend()
    if attempt < MAIL_ATTEMPTS and is_mail_outage(error) and backend.supports_defer:
        wait = MAIL_BACKOFF[min(attempt, len(MAIL_BACKOFF)) - 1]
        mail_task.using(run_after=timezone.now() + wait).enqueue(*args, attempt=attempt + 1)
        logger.warning(
            "Could not send %s (attempt %d of %d), trying again in %s: %s",
            what,
            attempt,
            MAIL_ATTEMPTS,
            wait,
            summary,
        )
        return True
    logger.error("Gave up sending %s after %d attempt(s): %s", what, attempt, summary)
    return False


@task()
def send_mail_task(
    subject: str,
    message: str,
    recipient_list: list[str],
    from_email: str | None = None,
    html_message: str | None = None,
    reply_to: list[str] | None = None,
    attempt: int = 1,
) -> int:
    """Send one e-mail (plain text, optionally with an HTML part) and return how many went.

    Sending happens in the worker so that a slow or unreachable mail server never holds up
    a page. While the mail server is unreachable the task queues itself again with a
    growing wait (`retry_mail_later`); each failed attempt is marked failed with its error,
    where an operator sees it, and the last one logs an error.
    """
    try:
        return deliver(subject, message, recipient_list, from_email, html_message, reply_to)
    except OSError as error:
        retry_mail_later(
            send_mail_task,
            [subject, message, list(recipient_list), from_email, html_message, reply_to],
            attempt=attempt,
            error=error,
            what=f"the e-mail {subject!r}",
        )
        raise


def deliver(
    subject: str,
    message: str,
    recipient_list: list[str],
    from_email: str | None = None,
    html_message: str | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """Send one e-mail now (plain text, optionally with an HTML part); return how many went.

    Only for code that runs in the worker: a page queues `send_mail_task` instead.
    """
    mail = EmailMultiAlternatives(
        subject=subject,
        body=message,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(recipient_list),
        reply_to=list(reply_to or []),
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    return mail.send()
