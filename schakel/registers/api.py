"""API endpoints of the registers: one viewset, specialised per register by the registry.

`/api/v1/risks/`, `/issues/`, `/assumptions/`, `/dependencies/`, `/actions/` and
`/decisions/` are the same `RegisterViewSet` with another model, serializer and filter.
Reads go through `access` (a hidden item answers 404 like a missing one), writes through
`services`; members add and change items, managers delete them. Each register also has
`{id}/comments/`, `{id}/links/` and `bulk/`; risks have `{id}/occurred/` and assumptions
`{id}/invalidate/`, both raising an issue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from schakel.portfolio.serializers import conflict_serializer
from schakel.portfolio.services import tags_from_names

from . import access, services
from .columns import unused_related_fields
from .models import (
    REGISTER_MODELS,
    Assumption,
    Comment,
    Issue,
    RegisterItem,
    Risk,
    RiskCategory,
    RiskScaleLevel,
)
from .registry import REGISTERS, Register
from .serializers import (
    BulkResultSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    ItemPointerSerializer,
    LinkedItemSerializer,
    RiskCategorySerializer,
    RiskScaleLevelSerializer,
    VersionSerializer,
    bulk_serializer,
    generic_sources,
    item_serializer,
    item_update_serializer,
    origins_context,
    related_paths,
    visible_item,
)

UPDATES = ("update", "partial_update")


class RegisterViewSet(viewsets.ModelViewSet):
    """One register's items: list, read, create, change, trash, plus comments, links, bulk.

    Subclasses are made per register by `viewset_for`; they only set `register`.
    """

    register: ClassVar[Register]
    lookup_value_regex = r"\d+"

    @property
    def model(self) -> type[RegisterItem]:
        return self.register.model

    def get_serializer_class(self) -> type[BaseSerializer]:
        # Also what a 409 shows as `current` (see schakel.lib.api): the item, for every
        # action that can meet a stale version.
        if self.action in UPDATES:
            return item_update_serializer(self.model)
        if self.action == "bulk":
            return bulk_serializer(self.model)
        if self.action == "comments":
            return CommentCreateSerializer
        if self.action == "links":
            return ItemPointerSerializer
        return item_serializer(self.model)

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        """A page of items reads where they came from in one query (see `OriginField`)."""
        if kwargs.get("many") and args and self.action == "list":
            items = list(args[0])
            context = {**self.get_serializer_context(), **origins_context(self.request.user, items)}
            kwargs["context"] = context
            return self.get_serializer_class()(items, *args[1:], **kwargs)
        return super().get_serializer(*args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        prefetches: list[Any] = [Prefetch("tags")]
        for name in generic_sources(self.model):
            # Sources the caller may not see read as null.
            prefetches.append(
                GenericPrefetch(
                    name,
                    [
                        access.visible_items(user, m).select_related("project", "programme")
                        for m in REGISTER_MODELS
                    ],
                )
            )
        paths = tuple(related_paths(self.model))
        return (
            access.visible_items(user, self.model)
            .select_related(*paths)
            .defer(*unused_related_fields(self.model, paths))
            .prefetch_related(*prefetches)
            .order_by(*(self.model._meta.ordering or []), "-pk")
        )

    def needed_role(self) -> str | None:
        """The role the current action needs on the item; reads only need to see it."""
        if self.action == "destroy":
            return access.DELETE
        if self.action == "retrieve" or self.request.method in SAFE_METHODS:
            return None
        return access.CONTRIBUTE

    def get_object(self) -> Any:
        item = access.item_for_user(
            self.request.user, self.model, self.kwargs["pk"], need=self.needed_role()
        )
        self.check_object_permissions(self.request, item)
        return item

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        scope = data.pop("project", None) or data.pop("programme", None)
        data.pop("programme", None)
        if not access.can_contribute_to(self.request.user, scope):
            raise PermissionDenied
        names = data.pop("tags", None)
        sources = {name: data.pop(name, None) for name in generic_sources(self.model)}
        # One transaction, so a refused item leaves nothing behind (e.g. new tags).
        with transaction.atomic():
            serializer.instance = services.item_create(
                model=self.model,
                scope=scope,
                by=self.request.user,
                tags=tags_from_names(names) if names is not None else None,
                source=sources.get("source"),
                **data,
            )

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version")
        names = data.pop("tags", None)
        with transaction.atomic():
            serializer.instance = services.item_update(
                item=cast(RegisterItem, serializer.instance),
                version=version,
                by=self.request.user,
                tags=tags_from_names(names) if names is not None else None,
                **data,
            )

    def perform_destroy(self, instance: RegisterItem) -> None:
        services.item_trash(item=instance, by=self.request.user)

    def _context(self) -> dict[str, Any]:
        return self.get_serializer_context()

    # Comments -----------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=CommentSerializer(many=True),
        summary=_("The item's comments, oldest first"),
    )
    @extend_schema(
        methods=["POST"],
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
        summary=_("Comment on the item; @username mentions people who can see it"),
    )
    # Answers the whole list, unpaginated and unfiltered (so the schema shows no page or filter).
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        if request.method == "POST":
            body = CommentCreateSerializer(data=request.data, context=self._context())
            body.is_valid(raise_exception=True)
            comment = services.comment_add(
                item=item,
                body=body.validated_data["body"],
                by=request.user,
                mention_pool=access.mention_pool(item),
            )
            data = CommentSerializer(comment, context=self._context()).data
            return Response(data, status=status.HTTP_201_CREATED)
        # Not `item.comments`: that GenericRelation does not name Comment's item_type/item_id
        # fields, so it cannot be queried (reported; models are not ours to change here).
        comments = (
            Comment.objects.filter(
                item_type=ContentType.objects.get_for_model(item), item_id=item.pk
            )
            .select_related("author")
            .prefetch_related("mentions")
            .order_by("created_at", "pk")
        )
        return Response(CommentSerializer(comments, many=True, context=self._context()).data)

    # Links --------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=LinkedItemSerializer(many=True),
        summary=_("The items linked to this one (those you may see)"),
    )
    @extend_schema(
        methods=["POST"],
        request=ItemPointerSerializer,
        responses={201: LinkedItemSerializer},
        summary=_("Link an item you may see to this one"),
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, required=True, enum=[m.KIND for m in REGISTER_MODELS]
            ),
            OpenApiParameter("id", OpenApiTypes.INT, required=True),
        ],
        request=None,
        responses={204: None},
        summary=_("Remove the link to the item named by ?kind=&id="),
    )
    @action(
        detail=True, methods=["get", "post", "delete"], pagination_class=None, filter_backends=[]
    )
    def links(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        if request.method == "GET":
            linked = self._visible(services.linked_items(item))
            linked.sort(key=lambda i: (i.KIND, i.ref))
            data = LinkedItemSerializer(linked, many=True, context=self._context()).data
            return Response(data)
        if request.method == "POST":
            other = visible_item(request.user, request.data)
            services.link_add(a=item, b=other, by=request.user)
            data = LinkedItemSerializer(other, context=self._context()).data
            return Response(data, status=status.HTTP_201_CREATED)
        other = visible_item(request.user, request.query_params)
        services.link_remove(a=item, b=other)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _visible(self, items: list[RegisterItem]) -> list[RegisterItem]:
        """Keep the items the caller may see (one query per register among them)."""
        by_model: dict[type[RegisterItem], list[RegisterItem]] = {}
        for item in items:
            by_model.setdefault(type(item), []).append(item)
        kept: list[RegisterItem] = []
        for model, group in by_model.items():
            pks = set(
                access.visible_items(self.request.user, model)
                .filter(pk__in=[i.pk for i in group])
                .values_list("pk", flat=True)
            )
            kept += [i for i in group if i.pk in pks]
        return kept

    # Bulk changes -------------------------------------------------------------------

    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        body = bulk_serializer(self.model)(data=request.data, context=self._context())
        body.is_valid(raise_exception=True)
        wanted = body.validated_data
        ids = list(dict.fromkeys(wanted["ids"]))
        found = {
            item.pk: item
            for item in access.visible_items(request.user, self.model)
            .select_related("project__programme", "programme")
            .filter(pk__in=ids)
        }
        changed = unchanged = 0
        errors: list[dict[str, Any]] = []
        for pk in ids:
            item = found.get(pk)
            if item is None:
                errors.append({"id": pk, "detail": [gettext("Not found.")]})
                continue
            if not access.can_item(request.user, item, access.CONTRIBUTE):
                errors.append({"id": pk, "detail": [gettext("You may not change this item.")]})
                continue
            try:
                done = services.items_bulk_update(
                    items=[item],
                    by=request.user,
                    owner=wanted.get("owner"),
                    status=wanted.get("status"),
                    shift_days=wanted.get("shift_days"),
                )
            except DjangoValidationError as exc:
                errors.append({"id": pk, "detail": [str(m) for m in exc.messages]})
                continue
            if done and done[0].version != item.version:
                changed += 1
            else:
                unchanged += 1
        result = {
            "changed": changed,
            "unchanged": unchanged,
            "refused": len(errors),
            "errors": errors,
        }
        return Response(BulkResultSerializer(result).data)


# Transitions that raise an issue -------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A one-click change of an item that raises an issue (a risk occurs, ...)."""

    name: str
    service: Callable[..., Issue]
    argument: str
    status: str
    summary: Any


