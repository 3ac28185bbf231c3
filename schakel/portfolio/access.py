"""Who may see and change what: the only way views and the API read portfolio objects.

Rules:
- a site administrator (superuser) sees and changes everything;
- a role on a portfolio applies to its programmes and projects, a role on a programme to
  its projects; the strongest role along the chain counts;
- a user sees a programme or portfolio when they hold a role on it or on anything below
  it (so that they can navigate to their project), but its lists show only what they see;
- an object a user may not see answers 404, exactly like one that does not exist;
- an object a user sees but may not change answers 403 to a write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from schakel.accounts.models import Membership, Role, User

from .models import Portfolio, Programme, Project, Theme

# Roles that may change an object in their scope.
WRITE = Role.MANAGER
# Roles that may delete, restore from the trash and move projects between programmes.
ADMINISTER = Role.PMO


@dataclass
class UserRoles:
    """The roles of one user, loaded with one query and kept on the user for the request."""

    superuser: bool = False
    portfolios: dict[int, str] = field(default_factory=dict)
    programmes: dict[int, str] = field(default_factory=dict)
    projects: dict[int, str] = field(default_factory=dict)
    # Querysets built from these roles (see `remembered`): building one costs more than
    # running it on a page that asks for the same one ten times.
    querysets: dict[Any, QuerySet[Any]] = field(default_factory=dict)
    # Ids read from these roles (see `remembered_ids`), for conditions without sub-selects.
    ids: dict[Any, Any] = field(default_factory=dict)

    def best(self, *roles: str | None) -> str | None:
        present = [r for r in roles if r]
        return max(present, key=Role.rank) if present else None

    def for_portfolio(self, portfolio_id: int) -> str | None:
        if self.superuser:
            return Role.PMO
        return self.portfolios.get(portfolio_id)

    def for_programme(self, programme_id: int, portfolio_id: int) -> str | None:
        if self.superuser:
            return Role.PMO
        return self.best(self.programmes.get(programme_id), self.portfolios.get(portfolio_id))

    def for_project(self, project_id: int, programme_id: int, portfolio_id: int) -> str | None:
        if self.superuser:
            return Role.PMO
        return self.best(
            self.projects.get(project_id),
            self.programmes.get(programme_id),
            self.portfolios.get(portfolio_id),
        )


def roles_of(user: Any) -> UserRoles:
    """Load (once per user object) every role the user holds."""
    cached = getattr(user, "_schakel_roles", None)
    if cached is not None:
        return cached
    roles = UserRoles()
    if user.is_authenticated and user.is_active:
        roles.superuser = bool(user.is_superuser)
        if not roles.superuser:
            rows = Membership.objects.filter(user=user).values_list(
                "role", "portfolio_id", "programme_id", "project_id"
            )
            for role, portfolio_id, programme_id, project_id in rows:
                if portfolio_id:
                    roles.portfolios[portfolio_id] = role
                elif programme_id:
                    roles.programmes[programme_id] = role
                elif project_id:
                    roles.projects[project_id] = role
    user._schakel_roles = roles
    return roles


def remembered(user: Any, key: Any, build: Any) -> QuerySet[Any]:
    """A queryset built once per user object and roles (`build()`), handed out as a fresh
    clone each time: it is rebuilt after `forget_roles`, and no caller sees another's rows."""
    cache = roles_of(user).querysets
    queryset = cache.get(key)
    if queryset is None:
        queryset = cache[key] = build()
    return queryset.all()


