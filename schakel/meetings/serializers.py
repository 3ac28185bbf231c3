"""API representations of meetings: series, meetings, agenda items, attendance, outcomes,
sessions, and the bodies of the meeting's actions.

The conventions of the rest of the API hold (see `schakel.portfolio.serializers`): one
serializer to read and create, an `...UpdateSerializer` that requires the `version` an
edit started from, fields a caller may not set refused with 400, and objects named in a
body reachable only when the caller may see them (a hidden one reads "does not exist",
exactly like a missing one). Meetings add one rule: the people named in a meeting (chair,
minute taker, invitees, presenters, hosts) must hold a role in its scope, so nobody is
invited to a meeting they could not open.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schakel.accounts.models import User
from schakel.accounts.serializers import StrictSerializerMixin, UserSummarySerializer
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.portfolio.serializers import (
    VERSION_HINT,
    PageUrlMixin,
    UserRefField,
    VersionedUpdateMixin,
    VisibleRelatedField,
)
from schakel.registers import access as register_access
from schakel.registers.models import Action, RegisterItem
from schakel.registers.serializers import (
    LinkedItemSerializer,
    StatusField,
    item_serializer,
    status_field,
)

from . import access
from .models import (
    AgendaItem,
    AgendaLink,
    Attendance,
    EventSession,
    Kind,
    Meeting,
    MeetingSeries,
    MinutesVersion,
    Outcome,
    Recurrence,
    Registration,
    Standing,
    validate_standard_agenda,
)
from .services import CAPTURE_MODELS

if TYPE_CHECKING:
    RelatedId = serializers.PrimaryKeyRelatedField[Any]

Scope = Portfolio | Programme | Project

SCOPE_FIELDS = ("project", "programme", "portfolio")
SCOPE_HINT = _("A meeting or series stays in its project, programme or portfolio.")
DERIVED_HINT = _("This value is set by the server.")
STATUS_HINT = _("Use the meeting's actions: start, end, cancel, publish or reopen.")
POSITION_HINT = _("Use the meeting's reorder action.")
NOT_IN_SCOPE = _("This person has no role in the meeting's project, programme or portfolio.")
OUTSIDE_SCOPE = _("This is outside the meeting's project, programme or portfolio.")


def named_choice(enum_name: str, choices: Any, **kwargs: Any) -> StatusField:
    """A choice field whose enum has its own name in the schema.

    Several serializers here and in the registers have a `kind` or `status` with different
    choices; named enums keep the schema free of naming collisions (see `StatusField`).
    """
    return StatusField(enum_name=enum_name, choices=choices, **kwargs)


# People and scopes ----------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def refuse_outsiders(
    scope: Scope, people: Mapping[str, Any], *, keep: Iterable[int | None] = ()
) -> None:
    """Refuse (400, per field) people without a role in the scope.

    `keep` are the people already set, who may stay even when they have left since.
    """
    kept = {pk for pk in keep if pk}
    wanted = {name: _as_list(value) for name, value in people.items()}
    ids = {user.pk for users in wanted.values() for user in users} - kept
    if not ids:
        return
    inside = (
        set(access.meeting_people(scope).filter(pk__in=ids).values_list("pk", flat=True)) | kept
    )
    errors = {
        name: [NOT_IN_SCOPE]
        for name, users in wanted.items()
        if any(u.pk not in inside for u in users)
    }
    if errors:
        raise serializers.ValidationError(errors)


def within(meeting: Meeting, scope: Project | Programme | None) -> bool:
    """Whether a project or programme lies within the meeting's scope.

    The same reach as the agenda's standing items: a project meeting covers its project; a
    programme meeting the programme and its projects; a portfolio meeting everything in it.
    """
    if scope is None:
        return False
    if meeting.project_id:
        return isinstance(scope, Project) and scope.pk == meeting.project_id
    if meeting.programme_id:
        if isinstance(scope, Programme):
            return scope.pk == meeting.programme_id
        return scope.programme_id == meeting.programme_id
    if isinstance(scope, Programme):
        return scope.portfolio_id == meeting.portfolio_id
    return scope.programme.portfolio_id == meeting.portfolio_id


def item_within(meeting: Meeting, item: RegisterItem) -> bool:
    """Whether a register item belongs to the meeting's scope (see `within`)."""
    return within(meeting, item.project if item.project_id else item.programme)


