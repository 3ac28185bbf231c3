"""Background tasks of the accounts app, run by `schakel worker`."""

from __future__ import annotations

import logging

from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_password_reset_task(
    user_id: int,
    to_email: str,
    site_url: str,
    templates: list[str],
    from_email: str | None = None,
    language: str | None = None,
    attempt: int = 1,
) -> int:
    """Write and send a password-reset message; return how many went (0 or 1).

    The link is made here, in the worker, and never stored: the queue (which a site
    administrator can read under Task results) holds only the user, the address and the
    template names. A retry after a mail outage makes a fresh link. Nothing is sent when
    the account was deactivated, lost its password or changed its address in the meantime.
    `templates` are the subject, text and HTML templates ("" for none); the message is in the
    user's language, else in `language` (the one of the page that asked).
    """
    from schakel.lib.tasks import deliver, retry_mail_later

    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or user.email.lower() != to_email.lower():
        logger.info("Password reset for user %s not sent: the account changed", user_id)
        return 0
    subject_template, text_template, html_template = templates
    context = {
        "email": to_email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": site_url,
    }
    with translation.override(user.language or language or translation.get_language()):
        subject = "".join(render_to_string(subject_template, context).splitlines())
        body = render_to_string(text_template, context)
        html = render_to_string(html_template, context) if html_template else None
    try:
        return deliver(subject, body, [to_email], from_email, html)
    except OSError as error:
        retry_mail_later(
            send_password_reset_task,
            [user_id, to_email, site_url, templates, from_email, language],
            attempt=attempt,
            error=error,
            what=f"the password reset for user {user_id}",
        )
        raise
