"""API representations of users, the caller's own profile and their API tokens."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ApiToken, User


class StrictSerializerMixin:
    """Refuse fields a caller may not set with 400, instead of silently ignoring them.

    Read-only fields (ids, timestamps, versions on create, ...) and unknown names in a
    request body are errors: a client that thinks it changed something must hear that it
    did not. `refused_hints` gives a field-specific reason, e.g. which action to use.
    """

    refused_hints: Mapping[str, Any] = {}
    # The browsable API's HTML forms post Django's CSRF token along with the fields.
    ignored = frozenset({"csrfmiddlewaretoken"})

    def to_internal_value(self, data: Any) -> Any:
        refused: dict[str, list[Any]] = {}
        if isinstance(data, Mapping):
            fields = self.fields  # type: ignore[attr-defined]
            for name in data:
                if name in self.ignored:
                    continue
                field = fields.get(name)
                if field is None:
                    refused[name] = [_("Unknown field.")]
                elif field.read_only:
                    refused[name] = [self.refused_hints.get(name, _("This field cannot be set."))]
        try:
            value = super().to_internal_value(data)  # type: ignore[misc]
        except serializers.ValidationError as exc:
            if refused and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **refused}) from exc
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value


class UserSummarySerializer(serializers.ModelSerializer):
    """A person as other objects refer to them: id, username and the name to show."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]
        read_only_fields = fields


class PrivateEmailField(serializers.EmailField):
    """Show an e-mail address only to its owner and to site administrators (else null)."""

    def __init__(self, **kwargs: Any):
        kwargs.update(read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: User) -> str | None:
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if viewer is not None and (viewer.is_superuser or viewer.pk == instance.pk):
            return instance.email
        return None


class UserSerializer(serializers.ModelSerializer):
    """A person the caller may see; the e-mail address is null unless it is their own."""

    display_name = serializers.CharField(read_only=True)
    email = PrivateEmailField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "first_name", "last_name", "email"]
        read_only_fields = fields


class MeSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """The caller's own profile: names, e-mail, language and time zone are editable."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "first_name",
            "last_name",
            "email",
            "language",
            "time_zone",
        ]
        read_only_fields = ["id", "username", "display_name"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's clean() knows which time zones exist; run it on a copy so a refused
        # change leaves the request's user object untouched.
        if self.instance is None:
            return attrs
        candidate = copy.copy(self.instance)
        for name, value in attrs.items():
            setattr(candidate, name, value)
        candidate.clean()
        return attrs

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        # API requests authenticate after the history middleware ran, so name the author.
        instance._history_user = self.context["request"].user  # type: ignore[attr-defined]
        return super().update(instance, validated_data)


class ApiTokenSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """One of the caller's API tokens: its name, the key's first characters and its status.

    The key itself is never shown again after creation, and its hash never.
    """

    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "active",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]
        read_only_fields = [
            "id",
            "prefix",
            "active",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """A token just created, with its key: the only time the key is shown."""

    key = serializers.CharField(
        read_only=True, help_text=_("The secret key. Store it now: it is never shown again.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = [*ApiTokenSerializer.Meta.read_only_fields, "key"]
