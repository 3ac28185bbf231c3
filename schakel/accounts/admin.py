"""Site administration of users, memberships and API tokens (staff only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ApiToken, Membership, User, time_zone_choices

admin.site.site_header = _("Schakel administration")
admin.site.site_title = _("Schakel administration")
admin.site.index_title = _("Site administration")


class MembershipAdminForm(forms.ModelForm):
    """Edit a membership; a change bumps its version so stale API edits are refused."""

    class Meta:
        model = Membership
        fields = ["user", "role", "portfolio", "programme", "project"]

    def save(self, commit: bool = True) -> Membership:
        if self.instance.pk and self.has_changed():
            self.instance.version += 1
        return super().save(commit=commit)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fk_name = "user"
    extra = 0
    fields = ["role", "portfolio", "programme", "project"]
    verbose_name_plural = _("Memberships (exactly one of portfolio, programme or project)")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Users with their preferences, memberships and change history."""

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("language", "time_zone")}),
    )
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_superuser",
        "is_active",
        "last_login",
    ]
    inlines = [MembershipInline]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # Adding a user is a short first step (name, password); roles follow on the change page.
        return super().get_inlines(request, obj) if obj is not None else []

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "time_zone":
            return forms.ChoiceField(
                label=db_field.verbose_name.capitalize(),
                choices=[("", _("Site default")), *time_zone_choices()],
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """Roles of users on portfolios, programmes and projects."""

    form = MembershipAdminForm
    list_display = ["user", "role", "scope_kind", "scope", "updated_at"]
    list_filter = ["role"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "portfolio__name",
        "programme__name",
        "project__name",
        "project__key",
    ]
    list_select_related = ["user", "portfolio", "programme", "project"]
    readonly_fields = ["version"]


class TokenStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("revoked", _("Revoked")), ("expired", _("Expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "active":
            return queryset.active()  # type: ignore[attr-defined]
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(Q(revoked_at__isnull=True) & Q(expires_at__lte=timezone.now()))
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: list, rename, set an expiry, revoke.

    The key hash is never shown or editable, and tokens are not added here: a key must be
    shown to its owner once, which the profile page and `schakel token create` do.
    """

    list_display = [
        "name",
        "user",
        "prefix_display",
        "created_at",
        "last_used_at",
        "expires_at",
        "status",
    ]
    list_filter = [TokenStatusFilter]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("key"))
    def prefix_display(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description=_("status"))
    def status(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return str(_("Revoked"))
        return str(_("Active") if token.is_active else _("Expired"))

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
