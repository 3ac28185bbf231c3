"""Downloads of the consolidated report: PowerPoint, PDF and Excel.

`start()` records a `ReportExport` for the user and the period. A report of up to
`SYNC_PROJECTS` projects is made in the request; a larger one by the worker
(`tasks.make_export`), while the page shows how far it is. The file is made with what the
user could see when they asked and is handed only to them (`for_user`), and only while they
still see the same projects: if that changed, the download is refused and made again.
Files are kept for `KEEP` and then removed with their record.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from schakel.core.exports.pptx import report_pptx
from schakel.core.exports.report_data import ConsolidatedReport, Progress
from schakel.core.exports.report_pdf import report_pdf
from schakel.core.exports.report_xlsx import report_xlsx
from schakel.core.reporting.periods import Period

from . import consolidated, services
from .models import ReportExport, ReportingCycle
from .pdf_cache import DiskPageCache

logger = logging.getLogger(__name__)

SYNC_PROJECTS = 25
KEEP = datetime.timedelta(hours=12)
# A queued export that no worker picked up within this time is reported on the page.
WAITING_TOO_LONG = datetime.timedelta(seconds=20)

Renderer = Callable[..., bytes]
RENDERERS: dict[str, Renderer] = {
    ReportExport.Kind.PPTX: report_pptx,
    ReportExport.Kind.PDF: report_pdf,
    ReportExport.Kind.XLSX: report_xlsx,
}
CONTENT_TYPES: dict[str, str] = {
    ReportExport.Kind.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    ReportExport.Kind.PDF: "application/pdf",
    ReportExport.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "report-exports"


def period_of(export: ReportExport) -> Period:
    return services.core_cycle(export.cycle).period_ending(export.period_end)


def file_name(export: ReportExport) -> str:
    """ "voortgangsrapportage-support-services-2026-11-30.pptx"."""
    with override(export.language):
        stem = slugify(_("Progress report %(scope)s") % {"scope": export.cycle.scope.name})
    return f"{stem[:80] or 'report'}-{export.period_end.isoformat()}.{export.kind}"


def start(
    *, cycle: ReportingCycle, period: Period, kind: str, user: Any, language: str
) -> ReportExport:
    """Record an export and make it now (small) or queue it for the worker (large)."""
    if kind not in RENDERERS:
        raise Http404
    purge()
    projects = consolidated.reporting_projects(cycle, user)
    export = ReportExport.objects.create(
        user=user,
        cycle=cycle,
        period_end=period.end,
        kind=kind,
        language=language,
        total=len(projects),
        project_ids=[p.pk for p in projects],
    )
    if len(projects) <= SYNC_PROJECTS:
        return run(export)
    from .tasks import make_export

    result = make_export.enqueue(export.pk)
    ReportExport.objects.filter(pk=export.pk).update(task_id=str(result.id))
    export.refresh_from_db()
    return export


def _progress(export: ReportExport) -> Progress:
    """Store how far the export is, about twenty times over its length."""
    step = max(1, export.total // 20)
    stored = -step

    def report(done: int, total: int) -> None:
        nonlocal stored
        if done == total or done - stored >= step:
            ReportExport.objects.filter(pk=export.pk).update(done=done, total=total)
            stored = done

    return report


def render(data: ConsolidatedReport, kind: str, progress: Progress | None = None) -> bytes:
    """The report as bytes of the kind asked for."""
    renderer = RENDERERS[kind]
    if kind == ReportExport.Kind.PDF:
        return report_pdf(data, progress=progress, cache=DiskPageCache())
    if kind == ReportExport.Kind.PPTX:
        return renderer(data, progress=progress)
    return renderer(data)


def run(export: ReportExport) -> ReportExport:
    """Make the file of a queued export; only one runner gets to claim it."""
    claimed = ReportExport.objects.filter(pk=export.pk, status=ReportExport.Status.QUEUED).update(
        status=ReportExport.Status.RUNNING, started_at=timezone.now()
    )
    export.refresh_from_db()
    if not claimed:
        return export
    try:
        projects = consolidated.reporting_projects(export.cycle, export.user)
        data, _source = consolidated.build(
            export.cycle, period_of(export), export.user, language=export.language,
            projects=projects,
        )  # fmt: skip
        content = render(data, export.kind, _progress(export))
        name = f"{secrets.token_hex(16)}.{export.kind}"
        folder = export_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    except Exception:
        logger.exception("Report export %s failed", export.pk)
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED,
            error=_("The file could not be made. Try again; if it fails again, tell your PMO."),
            finished_at=timezone.now(),
        )
    else:
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.DONE,
            stored_name=name,
            size=len(content),
            done=F("total"),
            project_ids=[p.pk for p in projects],
            finished_at=timezone.now(),
        )
    export.refresh_from_db()
    return export


def for_user(user: Any, pk: Any) -> ReportExport:
    """The user's own export; anyone else's answers 404 like a missing one."""
    try:
        return ReportExport.objects.select_related(
            "cycle__programme__portfolio", "cycle__portfolio"
        ).get(pk=int(pk), user=user, cycle__deleted_at__isnull=True)
    except (ValueError, TypeError, OverflowError, ReportExport.DoesNotExist) as exc:
        raise Http404 from exc


def check_task(export: ReportExport) -> ReportExport:
    """Mark an export failed when its background task died without saying so."""
    if export.finished or not export.task_id:
        return export
    from .tasks import make_export

    try:
        result = make_export.get_result(export.task_id)
    except Exception:
        return export
    if str(getattr(result, "status", "")).upper().endswith("FAILED"):
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED,
            error=_("The file could not be made: the background task stopped."),
            finished_at=timezone.now(),
        )
        export.refresh_from_db()
    return export


def waiting_for_worker(export: ReportExport, now: datetime.datetime | None = None) -> bool:
    """Queued for a while and not picked up: is `schakel worker` running?"""
    now = now or timezone.now()
    return export.status == ReportExport.Status.QUEUED and now - export.created_at > (
        WAITING_TOO_LONG
    )


def is_current(export: ReportExport) -> bool:
    """Does the user still see exactly the projects the file was made with?"""
    now = [p.pk for p in consolidated.reporting_projects(export.cycle, export.user)]
    return sorted(now) == sorted(export.project_ids)


def content(export: ReportExport) -> bytes:
    """The file's bytes; 404 when it is gone (removed after `KEEP`)."""
    if export.status != ReportExport.Status.DONE or not export.stored_name:
        raise Http404
    path = export_dir() / export.stored_name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Http404 from exc


def purge(now: datetime.datetime | None = None) -> int:
    """Remove exports (records and files) older than `KEEP`."""
    cutoff = (now or timezone.now()) - KEEP
    old = list(ReportExport.objects.filter(created_at__lt=cutoff).only("pk", "stored_name")[:200])
    for export in old:
        if export.stored_name:
            (export_dir() / export.stored_name).unlink(missing_ok=True)
    ReportExport.objects.filter(pk__in=[e.pk for e in old]).delete()
    return len(old)
