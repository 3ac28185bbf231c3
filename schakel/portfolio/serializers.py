"""API representations of the portfolio tree and of memberships.

Each object has one serializer for reading and creating, and an `...UpdateSerializer`
for PUT/PATCH that requires the `version` the edit started from and refuses the fields
that only an action may change (the programme of a project: `move`). Foreign keys in a
body only accept objects the caller may see, so a hidden object reads "does not exist",
exactly like a missing one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from schakel.accounts.models import Membership, Role, User
from schakel.accounts.serializers import StrictSerializerMixin, UserSummarySerializer

from . import access
from .models import Portfolio, Programme, Project, Theme, project_key_validator

if TYPE_CHECKING:
    # How fields that take an object by id are typed, whether writable or read-only.
    RelatedId = serializers.PrimaryKeyRelatedField[Any]

ARCHIVE_HINT = _("Use the archive and unarchive actions.")
VERSION_HINT = _("The version is set by the server; send it only with an update.")


def _caller(field: serializers.Field) -> Any:
    return field.context["request"].user


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key by id that only accepts objects the caller may see.

    `queryset` (all rows) serves the schema; `visible(user)` narrows it per request.
    """

    def __init__(self, *, visible: Callable[[Any], QuerySet[Any]], **kwargs: Any):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.visible(_caller(self))


def _active_visible_users(user: Any) -> QuerySet[User]:
    return access.visible_users(user).filter(is_active=True)


class UserRefField(VisibleRelatedField):
    """A person: written as an id, read as `{id, username, display_name}`.

    A write accepts an active person the caller may see, or the one already set (so that
    sending an object back unchanged never fails).
    """

    def __init__(self, *, visible: Callable[[Any], QuerySet[Any]] = _active_visible_users, **kw):
        if not kw.get("read_only"):
            kw.setdefault("queryset", User.objects.all())
        super().__init__(visible=visible, **kw)

    def use_pk_only_optimization(self) -> bool:
        return False

    def get_queryset(self) -> QuerySet[User]:
        queryset = super().get_queryset()
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, f"{self.source}_id", None) if instance is not None else None
        if current is not None:
            queryset = queryset | User.objects.filter(pk=current)
        return queryset

    def to_representation(self, value: Any) -> dict[str, Any]:
        # The fields of `UserSummarySerializer`, without building a serializer per value
        # (that cost about a millisecond a person, most of a list's time).
        return {"id": value.pk, "username": value.username, "display_name": value.display_name}

    def get_choices(self, cutoff: int | None = None) -> dict[Any, str]:
        # The browsable API's select needs ids as keys, not the summaries we read out.
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {user.pk: self.display_value(user) for user in queryset}


class UserRefFieldExtension(OpenApiSerializerFieldExtension):
    """Describe `UserRefField` to the schema: an integer in requests, a summary in responses."""

    target_class = UserRefField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(UserSummarySerializer, direction).ref


class TagNamesField(serializers.ListField):
    """Tags as a list of names; unknown names become new tags."""

    child = serializers.CharField(max_length=50)

    def to_representation(self, data: Any) -> list[str]:
        # Prefetched tags are read from the cache as they are: `.all()` would copy the
        # query for every item of a page first.
        cache = getattr(data.instance, "_prefetched_objects_cache", {})
        tags = cache.get(data.prefetch_cache_name)
        return [tag.name for tag in (tags if tags is not None else data.all())]


class UpperCaseCharField(serializers.CharField):
    """Text that is stored in capitals (project keys), so `odi` is accepted as `ODI`."""

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(data).upper()


class PageUrlMixin(serializers.Serializer):
    """Add `url`: the object's page in the web application."""

    url = serializers.SerializerMethodField(help_text=_("The object's page."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Any) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class VersionedUpdateMixin(serializers.Serializer):
    """Require the `version` an edit started from, on PUT and PATCH alike."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version this edit started from (see the object).")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # PATCH skips required fields, so check the version by hand.
        if "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [serializers.Field.default_error_messages["required"]]}
            )
        return super().validate(attrs)


# Portfolio ------------------------------------------------------------------------


class PortfolioSerializer(StrictSerializerMixin, PageUrlMixin, serializers.ModelSerializer):
    """A portfolio."""

    refused_hints = {"version": VERSION_HINT}

    class Meta:
        model = Portfolio
        fields = ["id", "name", "description", "version", "url", "created_at", "updated_at"]


class PortfolioUpdateSerializer(VersionedUpdateMixin, PortfolioSerializer):
    """A change to a portfolio, from the `version` it started from."""


# Programme ------------------------------------------------------------------------


class ProgrammeSerializer(StrictSerializerMixin, PageUrlMixin, serializers.ModelSerializer):
    """A programme, with its portfolio's name and its manager and sponsor."""

    refused_hints = {"version": VERSION_HINT, "archived": ARCHIVE_HINT, "archived_at": ARCHIVE_HINT}

    portfolio: RelatedId = VisibleRelatedField(
        queryset=Portfolio.objects.all(), visible=access.visible_portfolios
    )
    portfolio_name = serializers.CharField(source="portfolio.name", read_only=True)
    manager = UserRefField(required=False, allow_null=True)
    sponsor = UserRefField(required=False, allow_null=True)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "portfolio",
            "portfolio_name",
            "name",
            "key",
            "description",
            "manager",
            "sponsor",
            "state",
            "start_date",
            "end_date",
            "archived",
            "archived_at",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]

    def get_archived(self, obj: Programme) -> bool:
        return obj.archived_at is not None