def visible_targets(
    user: Any, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], RegisterItem]:
    """The register items named by (content type id, id) that the user may see.

    One query per register among them; items in the trash or out of sight are left out.
    """
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, pk in pairs:
        by_type[type_id].add(pk)
    found: dict[tuple[int, int], RegisterItem] = {}
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not issubclass(model, RegisterItem):
            continue
        rows = (
            register_access.visible_items(user, model)
            .filter(pk__in=pks)
            .select_related("project", "programme")
        )
        for item in rows:
            found[(type_id, item.pk)] = item
    return found


def agenda_links(user: Any, items: Iterable[AgendaItem]) -> dict[int, list[RegisterItem]]:
    """The register items linked under each agenda item, those the user may see."""
    ids = [item.pk for item in items]
    rows = list(
        AgendaLink.objects.filter(agenda_item_id__in=ids)
        .order_by("pk")
        .values_list("agenda_item_id", "item_type_id", "item_id")
    )
    found = visible_targets(user, ((type_id, pk) for _a, type_id, pk in rows))
    links: dict[int, list[RegisterItem]] = defaultdict(list)
    for agenda_item_id, type_id, pk in rows:
        item = found.get((type_id, pk))
        if item is not None:
            links[agenda_item_id].append(item)
    return links


def visible_outcomes(user: Any, meeting: Meeting) -> list[Outcome]:
    """The meeting's outcomes whose register item the user may see, each with `target` set."""
    outcomes = list(meeting.outcomes.select_related("created_by").order_by("pk"))
    found = visible_targets(user, ((o.item_type_id, o.item_id) for o in outcomes))
    kept = []
    for outcome in outcomes:
        item = found.get((outcome.item_type_id, outcome.item_id))
        if item is not None:
            outcome.target = item  # type: ignore[attr-defined]
            kept.append(outcome)
    return kept


