"""Forms of the register lists: the filter bar, the one-line quick add and bulk changes.

Also the people a list offers as owners: the active members of an item's project, its
programme and its portfolio (people who can see the item), read in one query per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Membership, User
from schakel.lib.widgets import FastSelect
from schakel.portfolio.forms import DATE_WIDGET, PersonChoiceField
from schakel.portfolio.models import Programme, Project

from .models import RegisterItem, RiskScaleLevel, ScaleAxis
from .registry import Register

# Filter bar ----------------------------------------------------------------------------

# The filters every register shows, then each register's own ones.
COMMON_FILTERS = ("q", "owner", "status", "state", "tag", "due_after", "due_before", "overdue")
OWN_FILTERS: dict[str, tuple[str, ...]] = {
    "risk": ("score_min", "score_max", "category", "nature"),
    "issue": ("type", "priority", "severity"),
    "assumption": (),
    "dependency": ("direction",),
    "action": ("priority",),
    "decision": ("forum",),
}


def _choices(form: forms.BaseForm, name: str) -> list[tuple[Any, Any]]:
    return list(cast(Iterable[tuple[Any, Any]], cast(forms.ChoiceField, form.fields[name]).choices))


def _select(choices: Iterable[tuple[Any, Any]], empty: str) -> forms.Select:
    return FastSelect(choices=[("", empty), *choices], attrs={"data-autosubmit": ""})


def shown_filters(register: Register, scope_kind: str) -> list[str]:
    """The filters the bar shows for a register at a scope, in order."""
    names = list(COMMON_FILTERS)
    if scope_kind != "project":
        names.insert(1, "project")
    return names + list(OWN_FILTERS[register.kind])


def prepare_filter_form(
    form: forms.Form,
    register: Register,
    *,
    owners: Iterable[Any],
    tags: Iterable[str],
    projects: Iterable[Project],
    categories: Iterable[Any],
) -> forms.Form:
    """Turn a register filterset's form into a filter bar of selects with real choices."""
    fields = form.fields
    fields["q"].widget = forms.TextInput(
        attrs={
            "type": "search",
            "placeholder": str(_("Title, description or code")),
            "autocomplete": "off",
        }
    )
    fields["owner"].widget = _select(
        [
            ("me", _("Me")),
            ("none", _("Nobody")),
            *((str(u.pk), u.display_name) for u in owners),
        ],
        str(_("Anyone")),
    )
    for name in ("status", "type", "priority", "severity"):
        if name in fields:
            fields[name].widget = forms.CheckboxSelectMultiple(
                choices=_choices(form, name), attrs={"data-autosubmit": ""}
            )
    fields["state"].widget = _select(
        [c for c in _choices(form, "state") if c[0]], str(_("Open and closed"))
    )
    fields["tag"].widget = _select([(t, t) for t in tags], str(_("All tags")))
    fields["project"].widget = _select(
        [(p.pk, f"{p.key} – {p.name}") for p in projects], str(_("All projects"))
    )
    for name in ("due_after", "due_before"):
        fields[name].widget = forms.DateInput(
            attrs={"type": "date", "data-autosubmit": ""}, format="%Y-%m-%d"
        )
    fields["overdue"].widget = forms.Select(
        choices=[("", _("Any")), ("true", _("Overdue only")), ("false", _("Not overdue"))],
        attrs={"data-autosubmit": ""},
    )
    if "category" in fields:
        fields["category"].widget = _select(
            [(c.pk, c.name) for c in categories], str(_("All categories"))
        )
    for name in ("score_min", "score_max"):
        if name in fields:
            fields[name].widget = forms.NumberInput(attrs={"min": 1, "max": 100, "step": 1})
    for name in ("nature", "direction"):
        if name in fields:
            fields[name].widget = _select([c for c in _choices(form, name) if c[0]], str(_("All")))
    if "forum" in fields:
        fields["forum"].widget = forms.TextInput(attrs={"autocomplete": "off"})
    return form


# People ---------------------------------------------------------------------------------


# What a person in a select needs (`display_name`): read only these.
PERSON = ("id", "username", "first_name", "last_name")


def _by_name(people: Iterable[User], keys: dict[int, tuple[str, str]] | None = None) -> list[User]:
    """People sorted by name; `keys` keeps the sort keys of a page's people between calls."""
    keys = {} if keys is None else keys

    def key(person: User) -> tuple[str, str]:
        found = keys.get(person.pk)
        if found is None:
            found = keys[person.pk] = (person.display_name.casefold(), person.username)
        return found

    return sorted(people, key=key)