TRANSITIONS: dict[str, Transition] = {
    Risk.KIND: Transition(
        "occurred",
        services.risk_occurred,
        "risk",
        Risk.Status.OCCURRED,
        _("The risk occurred: mark it and raise an issue (201 with the issue)"),
    ),
    Assumption.KIND: Transition(
        "invalidate",
        services.assumption_invalidate,
        "assumption",
        Assumption.Status.INVALID,
        _("The assumption is invalid: mark it and raise an issue (201 with the issue)"),
    ),
}


def _transition_action(model: type[RegisterItem], transition: Transition) -> Any:
    """Make the viewset action for one transition: POST {version} → the issue it raised."""

    def run(self: RegisterViewSet, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        body = VersionSerializer(data=request.data, context=self._context())
        body.is_valid(raise_exception=True)
        already = item.status == transition.status
        issue = transition.service(
            **{transition.argument: item},
            version=body.validated_data["version"],
            by=request.user,
        )
        data = item_serializer(Issue)(issue, context=self._context()).data
        return Response(data, status=status.HTTP_200_OK if already else status.HTTP_201_CREATED)

    run.__name__ = run.__qualname__ = transition.name
    run.__doc__ = str(transition.summary)
    conflict = conflict_serializer(model.__name__, item_serializer(model))
    decorated = action(detail=True, methods=["post"])(run)
    return extend_schema(
        request=VersionSerializer,
        responses={201: item_serializer(Issue), 200: item_serializer(Issue), 409: conflict},
        summary=transition.summary,
    )(decorated)


# One viewset per register ----------------------------------------------------------------


def ordering_parameter(register: Register) -> OpenApiParameter:
    """Document `?ordering=`, which the filter adds per register (so the schema misses it)."""
    names = [param for _field, param in register.filter.ORDERING_FIELDS]
    if register.model.DUE_FIELD:
        names.append("due")
    return OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description=format_lazy(
            _("Sort by {names}; a leading - sorts descending, commas combine."),
            names=", ".join(names),
        ),
    )


