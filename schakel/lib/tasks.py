"""Background tasks shared by every app; `schakel worker` runs them.

Tasks take and return JSON-serialisable values only: the database backend stores the
arguments and the result in a table until a worker picks the task up.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_mail_task(
    subject: str,
    message: str,
    recipient_list: list[str],
    from_email: str | None = None,
    html_message: str | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """Send one e-mail (plain text, optionally with an HTML part) and return how many went.

    Sending happens in the worker so that a slow or unreachable mail server never holds up
    a page; a failure marks the task as failed with the error, where an operator sees it.
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
