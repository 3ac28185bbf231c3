"""Changes to the portfolio tree; pages and the API both call these.

Every function takes keyword-only arguments, runs in one transaction, and records `by`
as the author in the history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import Membership, Role
from schakel.lib.models import TrashableModel
from schakel.lib.services import StaleVersionError, changed_copy, update_versioned

from . import access
from .models import Portfolio, Programme, Project, Tag, Theme


def _save_new(obj: Any, by: Any) -> Any:
    obj._history_user = by
    obj.full_clean()
    obj.save()
    return obj


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """Find or create tags by name, case-insensitively, keeping the first spelling."""
    tags: list[Tag] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(raw.split())[:50]
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


# Portfolio ------------------------------------------------------------------------


@transaction.atomic
def portfolio_create(*, name: str, description: str = "", by: Any) -> Portfolio:
    """Create a portfolio; its creator becomes its PMO."""
    portfolio = _save_new(Portfolio(name=name, description=description), by)
    Membership.objects.create(user=by, portfolio=portfolio, role=Role.PMO)
    return portfolio


def portfolio_update(
    *, portfolio: Portfolio, version: int | None, by: Any, **changes: Any
) -> Portfolio:
    """Change a portfolio's fields if nobody changed it since `version`."""
    return update_versioned(portfolio, version=version, changes=changes, by=by)


# Programme ------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, portfolio: Portfolio, name: str, by: Any, **fields: Any) -> Programme:
    """Create a programme in a portfolio."""
    if isinstance(fields.get("key"), str):
        fields["key"] = fields["key"].strip().upper() or None
    return _save_new(Programme(portfolio=portfolio, name=name, **fields), by)


def programme_update(
    *, programme: Programme, version: int | None, by: Any, **changes: Any
) -> Programme:
    """Change a programme's fields if nobody changed it since `version`."""
    _refuse_if_archived(programme)
    if isinstance(changes.get("key"), str):
        changes["key"] = changes["key"].strip().upper() or None
    changed_copy(programme, changes).full_clean(exclude=["portfolio"])
    return update_versioned(programme, version=version, changes=changes, by=by)


def _refuse_if_archived(obj: Programme | Project) -> None:
    """Archived programmes and projects are read-only until they are unarchived.

    Asks the database, not the copy in memory, which may predate the archiving.
    """
    if type(obj).all_objects.filter(pk=obj.pk, archived_at__isnull=False).exists():
        raise ValidationError(
            _("This is archived and read-only; unarchive it to change it."), code="archived"
        )


@transaction.atomic
def programme_archive(*, programme: Programme, archived: bool, by: Any) -> Programme:
    """Archive a programme (hidden from lists by default) or bring it back."""
    return update_versioned(
        programme,
        version=None,
        by=by,
        changes={"archived_at": timezone.now() if archived else None},
    )


# Theme ----------------------------------------------------------------------------


def theme_create(*, programme: Programme, name: str, description: str = "", by: Any) -> Theme:
    """Add a theme at the end of a programme's themes."""
    last = programme.themes.order_by("-position").values_list("position", flat=True).first()
    return _save_new(
        Theme(programme=programme, name=name, description=description, position=(last or 0) + 1),
        by,
    )


def theme_update(*, theme: Theme, version: int | None, by: Any, **changes: Any) -> Theme:
    """Change a theme's fields if nobody changed it since `version`."""
    return update_versioned(theme, version=version, changes=changes, by=by)


# Project --------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    programme: Programme,
    key: str,
    name: str,
    by: Any,
    tags: Iterable[Tag] = (),
    **fields: Any,
) -> Project:
    """Create a project in a programme; the project manager becomes its manager member."""
    _refuse_if_archived(programme)
    project = _save_new(Project(programme=programme, key=key.upper(), name=name, **fields), by)
    if tags:
        project.tags.set(list(tags))
    if (
        project.manager_id
        and not Membership.objects.filter(user_id=project.manager_id, project=project).exists()
    ):
        Membership.objects.create(user_id=project.manager_id, project=project, role=Role.MANAGER)
    return project


def project_update(
    *,
    project: Project,
    version: int | None,
    by: Any,
    tags: Iterable[Tag] | None = None,
    **changes: Any,
) -> Project:
    """Change a project's fields if nobody changed it since `version`.

    The programme is not changed here: moving a project is `project_move`.
    """
    if "programme" in changes or "programme_id" in changes:
        raise ValidationError({"programme": _("Use “move” to change a project's programme.")})
    _refuse_if_archived(project)
    changed_copy(project, changes).full_clean(exclude=["programme"])
    m2m = {"tags": tags} if tags is not None else None
    updated = update_versioned(project, version=version, changes=changes, m2m=m2m, by=by)
    if (
        updated.manager_id
        and not Membership.objects.filter(user_id=updated.manager_id, project=updated).exists()
    ):
        Membership.objects.create(user_id=updated.manager_id, project=updated, role=Role.MANAGER)
    return updated


