"""API endpoints of the portfolio app: portfolios, programmes, themes, projects, memberships.

Reads go through `access` (lists through `visible_*`, one object through the
`*_for_user` helpers, so a hidden object answers 404 like a missing one); writes go
through `services`. Each viewset names the role each action needs in `need`.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from schakel.accounts.models import Membership, Role
from schakel.lib.filters import IdFilter

from . import access, services
from .filters import ProgrammeFilter, ProjectFilter
from .models import Portfolio, Programme, Project, Theme
from .serializers import (
    MembershipSerializer,
    MembershipUpdateSerializer,
    PortfolioSerializer,
    PortfolioUpdateSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateSerializer,
    ProjectMoveSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    ThemeSerializer,
    ThemeUpdateSerializer,
    conflict_serializer,
)

UPDATES = ("update", "partial_update")


def _versioned_schema(name: str, read: Any, write: Any) -> dict[str, Any]:
    """Document the update and delete of a versioned object, including the 409 answer."""
    conflict = conflict_serializer(name, read)
    return {
        "update": extend_schema(request=write, responses={200: read, 409: conflict}),
        "partial_update": extend_schema(request=write, responses={200: read, 409: conflict}),
        "destroy": extend_schema(
            summary=_("Move to the trash with everything in it (PMO only)"),
            responses={204: None},
        ),
    }


class TreeViewSet(viewsets.ModelViewSet):
    """Shared plumbing: per-action roles, update serializers, services in a transaction."""

    lookup_value_regex = r"\d+"
    update_serializer_class: type[BaseSerializer] = BaseSerializer
    # The role each action needs on the object; actions not named only need to see it.
    need: dict[str, str] = {
        "update": access.WRITE,
        "partial_update": access.WRITE,
        "destroy": access.ADMINISTER,
    }

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in UPDATES:
            return self.update_serializer_class
        return super().get_serializer_class()

    def get_object(self) -> Any:
        return self.object_for_user(
            self.request.user, self.kwargs[self.lookup_field], need=self.need.get(self.action)
        )

    def object_for_user(self, user: Any, pk: Any, *, need: str | None) -> Any:
        raise NotImplementedError

    def perform_create(self, serializer: BaseSerializer) -> None:
        with transaction.atomic():
            serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version")
        # One transaction, so a refused update leaves nothing behind (e.g. new tags).
        with transaction.atomic():
            serializer.instance = self.update_object(serializer.instance, version, data)

    def perform_destroy(self, instance: Any) -> None:
        services.trash(obj=instance, by=self.request.user)

    def create_object(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_object(self, instance: Any, version: int, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def require(self, obj: Any, role: str) -> None:
        """Refuse with 403 unless the caller holds `role` on `obj` (which they can see)."""
        if not access.can(self.request.user, obj, role):
            raise PermissionDenied


# Portfolios -----------------------------------------------------------------------


@extend_schema_view(
    **_versioned_schema("Portfolio", PortfolioSerializer, PortfolioUpdateSerializer),
    create=extend_schema(summary=_("Create a portfolio (site administrators only)")),
)
class PortfolioViewSet(TreeViewSet):
    """Portfolios the caller sees; site administrators create them, PMOs trash them."""

    serializer_class = PortfolioSerializer
    update_serializer_class = PortfolioUpdateSerializer

    def get_queryset(self) -> QuerySet[Portfolio]:
        return access.visible_portfolios(self.request.user)

    def object_for_user(self, user: Any, pk: Any, *, need: str | None) -> Portfolio:
        return access.portfolio_for_user(user, pk, need=need)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Checked before the body: no body could make a non-administrator allowed.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def create_object(self, data: dict[str, Any]) -> Portfolio:
        return services.portfolio_create(by=self.request.user, **data)

    def update_object(self, instance: Portfolio, version: int, data: dict[str, Any]) -> Portfolio:
        return services.portfolio_update(
            portfolio=instance, version=version, by=self.request.user, **data
        )


# Programmes -----------------------------------------------------------------------


@extend_schema_view(
    **_versioned_schema("Programme", ProgrammeSerializer, ProgrammeUpdateSerializer),
    create=extend_schema(summary=_("Create a programme (manager or above on the portfolio)")),
)
class ProgrammeViewSet(TreeViewSet):
    """Programmes the caller sees, filtered like the programme list page."""

    serializer_class = ProgrammeSerializer
    update_serializer_class = ProgrammeUpdateSerializer
    filterset_class = ProgrammeFilter
    need = {**TreeViewSet.need, "archive": access.WRITE, "unarchive": access.WRITE}

    def get_queryset(self) -> QuerySet[Programme]:
        return access.visible_programmes(self.request.user).select_related(
            "portfolio", "manager", "sponsor"
        )

    def object_for_user(self, user: Any, pk: Any, *, need: str | None) -> Programme:
        return access.programme_for_user(user, pk, need=need)

    def create_object(self, data: dict[str, Any]) -> Programme:
        self.require(data["portfolio"], access.WRITE)
        return services.programme_create(by=self.request.user, **data)

    def update_object(self, instance: Programme, version: int, data: dict[str, Any]) -> Programme:
        return services.programme_update(
            programme=instance, version=version, by=self.request.user, **data
        )

    def _archive(self, archived: bool) -> Response:
        programme = services.programme_archive(
            programme=self.get_object(), archived=archived, by=self.request.user
        )
        return Response(ProgrammeSerializer(programme, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ProgrammeSerializer, summary=_("Archive a programme"))
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: Any = None) -> Response:
        return self._archive(True)

    @extend_schema(
        request=None, responses=ProgrammeSerializer, summary=_("Bring an archived programme back")
    )
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: Any = None) -> Response:
        return self._archive(False)


# Themes ---------------------------------------------------------------------------


class ThemeFilter(django_filters.FilterSet):
    """Filter themes by programme: `?programme=`."""

    programme = IdFilter(field_name="programme_id", label=_("Programme"))

    class Meta:
        model = Theme
        fields: list[str] = []


@extend_schema_view(
    **_versioned_schema("Theme", ThemeSerializer, ThemeUpdateSerializer),
    create=extend_schema(summary=_("Add a theme to a programme (manager or above on it)")),
)
class ThemeViewSet(TreeViewSet):
    """Themes of the programmes the caller sees."""

    serializer_class = ThemeSerializer
    update_serializer_class = ThemeUpdateSerializer
    filterset_class = ThemeFilter

    def get_queryset(self) -> QuerySet[Theme]:
        return access.visible_themes(self.request.user).select_related("programme")

    def object_for_user(self, user: Any, pk: Any, *, need: str | None) -> Theme:
        return access.theme_for_user(user, pk, need=need)

    def create_object(self, data: dict[str, Any]) -> Theme:
        self.require(data["programme"], access.WRITE)
        return services.theme_create(by=self.request.user, **data)

    def update_object(self, instance: Theme, version: int, data: dict[str, Any]) -> Theme:
        return services.theme_update(theme=instance, version=version, by=self.request.user, **data)


# Projects -------------------------------------------------------------------------

_project_conflict = conflict_serializer("Project", ProjectSerializer)


@extend_schema_view(
    **_versioned_schema("Project", ProjectSerializer, ProjectUpdateSerializer),
    create=extend_schema(summary=_("Create a project in a programme (manager or above on it)")),
)
class ProjectViewSet(TreeViewSet):
    """Projects the caller sees, filtered, searched and sorted like the project list page."""

    serializer_class = ProjectSerializer
    update_serializer_class = ProjectUpdateSerializer
    filterset_class = ProjectFilter
    need = {
        **TreeViewSet.need,
        "archive": access.WRITE,
        "unarchive": access.WRITE,
        "move": access.ADMINISTER,
    }

    def get_queryset(self) -> QuerySet[Project]:
        return (
            access.visible_projects(self.request.user)
            .select_related("programme", "theme", "manager", "sponsor")
            .prefetch_related("tags")
        )

    def object_for_user(self, user: Any, pk: Any, *, need: str | None) -> Project:
        return access.project_for_user(user, pk, need=need)

    def create_object(self, data: dict[str, Any]) -> Project:
        self.require(data["programme"], access.WRITE)
        tags = services.tags_from_names(data.pop("tags", []))
        return services.project_create(by=self.request.user, tags=tags, **data)

    def update_object(self, instance: Project, version: int, data: dict[str, Any]) -> Project:
        names = data.pop("tags", None)
        return services.project_update(
            project=instance,
            version=version,
            by=self.request.user,
            tags=services.tags_from_names(names) if names is not None else None,
            **data,
        )

    def _answer(self, project: Project) -> Response:
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ProjectSerializer, summary=_("Archive a project"))
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: Any = None) -> Response:
        project = services.project_archive(
            project=self.get_object(), archived=True, by=request.user
        )
        return self._answer(project)

    @extend_schema(
        request=None, responses=ProjectSerializer, summary=_("Bring an archived project back")
    )
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: Any = None) -> Response:
        project = services.project_archive(
            project=self.get_object(), archived=False, by=request.user
        )
        return self._answer(project)

    @extend_schema(
        request=ProjectMoveSerializer,
        responses={200: ProjectSerializer, 409: _project_conflict},
        summary=_(
            "Move a project to another programme (PMO on the project, manager+ on the target)"
        ),
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        project = self.get_object()
        body = ProjectMoveSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        project = services.project_move(
            project=project,
            programme=body.validated_data["programme"],
            version=body.validated_data["version"],
            by=request.user,
        )
        return self._answer(project)


# Memberships ----------------------------------------------------------------------


class MembershipFilter(django_filters.FilterSet):
    """Filter memberships: `?portfolio=&programme=&project=&user=&role=`."""

    portfolio = IdFilter(field_name="portfolio_id", label=_("Portfolio"))
    programme = IdFilter(field_name="programme_id", label=_("Programme"))
    project = IdFilter(field_name="project_id", label=_("Project"))
    user = IdFilter(field_name="user_id", label=_("User"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    class Meta:
        model = Membership
        fields: list[str] = []


def visible_memberships(user: Any) -> QuerySet[Membership]:
    """Memberships on the portfolios, programmes and projects the user sees."""
    return Membership.objects.filter(
        Q(portfolio__in=access.visible_portfolios(user).values("pk"))
        | Q(programme__in=access.visible_programmes(user).values("pk"))
        | Q(project__in=access.visible_projects(user).values("pk"))
    )


@extend_schema_view(
    update=extend_schema(
        request=MembershipUpdateSerializer,
        responses={
            200: MembershipSerializer,
            409: conflict_serializer("Membership", MembershipSerializer),
        },
    ),
    partial_update=extend_schema(
        request=MembershipUpdateSerializer,
        responses={
            200: MembershipSerializer,
            409: conflict_serializer("Membership", MembershipSerializer),
        },
    ),
    create=extend_schema(summary=_("Give a person a role (manager or above on the scope)")),
    destroy=extend_schema(summary=_("Take a role away"), responses={204: None}),
)
class MembershipViewSet(viewsets.ModelViewSet):
    """Roles on the scopes the caller sees; managers change them, never above their own role."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Membership]:
        return (
            visible_memberships(self.request.user)
            .select_related("user", "portfolio", "programme", "project")
            .order_by("pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in UPDATES:
            return MembershipUpdateSerializer
        return MembershipSerializer

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = serializer.validated_data
        scope = data.get("portfolio") or data.get("programme") or data.get("project")
        serializer.instance = services.membership_create(
            scope=scope, user=data["user"], role=data["role"], by=self.request.user
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = serializer.validated_data
        membership = cast(Membership, serializer.instance)
        serializer.instance = services.membership_update(
            membership=membership,
            role=data.get("role", membership.role),
            version=data["version"],
            by=self.request.user,
        )

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_delete(membership=instance, by=self.request.user)


def register(router: Any) -> None:
    """Add this app's viewsets to the API router."""
    router.register("portfolios", PortfolioViewSet, basename="portfolio")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("projects", ProjectViewSet, basename="project")
    router.register("memberships", MembershipViewSet, basename="membership")