def scope_people(scope: Project | Programme, viewer: Any) -> QuerySet[User]:
    """Active people with a role on a project (or programme) or above it, and the viewer."""
    if isinstance(scope, Project):
        condition = (
            Q(memberships__project=scope)
            | Q(memberships__programme_id=scope.programme_id)
            | Q(memberships__portfolio_id=scope.programme.portfolio_id)
        )
    else:
        condition = Q(memberships__programme=scope) | Q(
            memberships__portfolio_id=scope.portfolio_id
        )
    return (
        User.objects.filter(is_active=True)
        .filter(condition | Q(pk=viewer.pk))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def people_by_item(items: Sequence[RegisterItem], viewer: Any) -> dict[int, list[User]]:
    """For each item, the people who may own it: active members of its scope (one query).

    The current owner stays in the list even when they lost their role, so a row never
    shows an owner its select cannot hold; the viewer is always offered (a site
    administrator has no membership).
    """
    projects: set[int | None] = set()
    programmes: set[int | None] = set()
    portfolios: set[int | None] = set()
    for item in items:
        if item.project is not None:
            projects.add(item.project_id)
            programmes.add(item.project.programme_id)
            portfolios.add(item.project.programme.portfolio_id)
        elif item.programme is not None:
            programmes.add(item.programme_id)
            portfolios.add(item.programme.portfolio_id)
    members: dict[tuple[str, int | None], dict[int, User]] = {}
    if items:
        rows = (
            Membership.objects.filter(
                Q(project_id__in=projects)
                | Q(programme_id__in=programmes)
                | Q(portfolio_id__in=portfolios),
                user__is_active=True,
            )
            .select_related("user")
            .only("project_id", "programme_id", "portfolio_id", *(f"user__{f}" for f in PERSON))
        )
        people: dict[int, User] = {}  # one object per person, however many roles
        for membership in rows:
            kind = membership.scope_kind
            scope_id = getattr(membership, f"{kind}_id")
            person = people.setdefault(membership.user_id, membership.user)
            members.setdefault((kind, scope_id), {})[membership.user_id] = person
    out: dict[int, list[User]] = {}
    sort_keys: dict[int, tuple[str, str]] = {}
    for item in items:
        found: dict[int, User] = {}
        if item.project is not None:
            keys: list[tuple[str, int | None]] = [
                ("project", item.project_id),
                ("programme", item.project.programme_id),
                ("portfolio", item.project.programme.portfolio_id),
            ]
        elif item.programme is not None:
            keys = [("programme", item.programme_id), ("portfolio", item.programme.portfolio_id)]
        else:
            keys = []
        for key in keys:
            found.update(members.get(key, {}))
        if getattr(viewer, "is_authenticated", False):
            found.setdefault(viewer.pk, viewer)
        if item.owner is not None:
            found.setdefault(item.owner_id, item.owner)  # type: ignore[arg-type]
        out[item.pk] = _by_name(found.values(), sort_keys)
    return out


# Quick add ------------------------------------------------------------------------------


def _label(model: type[RegisterItem], name: str) -> str:
    """A model field's name as a form label ("Review date")."""
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


class ProjectChoiceField(forms.ModelChoiceField):
    """A select of projects labelled "KEY – name"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key} – {obj.name}"


class QuickAddForm(forms.Form):
    """Add an item in one line: a title, and optionally owner and due date.

    Risks also need probability and impact; dependencies the other project.
    """

    title = forms.CharField(label=_("Title"), max_length=300)
    owner = PersonChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))
    due = forms.DateField(required=False, widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        register: Register,
        people: QuerySet[User],
        levels: dict[str, list[RiskScaleLevel]] | None = None,
        other_projects: QuerySet[Project] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("prefix", "qa")
        super().__init__(*args, **kwargs)
        self.register = register
        model = register.model
        title = self.fields["title"]
        title.widget.attrs.update(
            {
                "placeholder": str(
                    _("New %(item)s: type a title, press Enter") % {"item": register.item_name}
                ),
                "autocomplete": "off",
            }
        )
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = people
        owner.empty_label = str(_("— nobody —"))
        self.fields["due"].label = _label(model, model.DUE_FIELD)
        if register.kind == "risk":
            for axis, name in (
                (ScaleAxis.PROBABILITY, "probability"),
                (ScaleAxis.IMPACT, "impact"),
            ):
                options = [
                    (lv.value, f"{lv.value} – {lv.label}") for lv in (levels or {}).get(axis, [])
                ]
                if not options:
                    options = [(n, str(n)) for n in range(1, 6)]
                self.fields[name] = forms.TypedChoiceField(
                    label=_label(model, name),
                    choices=[("", "—"), *options],
                    coerce=int,
                )
        if register.kind == "dependency":
            self.fields["other_project"] = ProjectChoiceField(
                queryset=other_projects if other_projects is not None else Project.objects.none(),
                label=_("Other project"),
                empty_label="—",
                widget=FastSelect,  # every project the user sees: hundreds for a PMO
            )

    def item_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments for `services.item_create`."""
        data = self.cleaned_data
        fields: dict[str, Any] = {"title": data["title"], "owner": data.get("owner")}
        fields[self.register.model.DUE_FIELD] = data.get("due")
        for name in ("probability", "impact", "other_project"):
            if name in self.fields:
                fields[name] = data.get(name)
        return fields

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors on the quick-add field they concern, else on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        due_field = self.register.model.DUE_FIELD
        for name, errors in error.error_dict.items():
            target = "due" if name == due_field else name
            self.add_error(
                target if target in self.fields and target != NON_FIELD_ERRORS else None, errors
            )

    def focus_first(self, *, clear: bool = False) -> None:
        """Put the keyboard focus on the first field with an error, else on the title."""
        target = next((name for name in self.fields if name in self.errors), "title")
        if clear:
            target = "title"
        self.fields[target].widget.attrs["autofocus"] = True


def status_choices_of(register: Register) -> list[tuple[str, Any]]:
    """The statuses of a register, as (value, label)."""
    meta: Any = register.model._meta  # "status" is declared by each register, not the base
    return list(getattr(meta.get_field("status"), "choices", None) or [])


# Bulk changes ---------------------------------------------------------------------------

BULK_OWNER = "owner"
BULK_STATUS = "status"
BULK_SHIFT = "shift"
MAX_BULK = 500


class IdListField(forms.Field):
    """The ids of the chosen rows (checkboxes named `ids`), as unique whole numbers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        ids: list[int] = []
        for raw in value:
            text = str(raw).strip()
            if not text.isdigit():
                raise ValidationError(_("Unknown item."), code="invalid")
            if int(text) not in ids:
                ids.append(int(text))
        if len(ids) > MAX_BULK:
            raise ValidationError(
                _("Choose at most %(n)d items at once.") % {"n": MAX_BULK}, code="too_many"
            )
        return ids


class BulkForm(forms.Form):
    """Change many items of one register at once: assign, set the status or move due dates."""

    action = forms.ChoiceField(
        choices=[
            (BULK_OWNER, _("Assign owner")),
            (BULK_STATUS, _("Change status")),
            (BULK_SHIFT, _("Move due date")),
        ]
    )
    ids = IdListField(error_messages={"required": _("Select at least one item first.")})
    owner = PersonChoiceField(queryset=User.objects.none(), required=False, label=_("New owner"))
    status = forms.ChoiceField(required=False, label=_("New status"))
    days = forms.IntegerField(
        required=False, min_value=-3650, max_value=3650, label=_("Move by days")
    )
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, register: Register, people: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.register = register
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = people
        owner.empty_label = str(_("— choose —"))
        status_choices = status_choices_of(register)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", str(_("— choose —"))),
            *status_choices,
        ]
        self.fields["days"].widget.attrs.update({"placeholder": "+7", "step": 1})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        action = cleaned.get("action")
        if action == BULK_OWNER and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        elif action == BULK_STATUS and not cleaned.get("status"):
            self.add_error("status", _("Choose the new status."))
        elif action == BULK_SHIFT and not cleaned.get("days"):
            self.add_error("days", _("Give a number of days, e.g. 7 or -3."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The keyword arguments for `services.items_bulk_update`."""
        action = self.cleaned_data["action"]
        if action == BULK_OWNER:
            return {"owner": self.cleaned_data["owner"]}
        if action == BULK_STATUS:
            return {"status": self.cleaned_data["status"]}
        return {"shift_days": self.cleaned_data["days"]}


def scope_projects(user: Any, scope_kind: str, scope: Any) -> QuerySet[Project]:
    """Visible projects in a programme, a portfolio or anywhere (for the project filter)."""
    from schakel.portfolio import access as portfolio_access

    projects = portfolio_access.visible_projects(user)
    if scope_kind == "programme":
        projects = projects.filter(programme=scope)
    elif scope_kind == "portfolio":
        projects = projects.filter(programme__portfolio=scope)
    return projects.order_by("key")
