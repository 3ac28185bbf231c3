"""The trash: delete (move to the trash) a portfolio object, list what is there, restore it.

Deleting and restoring need the PMO role on the object (site administrators have it
everywhere). A delete moves the object and everything under it in one batch; a restore
brings back exactly that batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schakel.accounts.models import Role
from schakel.lib import trash as site_trash

from . import access, services
from .models import Portfolio, Programme, Project, Theme
from .views_history import object_breadcrumbs

TRASH_KINDS: dict[str, type[models.Model]] = {
    "portfolio": Portfolio,
    "programme": Programme,
    "theme": Theme,
    "project": Project,
}
# Higher levels first: the first kind present in a batch is what was deleted.
LEVEL = {"portfolio": 0, "programme": 1, "theme": 2, "project": 2}
PER_PAGE = 50


# Deleting -------------------------------------------------------------------------


def _parent_url(obj: models.Model) -> str:
    if isinstance(obj, (Project, Theme)):
        return obj.programme.get_absolute_url()
    if isinstance(obj, Programme):
        return obj.portfolio.get_absolute_url()
    return reverse("portfolio:portfolio_list")


def _contents(obj: models.Model) -> list[tuple[int, str]]:
    """Count what would go to the trash with `obj` (shown on the confirm page)."""
    counts: list[tuple[int, type[models.Model]]] = []
    if isinstance(obj, Portfolio):
        counts = [
            (obj.programmes.count(), Programme),
            (Theme.objects.filter(programme__portfolio=obj).count(), Theme),
            (Project.objects.filter(programme__portfolio=obj).count(), Project),
        ]
    elif isinstance(obj, Programme):
        counts = [(obj.themes.count(), Theme), (obj.projects.count(), Project)]
    return [
        (n, str(model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural))
        for n, model in counts
        if n
    ]


def _delete(request: HttpRequest, obj: Any, kind: str) -> HttpResponse:
    if request.method == "POST":
        services.trash(obj=obj, by=request.user)
        undo = format_html(
            '<form method="post" action="{}" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-link btn-sm">{}</button></form>',
            reverse("portfolio:trash_restore", args=[kind, obj.pk]),
            get_token(request),
            _("Undo"),
        )
        messages.success(
            request,
            format_html(_("“{name}” was moved to the trash. {undo}"), name=str(obj), undo=undo),
        )
        return redirect(_parent_url(obj))
    return render(
        request,
        "portfolio/trash_confirm.html",
        {
            "obj": obj,
            "kind": kind,
            "kind_label": capfirst(obj._meta.verbose_name),
            "contents": _contents(obj),
            "breadcrumbs": object_breadcrumbs(obj, _("Move to trash")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a portfolio with all its programmes and projects to the trash."""
    portfolio = access.portfolio_for_user(request.user, pk, need=access.ADMINISTER)
    return _delete(request, portfolio, "portfolio")


