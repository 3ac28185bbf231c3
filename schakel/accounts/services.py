"""Account changes shared by pages, the API and the command line."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import TOKEN_PREFIX_LENGTH, ApiToken, hash_token


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
