"""Django admin for the portfolio tree: a site administrator's view of every row.

The admin shows rows in the trash too (with a filter), keeps the history of each change,
and raises an object's version on save so that open edit forms notice the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Portfolio, Programme, Project, Tag, Theme


class TrashFilter(admin.SimpleListFilter):
    """Filter rows by whether they are in the trash."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("live", _("Not in the trash")), ("trashed", _("In the trash"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "live":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "trashed":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class ArchivedFilter(admin.SimpleListFilter):
    """Filter rows by whether they are archived."""

    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Not archived")), ("yes", _("Archived"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


class TreeAdmin(SimpleHistoryAdmin):
    """Shared behaviour: include trashed rows, bump the version on every change."""

    readonly_fields: tuple[str, ...] = ("version", "created_at", "updated_at", "deleted_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.all_objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Portfolio)
class PortfolioAdmin(TreeAdmin):
    list_display = ("name", "updated_at", "deleted_at")
    list_filter = (TrashFilter,)
    search_fields = ("name", "description")


@admin.register(Programme)
class ProgrammeAdmin(TreeAdmin):
    list_display = ("name", "portfolio", "manager", "state", "start_date", "end_date")
    list_filter = ("state", "portfolio", ArchivedFilter, TrashFilter)
    search_fields = ("name", "description", "portfolio__name")
    list_select_related = ("portfolio", "manager")
    raw_id_fields = ("manager", "sponsor")
    readonly_fields = (*TreeAdmin.readonly_fields, "archived_at")


@admin.register(Theme)
class ThemeAdmin(TreeAdmin):
    list_display = ("name", "programme", "position")
    list_filter = ("programme", TrashFilter)
    search_fields = ("name", "description", "programme__name")
    list_select_related = ("programme",)


@admin.register(Project)
class ProjectAdmin(TreeAdmin):
    list_display = ("key", "name", "programme", "theme", "manager", "phase", "state", "end_date")
    list_display_links = ("key", "name")
    list_filter = ("phase", "state", "programme", ArchivedFilter, TrashFilter, "tags")
    search_fields = ("key", "name", "description", "programme__name", "tags__name")
    list_select_related = ("programme", "theme", "manager")
    raw_id_fields = ("manager", "sponsor")
    filter_horizontal = ("tags",)
    readonly_fields = (*TreeAdmin.readonly_fields, "archived_at")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
