"""Model mixins shared by every domain model: versions for conflict detection, and the trash."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Record when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """Carry an integer version that each update raises by one.

    An edit sends the version it started from; `schakel.lib.services.update_versioned`
    refuses it when the row has moved on, so no update is ever silently overwritten.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class LiveQuerySet(models.QuerySet):
    """Rows that are not in the trash, plus the trash itself."""

    def live(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=True)

    def trashed(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(LiveQuerySet)):  # type: ignore[misc]
    """The default manager: hides rows in the trash."""

    def get_queryset(self) -> LiveQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class TrashableModel(models.Model):
    """Move a row to the trash instead of deleting it; restore brings it back.

    Rows trashed together (a programme with its projects) share a `trash_batch`, so a
    restore brings back exactly what one delete removed.
    """

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trash_batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    objects = LiveManager()
    all_objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_trashed(self) -> bool:
        return self.deleted_at is not None

    def mark_trashed(self, *, by: Any, batch: uuid.UUID) -> None:
        """Mark this row as trashed (the caller saves it)."""
        self.deleted_at = timezone.now()
        self.deleted_by = by
        self.trash_batch = batch

    def mark_restored(self) -> None:
        """Take this row out of the trash (the caller saves it)."""
        self.deleted_at = None
        self.deleted_by = None
        self.trash_batch = None
