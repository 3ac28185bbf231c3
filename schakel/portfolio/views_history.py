"""History tabs: who changed what on a portfolio, programme, theme or project, and when."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schakel.lib.history import object_history

from . import access
from .models import Portfolio, Programme, Project, Theme


def object_breadcrumbs(obj: models.Model, *tail: Any) -> list[tuple[str, str | None]]:
    """Return the trail Portfolio › Programme › (Theme |) Project down to `obj`, then `tail`.

    `tail` items are labels (the current tab) or (label, url) pairs.
    """
    chain: list[models.Model] = []
    if isinstance(obj, (Project, Theme)):
        chain = [obj.programme.portfolio, obj.programme, obj]
    elif isinstance(obj, Programme):
        chain = [obj.portfolio, obj]
    elif isinstance(obj, Portfolio):
        chain = [obj]
    crumbs: list[tuple[str, str | None]] = [
        (str(item), item.get_absolute_url())  # type: ignore[attr-defined]
        for item in chain
    ]
    for item in tail:
        crumbs.append(item if isinstance(item, tuple) else (str(item), None))
    return crumbs


def _history(request: HttpRequest, obj: models.Model, kind: str) -> HttpResponse:
    page_obj, entries = object_history(obj, request.GET.get("page"))
    return render(
        request,
        "portfolio/object_history.html",
        {
            "obj": obj,
            "kind": kind,
            "page_obj": page_obj,
            "entries": entries,
            "kind_label": capfirst(obj._meta.verbose_name),
            "breadcrumbs": object_breadcrumbs(obj, _("History")),
        },
    )


@login_required
@require_GET
def portfolio_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a portfolio's history to everyone who sees the portfolio."""
    portfolio = access.portfolio_for_user(request.user, pk)
    return _history(request, portfolio, "portfolio")


@login_required
@require_GET
def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a programme's history to everyone who sees the programme."""
    programme = access.programme_for_user(request.user, pk)
    return _history(request, programme, "programme")


@login_required
@require_GET
def theme_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a theme's history to everyone who sees its programme."""
    theme = access.theme_for_user(request.user, pk)
    return _history(request, theme, "theme")


@login_required
@require_GET
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a project's history to everyone who sees the project."""
    project = access.project_for_user(request.user, pk)
    return _history(request, project, "project")
