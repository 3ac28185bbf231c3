"""Forms of the register item pages: one model form per register on a shared base.

`ItemForm` holds what every register's form has in common: the version for conflict
detection, tags as comma-separated text, people chosen among those who work in the item's
scope, date inputs, a Markdown description, and fieldsets that group the fields on the page
and in the modal. Each register's form only lists its fields and groups. The quick add of
the list pages has its own, smaller form.

The forms check what a form can (choices, required values); the rules about one item
(both residual values or neither, a response that fits the nature, ...) are the model's
and come back through the model's `clean()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from schakel.portfolio import access as portfolio_access
from schakel.portfolio.forms import DATE_WIDGET, PersonChoiceField, VersionedForm, parse_tag_names
from schakel.portfolio.models import Programme, Project

from . import access
from .models import (
    REGISTER_MODELS,
    Action,
    Assumption,
    Comment,
    Decision,
    Dependency,
    Issue,
    RegisterItem,
    Risk,
    RiskCategory,
    RiskScaleLevel,
    ScaleAxis,
)

MARKDOWN_HINT = _("Markdown works here: **bold**, *italic*, lists and links.")

# A reference code as people type it: project or programme key, register letter, number.
CODE = re.compile(r"^([A-Z][A-Z0-9]{1,9})-([A-Z])(\d{1,9})$")


# People -------------------------------------------------------------------------------


# The shared base ------------------------------------------------------------------------


Fieldset = tuple[Promise | None, tuple[str, ...]]


class ItemForm(VersionedForm):
    """Create or edit one register item in a scope (project or programme).

    Subclasses set `Meta.model`, `Meta.fields` and `FIELDSETS`; `WIDE` fields span the
    whole form. `changes()` gives the model fields for `services.item_create/update`;
    `tag_names()` the tags.
    """

    PEOPLE: ClassVar[tuple[str, ...]] = ("owner",)
    WIDE: ClassVar[frozenset[str]] = frozenset({"title", "description", "tags"})
    FIELDSETS: ClassVar[tuple[Fieldset, ...]] = ()

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas, e.g. IT, Quick win."),
    )

    class Meta:
        model = RegisterItem
        fields: list[str] = []

    def __init__(
        self,
        *args: Any,
        scope: Project | Programme | None = None,
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        # An edit form may be built from the item alone (as `save_versioned` does).
        scope = scope or instance.scope
        self.scope = scope
        self.user = user
        if not instance.pk:
            # The model's own checks (one scope, a programme with a key) need the scope.
            if isinstance(scope, Project):
                instance.project = scope
            else:
                instance.programme = scope
        # Whoever fills in the form may name themselves (a site administrator has no
        # membership), and people already named stay selectable.
        keep = [getattr(instance, f"{name}_id", None) for name in self.PEOPLE]
        if getattr(user, "is_authenticated", False):
            keep.append(user.pk)
        people = access.scope_people(scope, keep=keep)
        for name in self.PEOPLE:
            if name in self.fields:
                model_field = instance._meta.get_field(name)
                self.fields[name] = PersonChoiceField(
                    queryset=people,
                    required=False,
                    label=capfirst(str(model_field.verbose_name)),
                    empty_label=str(_("— nobody —")),
                )
        if "title" in self.fields:
            self.fields["title"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})
        if "description" in self.fields:
            self.fields["description"].widget = forms.Textarea(attrs={"rows": 5})
            self.fields["description"].help_text = MARKDOWN_HINT
        for name, form_field in self.fields.items():
            if isinstance(
                form_field, forms.TypedChoiceField | forms.ChoiceField
            ) and not isinstance(form_field, forms.ModelChoiceField):
                choices = list(cast(Iterable[Any], form_field.choices))
                if choices and choices[0][0] in ("", None):
                    form_field.choices = [("", "—"), *choices[1:]]
            if isinstance(form_field, forms.DateField):
                form_field.widget = DATE_WIDGET
            elif isinstance(form_field.widget, forms.Textarea) and name != "description":
                form_field.widget.attrs["rows"] = 3
        if instance.pk and "tags" not in self.initial:
            self.initial["tags"] = ", ".join(t.name for t in instance.tags.all())

    def clean_title(self) -> str:
        return " ".join((self.cleaned_data.get("title") or "").split())

    def clean_tags(self) -> list[str]:
        return parse_tag_names(self.cleaned_data.get("tags", ""))

    def tag_names(self) -> list[str]:
        return self.cleaned_data.get("tags", [])

    def _update_errors(self, errors: ValidationError) -> None:
        # A model rule may name a field this form does not show (the programme of a
        # programme-level item, say): show it on the form instead of failing.
        if hasattr(errors, "error_dict"):
            moved: dict[str, Any] = {}
            for name, messages in errors.error_dict.items():
                target = name if name in self.fields else NON_FIELD_ERRORS
                moved.setdefault(target, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)  # type: ignore[misc]

    def fieldsets(self) -> list[tuple[Promise | None, list[tuple[forms.BoundField, int]]]]:
        """The fields grouped for the page: (legend, [(bound field, span)])."""
        groups = []
        for legend, names in self.FIELDSETS:
            fields = [(self[name], 2 if name in self.WIDE else 1) for name in names]
            groups.append((legend, fields))
        return groups


# One form per register ----------------------------------------------------------------


class ScaleChoiceField(forms.TypedChoiceField):
    """A select of the levels of a risk scale axis, shown as "3 – Medium"."""

    def __init__(self, *, levels: Iterable[RiskScaleLevel], required: bool, **kwargs: Any):
        choices: list[tuple[Any, str]] = [
            (lvl.value, f"{lvl.value} – {lvl.label}") for lvl in levels
        ]
        if not required:
            choices.insert(0, ("", "—"))
        super().__init__(choices=choices, coerce=int, empty_value=None, required=required, **kwargs)


class ResponseSelect(forms.Select):
    """The response select; each option says which nature it fits, for the page's filter."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        natures = []
        if value in Risk.THREAT_RESPONSES:
            natures.append(Risk.Nature.THREAT.value)
        if value in Risk.OPPORTUNITY_RESPONSES:
            natures.append(Risk.Nature.OPPORTUNITY.value)
        if natures:
            option["attrs"]["data-natures"] = " ".join(natures)
        return option


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class RiskForm(ItemForm):
    PEOPLE = ("owner", "actionee")
    WIDE = ItemForm.WIDE | {"cause", "event", "effect", "response_plan"}
    FIELDSETS = (
        (None, ("title", "nature", "category")),
        (_("Cause, event and effect"), ("cause", "event", "effect")),
        (
            _("Assessment"),
            ("probability", "impact", "residual_probability", "residual_impact", "proximity"),
        ),
        (_("Response"), ("response", "actionee", "response_plan")),
        (_("Ownership and follow-up"), ("owner", "review_date", "status")),
        (_("Description"), ("description", "tags")),
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "nature",
            "category",
            "cause",
            "event",
            "effect",
            "probability",
            "impact",
            "residual_probability",
            "residual_impact",
            "proximity",
            "response",
            "response_plan",
            "owner",
            "actionee",
            "review_date",
            "status",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = list(RiskScaleLevel.objects.all())
        for name, axis, required in (
            ("probability", ScaleAxis.PROBABILITY, True),
            ("impact", ScaleAxis.IMPACT, True),
            ("residual_probability", ScaleAxis.PROBABILITY, False),
            ("residual_impact", ScaleAxis.IMPACT, False),
        ):
            self.fields[name] = ScaleChoiceField(
                levels=[lvl for lvl in levels if lvl.axis == axis],
                required=required,
                label=capfirst(str(Risk._meta.get_field(name).verbose_name)),  # type: ignore[union-attr]
            )
        self.fields["residual_probability"].help_text = _(
            "After the response; give both or neither."
        )
        current = self.instance.category_id
        self.fields["category"] = CategoryChoiceField(
            queryset=RiskCategory.objects.filter(Q(active=True) | Q(pk=current)),
            required=False,
            label=_("Category"),
            empty_label="—",
        )
        response = self.fields["response"]
        response.widget = ResponseSelect(
            choices=response.choices,  # type: ignore[attr-defined]
            attrs={"data-response-for": self.add_prefix("nature")},
        )
        self.fields["nature"].widget.attrs["data-nature-select"] = ""


class IssueForm(ItemForm):
    PEOPLE = ("owner", "raised_by", "escalated_to")
    WIDE = ItemForm.WIDE | {"resolution"}
    FIELDSETS = (
        (None, ("title", "type", "status", "priority", "severity")),
        (_("Who and when"), ("owner", "target_date", "raised_by", "raised_on", "escalated_to")),
        (_("Description and resolution"), ("description", "resolution", "tags")),
    )

    class Meta:
        model = Issue
        fields = [
            "title",
            "type",
            "priority",
            "severity",
            "status",
            "owner",
            "raised_by",
            "raised_on",
            "target_date",
            "escalated_to",
            "resolution",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escalated_to"].help_text = _("Required when the status is Escalated.")


class AssumptionForm(ItemForm):
    WIDE = ItemForm.WIDE | {"consequence"}
    FIELDSETS = (
        (None, ("title", "owner", "validate_by", "status")),
        (_("Consequence and description"), ("consequence", "description", "tags")),
    )

    class Meta:
        model = Assumption
        fields = ["title", "owner", "validate_by", "status", "consequence", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("What is assumed")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key} – {obj.name}"


class DependencyForm(ItemForm):
    FIELDSETS = (
        (None, ("title", "other_project", "direction")),
        (_("Milestones and dates"), ("milestone", "other_milestone", "need_by")),
        (_("Ownership"), ("owner", "status")),
        (_("Description"), ("description", "tags")),
    )

    class Meta:
        model = Dependency
        fields = [
            "title",
            "other_project",
            "direction",
            "milestone",
            "other_milestone",
            "need_by",
            "owner",
            "status",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = Project.objects.none()
        if self.user is not None:
            projects = portfolio_access.visible_projects(self.user).filter(archived_at__isnull=True)
        current = self.instance.other_project_id if self.instance.pk else None
        own = self.scope.pk if isinstance(self.scope, Project) else None
        self.fields["other_project"] = ProjectChoiceField(
            queryset=Project.objects.filter(Q(pk__in=projects.values("pk")) | Q(pk=current))
            .exclude(pk=own)
            .order_by("key"),
            label=_("Other project"),
            empty_label=str(_("Choose…")),
        )


class ActionForm(ItemForm):
    FIELDSETS = (
        (None, ("title", "owner", "due", "priority", "status")),
        (_("Description"), ("description", "tags")),
    )

    class Meta:
        model = Action
        fields = ["title", "owner", "due", "priority", "status", "description"]


class DecisionForm(ItemForm):
    PEOPLE = ("owner", "decided_by")
    WIDE = ItemForm.WIDE | {"options", "rationale", "impact"}
    FIELDSETS = (
        (None, ("title", "status", "owner", "needed_by")),
        (_("The decision"), ("options", "rationale", "impact")),
        (_("Decided by"), ("decided_by", "forum", "decided_on")),
        (_("Description"), ("description", "tags")),
    )

    class Meta:
        model = Decision
        fields = [
            "title",
            "status",
            "owner",
            "needed_by",
            "options",
            "rationale",
            "impact",
            "decided_by",
            "forum",
            "decided_on",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Decision")


FORMS: dict[str, type[ItemForm]] = {
    Risk.KIND: RiskForm,
    Issue.KIND: IssueForm,
    Assumption.KIND: AssumptionForm,
    Dependency.KIND: DependencyForm,
    Action.KIND: ActionForm,
    Decision.KIND: DecisionForm,
}
assert set(FORMS) == {m.KIND for m in REGISTER_MODELS}, "every register needs a form"


def form_for(model: type[RegisterItem]) -> type[ItemForm]:
    """Return the form class of a register."""
    return FORMS[model.KIND]


# Comments and links ---------------------------------------------------------------------


class CommentForm(forms.ModelForm):
    """Write a comment; @username names someone who can see the item."""

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "body": _("Markdown works here. Type @username to mention someone on the project.")
        }


class LinkForm(forms.Form):
    """Link another item by its reference code (e.g. ODI-A3), among the items one can see."""

    code = forms.CharField(
        label=_("Reference code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("e.g. ODI-A3"),
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "mono",
            }
        ),
    )

    def __init__(self, *args: Any, user: Any, item: RegisterItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.item = item
        self.target: RegisterItem | None = None

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split()).upper()
        target = find_by_code(self.user, code)
        if target is None:
            raise ValidationError(_("No item with this code that you can see."), code="unknown")
        if type(target) is type(self.item) and target.pk == self.item.pk:
            raise ValidationError(_("An item cannot be linked to itself."), code="self")
        self.target = target
        return code


def find_by_code(user: Any, code: str) -> RegisterItem | None:
    """Return the live item with a reference code such as ODI-A3 if the user may see it."""
    match = CODE.match(code.strip().upper())
    if not match:
        return None
    key, prefix, number = match.groups()
    model = next((m for m in REGISTER_MODELS if prefix == m.PREFIX), None)
    if model is None:
        return None
    return (
        access.visible_items(user, model)
        .filter(number=int(number))
        .filter(Q(project__key=key) | Q(project__isnull=True, programme__key=key))
        .select_related("project", "programme")
        .first()
    )
