"""Who may see and change register items: the only way views and the API read them.

An item is seen by whoever sees its project; a programme-level item by those with a role on
its programme or portfolio. Members and above add and edit items; managers and above delete
them. An item a user may not see answers 404, exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Q, QuerySet, Value
from django.http import Http404

from schakel.accounts.models import Membership, Role, User
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project

from .models import REGISTER_MODELS, Dependency, RegisterItem

# Who may add and change items; who may delete them.
CONTRIBUTE = Role.MEMBER
DELETE = Role.MANAGER

M = TypeVar("M", bound=RegisterItem)

MODELS_BY_KIND: dict[str, type[RegisterItem]] = {m.KIND: m for m in REGISTER_MODELS}


def model_for_kind(kind: str) -> type[RegisterItem]:
    """Return the register model for a kind such as "risk"; 404 for an unknown kind."""
    try:
        return MODELS_BY_KIND[kind]
    except KeyError as exc:
        raise Http404 from exc


def programmes_with_role(user: Any) -> QuerySet[Programme]:
    """Programmes where the user holds a role on the programme or its portfolio.

    Unlike `visible_programmes`, a role on one project of the programme is not enough:
    programme-level items are for the programme's own people.
    """
    roles = portfolio_access.roles_of(user)
    base = Programme.objects.all()
    if roles.superuser:
        return base
    if not user.is_authenticated:
        return base.none()
    return base.filter(
        Q(pk__in=list(roles.programmes)) | Q(portfolio_id__in=list(roles.portfolios))
    ).filter(portfolio__deleted_at__isnull=True)


def visible_items(user: Any, model: type[M], *, include_trashed: bool = False) -> QuerySet[M]:
    """The items of one register that the user may see."""
    manager = model.all_objects if include_trashed else model.objects
    if not user.is_authenticated:
        return manager.none()

    def build() -> QuerySet[Any]:
        projects = portfolio_access.visible_projects(user)
        condition = Q(project__in=projects) | Q(programme__in=programmes_with_role(user))
        if model is Dependency:
            # A dependency shows on both sides: the other project's people see it too.
            condition |= Q(other_project__in=projects)
        return manager.filter(condition)

    return portfolio_access.remembered(user, ("items", model, include_trashed), build)


@dataclass(frozen=True)
class SeenScope:
    """What a user sees of a programme or portfolio: the ids of its projects they see and
    of its programmes they hold a role on, and whether that is all of them (`whole`)."""

    projects: list[int]
    programmes: list[int]
    whole: bool


def seen_in(user: Any, scope: Programme | Portfolio) -> SeenScope:
    """The projects of a programme or portfolio that the user sees and its programmes they
    hold a role on (`visible_projects`, `programmes_with_role`), as ids: one query, once
    per user and roles. The user's visible items there are those of these (`items_of`)."""

    def build() -> SeenScope:
        projects = portfolio_access.visible_projects(user)
        programmes = programmes_with_role(user)
        every_project = Project.all_objects.all()
        every_programme = Programme.all_objects.all()
        if isinstance(scope, Programme):
            projects, programmes = projects.filter(programme=scope), programmes.filter(pk=scope.pk)
            every_project = every_project.filter(programme=scope)
            every_programme = every_programme.filter(pk=scope.pk)
        else:
            projects = projects.filter(programme__portfolio=scope)
            programmes = programmes.filter(portfolio=scope)
            every_project = every_project.filter(programme__portfolio=scope)
            every_programme = every_programme.filter(portfolio=scope)
        kind: Any = IntegerField()
        parts = [
            queryset.order_by().values_list("pk", Value(n, output_field=kind))
            for n, queryset in enumerate((projects, programmes, every_project, every_programme))
        ]
        found: tuple[list[int], ...] = ([], [], [], [])
        for pk, part in parts[0].union(*parts[1:], all=True):
            found[part].append(pk)
        seen_projects, seen_programmes, all_projects, all_programmes = found
        whole = set(all_projects) <= set(seen_projects) and set(all_programmes) <= set(
            seen_programmes
        )
        return SeenScope(seen_projects, seen_programmes, whole)

    key = ("seen_in", type(scope).__name__, scope.pk)
    return portfolio_access.remembered_ids(user, key, build)  # type: ignore[no-any-return]


