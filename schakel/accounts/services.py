"""Account changes shared by pages, the API and the command line."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from .models import TOKEN_PREFIX_LENGTH, ApiToken, FeedToken, hash_token


def token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create an API token; return it with the plain key, which is never stored."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API",
        prefix=key[:TOKEN_PREFIX_LENGTH],
        key_hash=hash_token(key),
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working on the next request."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def feed_token_rotate(*, user: Any) -> tuple[FeedToken, str]:
    """Give the user a new calendar feed token, revoking any earlier one.

    Returns the token and the plain key, which is shown once and never stored.
    """
    now = timezone.now()
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        user=user, prefix=key[:TOKEN_PREFIX_LENGTH], key_hash=hash_token(key)
    )
    return token, key


def feed_token_revoke(*, user: Any) -> int:
    """Switch the user's calendar feed off; returns how many tokens were revoked."""
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_token_user(key: str) -> Any | None:
    """The active user a feed key belongs to, or None. Records when the feed was read."""
    if not key or len(key) > 100:
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
