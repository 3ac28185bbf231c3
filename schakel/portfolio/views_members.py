"""Members tabs: who holds which role on a portfolio, programme or project, and changing that.

Everyone who sees the object sees its members; managers and PMO officers add members,
change roles and remove them (the services refuse a grant above the granter's own role).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.accounts.models import Membership, Role
from schakel.lib.history import latest_history
from schakel.lib.services import StaleVersionError

from . import access, services
from .forms_members import MembershipAddForm, MembershipRoleForm
from .models import Portfolio, Programme, Project
from .views_history import object_breadcrumbs

SCOPES: dict[str, Callable[..., Any]] = {
    "portfolio": access.portfolio_for_user,
    "programme": access.programme_for_user,
    "project": access.project_for_user,
}
RECENT_CHANGES = 10


def _members_url(kind: str, scope: Any) -> str:
    return reverse(f"portfolio:{kind}_members", args=[scope.pk])


def _by_name(queryset: Any) -> Any:
    return queryset.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )


def _inherited(scope: Any) -> list[tuple[Membership, Any]]:
    """Return the memberships above `scope` that apply to it, with the object they are on."""
    if isinstance(scope, Project):
        programme = scope.programme
        rows = _by_name(
            Membership.objects.filter(
                Q(programme_id=programme.pk) | Q(portfolio_id=programme.portfolio_id)
            )
        )
        above = {
            ("programme", programme.pk): programme,
            ("portfolio", programme.portfolio_id): programme.portfolio,
        }
    elif isinstance(scope, Programme):
        rows = _by_name(Membership.objects.filter(portfolio_id=scope.portfolio_id))
        above = {("portfolio", scope.portfolio_id): scope.portfolio}
    else:
        return []
    out = []
    for membership in rows:
        kind = membership.scope_kind
        out.append((membership, above[(kind, getattr(membership, f"{kind}_id"))]))
    # Programme roles before portfolio roles: the nearer role is the one people look for.
    out.sort(key=lambda pair: isinstance(pair[1], Portfolio))
    return out


def _recent_changes(scope: Any, kind: str) -> list[Any]:
    return latest_history(
        Membership.history.filter(**{f"{kind}_id": scope.pk}),  # type: ignore[attr-defined]
        RECENT_CHANGES,
        select_related=("user",),
        subject=lambda r: r.user.display_name if r.user else _("a removed account"),
        snapshot_fields=("role",),
    )


def _members_context(request: HttpRequest, scope: Any, kind: str, **extra: Any) -> dict[str, Any]:
    own = access.role_on(request.user, scope)
    can_manage = access.has_role(own, access.WRITE)
    rows = [
        (m, can_manage and Role.rank(m.role) <= Role.rank(own))
        for m in _by_name(Membership.objects.for_scope(scope))
    ]
    return {
        "obj": scope,
        "kind": kind,
        "kind_label": capfirst(scope._meta.verbose_name),
        "kind_name": scope._meta.verbose_name,
        "rows": rows,
        "inherited": _inherited(scope),
        "recent": _recent_changes(scope, kind),
        "can_manage": can_manage,
        "grantable_roles": [
            (v, label) for v, label in Role.choices if Role.rank(v) <= Role.rank(own)
        ],
        "members_url": _members_url(kind, scope),
        "breadcrumbs": object_breadcrumbs(scope, _("Members")),
        **extra,
    }


def _members(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    need = access.WRITE if request.method == "POST" else None
    scope = SCOPES[kind](request.user, pk, need=need)
    form = MembershipAddForm(request.POST if request.method == "POST" else None)
    notice = ""
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_create(
                scope=scope,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            notice = _("%(name)s now has the role %(role)s.") % {
                "name": membership.user.display_name,
                "role": membership.get_role_display(),
            }
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, notice)
                return redirect(_members_url(kind, scope))
            form = MembershipAddForm()
    context = _members_context(request, scope, kind, form=form, notice=notice)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only successful answers, so errors come back as 200 in the region.
        return render(request, "portfolio/members.html#members", context)
    return render(request, "portfolio/members.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def portfolio_members(request: HttpRequest, pk: int) -> HttpResponse:
    """List a portfolio's members; managers and PMO officers add members (POST)."""
    return _members(request, "portfolio", pk)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def programme_members(request: HttpRequest, pk: int) -> HttpResponse:
    """List a programme's members and those of its portfolio; managers add members (POST)."""
    return _members(request, "programme", pk)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def project_members(request: HttpRequest, pk: int) -> HttpResponse:
    """List a project's members and the roles inherited from above; managers add members."""
    return _members(request, "project", pk)


# One membership ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a member's role; a stale version answers 409 with the current role."""
    membership = access.membership_for_user(request.user, pk, need=access.WRITE)
    kind = membership.scope_kind
    scope = membership.scope
    form = MembershipRoleForm(
        request.POST if request.method == "POST" else None,
        initial={"role": membership.role, "version": membership.version},
    )
    status = 200
    conflict: Any = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                updated = services.membership_update(
                    membership=membership,
                    role=form.cleaned_data["role"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleVersionError as exc:
                conflict = exc.current
                form = MembershipRoleForm(
                    initial={"role": conflict.role, "version": conflict.version}
                )
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s now has the role %(role)s.")
                    % {"name": updated.user.display_name, "role": updated.get_role_display()},
                )
                return redirect(_members_url(kind, scope))
    return render(
        request,
        "portfolio/membership_edit.html",
        {
            "membership": membership,
            "obj": scope,
            "kind": kind,
            "kind_label": capfirst(scope._meta.verbose_name),
            "form": form,
            "conflict": conflict,
            "members_url": _members_url(kind, scope),
            "breadcrumbs": object_breadcrumbs(
                scope, (_("Members"), _members_url(kind, scope)), membership.user.display_name
            ),
        },
        status=status,
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a member's role away."""
    membership = access.membership_for_user(request.user, pk, need=access.WRITE)
    kind = membership.scope_kind
    scope = membership.scope
    services.membership_delete(membership=membership, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer has a role on %(scope)s.")
        % {"name": membership.user.display_name, "scope": scope},
    )
    return redirect(_members_url(kind, scope))
