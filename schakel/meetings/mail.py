"""E-mailing published minutes to everyone who was invited or present.

Each recipient gets a message of their own (nobody sees the other addresses), in their
language (guests get the site's), as HTML with a plain-text alternative and the Word
document attached. Sending runs in the worker (`tasks.send_minutes_task`) so publishing
never waits for a mail server; `queue_minutes` schedules it once the publishing
transaction has committed. Header values are made from user text (the meeting's title,
people's names), so every control character is taken out of them first: a title with a
line break must not add a header.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from schakel.core.exports.docx import minutes_docx
from schakel.lib.tasks import is_mail_outage

from .minutes import minutes_from_json
from .minutes_doc import DOCX_TYPE, document, filename
from .models import Meeting, MinutesVersion

logger = logging.getLogger(__name__)

# C0 and C1 control characters and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_header(value: str) -> str:
    """Return `value` fit for an e-mail header: no CR, LF or other control characters."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def recipients(meeting: Meeting) -> list[Recipient]:
    """Everyone on the attendance list with an address, once each; inactive users skipped."""
    found: dict[str, Recipient] = {}
    rows = list(meeting.attendance.select_related("user").order_by("pk"))
    # People with an account first: their language wins over a guest row with the same address.
    rows.sort(key=lambda row: row.user_id is None)
    for row in rows:
        user = row.user
        if user is not None and not user.is_active:
            continue
        address = clean_header(row.contact_email)
        if not address or "@" not in address or address.lower() in found:
            continue
        language = (getattr(user, "language", "") or settings.LANGUAGE_CODE) if user else ""
        found[address.lower()] = Recipient(
            email=address,
            name=clean_header(row.display_name),
            language=language or settings.LANGUAGE_CODE,
        )
    return list(found.values())


def _minutes_url(version: MinutesVersion) -> str:
    path = reverse("meetings:minutes", args=[version.meeting_id])
    return f"{settings.SITE_URL}{path}?version={version.number}"


def _message(
    version: MinutesVersion,
    recipient: Recipient,
    *,
    attachment: tuple[str, bytes],
    by: Any,
    connection: Any,
) -> EmailMultiAlternatives:
    """One recipient's message, written in their language."""
    minutes = minutes_from_json(version.data)
    with translation.override(recipient.language):
        day = formats.date_format(minutes.start.date(), "DATE_FORMAT")
        subject = _("Minutes: %(title)s – %(date)s") % {"title": minutes.title, "date": day}
        context = {
            **document(minutes),
            "recipient": recipient,
            "sender": by.display_name if getattr(by, "is_authenticated", False) else "",
            "number": version.number,
            "url": _minutes_url(version),
            "day": day,
            "language": recipient.language,
            "subject": subject,
        }
        text = render_to_string("meetings/email/minutes.txt", context)
        html = render_to_string("meetings/email/minutes.html", context)
    reply_to = []
    sender_email = clean_header(getattr(by, "email", "") or "")
    if sender_email and "@" in sender_email:
        reply_to.append(sender_email)
    message = EmailMultiAlternatives(
        subject=clean_header(subject),
        body=text,
        to=[formataddr((recipient.name, recipient.email))],
        reply_to=reply_to,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.attach(attachment[0], attachment[1], DOCX_TYPE)
    return message


class MinutesPartlySent(Exception):
    """Some recipients got the minutes, then the mail server went away before the others did.

    `pending` holds the addresses to try again later; `cause` is the mail server's error.
    """

    def __init__(self, sent: int, pending: list[str], cause: Exception):
        super().__init__(
            f"Sent to {sent} recipient(s); {len(pending)} still to go after "
            f"{type(cause).__name__}: {cause}"
        )
        self.sent = sent
        self.pending = pending
        self.cause = cause


def send_minutes(
    version: MinutesVersion, *, by: Any = None, only: Collection[str] | None = None
) -> int:
    """Send a published version to every recipient, one message each; return how many went.

    `only` limits the sending to those addresses: the ones an earlier attempt could not
    reach. A refused address does not stop the others; it is logged. `sent_at` and
    `sent_to` on the version record the sending (a retry adds to `sent_to`). When not one
    message went out (the mail server is down or refused them all) the last error is
    raised and nothing is recorded, so the task tries again and the page keeps saying the
    minutes were not sent. When the mail server goes away halfway, what went is recorded
    and `MinutesPartlySent` names the recipients still to go.
    """
    meeting = version.meeting
    people = recipients(meeting)
    if only is not None:
        wanted = {address.lower() for address in only}
        people = [person for person in people if person.email.lower() in wanted]
        if not people:  # they left the attendance list in the meantime
            return 0
    minutes = minutes_from_json(version.data)
    attachment = (filename(minutes, f"v{version.number}", "docx"), minutes_docx(minutes))
    sent = 0
    failure: Exception | None = None
    pending: list[str] = []
    connection = get_connection()
    try:
        connection.open()
        for recipient in people:
            message = _message(
                version, recipient, attachment=attachment, by=by, connection=connection
            )
            try:
                sent += message.send()
            except Exception as error:
                failure = error
                if is_mail_outage(error):
                    pending.append(recipient.email)
                logger.exception(
                    "Minutes %s v%s could not be sent to one recipient",
                    meeting.pk,
                    version.number,
                )
    finally:
        try:
            connection.close()
        except OSError:  # the server already went away; what went is what counts
            logger.warning("Closing the mail connection failed", exc_info=True)
    if failure is not None and not sent:
        raise failure
    count = F("sent_to") + sent if only is not None else Value(sent)
    MinutesVersion.objects.filter(pk=version.pk).update(sent_at=timezone.now(), sent_to=count)
    if pending and failure is not None:
        raise MinutesPartlySent(sent, pending, failure)
    return sent


def queue_minutes(version: MinutesVersion, *, by: Any = None) -> int:
    """Have the worker send `version` once the current transaction commits.

    Returns how many people it goes to, for the page's message.
    """
    from .tasks import send_minutes_task

    by_id = by.pk if getattr(by, "is_authenticated", False) else None
    transaction.on_commit(lambda: send_minutes_task.enqueue(version.pk, by_id))
    return len(recipients(version.meeting))
