"""Progress reporting: cycles on a programme or the portfolio, highlight reports per project.

A `ReportingCycle` says how often the projects of a programme (or the whole portfolio)
report, when a report is due, which projects report and what a report holds (its RAG
dimensions and sections). A `StatusReport` is one project's highlight report for one period:
an overall RAG and one `DimensionRating` per dimension, the texts, and — frozen when it is
submitted — what Schakel itself knows (top risks and issues, overdue actions, decisions of
the period). The PMO returns or approves it and publishes it; a published report never
changes: a correction is a new revision of the same period.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakel.core.reporting.periods import Frequency as CoreFrequency
from schakel.lib.models import TimestampedModel, TrashableModel, VersionedModel
from schakel.portfolio.models import Portfolio, Programme, Project


class Frequency(models.TextChoices):
    WEEKLY = CoreFrequency.WEEKLY.value, _("Weekly")
    BIWEEKLY = CoreFrequency.BIWEEKLY.value, _("Every two weeks")
    FOUR_WEEKLY = CoreFrequency.FOUR_WEEKLY.value, _("Every four weeks")
    MONTHLY = CoreFrequency.MONTHLY.value, _("Monthly")


class Rag(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


# The PRINCE2-style dimensions a new cycle rates; a cycle may drop or add some.
DEFAULT_DIMENSIONS: list[dict[str, str]] = [
    {"key": "schedule", "en": "Schedule", "nl": "Planning"},
    {"key": "budget", "en": "Budget", "nl": "Budget"},
    {"key": "scope", "en": "Scope", "nl": "Scope"},
    {"key": "resources", "en": "Resources", "nl": "Capaciteit"},
    {"key": "risks", "en": "Risks", "nl": "Risico's"},
    {"key": "quality", "en": "Quality", "nl": "Kwaliteit"},
    {"key": "benefits", "en": "Benefits", "nl": "Baten"},
]


class Section(models.TextChoices):
    """The parts of a report a cycle can ask for."""

    SUMMARY = "summary", _("Summary")
    ACHIEVEMENTS = "achievements", _("Achieved this period")
    NEXT_PERIOD = "next_period", _("Planned for next period")
    TOLERANCES = "tolerances", _("Tolerances")
    CHANGE_REQUESTS = "change_requests", _("Requests for change")
    ESCALATIONS = "escalations", _("Escalations and decisions needed")
    MILESTONES = "milestones", _("Key milestones")
    RISKS = "risks", _("Top risks")
    ISSUES = "issues", _("Top issues")
    OVERDUE_ACTIONS = "overdue_actions", _("Overdue actions")
    DECISIONS = "decisions", _("Decisions this period")


# Sections whose content users write (the rest Schakel fills in and freezes).
TEXT_SECTIONS = (
    Section.SUMMARY,
    Section.ACHIEVEMENTS,
    Section.NEXT_PERIOD,
    Section.TOLERANCES,
    Section.CHANGE_REQUESTS,
    Section.ESCALATIONS,
)


def validate_dimensions(value: Any) -> None:
    """A list of 1–12 {key, en, nl}; keys are short slugs, unique."""
    message = _(
        "Give 1 to 12 dimensions, each with a key (lower-case letters, digits, _ ; at most "
        "30) and an English and a Dutch name (at most 60 characters)."
    )
    if not isinstance(value, list) or not 1 <= len(value) <= 12:
        raise ValidationError(message)
    keys = set()
    for entry in value:
        ok = (
            isinstance(entry, dict)
            and set(entry) == {"key", "en", "nl"}
            and isinstance(entry["key"], str)
            and 0 < len(entry["key"]) <= 30
            and all(c.islower() or c.isdigit() or c == "_" for c in entry["key"])
            and all(
                isinstance(entry[n], str) and 0 < len(entry[n].strip()) <= 60 for n in ("en", "nl")
            )
        )
        if not ok or entry["key"] in keys or entry["key"] == "overall":
            raise ValidationError(message)
        keys.add(entry["key"])


def validate_sections(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not set(value) <= set(Section.values)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(_("Choose sections from the list, each once."))


def default_sections() -> list[str]:
    return list(Section.values)


def default_dimensions() -> list[dict[str, str]]:
    return [dict(d) for d in DEFAULT_DIMENSIONS]


class ReportingCycle(VersionedModel, TrashableModel):
    """How often the projects of a programme or the portfolio report, and what they report."""

    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_cycles",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_cycles",
    )
    name = models.CharField(_("name"), max_length=200)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    anchor = models.DateField(
        _("a period ends on"),
        help_text=_("For weekly cycles: a day on which a period ends (it fixes the weekday)."),
    )
    month_day = models.PositiveSmallIntegerField(
        _("day of the month the period ends"),
        default=0,
        validators=[MaxValueValidator(28)],
        help_text=_("1 to 28, or 0 for the last day of the month (monthly cycles)."),
    )
    due_after = models.PositiveSmallIntegerField(
        _("due after (working days)"), default=3, validators=[MaxValueValidator(60)]
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("reporting projects"), blank=True, related_name="reporting_cycles"
    )
    dimensions = models.JSONField(_("RAG dimensions"), default=default_dimensions)
    sections = models.JSONField(_("sections"), default=default_sections)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before the due date"),
        default=3,
        validators=[MaxValueValidator(30)],
        help_text=_("0 for no early reminder."),
    )
    remind_on_due = models.BooleanField(_("remind on the due date"), default=True)
    remind_overdue_every = models.PositiveSmallIntegerField(
        _("remind every … days when overdue"),
        default=2,
        validators=[MaxValueValidator(30)],
        help_text=_("0 for no reminders once the report is late."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(user_related_name="+", m2m_fields=[projects])

    class Meta(TrashableModel.Meta):
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="reporting_cycle_one_scope",
                condition=Q(portfolio__isnull=False, programme__isnull=True)
                | Q(portfolio__isnull=True, programme__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        validate_dimensions(self.dimensions)
        validate_sections(self.sections)

    @property
    def scope(self) -> Portfolio | Programme:
        scope = self.programme or self.portfolio
        assert scope is not None
        return scope

    @property
    def dimension_keys(self) -> list[str]:
        return [d["key"] for d in self.dimensions]


class StatusReport(VersionedModel):
    """One project's highlight report for one period of a cycle (one revision of it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="reports"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="status_reports"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due = models.DateField(_("due"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    overall = models.CharField(_("overall"), max_length=8, choices=Rag.choices, blank=True)
    overall_reason = models.TextField(_("reason"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    achievements = models.TextField(_("achieved this period"), blank=True)
    next_period = models.TextField(_("planned for next period"), blank=True)
    tolerances = models.TextField(_("tolerances"), blank=True)
    change_requests = models.TextField(_("requests for change"), blank=True)
    escalations = models.TextField(_("escalations and decisions needed"), blank=True)
    milestones = models.JSONField(_("key milestones"), default=list, blank=True)
    # What Schakel knew when the report was submitted: top risks and issues, overdue
    # actions, decisions of the period (see services.report_snapshot).
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    superseded = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-period_end", "project__key"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "project", "period_end", "revision"],
                name="reporting_report_revision",
            )
        ]
        indexes = [
            models.Index(fields=["cycle", "period_end"], name="report_cycle_period"),
            models.Index(fields=["project", "period_end"], name="report_project_period"),
        ]

    def __str__(self) -> str:
        return f"{self.project.key} {self.period_end:%Y-%m-%d}"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class DimensionRating(models.Model):
    """The colour of one dimension in one report, with the reason when it is not green."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=30)
    rag = models.CharField(max_length=8, choices=Rag.choices, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "dimension"], name="reporting_rating_once")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.rag or '-'}"


class ReminderLog(TimestampedModel):
    """A reminder sent about a report, so the worker never sends the same one twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("Overdue")
        MANUAL = "manual", _("Sent by the PMO")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    sent_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cycle", "period_end"], name="reminder_cycle_period")]

    def __str__(self) -> str:
        return f"{self.kind} {self.project_id} {self.period_end}"


class PeriodNote(VersionedModel):
    """What the PMO writes above a period's consolidated report: the key messages."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="period_notes")
    period_end = models.DateField()
    key_messages = models.TextField(_("key messages"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("key messages")
        verbose_name_plural = _("key messages")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "period_end"], name="reporting_note_once")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.period_end}"


class ReportExport(TimestampedModel):
    """One download of a consolidated report being made: small ones in the request, large
    ones by the worker while the page shows the progress. The file is made for the user who
    asked, with what they could see then; it is handed only to them, and only while they
    still see the same projects (see `exports.download`)."""

    class Kind(models.TextChoices):
        PPTX = "pptx", _("PowerPoint")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="exports")
    period_end = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    project_ids = models.JSONField(default=list)
    stored_name = models.CharField(max_length=80, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "cycle", "period_end"], name="export_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} {self.cycle_id} {self.period_end}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
