"""Deleted register items on the Trash page, for those who may delete (and so restore) them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from schakel.lib.trash import TrashRow, TrashSection

from . import access
from .registry import REGISTERS

PER_REGISTER = 200


def trashed_items(user: Any) -> list[TrashSection]:
    """List, per register, the newest deleted items the user may restore (manager and up)."""
    found = []
    for register in REGISTERS:
        items = (
            access.visible_items(user, register.model, include_trashed=True)
            .filter(deleted_at__isnull=False)
            .select_related("project__programme__portfolio", "programme__portfolio", "deleted_by")
            .order_by("-deleted_at")[:PER_REGISTER]
        )
        rows = [
            TrashRow(
                label=f"{item.ref} {item.title}",
                where=str(item.project or item.programme),
                deleted_by=item.deleted_by.display_name if item.deleted_by else "",
                deleted_at=item.deleted_at,  # type: ignore[arg-type]
                restore_url=reverse("registers:item_delete", args=[item.KIND, item.pk])
                + "?restore=1",
            )
            for item in items
            if access.can_item(user, item, access.DELETE)
        ]
        found.append(TrashSection(key=register.slug, title=str(register.title), rows=rows))
    return found
