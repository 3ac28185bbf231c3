"""Import pages: upload a file, review the mapping and preview, commit, follow the progress.

Only the job's owner sees a job (anyone else gets 404, as for a missing one), and only
while they may add items to its project (member or above).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.core.importers.tabular import ImportFileError
from schakel.lib.htmx import targets
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project

from . import access, imports
from .forms_import import ImportMappingForm, ImportStartForm
from .models_import import ImportJob
from .registry import BY_KIND, BY_SLUG

# Errors listed on the review page before "show all".
ERRORS_SHOWN = 200


def _project(request: HttpRequest, pk: int) -> Project:
    return portfolio_access.project_for_user(request.user, pk, need=access.CONTRIBUTE)


def _crumbs(project: Project, *last: tuple[str, str]) -> list[tuple[str, str]]:
    programme = project.programme
    return [
        (programme.portfolio.name, programme.portfolio.get_absolute_url()),
        (programme.name, programme.get_absolute_url()),
        (project.key, project.get_absolute_url()),
        *last,
    ]


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = imports.job_for_user(request.user, pk)
    job.project = _project(request, job.project_id)
    return job


@login_required
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a register (or a RAID workbook) and upload the file; bad files never stay."""
    project = _project(request, pk)
    if project.is_archived:
        messages.warning(request, _("This is archived and read-only; unarchive it to change it."))
        return redirect(project)
    chosen = request.GET.get("register", "")
    register = BY_SLUG.get(chosen) or BY_KIND.get(chosen)
    form = ImportStartForm(
        request.POST or None,
        request.FILES or None,
        initial={"register": register.kind if register else "risk"},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.job_start(
                user=request.user,
                project=project,
                kind=form.cleaned_data["register"],
                data=upload.read(),
                filename=upload.name,
                update=form.cleaned_data["update"],
            )
        except ImportFileError as error:
            form.add_error("file", imports.file_error_message(error))
        else:
            return redirect("registers:import_review", job.pk)
    return render(
        request,
        "registers/import_start.html",
        {
            "project": project,
            "form": form,
            "recent": imports.recent_jobs(request.user, project),
            "breadcrumbs": _crumbs(project, (_("Import"), "")),
        },
    )


def _problem_rows(job: ImportJob, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    mappings = job.sheet_mappings()
    rows = []
    for problem in problems:
        sheet = problem.get("sheet", 0)
        kind = mappings[sheet].get("kind") if sheet < len(mappings) else None
        spec = imports.field_map(kind).get(problem.get("field") or "") if kind else None
        rows.append(
            {
                "sheet": job.sheets[sheet]["name"] if sheet < len(job.sheets) else "",
                "row": problem.get("row"),
                "header": problem.get("header"),
                "column": problem.get("column") or (capfirst(str(spec.label)) if spec else ""),
                "message": imports.problem_message(problem, kind),
            }
        )
    return rows


def _previews(job: ImportJob) -> list[dict[str, Any]]:
    """Per sheet: the register, the field labels and the first rows as they will be saved."""
    out = []
    for index, sheet in enumerate(job.preview.get("sheets", [])):
        kind = sheet.get("kind")
        if not kind:
            continue
        fields = imports.field_map(kind)
        out.append(
            {
                "name": job.sheets[index]["name"] if index < len(job.sheets) else "",
                "register": BY_KIND[kind],
                "labels": [capfirst(str(fields[key].label)) for key in sheet["fields"]],
                "rows": sheet["rows"],
            }
        )
    return out


def _status_context(job: ImportJob) -> dict[str, Any]:
    done, total = imports.job_progress(job)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
        "lines": imports.result_lines(job) if job.status == ImportJob.Status.DONE else [],
        "waiting_for_worker": imports.job_waiting_for_worker(job),
    }


@login_required
@vary_on_headers("HX-Request")
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the mapping and the preview; a POST changes the mapping and checks again."""
    job = _job(request, pk)
    project = job.project
    if targets(request, "import-status"):
        job = imports.job_check_task(job)
        return render(request, "registers/import_review.html#status", _status_context(job))
    if request.method == "POST" and job.can_change:
        form = ImportMappingForm(job, request.POST)
        if form.is_valid():
            try:
                imports.job_remap(job=job, sheets=form.sheets(), update=form.cleaned_data["update"])
            except ImportFileError as error:
                messages.error(request, imports.file_error_message(error))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Mapping saved; every row was checked again."))
            return redirect("registers:import_review", job.pk)
    else:
        form = ImportMappingForm(job)
    job = imports.job_check_task(job)
    preview = job.preview or {}
    problems = preview.get("problems", [])
    count = preview.get("problem_count", len(problems))
    show_all = request.GET.get("errors") == "all"
    shown = problems if show_all else problems[:ERRORS_SHOWN]
    context = {
        **_status_context(job),
        "project": project,
        "form": form,
        "preview": preview,
        "problems": _problem_rows(job, shown),
        "hidden_problems": count - len(shown),
        "all_shown": show_all,
        "previews": _previews(job),
        "can_commit": job.can_change and not count and preview.get("total", 0) > 0,
        "background": job.rows_total > imports.BACKGROUND_ROWS,
        "breadcrumbs": _crumbs(
            project,
            (_("Import"), reverse("registers:import_start", args=[project.pk])),
            (job.original_name, ""),
        ),
    }
    return render(request, "registers/import_review.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the rows, all or nothing: now for a small file, in the background for a big one."""
    job = _job(request, pk)
    try:
        job = imports.job_commit(job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.status == ImportJob.Status.DONE:
            messages.success(request, _("Import finished."))
    return redirect("registers:import_review", job.pk)
