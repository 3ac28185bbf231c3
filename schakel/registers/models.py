"""The six registers of a PMO, on one shared base.

`RegisterItem` holds what every register has in common: the scope (a project, or a
programme for programme-level items), a number that makes the reference code people say in
meetings (`ODI-R12`), title, description, owner, status, tags, who created it, the version
for conflict detection, the trash and the history. Comments and links attach to any item.
Each register adds only its own fields and rules, so a seventh register is a small model.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakel.lib.models import LiveManager, LiveQuerySet, TrashableModel, VersionedModel
from schakel.portfolio.models import Programme, Project, Tag


class Priority(models.TextChoices):
    """How urgent an item is; shared by issues and actions."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


PRIORITY_RANK = {Priority.LOW: 1, Priority.MEDIUM: 2, Priority.HIGH: 3, Priority.CRITICAL: 4}


class RegisterQuerySet(LiveQuerySet):
    """Reads shared by every register: open items, overdue ones, by scope."""

    def open(self) -> RegisterQuerySet:
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def closed(self) -> RegisterQuerySet:
        return self.exclude(status__in=self.model.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> RegisterQuerySet:
        """Open items whose due date (the register's `DUE_FIELD`) has passed."""
        due_field = self.model.DUE_FIELD
        if not due_field:
            return self.none()
        today = today or timezone.localdate()
        return self.open().filter(**{f"{due_field}__lt": today})

    def in_projects(self, projects: Any) -> RegisterQuerySet:
        return self.filter(project__in=projects)


class RegisterManager(LiveManager.from_queryset(RegisterQuerySet)):  # type: ignore[misc]
    """The default manager of a register: live items only."""


class RegisterItem(VersionedModel, TrashableModel):
    """What every register item has; subclasses add their own fields and rules.

    Class attributes each register sets:
    - `KIND`: a short name ("risk"), used in URLs, the API and the registry;
    - `PREFIX`: the letter of the reference code ("R" in ODI-R12);
    - `OPEN_STATUSES`: statuses that count as open (lists, overdue, cockpit);
    - `DUE_FIELD`: the date that makes an item due or overdue, or "".
    """

    KIND: ClassVar[str] = ""
    PREFIX: ClassVar[str] = ""
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = ()
    DUE_FIELD: ClassVar[str] = ""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_items",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_items",
        help_text=_("For programme-level items that belong to no single project."),
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_%(class)ss",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="%(class)s_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comments = GenericRelation(
        "registers.Comment", content_type_field="item_type", object_id_field="item_id"
    )

    objects = RegisterManager()  # type: ignore[misc]
    all_objects = RegisterQuerySet.as_manager()  # type: ignore[misc]

    class Meta(TrashableModel.Meta):
        abstract = True
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_one_scope",
                condition=(
                    Q(project__isnull=False, programme__isnull=True)
                    | Q(project__isnull=True, programme__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "number"],
                condition=Q(project__isnull=False),
                name="%(app_label)s_%(class)s_project_number",
            ),
            models.UniqueConstraint(
                fields=["programme", "number"],
                condition=Q(programme__isnull=False),
                name="%(app_label)s_%(class)s_programme_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def scope(self) -> Project | Programme:
        return self.project or self.programme  # type: ignore[return-value]

    @property
    def ref(self) -> str:
        """The reference code people say aloud: project (or programme) key, letter, number."""
        if self.project is not None:
            key = self.project.key
        else:
            key = (self.programme.key if self.programme is not None else None) or "PRG"
        return f"{key}-{self.PREFIX}{self.number}"

    @property
    def due_date(self) -> datetime.date | None:
        return getattr(self, self.DUE_FIELD) if self.DUE_FIELD else None

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES  # type: ignore[attr-defined]

    @property
    def is_overdue(self) -> bool:
        due = self.due_date
        return bool(self.is_open and due and due < timezone.localdate())

    def get_absolute_url(self) -> str:
        return reverse("registers:item_detail", args=[self.KIND, self.pk])

    def clean(self) -> None:
        if bool(self.project_id) == bool(self.programme_id):
            raise ValidationError(_("An item belongs to exactly one project or programme."))
        if self.programme is not None and not self.project_id and not self.programme.key:
            raise ValidationError(
                {"programme": _("Give the programme a key first: it starts the item's code.")}
            )


# Configuration ------------------------------------------------------------------------


class ScaleAxis(models.TextChoices):
    PROBABILITY = "probability", _("Probability")
    IMPACT = "impact", _("Impact")


class RiskScaleLevel(models.Model):
    """One step of the probability or impact scale (default 1–5), with labels in both languages."""

    axis = models.CharField(_("axis"), max_length=16, choices=ScaleAxis.choices)
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    label_en = models.CharField(_("label (English)"), max_length=60)
    label_nl = models.CharField(_("label (Dutch)"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("risk scale level")
        verbose_name_plural = _("risk scale levels")
        ordering = ["axis", "value"]
        constraints = [
            models.UniqueConstraint(fields=["axis", "value"], name="risk_scale_axis_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_axis_display()} {self.value}: {self.label}"

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_nl if (get_language() or "en").startswith("nl") else self.label_en


class RiskCategory(models.Model):
    """A category of risk (configurable list: strategic, financial, IT, ...)."""

    name_en = models.CharField(_("name (English)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")
        ordering = ["position", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_nl if (get_language() or "en").startswith("nl") else self.name_en


# The registers --------------------------------------------------------------------------


class Risk(RegisterItem):
    """A threat or opportunity: cause → event → effect, scored inherent and residual."""

    KIND = "risk"
    PREFIX = "R"
    DUE_FIELD = "review_date"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        OCCURRED = "occurred", _("Occurred")

    class Nature(models.TextChoices):
        THREAT = "threat", _("Threat")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Proximity(models.TextChoices):
        IMMINENT = "imminent", _("Imminent")
        WITHIN_MONTH = "month", _("Within a month")
        WITHIN_QUARTER = "quarter", _("Within a quarter")
        WITHIN_YEAR = "year", _("Within a year")
        LATER = "later", _("Later than a year")

    class Response(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        REDUCE = "reduce", _("Reduce")
        FALLBACK = "fallback", _("Fallback")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")
        SHARE = "share", _("Share")
        EXPLOIT = "exploit", _("Exploit")
        ENHANCE = "enhance", _("Enhance")
        REJECT = "reject", _("Reject")

    THREAT_RESPONSES: ClassVar[set[str]] = {
        "avoid",
        "reduce",
        "fallback",
        "transfer",
        "accept",
        "share",
    }
    OPPORTUNITY_RESPONSES: ClassVar[set[str]] = {"exploit", "enhance", "reject", "share"}

    class Trend(models.TextChoices):
        RISING = "rising", _("Rising")
        STABLE = "stable", _("Stable")
        FALLING = "falling", _("Falling")

    OPEN_STATUSES = (Status.OPEN,)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    nature = models.CharField(
        _("threat or opportunity"), max_length=16, choices=Nature.choices, default=Nature.THREAT
    )
    category = models.ForeignKey(
        RiskCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    cause = models.TextField(_("cause"), blank=True)
    event = models.TextField(_("event"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    score = models.PositiveSmallIntegerField(_("inherent score"), editable=False, default=0)
    residual_probability = models.PositiveSmallIntegerField(
        _("residual probability"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("residual impact"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    residual_score = models.PositiveSmallIntegerField(
        _("residual score"), null=True, blank=True, editable=False
    )
    proximity = models.CharField(
        _("proximity"), max_length=16, choices=Proximity.choices, blank=True
    )
    response = models.CharField(_("response"), max_length=16, choices=Response.choices, blank=True)
    response_plan = models.TextField(_("response plan"), blank=True)
    actionee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actionee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks_to_action",
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    trend = models.CharField(
        _("trend"), max_length=8, choices=Trend.choices, default=Trend.STABLE, editable=False
    )
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True, editable=False)
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [
            models.Index(fields=["project", "status"], name="risk_project_status"),
            models.Index(fields=["status", "score"], name="risk_status_score"),
        ]

    @property
    def current_score(self) -> int:
        """The residual score when it is set, else the inherent score."""
        return self.residual_score if self.residual_score is not None else self.score

    def compute_scores(self) -> None:
        """Derive the inherent and residual scores from probability × impact."""
        self.score = (self.probability or 0) * (self.impact or 0)
        if self.residual_probability and self.residual_impact:
            self.residual_score = self.residual_probability * self.residual_impact
        else:
            self.residual_score = None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if bool(self.residual_probability) != bool(self.residual_impact):
            message = _("Give both residual probability and residual impact, or neither.")
            errors["residual_impact" if self.residual_probability else "residual_probability"] = (
                message
            )
        allowed = (
            self.OPPORTUNITY_RESPONSES
            if self.nature == self.Nature.OPPORTUNITY
            else (self.THREAT_RESPONSES)
        )
        if self.response and self.response not in allowed:
            errors["response"] = (
                _("This response does not fit an opportunity.")
                if self.nature == self.Nature.OPPORTUNITY
                else _("This response does not fit a threat.")
            )
        if errors:
            raise ValidationError(errors)


class Issue(RegisterItem):
    """Something that has happened and needs handling: a change request, off-spec or problem."""

    KIND = "issue"
    PREFIX = "I"
    DUE_FIELD = "target_date"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Type(models.TextChoices):
        CHANGE = "change", _("Request for change")
        OFF_SPEC = "off_spec", _("Off-specification")
        PROBLEM = "problem", _("Problem or concern")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SIGNIFICANT = "significant", _("Significant")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.ESCALATED)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.PROBLEM)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.SIGNIFICANT
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_issues",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_issues",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    source_risk = models.OneToOneField(
        Risk,
        verbose_name=_("from risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resulting_issue",
    )
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["project", "status"], name="issue_project_status")]

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.ESCALATED and not self.escalated_to_id:
            raise ValidationError({"escalated_to": _("Say to whom the issue is escalated.")})


class Assumption(RegisterItem):
    """Something the plan takes for granted, to be validated by a date."""

    KIND = "assumption"
    PREFIX = "S"
    DUE_FIELD = "validate_by"

    class Status(models.TextChoices):
        UNVALIDATED = "unvalidated", _("Unvalidated")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid")

    OPEN_STATUSES = (Status.UNVALIDATED,)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNVALIDATED
    )
    validate_by = models.DateField(_("validate by"), null=True, blank=True)
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    consequence = models.TextField(_("consequence if invalid"), blank=True)
    raised_issue = models.OneToOneField(
        Issue,
        verbose_name=_("raised issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invalid_assumption",
        editable=False,
    )
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("assumption")
        verbose_name_plural = _("assumptions")


class Dependency(RegisterItem):
    """What one project needs from another (or delivers to it), by a date; seen on both sides."""

    KIND = "dependency"
    PREFIX = "P"
    DUE_FIELD = "need_by"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AT_RISK = "at_risk", _("At risk")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("We depend on them")
        OUTBOUND = "outbound", _("They depend on us")

    OPEN_STATUSES = (Status.OPEN, Status.AT_RISK)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INBOUND
    )
    other_project = models.ForeignKey(
        Project,
        verbose_name=_("other project"),
        on_delete=models.PROTECT,
        related_name="incoming_dependencies",
    )
    milestone = models.CharField(_("our milestone"), max_length=200, blank=True)
    other_milestone = models.CharField(_("their milestone"), max_length=200, blank=True)
    need_by = models.DateField(_("needed by"), null=True, blank=True)
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")

    def clean(self) -> None:
        super().clean()
        if self.project_id and self.other_project_id == self.project_id:
            raise ValidationError({"other_project": _("A project cannot depend on itself.")})


class Decision(RegisterItem):
    """A decision: what, why, which options, by whom or which forum, when, and its effect."""

    KIND = "decision"
    PREFIX = "D"
    DUE_FIELD = "needed_by"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    OPEN_STATUSES = (Status.PROPOSED, Status.DEFERRED)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    rationale = models.TextField(_("rationale"), blank=True)
    options = models.TextField(_("options considered"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions_taken",
    )
    forum = models.CharField(
        _("forum"), max_length=120, blank=True, help_text=_("e.g. Steering committee")
    )
    needed_by = models.DateField(_("decision needed by"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def clean(self) -> None:
        super().clean()
        decided = self.status in (self.Status.APPROVED, self.Status.REJECTED)
        if decided and not (self.decided_by_id or self.forum):
            raise ValidationError({"decided_by": _("Say who or which forum took the decision.")})


class Action(RegisterItem):
    """A task with an owner and a due date, often born in a meeting, risk, issue or decision."""

    KIND = "action"
    PREFIX = "A"
    DUE_FIELD = "due"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    due = models.DateField(_("due"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    history = HistoricalRecords(user_related_name="+", m2m_fields=[RegisterItem.tags.field])

    class Meta(RegisterItem.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["owner", "status", "due"], name="action_owner_status_due"),
            models.Index(fields=["project", "status", "due"], name="action_project_status_due"),
            models.Index(fields=["source_type", "source_id"], name="action_source"),
        ]


REGISTER_MODELS: tuple[type[RegisterItem], ...] = (
    Risk,
    Issue,
    Assumption,
    Dependency,
    Action,
    Decision,
)


# Comments and links ---------------------------------------------------------------------


class Comment(models.Model):
    """A remark on any register item; @username mentions notify the person named."""

    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="register_comments",
    )
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_comments"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    history = HistoricalRecords(user_related_name="+")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="comment_item")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Link(models.Model):
    """A two-way link between two register items (a risk and its mitigating action, ...)."""

    from_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    from_id = models.PositiveBigIntegerField()
    from_item = GenericForeignKey("from_type", "from_id")
    to_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    to_id = models.PositiveBigIntegerField()
    to_item = GenericForeignKey("to_type", "to_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(
                fields=["from_type", "from_id", "to_type", "to_id"], name="link_unique"
            )
        ]
        indexes = [
            models.Index(fields=["from_type", "from_id"], name="link_from"),
            models.Index(fields=["to_type", "to_id"], name="link_to"),
        ]

    def __str__(self) -> str:
        return f"{self.from_item} ↔ {self.to_item}"


from .models_import import ImportJob  # noqa: E402,F401
