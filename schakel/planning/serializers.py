"""API representations of project plans: tasks, links, baselines, calendars, schedules.

The conventions of the rest of the API hold (see `schakel.portfolio.serializers`): explicit
fields, one serializer to read and create and an `...UpdateSerializer` that requires the
`version` an edit started from, fields a caller may not set refused with 400, and objects
named in a body reachable only when the caller may see them (a hidden one reads "does not
exist", exactly like a missing one). Dates, floats, the outline position and the critical
flag belong to the scheduling engine: sending them is refused with a hint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import holidays as holiday_data
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schakel.accounts.serializers import StrictSerializerMixin
from schakel.meetings.serializers import named_choice
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project
from schakel.portfolio.serializers import (
    VERSION_HINT,
    UserRefField,
    VersionedUpdateMixin,
    VisibleRelatedField,
)

from . import access
from .models import MAX_DURATION, MAX_LAG, Baseline, ProjectPlan, Task, TaskLink

if TYPE_CHECKING:
    RelatedId = serializers.PrimaryKeyRelatedField[Any]

ENGINE_HINT = _("The schedule computes this; change durations, links or constraints instead.")
OUTLINE_HINT = _("Use the indent, outdent and move actions to change the outline.")
DERIVED_HINT = _("This value is set by the server.")
ENGINE_FIELDS = (
    "wbs", "level", "order", "summary", "start", "finish", "late_start", "late_finish",
    "total_float", "free_float", "critical",
)  # fmt: skip


def _visible_projects(user: Any) -> Any:
    return portfolio_access.visible_projects(user)


def _visible_tasks(user: Any) -> Any:
    return access.visible_tasks(user)


def _visible_baselines(user: Any) -> Any:
    return access.visible_baselines(user)


def sees_project(user: Any, project: Project) -> bool:
    """Whether `user` sees `project`: a task's owner must, or they could not find it."""
    return portfolio_access.visible_projects(user).filter(pk=project.pk).exists()


# Tasks ------------------------------------------------------------------------------------


class TaskSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A task, milestone or summary of a project's plan, with the dates the engine computed.

    On create, `parent` puts the task under a summary and `after` right after a task at the
    same level (default: the end of the plan). A milestone takes no time (its duration is 0).
    """

    refused_hints = {
        "version": VERSION_HINT,
        **dict.fromkeys(ENGINE_FIELDS, ENGINE_HINT),
        "created_at": DERIVED_HINT,
        "updated_at": DERIVED_HINT,
    }

    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(), visible=_visible_projects
    )
    # `parent` shadows Field.parent for the type checker only: DRF moves declared fields.
    parent: RelatedId = VisibleRelatedField(  # type: ignore[assignment]
        queryset=Task.objects.all(),
        visible=_visible_tasks,
        required=False,
        allow_null=True,
        help_text=_("The summary task this one is part of (none: top level)."),
    )
    after: RelatedId = VisibleRelatedField(
        queryset=Task.objects.all(),
        visible=_visible_tasks,
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("Put the new task right after this one (same level; default: last)."),
    )
    constraint = named_choice("TaskConstraintEnum", Task.Constraint.choices, required=False)
    duration = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DURATION,
        required=False,
        help_text=_("Working days; 0 for a milestone."),
    )
    owner = UserRefField(required=False, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id", "project", "parent", "after", "wbs", "level", "order", "name", "milestone",
            "summary", "duration", "constraint", "constraint_date", "percent_complete",
            "actual_start", "actual_finish", "owner", "notes", "start", "finish", "late_start",
            "late_finish", "total_float", "free_float", "critical", "version", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = [*ENGINE_FIELDS, "version", "created_at", "updated_at"]
        # The model's own checks (milestone duration, dated constraints) run in the service.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        project = attrs.get("project") or getattr(self.instance, "project", None)
        owner = attrs.get("owner")
        if owner is not None and project is not None and not sees_project(owner, project):
            raise serializers.ValidationError(
                {"owner": [_("Choose someone who can see this project.")]}
            )
        return super().validate(attrs)


class TaskUpdateSerializer(VersionedUpdateMixin, TaskSerializer):
    """A change to a task, from the `version` it started from; its place in the outline
    changes with the indent, outdent and move actions."""

    refused_hints = {
        **TaskSerializer.refused_hints,
        "project": _("A task stays in its project."),
        "parent": OUTLINE_HINT,
    }

    project: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    parent: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [name for name in TaskSerializer.Meta.fields if name != "after"]


class TaskStepSerializer(StrictSerializerMixin, serializers.Serializer):
    """The version an outline change (indent, outdent) started from."""

    version = serializers.IntegerField(min_value=1)


class TaskMoveSerializer(TaskStepSerializer):
    """Where to move a task: before a sibling, or (null) to the end of its level."""

    before: RelatedId = VisibleRelatedField(
        queryset=Task.objects.all(),
        visible=_visible_tasks,
        allow_null=True,
        help_text=_("The sibling to move before; null for the end of the level."),
    )


# Links ------------------------------------------------------------------------------------


class TaskLinkSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """The successor waits for the predecessor (finish-to-start unless said otherwise); the
    two may be tasks of different projects."""

    refused_hints = {
        "created_at": DERIVED_HINT,
        "updated_at": DERIVED_HINT,
        "dependency": _("A link between two projects is recorded as a dependency by itself."),
    }

    predecessor: RelatedId = VisibleRelatedField(
        queryset=Task.objects.all(), visible=_visible_tasks
    )
    successor: RelatedId = VisibleRelatedField(queryset=Task.objects.all(), visible=_visible_tasks)
    type = named_choice("TaskLinkTypeEnum", TaskLink.Type.choices, required=False)
    lag = serializers.IntegerField(
        min_value=-MAX_LAG,
        max_value=MAX_LAG,
        required=False,
        help_text=_("Working days; negative for a lead."),
    )

    dependency: RelatedId = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The dependency item of the registers that records a link between two projects "
            "(`/api/v1/dependencies/{id}/`); null within a project."
        ),
    )

    class Meta:
        model = TaskLink
        fields = [
            "id", "predecessor", "successor", "type", "lag", "dependency", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # The service refuses a second link between the same tasks with its own message.
        validators: list[Any] = []


class TaskLinkUpdateSerializer(TaskLinkSerializer):
    """A change of a link's type or lag; its two tasks stay (remove it and link again)."""

    refused_hints = {
        **TaskLinkSerializer.refused_hints,
        "predecessor": _("Remove this link and create another instead."),
        "successor": _("Remove this link and create another instead."),
    }

    predecessor: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    successor: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)


