"""API representations of register items: one base, specialised per register from its model.

`RegisterItemSerializer` holds what every item shows (reference code, scope, owner, status,
tags, due date, version, page URL, ...). `item_serializer(model)` adds the register's own
fields, read from the model: plain fields as the model declares them, people as
`{id, username, display_name}`, other items as `{kind, id, ref}`, and foreign keys that
only accept what the caller may see. A seventh register gets its API from its model.

As elsewhere in the API, fields a caller may not set (the scope after creation, derived
scores, the version on create, unknown names) are refused with 400, and a hidden object
in a body reads "does not exist", exactly like a missing one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schakel.accounts.models import User
from schakel.accounts.serializers import StrictSerializerMixin, UserSummarySerializer
from schakel.lib.origins import Origin, OriginMap, origin_of, origins_for
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Programme, Project
from schakel.portfolio.serializers import (
    VERSION_HINT,
    PageUrlMixin,
    TagNamesField,
    UserRefField,
    VersionedUpdateMixin,
    VisibleRelatedField,
)

from . import access
from .models import REGISTER_MODELS, Comment, RegisterItem, RiskCategory, RiskScaleLevel

if TYPE_CHECKING:
    RelatedId = serializers.PrimaryKeyRelatedField[Any]

DERIVED_HINT = _("This value is computed by the server.")
SCOPE_HINT = _("An item stays in its project or programme.")
SOURCE_HINT = _("The source is recorded when the action is created.")
DOES_NOT_EXIST = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]

# What every item shows, before and after the register's own fields.
COMMON_HEAD = [
    "id",
    "ref",
    "kind",
    "project",
    "programme",
    "project_key",
    "title",
    "description",
    "owner",
    "status",
]
COMMON_TAIL = [
    "origin",
    "tags",
    "is_open",
    "is_overdue",
    "due_date",
    "version",
    "url",
    "created_by",
    "created_at",
    "updated_at",
]
# Fields of the shared base that the API leaves out (the trash, the raw number).
_BASE_FIELDS = {f.name for f in RegisterItem._meta.fields} | {"id", "status"}
# The reverse accessor the plan gives a dependency it records (planning's TaskLink); the
# registers do not import planning, they read it by name where a model has it.
PLAN_LINK = "task_link"
PLAN_LINK_HINT = _("Link the tasks in the plan (task-links) to put a dependency in it.")


# Fields ---------------------------------------------------------------------------


def _active_categories(user: Any) -> QuerySet[RiskCategory]:
    return RiskCategory.objects.filter(active=True)


# Which objects a foreign key in a body may point at, per target model.
VISIBLE_TARGETS: dict[type[models.Model], Callable[[Any], QuerySet[Any]]] = {
    Project: portfolio_access.visible_projects,
    Programme: portfolio_access.visible_programmes,
    RiskCategory: _active_categories,
}


class CurrentOrVisibleField(VisibleRelatedField):
    """A foreign key by id: an object the caller may see, or the one already set.

    Sending an item back unchanged never fails, even when it points at something the
    caller cannot see (the other project of a dependency seen from the other side).
    """

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, f"{self.source}_id", None) if instance is not None else None
        if current is not None:
            queryset = queryset | queryset.model._default_manager.filter(pk=current)
        return queryset


class ItemRefSerializer(serializers.Serializer):
    """Another register item as one item points at it: kind, id and reference code."""

    kind = serializers.CharField()
    id = serializers.IntegerField()
    ref = serializers.CharField()


class ItemPointerSerializer(serializers.Serializer):
    """Which item: its kind ("risk", "issue", ...) and id."""

    kind = serializers.ChoiceField(choices=[m.KIND for m in REGISTER_MODELS])
    id = serializers.IntegerField(min_value=1)


def item_ref(obj: Any) -> dict[str, Any]:
    """Describe an item (or any other source) as `{kind, id, ref}`."""
    return {
        "kind": getattr(obj, "KIND", "") or obj._meta.model_name,
        "id": obj.pk,
        "ref": getattr(obj, "ref", None) or str(obj),
    }


def visible_item(user: Any, data: Any) -> RegisterItem:
    """The item named by `{kind, id}` if the caller may see it; else a field error.

    A hidden item reads exactly like a missing one.
    """
    pointer = ItemPointerSerializer(data=data)
    pointer.is_valid(raise_exception=True)
    kind, pk = pointer.validated_data["kind"], pointer.validated_data["id"]
    model = access.MODELS_BY_KIND[kind]
    found = (
        access.visible_items(user, model)
        .select_related("project__programme", "programme__portfolio")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise serializers.ValidationError({"id": [DOES_NOT_EXIST.format(pk_value=pk)]})
    return found


class ItemRefField(serializers.Field):
    """An item: written as `{kind, id}` of an item the caller sees, read as `{kind, id, ref}`."""

    def to_representation(self, value: Any) -> dict[str, Any]:
        return item_ref(value)

    def to_internal_value(self, data: Any) -> RegisterItem:
        return visible_item(self.context["request"].user, data)


class SourceField(ItemRefField):
    """Where an item came from (a generic foreign key), shown only when the caller sees it.

    Lists prefetch the sources the caller may see (see the API's queryset); a single item
    that was not prefetched looks its source up through `visible_items`, so a source in a
    project the caller cannot see reads as null, never as its reference code.
    """

    def get_attribute(self, instance: Any) -> Any:
        generic = cast(GenericForeignKey, instance._meta.get_field(self.source))
        if generic.is_cached(instance):
            value = generic.get_cached_value(instance)
        else:
            type_id = getattr(instance, f"{generic.ct_field}_id")
            pk = getattr(instance, generic.fk_field)
            if type_id is None or pk is None:
                return None
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is None or not issubclass(model, RegisterItem):
                return None
            user = self.context["request"].user
            value = (
                access.visible_items(user, model)
                .select_related("project", "programme")
                .filter(pk=pk)
                .first()
            )
        # Sources outside the registers have no visibility rules here yet: not shown.
        return value if isinstance(value, RegisterItem) else None


class OriginSerializer(serializers.Serializer):
    """Where an item came from: the meeting (say) it was born in, with a link back."""

    kind = serializers.CharField(help_text=_('What it came from, e.g. "meeting".'))
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        help_text=_("What to show, e.g. the meeting and its date.")
    )
    url = serializers.URLField(help_text=_("The page it came from."))
    date = serializers.DateField(allow_null=True)


ORIGINS_CONTEXT = "origins"


def origins_context(user: Any, items: Any) -> dict[str, OriginMap]:
    """Serializer context with the origins of a page of items, read in one query."""
    return {ORIGINS_CONTEXT: origins_for(user, list(items))}


@extend_schema_field(OriginSerializer(allow_null=True))
class OriginField(serializers.Field):
    """Where the item came from, or null: only places the caller may see are named.

    Lists put the origins of the whole page in the context (`origins_context`, one query);
    a single item looks its own up.
    """

    def __init__(self, **kwargs: Any):
        kwargs.update(read_only=True, allow_null=True)
        kwargs.setdefault(
            "help_text", _("Where the item came from (a meeting), if you may see it; else null.")
        )
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, item: Any) -> dict[str, Any] | None:
        found = self.context.get(ORIGINS_CONTEXT)
        request = self.context.get("request")
        origin: Origin | None
        if found is not None:
            key = (ContentType.objects.get_for_model(item).pk, item.pk)
            origin = found.get(key)
        else:
            user = getattr(request, "user", None)
            origin = origin_of(user, item) if user is not None else None
        if origin is None:
            return None
        url = request.build_absolute_uri(origin.url) if request is not None else origin.url
        return {"kind": origin.kind, "label": origin.label, "url": url, "date": origin.date}


class ItemRefFieldExtension(OpenApiSerializerFieldExtension):
    """Describe `ItemRefField` to the schema: `{kind, id}` in requests, with `ref` in answers."""

    target_class = ItemRefField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        serializer = ItemPointerSerializer if direction == "request" else ItemRefSerializer
        return auto_schema.resolve_serializer(serializer, direction).ref


class StatusField(serializers.ChoiceField):
    """The status of an item: each register has its own statuses, named in the schema."""

    def __init__(self, *, enum_name: str, **kwargs: Any):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class StatusFieldExtension(OpenApiSerializerFieldExtension):
    """Give each register's statuses one named enum (`RiskStatusEnum`, ...) in the schema.

    Six registers share the field name `status` with six choice sets; named this way they
    need no entry in the enum overrides of the settings.
    """

    target_class = StatusField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        field = self.target
        schema = build_choice_field(field)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def status_field(model: type[RegisterItem], **kwargs: Any) -> StatusField:
    """The status field of one register."""
    meta: Any = model._meta
    field = meta.get_field("status")
    return StatusField(
        enum_name=f"{model.__name__}StatusEnum",
        choices=field.choices,
        initial=field.default,
        label=capfirst(str(field.verbose_name)),
        **kwargs,
    )


def _relation_field(field: models.Field[Any, Any]) -> serializers.Field:
    """The API field for one of a register's own foreign keys."""
    target = cast(type[models.Model], field.related_model)
    options: dict[str, Any] = {"label": capfirst(str(field.verbose_name))}
    if field.help_text:
        options["help_text"] = field.help_text
    if issubclass(target, RegisterItem):
        # Links between items are made by the services (an occurred risk, ...).
        return ItemRefField(read_only=True, allow_null=True, **options)
    if not field.editable:
        return serializers.PrimaryKeyRelatedField(read_only=True, allow_null=field.null, **options)
    options.update(allow_null=field.null, required=not (field.null or field.blank))
    if target is User:
        return UserRefField(**options)
    visible = VISIBLE_TARGETS.get(target)
    if visible is None:
        # No rule says which rows the caller may point at: the field stays read-only.
        return serializers.PrimaryKeyRelatedField(read_only=True, **options)
    return CurrentOrVisibleField(queryset=target._default_manager.all(), visible=visible, **options)


# Items ----------------------------------------------------------------------------


class RegisterItemSerializer(StrictSerializerMixin, PageUrlMixin, serializers.ModelSerializer):
    """What every register item shows; `item_serializer(model)` adds a register's own fields.

    On create, give exactly one of `project` or `programme`.
    """

    refused_hints = {
        "version": VERSION_HINT,
        "ref": DERIVED_HINT,
        "score": DERIVED_HINT,
        "residual_score": DERIVED_HINT,
        "trend": DERIVED_HINT,
        "created_by": DERIVED_HINT,
        PLAN_LINK: PLAN_LINK_HINT,
    }

    ref = serializers.CharField(
        read_only=True, help_text=_("The reference code people say aloud, e.g. ODI-R12.")
    )
    kind = serializers.CharField(source="KIND", read_only=True)
    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(),
        visible=portfolio_access.visible_projects,
        required=False,
        allow_null=True,
        help_text=_("The project the item belongs to (or give a programme)."),
    )
    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(),
        visible=portfolio_access.visible_programmes,
        required=False,
        allow_null=True,
        help_text=_("For programme-level items: the programme (instead of a project)."),
    )
    project_key = serializers.SerializerMethodField(
        help_text=_("The key of the item's project or programme.")
    )
    owner = UserRefField(required=False, allow_null=True)
    tags = TagNamesField(required=False)
    is_open = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    due_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("The date that makes the item due (review date, due date, ...)."),
    )
    created_by = UserRefField(read_only=True, allow_null=True)
    origin = OriginField()

    class Meta:
        model = RegisterItem
        fields = [*COMMON_HEAD, *COMMON_TAIL]
        # The service numbers items and checks the scope; DRF's validators for the
        # conditional unique constraints would make the scope fields required.
        validators: list[Any] = []

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[Any, Any]:
        # The browsable API's form starts from the model's defaults (an action's priority
        # is "medium", not the first choice in the list).
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if model_field.has_default() and not callable(model_field.default):
            kwargs.setdefault("initial", model_field.default)
        return field_class, kwargs

    def get_project_key(self, obj: RegisterItem) -> str | None:
        scope = obj.project if obj.project_id else obj.programme
        return scope.key if scope is not None else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None:
            scopes = [name for name in ("project", "programme") if attrs.get(name)]
            if len(scopes) != 1:
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Give exactly one of project or programme.")]}
                )
        return attrs