def _absolute(serializer: serializers.Field | serializers.BaseSerializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# Shared fields --------------------------------------------------------------------------


class MeetingAgendaItemField(serializers.PrimaryKeyRelatedField):
    """An agenda item of the meeting in the URL, by id; one of another meeting does not exist."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("queryset", AgendaItem.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[AgendaItem]:
        meeting = self.context.get("meeting")
        if meeting is None:
            return AgendaItem.objects.none()
        return AgendaItem.objects.filter(meeting=meeting)


class ScopeFieldsMixin(serializers.Serializer):
    """Where a series or meeting belongs: exactly one of project, programme or portfolio."""

    project: RelatedId = VisibleRelatedField(
        queryset=Project.objects.all(),
        visible=portfolio_access.visible_projects,
        required=False,
        allow_null=True,
        help_text=_("The project (or give a programme or a portfolio)."),
    )
    programme: RelatedId = VisibleRelatedField(
        queryset=Programme.objects.all(),
        visible=register_access.programmes_with_role,
        required=False,
        allow_null=True,
        help_text=_("The programme (instead of a project)."),
    )
    portfolio: RelatedId = VisibleRelatedField(
        queryset=Portfolio.objects.all(),
        visible=access.portfolios_with_role,
        required=False,
        allow_null=True,
        help_text=_("The portfolio (instead of a project or programme)."),
    )
    scope_kind = serializers.ChoiceField(
        choices=["portfolio", "programme", "project"], read_only=True
    )
    scope_name = serializers.SerializerMethodField(
        help_text=_("The name of the project, programme or portfolio.")
    )

    def get_scope_name(self, obj: Meeting | MeetingSeries) -> str:
        return str(obj.scope)


def given_scopes(attrs: Mapping[str, Any]) -> list[str]:
    return [name for name in SCOPE_FIELDS if attrs.get(name)]


def pop_scope(data: dict[str, Any]) -> Scope | None:
    """Take the scope out of validated data (the fields not given are dropped too)."""
    found: Scope | None = None
    for name in SCOPE_FIELDS:
        value = data.pop(name, None)
        found = found or value
    return found


class AgendaEntrySerializer(StrictSerializerMixin, serializers.Serializer):
    """One item of a standard agenda (or of a new meeting's agenda)."""

    title = serializers.CharField(max_length=300)
    minutes = serializers.IntegerField(
        min_value=0, max_value=24 * 60, required=False, help_text=_("The time box in minutes.")
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    standing = named_choice(
        "StandingEnum",
        Standing.choices,
        required=False,
        allow_blank=True,
        help_text=_("A standing item is filled in when the agenda is prepared."),
    )


def agenda_entries(value: Iterable[Mapping[str, Any]], field: str) -> list[dict[str, Any]]:
    """Plain dicts of agenda entries, checked by the model's own rule."""
    entries = [dict(entry) for entry in value]
    try:
        validate_standard_agenda(entries)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({field: exc.messages}) from exc
    return entries


# Series ---------------------------------------------------------------------------------


class MeetingSeriesSerializer(
    StrictSerializerMixin, PageUrlMixin, ScopeFieldsMixin, serializers.ModelSerializer
):
    """A meeting series: a recurring forum with its rhythm, people and standard agenda.

    On create, give exactly one of `project`, `programme` or `portfolio`, where you plan
    meetings (manager or above). The chair, minute taker and invitees must hold a role there.
    """

    refused_hints = {
        "version": VERSION_HINT,
        "created_by": DERIVED_HINT,
        "scope_kind": DERIVED_HINT,
        "scope_name": DERIVED_HINT,
    }

    kind = named_choice("MeetingKindEnum", Kind.choices)
    recurrence = named_choice("RecurrenceEnum", Recurrence.choices, required=False)
    chair = UserRefField(required=False, allow_null=True)
    minute_taker = UserRefField(required=False, allow_null=True)
    invitees = UserRefField(many=True, required=False)
    standard_agenda = AgendaEntrySerializer(many=True, required=False)
    created_by = UserRefField(read_only=True, allow_null=True)

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "scope_kind",
            "scope_name",
            "project",
            "programme",
            "portfolio",
            "chair",
            "minute_taker",
            "invitees",
            "recurrence",
            "first_date",
            "start_time",
            "duration",
            "location",
            "online_url",
            "standard_agenda",
            "version",
            "url",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None:
            scopes = given_scopes(attrs)
            if len(scopes) != 1:
                raise serializers.ValidationError(
                    {
                        "non_field_errors": [
                            _("Give exactly one of project, programme or portfolio.")
                        ]
                    }
                )
            scope = attrs[scopes[0]]
            keep: list[int | None] = []
        else:
            series = cast(MeetingSeries, self.instance)
            scope = series.scope
            keep = [series.chair_id, series.minute_taker_id]
            if "invitees" in attrs:
                keep += list(series.invitees.values_list("pk", flat=True))
        refuse_outsiders(
            scope,
            {n: attrs[n] for n in ("chair", "minute_taker", "invitees") if n in attrs},
            keep=keep,
        )
        if "standard_agenda" in attrs:
            attrs["standard_agenda"] = agenda_entries(attrs["standard_agenda"], "standard_agenda")
        return attrs


class MeetingSeriesUpdateSerializer(VersionedUpdateMixin, MeetingSeriesSerializer):
    """A change to a series, from the `version` it started from; it stays in its scope.

    Meetings already planned keep their own details.
    """

    refused_hints = {
        **MeetingSeriesSerializer.refused_hints,
        **dict.fromkeys(SCOPE_FIELDS, SCOPE_HINT),
    }

    project: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    portfolio: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)


class PlanSerializer(StrictSerializerMixin, serializers.Serializer):
    """How many of the series' next meetings to create."""

    count = serializers.IntegerField(min_value=1, max_value=52, default=1)


# Agenda ---------------------------------------------------------------------------------


class AgendaItemSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """An agenda item: title, presenter and time box; its `notes` are the minutes of the item.

    `links` are the register items to discuss under it (those you may see).
    """

    refused_hints = {
        "version": VERSION_HINT,
        "position": POSITION_HINT,
        "meeting": _("An agenda item stays in its meeting."),
        "links": _("Use the agenda item's links endpoint."),
    }

    meeting: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    presenter = UserRefField(required=False, allow_null=True)
    standing = named_choice("StandingEnum", Standing.choices, required=False, allow_blank=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "presenter",
            "minutes",
            "description",
            "standing",
            "notes",
            "links",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["position"]

    @extend_schema_field(LinkedItemSerializer(many=True))
    def get_links(self, obj: AgendaItem) -> Any:
        links = self.context.get("links")
        if links is None:
            links = agenda_links(self.context["request"].user, [obj])
        return LinkedItemSerializer(links.get(obj.pk, []), many=True, context=self.context).data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        item = cast(AgendaItem | None, self.instance)
        meeting = item.meeting if item is not None else self.context["meeting"]
        if "presenter" in attrs:
            keep = [item.presenter_id] if item is not None else []
            refuse_outsiders(meeting.scope, {"presenter": attrs["presenter"]}, keep=keep)
        return attrs


class AgendaItemUpdateSerializer(VersionedUpdateMixin, AgendaItemSerializer):
    """A change to an agenda item (notes included), from the `version` it started from."""


class ReorderSerializer(StrictSerializerMixin, serializers.Serializer):
    """The new order of the agenda: every agenda item's id, once."""

    order = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=500)


class GotoSerializer(StrictSerializerMixin, serializers.Serializer):
    """The agenda item the meeting moves to; null leaves the agenda."""

    agenda_item = MeetingAgendaItemField(allow_null=True)


# Attendance -----------------------------------------------------------------------------


class AttendanceSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """Who was invited and who came: a person (`user`) or a guest (`name`, `email`).

    A guest's e-mail address is shown only to those who run the meeting.
    """

    refused_hints = {"invited": DERIVED_HINT, "display_name": DERIVED_HINT}

    meeting: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    user = UserRefField(required=False, allow_null=True)
    display_name = serializers.CharField(read_only=True)
    name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text=_("A guest's name.")
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text=_("A guest's e-mail address.")
    )
    invited = serializers.BooleanField(read_only=True)
    status = named_choice("AttendanceStatusEnum", Attendance.Status.choices, required=False)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "user", "display_name", "name", "email", "invited", "status"]
        validators: list[Any] = []

    def to_representation(self, instance: Attendance) -> Any:
        data = super().to_representation(instance)
        if instance.user_id is not None or not self.context.get("can_run"):
            data["email"] = ""
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        user = attrs.get("user")
        name = (attrs.get("name") or "").strip()
        if (user is None) == (not name):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either a person (user) or a guest's name.")]}
            )
        if user is not None:
            if attrs.get("email"):
                raise serializers.ValidationError(
                    {"email": [_("Only a guest's e-mail address is recorded here.")]}
                )
            refuse_outsiders(self.context["meeting"].scope, {"user": user})
        return attrs


