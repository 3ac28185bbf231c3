"""Small helpers the meeting and series pages share: scopes, their links and crumbs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.portfolio.models import scope_kind as scope_kind_of
from schakel.portfolio.views_history import object_breadcrumbs

from . import access

Scope = Portfolio | Programme | Project
SCOPE_KINDS = ("project", "programme", "portfolio")


def scope_list_url(scope: Scope) -> str:
    """The meetings tab of the scope."""
    return reverse(f"meetings:{scope_kind_of(scope)}_meetings", args=[scope.pk])


def scope_label(scope: Scope) -> str:
    if isinstance(scope, Project):
        return f"{scope.key} – {scope.name}"
    return str(scope.name)


def crumbs(scope: Scope, *tail: Any) -> list[tuple[str, str | None]]:
    """Portfolio › Programme › Project › Meetings › ..."""
    return object_breadcrumbs(scope, (_("Meetings"), scope_list_url(scope)), *tail)


def archived(scope: Scope) -> bool:
    return getattr(scope, "archived_at", None) is not None


def version_of(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def refuse(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, error_text(error))


def plannable_scopes(user: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Where the user may plan meetings, grouped for a select: (group, [(value, label)]).

    Values read "project:12"; archived projects and programmes are left out.
    """
    roles = portfolio_access.roles_of(user)
    portfolios = portfolio_access.visible_portfolios(user)
    programmes = portfolio_access.visible_programmes(user).filter(archived_at__isnull=True)
    projects = portfolio_access.visible_projects(user).filter(archived_at__isnull=True)
    if not roles.superuser:
        plan = access.PLAN
        own_portfolios = [
            pk for pk, role in roles.portfolios.items() if portfolio_access.has_role(role, plan)
        ]
        own_programmes = [
            pk for pk, role in roles.programmes.items() if portfolio_access.has_role(role, plan)
        ]
        own_projects = [
            pk for pk, role in roles.projects.items() if portfolio_access.has_role(role, plan)
        ]
        portfolios = portfolios.filter(pk__in=own_portfolios)
        programmes = programmes.filter(
            Q(pk__in=own_programmes) | Q(portfolio_id__in=own_portfolios)
        )
        projects = projects.filter(
            Q(pk__in=own_projects)
            | Q(programme_id__in=own_programmes)
            | Q(programme__portfolio_id__in=own_portfolios)
        )
    groups = [
        (
            _("Projects"),
            [(f"project:{p.pk}", f"{p.key} – {p.name}") for p in projects.order_by("key")],
        ),
        (_("Programmes"), [(f"programme:{p.pk}", p.name) for p in programmes.order_by("name")]),
        (_("Portfolios"), [(f"portfolio:{p.pk}", p.name) for p in portfolios.order_by("name")]),
    ]
    return [(label, options) for label, options in groups if options]


def undo_form(request: HttpRequest, url: str) -> SafeString:
    """A one-button form that restores what was just moved to the trash (for a message)."""
    return format_html(
        '<form method="post" action="{}" class="inline-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="btn btn-link btn-sm">{}</button></form>',
        url,
        get_token(request),
        _("Undo"),
    )
