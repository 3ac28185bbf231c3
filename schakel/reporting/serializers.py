"""API representations of progress reporting: cycles, status reports, the consolidated
report, key messages and exports.

The conventions of the rest of the API hold (see `schakel.portfolio.serializers`): explicit
fields, one serializer to read and create and an `...UpdateSerializer` that requires the
`version` an edit started from, fields a caller may not set refused with 400, and objects
named in a body reachable only when the caller may see them (a hidden one reads "does not
exist", exactly like a missing one).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schakel.accounts.serializers import StrictSerializerMixin
from schakel.meetings.serializers import named_choice
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.portfolio.serializers import VERSION_HINT, VersionedUpdateMixin, VisibleRelatedField

from . import access, services
from .models import (
    TEXT_SECTIONS,
    Frequency,
    Rag,
    ReportExport,
    ReportingCycle,
    Section,
    StatusReport,
)

if TYPE_CHECKING:
    RelatedId = serializers.PrimaryKeyRelatedField[Any]

SCOPE_HINT = _("A reporting cycle stays in its programme or portfolio.")
DERIVED_HINT = _("This value is set by the server.")
WORKFLOW_HINT = _("Use the report's actions: submit, return, approve, publish or correct.")
NOT_A_PERIOD_END = _("This date is not a period end of this cycle.")
RAG_CHOICES = [("", "-"), *Rag.choices]


def language_key() -> str:
    """ "nl" or "en": which of a dimension's names the request reads."""
    return "nl" if (get_language() or "en").startswith("nl") else "en"


def period_of(cycle: ReportingCycle, end: datetime.date | None) -> Any:
    """The cycle's period ending on `end` (default: the reporting period); 400 when `end` is
    not one of the cycle's period ends."""
    if end is None:
        return services.reporting_period(cycle)
    core = services.core_cycle(cycle)
    if core.end_on_or_after(end) != end:
        raise serializers.ValidationError({"period": [NOT_A_PERIOD_END]})
    return core.period_ending(end)


class PeriodSerializer(serializers.Serializer):
    """One period of a cycle: its first and last day and when its report is due."""

    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    due = serializers.DateField(read_only=True)


class PeriodQuerySerializer(serializers.Serializer):
    """`?period=YYYY-MM-DD`: the last day of a period of the cycle."""

    period = serializers.DateField(required=False, help_text=_("The period's last day."))


# Cycles -----------------------------------------------------------------------------------


class DimensionSerializer(StrictSerializerMixin, serializers.Serializer):
    """A RAG dimension of a cycle: a key and its English and Dutch names."""

    key = serializers.CharField(max_length=30)
    en = serializers.CharField(max_length=60)
    nl = serializers.CharField(max_length=60)


def _visible_programmes(user: Any) -> Any:
    return portfolio_access.visible_programmes(user)


def _visible_portfolios(user: Any) -> Any:
    return portfolio_access.visible_portfolios(user)


def _visible_projects(user: Any) -> Any:
    return portfolio_access.visible_projects(user)


class VisibleProjectsField(VisibleRelatedField):
    """The cycle's reporting projects by id: those the caller sees, and only those."""

    def to_representation(self, value: Any) -> Any:
        return value.pk


class ReportingCycleSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A reporting cycle: how often the projects of a programme or the portfolio report.

    On create, give exactly one of `programme` or `portfolio`, where you hold the PMO role.
    Without `projects`, every live project of that programme or portfolio reports.
    """

    refused_hints = {
        "version": VERSION_HINT,
        "current_period": DERIVED_HINT,
        "created_at": DERIVED_HINT,
        "updated_at": DERIVED_HINT,
    }

    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(),
        visible=_visible_programmes,
        required=False,
        allow_null=True,
        help_text=_("The programme whose projects report (or give a portfolio)."),
    )
    portfolio: RelatedId = VisibleRelatedField(
        queryset=Portfolio.objects.all(),
        visible=_visible_portfolios,
        required=False,
        allow_null=True,
        help_text=_("The portfolio whose projects report (instead of a programme)."),
    )
    projects: RelatedId = VisibleProjectsField(
        queryset=Project.objects.all(),
        visible=_visible_projects,
        many=True,
        required=False,
        help_text=_("The reporting projects (default: every live project of the scope)."),
    )
    frequency = named_choice("ReportingFrequencyEnum", Frequency.choices, required=False)
    dimensions = DimensionSerializer(many=True, required=False)
    sections = serializers.ListField(
        child=named_choice("ReportSectionEnum", Section.choices), required=False
    )
    current_period = serializers.SerializerMethodField(
        help_text=_("The period reported on now: the last one that ended.")
    )

    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "name",
            "programme",
            "portfolio",
            "frequency",
            "anchor",
            "month_day",
            "due_after",
            "projects",
            "dimensions",
            "sections",
            "remind_days_before",
            "remind_on_due",
            "remind_overdue_every",
            "active",
            "current_period",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]

    @extend_schema_field(PeriodSerializer)
    def get_current_period(self, obj: ReportingCycle) -> dict[str, Any]:
        return dict(PeriodSerializer(services.reporting_period(obj)).data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            given = [name for name in ("programme", "portfolio") if attrs.get(name)]
            if len(given) != 1:
                raise serializers.ValidationError(
                    {"programme": [_("Give exactly one of programme or portfolio.")]}
                )
        if "dimensions" in attrs:
            attrs["dimensions"] = [dict(d) for d in attrs["dimensions"]]
        return super().validate(attrs)


class ReportingCycleUpdateSerializer(VersionedUpdateMixin, ReportingCycleSerializer):
    """A change to a cycle, from the `version` it started from; its scope stays."""

    refused_hints = {
        **ReportingCycleSerializer.refused_hints,
        "programme": SCOPE_HINT,
        "portfolio": SCOPE_HINT,
    }

    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    portfolio: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)


class ProjectRefSerializer(serializers.Serializer):
    """A project as a row names it."""

    id = serializers.IntegerField(read_only=True)
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ComplianceRowSerializer(serializers.Serializer):
    """Where one reporting project stands for the period."""

    project = ProjectRefSerializer(read_only=True)
    report = serializers.SerializerMethodField(help_text=_("The newest revision, if any."))
    status = named_choice(
        "ComplianceStatusEnum",
        [*StatusReport.Status.choices, ("missing", _("Missing"))],
        source="state",
        read_only=True,
    )
    late = serializers.BooleanField(read_only=True)
    due = serializers.SerializerMethodField()

    def get_report(self, row: services.ComplianceRow) -> int | None:
        return row.report.pk if row.report is not None else None

    def get_due(self, row: services.ComplianceRow) -> datetime.date:
        return self.context["period"].due  # type: ignore[no-any-return]


class RemindSerializer(StrictSerializerMixin, serializers.Serializer):
    """Whom to remind: a reporting project of the cycle, for a period."""

    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(), visible=_visible_projects
    )
    period = serializers.DateField(required=False, help_text=_("The period's last day."))


class SentSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text=_("How many reminders were e-mailed."))


class KeyMessagesSerializer(StrictSerializerMixin, serializers.Serializer):
    """The PMO's key messages above a period's consolidated report.

    Send the `version` you read (0 when the period has none yet); a stale one answers 409.
    """

    period = serializers.DateField(
        source="period_end", required=False, help_text=_("The period's last day.")
    )
    key_messages = serializers.CharField(allow_blank=True, max_length=20_000, trim_whitespace=False)
    version = serializers.IntegerField(min_value=0)


# The consolidated report ------------------------------------------------------------------


class DimensionLabelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class RatingSerializer(serializers.Serializer):
    """A colour with the previous period's, the direction, and the reason."""

    rag = serializers.CharField()
    previous = serializers.CharField()
    trend = serializers.ChoiceField(choices=["better", "worse", "same", ""])
    reason = serializers.CharField()


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    baseline = serializers.DateField(allow_null=True)
    forecast = serializers.DateField(allow_null=True)
    done = serializers.BooleanField()


class RegisterLineSerializer(serializers.Serializer):
    ref = serializers.CharField()
    title = serializers.CharField()
    owner = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    score = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()


