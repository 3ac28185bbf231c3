"""The plan pages of a project: the outline with dates, floats and slippage; adding and
changing tasks and links; the calendar; baselines; MS Project XML in and out; the Gantt
as PDF or PNG.

Everyone who sees the project reads its plan; the project manager shapes it
(`access.can_edit_plan`). Every change goes through `services`, which reschedules.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.core.charts.gantt import GanttLink, GanttRow, gantt_svg
from schakel.core.exports.gantt_export import gantt_pdf, gantt_png
from schakel.lib.forms import save_versioned
from schakel.lib.services import StaleVersionError
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project
from schakel.portfolio.views_history import object_breadcrumbs

from . import access, services, transfer
from .forms import BaselineForm, ExceptionForm, ImportForm, LinkForm, PlanForm, TaskForm
from .gantt_strings import gantt_strings
from .labels import chart_labels
from .models import Baseline, CalendarException, Task, TaskLink

PNG_ROWS = 200  # a picture for a slide or an e-mail; the PDF has every row
OUTLINE_PAGE = 250  # rows of the outline table per page; the Gantt shows the whole plan


def _project(request: HttpRequest, pk: int, *, edit: bool = False) -> Project:
    project = portfolio_access.project_for_user(request.user, pk)
    if edit and not access.can_edit_plan(request.user, project):
        raise PermissionDenied
    return project


def plan_url(project: Project) -> str:
    return reverse("planning:project_plan", args=[project.pk])


def task_anchor(task: Task) -> str:
    """The Plan tab at the outline page that shows the task, scrolled to its row."""
    before = Task.objects.filter(project=task.project_id, order__lt=task.order).count()
    page = before // OUTLINE_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{plan_url(task.project)}{query}#task-{task.pk}"


def _crumbs(project: Project, *tail: Any) -> list[tuple[str, str | None]]:
    return object_breadcrumbs(project, (_("Plan"), plan_url(project)), *tail)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
@require_GET
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline: dates, float, critical path and the variance against a baseline.

    The outline is paged (the Gantt above it shows the whole plan); the facts are counted
    by the database, so a plan of 10,000 tasks costs the same handful of queries."""
    project = _project(request, pk)
    plan = services.plan_or_default(project)
    page = Paginator(services.outline(project), OUTLINE_PAGE).get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    facts = Task.objects.filter(project=project).aggregate(
        tasks=Count("pk"),
        milestones=Count("pk", filter=Q(milestone=True)),
        critical=Count("pk", filter=Q(critical=True, summary=False)),
    )
    baselines = list(Baseline.objects.filter(project=project))
    chosen = None
    raw = request.GET.get("baseline")
    if raw and raw.isdigit():
        chosen = next((b for b in baselines if b.pk == int(raw)), None)
    elif baselines:
        chosen = baselines[0]
    shifts: dict[int, tuple[int | None, int | None]] = {}
    kept: dict[int, Any] = {}
    slipped = 0
    if chosen is not None:
        milestones = list(Task.objects.filter(project=project, milestone=True))
        shifts = services.variances(chosen, [*tasks, *milestones])
        slipped = sum(1 for m in milestones if (shifts.get(m.pk, (None, None))[1] or 0) > 0)
        kept = {
            row.task_id: row
            for row in chosen.tasks.filter(task__in=[t.pk for t in tasks]).only(
                "task_id", "start", "finish"
            )
            if row.task_id is not None
        }
    rows: list[dict[str, Any]] = [
        {
            "task": task,
            "baseline": kept.get(task.pk),
            "shift": shifts.get(task.pk, (None, None))[1],
        }
        for task in tasks
    ]
    return render(
        request,
        "planning/plan.html",
        {
            "project": project,
            "plan": plan,
            "rows": rows,
            "page_obj": page,
            "task_count": facts["tasks"],
            "baselines": baselines,
            "baseline": chosen,
            "critical": facts["critical"],
            "milestones": facts["milestones"],
            "slipped": slipped,
            "can_edit": access.can_edit_plan(request.user, project),
            "baseline_form": BaselineForm(),
            "gantt_strings": gantt_strings(),
            "breadcrumbs": _crumbs(project),
        },
    )


