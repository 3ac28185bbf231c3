"""Forms of the chair view: capturing an action, decision, risk or issue in seconds.

A capture form is deliberately small (the minute taker types while people talk): a title
and the two or three fields that matter in the room. What goes where is decided by the
scope select: a project meeting captures into its project; a programme meeting into the
programme or one of its projects; a portfolio meeting into any programme or project of the
portfolio. Only scopes the user may add register items to are offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Membership, User
from schakel.portfolio.forms import DATE_WIDGET, PersonChoiceField
from schakel.portfolio.models import Programme, Project
from schakel.registers import access as register_access
from schakel.registers.forms import ScaleChoiceField
from schakel.registers.models import Decision, Priority, RiskScaleLevel, ScaleAxis

from .models import AgendaItem, Meeting

Scope = Project | Programme


@dataclass(frozen=True)
class ScopeChoice:
    """A project or programme a meeting can capture into, as the select shows it."""

    key: str  # "project:12" or "programme:3": the select's value
    scope: Scope
    label: str


def _choice(scope: Scope) -> ScopeChoice:
    if isinstance(scope, Project):
        return ScopeChoice(f"project:{scope.pk}", scope, f"{scope.key} – {scope.name}")
    label = _("%(name)s (programme)") % {"name": scope.name}
    return ScopeChoice(f"programme:{scope.pk}", scope, str(label))


def meeting_scopes(meeting: Meeting) -> list[ScopeChoice]:
    """Every live, unarchived project or programme a meeting's outcomes may belong to."""
    projects = Project.objects.filter(archived_at__isnull=True).select_related(
        "programme__portfolio"
    )
    programmes = Programme.objects.filter(archived_at__isnull=True).select_related("portfolio")
    if meeting.project_id:
        found: list[Scope] = [meeting.project] if meeting.project else []
    elif meeting.programme_id:
        found = [
            *programmes.filter(pk=meeting.programme_id),
            *projects.filter(programme_id=meeting.programme_id).order_by("key"),
        ]
    else:
        found = []
        for programme in programmes.filter(portfolio_id=meeting.portfolio_id).order_by("name"):
            found.append(programme)
            found += list(projects.filter(programme=programme).order_by("key"))
    return [_choice(scope) for scope in found]


def capture_scopes(user: Any, meeting: Meeting) -> tuple[list[ScopeChoice], list[ScopeChoice]]:
    """Return (the scopes the user may capture into, all the meeting's scopes)."""
    every = meeting_scopes(meeting)
    allowed = [c for c in every if register_access.can_contribute_to(user, c.scope)]
    return allowed, every


def meeting_people(meeting: Meeting, user: Any) -> QuerySet[User]:
    """Active people with a role somewhere in the meeting's scope: the owners to choose from.

    The choice is checked against the chosen project or programme when the form is sent.
    """
    if meeting.project_id:
        assert meeting.project is not None
        return register_access.scope_people(meeting.project, keep=[user.pk])
    if meeting.programme_id:
        assert meeting.programme is not None
        where = (
            Q(programme_id=meeting.programme_id)
            | Q(project__programme_id=meeting.programme_id)
            | Q(portfolio_id=meeting.programme.portfolio_id)
        )
    else:
        where = (
            Q(portfolio_id=meeting.portfolio_id)
            | Q(programme__portfolio_id=meeting.portfolio_id)
            | Q(project__programme__portfolio_id=meeting.portfolio_id)
        )
    members = Membership.objects.filter(where).values("user_id")
    return User.objects.filter(Q(is_active=True, pk__in=members) | Q(pk=user.pk)).order_by(
        "first_name", "last_name", "username"
    )