class PlanLinkSerializer(serializers.Serializer):
    """The link between two tasks of the plans that a dependency is recorded for."""

    id = serializers.IntegerField(read_only=True)
    predecessor = serializers.IntegerField(
        source="predecessor_id", read_only=True, help_text=_("The task waited for.")
    )
    successor = serializers.IntegerField(
        source="successor_id", read_only=True, help_text=_("The task that waits.")
    )
    type = serializers.CharField(
        read_only=True,
        help_text=_("FS (finish to start), SS, FF or SF (start to finish)."),
    )
    lag = serializers.IntegerField(read_only=True, help_text=_("Working days; negative: a lead."))


def plan_links(model: type[RegisterItem]) -> list[str]:
    """[`task_link`] for a register whose items the plan can record (dependencies)."""
    return [r.name for r in model._meta.related_objects if r.one_to_one and r.name == PLAN_LINK]


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def own_fields(model: type[RegisterItem]) -> list[models.Field[Any, Any]]:
    """The register's own fields, in model order (the shared base's fields left out)."""
    generic = {
        name
        for f in model._meta.private_fields
        if isinstance(f, GenericForeignKey)
        for name in (f.ct_field, f.fk_field)
    }
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _BASE_FIELDS and f.name not in generic
    ]


def generic_sources(model: type[RegisterItem]) -> list[str]:
    """Names of the model's generic foreign keys (an action's `source`)."""
    return [f.name for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def related_paths(model: type[RegisterItem]) -> list[str]:
    """`select_related` paths that load everything an item's representation shows."""
    paths = ["project", "programme", "owner", "created_by", *plan_links(model)]
    for field in own_fields(model):
        if field.is_relation:
            paths.append(field.name)
            if issubclass(cast(type[models.Model], field.related_model), RegisterItem):
                paths += [f"{field.name}__project", f"{field.name}__programme"]
    return paths


@functools.cache
def item_serializer(model: type[RegisterItem]) -> type[RegisterItemSerializer]:
    """The serializer of one register: the shared base plus the model's own fields."""
    own = own_fields(model)
    attrs: dict[str, Any] = {f.name: _relation_field(f) for f in own if f.is_relation}
    attrs["status"] = status_field(model, required=False)
    sources = generic_sources(model)
    for name in sources:
        attrs[name] = SourceField(
            required=False,
            allow_null=True,
            help_text=_("The item this one came from, as {kind, id}; set on creation only."),
        )
    linked = plan_links(model)
    for name in linked:
        attrs[name] = PlanLinkSerializer(
            read_only=True,
            allow_null=True,
            help_text=_("Where the plans record this dependency: null while it is not there."),
        )
    fields = [*COMMON_HEAD, *(f.name for f in own), *sources, *linked, *COMMON_TAIL]
    attrs["Meta"] = type("Meta", (RegisterItemSerializer.Meta,), {"model": model, "fields": fields})
    attrs["__module__"] = __name__
    attrs["__doc__"] = _first_line(model.__doc__) + " It belongs to a project or a programme."
    return cast(
        type[RegisterItemSerializer],
        type(f"{model.__name__}Serializer", (RegisterItemSerializer,), attrs),
    )


@functools.cache
def item_update_serializer(model: type[RegisterItem]) -> type[RegisterItemSerializer]:
    """A change to an item of one register, from the `version` it started from."""
    base = item_serializer(model)
    attrs: dict[str, Any] = {
        "project": serializers.PrimaryKeyRelatedField(read_only=True),
        "programme": serializers.PrimaryKeyRelatedField(read_only=True),
        "refused_hints": {
            **RegisterItemSerializer.refused_hints,
            "project": SCOPE_HINT,
            "programme": SCOPE_HINT,
            **dict.fromkeys(generic_sources(model), SOURCE_HINT),
        },
        "__module__": __name__,
        "__doc__": f"A change to one item ({model._meta.verbose_name}), from the version it "
        "started from; the item stays in its project or programme.",
    }
    for name in generic_sources(model):
        attrs[name] = SourceField(read_only=True, allow_null=True)
    return cast(
        type[RegisterItemSerializer],
        type(f"{model.__name__}UpdateSerializer", (VersionedUpdateMixin, base), attrs),
    )


class LinkedItemSerializer(PageUrlMixin, serializers.Serializer):
    """An item linked to another one: enough to show and open it."""

    kind = serializers.CharField(source="KIND")
    id = serializers.IntegerField()
    ref = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    is_open = serializers.BooleanField()


class VersionSerializer(StrictSerializerMixin, serializers.Serializer):
    """The version the change started from."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version this change started from (see the item).")
    )


@functools.cache
def bulk_serializer(model: type[RegisterItem]) -> type[serializers.Serializer]:
    """What a bulk change of one register takes: ids, and a new owner, status or due shift."""

    class BulkSerializer(StrictSerializerMixin, serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
        )
        owner = UserRefField(required=False, help_text=_("Assign every item to this person."))
        status = status_field(model, required=False, help_text=_("Give every item this status."))
        shift_days = serializers.IntegerField(
            min_value=-3650,
            max_value=3650,
            required=False,
            help_text=_("Move the due date by this many days (items without one stay)."),
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if not any(attrs.get(name) for name in ("owner", "status", "shift_days")):
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Say what to change: owner, status or shift_days.")]}
                )
            return attrs

    BulkSerializer.__name__ = BulkSerializer.__qualname__ = f"{model.__name__}BulkSerializer"
    BulkSerializer.__doc__ = f"A change to many {model._meta.verbose_name_plural} at once."
    return BulkSerializer


class BulkErrorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    detail = serializers.ListField(child=serializers.CharField())


class BulkResultSerializer(serializers.Serializer):
    """What a bulk change did: how many items changed, stayed the same or were refused."""

    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    # Only ever used to write an answer, so naming a field like `Serializer.errors` is safe.
    errors = BulkErrorSerializer(  # type: ignore[assignment]
        many=True, help_text=_("Why each refused item was refused.")
    )


# Comments -------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    """A comment on an item, with the people it mentions."""

    author = UserSummarySerializer(read_only=True, allow_null=True)
    mentions = UserSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "mentions", "created_at", "edited_at"]
        read_only_fields = fields


class CommentCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    """A new comment; `@username` mentions a person who can see the item."""

    body = serializers.CharField(max_length=10000, help_text=_("Markdown; @username mentions."))


# Configuration --------------------------------------------------------------------


class RiskScaleLevelSerializer(serializers.ModelSerializer):
    """One step of the probability or impact scale, with labels in both languages."""

    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        read_only=True, help_text=_("The label in your language.")
    )

    class Meta:
        model = RiskScaleLevel
        fields = ["axis", "value", "label", "label_en", "label_nl", "description"]
        read_only_fields = fields


class RiskCategorySerializer(serializers.ModelSerializer):
    """A risk category; inactive ones stay on old risks but take no new ones."""

    name = serializers.CharField(read_only=True, help_text=_("The name in your language."))

    class Meta:
        model = RiskCategory
        fields = ["id", "name", "name_en", "name_nl", "position", "active"]
        read_only_fields = fields
