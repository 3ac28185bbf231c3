"""Forms of the meeting pages: series, meetings, agenda items, attendance and sessions.

People are always chosen among those who work in the meeting's scope (see
`access.meeting_people`), plus whoever already holds the value, so an edit never drops a
chair who has left the project. Times are typed in the user's own time zone (the middleware
activates it) and combined here into aware datetimes, so the services only see instants.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schakel.accounts.models import User
from schakel.lib.forms import display_value
from schakel.portfolio.forms import DATE_WIDGET, PersonChoiceField, VersionedForm
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers.forms import find_by_code
from schakel.registers.models import RegisterItem

from . import access
from .models import (
    AgendaItem,
    Attendance,
    EventSession,
    Kind,
    Meeting,
    MeetingSeries,
    Standing,
    validate_standard_agenda,
)

Scope = Portfolio | Programme | Project

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NOBODY = _("— nobody —")


# People -----------------------------------------------------------------------------------


class PeopleField(forms.ModelMultipleChoiceField):
    """Tick boxes of people labelled with their display name."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _person(queryset: QuerySet[User], label: Any) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=queryset, required=False, label=label, empty_label=str(NOBODY)
    )


def _keep(user: Any, *pks: int | None) -> list[int | None]:
    """Who stays selectable: the people already named, and the person filling in the form."""
    kept = list(pks)
    if getattr(user, "is_authenticated", False):
        kept.append(user.pk)
    return kept


# Series -----------------------------------------------------------------------------------


class SeriesForm(VersionedForm):
    """Create or edit a meeting series; its standard agenda is `StandardAgendaFormSet`."""

    online_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "kind",
            "title",
            "description",
            "chair",
            "minute_taker",
            "invitees",
            "recurrence",
            "first_date",
            "start_time",
            "duration",
            "location",
            "online_url",
        ]
        widgets = {
            "first_date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, scope: Scope | None = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.scope = scope or instance.scope
        invited = list(instance.invitees.values_list("pk", flat=True)) if instance.pk else []
        people = access.meeting_people(
            self.scope, keep=_keep(user, instance.chair_id, instance.minute_taker_id, *invited)
        )
        self.fields["chair"] = _person(people, _("Default chair"))
        self.fields["minute_taker"] = _person(people, _("Default minute taker"))
        self.fields["invitees"] = PeopleField(
            queryset=people,
            required=False,
            label=_("Invitees"),
            help_text=_("The chair and the minute taker are always invited."),
        )
        self.fields["title"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})
        self.fields["duration"].widget.attrs.update({"min": 5, "max": 1440})

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name != "invitees"
        }


class StandardAgendaRow(forms.Form):
    """One row of a series' standard agenda; a row left empty is skipped."""

    title = forms.CharField(label=_("Item"), max_length=300, required=False)
    minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"),
        min_value=0,
        max_value=24 * 60,
        required=False,
        initial=10,
    )
    standing = forms.ChoiceField(label=_("Kind of item"), choices=Standing.choices, required=False)
    description = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deleting = self.cleaned_data.get("DELETE")
        if not deleting and not (cleaned.get("title") or "").strip() and self.has_changed():
            self.add_error("title", _("Give the item a title, or remove the row."))
        return cleaned


class BaseStandardAgendaFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def agenda(self) -> list[dict[str, Any]]:
        """The rows as the model stores them, in the chosen order, empty rows left out."""
        rows: list[dict[str, Any]] = []
        # Sorted by the typed number, rows without one last, ties in the order shown.
        ranked = sorted(
            enumerate(self.forms),
            key=lambda pair: (
                getattr(pair[1], "cleaned_data", {}).get("ORDER") is None,
                getattr(pair[1], "cleaned_data", {}).get("ORDER") or 0,
                pair[0],
            ),
        )
        for _index, form in ranked:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not (data.get("title") or "").strip():
                continue
            row: dict[str, Any] = {
                "title": data["title"].strip(),
                "minutes": data.get("minutes") if data.get("minutes") is not None else 10,
            }
            if data.get("standing"):
                row["standing"] = data["standing"]
            if (data.get("description") or "").strip():
                row["description"] = data["description"].strip()
            rows.append(row)
        return rows

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        try:
            validate_standard_agenda(self.agenda())
        except ValidationError as error:
            raise ValidationError(
                [m for messages in error.message_dict.values() for m in messages]
            ) from error