class CaptureForm(forms.Form):
    """What every capture form has: where it goes, under which agenda item, and a title.

    Subclasses add their register's few fields; `changes()` gives the keyword arguments of
    `services.outcome_capture`.
    """

    KIND: ClassVar[str] = ""
    TITLE_LABEL: ClassVar[Any] = _("Title")
    SUBMIT_LABEL: ClassVar[Any] = _("Add")
    FIELD_ORDER: ClassVar[tuple[str, ...]] = ()

    scope = forms.ChoiceField(label=_("In"))
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)

    def __init__(
        self,
        data: Any = None,
        *,
        meeting: Meeting,
        user: Any,
        scopes: list[ScopeChoice],
        people: QuerySet[User],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, prefix=self.KIND, initial=initial)
        self.meeting = meeting
        self.user = user
        self.scopes = {choice.key: choice for choice in scopes}
        scope_field: forms.ChoiceField = self.fields["scope"]  # type: ignore[assignment]
        scope_field.choices = [(c.key, c.label) for c in scopes]
        if scopes and "scope" not in self.initial:
            self.initial["scope"] = scopes[0].key
        if len(scopes) <= 1:
            scope_field.widget = forms.HiddenInput()
        title = self.fields["title"]
        title.label = self.TITLE_LABEL
        title.widget.attrs.update({"autocomplete": "off", "data-capture-title": ""})
        if "owner" in self.fields:
            self.fields["owner"] = PersonChoiceField(
                queryset=people,
                required=False,
                label=_("Owner"),
                empty_label=str(_("— nobody —")),
            )
        self.agenda_item_obj: AgendaItem | None = None
        self.order_fields(["scope", "title", *self.FIELD_ORDER, "agenda_item"])

    @property
    def scope_is_fixed(self) -> bool:
        return len(self.scopes) <= 1

    def visible_fields_in_row(self) -> list[forms.BoundField]:
        """The fields shown in the form's row (the scope only when there is a choice)."""
        return [f for f in self.visible_fields() if f.name != "scope" or not self.scope_is_fixed]

    def clean_title(self) -> str:
        return " ".join((self.cleaned_data.get("title") or "").split())

    def clean_agenda_item(self) -> int | None:
        pk = self.cleaned_data.get("agenda_item")
        if pk is None:
            return None
        item = self.meeting.agenda.filter(pk=pk).first()
        if item is None:
            raise ValidationError(_("That agenda item belongs to another meeting."))
        self.agenda_item_obj = item
        return pk

    def chosen_scope(self) -> Scope:
        return self.scopes[self.cleaned_data["scope"]].scope

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = cleaned.get("owner")
        key = cleaned.get("scope")
        if owner is not None and key in self.scopes:
            scope = self.scopes[key].scope
            people = register_access.scope_people(scope, keep=[self.user.pk])
            if not people.filter(pk=owner.pk).exists():
                self.add_error(
                    "owner",
                    _("%(name)s has no role on %(scope)s.")
                    % {"name": owner.display_name, "scope": scope.name},
                )
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The register fields for `outcome_capture`."""
        skip = {"scope", "agenda_item"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}

    def add_service_error(self, error: ValidationError) -> None:
        """Show a register's own refusal on the field it names (the scope for its key)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.error_dict.items():
            target = name
            if name in ("project", "programme"):
                target = "scope"
            elif name not in self.fields:
                target = NON_FIELD_ERRORS
            self.add_error(None if target == NON_FIELD_ERRORS else target, messages)


class ActionCaptureForm(CaptureForm):
    KIND = "action"
    TITLE_LABEL = _("Action")
    SUBMIT_LABEL = _("Add action")
    FIELD_ORDER = ("owner", "due")

    owner = forms.Field(required=False)  # replaced by a select of people in __init__
    due = forms.DateField(label=_("Due"), required=False, widget=DATE_WIDGET)


class DecisionCaptureForm(CaptureForm):
    KIND = "decision"
    TITLE_LABEL = _("Decision")
    SUBMIT_LABEL = _("Add decision")
    FIELD_ORDER = ("status", "rationale")

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Decision.Status.APPROVED, Decision.Status.APPROVED.label),
            (Decision.Status.PROPOSED, Decision.Status.PROPOSED.label),
            (Decision.Status.REJECTED, Decision.Status.REJECTED.label),
        ],
        initial=Decision.Status.APPROVED,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RiskCaptureForm(CaptureForm):
    KIND = "risk"
    TITLE_LABEL = _("Risk")
    SUBMIT_LABEL = _("Add risk")
    FIELD_ORDER = ("probability", "impact", "owner")

    owner = forms.Field(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = list(RiskScaleLevel.objects.all())
        for name, axis, label in (
            ("probability", ScaleAxis.PROBABILITY, _("Probability")),
            ("impact", ScaleAxis.IMPACT, _("Impact")),
        ):
            self.fields[name] = ScaleChoiceField(
                levels=[lvl for lvl in levels if lvl.axis == axis], required=True, label=label
            )
        self.order_fields(["scope", "title", *self.FIELD_ORDER, "agenda_item"])


class IssueCaptureForm(CaptureForm):
    KIND = "issue"
    TITLE_LABEL = _("Issue")
    SUBMIT_LABEL = _("Add issue")
    FIELD_ORDER = ("priority", "owner")

    owner = forms.Field(required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )


CAPTURE_FORMS: dict[str, type[CaptureForm]] = {
    form.KIND: form
    for form in (ActionCaptureForm, DecisionCaptureForm, RiskCaptureForm, IssueCaptureForm)
}
