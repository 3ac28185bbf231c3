"""Project plans: tasks and milestones in a work breakdown, links, a calendar, baselines.

A project has one `ProjectPlan`: its start date and working calendar (working weekdays,
public holidays of a country, `CalendarException` days). Its `Task` rows form the work
breakdown in outline order (`order`, `level`, `wbs`); a task with children is a summary.
`TaskLink` connects two tasks of the same or of different projects; a link between two
projects is a cross-project dependency and carries its `registers.Dependency` item. The
dates, floats and the critical flag of every task are written only by the scheduling
service (`services.reschedule`), which runs the engine in `schakel.core.scheduling`:
nothing else computes dates. A `Baseline` is an immutable copy of every task's dates at one
moment, to measure slippage against.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakel.lib.models import TimestampedModel, VersionedModel
from schakel.portfolio.models import Project

MAX_DURATION = 5000  # working days: twenty years
MAX_LAG = 1000


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class ProjectPlan(VersionedModel):
    """A project's start date and working calendar, and when it was last scheduled."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plan"
    )
    start = models.DateField(_("project start"))
    weekdays = models.JSONField(_("working days of the week"), default=default_weekdays)
    holidays = models.CharField(
        _("public holidays"),
        max_length=8,
        default="NL",
        blank=True,
        help_text=_("The country whose public holidays are days off; empty for none."),
    )
    status_date = models.DateField(_("status date"), null=True, blank=True)
    finish = models.DateField(_("project finish"), null=True, blank=True, editable=False)
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("project plan")
        verbose_name_plural = _("project plans")

    def __str__(self) -> str:
        return str(self.project)

    def clean(self) -> None:
        super().clean()
        days = self.weekdays
        if (
            not isinstance(days, list)
            or not days
            or len(set(days)) != len(days)
            or not all(isinstance(d, int) and 0 <= d <= 6 for d in days)
        ):
            raise ValidationError({"weekdays": _("Choose at least one working day of the week.")})


class CalendarException(models.Model):
    """A day the plan's calendar treats differently: a day off, or an extra working day."""

    plan = models.ForeignKey(ProjectPlan, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("day"))
    working = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="planning_exception_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {'working' if self.working else 'off'}"


class Task(VersionedModel):
    """A task, milestone or summary (a task with children) of a project's work breakdown."""

    class Constraint(models.TextChoices):
        ASAP = "ASAP", _("As soon as possible")
        SNET = "SNET", _("Start no earlier than")
        SNLT = "SNLT", _("Start no later than")
        FNET = "FNET", _("Finish no earlier than")
        FNLT = "FNLT", _("Finish no later than")
        MSO = "MSO", _("Must start on")
        MFO = "MFO", _("Must finish on")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # Outline order within the project (pre-order: a summary before its children) and depth.
    order = models.PositiveIntegerField(editable=False, default=0)
    level = models.PositiveSmallIntegerField(editable=False, default=1)
    wbs = models.CharField(_("WBS"), max_length=60, editable=False, blank=True)
    name = models.CharField(_("name"), max_length=255)
    milestone = models.BooleanField(_("milestone"), default=False)
    duration = models.PositiveIntegerField(
        _("duration (working days)"), default=1, validators=[MaxValueValidator(MAX_DURATION)]
    )
    constraint = models.CharField(
        _("constraint"), max_length=4, choices=Constraint.choices, default=Constraint.ASAP
    )
    constraint_date = models.DateField(_("constraint date"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_tasks",
    )
    notes = models.TextField(_("notes"), blank=True)
    # Written by the scheduling service only.
    summary = models.BooleanField(default=False, editable=False)
    start = models.DateField(_("start"), null=True, blank=True, editable=False)
    finish = models.DateField(_("finish"), null=True, blank=True, editable=False)
    late_start = models.DateField(null=True, blank=True, editable=False)
    late_finish = models.DateField(null=True, blank=True, editable=False)
    total_float = models.IntegerField(null=True, blank=True, editable=False)
    free_float = models.IntegerField(null=True, blank=True, editable=False)
    critical = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(
        user_related_name="+",
        excluded_fields=[
            "order", "summary", "start", "finish", "late_start", "late_finish",
            "total_float", "free_float", "critical",
        ],
    )  # fmt: skip

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "order"]
        indexes = [models.Index(fields=["project", "order"], name="task_outline")]
        constraints = [
            models.CheckConstraint(
                name="task_milestone_has_no_duration",
                condition=Q(milestone=False) | Q(duration=0),
            ),
            models.CheckConstraint(
                name="task_dated_constraint",
                condition=Q(constraint="ASAP") | Q(constraint_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wbs} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.constraint != self.Constraint.ASAP and self.constraint_date is None:
            errors["constraint_date"] = _("Give the date of the constraint.")
        if self.milestone and self.duration:
            errors["duration"] = _("A milestone takes no time: its duration is 0.")
        if self.actual_finish and self.actual_start and self.actual_finish < self.actual_start:
            errors["actual_finish"] = _("The actual finish cannot be before the actual start.")
        if self.actual_finish and not self.actual_start:
            errors["actual_start"] = _("Give the actual start too.")
        if errors:
            raise ValidationError(errors)


class TaskLink(TimestampedModel):
    """The successor waits for the predecessor: finish-to-start unless said otherwise."""

    class Type(models.TextChoices):
        FS = "FS", _("Finish to start")
        SS = "SS", _("Start to start")
        FF = "FF", _("Finish to finish")
        SF = "SF", _("Start to finish")

    predecessor = models.ForeignKey(
        Task,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Task,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    type = models.CharField(_("type"), max_length=2, choices=Type.choices, default=Type.FS)
    lag = models.IntegerField(
        _("lag (working days)"),
        default=0,
        validators=[MinValueValidator(-MAX_LAG), MaxValueValidator(MAX_LAG)],
        help_text=_("Negative for a lead: the successor may start that many days earlier."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A link between two projects is a dependency of the registers: the item it is
    # recorded as (made by `services.link_create`, or an existing one connected to the plan).
    # Removing the link keeps the item, the register's record.
    dependency = models.OneToOneField(
        "registers.Dependency",
        verbose_name=_("dependency"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="task_link",
    )

    class Meta:
        verbose_name = _("task link")
        verbose_name_plural = _("task links")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="planning_link_once"),
            models.CheckConstraint(
                name="planning_link_not_to_itself", condition=~Q(predecessor=F("successor"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type} {self.successor_id}"


class Baseline(TimestampedModel):
    """The dates of the whole plan at one moment, kept to measure slippage against."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class BaselineTask(models.Model):
    """One task's dates in a baseline; kept when the task is later removed from the plan."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(Task, null=True, on_delete=models.SET_NULL, related_name="+")
    wbs = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=255)
    milestone = models.BooleanField(default=False)
    summary = models.BooleanField(default=False)
    start = models.DateField(null=True)
    finish = models.DateField(null=True)
    duration = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "task"],
                condition=Q(task__isnull=False),
                name="planning_baseline_task_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.baseline_id}: {self.name}"