class ProjectPartSerializer(serializers.Serializer):
    """One project's part of the consolidated report."""

    key = serializers.CharField()
    name = serializers.CharField()
    manager = serializers.CharField()
    state = serializers.CharField(help_text=_("The report's state, translated."))
    overall = RatingSerializer()
    ratings = serializers.DictField(child=RatingSerializer(), help_text=_("By dimension key."))
    summary = serializers.CharField()
    achievements = serializers.CharField()
    next_period = serializers.CharField()
    tolerances = serializers.CharField()
    change_requests = serializers.CharField()
    escalations = serializers.CharField()
    milestones = MilestoneSerializer(many=True)
    risks = RegisterLineSerializer(many=True)
    issues = RegisterLineSerializer(many=True)
    overdue_actions = RegisterLineSerializer(many=True)
    decisions = RegisterLineSerializer(many=True)
    trend = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Colours per dimension key (and overall) over the last periods, oldest first."),
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField()


class PeriodCountSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    green = serializers.IntegerField()
    amber = serializers.IntegerField()
    red = serializers.IntegerField()
    missing = serializers.IntegerField()


class ConsolidatedReportSerializer(serializers.Serializer):
    """The consolidated report of a period as the caller may see it, in their language."""

    organisation = serializers.CharField()
    title = serializers.CharField()
    scope = serializers.CharField()
    period_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    dimensions = DimensionLabelSerializer(many=True)
    projects = ProjectPartSerializer(many=True)
    key_messages = serializers.CharField()
    distribution = PeriodCountSerializer(many=True)
    generated_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField()


# Exports ----------------------------------------------------------------------------------


class ExportRequestSerializer(StrictSerializerMixin, serializers.Serializer):
    """Which file to make: PowerPoint, PDF or Excel, of a period (default: the current one)."""

    kind = named_choice("ReportExportKindEnum", ReportExport.Kind.choices)
    period = serializers.DateField(required=False, help_text=_("The period's last day."))


