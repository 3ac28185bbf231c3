"""An import of register items from an Excel or CSV file, from upload to summary.

The uploaded file is kept under `MEDIA_ROOT/imports/<uuid>` (never under the name the user
gave it) while the job moves through its steps: uploaded → mapped → previewed → running →
done or failed. The job remembers what the pages need without reading the file again: the
sheets and their headers, the column mapping, the preview, the progress and the outcome.
Next to the file, `<uuid>.tables.json.gz` holds its cells as the upload read them, so a new
mapping and the commit check the very cells the preview showed without parsing it again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.portfolio.models import Project

RAID = "raid"


class ImportJob(models.Model):
    """One upload of a register (or a RAID workbook) into a project, owned by its uploader."""

    class Kind(models.TextChoices):
        RISK = "risk", _("Risks")
        ISSUE = "issue", _("Issues")
        ASSUMPTION = "assumption", _("Assumptions")
        DEPENDENCY = "dependency", _("Dependencies")
        ACTION = "action", _("Actions")
        DECISION = "decision", _("Decisions")
        RAID = RAID, _("RAID workbook (one sheet per register)")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        MAPPED = "mapped", _("Mapped")
        PREVIEWED = "previewed", _("Previewed")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(_("register"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(_("stored file"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    options = models.JSONField(_("options"), default=dict, blank=True)
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.JSONField(_("error"), default=dict, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created")]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.project.key}"

    @staticmethod
    def new_stored_name() -> str:
        """A fresh storage path under `imports/`, unrelated to what the user called the file."""
        return f"imports/{uuid.uuid4().hex}"

    @property
    def update_existing(self) -> bool:
        """Whether rows with a reference code update that item instead of creating one."""
        return bool(self.options.get("update"))

    @property
    def is_raid(self) -> bool:
        return self.kind == RAID

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def can_change(self) -> bool:
        """Whether the mapping may still change and the import may (again) be committed."""
        return self.status not in (self.Status.RUNNING, self.Status.DONE)

    def sheet_mappings(self) -> list[dict[str, Any]]:
        """The mapping per sheet: `{"kind": ..., "columns": [field key or None, ...]}`."""
        return list(self.mapping.get("sheets", []))