def project_archive(*, project: Project, archived: bool, by: Any) -> Project:
    """Archive a project (read-only, hidden from lists by default) or bring it back."""
    return update_versioned(
        project,
        version=None,
        by=by,
        changes={"archived_at": timezone.now() if archived else None},
    )


@transaction.atomic
def project_move(
    *, project: Project, programme: Programme, version: int | None, by: Any
) -> Project:
    """Move a project to another programme; its theme is dropped if it was the old one's.

    The mover needs the PMO role on the project and at least manager on the target.
    """
    if not access.can(by, project, access.ADMINISTER) or not access.can(
        by, programme, access.WRITE
    ):
        raise PermissionDenied
    changes: dict[str, Any] = {"programme": programme}
    if project.theme is not None and project.theme.programme_id != programme.pk:
        changes["theme"] = None
    return update_versioned(project, version=version, changes=changes, by=by)


# Trash ----------------------------------------------------------------------------


def _children(obj: TrashableModel) -> list[TrashableModel]:
    if isinstance(obj, Portfolio):
        programmes = list(Programme.objects.filter(portfolio=obj))
        return [c for p in programmes for c in [p, *_children(p)]]
    if isinstance(obj, Programme):
        return [*Theme.objects.filter(programme=obj), *Project.objects.filter(programme=obj)]
    return []


def ancestors(obj: Portfolio | Programme | Theme | Project) -> list[Portfolio | Programme]:
    """Return the objects above `obj` in the tree, top first (trashed ones included)."""
    if isinstance(obj, (Project, Theme)):
        return [obj.programme.portfolio, obj.programme]
    if isinstance(obj, Programme):
        return [obj.portfolio]
    return []


def trashed_parent(obj: Portfolio | Programme | Theme | Project) -> Portfolio | Programme | None:
    """Return the nearest object above `obj` that is in the trash, if any."""
    for ancestor in reversed(ancestors(obj)):
        if ancestor.is_trashed:
            return ancestor
    return None


@transaction.atomic
def trash(*, obj: Portfolio | Programme | Theme | Project, by: Any) -> uuid.UUID:
    """Move an object and everything under it to the trash, as one batch.

    Each row is re-read under a lock, so a stale copy in memory never overwrites newer edits.
    """
    batch = uuid.uuid4()
    for stale in [obj, *_children(obj)]:
        item = type(stale).all_objects.select_for_update().get(pk=stale.pk)
        item.mark_trashed(by=by, batch=batch)
        item._history_user = by
        item._change_reason = "trash"
        item.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    obj.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])
    return batch


@transaction.atomic
def restore(*, obj: Portfolio | Programme | Theme | Project, by: Any) -> None:
    """Bring back an object and everything trashed with it.

    Refused while a parent is still in the trash: the restored object could not be reached.
    """
    if obj.trash_batch is None:
        return
    parent = trashed_parent(obj)
    if parent is not None:
        raise ValidationError(
            _(
                "“%(name)s” cannot be restored while its %(kind)s “%(parent)s” is in the "
                "trash. Restore the %(kind)s first."
            )
            % {"name": obj, "kind": parent._meta.verbose_name, "parent": parent}
        )
    batch = obj.trash_batch
    for model in (Portfolio, Programme, Theme, Project):
        for item in model.all_objects.select_for_update().filter(trash_batch=batch):
            item.mark_restored()
            item._history_user = by
            item._change_reason = "restore"
            item.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    obj.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])


# Memberships ----------------------------------------------------------------------


def _check_grant(*, by: Any, scope: Portfolio | Programme | Project, role: str) -> None:
    """Refuse a grant the caller may not make.

    Managing members needs the manager role on the scope; nobody grants a role above their
    own (a manager cannot make a PMO), except site administrators.
    """
    own = access.role_on(by, scope)
    if not access.has_role(own, access.WRITE):
        raise PermissionDenied
    if Role.rank(role) > Role.rank(own):
        raise ValidationError({"role": _("You cannot grant a role above your own.")})