StandardAgendaFormSet = forms.formset_factory(
    StandardAgendaRow,
    formset=BaseStandardAgendaFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    max_num=50,
    validate_max=True,
    absolute_max=60,
)


def agenda_formset(
    data: Any = None, *, agenda: list[dict[str, Any]] | None = None
) -> BaseStandardAgendaFormSet:
    initial = [
        {
            "title": row.get("title", ""),
            "minutes": row.get("minutes", 10),
            "standing": row.get("standing", ""),
            "description": row.get("description", ""),
            "ORDER": n,
        }
        for n, row in enumerate(agenda or [], start=1)
        if isinstance(row, dict)
    ]
    return cast(
        BaseStandardAgendaFormSet,
        StandardAgendaFormSet(data, initial=initial, prefix="agenda"),
    )


class PlanForm(forms.Form):
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=12, initial=1)


# Meetings ---------------------------------------------------------------------------------


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """An instant from a date and a clock time as the user reads them (their time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


class MeetingForm(forms.Form):
    """Create or edit a meeting: when (date, start, end), where, who.

    The series can only be chosen when the meeting is created; invitees too (afterwards
    the attendance section of the meeting page keeps the list).
    """

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=MeetingSeries.objects.none(),
        required=False,
        empty_label=str(_("— none —")),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    end_date = forms.DateField(
        label=_("Ends on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Only for a meeting that runs past midnight or over several days."),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDS = ("kind", "title", "location", "online_url", "chair", "minute_taker")

    def __init__(
        self,
        *args: Any,
        scope: Scope,
        user: Any = None,
        meeting: Meeting | None = None,
        series_choices: QuerySet[MeetingSeries] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.meeting = meeting
        keep = _keep(user)
        if meeting is not None:
            keep += [meeting.chair_id, meeting.minute_taker_id]
        people = access.meeting_people(scope, keep=keep)
        self.fields["chair"] = _person(people, _("Chair"))
        self.fields["minute_taker"] = _person(people, _("Minute taker"))
        self.fields["title"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})
        if meeting is None:
            cast(forms.ModelChoiceField, self.fields["series"]).queryset = (
                series_choices if series_choices is not None else MeetingSeries.objects.none()
            )
            self.fields["invitees"] = PeopleField(
                queryset=people,
                required=False,
                label=_("Invitees"),
                help_text=_(
                    "The chair and the minute taker are always invited. Left empty for a "
                    "meeting of a series, the series' invitees are invited."
                ),
            )
        else:
            del self.fields["series"]
            self.fields["version"].required = True
            self.initial.setdefault("version", meeting.version)
            # Keep the order of the fields as declared: people after the place.
        order = ["kind", "title", "series", "date", "start_time", "end_time", "end_date"]
        order += ["location", "online_url", "chair", "minute_taker", "invitees", "version"]
        self.order_fields(order)

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        start = timezone.localtime(meeting.start)
        end = timezone.localtime(meeting.end)
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "date": start.date(),
            "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0),
            "end_date": end.date() if end.date() != start.date() else None,
            "location": meeting.location,
            "online_url": meeting.online_url,
            "chair": meeting.chair_id,
            "minute_taker": meeting.minute_taker_id,
            "version": meeting.version,
        }

    @classmethod
    def initial_from_series(cls, series: MeetingSeries, day: datetime.date) -> dict[str, Any]:
        start = datetime.datetime.combine(day, series.start_time)
        end = start + datetime.timedelta(minutes=series.duration)
        return {
            "kind": series.kind,
            "title": series.title,
            "series": series.pk,
            "date": day,
            "start_time": series.start_time,
            "end_time": end.time(),
            "end_date": end.date() if end.date() != day else None,
            "location": series.location,
            "online_url": series.online_url,
            "chair": series.chair_id,
            "minute_taker": series.minute_taker_id,
            "invitees": list(series.invitees.values_list("pk", flat=True)),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start_time, end_time = (
            cleaned.get("date"),
            cleaned.get("start_time"),
            cleaned.get("end_time"),
        )
        if day and start_time and end_time:
            start = local_datetime(day, start_time)
            end = local_datetime(cleaned.get("end_date") or day, end_time)
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
            else:
                cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The meeting's fields for `services.meeting_create` / `meeting_update`."""
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        values["start"] = self.cleaned_data["start"]
        values["end"] = self.cleaned_data["end"]
        return values


