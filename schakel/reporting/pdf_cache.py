"""Printed project pages of the consolidated PDF, kept on disk between reports.

WeasyPrint needs a fifth of a second per project page; a report of 200 projects printed
from scratch takes most of a minute. Its project pages do not change once the reports are
approved, so each page is kept under a key made from exactly what it prints (see
`schakel.core.exports.report_pdf`), and a background task prints the pages as soon as a
report is approved (`warm`). A download then only prints its front matter and page
numbers. Files unused for `KEEP_DAYS` are removed by the daily round (`prune`).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from schakel.core.exports.report_pdf import warm_pages

KEEP_DAYS = 30
_KEY = re.compile(r"^[0-9a-f]{64}$")


class DiskPageCache:
    """Pages as files named by their key; a read marks the file as used."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or Path(settings.MEDIA_ROOT) / "report-pages"

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("not a page key")
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # the file is in use: prune keeps it
        return data if data.startswith(b"%PDF") else None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def prune(self, now: float | None = None) -> int:
        """Remove pages nobody printed for `KEEP_DAYS`; how many went."""
        cutoff = (now or time.time()) - KEEP_DAYS * 86400
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*/*.pdf"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def warm(cycle: Any, period_end: datetime.date, cache: DiskPageCache | None = None) -> int:
    """Print the period's project pages in every language, for any reader's download.

    A page shows one project's report only, so the same page serves everyone who sees
    that project; the front matter (which depends on who reads) is printed per download.
    """
    from . import consolidated, services

    cache = cache or DiskPageCache()
    period = services.core_cycle(cycle).period_ending(period_end)
    projects = list(
        cycle.projects.filter(deleted_at__isnull=True, archived_at__isnull=True)
        .select_related("manager")
        .order_by("key")
    )
    printed = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            data, _source = consolidated.build(
                cycle, period, None, language=language, projects=projects
            )
            printed += warm_pages(data, cache)
    return printed
