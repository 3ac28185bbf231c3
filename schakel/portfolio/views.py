"""Pages of the portfolio tree: overview, search, lists, detail pages and their forms.

Each view checks access through `access`, parses input with a form, calls a service and
renders. Lists and detail pages render a partial (`page.html#name`) for htmx requests, so
one URL serves both the full page and the swapped region.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from schakel.accounts.models import User
from schakel.lib import search as site_search
from schakel.lib.forms import add_service_errors, save_versioned
from schakel.lib.htmx import targets, wants_partial, with_messages
from schakel.lib.services import StaleVersionError

from . import access, services
from .filters import ProgrammeFilter, ProjectFilter
from .forms import (
    PortfolioFilterForm,
    PortfolioForm,
    ProgrammeForm,
    ProjectForm,
    ProjectMoveForm,
    ThemeForm,
    prepare_programme_filter_form,
    prepare_project_filter_form,
)
from .models import Phase, Portfolio, Programme, Project, State, Tag, Theme

PAGE_SIZE = 25


# Helpers --------------------------------------------------------------------------


def _paginate(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _crumbs(*objects: Portfolio | Programme | Theme | Project | None) -> list[tuple[str, str]]:
    """Breadcrumbs Portfolio › Programme › (Theme ›) Project for the given objects."""
    crumbs = []
    for obj in objects:
        if obj is None:
            continue
        label = obj.key if isinstance(obj, Project) else obj.name
        crumbs.append((label, obj.get_absolute_url()))
    return crumbs


def _writable_programmes(user: Any) -> list[Programme]:
    """Unarchived programmes in which the user may create projects."""
    programmes = (
        access.visible_programmes(user)
        .filter(archived_at__isnull=True)
        .select_related("portfolio")
        .order_by("portfolio__name", "name")
    )
    return [p for p in programmes if access.can(user, p, access.WRITE)]


def _refuse_archived(request: HttpRequest, obj: Project | Programme) -> HttpResponse:
    messages.warning(request, _("This is archived and read-only; unarchive it to change it."))
    if wants_partial(request):
        return HttpResponseClientRedirect(obj.get_absolute_url())
    return redirect(obj)


def _archived_flag(request: HttpRequest) -> bool:
    """Read the wanted archive state from a POST; absent means toggle (handled by caller)."""
    return request.POST.get("archived", "1") not in {"0", "false", "no"}


# Overview and search --------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the user's portfolios, their own projects and counts by state and phase."""
    user = request.user
    projects = access.visible_projects(user).filter(archived_at__isnull=True)
    portfolios = list(access.visible_portfolios(user))
    programme_counts = services.count_by(
        access.visible_programmes(user).filter(archived_at__isnull=True), "portfolio_id"
    )
    project_counts = services.count_by(projects, "programme__portfolio_id")
    by_state = services.count_by(projects, "state")
    by_phase = services.count_by(projects, "phase")
    mine = list(
        services.my_projects(user)
        .filter(archived_at__isnull=True)
        .select_related("programme", "manager")
        .order_by("key")[:12]
    )
    return render(
        request,
        "portfolio/home.html",
        {
            "portfolios": [
                (p, programme_counts.get(p.pk, 0), project_counts.get(p.pk, 0)) for p in portfolios
            ],
            "my_projects": mine,
            "project_total": sum(by_state.values()),
            "by_state": [(v, label, by_state.get(v, 0)) for v, label in State.choices],
            "by_phase": [(v, label, by_phase.get(v, 0)) for v, label in Phase.choices],
            "can_create_portfolio": user.is_superuser,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search the projects, programmes, portfolios and themes the user may see."""
    # A NUL cannot be searched for (PostgreSQL refuses it in text): drop it, like forms do.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    results = services.search_visible(user=request.user, query=query) if query else None
    groups = site_search.search(request.user, query) if query else []
    return render(
        request,
        "portfolio/search.html",
        {
            "search_query": query,
            "results": results,
            "groups": groups,
            "total": (results.total if results else 0) + sum(len(g.shown) for g in groups),
        },
    )


# Lists ----------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def portfolio_list(request: HttpRequest) -> HttpResponse:
    """List the portfolios the user may see, with programme and project counts."""
    user = request.user
    form = PortfolioFilterForm(request.GET)
    portfolios = access.visible_portfolios(user)
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            portfolios = portfolios.filter(
                Q(name__icontains=query) | Q(description__icontains=query)
            )
        if form.cleaned_data["ordering"] == "-name":
            portfolios = portfolios.order_by("-name")
    page = _paginate(request, portfolios)
    ids = [p.pk for p in page]
    programme_counts = services.count_by(
        access.visible_programmes(user).filter(portfolio_id__in=ids, archived_at__isnull=True),
        "portfolio_id",
    )
    project_counts = services.count_by(
        access.visible_projects(user)
        .filter(archived_at__isnull=True)
        .filter(programme__portfolio_id__in=ids),
        "programme__portfolio_id",
    )
    context = {
        "form": form,
        "page_obj": page,
        "rows": [(p, programme_counts.get(p.pk, 0), project_counts.get(p.pk, 0)) for p in page],
        "can_create": user.is_superuser,
    }
    template = "portfolio/portfolio_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
def programme_list(request: HttpRequest) -> HttpResponse:
    """List, filter and sort the programmes the user may see."""
    user = request.user
    portfolios = list(access.visible_portfolios(user))
    filterset = ProgrammeFilter(
        request.GET,
        queryset=access.visible_programmes(user).select_related("portfolio", "manager"),
    )
    prepare_programme_filter_form(filterset.form, portfolios=portfolios)
    page = _paginate(request, filterset.qs)
    counts = services.count_by(
        access.visible_projects(user)
        .filter(archived_at__isnull=True)
        .filter(programme__in=[p.pk for p in page]),
        "programme_id",
    )
    context = {
        "filter_form": filterset.form,
        "page_obj": page,
        "rows": [(p, counts.get(p.pk, 0)) for p in page],
        "create_in": [p for p in portfolios if access.can(user, p, access.WRITE)],
    }
    template = "portfolio/programme_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
def project_list(request: HttpRequest) -> HttpResponse:
    """List, filter, search and sort the projects the user may see."""
    user = request.user
    visible = access.visible_projects(user)
    programmes = list(access.visible_programmes(user).select_related("portfolio").order_by("name"))
    themes = access.visible_themes(user).select_related("programme")
    chosen_programme = request.GET.get("programme", "")
    if chosen_programme.isdigit() and len(chosen_programme) < 19:
        theme_choices = [(t.pk, t.name) for t in themes.filter(programme_id=chosen_programme)]
    else:
        theme_choices = [
            (t.pk, f"{t.programme.name} › {t.name}")
            for t in themes.order_by("programme__name", "position", "name")
        ]
    filterset = ProjectFilter(
        request.GET,
        queryset=visible.select_related("programme", "theme", "manager").prefetch_related("tags"),
    )
    prepare_project_filter_form(
        filterset.form,
        programmes=programmes,
        themes=theme_choices,
        managers=User.objects.filter(pk__in=visible.values("manager_id")),
        tags=Tag.objects.filter(projects__in=visible).values_list("name", flat=True).distinct(),
    )
    page = _paginate(request, filterset.qs)
    context = {
        "filter_form": filterset.form,
        "page_obj": page,
        "can_create": any(
            access.can(user, p, access.WRITE) for p in programmes if p.archived_at is None
        ),
    }
    template = "portfolio/project_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, context)


# Portfolio ------------------------------------------------------------------------


@login_required
def portfolio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a portfolio with its programmes as cards."""
    user = request.user
    portfolio = access.portfolio_for_user(user, pk)
    programmes = (
        access.visible_programmes(user)
        .filter(portfolio=portfolio)
        .select_related("manager")
        .order_by("archived_at", "name")
    )
    counts = services.count_by(
        access.visible_projects(user)
        .filter(archived_at__isnull=True)
        .filter(programme__portfolio=portfolio),
        "programme_id",
    )
    can_write = access.can(user, portfolio, access.WRITE)
    return render(
        request,
        "portfolio/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "programmes": [(p, counts.get(p.pk, 0)) for p in programmes],
            "can_edit": can_write,
            "can_create_programme": can_write,
            "can_delete": access.can(user, portfolio, access.ADMINISTER),
            "breadcrumbs": _crumbs(portfolio),
        },
    )


@login_required
def portfolio_create(request: HttpRequest) -> HttpResponse:
    """Create a portfolio (site administrators only); its creator becomes its PMO."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = PortfolioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        portfolio = services.portfolio_create(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        messages.success(request, _("Portfolio “%(name)s” created.") % {"name": portfolio.name})
        return redirect(portfolio)
    return render(
        request,
        "portfolio/portfolio_form.html",
        {"form": form, "cancel_url": reverse("portfolio:portfolio_list")},
    )


@login_required
def portfolio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a portfolio's name and description."""
    portfolio = access.portfolio_for_user(request.user, pk, need=access.WRITE)
    form = PortfolioForm(request.POST or None, instance=portfolio)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        result = save_versioned(
            form,
            lambda: services.portfolio_update(
                portfolio=portfolio,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.changes(),
            ),
        )
        if result.saved is not None:
            messages.success(request, _("Portfolio saved."))
            return redirect(result.saved)
        form, status, conflict = result.form, result.status, result.conflict
    return render(
        request,
        "portfolio/portfolio_form.html",
        {
            "form": form,
            "portfolio": portfolio,
            "conflict": conflict,
            "cancel_url": portfolio.get_absolute_url(),
            "breadcrumbs": _crumbs(portfolio),
        },
        status=status,
    )


# Programme ------------------------------------------------------------------------


def _programme_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    user = request.user
    can_write = access.can(user, programme, access.WRITE)
    return {
        "programme": programme,
        "portfolio": programme.portfolio,
        "can_edit": can_write and programme.archived_at is None,
        "can_archive": can_write,
        "can_delete": access.can(user, programme, access.ADMINISTER),
        "breadcrumbs": _crumbs(programme.portfolio, programme),
    }


@login_required
@vary_on_headers("HX-Request")
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a programme: its facts, and its projects grouped by theme."""
    programme = access.programme_for_user(request.user, pk)
    context = _programme_context(request, programme)
    if targets(request, "programme-facts"):
        return render(request, "portfolio/programme_detail.html#facts", context)
    context["outline"] = services.programme_outline(request.user, programme)
    return render(request, "portfolio/programme_detail.html", context)


@login_required
def programme_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a programme in a portfolio (manager or PMO on the portfolio)."""
    portfolio = access.portfolio_for_user(request.user, pk, need=access.WRITE)
    form = ProgrammeForm(request.POST or None, instance=Programme(portfolio=portfolio))
    if request.method == "POST" and form.is_valid():
        fields = form.changes()
        try:
            programme = services.programme_create(portfolio=portfolio, by=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programme “%(name)s” created.") % {"name": programme.name})
            return redirect(programme)
    return render(
        request,
        "portfolio/programme_form.html",
        {
            "form": form,
            "portfolio": portfolio,
            "cancel_url": portfolio.get_absolute_url(),
            "breadcrumbs": _crumbs(portfolio),
        },
    )


@login_required
@vary_on_headers("HX-Request")
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a programme on its own page or in place on its detail page."""
    programme = access.programme_for_user(request.user, pk, need=access.WRITE)
    if programme.archived_at is not None:
        return _refuse_archived(request, programme)
    inplace = targets(request, "programme-facts")
    form = ProgrammeForm(request.POST or None, instance=programme)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        result = save_versioned(
            form,
            lambda: services.programme_update(
                programme=programme,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.changes(),
            ),
        )
        if result.saved is not None:
            messages.success(request, _("Programme saved."))
            if inplace:
                programme = access.programme_for_user(request.user, programme.pk)
                context = {**_programme_context(request, programme), "oob": True}
                response = render(request, "portfolio/programme_detail.html#facts", context)
                response.content += render_to_string(
                    "portfolio/programme_detail.html#header", context, request=request
                ).encode()
                return with_messages(request, response)
            return redirect(result.saved)
        form, status, conflict = result.form, result.status, result.conflict
    context = {
        **_programme_context(request, programme),
        "form": form,
        "conflict": conflict,
        "inplace": inplace,
        "cancel_url": programme.get_absolute_url(),
    }
    if inplace:
        form.fields["name"].widget.attrs["autofocus"] = True  # keyboard users land in the form
    template = "portfolio/programme_form.html" + ("#form" if inplace else "")
    return render(request, template, context, status=status)


@login_required
@require_POST
def programme_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a programme or bring it back (manager or PMO)."""
    programme = access.programme_for_user(request.user, pk, need=access.WRITE)
    archived = _archived_flag(request)
    services.programme_archive(programme=programme, archived=archived, by=request.user)
    if archived:
        messages.success(request, _("Programme archived."))
    else:
        messages.success(request, _("Programme brought back from the archive."))
    return redirect(programme)


# Theme ----------------------------------------------------------------------------


@login_required
def theme_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a theme to a programme (manager or PMO on the programme)."""
    programme = access.programme_for_user(request.user, pk, need=access.WRITE)
    form = ThemeForm(request.POST or None, instance=Theme(programme=programme))
    if request.method == "POST" and form.is_valid():
        theme = services.theme_create(programme=programme, by=request.user, **form.changes())
        messages.success(request, _("Theme “%(name)s” added.") % {"name": theme.name})
        return redirect(programme)
    return render(
        request,
        "portfolio/theme_form.html",
        {
            "form": form,
            "programme": programme,
            "cancel_url": programme.get_absolute_url(),
            "breadcrumbs": _crumbs(programme.portfolio, programme),
        },
    )


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a theme and the visible projects in it."""
    user = request.user
    theme = access.theme_for_user(user, pk)
    projects = list(
        access.visible_projects(user)
        .filter(theme=theme)
        .select_related("manager")
        .prefetch_related("tags")
        .order_by("archived_at", "key")
    )
    can_write = access.can(user, theme, access.WRITE)
    return render(
        request,
        "portfolio/theme_detail.html",
        {
            "theme": theme,
            "programme": theme.programme,
            "projects": projects,
            "can_edit": can_write,
            "can_create_project": can_write and theme.programme.archived_at is None,
            "can_delete": access.can(user, theme, access.ADMINISTER),
            "breadcrumbs": _crumbs(theme.programme.portfolio, theme.programme, theme),
        },
    )


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a theme's name and description."""
    theme = access.theme_for_user(request.user, pk, need=access.WRITE)
    form = ThemeForm(request.POST or None, instance=theme)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        result = save_versioned(
            form,
            lambda: services.theme_update(
                theme=theme,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.changes(),
            ),
        )
        if result.saved is not None:
            messages.success(request, _("Theme saved."))
            return redirect(result.saved)
        form, status, conflict = result.form, result.status, result.conflict
    return render(
        request,
        "portfolio/theme_form.html",
        {
            "form": form,
            "theme": theme,
            "programme": theme.programme,
            "conflict": conflict,
            "cancel_url": theme.get_absolute_url(),
            "breadcrumbs": _crumbs(theme.programme.portfolio, theme.programme, theme),
        },
        status=status,
    )


# Project --------------------------------------------------------------------------


def _project_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    can_write = access.can(user, project, access.WRITE)
    return {
        "project": project,
        "programme": project.programme,
        "portfolio": project.programme.portfolio,
        "tags": list(project.tags.all()),
        "can_edit": can_write and not project.is_archived,
        "can_archive": can_write,
        "can_move": access.can(user, project, access.ADMINISTER),
        "can_delete": access.can(user, project, access.ADMINISTER),
        "breadcrumbs": _crumbs(project.programme.portfolio, project.programme, project),
    }


def _create_project(
    request: HttpRequest, form: ProjectForm, programme: Programme
) -> Project | None:
    """Create the project from a valid form; put service errors on the form."""
    try:
        project = services.project_create(
            programme=programme,
            by=request.user,
            tags=services.tags_from_names(form.tag_names()),
            **form.changes(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("Project %(key)s created.") % {"key": project.key})
    return project


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a project in a programme (manager or PMO on the programme)."""
    programme = access.programme_for_user(request.user, pk, need=access.WRITE)
    if programme.archived_at is not None:
        return _refuse_archived(request, programme)
    initial = {}
    if (theme_id := request.GET.get("theme", "")).isdigit():
        initial["theme"] = int(theme_id)
    form = ProjectForm(request.POST or None, instance=Project(programme=programme), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (project := _create_project(request, form, programme))
    ):
        return redirect(project)
    return render(
        request,
        "portfolio/project_form.html",
        {
            "form": form,
            "programme": programme,
            "cancel_url": programme.get_absolute_url(),
            "breadcrumbs": _crumbs(programme.portfolio, programme),
        },
    )


@login_required
def project_create_any(request: HttpRequest) -> HttpResponse:
    """Create a project in any programme the user may create projects in."""
    programmes = _writable_programmes(request.user)
    if not programmes:
        raise PermissionDenied
    initial = {}
    if (programme_id := request.GET.get("programme", "")).isdigit():
        initial["programme"] = int(programme_id)
    form = ProjectForm(
        request.POST or None, instance=Project(), programmes=programmes, initial=initial
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (project := _create_project(request, form, form.cleaned_data["programme"]))
    ):
        return redirect(project)
    return render(
        request,
        "portfolio/project_form.html",
        {"form": form, "cancel_url": reverse("portfolio:project_list")},
    )


@login_required
@vary_on_headers("HX-Request")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a project's facts; its facts card is edited in place."""
    project = access.project_for_user(request.user, pk)
    context = _project_context(request, project)
    if targets(request, "project-facts"):
        return render(request, "portfolio/project_detail.html#facts", context)
    return render(request, "portfolio/project_detail.html", context)


@login_required
@vary_on_headers("HX-Request")
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a project on its own page or in place on its detail page."""
    project = access.project_for_user(request.user, pk, need=access.WRITE)
    if project.is_archived:
        return _refuse_archived(request, project)
    inplace = targets(request, "project-facts")
    form = ProjectForm(request.POST or None, instance=project)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        result = save_versioned(
            form,
            lambda: services.project_update(
                project=project,
                version=form.cleaned_data["version"],
                by=request.user,
                tags=services.tags_from_names(form.tag_names()),
                **form.changes(),
            ),
        )
        if result.saved is not None:
            saved = result.saved
            messages.success(request, _("Project %(key)s saved.") % {"key": saved.key})
            if inplace:
                project = access.project_for_user(request.user, saved.pk)
                context = {**_project_context(request, project), "oob": True}
                response = render(request, "portfolio/project_detail.html#facts", context)
                for region in ("header", "record"):
                    response.content += render_to_string(
                        f"portfolio/project_detail.html#{region}", context, request=request
                    ).encode()
                return with_messages(request, response)
            return redirect(saved)
        form, status, conflict = result.form, result.status, result.conflict
    context = {
        **_project_context(request, project),
        "form": form,
        "conflict": conflict,
        "inplace": inplace,
        "cancel_url": project.get_absolute_url(),
    }
    if inplace:
        form.fields["name"].widget.attrs["autofocus"] = True  # keyboard users land in the form
    template = "portfolio/project_form.html" + ("#form" if inplace else "")
    return render(request, template, context, status=status)


@login_required
@require_POST
def project_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a project (read-only, hidden from lists) or bring it back."""
    project = access.project_for_user(request.user, pk, need=access.WRITE)
    archived = _archived_flag(request)
    services.project_archive(project=project, archived=archived, by=request.user)
    if archived:
        messages.success(request, _("Project %(key)s archived.") % {"key": project.key})
    else:
        messages.success(
            request, _("Project %(key)s brought back from the archive.") % {"key": project.key}
        )
    return redirect(project)


@login_required
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a project to another programme (PMO on the project, manager+ on the target)."""
    user = request.user
    project = access.project_for_user(user, pk, need=access.ADMINISTER)
    targets = [p for p in _writable_programmes(user) if p.pk != project.programme_id]
    form = ProjectMoveForm(
        request.POST or None, programmes=targets, initial={"version": project.version}
    )
    status, stale = 200, False
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["programme"]
        try:
            project = services.project_move(
                project=project, programme=target, version=form.cleaned_data["version"], by=user
            )
        except StaleVersionError as exc:
            stale, status = True, 409
            project = cast(Project, exc.current)
            form = ProjectMoveForm(
                programmes=targets,
                initial={"version": exc.current.version, "programme": target.pk},
            )
        else:
            messages.success(
                request,
                _("Project %(key)s moved to %(programme)s.")
                % {"key": project.key, "programme": target.name},
            )
            return redirect(project)
    return render(
        request,
        "portfolio/project_move.html",
        {
            **_project_context(request, project),
            "form": form,
            "has_targets": bool(targets),
            "stale": stale,
        },
        status=status,
    )
