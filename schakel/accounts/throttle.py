"""Throttles for what login throttling (axes) does not cover: reset e-mails, bad tokens.

A fixed-window counter per key, kept in the database (`ThrottleCounter`) so that all web
processes count together. Keys are hashed before they are stored. Each use names its
limit and window; `hit` counts one more attempt and says whether it is still allowed,
`blocked_here` looks without counting or querying.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import ThrottleCounter

# Counters whose window ended this long ago are removed when a new counter is made.
STALE_AFTER = timedelta(days=1)

# Keys this process saw go over their limit, with the end of their window, so that a hot
# path (every API request) can refuse them without asking the database each time.
_blocked_here: dict[str, datetime] = {}


@dataclass(frozen=True)
class Limit:
    """At most `attempts` within `window`, per key."""

    scope: str
    attempts: int
    window: timedelta


def _hash(limit: Limit, key: str) -> str:
    return hashlib.sha256(f"{limit.scope}\x00{key}".encode()).hexdigest()


def blocked_here(limit: Limit, key: str) -> int:
    """Seconds `key` is still blocked as far as this process knows (no query; 0 if not)."""
    until = _blocked_here.get(_hash(limit, key))
    if until is None:
        return 0
    left = math.ceil((until - timezone.now()).total_seconds())
    return max(0, left)


def forget_local() -> None:
    """Forget the keys this process saw blocked (for tests)."""
    _blocked_here.clear()


def hit(limit: Limit, key: str) -> bool:
    """Count one attempt of `key`; True while it is within `limit`, False once over."""
    allowed, window_started = _count(limit, _hash(limit, key))
    if not allowed:
        now = timezone.now()
        for stale in [k for k, until in _blocked_here.items() if until <= now]:
            del _blocked_here[stale]
        _blocked_here[_hash(limit, key)] = window_started + limit.window
    return allowed


def _count(limit: Limit, key_hash: str) -> tuple[bool, datetime]:
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                counters = ThrottleCounter.objects.select_for_update()
                counter = counters.filter(key_hash=key_hash).first()
                if counter is None:
                    ThrottleCounter.objects.filter(window_started__lt=now - STALE_AFTER).delete()
                    ThrottleCounter.objects.create(key_hash=key_hash, window_started=now, hits=1)
                    return limit.attempts >= 1, now
                if now - counter.window_started >= limit.window:
                    counter.window_started = now
                    counter.hits = 1
                else:
                    counter.hits += 1
                counter.save(update_fields=["window_started", "hits"])
                return counter.hits <= limit.attempts, counter.window_started
        except IntegrityError:
            # Another process made the counter between our read and our insert: count again.
            continue
    return False, now


def client_ip(request: HttpRequest) -> str:
    """The caller's address as the login throttle sees it (honours PROXY_COUNT)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def reset_limits() -> tuple[Limit, Limit]:
    """Password reset e-mails: per address asked for, and per caller's IP address."""
    hour = timedelta(hours=1)
    return (
        Limit("reset-address", settings.PASSWORD_RESET_PER_ADDRESS, hour),
        Limit("reset-ip", settings.PASSWORD_RESET_PER_IP, hour),
    )


def token_failure_limit() -> Limit:
    """Unknown or revoked API and calendar feed tokens, per caller's IP address."""
    return Limit("token-ip", settings.TOKEN_FAILURES_PER_IP, timedelta(minutes=15))