def remembered_ids(user: Any, key: Any, build: Any) -> Any:
    """A value (ids) read once per user object and roles by `build()`, like `remembered`."""
    cache = roles_of(user).ids
    if key not in cache:
        cache[key] = build()
    return cache[key]


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change in the same request."""
    if hasattr(user, "_schakel_roles"):
        del user._schakel_roles


def has_role(role: str | None, needed: str) -> bool:
    return Role.rank(role) >= Role.rank(needed)


# Querysets of what a user may see -------------------------------------------------


def visible_projects(user: Any, *, include_trashed: bool = False) -> QuerySet[Project]:
    """Projects the user may see (live ones unless `include_trashed`)."""
    base = Project.all_objects.all() if include_trashed else Project.objects.all()
    roles = roles_of(user)
    if roles.superuser:
        return base
    if not user.is_authenticated:
        return base.none()
    return base.filter(
        Q(pk__in=list(roles.projects))
        | Q(programme_id__in=list(roles.programmes))
        | Q(programme__portfolio_id__in=list(roles.portfolios))
    ).filter(programme__deleted_at__isnull=True, programme__portfolio__deleted_at__isnull=True)


def visible_programmes(user: Any, *, include_trashed: bool = False) -> QuerySet[Programme]:
    """Programmes the user may see, including those where they only see a project."""
    base = Programme.all_objects.all() if include_trashed else Programme.objects.all()
    roles = roles_of(user)
    if roles.superuser:
        return base
    if not user.is_authenticated:
        return base.none()
    via_projects = Project.objects.filter(pk__in=list(roles.projects)).values("programme_id")
    return base.filter(
        Q(pk__in=list(roles.programmes))
        | Q(portfolio_id__in=list(roles.portfolios))
        | Q(pk__in=via_projects)
    ).filter(portfolio__deleted_at__isnull=True)


def visible_portfolios(user: Any, *, include_trashed: bool = False) -> QuerySet[Portfolio]:
    """Portfolios the user may see, including those where they only see a part."""
    base = Portfolio.all_objects.all() if include_trashed else Portfolio.objects.all()
    roles = roles_of(user)
    if roles.superuser:
        return base
    if not user.is_authenticated:
        return base.none()
    via_programmes = Programme.objects.filter(pk__in=list(roles.programmes)).values("portfolio_id")
    via_projects = Project.objects.filter(pk__in=list(roles.projects)).values(
        "programme__portfolio_id"
    )
    return base.filter(
        Q(pk__in=list(roles.portfolios)) | Q(pk__in=via_programmes) | Q(pk__in=via_projects)
    )


def visible_themes(user: Any) -> QuerySet[Theme]:
    """Themes of the programmes the user may see."""
    return Theme.objects.filter(programme__in=visible_programmes(user))


# People -----------------------------------------------------------------------


def visible_users(user: Any) -> QuerySet[User]:
    """People the user may see: themselves and everyone in a scope they see.

    "In a scope" means holding a role on a portfolio, programme or project the user sees,
    or being the manager or sponsor of a programme or project they see. Site
    administrators see everyone.
    """
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    portfolios = visible_portfolios(user).values("pk")
    programmes = visible_programmes(user)
    projects = visible_projects(user)
    members = Membership.objects.filter(
        Q(portfolio__in=portfolios)
        | Q(programme__in=programmes.values("pk"))
        | Q(project__in=projects.values("pk"))
    ).values("user_id")
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(pk__in=members)
        | Q(pk__in=programmes.values("manager_id"))
        | Q(pk__in=programmes.values("sponsor_id"))
        | Q(pk__in=projects.values("manager_id"))
        | Q(pk__in=projects.values("sponsor_id"))
    )


# Roles on one object --------------------------------------------------------------


def role_on_portfolio(user: Any, portfolio: Portfolio) -> str | None:
    return roles_of(user).for_portfolio(portfolio.pk)


def role_on_programme(user: Any, programme: Programme) -> str | None:
    return roles_of(user).for_programme(programme.pk, programme.portfolio_id)


def role_on_project(user: Any, project: Project) -> str | None:
    return roles_of(user).for_project(
        project.pk, project.programme_id, project.programme.portfolio_id
    )


def role_on(user: Any, obj: Portfolio | Programme | Project | Theme) -> str | None:
    """The user's effective role on any portfolio object."""
    if isinstance(obj, Portfolio):
        return role_on_portfolio(user, obj)
    if isinstance(obj, Programme):
        return role_on_programme(user, obj)
    if isinstance(obj, Theme):
        return role_on_programme(user, obj.programme)
    return role_on_project(user, obj)


def can(user: Any, obj: Portfolio | Programme | Project | Theme, needed: str) -> bool:
    """Whether the user holds at least role `needed` on `obj`."""
    return has_role(role_on(user, obj), needed)


# The access helpers: one per aggregate --------------------------------------------


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as exc:
        raise Http404 from exc


def project_for_user(user: Any, pk: Any, *, need: str | None = None) -> Project:
    """Return the project if the user may see it, else raise 404; 403 if it lacks `need`."""
    project = _get_or_404(
        visible_projects(user).select_related(
            "programme__portfolio", "theme", "manager", "sponsor"
        ),
        pk,
    )
    if need and not can(user, project, need):
        raise PermissionDenied
    return project


def programme_for_user(user: Any, pk: Any, *, need: str | None = None) -> Programme:
    """Return the programme if the user may see it, else 404; 403 if it lacks `need`."""
    programme = _get_or_404(
        visible_programmes(user).select_related("portfolio", "manager", "sponsor"), pk
    )
    if need and not can(user, programme, need):
        raise PermissionDenied
    return programme


def portfolio_for_user(user: Any, pk: Any, *, need: str | None = None) -> Portfolio:
    """Return the portfolio if the user may see it, else 404; 403 if it lacks `need`."""
    portfolio = _get_or_404(visible_portfolios(user), pk)
    if need and not can(user, portfolio, need):
        raise PermissionDenied
    return portfolio


def theme_for_user(user: Any, pk: Any, *, need: str | None = None) -> Theme:
    """Return the theme if the user may see its programme, else 404; 403 without `need`."""
    theme = _get_or_404(visible_themes(user).select_related("programme__portfolio"), pk)
    if need and not can(user, theme, need):
        raise PermissionDenied
    return theme


def membership_for_user(user: Any, pk: Any, *, need: str | None = None) -> Membership:
    """Return a membership whose scope the user sees, else 404; 403 if it lacks `need`.

    The scope is read through its own access helper and set on the membership.
    """
    membership = _get_or_404(Membership.objects.select_related("user"), pk)
    kind = membership.scope_kind
    helper = {
        "portfolio": portfolio_for_user,
        "programme": programme_for_user,
        "project": project_for_user,
    }[kind]
    setattr(membership, kind, helper(user, getattr(membership, f"{kind}_id"), need=need))
    return membership
