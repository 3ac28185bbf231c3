"""The consolidated PDF's project pages: printed when a report is approved, kept on disk,
and used by the download."""

from __future__ import annotations

import io
import os
import time

import pypdf
import pytest

from schakel.core.exports import report_pdf as report_pdf_module
from schakel.reporting import exports, services, tasks
from schakel.reporting.pdf_cache import DiskPageCache

from .pages import make_cycle, start


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def printed(monkeypatch):
    documents: list[str] = []
    real = report_pdf_module._print

    def counting(document, resources):
        documents.append(document)
        return real(document, resources)

    monkeypatch.setattr(report_pdf_module, "_print", counting)
    return documents


def _approve(cycle, project, manager, pmo):
    report = start(cycle, project, manager)
    report = services.report_update(
        report=report, version=report.version, by=manager, overall="green",
        ratings=dict.fromkeys(cycle.dimension_keys, ("green", "")),
    )  # fmt: skip
    report = services.report_submit(report=report, version=report.version, by=manager)
    return services.report_approve(report=report, version=report.version, by=pmo)


def test_approving_prints_the_pages_in_every_language_and_the_download_uses_them(
    settings, org, pmo, manager, printed, django_capture_on_commit_callbacks
):
    settings.SCHAKEL_WARM_REPORT_PAGES = True
    cycle = make_cycle(org, pmo)
    with django_capture_on_commit_callbacks(execute=True):
        _approve(cycle, org.project, manager, pmo)
    # Two projects report (one without a report yet), in English and Dutch.
    assert len(printed) == 4
    assert len(list((settings.MEDIA_ROOT / "report-pages").glob("*/*.pdf"))) == 4

    printed.clear()
    export = exports.start(
        cycle=cycle, period=services.reporting_period(cycle), kind="pdf", user=pmo,
        language="nl",
    )  # fmt: skip
    assert len(printed) == 1  # the front matter only
    reader = pypdf.PdfReader(io.BytesIO(exports.content(export)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Org design" in text and "Policy" in text
    assert f"Pagina {len(reader.pages)} van {len(reader.pages)}" in text


def test_nothing_is_printed_when_warming_is_off(org, pmo, manager, printed):
    cycle = make_cycle(org, pmo)
    _approve(cycle, org.project, manager, pmo)
    assert printed == []


def test_a_period_is_queued_once_while_a_round_waits(
    settings, org, pmo, manager, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.SCHAKEL_WARM_REPORT_PAGES = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cycle = make_cycle(org, pmo)
    period = services.reporting_period(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_warming(cycle.pk, period.end)
        tasks.schedule_warming(cycle.pk, period.end)
    waiting = DBTaskResult.objects.filter(task_path=tasks.warm_report_pages.module_path)
    assert waiting.count() == 1
    assert waiting.get().args_kwargs["args"] == [cycle.pk, period.end.isoformat()]


def test_pages_unused_for_a_month_are_pruned(tmp_path):
    cache = DiskPageCache(tmp_path)
    cache.put("a" * 64, b"%PDF-1.7 old")
    cache.put("b" * 64, b"%PDF-1.7 new")
    month_ago = time.time() - 31 * 86400
    os.utime(tmp_path / "aa" / f"{'a' * 64}.pdf", (month_ago, month_ago))

    assert cache.prune() == 1
    assert cache.get("a" * 64) is None
    assert cache.get("b" * 64) == b"%PDF-1.7 new"


def test_a_key_that_is_not_a_digest_is_refused(tmp_path):
    with pytest.raises(ValueError):
        DiskPageCache(tmp_path).get("../../etc/passwd")
