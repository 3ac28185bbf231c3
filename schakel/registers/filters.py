"""Filters for the register lists; the HTML lists, the API and the exports use the same ones.

Every register shares the filters of `RegisterFilter` (search, scope, owner, status, tags,
due range, overdue); each adds its own. Sorting goes through an allow-list per register.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.lib.filters import IdFilter
from schakel.portfolio.models import Programme, Project

from .models import (
    PRIORITY_RANK,
    Action,
    Assumption,
    Decision,
    Dependency,
    Issue,
    Priority,
    RegisterItem,
    Risk,
)

STATE_OPEN = "open_items"
STATE_CLOSED = "closed_items"


class RegisterFilter(django_filters.FilterSet):
    """Filters every register has: `?q=&project=&programme=&portfolio=&owner=&status=&tag=
    &due_after=&due_before=&overdue=&state=&ordering=` (`owner=me` means the caller)."""

    # The choice filters compare a column of the item itself: no join can repeat a row, so
    # no DISTINCT (django-filter's default), which made PostgreSQL sort every column.
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = IdFilter(field_name="project_id", label=_("Project"))
    programme = IdFilter(method="in_programme", label=_("Programme"))
    portfolio = IdFilter(method="in_portfolio", label=_("Portfolio"))
    owner = django_filters.CharFilter(method="by_owner", label=_("Owner"))
    status = django_filters.MultipleChoiceFilter(label=_("Status"), distinct=False)
    state = django_filters.ChoiceFilter(
        choices=[(STATE_OPEN, _("Open")), (STATE_CLOSED, _("Closed"))],
        method="by_state",
        label=_("Open or closed"),
    )
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact", label=_("Tag"))
    due_after = django_filters.DateFilter(method="due_from", label=_("Due from"))
    due_before = django_filters.DateFilter(method="due_until", label=_("Due until"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))

    ORDERING_FIELDS: tuple[tuple[str, str], ...] = (
        ("number", "number"),
        ("title", "title"),
        ("status", "status"),
        ("owner__first_name", "owner"),
        ("project__key", "project"),
        ("updated_at", "updated"),
        ("created_at", "created"),
    )

    class Meta:
        model = RegisterItem
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any):
        super().__init__(data, *args, **kwargs)
        model = self._meta.model
        self.filters["status"].extra["choices"] = model._meta.get_field("status").choices
        fields = list(self.ORDERING_FIELDS)
        if model.DUE_FIELD:
            fields.append((model.DUE_FIELD, "due"))
        self.filters["ordering"] = django_filters.OrderingFilter(fields=fields, label=_("Sort by"))

    @property
    def request_user(self) -> Any:
        return getattr(self.request, "user", None)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Match every word against title, description and the reference code."""
        for word in value.split()[:8]:
            condition = Q(title__icontains=word) | Q(description__icontains=word)
            ref = word.upper()
            if "-" in ref:
                key, _sep, code = ref.rpartition("-")
                prefix = self._meta.model.PREFIX
                if code.startswith(prefix) and code[len(prefix) :].isdigit():
                    number = int(code[len(prefix) :])
                    condition |= (Q(project__key=key) | Q(programme__key=key)) & Q(number=number)
            queryset = queryset.filter(condition)
        return queryset

    # A programme's projects by their ids rather than a join: read by index.
    def in_programme(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        projects = Project.all_objects.filter(programme_id=value).values_list("pk", flat=True)
        return queryset.filter(Q(project_id__in=list(projects)) | Q(programme_id=value))

    def in_portfolio(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        projects = Project.all_objects.filter(programme__portfolio_id=value).values("pk")
        programmes = Programme.all_objects.filter(portfolio_id=value).values("pk")
        return queryset.filter(Q(project_id__in=projects) | Q(programme_id__in=programmes))

    def by_owner(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "me" and self.request_user is not None:
            return queryset.filter(owner=self.request_user)
        if value == "none":
            return queryset.filter(owner__isnull=True)
        if value.isdigit():
            return queryset.filter(owner_id=int(value)) if len(value) < 19 else queryset.none()
        return queryset.filter(owner__username=value)

    def by_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        open_statuses = self._meta.model.OPEN_STATUSES
        if value == STATE_OPEN:
            return queryset.filter(status__in=open_statuses)
        if value == STATE_CLOSED:
            return queryset.exclude(status__in=open_statuses)
        return queryset

    def _due(self, queryset: QuerySet[Any], lookup: str, value: Any) -> QuerySet[Any]:
        due_field = self._meta.model.DUE_FIELD
        if not due_field or value is None:
            return queryset
        return queryset.filter(**{f"{due_field}__{lookup}": value})

    def due_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._due(queryset, "gte", value)

    def due_until(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self._due(queryset, "lte", value)

    def by_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        due_field = self._meta.model.DUE_FIELD
        if value is None or not due_field:
            return queryset
        overdue = Q(status__in=self._meta.model.OPEN_STATUSES) & Q(
            **{f"{due_field}__lt": timezone.localdate()}
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if any(f.name == "priority" for f in self._meta.model._meta.fields):
            # Sort priorities by urgency, not alphabetically.
            queryset = queryset.alias(
                priority_rank=Case(
                    *[
                        When(priority=value, then=Value(rank))
                        for value, rank in PRIORITY_RANK.items()
                    ],
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("tag"):
            queryset = queryset.distinct()
        return queryset


class RiskFilter(RegisterFilter):
    """Risks also filter by score, category, nature, response and a heatmap cell."""

    score_min = IdFilter(method="by_score_min", label=_("Score from"))
    score_max = IdFilter(method="by_score_max", label=_("Score up to"))
    category = IdFilter(field_name="category_id", label=_("Category"))
    nature = django_filters.ChoiceFilter(
        choices=Risk.Nature.choices, label=_("Threat or opportunity")
    )
    response = django_filters.ChoiceFilter(choices=Risk.Response.choices, label=_("Response"))
    probability = IdFilter(method="by_probability", label=_("Probability"))
    impact = IdFilter(method="by_impact", label=_("Impact"))
    residual = django_filters.BooleanFilter(
        method="noop", label=_("Use residual probability and impact")
    )

    ORDERING_FIELDS = (
        *RegisterFilter.ORDERING_FIELDS,
        ("score", "score"),
        ("residual_score", "residual"),
        ("probability", "probability"),
        ("impact", "impact"),
    )

    class Meta:
        model = Risk
        fields: list[str] = []

    def _residual(self) -> bool:
        return bool(self.form.cleaned_data.get("residual"))

    def noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def by_score_min(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(score__gte=value)

    def by_score_max(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(score__lte=value)

    def by_probability(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        if not self._residual():
            return queryset.filter(probability=value)
        # A risk without a residual assessment sits at its inherent place on the residual map.
        return queryset.alias(_residual_p=Coalesce("residual_probability", "probability")).filter(
            _residual_p=value
        )

    def by_impact(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        if not self._residual():
            return queryset.filter(impact=value)
        return queryset.alias(_residual_i=Coalesce("residual_impact", "impact")).filter(
            _residual_i=value
        )


class IssueFilter(RegisterFilter):
    type = django_filters.MultipleChoiceFilter(
        choices=Issue.Type.choices, label=_("Type"), distinct=False
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, label=_("Priority"), distinct=False
    )
    severity = django_filters.MultipleChoiceFilter(
        choices=Issue.Severity.choices, label=_("Severity"), distinct=False
    )
    ORDERING_FIELDS = (
        *RegisterFilter.ORDERING_FIELDS,
        ("priority_rank", "priority"),
        ("raised_on", "raised"),
    )

    class Meta:
        model = Issue
        fields: list[str] = []


class AssumptionFilter(RegisterFilter):
    class Meta:
        model = Assumption
        fields: list[str] = []


class DependencyFilter(RegisterFilter):
    """Dependencies show on both sides: `?project=` matches either end."""

    direction = django_filters.ChoiceFilter(
        choices=Dependency.Direction.choices, label=_("Direction")
    )
    other_project = IdFilter(field_name="other_project_id", label=_("Other project"))
    project = IdFilter(method="either_side", label=_("Project"))

    class Meta:
        model = Dependency
        fields: list[str] = []

    def either_side(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(Q(project_id=value) | Q(other_project_id=value))


class ActionFilter(RegisterFilter):
    priority = django_filters.MultipleChoiceFilter(
        choices=Priority.choices, label=_("Priority"), distinct=False
    )
    ORDERING_FIELDS = (
        *RegisterFilter.ORDERING_FIELDS,
        ("priority_rank", "priority"),
        ("completed_on", "completed"),
    )

    class Meta:
        model = Action
        fields: list[str] = []


class DecisionFilter(RegisterFilter):
    forum = django_filters.CharFilter(field_name="forum", lookup_expr="icontains", label=_("Forum"))
    decided_by = IdFilter(field_name="decided_by_id", label=_("Decided by"))
    ORDERING_FIELDS = (*RegisterFilter.ORDERING_FIELDS, ("decided_on", "decided"))

    class Meta:
        model = Decision
        fields: list[str] = []


FILTERS: dict[str, type[RegisterFilter]] = {
    "risk": RiskFilter,
    "issue": IssueFilter,
    "assumption": AssumptionFilter,
    "dependency": DependencyFilter,
    "action": ActionFilter,
    "decision": DecisionFilter,
}