@transaction.atomic
def membership_create(
    *, scope: Portfolio | Programme | Project, user: Any, role: str, by: Any
) -> Membership:
    """Give a user a role on a portfolio, programme or project."""
    _check_grant(by=by, scope=scope, role=role)
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    kind = str(scope._meta.model_name)
    if Membership.objects.filter(user=user, **{kind: scope}).exists():
        raise ValidationError({"user": _("This person already has a role here.")})
    membership = Membership(user=user, role=role, **{kind: scope})
    membership._history_user = by  # type: ignore[attr-defined]
    membership.save()
    access.forget_roles(user)
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, version: int | None, by: Any
) -> Membership:
    """Change a member's role."""
    _check_grant(by=by, scope=membership.scope, role=role)  # type: ignore[arg-type]
    if Role.rank(membership.role) > Role.rank(access.role_on(by, membership.scope)):  # type: ignore[arg-type]
        raise PermissionDenied
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if version is not None and current.version != version:
        raise StaleVersionError(current)  # type: ignore[arg-type]
    if current.role != role:
        current.role = role
        current.version += 1
        current._history_user = by  # type: ignore[attr-defined]
        current.save()
    access.forget_roles(current.user)
    return current


@transaction.atomic
def membership_delete(*, membership: Membership, by: Any) -> None:
    """Take a role away; it takes effect on the user's next request."""
    scope = membership.scope
    own = access.role_on(by, scope)  # type: ignore[arg-type]
    if not access.has_role(own, access.WRITE) or Role.rank(membership.role) > Role.rank(own):
        raise PermissionDenied
    membership._history_user = by  # type: ignore[attr-defined]
    membership.delete()
    access.forget_roles(membership.user)


# Reads for the pages --------------------------------------------------------------
# The pages show counts and groupings over what a user may see; each read below is a
# fixed number of queries, however many rows there are.


def count_by(queryset: QuerySet[Any], field: str) -> dict[Any, int]:
    """Count the rows of `queryset` per value of `field`, in one query."""
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk"))
    return dict(rows)  # type: ignore[arg-type]


def my_projects(user: Any) -> QuerySet[Project]:
    """Return the visible projects the user manages or holds a role on."""
    member_of = Membership.objects.filter(user=user, project__isnull=False).values("project_id")
    return access.visible_projects(user).filter(Q(manager=user) | Q(pk__in=member_of))


@dataclass
class ProgrammeOutline:
    """A programme's visible projects grouped by theme, in theme order."""

    themes: list[tuple[Theme, list[Project]]]
    unthemed: list[Project]
    archived_count: int


def programme_outline(user: Any, programme: Programme) -> ProgrammeOutline:
    """Group the user's visible, unarchived projects of a programme under its themes."""
    projects = list(
        access.visible_projects(user)
        .filter(programme=programme, archived_at__isnull=True)
        .select_related("manager")
        .prefetch_related("tags")
    )
    themes = list(programme.themes.all())
    by_theme: dict[int | None, list[Project]] = {}
    for project in projects:
        by_theme.setdefault(project.theme_id, []).append(project)
    archived = (
        access.visible_projects(user).filter(programme=programme, archived_at__isnull=False).count()
    )
    return ProgrammeOutline(
        themes=[(theme, by_theme.get(theme.pk, [])) for theme in themes],
        unthemed=by_theme.get(None, []),
        archived_count=archived,
    )


@dataclass
class SearchResults:
    """What a search found among the objects a user may see, per kind."""

    projects: list[Project]
    programmes: list[Programme]
    portfolios: list[Portfolio]
    themes: list[Theme]
    limit: int

    @property
    def total(self) -> int:
        """How many results the page shows (each kind capped at `limit`)."""
        kinds = (self.projects, self.programmes, self.portfolios, self.themes)
        return sum(min(len(rows), self.limit) for rows in kinds)

    @property
    def more(self) -> bool:
        """Whether some kind found more than the page shows."""
        kinds = (self.projects, self.programmes, self.portfolios, self.themes)
        return any(len(rows) > self.limit for rows in kinds)


def search_visible(*, user: Any, query: str, limit: int = 20) -> SearchResults:
    """Find projects, programmes, portfolios and themes the user may see by words in them.

    Each kind returns at most `limit` + 1 rows, so a page can say "more" without counting.
    """
    words = query.split()[:5]

    def matching(queryset: QuerySet[Any], fields: list[str]) -> QuerySet[Any]:
        for word in words:
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    take = limit + 1
    projects = matching(
        access.visible_projects(user).select_related("programme", "manager"),
        ["key", "name", "description", "tags__name"],
    ).distinct()[:take]
    programmes = matching(
        access.visible_programmes(user).select_related("portfolio"), ["name", "description"]
    )[:take]
    portfolios = matching(access.visible_portfolios(user), ["name", "description"])[:take]
    themes = matching(
        access.visible_themes(user).select_related("programme"), ["name", "description"]
    )[:take]
    return SearchResults(
        projects=list(projects),
        programmes=list(programmes),
        portfolios=list(portfolios),
        themes=list(themes),
        limit=limit,
    )