def _render_task_form(
    request: HttpRequest, project: Project, form: TaskForm, task: Task | None, **extra: Any
) -> HttpResponse:
    heading = _("Edit task") if task is not None else _("New task")
    links = []
    if task is not None:
        links = list(
            access.visible_links(request.user)
            .filter(successor=task)
            .select_related("predecessor__project", "dependency__project")
        )
    context = {
        "project": project,
        "form": form,
        "task": task,
        "heading": heading,
        "links": links,
        "link_form": _link_form(request, task, project=_asked_project(request)) if task else None,
        "breadcrumbs": _crumbs(project, heading),
        **extra,
    }
    return render(request, "planning/task_form.html", context, status=extra.get("status", 200))


def _asked_project(request: HttpRequest) -> Project | None:
    """The project whose tasks the link form offers, from `?project=` (the form's *Show
    its tasks* button without JavaScript); a project the user does not see is ignored."""
    raw = request.GET.get("project", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return portfolio_access.visible_projects(request.user).filter(pk=int(raw)).first()


def _link_form(
    request: HttpRequest, task: Task, *, data: Any = None, project: Project | None = None
) -> LinkForm:
    """The form that makes `task` wait for a task of this or any other visible project."""
    user = request.user
    return LinkForm(
        data,
        task=task,
        projects=portfolio_access.visible_projects(user).order_by("key"),
        tasks=access.visible_tasks(user),
        project=project,
        options_url=reverse("planning:link_options", args=[task.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, edit=True)
    form = TaskForm(request.POST or None, project=project, instance=Task(project=project))
    if request.method == "POST" and form.is_valid():
        parent = None
        raw = request.POST.get("parent", "")
        if raw.isdigit():
            parent = Task.objects.filter(project=project, pk=int(raw)).first()
        try:
            task = services.task_create(
                project=project, by=request.user, parent=parent, **form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task “%(name)s” added.") % {"name": task.name})
            if "another" in request.POST:
                return redirect("planning:task_create", pk=project.pk)
            return redirect(task_anchor(task))
    status = 400 if request.method == "POST" else 200
    parents = Task.objects.filter(project=project, milestone=False).order_by("order")
    return _render_task_form(request, project, form, None, parents=parents, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_for_user(request.user, pk)
    project = task.project
    if not access.can_report_progress(request.user, task):
        raise PermissionDenied
    full = access.can_edit_plan(request.user, project)
    form = TaskForm(request.POST or None, instance=task)
    if not full:
        for name in form.fields:
            if name not in access.PROGRESS_FIELDS and name != "version":
                form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not full:
            changes = {k: v for k, v in changes.items() if k in access.PROGRESS_FIELDS}
        outcome = save_versioned(
            form,
            lambda: services.task_update(
                task=task, version=form.cleaned_data.get("version"), by=request.user, **changes
            ),
        )
        if outcome.saved is not None:
            messages.success(request, _("Task saved; the plan is rescheduled."))
            return redirect(task_anchor(task))
        return _render_task_form(
            request, project, outcome.form, task, conflict=outcome.conflict,
            status=outcome.status if outcome.status != 200 else 400,
        )  # fmt: skip
    return _render_task_form(request, project, form, task, can_edit=full)


def _task_step(request: HttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    task = access.task_for_user(request.user, pk, edit=True)
    try:
        step(task=task, version=_version(request), by=request.user)
    except StaleVersionError:
        messages.error(request, _("Someone else changed this task in the meantime; try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(task_anchor(task))


@login_required
@require_POST
def task_indent(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, services.task_indent, _("Task indented."))


@login_required
@require_POST
def task_outdent(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, services.task_outdent, _("Task outdented."))


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Move a task one place up or down among its siblings."""
    if direction not in ("up", "down"):
        raise Http404

    def move(*, task: Task, version: int | None, by: Any) -> Task:
        siblings = list(
            Task.objects.filter(project=task.project, parent_id=task.parent_id).order_by("order")
        )
        index = [s.pk for s in siblings].index(task.pk)
        if direction == "up":
            if index == 0:
                raise ValidationError(_("The task is first of its level already."))
            before: Task | None = siblings[index - 1]
        else:
            if index == len(siblings) - 1:
                raise ValidationError(_("The task is last of its level already."))
            before = siblings[index + 2] if index + 2 < len(siblings) else None
        return services.task_move(task=task, version=version, by=by, before=before)

    return _task_step(request, pk, move, _("Task moved."))


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_for_user(request.user, pk, edit=True)
    project = task.project
    try:
        services.task_delete(task=task, version=_version(request), by=request.user)
    except StaleVersionError:
        messages.error(request, _("Someone else changed this task in the meantime; try again."))
        return redirect(task_anchor(task))
    messages.success(request, _("Task “%(name)s” removed.") % {"name": task.name})
    return redirect(plan_url(project))


@login_required
@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the task wait for another (of this or another project); the service checks that
    the user sees that task and shapes this plan, and records a link between two projects
    as a dependency in the register."""
    task = access.task_for_user(request.user, pk, edit=True)
    form = _link_form(request, task, data=request.POST)
    if form.is_valid():
        try:
            link = services.link_create(
                predecessor=form.cleaned_data["predecessor"],
                successor=task,
                type=form.cleaned_data["type"],
                lag=form.cleaned_data["lag"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Link added; the plan is rescheduled."))
            if link.dependency is not None:
                messages.info(
                    request,
                    _("It is recorded as dependency %(ref)s in the register.")
                    % {"ref": link.dependency.ref},
                )
    else:
        errors = [str(m) for field in form.errors.values() for m in field]
        messages.error(request, " ".join([_("Choose a task to wait for."), *errors]))
    return redirect("planning:task_edit", pk=task.pk)


@login_required
@require_GET
def link_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The <option>s of the link form's task list for `?project=` (htmx): the tasks of that
    project the user sees; a project the user does not see answers 404."""
    task = access.task_for_user(request.user, pk, edit=True)
    raw = request.GET.get("project", "") or str(task.project_id)
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    project = portfolio_access.project_for_user(request.user, raw)
    tasks = (
        access.visible_tasks(request.user)
        .filter(project=project)
        .exclude(pk=task.pk)
        .order_by("order")
        .only("pk", "wbs", "name")
    )
    return render(request, "planning/_link_options.html", {"tasks": tasks})


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.link_for_user(request.user, pk)
    if not access.can_edit_plan(request.user, link.successor.project):
        raise PermissionDenied
    successor = link.successor
    services.link_delete(link=link, by=request.user)
    messages.success(request, _("Link removed; the plan is rescheduled."))
    return redirect("planning:task_edit", pk=successor.pk)


@login_required
@require_POST
def baseline_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, edit=True)
    form = BaselineForm(request.POST)
    if form.is_valid():
        baseline = services.baseline_create(
            project=project, name=form.cleaned_data["name"], by=request.user
        )
        messages.success(request, _("Baseline “%(name)s” saved.") % {"name": baseline.name})
        return redirect(f"{plan_url(project)}?baseline={baseline.pk}")
    messages.error(request, _("Give the baseline a name."))
    return redirect(plan_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The project start, the working week, public holidays, status date and days off."""
    project = _project(request, pk, edit=True)
    plan = (
        services.plan_of(project) if request.method == "POST" else services.plan_or_default(project)
    )
    form = PlanForm(request.POST or None, instance=plan, prefix="plan")
    exception_form = ExceptionForm(prefix="day")
    status, conflict = 200, []
    if request.method == "POST" and "day-day" in request.POST:
        exception_form = ExceptionForm(request.POST, prefix="day")
        form = PlanForm(instance=plan, prefix="plan")
        if exception_form.is_valid():
            services.exception_set(plan=plan, by=request.user, **exception_form.cleaned_data)
            messages.success(request, _("Calendar changed; the plan is rescheduled."))
            return redirect("planning:plan_settings", pk=project.pk)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            outcome = save_versioned(
                form,
                lambda: services.plan_update(
                    plan=plan, version=form.cleaned_data.get("version"), by=request.user,
                    **form.changes(),
                ),
            )  # fmt: skip
            if outcome.saved is not None:
                messages.success(request, _("Calendar saved; the plan is rescheduled."))
                return redirect(plan_url(project))
            form, status, conflict = outcome.form, outcome.status, outcome.conflict
            status = status if status != 200 else 400
        else:
            status = 400
    exceptions = list(plan.exceptions.all()) if plan.pk else []
    return render(
        request,
        "planning/plan_settings.html",
        {
            "project": project,
            "form": form,
            "exception_form": exception_form,
            "exceptions": exceptions,
            "conflict": conflict,
            "breadcrumbs": _crumbs(project, _("Calendar")),
        },
        status=status,
    )


@login_required
@require_POST
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exception = CalendarException.objects.select_related("plan__project").filter(pk=pk).first()
    if exception is None:
        raise Http404
    project = _project(request, exception.plan.project_id, edit=True)
    services.exception_remove(exception=exception, by=request.user)
    messages.success(request, _("Calendar changed; the plan is rescheduled."))
    return redirect("planning:plan_settings", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace (or fill) the plan from an MS Project XML file: all or nothing."""
    project = _project(request, pk, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = transfer.import_plan(
                    project=project,
                    data=form.cleaned_data["file"].read(),
                    by=request.user,
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    ngettext("Imported %(count)d task.", "Imported %(count)d tasks.", result.tasks)
                    % {"count": result.tasks},
                )
                for warning in result.warnings[:10]:
                    messages.warning(request, warning)
                return redirect(plan_url(project))
    return render(
        request,
        "planning/plan_import.html",
        {
            "project": project,
            "form": form,
            "has_plan": Task.objects.filter(project=project).exists(),
            "breadcrumbs": _crumbs(project, _("Import")),
        },
        status=status,
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    name = f"{slugify(project.key) or 'plan'}-{timezone.localdate().isoformat()}.xml"
    return _download(transfer.export_plan(project), name, "application/xml")


def _gantt_rows(project: Project) -> tuple[list[GanttRow], list[GanttLink], Any, Any]:
    tasks = list(services.outline(project))
    baseline = Baseline.objects.filter(project=project).first()
    kept = (
        {row.task_id: row for row in baseline.tasks.filter(task__isnull=False)} if baseline else {}
    )
    rows = [
        GanttRow(
            id=task.pk,
            level=task.level,
            wbs=task.wbs,
            name=task.name,
            start=task.start,
            finish=task.finish,
            milestone=task.milestone,
            summary=task.summary,
            critical=task.critical,
            percent=task.percent_complete,
            baseline_start=kept[task.pk].start if task.pk in kept else None,
            baseline_finish=kept[task.pk].finish if task.pk in kept else None,
        )
        for task in tasks
        if task.start and task.finish
    ]
    links = [
        GanttLink(p, s, kind)  # type: ignore[arg-type]
        for p, s, kind in TaskLink.objects.filter(
            predecessor__project=project, successor__project=project
        ).values_list("predecessor_id", "successor_id", "type")
    ]
    dates = [d for t in tasks for d in (t.start, t.finish) if d]
    return rows, links, min(dates, default=None), max(dates, default=None)


@login_required
@require_GET
def gantt_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The Gantt chart drawn on the server, as PDF (pages) or PNG."""
    project = _project(request, pk)
    rows, links, start, end = _gantt_rows(project)
    if not rows or start is None or end is None:
        messages.info(request, _("The plan has no tasks to draw yet."))
        return redirect(plan_url(project))
    stem = f"{slugify(project.key) or 'plan'}-gantt-{timezone.localdate().isoformat()}"
    today = timezone.localdate()
    off, _working = services.days_off(services.plan_or_default(project), start, end)
    if kind == "pdf":
        data = gantt_pdf(
            rows, links, start=start, end=end, today=today, title=project.name,
            organisation=settings.SCHAKEL_ORGANISATION, labels=chart_labels(),
            calendar_days_off=sorted(off),
        )  # fmt: skip
        return _download(data, f"{stem}.pdf", "application/pdf")
    if kind == "png":
        svg = gantt_svg(
            rows[:PNG_ROWS], links, start=start, end=end, today=today, labels=chart_labels(),
            calendar_days_off=sorted(off),
        )  # fmt: skip
        return _download(gantt_png(svg, 2000), f"{stem}.png", "image/png")
    raise Http404