def viewset_for(register: Register) -> type[RegisterViewSet]:
    """Specialise `RegisterViewSet` for one register: its model, serializers, filter, actions."""
    model = register.model
    read, write = item_serializer(model), item_update_serializer(model)
    conflict = conflict_serializer(model.__name__, read)
    attrs: dict[str, Any] = {
        "register": register,
        "serializer_class": read,
        "filterset_class": register.filter,
        "__module__": __name__,
        "__doc__": f"{register.title}: {model.__doc__}",
    }
    transition = TRANSITIONS.get(register.kind)
    if transition is not None:
        attrs[transition.name] = _transition_action(model, transition)
    viewset = type(f"{model.__name__}ViewSet", (RegisterViewSet,), attrs)
    plural = model._meta.verbose_name_plural
    return extend_schema_view(
        list=extend_schema(
            summary=format_lazy(_("List the {items} you may see"), items=plural),
            parameters=[ordering_parameter(register)],
        ),
        create=extend_schema(summary=_("Add an item to a project or programme (member or above)")),
        update=extend_schema(request=write, responses={200: read, 409: conflict}),
        partial_update=extend_schema(request=write, responses={200: read, 409: conflict}),
        destroy=extend_schema(
            summary=_("Move the item to the trash (manager or above)"), responses={204: None}
        ),
        bulk=extend_schema(
            request=bulk_serializer(model),
            responses=BulkResultSerializer,
            summary=_("Change the owner, status or due date of many items (member or above)"),
        ),
    )(viewset)


# Configuration -----------------------------------------------------------------------


class RiskScaleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The probability and impact scale of risks, with labels in English and Dutch."""

    serializer_class = RiskScaleLevelSerializer
    queryset = RiskScaleLevel.objects.all()
    pagination_class = None


class RiskCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The risk categories, in their order; inactive ones take no new risks."""

    serializer_class = RiskCategorySerializer
    queryset = RiskCategory.objects.all()
    pagination_class = None


def register(router: Any) -> None:
    """Add the registers' viewsets to the API router."""
    for reg in REGISTERS:
        router.register(reg.slug, viewset_for(reg), basename=reg.kind)
    router.register("risk-scale", RiskScaleViewSet, basename="risk-scale")
    router.register("risk-categories", RiskCategoryViewSet, basename="risk-category")
