"""Meetings: series with a rhythm, meetings with an agenda, attendance and minutes.

A meeting belongs to exactly one scope (a project, a programme or the portfolio), as a
membership does, and is seen by whoever sees that scope. What the meeting produces is not
kept here but in the registers: an `Outcome` records that a register item was created (or
reviewed) in this meeting under that agenda item, so the decision log and the action list
can say where each entry came from, and the next meeting finds "the actions from the last
one". Published minutes are frozen as `MinutesVersion` snapshots; a correction is a new
version, the old ones stay.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from schakel.core.recurrence import Frequency
from schakel.lib.models import TimestampedModel, TrashableModel, VersionedModel
from schakel.portfolio.models import Portfolio, Programme, Project


class Kind(models.TextChoices):
    """The forums a PMO organises."""

    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    PROJECT_BOARD = "project_board", _("Project board")
    PROJECT_TEAM = "project_team", _("Project team")
    WORK_SESSION = "work_session", _("Work session")
    EVENT = "event", pgettext_lazy("meeting kind", "Event")


class Recurrence(models.TextChoices):
    NONE = Frequency.NONE.value, _("Does not repeat")
    WEEKLY = Frequency.WEEKLY.value, _("Weekly")
    BIWEEKLY = Frequency.BIWEEKLY.value, _("Every two weeks")
    MONTHLY_DATE = Frequency.MONTHLY_DATE.value, _("Monthly on the same date")
    MONTHLY_WEEKDAY = Frequency.MONTHLY_WEEKDAY.value, _("Monthly on the same weekday")


class Standing(models.TextChoices):
    """Agenda items whose content Schakel fills in when the agenda is prepared."""

    NONE = "", _("Regular item")
    PREVIOUS_ACTIONS = "previous_actions", _("Actions from the previous meeting")
    DECISIONS_NEEDED = "decisions_needed", _("Decisions needed")
    RISKS_REVIEW = "risks_review", _("Risks due for review")


def _one_scope(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"meetings_{prefix}_one_scope",
        condition=(
            Q(portfolio__isnull=False, programme__isnull=True, project__isnull=True)
            | Q(portfolio__isnull=True, programme__isnull=False, project__isnull=True)
            | Q(portfolio__isnull=True, programme__isnull=True, project__isnull=False)
        ),
    )


class ScopedModel(models.Model):
    """Exactly one of portfolio, programme or project."""

    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )

    class Meta:
        abstract = True

    @property
    def scope(self) -> Portfolio | Programme | Project:
        scope = self.project or self.programme or self.portfolio
        assert scope is not None
        return scope

    @scope.setter
    def scope(self, value: Portfolio | Programme | Project) -> None:
        self.portfolio = value if isinstance(value, Portfolio) else None
        self.programme = value if isinstance(value, Programme) else None
        self.project = value if isinstance(value, Project) else None

    @property
    def scope_kind(self) -> str:
        if self.project_id:
            return "project"
        if self.programme_id:
            return "programme"
        return "portfolio"


class MeetingSeries(ScopedModel, VersionedModel, TrashableModel):
    """A recurring forum (the steering committee of a programme) with its standard agenda."""

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default minute taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitees"),
        blank=True,
        related_name="meeting_series",
    )
    recurrence = models.CharField(
        _("repeats"), max_length=16, choices=Recurrence.choices, default=Recurrence.NONE
    )
    first_date = models.DateField(_("first meeting on"))
    start_time = models.TimeField(_("starts at"), default=datetime.time(10, 0))
    duration = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    standard_agenda = models.JSONField(
        _("standard agenda"),
        default=list,
        blank=True,
        help_text=_("Items every meeting of the series starts with."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(user_related_name="+", m2m_fields=[invitees])

    class Meta(TrashableModel.Meta):
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]
        constraints = [_one_scope("series")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:series_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        validate_standard_agenda(self.standard_agenda)


def validate_standard_agenda(value: Any) -> None:
    """A standard agenda is a list of {title, minutes, description?, standing?}."""
    if not isinstance(value, list):
        raise ValidationError({"standard_agenda": _("The standard agenda must be a list.")})
    if len(value) > 50:
        raise ValidationError({"standard_agenda": _("A standard agenda has at most 50 items.")})
    standings = set(Standing.values)
    for entry in value:
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("title"), str)
            and 0 < len(entry["title"].strip()) <= 300
            and isinstance(entry.get("minutes", 0), int)
            and 0 <= entry.get("minutes", 0) <= 24 * 60
            and isinstance(entry.get("description", ""), str)
            and entry.get("standing", "") in standings
            and set(entry) <= {"title", "minutes", "description", "standing"}
        )
        if not ok:
            raise ValidationError(
                {
                    "standard_agenda": _(
                        "Each item needs a title (at most 300 characters), minutes between "
                        "0 and 1440, and optionally a description and a standing kind."
                    )
                }
            )


class Meeting(ScopedModel, VersionedModel, TrashableModel):
    """One meeting: when, where, who, the agenda, and what came out of it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        MINUTES_DRAFT = "minutes_draft", _("Minutes draft")
        PUBLISHED = "published", _("Minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_chaired",
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minute taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_minuted",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("summary"), blank=True)
    # Where the chair is: the agenda item being discussed and since when, so every
    # screen in the room shows the same item and time box.
    current_item = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    current_item_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)
    agenda_prepared_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The calendar identity: a stable UID and a SEQUENCE raised by every change that an
    # invitee's calendar must pick up (time, place, cancellation).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(
        user_related_name="+", excluded_fields=["current_item", "current_item_started_at"]
    )

    class Meta(TrashableModel.Meta):
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        constraints = [
            _one_scope("meeting"),
            models.CheckConstraint(
                name="meetings_meeting_ends_after_start", condition=Q(end__gt=models.F("start"))
            ),
        ]
        indexes = [
            models.Index(fields=["project", "start"], name="meeting_project_start"),
            models.Index(fields=["programme", "start"], name="meeting_programme_start"),
            models.Index(fields=["series", "start"], name="meeting_series_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_event(self) -> bool:
        return self.kind == Kind.EVENT

    @property
    def minutes_editable(self) -> bool:
        return self.status in (self.Status.IN_PROGRESS, self.Status.MINUTES_DRAFT)


class Attendance(models.Model):
    """Who was invited and who came. A guest has a name (and e-mail) but no account."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    invited = models.BooleanField(_("invited"), default=True)
    status = models.CharField(
        _("attendance"), max_length=12, choices=Status.choices, default=Status.INVITED
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meetings_attendance_once",
            ),
            models.CheckConstraint(
                name="meetings_attendance_person_or_name",
                condition=Q(user__isnull=False) | ~Q(name=""),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.name

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user is not None else self.email


class AgendaItem(VersionedModel):
    """An agenda item with a time box; its notes are the minutes of that item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(
        _("time box (minutes)"), default=10, validators=[MaxValueValidator(24 * 60)]
    )
    description = models.TextField(_("description"), blank=True)
    standing = models.CharField(
        _("standing item"), max_length=24, choices=Standing.choices, default="", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaLink(models.Model):
    """A register item to discuss under an agenda item (a risk to review, a decision)."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="links")
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "item_type", "item_id"], name="meetings_agendalink_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item_id} → {self.item_type_id}:{self.item_id}"


class Outcome(models.Model):
    """A register item that came out of (or was dealt with in) a meeting."""

    class Role(models.TextChoices):
        CREATED = "created", _("Created in the meeting")
        REVIEWED = "reviewed", _("Updated in the meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    kind = models.CharField(max_length=16)  # the register's KIND: action, decision, ...
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CREATED)
    note = models.CharField(max_length=300, blank=True)  # "done", "due moved to 3 Dec"
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["item_type", "item_id"], name="outcome_item"),
            models.Index(fields=["meeting", "kind"], name="outcome_meeting_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} ({self.role})"


class MinutesVersion(models.Model):
    """Published minutes, frozen: what was sent is what stays on record."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField()  # the `schakel.core.exports.documents.Minutes` as plain JSON
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("published minutes")
        verbose_name_plural = _("published minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetings_minutes_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"


class EventSession(models.Model):
    """A parallel session of an event (a workshop), with its room, host and capacity."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(TimestampedModel):
    """A person's place in one session of an event."""

    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="meetings_registration_once")
        ]