@login_required
@require_http_methods(["GET", "POST"])
def programme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a programme with its themes and projects to the trash."""
    programme = access.programme_for_user(request.user, pk, need=access.ADMINISTER)
    return _delete(request, programme, "programme")


@login_required
@require_http_methods(["GET", "POST"])
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a theme to the trash (its projects stay)."""
    theme = access.theme_for_user(request.user, pk, need=access.ADMINISTER)
    return _delete(request, theme, "theme")


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then move a project to the trash."""
    project = access.project_for_user(request.user, pk, need=access.ADMINISTER)
    return _delete(request, project, "project")


# Listing ---------------------------------------------------------------------------


@dataclass
class Batch:
    """What one delete moved to the trash: the object deleted and what came with it."""

    kind: str
    obj: Any
    others: int = 0
    blocked_by: Any = None
    items: list[Any] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return capfirst(self.obj._meta.verbose_name)

    @property
    def where(self) -> str:
        return " › ".join(str(p) for p in services.ancestors(self.obj))

    @property
    def blocked_kind_label(self) -> str:
        return str(self.blocked_by._meta.verbose_name) if self.blocked_by else ""


def _pmo_scope(user: Any) -> dict[str, Q] | None:
    """Return per kind the filter of objects the user is PMO for; None if there are none.

    Computed from the memberships (not from what is visible), so that an object whose
    programme went to the trash later is still listed, with a note to restore the
    programme first.
    """
    roles = access.roles_of(user)
    if roles.superuser:
        return dict.fromkeys(TRASH_KINDS, Q())
    pmo = Role.PMO
    portfolios = [pk for pk, role in roles.portfolios.items() if role == pmo]
    programmes = [pk for pk, role in roles.programmes.items() if role == pmo]
    projects = [pk for pk, role in roles.projects.items() if role == pmo]
    if not (portfolios or programmes or projects):
        return None
    return {
        "portfolio": Q(pk__in=portfolios),
        "programme": Q(pk__in=programmes) | Q(portfolio_id__in=portfolios),
        "theme": Q(programme_id__in=programmes) | Q(programme__portfolio_id__in=portfolios),
        "project": Q(pk__in=projects)
        | Q(programme_id__in=programmes)
        | Q(programme__portfolio_id__in=portfolios),
    }


_RELATED = {
    "portfolio": ("deleted_by",),
    "programme": ("deleted_by", "portfolio"),
    "theme": ("deleted_by", "programme__portfolio"),
    "project": ("deleted_by", "programme__portfolio"),
}


def _batches(scope: dict[str, Q]) -> list[Batch]:
    """Group the trashed objects in scope by batch, newest delete first."""
    batches: dict[Any, Batch] = {}
    for kind, model in TRASH_KINDS.items():
        rows = (
            model.all_objects.trashed()  # type: ignore[attr-defined]
            .filter(scope[kind])
            .select_related(*_RELATED[kind])
        )
        for obj in rows:
            key = obj.trash_batch or ("single", kind, obj.pk)
            batch = batches.get(key)
            if batch is None:
                batches[key] = batch = Batch(kind=kind, obj=obj)
            elif LEVEL[kind] < LEVEL[batch.kind]:
                batch.kind, batch.obj = kind, obj
            batch.items.append(obj)
    for batch in batches.values():
        batch.others = len(batch.items) - 1
        batch.blocked_by = services.trashed_parent(batch.obj)
    return sorted(batches.values(), key=lambda b: b.obj.deleted_at, reverse=True)


@login_required
@require_http_methods(["GET"])
def trash_list(request: HttpRequest) -> HttpResponse:
    """List what the user may restore, one row per delete; explain the trash to others."""
    scope = _pmo_scope(request.user)
    batches = _batches(scope) if scope is not None else []
    sections = site_trash.sections(request.user)
    page_obj = Paginator(batches, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portfolio/trash_list.html",
        {
            "is_pmo": scope is not None,
            "sections": sections,
            "page_obj": page_obj,
            "batches": page_obj.object_list,
            "breadcrumbs": [(_("Trash"), None)],
        },
    )


# Restoring -------------------------------------------------------------------------


def _trashable_for_user(user: Any, kind: str, pk: int) -> Any:
    """Return the object (in the trash or not) if the user is PMO on it.

    404 for an unknown kind or an object the user holds no role on; 403 when they hold a
    role below PMO.
    """
    model = TRASH_KINDS.get(kind)
    if model is None:
        raise Http404
    related = [r for r in _RELATED[kind] if r != "deleted_by"]
    obj = model.all_objects.select_related(*related).filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404
    role = access.role_on(user, obj)
    if role is None:
        raise Http404
    if not access.has_role(role, access.ADMINISTER):
        raise PermissionDenied
    return obj


@login_required
@require_POST
def trash_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Bring back an object and everything deleted with it, unless its parent is trashed."""
    obj = _trashable_for_user(request.user, kind, pk)
    if not obj.is_trashed:
        messages.info(request, _("“%(name)s” is not in the trash.") % {"name": obj})
        return redirect(obj.get_absolute_url())
    try:
        services.restore(obj=obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portfolio:trash")
    messages.success(request, _("“%(name)s” was restored.") % {"name": obj})
    return redirect(obj.get_absolute_url())
