"""E-mail backends for tests of a mail server that is down."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every connection is refused, as `smtplib` would report it.

    `attempts` counts the connections tried (reset it in the test).
    """

    attempts = 0

    def open(self) -> bool:
        type(self).attempts += 1
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self) -> None:
        return None

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        if not email_messages:
            return 0
        self.open()
        return 0


class BusyBackend(BaseEmailBackend):
    """A mail server that accepts the connection but answers every message "try later"."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        if not email_messages:
            return 0
        raise smtplib.SMTPResponseException(421, b"Service not available, try again later")


class DroppingBackend(locmem.EmailBackend):
    """A mail server that takes `deliver` messages, then drops the connection for good.

    What it takes lands in `django.core.mail.outbox`, as with the test backend.
    """

    deliver = 1
    delivered = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        sent = 0
        for message in email_messages:
            if type(self).delivered >= type(self).deliver:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            sent += super().send_messages([message])
            type(self).delivered += 1
        return sent
