"""Users, their memberships (roles on a portfolio, programme or project) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakel.lib.models import TimestampedModel


def time_zone_choices() -> list[tuple[str, str]]:
    """List the IANA time zones a user may pick."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class User(AbstractUser):
    """A person who logs in: PMO officer, manager, team member or stakeholder.

    Site administrators are superusers; everyone else sees what their memberships allow.
    """

    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of pages and e-mails; empty follows the browser."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are shown in this zone; empty uses the site's zone."),
    )

    class Digest(models.TextChoices):
        OFF = "off", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly, on Mondays")

    digest = models.CharField(
        _("e-mail digest"),
        max_length=8,
        choices=Digest.choices,
        default=Digest.OFF,
        help_text=_("A morning e-mail with your open and overdue actions and items to review."),
    )
    digest_sent_at = models.DateTimeField(
        _("last digest sent"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "digest_sent_at"], user_related_name="+"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        parts = [p for p in (self.first_name, self.last_name) if p]
        if not parts:
            return self.username[:2].upper()
        return "".join(p[0] for p in parts[:2]).upper()

    def clean(self) -> None:
        super().clean()
        if self.time_zone and self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": _("Unknown time zone.")})


class Role(models.TextChoices):
    """What a member may do in a scope; a higher role includes every lower one."""

    VIEWER = "viewer", _("Viewer")
    MEMBER = "member", _("Member")
    MANAGER = "manager", _("Manager")
    PMO = "pmo", _("PMO")

    @classmethod
    def rank(cls, role: str | None) -> int:
        """Order roles: no role 0, viewer 1, member 2, manager 3, PMO 4."""
        order = {cls.VIEWER: 1, cls.MEMBER: 2, cls.MANAGER: 3, cls.PMO: 4}
        return order.get(role, 0) if role else 0  # type: ignore[call-overload]


class MembershipQuerySet(models.QuerySet):
    def for_scope(self, scope: models.Model) -> MembershipQuerySet:
        return self.filter(**{str(scope._meta.model_name): scope})


class Membership(TimestampedModel):
    """A user's role on exactly one portfolio, programme or project.

    A role on a portfolio applies to its programmes and projects; a role on a programme
    applies to its projects.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("portfolio"),
    )
    programme = models.ForeignKey(
        "portfolio.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("programme"),
    )
    project = models.ForeignKey(
        "portfolio.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("project"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(user_related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_exactly_one_scope",
                condition=(
                    Q(portfolio__isnull=False, programme__isnull=True, project__isnull=True)
                    | Q(portfolio__isnull=True, programme__isnull=False, project__isnull=True)
                    | Q(portfolio__isnull=True, programme__isnull=True, project__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "portfolio"],
                condition=Q(portfolio__isnull=False),
                name="membership_unique_portfolio",
            ),
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(programme__isnull=False),
                name="membership_unique_programme",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(project__isnull=False),
                name="membership_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.scope}"

    @property
    def scope(self) -> models.Model:
        return self.portfolio or self.programme or self.project  # type: ignore[return-value]

    @property
    def scope_kind(self) -> str:
        if self.portfolio_id:
            return "portfolio"
        if self.programme_id:
            return "programme"
        return "project"


TOKEN_PREFIX_LENGTH = 8


def hash_token(key: str) -> str:
    """Hash an API key for storage; keys are random enough that SHA-256 suffices."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API key. Only its hash is stored; the key is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in a personal calendar feed URL. Only its hash is stored.

    A user has at most one live feed token: creating a new one (rotating) revokes the old,
    so a leaked URL is shut off by one click. The feed shows only what its owner may see at
    the moment a calendar fetches it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("user"),
    )
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ThrottleCounter(models.Model):
    """How often one key (an address, an IP) did something in the current time window.

    Kept in the database so that every web process counts together. The key is stored as
    a SHA-256 hash, so the table holds no e-mail addresses or IP addresses.
    """

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    window_started = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("throttle counter")
        verbose_name_plural = _("throttle counters")

    def __str__(self) -> str:
        return f"{self.key_hash[:8]}… {self.hits}"
