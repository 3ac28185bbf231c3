"""API authentication by personal token: `Authorization: Token <key>`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import throttle
from .middleware import apply_preferences
from .models import ApiToken, hash_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate a request by a personal API token, compared by its hash."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        # A caller that sent too many bad tokens is refused, good token or not, until its
        # window ends; the check costs no query (see throttle.blocked_here).
        limit = throttle.token_failure_limit()
        caller = throttle.client_ip(getattr(request, "_request", request))
        wait = throttle.blocked_here(limit, caller)
        if wait:
            raise exceptions.Throttled(wait=wait)
        try:
            key = header[1].decode("ascii")
        except UnicodeError as exc:
            self._failed(limit, caller)
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_token(key))
            .first()
        )
        if token is None or not token.user.is_active:
            self._failed(limit, caller)
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        # Write the last use at most once a minute to keep reads cheap.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The session's preferences were applied by middleware; a token's user only now
        # becomes known, so their language and time zone apply from here on.
        apply_preferences(getattr(request, "_request", request), token.user)
        return token.user, token

    @staticmethod
    def _failed(limit: throttle.Limit, caller: str) -> None:
        """Count a bad token; over the limit, answer 429 instead of 401."""
        if not throttle.hit(limit, caller):
            raise exceptions.Throttled(wait=throttle.blocked_here(limit, caller))

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
