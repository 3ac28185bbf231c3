"""API endpoints of progress reporting: cycles, status reports and the consolidated report.

`/api/v1/reporting-cycles/` with the period's compliance, reminders, the consolidated report
as JSON, the PMO's key messages and exports (`/api/v1/report-exports/{id}/`);
`/api/v1/status-reports/` with the workflow's steps (submit, return, approve, publish,
correct).

Reads go through `access` (a hidden cycle or report answers 404, exactly like a missing
one), changes through `services`. The PMO of a cycle's programme or portfolio sets it up,
reviews, publishes, reminds and writes the key messages; the project manager writes and
submits the report. Too low a role answers 403. Cycles have no trash yet, so DELETE answers
405; a report is never deleted.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, ValidationError

from schakel.accounts.models import Role
from schakel.lib.filters import IdFilter
from schakel.lib.services import StaleVersionError
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.serializers import conflict_serializer

from . import access, consolidated, exports, reminders, services
from .models import PeriodNote, ReportExport, ReportingCycle, StatusReport
from .serializers import (
    ComplianceRowSerializer,
    ConsolidatedReportSerializer,
    ExportRequestSerializer,
    KeyMessagesSerializer,
    PeriodQuerySerializer,
    RemindSerializer,
    ReportExportSerializer,
    ReportingCycleSerializer,
    ReportingCycleUpdateSerializer,
    ReportStartSerializer,
    ReportStepSerializer,
    SentSerializer,
    StatusReportDetailSerializer,
    StatusReportSerializer,
    StatusReportUpdateSerializer,
    period_of,
)

_cycle_conflict = conflict_serializer("ReportingCycle", ReportingCycleUpdateSerializer)
_report_conflict = conflict_serializer("StatusReport", StatusReportDetailSerializer)
_note_conflict = conflict_serializer("KeyMessages", KeyMessagesSerializer)

PERIOD_PARAMETER = OpenApiParameter(
    "period",
    OpenApiTypes.DATE,
    description=gettext_lazy("The period's last day (default: the period reported on now)."),
)


def _pk(value: Any) -> int:
    """An id from the URL; the route only lets digits through, but not how many."""
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def _language() -> str:
    return get_language() or "en"


def _frozen(report: StatusReport) -> ValidationError:
    """The answer to a change of a report that is past its draft: 400 on `status`."""
    message = _("This report is %(status)s and can no longer be changed.") % {
        "status": report.get_status_display().lower()
    }
    return ValidationError({"status": [message]})


# Cycles -----------------------------------------------------------------------------------


class CycleFilter(django_filters.FilterSet):
    """Filter cycles: `?programme=&portfolio=&active=` (a portfolio includes its programmes'
    cycles)."""

    programme = IdFilter(field_name="programme_id", label=gettext_lazy("Programme"))
    portfolio = IdFilter(method="in_portfolio", label=gettext_lazy("Portfolio"))
    active = django_filters.BooleanFilter(label=gettext_lazy("Active"))

    class Meta:
        model = ReportingCycle
        fields: list[str] = []

    def in_portfolio(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(Q(portfolio_id=value) | Q(programme__portfolio_id=value))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the reporting cycles you may see")),
    create=extend_schema(
        summary=gettext_lazy("Set up a reporting cycle on a programme or portfolio (the PMO)")
    ),
    partial_update=extend_schema(
        request=ReportingCycleUpdateSerializer,
        responses={200: ReportingCycleSerializer, 409: _cycle_conflict},
        summary=gettext_lazy("Change a reporting cycle (the PMO; give its version)"),
    ),
)
class ReportingCycleViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting cycles: how often the projects of a programme or the portfolio report."""

    serializer_class = ReportingCycleSerializer
    filterset_class = CycleFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ReportingCycle]:
        user = self.request.user
        projects = portfolio_access.visible_projects(user).only("pk").order_by("pk")
        return (
            access.visible_cycles(user)
            .select_related("programme__portfolio", "portfolio")
            .prefetch_related(Prefetch("projects", queryset=projects))
            .order_by("name", "pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        serializers: dict[str, type[BaseSerializer]] = {
            "partial_update": ReportingCycleUpdateSerializer,
            "compliance": ComplianceRowSerializer,
            "remind": RemindSerializer,
            "report": ConsolidatedReportSerializer,
            "key_messages": KeyMessagesSerializer,
            "exports": ReportExportSerializer,
        }
        return serializers.get(self.action, ReportingCycleSerializer)

    def get_object(self) -> ReportingCycle:
        manage = self.action in ("partial_update", "remind") or (
            self.action == "key_messages" and self.request.method == "PUT"
        )
        return access.cycle_for_user(self.request.user, _pk(self.kwargs["pk"]), manage=manage)

    def _fresh(self, cycle: ReportingCycle) -> ReportingCycle:
        """The cycle again, with its projects as the caller sees them."""
        return self.get_queryset().get(pk=cycle.pk)

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        scope = data.pop("programme", None) or data.pop("portfolio", None)
        data.pop("portfolio", None)
        if not portfolio_access.can(self.request.user, scope, Role.PMO):
            raise PermissionDenied
        with transaction.atomic():
            cycle = services.cycle_create(
                scope=scope, by=self.request.user, projects=data.pop("projects", None), **data
            )
        serializer.instance = self._fresh(cycle)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cycle = self.get_object()
        body = ReportingCycleUpdateSerializer(
            cycle, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        cycle = services.cycle_update(
            cycle=cycle,
            version=version,
            by=request.user,
            projects=data.pop("projects", None),
            **data,
        )
        context = self.get_serializer_context()
        return Response(ReportingCycleSerializer(self._fresh(cycle), context=context).data)

    def _period(self, cycle: ReportingCycle, raw: Any = None) -> Any:
        if raw is None:
            query = PeriodQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            raw = query.validated_data.get("period")
        return period_of(cycle, raw)

    @extend_schema(
        parameters=[PERIOD_PARAMETER],
        responses=ComplianceRowSerializer(many=True),
        summary=gettext_lazy("Per reporting project you see: its report of the period, if late"),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def compliance(self, request: Request, pk: Any = None) -> Response:
        cycle = self.get_object()
        period = self._period(cycle)
        rows = services.compliance(cycle, period)
        visible = set(
            portfolio_access.visible_projects(request.user)
            .filter(pk__in=[r.project.pk for r in rows])
            .values_list("pk", flat=True)
        )
        rows = [r for r in rows if r.project.pk in visible]
        context = {**self.get_serializer_context(), "period": period}
        return Response(ComplianceRowSerializer(rows, many=True, context=context).data)

    @extend_schema(
        request=RemindSerializer,
        responses=SentSerializer,
        summary=gettext_lazy("E-mail the project manager a reminder about the report (the PMO)"),
    )
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: Any = None) -> Response:
        cycle = self.get_object()
        body = RemindSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        project = body.validated_data["project"]
        if not cycle.projects.filter(pk=project.pk, deleted_at__isnull=True).exists():
            raise ValidationError({"project": [_("This project does not report in this cycle.")]})
        period = self._period(cycle, body.validated_data.get("period"))
        try:
            sent = reminders.send_manual(
                cycle=cycle, project=project, period=period, by=request.user
            )
        except reminders.ReminderNotSent as not_sent:
            return Response(
                {"detail": not_sent.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE
            )
        return Response({"sent": sent})

    @extend_schema(
        parameters=[PERIOD_PARAMETER],
        responses=ConsolidatedReportSerializer,
        summary=gettext_lazy("The consolidated report of a period, as you may see it"),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def report(self, request: Request, pk: Any = None) -> Response:
        cycle = self.get_object()
        data, _source = consolidated.build(
            cycle, self._period(cycle), request.user, language=_language()
        )
        return Response(ConsolidatedReportSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        parameters=[PERIOD_PARAMETER],
        responses=KeyMessagesSerializer,
        summary=gettext_lazy("The key messages of a period (version 0: none yet)"),
    )
    @extend_schema(
        methods=["PUT"],
        request=KeyMessagesSerializer,
        responses={200: KeyMessagesSerializer, 409: _note_conflict},
        summary=gettext_lazy("Write the key messages of a period (the PMO; give the version)"),
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="key-messages",
        url_name="key-messages",
        filter_backends=[],
        pagination_class=None,
    )
    def key_messages(self, request: Request, pk: Any = None) -> Response:
        cycle = self.get_object()
        context = self.get_serializer_context()
        if request.method == "PUT":
            body = KeyMessagesSerializer(data=request.data, context=context)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            period = self._period(cycle, data.get("period_end"))
            note = services.key_messages_save(
                cycle=cycle,
                period_end=period.end,
                text=data["key_messages"],
                version=data["version"],
                by=request.user,
            )
        else:
            period = self._period(cycle)
            found = PeriodNote.objects.filter(cycle=cycle, period_end=period.end).first()
            note = found or PeriodNote(cycle=cycle, period_end=period.end, version=0)
        return Response(KeyMessagesSerializer(note, context=context).data)

    @extend_schema(
        request=ExportRequestSerializer,
        responses={201: ReportExportSerializer, 202: ReportExportSerializer},
        summary=gettext_lazy(
            "Make the consolidated report as PowerPoint, PDF or Excel: 201 when made at once, "
            "202 while the worker makes it"
        ),
    )
    @action(detail=True, methods=["post"])
    def exports(self, request: Request, pk: Any = None) -> Response:
        cycle = self.get_object()
        body = ExportRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        period = self._period(cycle, body.validated_data.get("period"))
        export = exports.start(
            cycle=cycle,
            period=period,
            kind=body.validated_data["kind"],
            user=request.user,
            language=_language(),
        )
        answer = ReportExportSerializer(export, context=self.get_serializer_context()).data
        code = status.HTTP_201_CREATED if export.finished else status.HTTP_202_ACCEPTED
        return Response(answer, status=code)


# Exports ----------------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(summary=gettext_lazy("How far your export is, and its download")),
)
class ReportExportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your exports of consolidated reports; anyone else's answers 404."""

    serializer_class = ReportExportSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ReportExport]:
        return ReportExport.objects.filter(user=self.request.user.pk)

    def get_object(self) -> ReportExport:
        return exports.check_task(exports.for_user(self.request.user, _pk(self.kwargs["pk"])))

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The download answers with its own file type whatever the client accepts.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )

    @extend_schema(
        responses={
            (200, exports.CONTENT_TYPES[ReportExport.Kind.PPTX]): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[ReportExport.Kind.PDF]): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[ReportExport.Kind.XLSX]): OpenApiTypes.BINARY,
        },
        summary=gettext_lazy(
            "The file, while you still see the projects it was made with (else 409)"
        ),
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> HttpResponse:
        export = self.get_object()
        if export.status == ReportExport.Status.DONE and not exports.is_current(export):
            return cast(
                HttpResponse,
                Response(
                    {
                        "detail": _("The projects you see have changed; start a new export."),
                        "code": "conflict",
                    },
                    status=status.HTTP_409_CONFLICT,
                ),
            )
        body = exports.content(export)
        response = HttpResponse(body, content_type=exports.CONTENT_TYPES[export.kind])
        name = exports.file_name(export)
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# Status reports ---------------------------------------------------------------------------