def items_of(
    model: type[M],
    projects: Iterable[int],
    programmes: Iterable[int] = (),
    *,
    whole: bool = False,
) -> QuerySet[M]:
    """The live items of some projects and programmes, by lists of ids.

    For callers that read those projects and programmes through the access rules already
    (`seen_in`, or a project from `project_for_user`): the same rows as `visible_items`
    narrowed to them, in a query without sub-selects that the database plans and runs
    faster (the register lists, their tab counts, the heatmap). A dependency also counts
    for its other project, and is seen through either side: it is read this way only for a
    scope the user sees `whole` (a project they see, or a programme or portfolio they see
    all of), where neither side needs another check.
    """
    condition = Q(project_id__any_of=projects) | Q(programme_id__any_of=programmes)
    if model is Dependency:
        if not whole:
            raise ValueError("a dependency is seen through either side: use visible_items")
        condition |= Q(other_project_id__any_of=projects)
    return model.objects.filter(condition)


def role_on_item(user: Any, item: RegisterItem) -> str | None:
    """The user's effective role on the item's project or programme."""
    if item.project is not None:
        return portfolio_access.role_on_project(user, item.project)
    if item.programme is not None:
        return portfolio_access.role_on_programme(user, item.programme)
    return None


def can_item(user: Any, item: RegisterItem, needed: str) -> bool:
    return portfolio_access.has_role(role_on_item(user, item), needed)


def can_contribute_to(user: Any, scope: Project | Programme) -> bool:
    """Whether the user may add items to a project or (with a role there) a programme."""
    if isinstance(scope, Programme) and not programmes_with_role(user).filter(pk=scope.pk).exists():
        return False
    return portfolio_access.can(user, scope, CONTRIBUTE)


def item_for_user(user: Any, model: type[M], pk: Any, *, need: str | None = None) -> M:
    """Return an item the user may see, else 404; 403 when the user lacks `need` on it."""
    queryset = visible_items(user, model).select_related(
        "project__programme__portfolio", "programme__portfolio", "owner"
    )
    try:
        item = queryset.get(pk=int(pk))
    except (ValueError, TypeError, model.DoesNotExist) as exc:
        raise Http404 from exc
    if need and not can_item(user, item, need):
        raise PermissionDenied
    return item


def scope_for_user(user: Any, kind: str, pk: Any) -> Project | Programme:
    """Return the project or programme a register list is shown for (404 if hidden)."""
    if kind == "project":
        return portfolio_access.project_for_user(user, pk)
    if kind == "programme":
        return portfolio_access.programme_for_user(user, pk)
    raise Http404


# People ------------------------------------------------------------------------------


def memberships_seeing(scope: Project | Programme) -> QuerySet[Membership]:
    """Memberships that let someone see a project or a programme's own items."""
    if isinstance(scope, Project):
        where = (
            Q(project_id=scope.pk)
            | Q(programme_id=scope.programme_id)
            | Q(portfolio_id=scope.programme.portfolio_id)
        )
    else:
        where = Q(programme_id=scope.pk) | Q(portfolio_id=scope.portfolio_id)
    return Membership.objects.filter(where)


def scope_people(scope: Project | Programme, *, keep: Iterable[int | None] = ()) -> QuerySet[User]:
    """Active people with a role on the scope (or above it), by name.

    `keep` adds people who hold a value already (the current owner, say), so that editing
    an item never drops them only because they left the project.
    """
    kept = [pk for pk in keep if pk]
    members = memberships_seeing(scope).values("user_id")
    return User.objects.filter(Q(is_active=True, pk__in=members) | Q(pk__in=kept)).order_by(
        "first_name", "last_name", "username"
    )


def mention_pool(item: RegisterItem) -> QuerySet[User]:
    """Active people who can see the item: those @mentions in its comments may name."""
    where = Q(pk__in=memberships_seeing(item.scope).values("user_id")) | Q(is_superuser=True)
    if isinstance(item, Dependency):
        # A dependency shows on the other project's side too.
        where |= Q(pk__in=memberships_seeing(item.other_project).values("user_id"))
    return User.objects.filter(where, is_active=True)
