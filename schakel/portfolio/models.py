"""The organisation of the work: portfolio → programme → theme → project."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schakel.lib.models import LiveManager, LiveQuerySet, TrashableModel, VersionedModel


class State(models.TextChoices):
    """Whether work in a programme or project goes on."""

    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


class Phase(models.TextChoices):
    """The lifecycle phase of a project."""

    INITIATION = "initiation", _("Initiation")
    PLANNING = "planning", _("Planning")
    EXECUTION = "execution", _("Execution")
    CLOSURE = "closure", _("Closure")


class Tag(models.Model):
    """A free label shared across the organisation (e.g. "IT", "Quick win")."""

    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Portfolio(VersionedModel, TrashableModel):
    """The whole of an organisation's change work; the top of the tree."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(user_related_name="+")

    class Meta(TrashableModel.Meta):
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:portfolio_detail", args=[self.pk])


project_key_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,9}$",
    _("Use 2 to 10 capital letters or digits, starting with a letter (e.g. ODI)."),
)


class Programme(VersionedModel, TrashableModel):
    """A set of projects that together bring one change about, led by a programme manager."""

    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    key = models.CharField(
        _("key"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[project_key_validator],
        help_text=_("A short code for programme-level reference numbers, e.g. VOD for VOD-R3."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_programmes",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_programmes",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    history = HistoricalRecords(user_related_name="+")

    class Meta(TrashableModel.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:programme_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.key:
            self.key = self.key.upper()
            if Project.all_objects.filter(key=self.key).exists():
                errors["key"] = _("A project uses this key; reference codes must stay unique.")
        elif self.key == "":
            self.key = None
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date lies before the start date.")
        if errors:
            raise ValidationError(errors)


class Theme(VersionedModel, TrashableModel):
    """A workstream inside a programme (e.g. organisation design, policy, quick wins)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords(user_related_name="+")

    class Meta(TrashableModel.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:theme_detail", args=[self.pk])


class ProjectQuerySet(LiveQuerySet):
    def unarchived(self) -> ProjectQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ProjectQuerySet:
        return self.filter(archived_at__isnull=False)


class ProjectManager(LiveManager.from_queryset(ProjectQuerySet)):  # type: ignore[misc]
    pass


class Project(VersionedModel, TrashableModel):
    """A temporary organisation that delivers one result, reported on by its project manager."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    key = models.CharField(
        _("key"),
        max_length=10,
        unique=True,
        validators=[project_key_validator],
        help_text=_("A short code used in reference numbers, e.g. ODI for ODI-R12."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_projects",
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.INITIATION
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="projects")
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    history = HistoricalRecords(user_related_name="+", m2m_fields=[tags])

    # Narrower managers than TrashableModel's, with the archive filters.
    objects = ProjectManager()  # type: ignore[misc]
    all_objects = ProjectQuerySet.as_manager()  # type: ignore[misc]

    class Meta(TrashableModel.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["key"]
        indexes = [
            models.Index(fields=["programme", "state"]),
            models.Index(fields=["deleted_at", "archived_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} – {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def clean(self) -> None:
        errors = {}
        if self.key:
            self.key = self.key.upper()
            # Unique checks only see live rows; a trashed project still holds its key.
            taken = Project.all_objects.filter(key=self.key).exclude(pk=self.pk)
            if taken.filter(deleted_at__isnull=False).exists():
                errors["key"] = _(
                    "A project in the trash uses this key. Restore it or choose another key."
                )
            elif Programme.all_objects.filter(key=self.key).exists():
                errors["key"] = _("A programme uses this key; reference codes must stay unique.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date lies before the start date.")
        if (
            self.theme_id
            and self.programme_id
            and self.theme is not None
            and self.theme.programme_id != self.programme_id
        ):
            errors["theme"] = _("This theme belongs to another programme.")
        if errors:
            raise ValidationError(errors)


def scope_kind(scope: Portfolio | Programme | Project) -> str:
    """ "portfolio", "programme" or "project": how URLs and templates name a scope's level."""
    if isinstance(scope, Project):
        return "project"
    if isinstance(scope, Programme):
        return "programme"
    return "portfolio"