class ReportExportSerializer(serializers.ModelSerializer):
    """A download being made: how far it is, and where to fetch it once done."""

    kind = named_choice("ReportExportKindEnum", ReportExport.Kind.choices, read_only=True)
    status = named_choice("ReportExportStatusEnum", ReportExport.Status.choices, read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField(help_text=_("The file, once it is made."))

    class Meta:
        model = ReportExport
        fields = [
            "id",
            "cycle",
            "period_end",
            "kind",
            "language",
            "status",
            "done",
            "total",
            "percent",
            "error",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, obj: ReportExport) -> str | None:
        if obj.status != ReportExport.Status.DONE:
            return None
        from django.urls import reverse

        path = reverse("report-export-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


# Status reports ---------------------------------------------------------------------------

TEXT_FIELDS = [str(s) for s in TEXT_SECTIONS]
WORKFLOW_FIELDS = [
    "status",
    "revision",
    "review_comment",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "published_at",
    "superseded",
]


class StatusReportSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A project's highlight report of one period (one revision of it)."""

    project_key = serializers.CharField(source="project.key", read_only=True)
    status = named_choice("StatusReportStatusEnum", StatusReport.Status.choices, read_only=True)
    overall = named_choice("RagEnum", RAG_CHOICES, read_only=True)
    editable = serializers.BooleanField(read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "cycle",
            "project",
            "project_key",
            "period_start",
            "period_end",
            "due",
            "overall",
            "overall_reason",
            *TEXT_FIELDS,
            "milestones",
            *WORKFLOW_FIELDS,
            "editable",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReportRatingSerializer(serializers.Serializer):
    """One dimension's colour in the report, with its name in the request's language."""

    dimension = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    rag = named_choice("RagEnum", RAG_CHOICES)
    reason = serializers.CharField()
    previous = serializers.CharField(help_text=_("The colour in the previous period's report."))


class StatusReportDetailSerializer(StatusReportSerializer):
    """The report with its ratings, the previous colours, what is missing and the snapshot.

    While the report is a draft, `snapshot` is empty: what Schakel knows is frozen when it is
    submitted.
    """

    ratings = serializers.SerializerMethodField()
    previous_overall = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField(
        help_text=_("What is missing before the report can be submitted, by field.")
    )
    snapshot = serializers.JSONField(read_only=True)

    class Meta(StatusReportSerializer.Meta):
        fields = [
            *StatusReportSerializer.Meta.fields,
            "ratings",
            "previous_overall",
            "completeness",
            "snapshot",
        ]
        read_only_fields = fields

    def _previous(self, report: StatusReport) -> StatusReport | None:
        cache: dict[int, StatusReport | None] = self.context.setdefault("previous_reports", {})
        if report.pk not in cache:
            cache[report.pk] = services.previous_report(report)
        return cache[report.pk]

    @extend_schema_field(ReportRatingSerializer(many=True))
    def get_ratings(self, report: StatusReport) -> list[dict[str, Any]]:
        previous = self._previous(report)
        before = {r.dimension: r.rag for r in previous.ratings.all()} if previous else {}
        rows = {r.dimension: r for r in report.ratings.all()}
        name = language_key()
        out = []
        for dimension in report.cycle.dimensions:
            key = dimension["key"]
            row = rows.get(key)
            out.append(
                {
                    "dimension": key,
                    "label": dimension.get(name) or dimension["en"],
                    "rag": row.rag if row else "",
                    "reason": row.reason if row else "",
                    "previous": before.get(key, ""),
                }
            )
        return out

    @extend_schema_field(serializers.CharField())
    def get_previous_overall(self, report: StatusReport) -> str:
        previous = self._previous(report)
        return previous.overall if previous is not None else ""

    @extend_schema_field(
        serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_completeness(self, report: StatusReport) -> dict[str, list[str]]:
        return services.completeness_errors(report)


class RatingInputSerializer(StrictSerializerMixin, serializers.Serializer):
    """One dimension's colour as a change gives it."""

    dimension = serializers.CharField(max_length=30)
    rag = named_choice("RagEnum", RAG_CHOICES, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


@extend_schema_field(RatingInputSerializer(many=True))
class RatingsField(serializers.Field):
    """Ratings as a list of `{dimension, rag, reason}`, or as a dict `{dimension: {rag,
    reason}}` (or `{dimension: rag}`); a reason left out stays as it is."""

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if isinstance(data, Mapping):
            entries = []
            for key, value in data.items():
                entry = dict(value) if isinstance(value, Mapping) else {"rag": value}
                entries.append({**entry, "dimension": key})
            data = entries
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give a list of ratings or a dict by dimension."))
        body = RatingInputSerializer(data=data, many=True)
        body.is_valid(raise_exception=True)
        return [dict(row) for row in body.validated_data]

    def to_representation(self, value: Any) -> Any:
        return [{"dimension": r.dimension, "rag": r.rag, "reason": r.reason} for r in value.all()]


class MilestoneInputSerializer(StrictSerializerMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    baseline = serializers.DateField(required=False, allow_null=True)
    forecast = serializers.DateField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False, default=False)


class StatusReportUpdateSerializer(VersionedUpdateMixin, StatusReportDetailSerializer):
    """A change to a draft or returned report, from the `version` it started from.

    The workflow fields change only through the report's actions.
    """

    refused_hints = {
        **dict.fromkeys(WORKFLOW_FIELDS, WORKFLOW_HINT),
        "version": VERSION_HINT,
        "snapshot": DERIVED_HINT,
        "completeness": DERIVED_HINT,
        "previous_overall": DERIVED_HINT,
    }

    overall = named_choice("RagEnum", RAG_CHOICES, required=False, allow_blank=True)
    ratings = RatingsField(required=False)  # type: ignore[assignment]
    milestones = MilestoneInputSerializer(many=True, required=False)  # type: ignore[assignment]

    class Meta(StatusReportDetailSerializer.Meta):
        read_only_fields = [
            name
            for name in StatusReportDetailSerializer.Meta.fields
            if name not in {"overall", "overall_reason", *TEXT_FIELDS, "milestones", "ratings"}
        ]
        extra_kwargs = {
            "overall_reason": {"required": False, "allow_blank": True, "max_length": 10_000},
            **{
                name: {"required": False, "allow_blank": True, "max_length": 20_000}
                for name in TEXT_FIELDS
            },
        }


class ReportStartSerializer(StrictSerializerMixin, serializers.Serializer):
    """Start (or open) a project's report of a period: `period_end` defaults to the period
    reported on now."""

    cycle: RelatedId = VisibleRelatedField(
        queryset=ReportingCycle.objects.all(), visible=access.visible_cycles
    )
    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(), visible=_visible_projects
    )
    period_end = serializers.DateField(required=False, help_text=_("The period's last day."))


class ReportStepSerializer(StrictSerializerMixin, serializers.Serializer):
    """A step of the workflow: the version it started from, and a comment for a review."""

    version = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
