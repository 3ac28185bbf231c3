"""API endpoints of project plans: tasks, links, baselines, calendars and schedules.

`/api/v1/tasks/` (with the outline actions indent, outdent and move), `/api/v1/task-links/`,
`/api/v1/baselines/`, `/api/v1/calendars/{project id}/` (with its exceptions),
`/api/v1/schedules/{project id}/` (the whole computed plan in one answer, for the Gantt
chart) and `/api/v1/schedules/{project id}/mspdi/` (MS Project XML out and in).

Reads go through `access` (a hidden task, link, baseline or project answers 404, exactly
like a missing one), changes through `services`, which reschedule the plan in the same
transaction: an answer always carries the dates the engine computed. The plan's editors
(`access.can_edit_plan`) change everything; a task's owner with a member role reports its
progress (percent complete, actual dates) and nothing else; too low a role answers 403.

Baselines never change (no PUT or PATCH: 405); a plan editor may delete one taken by
mistake. A calendar's GET never writes: a project without a plan shows the defaults, and
the first change makes the plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ValidationError

from schakel.accounts.models import Role
from schakel.lib.filters import IdFilter
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project
from schakel.portfolio.serializers import conflict_serializer

from . import access, services, transfer
from .models import (
    Baseline,
    BaselineTask,
    CalendarException,
    ProjectPlan,
    Task,
    TaskLink,
    default_weekdays,
)
from .serializers import (
    BaselineDetailSerializer,
    BaselineSerializer,
    CalendarExceptionSerializer,
    CalendarSerializer,
    CalendarUpdateSerializer,
    ImportResultSerializer,
    MspdiUploadSerializer,
    ScheduleQuerySerializer,
    ScheduleSerializer,
    TaskLinkSerializer,
    TaskLinkUpdateSerializer,
    TaskMoveSerializer,
    TaskSerializer,
    TaskStepSerializer,
    TaskUpdateSerializer,
)

MAX_UPLOAD = 25 * 1024 * 1024  # bytes: an MS Project XML file of a very large plan
MSPDI_TYPE = "application/xml"

_task_conflict = conflict_serializer("Task", TaskSerializer)
_calendar_conflict = conflict_serializer("Calendar", CalendarSerializer)
TASK_STEP = {200: TaskSerializer, 409: _task_conflict}
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    description=gettext_lazy("The version the removal started from (or send it in the body)."),
)


def _pk(value: Any) -> int:
    """An id from the URL; the route only lets digits through, but not how many."""
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def _project(user: Any, pk: Any, *, edit: bool = False) -> Project:
    """The project of a calendar or schedule URL: 404 when hidden, 403 when not an editor."""
    project = portfolio_access.project_for_user(user, _pk(pk))
    if edit and not access.can_edit_plan(user, project):
        raise PermissionDenied
    return project


def _body_keys(data: Any) -> set[str]:
    return (
        {str(k) for k in data if k != "csrfmiddlewaretoken"} if isinstance(data, Mapping) else set()
    )


# Tasks ------------------------------------------------------------------------------------


class TaskFilter(django_filters.FilterSet):
    """Filter tasks: `?project=&critical=&milestone=&summary=`."""

    project = IdFilter(field_name="project_id", label=gettext_lazy("Project"))
    critical = django_filters.BooleanFilter(label=gettext_lazy("Critical"))
    milestone = django_filters.BooleanFilter(label=gettext_lazy("Milestone"))
    summary = django_filters.BooleanFilter(label=gettext_lazy("Summary"))

    class Meta:
        model = Task
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("The tasks you may see, by project in outline order")),
    create=extend_schema(
        responses={201: TaskSerializer},
        summary=gettext_lazy("Add a task or milestone to a plan (its editors); with its dates"),
    ),
    retrieve=extend_schema(summary=gettext_lazy("A task with the dates the schedule computed")),
    partial_update=extend_schema(
        request=TaskUpdateSerializer,
        responses=TASK_STEP,
        summary=gettext_lazy(
            "Change a task (give its version); its owner may only report progress"
        ),
    ),
    destroy=extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={204: None, 409: _task_conflict},
        summary=gettext_lazy("Remove a task with the tasks under it (the plan's editors)"),
    ),
)
class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks, milestones and summaries of project plans."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Task]:
        return (
            access.visible_tasks(self.request.user)
            .select_related("owner")
            .order_by("project_id", "order", "pk")
        )

    def get_object(self) -> Task:
        return access.task_for_user(self.request.user, _pk(self.kwargs["pk"]))

    def _answer(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        fresh = Task.objects.select_related("owner").get(pk=task.pk)
        return Response(TaskSerializer(fresh, context=self.get_serializer_context()).data, code)

    def _version(self, serializer: type[TaskStepSerializer] = TaskStepSerializer) -> Any:
        body = serializer(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TaskSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = data.pop("project")
        if not access.can_edit_plan(request.user, project):
            raise PermissionDenied
        task = services.task_create(
            project=project,
            by=request.user,
            parent=data.pop("parent", None),
            after=data.pop("after", None),
            **data,
        )
        return self._answer(task, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = self.get_object()
        user = request.user
        if not access.can_edit_plan(user, task.project):
            # A task's owner reports progress; anything more is the editors' to change.
            progress_only = _body_keys(request.data) - {"version"} <= access.PROGRESS_FIELDS
            if not (progress_only and access.can_report_progress(user, task)):
                raise PermissionDenied
        body = TaskUpdateSerializer(
            task, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        return self._answer(services.task_update(task=task, version=version, by=user, **data))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = access.task_for_user(request.user, _pk(self.kwargs["pk"]), edit=True)
        raw = request.query_params.get("version")
        if raw is None and isinstance(request.data, Mapping):
            raw = request.data.get("version")
        body = TaskStepSerializer(data={"version": raw}, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.task_delete(task=task, version=body.validated_data["version"], by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TaskStepSerializer,
        responses=TASK_STEP,
        summary=gettext_lazy("Put the task under the sibling above it (the plan's editors)"),
    )
    @action(detail=True, methods=["post"])
    def indent(self, request: Request, pk: Any = None) -> Response:
        task = access.task_for_user(request.user, _pk(pk), edit=True)
        version = self._version()["version"]
        return self._answer(services.task_indent(task=task, version=version, by=request.user))

    @extend_schema(
        request=TaskStepSerializer,
        responses=TASK_STEP,
        summary=gettext_lazy("Move the task up one level (the plan's editors)"),
    )
    @action(detail=True, methods=["post"])
    def outdent(self, request: Request, pk: Any = None) -> Response:
        task = access.task_for_user(request.user, _pk(pk), edit=True)
        version = self._version()["version"]
        return self._answer(services.task_outdent(task=task, version=version, by=request.user))

    @extend_schema(
        request=TaskMoveSerializer,
        responses=TASK_STEP,
        summary=gettext_lazy(
            "Move the task with its subtree before a sibling, or last (the plan's editors)"
        ),
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        task = access.task_for_user(request.user, _pk(pk), edit=True)
        data = self._version(TaskMoveSerializer)
        before = data["before"]
        if before is not None and before.pk == task.pk:
            raise ValidationError({"before": [_("Choose another task at the same level.")]})
        moved = services.task_move(
            task=task, version=data["version"], by=request.user, before=before
        )
        return self._answer(moved)


# Links ------------------------------------------------------------------------------------


class LinkFilter(django_filters.FilterSet):
    """Filter links: `?project=` gives the links with a task of that project at either end."""

    project = IdFilter(method="touching", label=gettext_lazy("Project"))

    class Meta:
        model = TaskLink
        fields: list[str] = []

    def touching(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(Q(predecessor__project_id=value) | Q(successor__project_id=value))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("The links whose two tasks you may both see")),
    create=extend_schema(
        summary=gettext_lazy(
            "Make a task wait for another (editors of the successor's plan); a loop is refused"
        )
    ),
    retrieve=extend_schema(summary=gettext_lazy("A link between two tasks")),
    partial_update=extend_schema(
        request=TaskLinkUpdateSerializer,
        responses=TaskLinkSerializer,
        summary=gettext_lazy("Change a link's type or lag (the plan's editors)"),
    ),
    destroy=extend_schema(
        responses={204: None}, summary=gettext_lazy("Remove a link (the plan's editors)")
    ),
)
class TaskLinkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Dependencies between tasks, within a project or across projects."""

    serializer_class = TaskLinkSerializer
    filterset_class = LinkFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[TaskLink]:
        return access.visible_links(self.request.user).order_by("pk")

    def get_object(self) -> TaskLink:
        edit = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return access.link_for_user(self.request.user, _pk(self.kwargs["pk"]), edit=edit)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TaskLinkSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        successor = data.pop("successor")
        if not access.can_edit_plan(request.user, successor.project):
            raise PermissionDenied
        link = services.link_create(
            predecessor=data.pop("predecessor"), successor=successor, by=request.user, **data
        )
        answer = TaskLinkSerializer(link, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link = self.get_object()
        body = TaskLinkUpdateSerializer(
            link, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        link = services.link_update(link=link, by=request.user, **body.validated_data)
        return Response(TaskLinkSerializer(link, context=self.get_serializer_context()).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.link_delete(link=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Baselines --------------------------------------------------------------------------------


class BaselineFilter(django_filters.FilterSet):
    """Filter baselines: `?project=`."""

    project = IdFilter(field_name="project_id", label=gettext_lazy("Project"))

    class Meta:
        model = Baseline
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("The baselines you may see, newest first")),
    create=extend_schema(
        request=BaselineSerializer,
        responses={201: BaselineDetailSerializer},
        summary=gettext_lazy("Keep the dates of every task of a plan now (the plan's editors)"),
    ),
    retrieve=extend_schema(
        responses=BaselineDetailSerializer,
        summary=gettext_lazy("A baseline with each task's kept dates and how far they moved"),
    ),
    destroy=extend_schema(
        responses={204: None},
        summary=gettext_lazy("Remove a baseline taken by mistake (the plan's editors)"),
    ),
)
class BaselineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Baselines: the dates of a whole plan at one moment; they never change."""

    serializer_class = BaselineSerializer
    filterset_class = BaselineFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Baseline]:
        return (
            access.visible_baselines(self.request.user)
            .select_related("created_by")
            .order_by("-created_at", "-pk")
        )

    def _answer(self, baseline: Baseline, code: int = status.HTTP_200_OK) -> Response:
        baseline = Baseline.objects.select_related("project", "created_by").get(pk=baseline.pk)
        baseline.variance_rows = _variance_rows(baseline)  # type: ignore[attr-defined]
        data = BaselineDetailSerializer(baseline, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(access.baseline_for_user(request.user, _pk(self.kwargs["pk"])))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = BaselineSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        project = body.validated_data["project"]
        if not access.can_edit_plan(request.user, project):
            raise PermissionDenied
        baseline = services.baseline_create(
            project=project, name=body.validated_data["name"], by=request.user
        )
        return self._answer(baseline, status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        baseline = access.baseline_for_user(request.user, _pk(self.kwargs["pk"]), edit=True)
        baseline.delete()  # its kept task dates go with it; the plan itself is untouched
        return Response(status=status.HTTP_204_NO_CONTENT)


def _variance_rows(baseline: Baseline) -> list[dict[str, Any]]:
    """Every kept task with its dates now and the working days they moved (three queries
    plus the calendar, however many tasks)."""
    kept = list(
        BaselineTask.objects.filter(baseline=baseline)
        .order_by("pk")
        .values("task_id", "wbs", "name", "milestone", "summary", "duration", "start", "finish")
    )
    tasks = list(Task.objects.filter(project_id=baseline.project_id).only("pk", "start", "finish"))
    now = {task.pk: task for task in tasks}
    shifts = services.variances(baseline, tasks) if kept else {}
    rows = []
    for row in kept:
        task = now.get(row["task_id"])
        start_shift, finish_shift = shifts.get(row["task_id"], (None, None))
        rows.append(
            {
                "task": row["task_id"],
                "wbs": row["wbs"],
                "name": row["name"],
                "milestone": row["milestone"],
                "summary": row["summary"],
                "duration": row["duration"],
                "baseline_start": row["start"],
                "baseline_finish": row["finish"],
                "start": task.start if task else None,
                "finish": task.finish if task else None,
                "start_variance": start_shift,
                "finish_variance": finish_shift,
            }
        )
    return rows


# Calendars --------------------------------------------------------------------------------


DAY_PARAMETER = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description=gettext_lazy("The day (ISO).")
)
PROJECT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("The project's id.")
)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[PROJECT_ID],
        summary=gettext_lazy("A project's plan: its start, working calendar and finish"),
    ),
    partial_update=extend_schema(
        parameters=[PROJECT_ID],
        request=CalendarUpdateSerializer,
        responses={200: CalendarSerializer, 409: _calendar_conflict},
        summary=gettext_lazy(
            "Change the start, working week, public holidays or status date (give the version)"
        ),
    ),
)
class CalendarViewSet(viewsets.GenericViewSet):
    """One per project (by the project's id): the plan's start and working calendar."""

    serializer_class = CalendarSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[ProjectPlan]:
        projects = portfolio_access.visible_projects(self.request.user)
        return ProjectPlan.objects.filter(project__in=projects)

    def _answer(self, project: Project, code: int = status.HTTP_200_OK) -> Response:
        plan = services.plan_or_default(project)
        return Response(CalendarSerializer(plan, context=self.get_serializer_context()).data, code)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(_project(request.user, pk))

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        project = _project(request.user, pk, edit=True)
        body = CalendarUpdateSerializer(
            services.plan_or_default(project),
            data=request.data,
            partial=True,
            context=self.get_serializer_context(),
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        with transaction.atomic():  # a refused change leaves no new plan behind
            plan = services.plan_of(project)
            services.plan_update(plan=plan, version=version, by=request.user, **data)
        return self._answer(project)

    @extend_schema(
        parameters=[PROJECT_ID],
        request=CalendarExceptionSerializer,
        responses={201: CalendarSerializer, 200: CalendarSerializer},
        summary=gettext_lazy(
            "Make a day a day off or an extra working day (201; 200 when the day had one)"
        ),
    )
    @action(detail=True, methods=["post"])
    def exceptions(self, request: Request, pk: Any = None) -> Response:
        project = _project(request.user, pk, edit=True)
        body = CalendarExceptionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            plan = services.plan_of(project)
            existed = plan.exceptions.filter(day=data["day"]).exists()
            services.exception_set(
                plan=plan,
                day=data["day"],
                working=data["working"],
                name=data.get("name", ""),
                by=request.user,
            )
        return self._answer(project, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PROJECT_ID, DAY_PARAMETER],
        request=None,
        responses={204: None},
        summary=gettext_lazy("Make a day an ordinary day of the calendar again"),
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"exceptions/(?P<day>\d{4}-\d{2}-\d{2})",
        url_name="exception",
    )
    def exception(self, request: Request, pk: Any = None, day: str = "") -> Response:
        project = _project(request.user, pk, edit=True)
        try:
            when = datetime.date.fromisoformat(day)
        except ValueError as exc:
            raise Http404 from exc
        found = CalendarException.objects.filter(plan__project=project, day=when).first()
        if found is None:
            raise Http404
        services.exception_remove(exception=found, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Schedules: the Gantt's data --------------------------------------------------------------


def _display_name(first: str | None, last: str | None, username: str | None) -> str | None:
    if username is None:
        return None
    return f"{first or ''} {last or ''}".strip() or username


TASK_COLUMNS = (
    "id", "parent_id", "level", "wbs", "name", "summary", "milestone", "start", "finish",
    "duration", "percent_complete", "critical", "total_float", "owner_id", "owner__first_name",
    "owner__last_name", "owner__username", "version",
)  # fmt: skip


def schedule_data(project: Project, user: Any, baseline: Baseline | None = None) -> dict[str, Any]:
    """The project's computed plan for the Gantt chart: a fixed number of queries (plain
    rows, no model instances), so that 10,000 tasks answer quickly."""
    plan = services.plan_or_default(project)
    today = timezone.localdate()
    rows = list(Task.objects.filter(project=project).order_by("order").values_list(*TASK_COLUMNS))
    kept: dict[int, tuple[Any, Any]] = {}
    if baseline is not None:
        kept = {
            task: (start, finish)
            for task, start, finish in BaselineTask.objects.filter(
                baseline=baseline, task__isnull=False
            ).values_list("task_id", "start", "finish")
        }
    editable = access.can_edit_plan(user, project)
    reports = portfolio_access.has_role(
        portfolio_access.role_on_project(user, project), Role.MEMBER
    )
    tasks = []
    critical = set()
    for (pk, parent, level, wbs, name, summary, milestone, start, finish, duration, percent,
         is_critical, total_float, owner, first, last, username, version) in rows:  # fmt: skip
        if is_critical:
            critical.add(pk)
        base = kept.get(pk, (None, None))
        tasks.append(
            {
                "id": pk, "parent": parent, "level": level, "wbs": wbs, "name": name,
                "summary": summary, "milestone": milestone, "start": start, "finish": finish,
                "duration": duration, "percent": percent, "critical": is_critical,
                "total_float": total_float, "baseline_start": base[0], "baseline_finish": base[1],
                "owner": _display_name(first, last, username), "version": version,
                "editable": editable or (owner is not None and owner == user.pk and reports),
            }
        )  # fmt: skip
    links = [
        {"id": pk, "from": pred, "to": succ, "type": kind, "lag": lag,
         "critical": pred in critical and succ in critical}
        for pk, pred, succ, kind, lag in TaskLink.objects.filter(
            predecessor__project=project, successor__project=project
        ).order_by("pk").values_list("pk", "predecessor_id", "successor_id", "type", "lag")
    ]  # fmt: skip
    dates = [d for row in rows for d in (row[7], row[8]) if d] + [plan.start]
    first_day, last_day = min(dates), max([*dates, plan.finish or plan.start])
    off, working = services.days_off(plan, first_day, last_day)
    days_off = sorted(day.isoformat() for day in off)
    working_days = sorted(day.isoformat() for day in working)
    return {
        "today": today,
        "start": plan.start,
        "finish": plan.finish,
        "calendar": {
            "weekdays": list(plan.weekdays or default_weekdays()),
            "days_off": days_off,
            "working_days": working_days,
        },
        "tasks": tasks,
        "links": links,
        "baselines": list(
            Baseline.objects.filter(project=project)
            .order_by("-created_at", "-pk")
            .values("id", "name")
        ),
        "editable": editable,
    }


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            PROJECT_ID,
            OpenApiParameter(
                "baseline",
                OpenApiTypes.INT,
                description=gettext_lazy("Add this baseline's dates to every task."),
            ),
        ],
        responses=ScheduleSerializer,
        summary=gettext_lazy("A project's whole computed plan in one answer (the Gantt chart)"),
    ),
)
class ScheduleViewSet(viewsets.GenericViewSet):
    """One per project (by the project's id): its plan as the Gantt chart reads it."""

    serializer_class = ScheduleSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Project]:
        return portfolio_access.visible_projects(self.request.user)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The download answers with its own file type whatever the client accepts.
        download = self.action == "mspdi" and request.method == "GET"
        return super().perform_content_negotiation(request, force=force or download)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        project = _project(request.user, pk)
        query = ScheduleQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        baseline = query.validated_data.get("baseline")
        if baseline is not None and baseline.project_id != project.pk:
            raise ValidationError({"baseline": [_("Choose a baseline of this project.")]})
        return Response(schedule_data(project, request.user, baseline))

    @extend_schema(
        methods=["GET"],
        parameters=[PROJECT_ID],
        responses={(200, MSPDI_TYPE): OpenApiTypes.BINARY},
        summary=gettext_lazy("The plan as an MS Project XML file"),
    )
    @extend_schema(
        methods=["POST"],
        parameters=[PROJECT_ID],
        request={"multipart/form-data": MspdiUploadSerializer},
        responses=ImportResultSerializer,
        summary=gettext_lazy(
            "Replace the plan with an MS Project XML file (the plan's editors; at most 25 MB)"
        ),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def mspdi(self, request: Request, pk: Any = None) -> HttpResponse:
        if request.method == "POST":
            return cast(HttpResponse, self._import(request, pk))
        project = _project(request.user, pk)
        response = HttpResponse(transfer.export_plan(project), content_type=MSPDI_TYPE)
        name = f"{project.key}.xml"
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _import(self, request: Request, pk: Any) -> Response:
        """Check the caller and the size before the body is read, then import."""
        project = _project(request.user, pk, edit=True)
        too_large = ValidationError({"file": [_("The file is larger than 25 MB.")]})
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD + 64 * 1024:  # the file and the form around it
            raise too_large
        body = MspdiUploadSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > MAX_UPLOAD:
            raise too_large
        result = transfer.import_plan(
            project=project,
            data=upload.read(),
            by=request.user,
            replace=body.validated_data["replace"],
        )
        return Response(ImportResultSerializer(result).data)


def register(router: Any) -> None:
    """Add the planning endpoints to the API router."""
    router.register("tasks", TaskViewSet, basename="task")
    router.register("task-links", TaskLinkViewSet, basename="task-link")
    router.register("baselines", BaselineViewSet, basename="baseline")
    router.register("calendars", CalendarViewSet, basename="calendar")
    router.register("schedules", ScheduleViewSet, basename="schedule")
