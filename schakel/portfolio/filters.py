"""Filters for portfolio lists; the HTML lists and the API use the same ones."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from schakel.lib.filters import IdFilter

from .models import Phase, Programme, Project, State


class ArchivedChoice:
    LIVE = "no"
    ARCHIVED = "yes"
    ALL = "all"
    CHOICES = [(LIVE, _("Not archived")), (ARCHIVED, _("Archived")), (ALL, _("All"))]


def _filter_archived(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    if value == ArchivedChoice.ARCHIVED:
        return queryset.filter(archived_at__isnull=False)
    if value == ArchivedChoice.ALL:
        return queryset
    return queryset.filter(archived_at__isnull=True)


class ProjectFilter(django_filters.FilterSet):
    """Filter, search and sort projects: `?q=&programme=&theme=&phase=&state=&tag=&ordering=`.

    Archived projects are left out unless `archived=yes` or `archived=all`.
    """

    q = django_filters.CharFilter(method="search", label=_("Search"))
    programme = IdFilter(field_name="programme_id", label=_("Programme"))
    portfolio = IdFilter(field_name="programme__portfolio_id", label=_("Portfolio"))
    theme = IdFilter(field_name="theme_id", label=_("Theme"))
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices, label=_("Phase"))
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"))
    manager = IdFilter(field_name="manager_id", label=_("Project manager"))
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact", label=_("Tag"))
    archived = django_filters.ChoiceFilter(
        choices=ArchivedChoice.CHOICES,
        method=_filter_archived,
        label=_("Archived"),
        empty_label=None,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("key", "key"),
            ("name", "name"),
            ("phase", "phase"),
            ("state", "state"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("programme__name", "programme"),
            ("manager__last_name", "manager"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "key": _("Key"),
            "name": _("Name"),
            "phase": _("Phase"),
            "state": _("State"),
            "start_date": _("Start"),
            "end_date": _("End"),
            "programme__name": _("Programme"),
            "manager__last_name": _("Project manager"),
            "updated_at": _("Last change"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any):
        # Archived defaults to "not archived" when the parameter is absent.
        if data is not None and "archived" not in data:
            data = data.copy()
            data["archived"] = ArchivedChoice.LIVE
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(key__icontains=value) | Q(name__icontains=value) | Q(description__icontains=value)
        )

    def filter_queryset(self, queryset: QuerySet[Project]) -> QuerySet[Project]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("tag"):
            queryset = queryset.distinct()
        return queryset


class ProgrammeFilter(django_filters.FilterSet):
    """Filter, search and sort programmes: `?q=&portfolio=&state=&ordering=`."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    portfolio = IdFilter(field_name="portfolio_id", label=_("Portfolio"))
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"))
    archived = django_filters.ChoiceFilter(
        choices=ArchivedChoice.CHOICES,
        method=_filter_archived,
        label=_("Archived"),
        empty_label=None,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("state", "state"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "start_date": _("Start"),
            "end_date": _("End"),
            "state": _("State"),
            "updated_at": _("Last change"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any):
        if data is not None and "archived" not in data:
            data = data.copy()
            data["archived"] = ArchivedChoice.LIVE
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
