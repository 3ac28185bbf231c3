"""The decision log of a programme or a portfolio: every decision, where it was taken.

The registers list decisions item by item; the log reads them as a record across
meetings: newest first by the day they were decided (or, not decided yet, the day of the
meeting that raised them, else the day they were logged), with the forum — the meeting
series they came from, or the forum typed on the decision — and a link to the meeting.
Meetings are read only where the user may see them: a decision whose meeting is hidden
shows its own forum text and no meeting, exactly as in the registers.

The page and its CSV/XLSX export share `log_queryset`, `DecisionLogForm` and `COLUMNS`,
so a file holds exactly the filtered rows the page shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from schakel.core.exports.tabular import Column, Sheet
from schakel.lib.origins import Origin, origins_for
from schakel.portfolio.models import Portfolio, Programme
from schakel.registers.access import visible_items
from schakel.registers.filters import FILTERS
from schakel.registers.models import Decision

from . import access
from .models import MeetingSeries, Outcome

Scope = Programme | Portfolio
SERIES_PREFIX = "series:"
FORUM_PREFIX = "forum:"
# Free-text forums offered in the filter (the most a select can sensibly hold).
MAX_FORUMS = 200
EXPORT_BATCH = 500


def _in_scope(scope: Scope, prefix: str = "") -> Q:
    """Items (decisions, series) of a programme or a portfolio, at any level below it."""
    if isinstance(scope, Programme):
        return Q(**{f"{prefix}programme": scope}) | Q(**{f"{prefix}project__programme": scope})
    return (
        Q(**{f"{prefix}portfolio": scope})
        | Q(**{f"{prefix}programme__portfolio": scope})
        | Q(**{f"{prefix}project__programme__portfolio": scope})
    )


def scope_decisions(user: Any, scope: Scope) -> QuerySet[Decision]:
    """The decisions of the scope the user may see (programme-level and its projects')."""
    # Decisions belong to a project or a programme, never to the portfolio itself.
    if isinstance(scope, Programme):
        condition = Q(programme=scope) | Q(project__programme=scope)
    else:
        condition = Q(programme__portfolio=scope) | Q(project__programme__portfolio=scope)
    return visible_items(user, Decision).filter(condition)


def scope_series(user: Any, scope: Scope) -> QuerySet[MeetingSeries]:
    """The meeting series of the scope the user may see: the forum filter's first group."""
    return access.visible_series(user).filter(_in_scope(scope)).order_by("title", "pk")


def log_queryset(user: Any, scope: Scope) -> QuerySet[Decision]:
    """The scope's decisions with the meeting they came from (if visible) and the log date.

    Annotations: `meeting_day` (local date of the meeting that created the decision),
    `log_series_id` / `log_series_title` (its series) and `log_date` (decided on, else the
    meeting day, else the day it was logged), which orders and filters the log.
    """
    created_in = (
        Outcome.objects.filter(
            item_type=ContentType.objects.get_for_model(Decision),
            item_id=OuterRef("pk"),
            role=Outcome.Role.CREATED,
            meeting__in=access.visible_meetings(user),
        )
        .order_by("pk")
        .annotate(day=TruncDate("meeting__start"))
    )
    return (
        scope_decisions(user, scope)
        .annotate(
            meeting_day=Subquery(created_in.values("day")[:1], output_field=DateField()),
            log_series_id=Subquery(
                created_in.values("meeting__series_id")[:1], output_field=IntegerField()
            ),
            log_series_title=Subquery(
                created_in.values("meeting__series__title")[:1], output_field=CharField()
            ),
        )
        .annotate(
            log_date=Coalesce(
                "decided_on", "meeting_day", TruncDate("created_at"), output_field=DateField()
            )
        )
        .select_related("project", "programme", "decided_by")
    )


# Filters -------------------------------------------------------------------------------


class DecisionLogForm(forms.Form):
    """The log's filters: `?q=&forum=&status=&date_from=&date_to=&from_meetings=`.

    `forum` is `series:<id>` (decisions taken in a meeting of that series) or
    `forum:<text>` (decisions whose forum reads exactly that).
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    forum = forms.ChoiceField(label=_("Forum"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    from_meetings = forms.BooleanField(label=_("Only from meetings"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        series: Iterable[MeetingSeries] = (),
        forums: Iterable[str] = (),
    ):
        super().__init__(data)
        series_choices = [(f"{SERIES_PREFIX}{s.pk}", s.title) for s in series]
        forum_choices = [(f"{FORUM_PREFIX}{text}", text) for text in forums]
        choices: list[Any] = [("", _("All forums"))]
        if series_choices:
            choices.append((_("Meeting series"), series_choices))
        if forum_choices:
            choices.append((_("Forum named on the decision"), forum_choices))
        cast(forms.ChoiceField, self.fields["forum"]).choices = choices
        status_choices = [("", _("All")), *Decision.Status.choices]
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period must not be before its start."))
        return data

    def applied(self) -> dict[str, Any]:
        """The filters that were understood (a bad one is left out, not fatal)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None)}