class ReportFilter(django_filters.FilterSet):
    """Filter reports: `?cycle=&project=&period_end=&status=`."""

    cycle = IdFilter(field_name="cycle_id", label=gettext_lazy("Cycle"))
    project = IdFilter(field_name="project_id", label=gettext_lazy("Project"))
    period_end = django_filters.DateFilter(label=gettext_lazy("Period until"))
    status = django_filters.ChoiceFilter(
        choices=StatusReport.Status.choices, label=gettext_lazy("Status")
    )

    class Meta:
        model = StatusReport
        fields: list[str] = []


STEP_RESPONSES = {200: StatusReportDetailSerializer, 409: _report_conflict}


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the status reports you may see, newest first")),
    create=extend_schema(
        request=ReportStartSerializer,
        responses={201: StatusReportDetailSerializer, 200: StatusReportDetailSerializer},
        summary=gettext_lazy(
            "Start a project's report of a period (201), or open the one there is (200)"
        ),
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A report with its ratings, what is missing and the snapshot")
    ),
    partial_update=extend_schema(
        request=StatusReportUpdateSerializer,
        responses=STEP_RESPONSES,
        summary=gettext_lazy("Change a draft or returned report (the writer; give its version)"),
    ),
)
class StatusReportViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Highlight reports: one per project and period (and revision)."""

    serializer_class = StatusReportSerializer
    filterset_class = ReportFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[StatusReport]:
        return (
            access.visible_reports(self.request.user)
            .select_related("project")
            .order_by("-period_end", "project__key", "-revision", "pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        # Also what a 409 shows as `current`: the report as it stands.
        if self.action in ("list",):
            return StatusReportSerializer
        if self.action == "create":
            return ReportStartSerializer
        return StatusReportDetailSerializer

    def _report(self, *, write: bool = False, review: bool = False) -> StatusReport:
        report = access.report_for_user(
            self.request.user, _pk(self.kwargs["pk"]), write=write, review=review
        )
        return report

    def _answer(self, report: StatusReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = (
            StatusReport.objects.select_related("cycle", "project")
            .prefetch_related("ratings")
            .get(pk=report.pk)
        )
        data = StatusReportDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _step(self, request: Request) -> dict[str, Any]:
        body = ReportStepSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self._report())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ReportStartSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        cycle = body.validated_data["cycle"]
        project = body.validated_data["project"]
        if not access.can_write(request.user, StatusReport(project=project)):
            raise PermissionDenied
        if not cycle.projects.filter(pk=project.pk).exists():
            raise ValidationError({"project": [_("This project does not report in this cycle.")]})
        end = body.validated_data.get("period_end")
        try:
            period = period_of(cycle, end)
        except ValidationError as exc:
            raise ValidationError({"period_end": exc.detail["period"]}) from exc  # type: ignore[index,call-overload]
        existed = services.latest_report(cycle, project, period.end) is not None
        report = services.report_start(cycle=cycle, project=project, period=period, by=request.user)
        return self._answer(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self._report(write=True)
        if not report.editable:
            raise _frozen(report)
        body = StatusReportUpdateSerializer(
            report, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        ratings = self._ratings(report, data.pop("ratings", None))
        if "milestones" in data:
            data["milestones"] = [_milestone(m) for m in data["milestones"]]
        updated = services.report_update(
            report=report, version=version, by=request.user, ratings=ratings, **data
        )
        return self._answer(updated)

    @staticmethod
    def _ratings(
        report: StatusReport, given: list[dict[str, Any]] | None
    ) -> dict[str, tuple[str, str]] | None:
        """The service's `{key: (rag, reason)}`; a reason left out keeps the stored one."""
        if given is None:
            return None
        stored = {r.dimension: r.reason for r in report.ratings.all()}
        return {
            row["dimension"]: (row["rag"], row.get("reason", stored.get(row["dimension"], "")))
            for row in given
        }

    # The workflow ------------------------------------------------------------------------

    @extend_schema(
        request=ReportStepSerializer,
        responses=STEP_RESPONSES,
        summary=gettext_lazy("Hand the report to the PMO; 400 lists what is missing"),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        report = self._report(write=True)
        data = self._step(request)
        if not report.editable:
            raise _frozen(report)
        return self._answer(
            services.report_submit(report=report, version=data["version"], by=request.user)
        )

    @extend_schema(
        request=ReportStepSerializer,
        responses=STEP_RESPONSES,
        summary=gettext_lazy("Send a submitted report back with a comment (the PMO)"),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        report = self._report(review=True)
        data = self._step(request)
        comment = data.get("comment", "")
        if not comment.strip():
            raise ValidationError({"comment": [_("Say what needs to change.")]})
        return self._answer(
            services.report_return(
                report=report, version=data["version"], by=request.user, comment=comment
            )
        )

    @extend_schema(
        request=ReportStepSerializer,
        responses=STEP_RESPONSES,
        summary=gettext_lazy("Approve a submitted report (the PMO)"),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        report = self._report(review=True)
        data = self._step(request)
        return self._answer(
            services.report_approve(
                report=report,
                version=data["version"],
                by=request.user,
                comment=data.get("comment", ""),
            )
        )

    @extend_schema(
        request=ReportStepSerializer,
        responses=STEP_RESPONSES,
        summary=gettext_lazy("Publish an approved report (the PMO)"),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        report = self._report(review=True)
        data = self._step(request)
        return self._answer(
            services.report_publish(report=report, version=data["version"], by=request.user)
        )

    @extend_schema(
        request=ReportStepSerializer,
        responses={201: StatusReportDetailSerializer, 409: _report_conflict},
        summary=gettext_lazy(
            "Correct a published report: its next revision starts as a draft copy "
            "(the writer or the PMO)"
        ),
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: Any = None) -> Response:
        report = self._report()
        if not (
            access.can_write(request.user, report) or access.can_manage(request.user, report.cycle)
        ):
            raise PermissionDenied
        data = self._step(request)
        if data["version"] != report.version:
            raise StaleVersionError(report)
        draft = services.report_correct(report=report, by=request.user)
        return self._answer(draft, status.HTTP_201_CREATED)


def _milestone(entry: dict[str, Any]) -> dict[str, Any]:
    """A milestone as the service stores it: dates as ISO text."""
    out = dict(entry)
    for name in ("baseline", "forecast"):
        value = out.get(name)
        out[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return out


def register(router: Any) -> None:
    """Add the reporting endpoints to the API router."""
    router.register("reporting-cycles", ReportingCycleViewSet, basename="reporting-cycle")
    router.register("status-reports", StatusReportViewSet, basename="status-report")
    router.register("report-exports", ReportExportViewSet, basename="report-export")