# Baselines --------------------------------------------------------------------------------


class BaselineSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A baseline: the dates of every task of a project at one moment. It never changes."""

    refused_hints = {
        "created_by": DERIVED_HINT,
        "created_at": DERIVED_HINT,
        "updated_at": DERIVED_HINT,
    }

    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(), visible=_visible_projects
    )
    created_by = UserRefField(read_only=True)

    class Meta:
        model = Baseline
        fields = ["id", "project", "name", "created_by", "created_at", "updated_at"]


class BaselineTaskSerializer(serializers.Serializer):
    """One task's kept dates, its dates now, and how far they moved in working days."""

    task = serializers.IntegerField(
        allow_null=True, help_text=_("The task; null when it was removed from the plan since.")
    )
    wbs = serializers.CharField()
    name = serializers.CharField()
    milestone = serializers.BooleanField()
    summary = serializers.BooleanField()
    duration = serializers.IntegerField()
    baseline_start = serializers.DateField(allow_null=True)
    baseline_finish = serializers.DateField(allow_null=True)
    start = serializers.DateField(allow_null=True, help_text=_("The task's start now."))
    finish = serializers.DateField(allow_null=True, help_text=_("The task's finish now."))
    start_variance = serializers.IntegerField(
        allow_null=True,
        help_text=_("Working days the start moved since the baseline (negative: earlier)."),
    )
    finish_variance = serializers.IntegerField(
        allow_null=True,
        help_text=_("Working days the finish moved since the baseline (negative: earlier)."),
    )


class BaselineDetailSerializer(BaselineSerializer):
    """A baseline with every task it kept and the variance of each."""

    tasks = BaselineTaskSerializer(many=True, read_only=True, source="variance_rows")

    class Meta(BaselineSerializer.Meta):
        fields = [*BaselineSerializer.Meta.fields, "tasks"]


# Calendars --------------------------------------------------------------------------------


class CalendarExceptionSerializer(StrictSerializerMixin, serializers.Serializer):
    """A day the plan treats differently: a day off, or (working) an extra working day."""

    day = serializers.DateField()
    working = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class WeekdaysField(serializers.ListField):
    """The working days of the week, Monday 0 to Sunday 6."""

    child = serializers.IntegerField(min_value=0, max_value=6)

    def to_internal_value(self, data: Any) -> list[int]:
        days = super().to_internal_value(data)
        if not days or len(set(days)) != len(days):
            raise serializers.ValidationError(_("Choose at least one working day of the week."))
        return sorted(days)


class CalendarSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A project plan's start and working calendar; its finish is computed.

    A project that has no plan yet shows the defaults (starting today, version 1); the
    first change makes the plan.
    """

    refused_hints = {
        "project": DERIVED_HINT,
        "finish": ENGINE_HINT,
        "exceptions": _("Use the calendar's exceptions endpoint."),
        "updated_at": DERIVED_HINT,
    }

    project = serializers.IntegerField(source="project_id", read_only=True)
    weekdays = WeekdaysField(required=False)
    exceptions = serializers.SerializerMethodField()

    class Meta:
        model = ProjectPlan
        fields = [
            "project", "start", "weekdays", "holidays", "status_date", "finish", "exceptions",
            "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["finish", "version", "updated_at"]

    def validate_holidays(self, value: str) -> str:
        value = value.strip().upper()
        if value and value not in holiday_data.list_supported_countries():
            raise serializers.ValidationError(_("Give a country code such as NL, or nothing."))
        return value

    @extend_schema_field(CalendarExceptionSerializer(many=True))
    def get_exceptions(self, plan: ProjectPlan) -> list[dict[str, Any]]:
        if plan.pk is None:
            return []
        rows = plan.exceptions.order_by("day").values("day", "working", "name")
        return [dict(CalendarExceptionSerializer(row).data) for row in rows]


class CalendarUpdateSerializer(VersionedUpdateMixin, CalendarSerializer):
    """A change to a plan's start, working week, public holidays or status date."""

    start = serializers.DateField(required=False)


# Schedules (the Gantt's data) -------------------------------------------------------------


class ScheduleCalendarSerializer(serializers.Serializer):
    weekdays = serializers.ListField(child=serializers.IntegerField())
    days_off = serializers.ListField(
        child=serializers.DateField(),
        help_text=_("Public holidays and days off within the plan's span."),
    )
    working_days = serializers.ListField(
        child=serializers.DateField(), help_text=_("Extra working days.")
    )


class ScheduleTaskSerializer(serializers.Serializer):
    """One row of the Gantt: a task in outline order."""

    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    level = serializers.IntegerField()
    wbs = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.BooleanField()
    milestone = serializers.BooleanField()
    start = serializers.DateField(allow_null=True)
    finish = serializers.DateField(allow_null=True)
    duration = serializers.IntegerField()
    percent = serializers.IntegerField()
    critical = serializers.BooleanField()
    total_float = serializers.IntegerField(allow_null=True)
    baseline_start = serializers.DateField(allow_null=True)
    baseline_finish = serializers.DateField(allow_null=True)
    owner = serializers.CharField(allow_null=True, help_text=_("The owner's name."))
    version = serializers.IntegerField()
    editable = serializers.BooleanField(
        help_text=_("Whether you may change this task (its owner: only its progress).")
    )


# "from" is a Python keyword, so this serializer is built from a dict.
ScheduleLinkSerializer = type(
    "ScheduleLinkSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "A link as the Gantt draws it: from the predecessor to the successor.",
        "__module__": __name__,
        "id": serializers.IntegerField(),
        "from": serializers.IntegerField(help_text=_("The predecessor.")),
        "to": serializers.IntegerField(help_text=_("The successor.")),
        "type": named_choice("TaskLinkTypeEnum", TaskLink.Type.choices),
        "lag": serializers.IntegerField(),
        "critical": serializers.BooleanField(),
    },
)


class BaselineRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScheduleSerializer(serializers.Serializer):
    """A project's computed plan in one answer, as the Gantt chart reads it."""

    today = serializers.DateField()
    start = serializers.DateField()
    finish = serializers.DateField(allow_null=True)
    calendar = ScheduleCalendarSerializer()
    tasks = ScheduleTaskSerializer(many=True)
    links = ScheduleLinkSerializer(many=True)
    baselines = BaselineRefSerializer(many=True)
    editable = serializers.BooleanField(help_text=_("Whether you may change the plan."))


class ScheduleQuerySerializer(serializers.Serializer):
    """`?baseline=<id>`: add that baseline's dates to every task."""

    baseline: RelatedId = VisibleRelatedField(
        queryset=Baseline.objects.all(), visible=_visible_baselines, required=False
    )


# MS Project XML ---------------------------------------------------------------------------


class MspdiUploadSerializer(StrictSerializerMixin, serializers.Serializer):
    """An MS Project XML file to replace the plan with."""

    file = serializers.FileField(help_text=_("An MS Project XML (MSPDI) file."))
    replace = serializers.BooleanField(
        default=False,
        help_text=_("Replace the plan the project has (else a project with tasks refuses)."),
    )


class ImportResultSerializer(serializers.Serializer):
    """What an import brought in, and what the plan could not hold."""

    tasks = serializers.IntegerField()
    links = serializers.IntegerField()
    baselines = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())
