"""Filters of the meeting lists; the HTML lists and the API use the same FilterSet.

`?q=&kind=&series=&status=&when=&date_from=&date_to=&mine=&project=&programme=&portfolio=
&ordering=`. Dates are days as the user reads them (their time zone): a meeting on
"3 March" starts on that local day. Sorting goes through an allow-list. The pages default
`when` to upcoming (see `views_meetings`); here, without `when`, every meeting counts.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.lib.filters import IdFilter

from .models import Attendance, Kind, Meeting

UPCOMING = "upcoming"
PAST = "past"
ALL = "all"
MIN_DAY = datetime.date(1900, 1, 1)
MAX_DAY = datetime.date(9000, 12, 31)
WHEN_CHOICES = [(UPCOMING, _("Upcoming")), (PAST, _("Past")), (ALL, _("All"))]


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a local day, as an instant."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _sane_day(value: datetime.date) -> bool:
    """Whether a typed day can bound a query: year 1 or 9999 overflow once made UTC."""
    return MIN_DAY <= value <= MAX_DAY


class MeetingFilter(django_filters.FilterSet):
    """Search, filter and sort meetings. `mine=true` keeps those the caller is invited to,
    chairs or minutes; `when` splits upcoming (from today) and past meetings."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    series = IdFilter(field_name="series_id", label=_("Series"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label=_("Status"))
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, method="by_when", label=_("When"), empty_label=None
    )
    date_from = django_filters.DateFilter(method="from_day", label=_("From"))
    date_to = django_filters.DateFilter(method="until_day", label=_("Until"))
    mine = django_filters.BooleanFilter(method="by_mine", label=_("Only mine"))
    project = IdFilter(field_name="project_id", label=_("Project"))
    programme = IdFilter(method="in_programme", label=_("Programme"))
    portfolio = IdFilter(method="in_portfolio", label=_("Portfolio"))
    ordering = django_filters.OrderingFilter(
        fields=(("start", "start"), ("title", "title"), ("status", "status"), ("kind", "kind")),
        field_labels={
            "start": _("Date"),
            "title": _("Title"),
            "status": _("Status"),
            "kind": _("Kind"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    @property
    def request_user(self) -> Any:
        return getattr(self.request, "user", None)

    def search(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        """Match every word against the title, the location and the series' title."""
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(location__icontains=word)
                | Q(series__title__icontains=word)
            )
        return queryset

    def by_when(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        today = start_of_day(timezone.localdate())
        if value == UPCOMING:
            return queryset.filter(start__gte=today)
        if value == PAST:
            return queryset.filter(start__lt=today)
        return queryset

    def from_day(
        self, queryset: QuerySet[Meeting], name: str, value: datetime.date | None
    ) -> QuerySet[Meeting]:
        if value is None or not _sane_day(value):
            return queryset
        return queryset.filter(start__gte=start_of_day(value))

    def until_day(
        self, queryset: QuerySet[Meeting], name: str, value: datetime.date | None
    ) -> QuerySet[Meeting]:
        if value is None or not _sane_day(value):
            return queryset
        return queryset.filter(start__lt=start_of_day(value + datetime.timedelta(days=1)))

    def by_mine(
        self, queryset: QuerySet[Meeting], name: str, value: bool | None
    ) -> QuerySet[Meeting]:
        user = self.request_user
        if not value or user is None or not user.is_authenticated:
            return queryset
        invited = Attendance.objects.filter(user=user).values("meeting_id")
        return queryset.filter(Q(chair=user) | Q(minute_taker=user) | Q(pk__in=invited))

    def in_programme(self, queryset: QuerySet[Meeting], name: str, value: int) -> QuerySet[Meeting]:
        return queryset.filter(Q(programme_id=value) | Q(project__programme_id=value))

    def in_portfolio(self, queryset: QuerySet[Meeting], name: str, value: int) -> QuerySet[Meeting]:
        return queryset.filter(
            Q(portfolio_id=value)
            | Q(programme__portfolio_id=value)
            | Q(project__programme__portfolio_id=value)
        )