class AttendanceUpdateSerializer(AttendanceSerializer):
    """A change of attendance: present, absent, excused, ..."""

    refused_hints = {
        **AttendanceSerializer.refused_hints,
        "user": _("Remove this row and invite the other person."),
        "name": _("Remove this row and add the guest again."),
        "email": _("Remove this row and add the guest again."),
    }

    user = UserRefField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)  # type: ignore[assignment]
    status = named_choice("AttendanceStatusEnum", Attendance.Status.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # PATCH skips required fields, and the status is all there is to change.
        if "status" not in attrs:
            raise serializers.ValidationError(
                {"status": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


# Outcomes -------------------------------------------------------------------------------


class OutcomeItemSerializer(LinkedItemSerializer):
    """The register item an outcome is about, with its address in the API."""

    api_url = serializers.SerializerMethodField(help_text=_("The item in the API."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj: RegisterItem) -> str:
        return _absolute(self, reverse(f"{obj.KIND}-detail", kwargs={"pk": obj.pk}))


class OutcomeSerializer(serializers.ModelSerializer):
    """A register item created (or updated) in the meeting, under an agenda item."""

    item = OutcomeItemSerializer(source="target", read_only=True)
    role = named_choice("OutcomeRoleEnum", Outcome.Role.choices, read_only=True)
    created_by = UserRefField(read_only=True, allow_null=True)

    class Meta:
        model = Outcome
        fields = ["id", "kind", "role", "note", "agenda_item", "item", "created_by", "created_at"]
        read_only_fields = fields


def _capture_kinds() -> list[tuple[str, str]]:
    return [(kind, str(model._meta.verbose_name)) for kind, model in CAPTURE_MODELS.items()]


@functools.cache
def capture_serializer(model: type[RegisterItem]) -> type[serializers.ModelSerializer]:
    """What capturing one register's item in a meeting takes: the register's own fields
    (as its API takes them), plus `kind` and the `agenda_item` it came up under.

    The project or programme must lie within the meeting's scope.
    """
    base = item_serializer(model)

    def validate(self: Any, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = base.validate(self, attrs)
        name = given_scopes(attrs)[0]
        if not within(self.context["meeting"], attrs[name]):
            raise serializers.ValidationError({name: [OUTSIDE_SCOPE]})
        return attrs

    attrs: dict[str, Any] = {
        "kind": named_choice(
            "CaptureKindEnum", _capture_kinds(), help_text=_("The register to capture into.")
        ),
        "agenda_item": MeetingAgendaItemField(
            required=False,
            allow_null=True,
            help_text=_("The agenda item it came up under (an item of this meeting)."),
        ),
        "validate": validate,
        "Meta": type("Meta", (base.Meta,), {"fields": ["agenda_item", *base.Meta.fields]}),
        "__module__": __name__,
        "__doc__": f"Capture {model._meta.verbose_name} in the meeting, in a project or "
        "programme of the meeting's scope.",
    }
    return cast(
        type[serializers.ModelSerializer],
        type(f"{model.__name__}CaptureSerializer", (base,), attrs),
    )


def _visible_actions(user: Any) -> QuerySet[Action]:
    return register_access.visible_items(user, Action)


class ActionReviewSerializer(StrictSerializerMixin, serializers.Serializer):
    """Mark an action from an earlier meeting done (or another status), or re-plan it.

    Give the `version` of the action you looked at; the change is recorded as an outcome of
    this meeting.
    """

    action: RelatedId = VisibleRelatedField(
        queryset=Action.objects.all(), visible=_visible_actions, help_text=_("The action's id.")
    )
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version of the action this change started from.")
    )
    status = status_field(Action, required=False)
    due = serializers.DateField(required=False)
    agenda_item = MeetingAgendaItemField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "status" not in attrs and "due" not in attrs:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Say what changed: status or due.")]}
            )
        if not item_within(self.context["meeting"], attrs["action"]):
            raise serializers.ValidationError({"action": [OUTSIDE_SCOPE]})
        return attrs


# Events ---------------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    """A person's place in a session."""

    user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "session", "user", "created_at"]
        read_only_fields = fields


class EventSessionSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """A parallel session of an event (a workshop): room, host, capacity and who registered."""

    refused_hints = {
        "position": _("New sessions go last."),
        "meeting": _("A session stays in its event."),
        "registered": DERIVED_HINT,
        "places_left": DERIVED_HINT,
        "registrations": _("Use the session's register and unregister actions."),
    }

    meeting: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    host = UserRefField(required=False, allow_null=True)
    registered = serializers.SerializerMethodField(help_text=_("How many people registered."))
    places_left = serializers.SerializerMethodField(
        help_text=_("Places still free; null when there is no limit.")
    )
    registrations = serializers.SerializerMethodField()

    class Meta:
        model = EventSession
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "description",
            "room",
            "host",
            "capacity",
            "start",
            "end",
            "registered",
            "places_left",
            "registrations",
        ]
        read_only_fields = ["position"]

    def _people(self, obj: EventSession) -> list[User]:
        return [registration.user for registration in obj.registrations.all()]

    def get_registered(self, obj: EventSession) -> int:
        return len(self._people(obj))

    def get_places_left(self, obj: EventSession) -> int | None:
        if obj.capacity is None:
            return None
        return max(obj.capacity - len(self._people(obj)), 0)

    @extend_schema_field(UserSummarySerializer(many=True))
    def get_registrations(self, obj: EventSession) -> Any:
        return UserSummarySerializer(self._people(obj), many=True, context=self.context).data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        session = cast(EventSession | None, self.instance)
        meeting = session.meeting if session is not None else self.context["meeting"]
        if "host" in attrs:
            keep = [session.host_id] if session is not None else []
            refuse_outsiders(meeting.scope, {"host": attrs["host"]}, keep=keep)
        start = attrs.get("start", session.start if session is not None else None)
        end = attrs.get("end", session.end if session is not None else None)
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end": [_("The session must end after it starts.")]})
        return attrs


class SessionRegisterSerializer(StrictSerializerMixin, serializers.Serializer):
    """Whom to (un)register: yourself, or (if you run the event) someone of its scope."""

    user = UserRefField(required=False, help_text=_("Leave out to register yourself."))


# Minutes --------------------------------------------------------------------------------


class MinutesVersionSerializer(serializers.ModelSerializer):
    """A published version of the minutes, frozen as it was sent, with its downloads."""

    published_by = UserRefField(read_only=True, allow_null=True)
    docx = serializers.SerializerMethodField(help_text=_("This version as a Word document."))
    pdf = serializers.SerializerMethodField(help_text=_("This version as a PDF."))

    class Meta:
        model = MinutesVersion
        fields = ["number", "published_at", "published_by", "sent_at", "sent_to", "docx", "pdf"]
        read_only_fields = fields

    def _download(self, obj: MinutesVersion, name: str) -> str:
        path = reverse(name, kwargs={"pk": obj.meeting_id})
        return _absolute(self, f"{path}?version={obj.number}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_docx(self, obj: MinutesVersion) -> str:
        return self._download(obj, "meeting-minutes-docx")

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, obj: MinutesVersion) -> str:
        return self._download(obj, "meeting-minutes-pdf")


class PublishSerializer(StrictSerializerMixin, serializers.Serializer):
    """Publishing: the meeting's version the publisher read, and whether to e-mail it."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The meeting's version the minutes were checked at.")
    )
    send = serializers.BooleanField(
        default=True,
        help_text=_("E-mail the minutes to everyone invited or present (default: yes)."),
    )


class SendResultSerializer(serializers.Serializer):
    """Which version of the minutes is being sent, and to how many people."""

    number = serializers.IntegerField(read_only=True)
    recipients = serializers.IntegerField(read_only=True)


class MinutesVersionChoiceField(serializers.Field):
    """A published version's number, or "draft"."""

    default_error_messages = {"invalid": _('Give a version number or "draft".')}

    def to_internal_value(self, data: Any) -> int | str:
        text = str(data).strip()
        if text == "draft":
            return text
        if text.isdigit() and 0 < len(text) < 7 and int(text) > 0:
            return int(text)
        self.fail("invalid")
        return ""  # not reached: fail() raises

    def to_representation(self, value: Any) -> Any:
        return value


class MinutesQuerySerializer(serializers.Serializer):
    """Which minutes to download: a published version (default: the latest) or the draft."""

    version = MinutesVersionChoiceField(required=False)


# Meetings -------------------------------------------------------------------------------

MEETING_FIELDS = [
    "id",
    "series",
    "kind",
    "title",
    "status",
    "scope_kind",
    "scope_name",
    "project",
    "programme",
    "portfolio",
    "start",
    "end",
    "duration_minutes",
    "location",
    "online_url",
    "chair",
    "minute_taker",
    "invitees",
    "agenda",
    "summary",
    "current_item",
    "current_item_started_at",
    "started_at",
    "ended_at",
    "agenda_prepared_at",
    "uid",
    "sequence",
    "version",
    "url",
    "created_by",
    "created_at",
    "updated_at",
]


class MeetingSerializer(
    StrictSerializerMixin, PageUrlMixin, ScopeFieldsMixin, serializers.ModelSerializer
):
    """A meeting: when, where, who, and how far it got.

    On create, give exactly one of `project`, `programme` or `portfolio` (manager or above
    there), or a `series`, whose scope, kind, title, invitees and standard agenda it takes.
    """

    refused_hints = {
        "version": VERSION_HINT,
        "status": STATUS_HINT,
        "current_item": _("Use the meeting's goto action."),
        **dict.fromkeys(
            (
                "created_by",
                "uid",
                "sequence",
                "duration_minutes",
                "started_at",
                "ended_at",
                "current_item_started_at",
                "agenda_prepared_at",
                "scope_kind",
                "scope_name",
            ),
            DERIVED_HINT,
        ),
    }

    series: RelatedId = VisibleRelatedField(
        queryset=MeetingSeries.objects.all(),
        visible=access.visible_series,
        required=False,
        allow_null=True,
        help_text=_("The series the meeting belongs to, if any."),
    )
    kind = named_choice("MeetingKindEnum", Kind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    status = named_choice("MeetingStatusEnum", Meeting.Status.choices, read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    chair = UserRefField(required=False, allow_null=True)
    minute_taker = UserRefField(required=False, allow_null=True)
    invitees = UserRefField(
        many=True,
        required=False,
        write_only=True,
        help_text=_(
            "People to invite, on creation (later: the attendance endpoint). From a series, "
            "its invitees unless given."
        ),
    )
    agenda = AgendaEntrySerializer(
        many=True,
        required=False,
        write_only=True,
        help_text=_("The agenda to start with, on creation. From a series, its standard agenda."),
    )
    current_item: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    created_by = UserRefField(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            meeting = cast(Meeting, self.instance)
            refuse_outsiders(
                meeting.scope,
                {n: attrs[n] for n in ("chair", "minute_taker") if n in attrs},
                keep=[meeting.chair_id, meeting.minute_taker_id],
            )
            return attrs
        scopes = given_scopes(attrs)
        series: MeetingSeries | None = attrs.get("series")
        if series is not None:
            if scopes and (scopes != [series.scope_kind] or attrs[scopes[0]] != series.scope):
                raise serializers.ValidationError(
                    {
                        "series": [
                            _("This series belongs to another project, programme or portfolio.")
                        ]
                    }
                )
            attrs[series.scope_kind] = series.scope
            attrs.setdefault("kind", series.kind)
            attrs.setdefault("title", series.title)
        elif len(scopes) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Give exactly one of project, programme or portfolio, or a series.")
                    ]
                }
            )
        missing = {
            name: [serializers.Field.default_error_messages["required"]]
            for name in ("kind", "title")
            if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        scope = attrs[series.scope_kind if series is not None else scopes[0]]
        refuse_outsiders(
            scope, {n: attrs[n] for n in ("chair", "minute_taker", "invitees") if n in attrs}
        )
        if "agenda" in attrs:
            attrs["agenda"] = agenda_entries(attrs["agenda"], "agenda")
        return attrs


class MeetingUpdateSerializer(VersionedUpdateMixin, MeetingSerializer):
    """A change to a meeting, from the `version` it started from.

    Rescheduling (time, place, people, title) is for managers; the chair and the minute
    taker may change the `summary`. A change of time or place raises the calendar SEQUENCE.
    """

    refused_hints = {
        **MeetingSerializer.refused_hints,
        **dict.fromkeys(SCOPE_FIELDS, SCOPE_HINT),
        "series": _("A meeting stays in its series."),
    }

    project: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    programme: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    portfolio: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True)
    series: RelatedId = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    kind = named_choice("MeetingKindEnum", Kind.choices, required=False)
    invitees = None  # type: ignore[assignment]
    agenda = None  # type: ignore[assignment]

    class Meta(MeetingSerializer.Meta):
        fields = [f for f in MEETING_FIELDS if f not in ("invitees", "agenda")]


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its agenda (and what is linked under it), attendance, outcomes,
    sessions and published minutes; `can_run` and `can_plan` say what you may change."""

    agenda_items = AgendaItemSerializer(source="agenda", many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    outcomes = serializers.SerializerMethodField()
    sessions = EventSessionSerializer(many=True, read_only=True)
    minutes_versions = MinutesVersionSerializer(many=True, read_only=True)
    can_run = serializers.SerializerMethodField(
        help_text=_("Whether you may change the agenda, attendance and minutes.")
    )
    can_plan = serializers.SerializerMethodField(
        help_text=_("Whether you may reschedule, cancel or delete the meeting.")
    )

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MEETING_FIELDS,
            "agenda_items",
            "attendance",
            "outcomes",
            "sessions",
            "minutes_versions",
            "can_run",
            "can_plan",
        ]

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcomes(self, obj: Meeting) -> Any:
        outcomes = self.context.get("outcomes")
        if outcomes is None:
            outcomes = visible_outcomes(self.context["request"].user, obj)
        return OutcomeSerializer(outcomes, many=True, context=self.context).data

    def get_can_run(self, obj: Meeting) -> bool:
        return bool(self.context.get("can_run"))

    def get_can_plan(self, obj: Meeting) -> bool:
        return bool(self.context.get("can_plan"))