def meeting_conflict(form: MeetingForm, current: Meeting) -> list[tuple[str, str, str]]:
    """Rows (label, your value, stored value) where a refused edit differs from the meeting."""
    stored = MeetingForm.initial_for(current)
    rows = []
    for name in ("kind", "title", "date", "start_time", "end_time", "location", "online_url"):
        yours, theirs = form.cleaned_data.get(name), stored.get(name)
        if (yours or "") != (theirs or ""):
            rows.append(
                (str(form.fields[name].label), _show(form, name, yours), _show(form, name, theirs))
            )
    for name in ("chair", "minute_taker"):
        yours_pk = getattr(form.cleaned_data.get(name), "pk", None)
        if yours_pk != stored.get(name):
            theirs_user = getattr(current, name)
            rows.append(
                (
                    str(form.fields[name].label),
                    getattr(form.cleaned_data.get(name), "display_name", "—"),
                    getattr(theirs_user, "display_name", "—"),
                )
            )
    return rows


def _show(form: forms.Form, name: str, value: Any) -> str:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return display_value(form.fields[name], value)


# Agenda -----------------------------------------------------------------------------------


class AgendaItemForm(VersionedForm):
    """Add or edit an agenda item: title, presenter, time box, description, standing kind."""

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes", "standing", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, meeting: Meeting | None = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        meeting = meeting or self.instance.meeting
        self.meeting = meeting
        people = access.meeting_people(meeting.scope, keep=_keep(user, self.instance.presenter_id))
        self.fields["presenter"] = _person(people, _("Presenter"))
        self.fields["minutes"].widget.attrs.update({"min": 0, "max": 1440})
        self.fields["minutes"].label = pgettext_lazy("duration", "Minutes")
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        self.fields["standing"].label = _("Kind of item")


class AgendaLinkForm(forms.Form):
    """Put a register item on the agenda by its reference code (e.g. ODI-R3)."""

    code = forms.CharField(
        label=_("Link an item by its code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("e.g. ODI-R3"),
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "mono",
            }
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.target: RegisterItem | None = None

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split()).upper()
        target = find_by_code(self.user, code)
        if target is None:
            raise ValidationError(_("No item with this code that you can see."), code="unknown")
        self.target = target
        return code


# Attendance -------------------------------------------------------------------------------

# What the segmented control sets; "invited" undoes a choice.
ATTENDANCE_CHOICES = [
    (Attendance.Status.PRESENT, _("Present")),
    (Attendance.Status.ABSENT, _("Absent")),
    (Attendance.Status.EXCUSED, _("Excused")),
    (Attendance.Status.INVITED, _("Not known yet")),
]


class AttendanceStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ATTENDANCE_CHOICES)


class InviteForm(forms.Form):
    """Invite someone who works in the meeting's scope and is not on the list yet."""

    user = PersonChoiceField(queryset=User.objects.none(), label=_("Invite a person"))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        listed = meeting.attendance.exclude(user__isnull=True).values("user_id")
        field = cast(PersonChoiceField, self.fields["user"])
        field.queryset = access.meeting_people(meeting.scope).exclude(pk__in=listed)
        field.empty_label = str(_("— choose —"))


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Guest's name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)


# Events -----------------------------------------------------------------------------------


class SessionForm(forms.ModelForm):
    """A session of an event; its times are clock times on the day of the event."""

    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET, required=False)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET, required=False)

    class Meta:
        model = EventSession
        fields = ["title", "room", "host", "capacity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, meeting: Meeting, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        people = access.meeting_people(meeting.scope, keep=_keep(user, self.instance.host_id))
        self.fields["host"] = _person(people, _("Host"))
        self.fields["capacity"].widget.attrs.update({"min": 1})
        if self.instance.pk:
            for name in ("start", "end"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[f"{name}_time"] = timezone.localtime(value).time()
        self.order_fields(["title", "room", "host", "start_time", "end_time", "capacity"])

    def clean_capacity(self) -> int | None:
        value = self.cleaned_data.get("capacity")
        if value is not None and value < 1:
            raise ValidationError(
                _("A session has at least one place; leave it empty for no limit.")
            )
        return cast("int | None", value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = timezone.localtime(self.meeting.start).date()
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        cleaned["start"] = local_datetime(day, start_time) if start_time else None
        cleaned["end"] = local_datetime(day, end_time) if end_time else None
        if cleaned["start"] and cleaned["end"] and cleaned["end"] <= cleaned["start"]:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self._meta.fields or ()}
        values["start"] = self.cleaned_data.get("start")
        values["end"] = self.cleaned_data.get("end")
        return values