def filter_log(queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    """Apply the understood filters of `DecisionLogForm` to `log_queryset` (annotated)."""
    forum = filters.get("forum", "")
    if forum.startswith(SERIES_PREFIX):
        queryset = queryset.filter(log_series_id=int(forum.removeprefix(SERIES_PREFIX)))
    elif forum.startswith(FORUM_PREFIX):
        queryset = queryset.filter(forum=forum.removeprefix(FORUM_PREFIX))
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("date_from"):
        queryset = queryset.filter(log_date__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(log_date__lte=filters["date_to"])
    if filters.get("from_meetings"):
        queryset = queryset.filter(meeting_day__isnull=False)
    if filters.get("q"):
        # The registers' search: words in title and description, or a code like ODI-D5.
        queryset = FILTERS["decision"]({"q": filters["q"]}, queryset=queryset).qs
    return queryset.order_by(F("log_date").desc(nulls_last=True), "-pk")


def forum_texts(decisions: QuerySet[Decision]) -> list[str]:
    """The free-text forums present among the decisions, alphabetically."""
    texts = decisions.exclude(forum="").order_by("forum").values_list("forum", flat=True)
    return list(texts.distinct()[:MAX_FORUMS])


# Rows ----------------------------------------------------------------------------------


@dataclass
class LogRow:
    """One line of the log: the decision, its meeting (if visible) and its forum."""

    decision: Decision
    origin: Origin | None

    @property
    def date(self) -> datetime.date | None:
        return getattr(self.decision, "log_date", None)

    @property
    def decided(self) -> bool:
        return self.decision.decided_on is not None

    @property
    def forum(self) -> str:
        return getattr(self.decision, "log_series_title", None) or self.decision.forum

    @property
    def scope_label(self) -> str:
        decision = self.decision
        if decision.project is not None:
            return decision.project.key
        programme = decision.programme
        return (programme.key or programme.name) if programme is not None else ""


def log_rows(user: Any, decisions: Iterable[Decision]) -> list[LogRow]:
    """Rows of a page of decisions, with their meetings read in one query."""
    decisions = list(decisions)
    origins = origins_for(user, decisions)
    type_id = ContentType.objects.get_for_model(Decision).pk
    return [LogRow(d, origins.get((type_id, d.pk))) for d in decisions]


# Export --------------------------------------------------------------------------------

COLUMNS: tuple[tuple[str, Any, Any], ...] = (
    ("date", _("Decided on (or raised)"), "date"),
    ("ref", _("Ref"), "text"),
    ("title", _("Title"), "text"),
    ("status", _("Status"), "text"),
    ("forum", _("Forum"), "text"),
    ("meeting", _("Meeting"), "text"),
    ("agenda_item", _("Agenda item"), "text"),
    ("decided_by", _("Decided by"), "text"),
    ("project", _("Project"), "text"),
    ("rationale", _("Rationale"), "text"),
)


def _export_row(row: LogRow) -> dict[str, Any]:
    decision = row.decision
    return {
        "date": row.date,
        "ref": decision.ref,
        "title": decision.title,
        "status": decision.get_status_display(),
        "forum": row.forum or None,
        "meeting": row.origin.label if row.origin else None,
        "agenda_item": (row.origin.detail or None) if row.origin else None,
        "decided_by": decision.decided_by.display_name if decision.decided_by else None,
        "project": row.scope_label or None,
        "rationale": decision.rationale or None,
    }


def _export_rows(user: Any, queryset: QuerySet[Decision]) -> Iterator[dict[str, Any]]:
    """Yield the rows in batches: one query for the meetings of each batch."""
    items = queryset.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(items, EXPORT_BATCH)):
        for row in log_rows(user, batch):
            yield _export_row(row)


def export_sheet(user: Any, queryset: QuerySet[Decision], name: str) -> Sheet:
    """The filtered log as one sheet for `to_csv` / `to_xlsx` (formula-safe there)."""
    return Sheet(
        name=name,
        columns=[Column(key, str(label), kind) for key, label, kind in COLUMNS],
        rows=_export_rows(user, queryset),
    )
