"""The registers in Django's admin, for site administrators: the items, the risk scale and
the risk categories (the configurable lists)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import REGISTER_MODELS, Comment, RiskCategory, RiskScaleLevel


class RegisterItemAdmin(SimpleHistoryAdmin):
    """One admin for every register: search by title, filter by status; scope is read-only."""

    list_display = ("__str__", "project", "programme", "owner", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "description", "project__key")
    raw_id_fields = ("owner", "project", "programme")
    readonly_fields = ("number", "project", "programme", "created_by", "version")
    list_select_related = ("project", "programme", "owner")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.all_objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


for _model in REGISTER_MODELS:
    admin.site.register(_model, RegisterItemAdmin)


@admin.register(RiskScaleLevel)
class RiskScaleLevelAdmin(admin.ModelAdmin):
    list_display = ("axis", "value", "label_en", "label_nl", "description")
    list_filter = ("axis",)
    ordering = ("axis", "value")


@admin.register(RiskCategory)
class RiskCategoryAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_nl", "position", "active")
    list_editable = ("position", "active")
    ordering = ("position", "name_en")


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "item_type", "item_id", "author", "created_at")
    search_fields = ("body",)
    raw_id_fields = ("author", "mentions")
