"""API endpoints of meetings: series, meetings, and what belongs to a meeting.

`/api/v1/meeting-series/` and `/api/v1/meetings/` with their actions (plan; cancel, start,
goto, end, prepare, publish, reopen, reorder; the minutes as DOCX/PDF and the invitation as
ICS). A meeting's agenda, attendance, outcomes and sessions are listed and added under the
meeting (`/meetings/{id}/agenda-items/`, ...) and changed at their own address
(`/agenda-items/{id}/`, `/attendance/{id}/`, `/sessions/{id}/`).

Reads go through `access` (a hidden meeting answers 404, exactly like a missing one),
changes through `services`. Managers and above plan: series, meetings, rescheduling,
cancelling, the trash. The chair and the minute taker (member or above) run the meeting:
agenda, attendance, outcomes, minutes. Too low a role answers 403.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, ValidationError

from schakel.lib.filters import IdFilter
from schakel.portfolio.serializers import conflict_serializer
from schakel.portfolio.services import tags_from_names
from schakel.registers import access as register_access
from schakel.registers.models import Action, RegisterItem
from schakel.registers.serializers import (
    ItemPointerSerializer,
    LinkedItemSerializer,
    VersionSerializer,
    item_serializer,
    visible_item,
)

from . import access, downloads, mail, services
from .filters import MAX_DAY, MIN_DAY, MeetingFilter
from .minutes import minutes_publish, minutes_reopen
from .models import (
    AgendaItem,
    Attendance,
    EventSession,
    Kind,
    Meeting,
    MeetingSeries,
    MinutesVersion,
    Registration,
)
from .serializers import (
    OUTSIDE_SCOPE,
    ActionReviewSerializer,
    AgendaItemSerializer,
    AgendaItemUpdateSerializer,
    AttendanceSerializer,
    AttendanceUpdateSerializer,
    EventSessionSerializer,
    GotoSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingSeriesSerializer,
    MeetingSeriesUpdateSerializer,
    MeetingUpdateSerializer,
    MinutesQuerySerializer,
    MinutesVersionSerializer,
    OutcomeSerializer,
    PlanSerializer,
    PublishSerializer,
    RegistrationSerializer,
    ReorderSerializer,
    SendResultSerializer,
    SessionRegisterSerializer,
    agenda_links,
    capture_serializer,
    item_within,
    pop_scope,
    refuse_outsiders,
    visible_outcomes,
)

UPDATES = ("update", "partial_update")
RUN = "run"
PLAN = "plan"

_series_conflict = conflict_serializer("MeetingSeries", MeetingSeriesSerializer)
_meeting_conflict = conflict_serializer("Meeting", MeetingSerializer)
_agenda_conflict = conflict_serializer("AgendaItem", AgendaItemSerializer)
_action_conflict = conflict_serializer("Action", item_serializer(Action))


def _pk(value: Any) -> int:
    """An id from the URL; the route only lets digits through, but not how many."""
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


# Series ---------------------------------------------------------------------------------


class SeriesFilter(django_filters.FilterSet):
    """Filter series: `?project=&programme=&portfolio=&kind=` (a programme includes its
    projects' series, a portfolio everything in it)."""

    project = IdFilter(field_name="project_id", label=_("Project"))
    programme = IdFilter(method="in_programme", label=_("Programme"))
    portfolio = IdFilter(method="in_portfolio", label=_("Portfolio"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))

    class Meta:
        model = MeetingSeries
        fields: list[str] = []

    def in_programme(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(Q(programme_id=value) | Q(project__programme_id=value))

    def in_portfolio(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(
            Q(portfolio_id=value)
            | Q(programme__portfolio_id=value)
            | Q(project__programme__portfolio_id=value)
        )


@extend_schema_view(
    list=extend_schema(summary=_("List the meeting series you may see")),
    create=extend_schema(
        summary=_("Create a series in a project, programme or portfolio (manager or above)")
    ),
    update=extend_schema(
        request=MeetingSeriesUpdateSerializer,
        responses={200: MeetingSeriesUpdateSerializer, 409: _series_conflict},
    ),
    partial_update=extend_schema(
        request=MeetingSeriesUpdateSerializer,
        responses={200: MeetingSeriesUpdateSerializer, 409: _series_conflict},
    ),
    destroy=extend_schema(
        summary=_("Move the series to the trash (its meetings stay)"), responses={204: None}
    ),
)
class MeetingSeriesViewSet(viewsets.ModelViewSet):
    """Meeting series: recurring forums with a rhythm, people and a standard agenda."""

    serializer_class = MeetingSeriesSerializer
    filterset_class = SeriesFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[MeetingSeries]:
        return (
            access.visible_series(self.request.user)
            .select_related(
                "project", "programme", "portfolio", "chair", "minute_taker", "created_by"
            )
            .prefetch_related("invitees")
            .order_by("title", "pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in UPDATES:
            return MeetingSeriesUpdateSerializer
        if self.action == "plan":
            return PlanSerializer
        return MeetingSeriesSerializer

    def get_object(self) -> MeetingSeries:
        edit = self.action in (*UPDATES, "destroy", "plan")
        return access.series_for_user(self.request.user, _pk(self.kwargs["pk"]), edit=edit)

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        scope = pop_scope(data)
        assert scope is not None  # the serializer asks for exactly one
        if not access.can_plan(self.request.user, scope):
            raise PermissionDenied
        with transaction.atomic():
            serializer.instance = services.series_create(
                scope=scope, by=self.request.user, invitees=data.pop("invitees", []), **data
            )

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version")
        serializer.instance = services.series_update(
            series=cast(MeetingSeries, serializer.instance),
            version=version,
            by=self.request.user,
            invitees=data.pop("invitees", None),
            **data,
        )

    def perform_destroy(self, instance: MeetingSeries) -> None:
        services.trash(obj=instance, by=self.request.user)

    @extend_schema(
        request=PlanSerializer,
        responses={201: MeetingSerializer(many=True)},
        summary=_("Create the series' next meetings, each with the standard agenda"),
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def plan(self, request: Request, pk: Any = None) -> Response:
        series = self.get_object()
        body = PlanSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        meetings = services.series_plan(
            series=series, by=request.user, count=body.validated_data["count"]
        )
        data = MeetingSerializer(meetings, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


# Meetings -------------------------------------------------------------------------------


class MeetingApiFilter(MeetingFilter):
    """The meeting list's filters (as on the pages), plus `start_after` and `start_before`
    as exact instants (ISO 8601; without an offset, in your time zone)."""

    start_after = django_filters.IsoDateTimeFilter(method="after", label=_("Starts at or after"))
    start_before = django_filters.IsoDateTimeFilter(method="before", label=_("Starts before"))

    def _bounded(
        self, queryset: QuerySet[Meeting], lookup: str, value: datetime.datetime | None
    ) -> QuerySet[Meeting]:
        # Years near 1 or 9999 overflow once moved to UTC: such a bound bounds nothing.
        if value is None or not MIN_DAY <= value.date() <= MAX_DAY:
            return queryset
        return queryset.filter(**{f"start__{lookup}": value})

    def after(
        self, queryset: QuerySet[Meeting], name: str, value: datetime.datetime | None
    ) -> QuerySet[Meeting]:
        return self._bounded(queryset, "gte", value)

    def before(
        self, queryset: QuerySet[Meeting], name: str, value: datetime.datetime | None
    ) -> QuerySet[Meeting]:
        return self._bounded(queryset, "lt", value)


# What each action needs on the meeting; actions not named only need to see it.
MEETING_NEEDS: dict[str, str] = {
    "update": RUN,
    "partial_update": RUN,
    "destroy": PLAN,
    "cancel": PLAN,
    "start": RUN,
    "goto": RUN,
    "end": RUN,
    "prepare": RUN,
    "publish": RUN,
    "send_minutes": RUN,
    "reopen": RUN,
    "reorder": RUN,
    "action_reviews": RUN,
}
# Lists under a meeting: reading needs to see the meeting, adding needs to run it.
SUBRESOURCES = frozenset({"agenda_items", "attendance", "outcomes", "sessions"})
DOWNLOADS = frozenset({"minutes_docx", "minutes_pdf", "invite_ics"})
# The fields the chair and minute taker may change; the rest is rescheduling (managers).
RUNNER_FIELDS = frozenset({"summary"})

CAPTURE_REQUEST = PolymorphicProxySerializer(
    component_name="OutcomeCapture",
    serializers={
        kind: capture_serializer(model) for kind, model in services.CAPTURE_MODELS.items()
    },
    resource_type_field_name="kind",
)
CAPTURED_ITEM = PolymorphicProxySerializer(
    component_name="CapturedItem",
    serializers={kind: item_serializer(model) for kind, model in services.CAPTURE_MODELS.items()},
    resource_type_field_name="kind",
)
VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    description=_(
        "A published version's number (default: the latest), or `draft` for the minutes as "
        "they stand (the chair, the minute taker and managers, once the meeting started)."
    ),
)


class MeetingContextMixin(viewsets.GenericViewSet):
    """Put the meeting a request is about, and whether the caller runs it, in the context."""

    meeting: Meeting | None = None

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.meeting is not None:
            context["meeting"] = self.meeting
            context["can_run"] = access.can_run(self.request.user, self.meeting)
        return context


@extend_schema_view(
    list=extend_schema(summary=_("List the meetings you may see")),
    create=extend_schema(
        summary=_("Create a meeting in a project, programme or portfolio (manager or above)")
    ),
    retrieve=extend_schema(
        summary=_("A meeting with its agenda, attendance, outcomes, sessions and minutes")
    ),
    update=extend_schema(
        request=MeetingUpdateSerializer,
        responses={200: MeetingUpdateSerializer, 409: _meeting_conflict},
    ),
    partial_update=extend_schema(
        request=MeetingUpdateSerializer,
        responses={200: MeetingUpdateSerializer, 409: _meeting_conflict},
        summary=_("Change a meeting (managers; the chair and minute taker: the summary)"),
    ),
    destroy=extend_schema(
        summary=_("Move the meeting to the trash (manager or above)"), responses={204: None}
    ),
)
class MeetingViewSet(MeetingContextMixin, viewsets.ModelViewSet):
    """Meetings: when, where, who, the agenda, and what came out of them."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingApiFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            access.visible_meetings(self.request.user)
            .select_related(
                "project", "programme", "portfolio", "chair", "minute_taker", "created_by"
            )
            .order_by("-start", "-pk")
        )

    def get_serializer_class(self) -> type[BaseSerializer]:
        # Also what a 409 shows as `current`: the meeting, or the action of a review.
        serializers: dict[str, type[BaseSerializer]] = {
            "retrieve": MeetingDetailSerializer,
            "update": MeetingUpdateSerializer,
            "partial_update": MeetingUpdateSerializer,
            "agenda_items": AgendaItemSerializer,
            "reorder": ReorderSerializer,
            "goto": GotoSerializer,
            "attendance": AttendanceSerializer,
            "outcomes": OutcomeSerializer,
            "sessions": EventSessionSerializer,
            "action_reviews": item_serializer(Action),
        }
        return serializers.get(self.action, MeetingSerializer)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A download answers with its own file type whatever the client accepts; errors
        # are JSON.
        return super().perform_content_negotiation(request, force=force or self.action in DOWNLOADS)

    def get_object(self) -> Meeting:
        need = MEETING_NEEDS.get(self.action)
        if self.action in SUBRESOURCES and self.request.method not in SAFE_METHODS:
            need = RUN
        self.meeting = access.meeting_for_user(
            self.request.user, _pk(self.kwargs["pk"]), run=need == RUN, plan=need == PLAN
        )
        return self.meeting

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        prefetch_related_objects(
            [meeting],
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
            Prefetch("sessions", queryset=_sessions()),
            Prefetch(
                "minutes_versions", queryset=MinutesVersion.objects.select_related("published_by")
            ),
        )
        context = {
            **self.get_serializer_context(),
            "links": agenda_links(request.user, meeting.agenda.all()),
            "outcomes": visible_outcomes(request.user, meeting),
            "can_plan": access.can_plan_meeting(request.user, meeting),
        }
        return Response(MeetingDetailSerializer(meeting, context=context).data)

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        scope = pop_scope(data)
        assert scope is not None  # the serializer asks for a scope or a series
        if not access.can_plan(self.request.user, scope):
            raise PermissionDenied
        with transaction.atomic():
            serializer.instance = services.meeting_create(scope=scope, by=self.request.user, **data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version")
        meeting = cast(Meeting, serializer.instance)
        if set(data) - RUNNER_FIELDS and not access.can_plan_meeting(self.request.user, meeting):
            raise PermissionDenied
        serializer.instance = services.meeting_update(
            meeting=meeting, version=version, by=self.request.user, **data
        )

    def perform_destroy(self, instance: Meeting) -> None:
        services.trash(obj=instance, by=self.request.user)

    def _answer(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data, code
        )

    def _body(self, serializer: type[BaseSerializer], request: Request) -> dict[str, Any]:
        body = serializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    # Running the meeting --------------------------------------------------------------

    @extend_schema(
        request=None,
        responses=MeetingSerializer,
        summary=_("Cancel a planned meeting (manager or above); calendars drop it"),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.meeting_cancel(meeting=self.get_object(), by=request.user))

    @extend_schema(
        request=None,
        responses=MeetingSerializer,
        summary=_("Open the meeting at its first agenda item"),
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.meeting_start(meeting=self.get_object(), by=request.user))

    @extend_schema(
        request=GotoSerializer,
        responses=MeetingSerializer,
        summary=_("Move the running meeting to an agenda item; its time box starts now"),
    )
    @action(detail=True, methods=["post"])
    def goto(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self._body(GotoSerializer, request)
        meeting = services.meeting_goto(meeting=meeting, item=data["agenda_item"], by=request.user)
        return self._answer(meeting)

    @extend_schema(
        request=None,
        responses=MeetingSerializer,
        summary=_("Close the meeting; its minutes become a draft to check and publish"),
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.meeting_end(meeting=self.get_object(), by=request.user))

    # Minutes ----------------------------------------------------------------------------

    @extend_schema(
        request=PublishSerializer,
        responses={201: MinutesVersionSerializer, 409: _meeting_conflict},
        summary=_(
            "Publish the minutes as the next version (give the meeting's version) and, "
            "unless `send` is false, e-mail them"
        ),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self._body(PublishSerializer, request)
        published = minutes_publish(meeting=meeting, version=data["version"], by=request.user)
        if data["send"]:
            mail.queue_minutes(published, by=request.user)
        answer = MinutesVersionSerializer(published, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={202: SendResultSerializer},
        summary=_("E-mail the latest published minutes again to everyone invited or present"),
    )
    @action(detail=True, methods=["post"], url_path="send-minutes")
    def send_minutes(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        latest = meeting.minutes_versions.order_by("-number").first()
        if latest is None:
            raise ValidationError({"detail": _("Publish the minutes first.")})
        count = mail.queue_minutes(latest, by=request.user)
        return Response(
            {"number": latest.number, "recipients": count}, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        request=VersionSerializer,
        responses={200: MeetingSerializer, 409: _meeting_conflict},
        summary=_("Reopen published minutes for a correction (give the meeting's version)"),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self._body(VersionSerializer, request)
        return self._answer(
            minutes_reopen(meeting=meeting, version=data["version"], by=request.user)
        )

    def _minutes(self) -> tuple[Meeting, int | None, bool]:
        """The meeting, the version asked for, and whether the draft is asked for."""
        meeting = self.get_object()
        query = MinutesQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        version = query.validated_data.get("version")
        draft = version == "draft"
        if draft and not access.can_run(self.request.user, meeting):
            raise PermissionDenied
        return meeting, None if draft else version, draft

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={(200, downloads.DOCX): OpenApiTypes.BINARY},
        summary=_("The minutes as a Word document"),
    )
    @action(detail=True, methods=["get"], url_path="minutes.docx", url_name="minutes-docx")
    def minutes_docx(self, request: Request, pk: Any = None) -> HttpResponse:
        meeting, version, draft = self._minutes()
        return downloads.minutes_docx_response(meeting, version, draft=draft)

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={(200, downloads.PDF): OpenApiTypes.BINARY},
        summary=_("The minutes as a PDF"),
    )
    @action(detail=True, methods=["get"], url_path="minutes.pdf", url_name="minutes-pdf")
    def minutes_pdf(self, request: Request, pk: Any = None) -> HttpResponse:
        meeting, version, draft = self._minutes()
        return downloads.minutes_pdf_response(meeting, version, draft=draft)

    @extend_schema(
        responses={(200, downloads.ICS): OpenApiTypes.BINARY},
        summary=_("The meeting's invitation (iCalendar); a cancelled one cancels it"),
    )
    @action(detail=True, methods=["get"], url_path="invite.ics", url_name="invite-ics")
    def invite_ics(self, request: Request, pk: Any = None) -> HttpResponse:
        meeting = self.get_object()
        prefetch_related_objects(
            [meeting],
            "agenda",
            "sessions",
            Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
        )
        return downloads.meeting_ics_response(meeting)

    # Agenda ------------------------------------------------------------------------------

    def _agenda(self, meeting: Meeting) -> Response:
        items = list(meeting.agenda.select_related("presenter").order_by("position", "pk"))
        context = {
            **self.get_serializer_context(),
            "links": agenda_links(self.request.user, items),
        }
        return Response(AgendaItemSerializer(items, many=True, context=context).data)

    @extend_schema(
        methods=["GET"],
        responses=AgendaItemSerializer(many=True),
        summary=_("The meeting's agenda, in order, with the items linked under each"),
    )
    @extend_schema(
        methods=["POST"],
        request=AgendaItemSerializer,
        responses={201: AgendaItemSerializer},
        summary=_("Add an item at the end of the agenda"),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="agenda-items",
        url_name="agenda-items",
        filter_backends=[],
        pagination_class=None,
    )
    def agenda_items(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        if request.method == "POST":
            data = self._body(AgendaItemSerializer, request)
            item = services.agenda_item_add(meeting=meeting, by=request.user, **data)
            answer = AgendaItemSerializer(item, context=self.get_serializer_context()).data
            return Response(answer, status=status.HTTP_201_CREATED)
        return self._agenda(meeting)

    @extend_schema(
        request=ReorderSerializer,
        responses=AgendaItemSerializer(many=True),
        summary=_("Put the agenda in a new order (every item's id, once)"),
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reorder(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self._body(ReorderSerializer, request)
        services.agenda_reorder(meeting=meeting, order=data["order"], by=request.user)
        return self._agenda(meeting)

    @extend_schema(
        request=None,
        responses=AgendaItemSerializer(many=True),
        summary=_("Fill the standing items (previous actions, decisions needed, risks to review)"),
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def prepare(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        services.agenda_prepare(meeting=meeting, by=request.user)
        return self._agenda(meeting)

    # Attendance --------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=AttendanceSerializer(many=True),
        summary=_("Who is invited and who came"),
    )
    @extend_schema(
        methods=["POST"],
        request=AttendanceSerializer,
        responses={201: AttendanceSerializer, 200: AttendanceSerializer},
        summary=_(
            "Invite a person of the meeting's scope (user; 200 if already on the list) or add "
            "a guest (name, email)"
        ),
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def attendance(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            data = self._body(AttendanceSerializer, request)
            user = data.get("user")
            existed = user is not None and meeting.attendance.filter(user=user).exists()
            with transaction.atomic():
                if user is not None:
                    row = services.attendance_invite(meeting=meeting, user=user, by=request.user)
                else:
                    row = services.attendance_add_guest(
                        meeting=meeting,
                        name=data["name"],
                        email=data.get("email", ""),
                        by=request.user,
                    )
                if data.get("status") and data["status"] != row.status:
                    row = services.attendance_set(
                        attendance=row, status=data["status"], by=request.user
                    )
            answer = AttendanceSerializer(row, context=context).data
            return Response(
                answer, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
            )
        rows = meeting.attendance.select_related("user").order_by("pk")
        return Response(AttendanceSerializer(rows, many=True, context=context).data)

    # Outcomes -----------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=OutcomeSerializer(many=True),
        summary=_("What the meeting created or updated in the registers (what you may see)"),
    )
    @extend_schema(
        methods=["POST"],
        request=CAPTURE_REQUEST,
        responses={201: CAPTURED_ITEM},
        summary=_(
            "Capture an action, decision, risk or issue in the registers, born in this "
            "meeting; answers with the item as the registers show it"
        ),
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def outcomes(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            return self._capture(meeting, request, context)
        outcomes = visible_outcomes(request.user, meeting)
        return Response(OutcomeSerializer(outcomes, many=True, context=context).data)

    def _capture(self, meeting: Meeting, request: Request, context: dict[str, Any]) -> Response:
        kind = request.data.get("kind") if hasattr(request.data, "get") else None
        model = services.CAPTURE_MODELS.get(kind) if isinstance(kind, str) else None
        if model is None:
            raise ValidationError({"kind": [_("Choose an action, decision, risk or issue.")]})
        body = capture_serializer(model)(data=request.data, context=context)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("kind")
        agenda_item = data.pop("agenda_item", None)
        scope = data.pop("project", None) or data.pop("programme", None)
        data.pop("programme", None)
        if not register_access.can_contribute_to(request.user, scope):
            raise PermissionDenied
        names = data.pop("tags", None)
        with transaction.atomic():
            item = services.outcome_capture(
                meeting=meeting,
                agenda_item=agenda_item,
                kind=model.KIND,
                scope=scope,
                by=request.user,
                tags=tags_from_names(names) if names is not None else None,
                **data,
            )
        answer = item_serializer(model)(item, context=context).data
        location = request.build_absolute_uri(reverse(f"{model.KIND}-detail", args=[item.pk]))
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        request=ActionReviewSerializer,
        responses={200: item_serializer(Action), 409: _action_conflict},
        summary=_(
            "Mark an action from an earlier meeting done, or re-plan it (give its version); "
            "recorded as an outcome of this meeting"
        ),
    )
    @action(detail=True, methods=["post"], url_path="action-reviews", url_name="action-reviews")
    def action_reviews(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self._body(ActionReviewSerializer, request)
        target = cast(Action, data["action"])
        if not register_access.can_item(request.user, target, register_access.CONTRIBUTE):
            raise PermissionDenied
        with transaction.atomic():
            updated = services.action_review(
                meeting=meeting,
                agenda_item=data.get("agenda_item"),
                action=target,
                version=data["version"],
                by=request.user,
                status=data.get("status"),
                due=data.get("due"),
            )
        answer = item_serializer(Action)(updated, context=self.get_serializer_context()).data
        return Response(answer)

    # Sessions -------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=EventSessionSerializer(many=True),
        summary=_("The event's parallel sessions, with who registered"),
    )
    @extend_schema(
        methods=["POST"],
        request=EventSessionSerializer,
        responses={201: EventSessionSerializer},
        summary=_("Add a session to an event"),
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def sessions(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            data = self._body(EventSessionSerializer, request)
            session = services.session_add(meeting=meeting, by=request.user, **data)
            answer = EventSessionSerializer(session, context=context).data
            return Response(answer, status=status.HTTP_201_CREATED)
        sessions = _sessions().filter(meeting=meeting)
        return Response(EventSessionSerializer(sessions, many=True, context=context).data)


def _sessions() -> QuerySet[EventSession]:
    return EventSession.objects.select_related("host").prefetch_related(
        Prefetch("registrations", queryset=Registration.objects.select_related("user"))
    )


# The rows of a meeting ------------------------------------------------------------------


class MeetingPartViewSet(MeetingContextMixin):
    """Shared plumbing of the rows that belong to a meeting: they are seen with the meeting
    and changed by those who run it."""

    lookup_value_regex = r"\d+"
    model: ClassVar[type[models.Model]]
    update_serializer_class: ClassVar[type[BaseSerializer]]
    # Actions any viewer of the meeting may post to (for themselves).
    open_actions: ClassVar[frozenset[str]] = frozenset()

    def get_queryset(self) -> QuerySet[Any]:
        visible = access.visible_meetings(self.request.user)
        return self.model._default_manager.filter(meeting__in=visible)

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "partial_update":
            return self.update_serializer_class
        return cast(type[BaseSerializer], self.serializer_class)

    def get_object(self) -> Any:
        row = self.get_queryset().filter(pk=_pk(self.kwargs["pk"])).first()
        if row is None:
            raise Http404
        run = self.request.method not in SAFE_METHODS and self.action not in self.open_actions
        self.meeting = access.meeting_for_user(self.request.user, row.meeting_id, run=run)
        row.meeting = self.meeting
        return row

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        body = self.update_serializer_class(
            row, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            row = self.change(row, dict(body.validated_data))
        return Response(
            self.update_serializer_class(row, context=self.get_serializer_context()).data
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def change(self, row: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def remove(self, row: Any) -> None:
        raise NotImplementedError


@extend_schema_view(
    retrieve=extend_schema(summary=_("An agenda item with the items linked under it")),
    partial_update=extend_schema(
        request=AgendaItemUpdateSerializer,
        responses={200: AgendaItemUpdateSerializer, 409: _agenda_conflict},
        summary=_("Change an agenda item or its notes (give its version)"),
    ),
    destroy=extend_schema(
        summary=_("Remove an agenda item (not once items were captured under it)"),
        responses={204: None},
    ),
)
class AgendaItemViewSet(MeetingPartViewSet):
    """Agenda items of the meetings you may see; the chair, minute taker and managers change
    them."""

    model = AgendaItem
    serializer_class = AgendaItemSerializer
    update_serializer_class = AgendaItemUpdateSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("presenter")

    def change(self, row: AgendaItem, data: dict[str, Any]) -> AgendaItem:
        version = data.pop("version")
        return services.agenda_item_update(item=row, version=version, by=self.request.user, **data)

    def remove(self, row: AgendaItem) -> None:
        services.agenda_item_delete(item=row, by=self.request.user)

    def _in_meeting_scope(self, target: RegisterItem) -> RegisterItem:
        assert self.meeting is not None
        if not item_within(self.meeting, target):
            raise ValidationError({"id": [OUTSIDE_SCOPE]})
        return target

    @extend_schema(
        methods=["GET"],
        responses=LinkedItemSerializer(many=True),
        summary=_("The register items linked under the agenda item (those you may see)"),
    )
    @extend_schema(
        methods=["POST"],
        request=ItemPointerSerializer,
        responses={201: LinkedItemSerializer},
        summary=_("Put a register item of the meeting's scope on the agenda under this item"),
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                required=True,
                enum=[m.KIND for m in register_access.MODELS_BY_KIND.values()],
            ),
            OpenApiParameter("id", OpenApiTypes.INT, required=True),
        ],
        request=None,
        responses={204: None},
        summary=_("Take the register item named by ?kind=&id= off this agenda item"),
    )
    @action(
        detail=True, methods=["get", "post", "delete"], filter_backends=[], pagination_class=None
    )
    def links(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            linked = agenda_links(request.user, [item]).get(item.pk, [])
            return Response(LinkedItemSerializer(linked, many=True, context=context).data)
        if request.method == "POST":
            target = self._in_meeting_scope(visible_item(request.user, request.data))
            services.agenda_link(item=item, target=target, by=request.user)
            answer = LinkedItemSerializer(target, context=context).data
            return Response(answer, status=status.HTTP_201_CREATED)
        target = visible_item(request.user, request.query_params)
        services.agenda_unlink(item=item, target=target, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    retrieve=extend_schema(summary=_("One row of a meeting's attendance")),
    partial_update=extend_schema(
        request=AttendanceUpdateSerializer,
        responses=AttendanceUpdateSerializer,
        summary=_("Record attendance: present, absent, excused, ..."),
    ),
    destroy=extend_schema(summary=_("Take a person or guest off the list"), responses={204: None}),
)
class AttendanceViewSet(MeetingPartViewSet):
    """Attendance of the meetings you may see; the chair, minute taker and managers record it."""

    model = Attendance
    serializer_class = AttendanceSerializer
    update_serializer_class = AttendanceUpdateSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("user")

    def change(self, row: Attendance, data: dict[str, Any]) -> Attendance:
        return services.attendance_set(attendance=row, status=data["status"], by=self.request.user)

    def remove(self, row: Attendance) -> None:
        services.attendance_remove(attendance=row, by=self.request.user)


@extend_schema_view(
    retrieve=extend_schema(summary=_("A session of an event, with who registered")),
    partial_update=extend_schema(
        request=EventSessionSerializer,
        responses=EventSessionSerializer,
        summary=_("Change a session (room, host, capacity, times, ...)"),
    ),
    destroy=extend_schema(
        summary=_("Remove a session and its registrations"), responses={204: None}
    ),
)
class SessionViewSet(MeetingPartViewSet):
    """Sessions of the events you may see: anyone who sees the event registers for one; the
    chair, minute taker and managers arrange them and may register others."""

    model = EventSession
    serializer_class = EventSessionSerializer
    update_serializer_class = EventSessionSerializer
    open_actions = frozenset({"register", "unregister"})

    def get_queryset(self) -> QuerySet[Any]:
        visible = access.visible_meetings(self.request.user)
        return _sessions().filter(meeting__in=visible)

    def change(self, row: EventSession, data: dict[str, Any]) -> EventSession:
        return services.session_update(session=row, by=self.request.user, **data)

    def remove(self, row: EventSession) -> None:
        services.session_delete(session=row, by=self.request.user)

    def _person(self, request: Request) -> Any:
        """Whom the request is for: the caller, or someone they (as a runner) name."""
        body = SessionRegisterSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        person = body.validated_data.get("user") or request.user
        if person.pk != request.user.pk:
            assert self.meeting is not None
            if not access.can_run(request.user, self.meeting):
                raise PermissionDenied
            refuse_outsiders(self.meeting.scope, {"user": person})
        return person

    @extend_schema(
        request=SessionRegisterSerializer,
        responses={201: RegistrationSerializer, 200: RegistrationSerializer},
        summary=_("Take a place in the session (201; 200 when already registered)"),
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: Any = None) -> Response:
        session = self.get_object()
        person = self._person(request)
        existed = Registration.objects.filter(session=session, user=person).exists()
        registration = services.session_register(session=session, user=person, by=request.user)
        answer = RegistrationSerializer(registration, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        request=SessionRegisterSerializer,
        responses={204: None},
        summary=_("Give the place in the session back"),
    )
    @action(detail=True, methods=["post"])
    def unregister(self, request: Request, pk: Any = None) -> Response:
        session = self.get_object()
        person = self._person(request)
        services.session_unregister(session=session, user=person, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: Any) -> None:
    """Add the meetings endpoints to the API router."""
    router.register("meeting-series", MeetingSeriesViewSet, basename="meeting-series")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("sessions", SessionViewSet, basename="session")