class ProgrammeUpdateSerializer(VersionedUpdateMixin, ProgrammeSerializer):
    """A change to a programme; its portfolio stays."""

    refused_hints = {
        **ProgrammeSerializer.refused_hints,
        "portfolio": _("A programme stays in its portfolio."),
    }

    portfolio: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)


# Theme ----------------------------------------------------------------------------


class ThemeSerializer(StrictSerializerMixin, PageUrlMixin, serializers.ModelSerializer):
    """A theme (workstream) of a programme; new themes go last."""

    refused_hints = {
        "version": VERSION_HINT,
        "position": _("New themes go last; change the position with an update."),
    }

    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(), visible=access.visible_programmes
    )
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "programme",
            "programme_name",
            "name",
            "description",
            "position",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["position"]


class ThemeUpdateSerializer(VersionedUpdateMixin, ThemeSerializer):
    """A change to a theme; it stays in its programme."""

    refused_hints = {"programme": _("A theme stays in its programme.")}

    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    position = serializers.IntegerField(min_value=0, required=False)


# Project --------------------------------------------------------------------------


class ProjectSerializer(StrictSerializerMixin, PageUrlMixin, serializers.ModelSerializer):
    """A project with its programme, theme, people, tags and state."""

    refused_hints = {"version": VERSION_HINT, "archived": ARCHIVE_HINT, "archived_at": ARCHIVE_HINT}

    key = UpperCaseCharField(
        max_length=10,
        validators=[
            project_key_validator,
            # Keys stay unique in the trash too, so check against every row.
            UniqueValidator(
                queryset=Project.all_objects.all(),
                message=_("Another project already uses this key."),
            ),
        ],
        help_text=Project._meta.get_field("key").help_text,
    )
    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(), visible=access.visible_programmes
    )
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    theme: RelatedId = VisibleRelatedField(
        queryset=Theme.objects.all(),
        visible=access.visible_themes,
        required=False,
        allow_null=True,
    )
    theme_name = serializers.CharField(source="theme.name", read_only=True, allow_null=True)
    manager = UserRefField(required=False, allow_null=True)
    sponsor = UserRefField(required=False, allow_null=True)
    tags = TagNamesField(required=False)
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "key",
            "name",
            "description",
            "programme",
            "programme_name",
            "theme",
            "theme_name",
            "manager",
            "sponsor",
            "phase",
            "state",
            "start_date",
            "end_date",
            "tags",
            "archived",
            "archived_at",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]


class ProjectUpdateSerializer(VersionedUpdateMixin, ProjectSerializer):
    """A change to a project; moving it to another programme is the `move` action."""

    refused_hints = {
        **ProjectSerializer.refused_hints,
        "programme": _("Use the move action to change a project's programme."),
    }

    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)


class ProjectMoveSerializer(serializers.Serializer):
    """Where to move a project, and the version the move started from."""

    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(), visible=access.visible_programmes
    )
    version = serializers.IntegerField(min_value=1)


@functools.cache
def conflict_serializer(name: str, serializer: type[serializers.Serializer]) -> Any:
    """Describe the 409 answer to a stale version: a message and the current object.

    Cached, so that every operation refers to one schema component per name.
    """
    return inline_serializer(
        name=f"{name}Conflict",
        fields={
            "detail": serializers.CharField(),
            "code": serializers.CharField(),
            "current": serializer(),
        },
    )


# Memberships ----------------------------------------------------------------------


def _active_users(user: Any) -> QuerySet[User]:
    # Managers add people who do not share a scope with them yet, so any active account.
    return User.objects.filter(is_active=True)


class MembershipSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A person's role on exactly one portfolio, programme or project."""

    refused_hints = {"version": VERSION_HINT}

    user = UserRefField(visible=_active_users)
    role = serializers.ChoiceField(choices=Role.choices)
    portfolio: RelatedId = VisibleRelatedField(
        queryset=Portfolio.objects.all(),
        visible=access.visible_portfolios,
        required=False,
        allow_null=True,
    )
    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(),
        visible=access.visible_programmes,
        required=False,
        allow_null=True,
    )
    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(),
        visible=access.visible_projects,
        required=False,
        allow_null=True,
    )
    scope_kind = serializers.ChoiceField(
        choices=["portfolio", "programme", "project"], read_only=True
    )
    scope_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "role",
            "scope_kind",
            "scope_name",
            "portfolio",
            "programme",
            "project",
            "version",
            "created_at",
            "updated_at",
        ]
        # The service refuses a second role on one scope; DRF's validators for the
        # conditional unique constraints would make every scope field required.
        validators: list[Any] = []

    def get_scope_name(self, obj: Membership) -> str:
        return str(obj.scope)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            return attrs  # an update keeps the scope
        scopes = [name for name in ("portfolio", "programme", "project") if attrs.get(name)]
        if len(scopes) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give exactly one of portfolio, programme or project.")]}
            )
        return attrs


class MembershipUpdateSerializer(VersionedUpdateMixin, MembershipSerializer):
    """A change of role; the person and the scope stay."""

    refused_hints = {
        name: _("Remove this membership and create another instead.")
        for name in ("user", "portfolio", "programme", "project")
    }

    user = UserRefField(read_only=True)
    portfolio: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    project: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
