"""Forms of the portfolio pages: create and edit forms, the move form and the filter bars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Portfolio, Programme, Project, Theme

User = get_user_model()

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_people() -> QuerySet[Any]:
    """People who may be named manager or sponsor: active accounts, by name."""
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _choices(form: forms.BaseForm, name: str) -> Any:
    return cast(forms.ChoiceField, form.fields[name]).choices


class PersonChoiceField(forms.ModelChoiceField):
    """A select of people labelled with their display name."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was opened at, so stale edits are refused.

    `changes()` gives the cleaned values of the model fields, ready for a service call.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("manager", "sponsor"):
            if name in self.fields:
                _model_choice(self, name).empty_label = str(_("— nobody yet —"))
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        # Browsers send CRLF in a form post and htmx sends LF: store one kind of newline.
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


# Portfolio, programme, theme ------------------------------------------------------


class PortfolioForm(VersionedForm):
    class Meta:
        model = Portfolio
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class ProgrammeForm(VersionedForm):
    manager = PersonChoiceField(
        queryset=active_people(), required=False, label=_("Programme manager")
    )
    sponsor = PersonChoiceField(queryset=active_people(), required=False, label=_("Sponsor"))

    class Meta:
        model = Programme
        fields = [
            "name",
            "key",
            "manager",
            "sponsor",
            "state",
            "start_date",
            "end_date",
            "description",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 6}),
        }


class ThemeForm(VersionedForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


# Project --------------------------------------------------------------------------


def parse_tag_names(text: str) -> list[str]:
    """Split a comma-separated tag text into clean, unique names (first spelling wins)."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


class ThemeChoiceField(forms.ModelChoiceField):
    """A select of themes; with several programmes the label names the programme too."""

    def __init__(self, *args: Any, with_programme: bool = False, **kwargs: Any):
        self.with_programme = with_programme
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        if self.with_programme:
            return f"{obj.programme.name} › {obj.name}"
        return obj.name


class ProjectForm(VersionedForm):
    """Create or edit a project.

    With `programmes` (create anywhere) the user picks the programme; otherwise the
    programme is the one of the instance. Themes are limited to that programme's themes
    (or to those of the offered programmes, checked against the chosen one).
    """

    manager = PersonChoiceField(
        queryset=active_people(), required=False, label=_("Project manager")
    )
    sponsor = PersonChoiceField(queryset=active_people(), required=False, label=_("Sponsor"))
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas, e.g. IT, Quick win."),
    )

    class Meta:
        model = Project
        fields = [
            "key",
            "name",
            "theme",
            "manager",
            "sponsor",
            "phase",
            "state",
            "start_date",
            "end_date",
            "description",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, programmes: Iterable[Programme] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["key"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "class": "mono"}
        )
        if programmes is not None:
            offered = list(programmes)
            self.fields["programme"] = forms.ModelChoiceField(
                queryset=Programme.objects.filter(pk__in=[p.pk for p in offered]).select_related(
                    "portfolio"
                ),
                label=_("Programme"),
                empty_label=None if len(offered) == 1 else "———",
            )
            self.order_fields(["programme", *self.Meta.fields])
            themes = Theme.objects.filter(programme__in=offered).select_related("programme")
            self.fields["theme"] = ThemeChoiceField(
                queryset=themes,
                required=False,
                label=_("Theme"),
                with_programme=len(offered) > 1,
            )
        else:
            _model_choice(self, "theme").queryset = Theme.objects.filter(
                programme_id=self.instance.programme_id
            )
        _model_choice(self, "theme").empty_label = str(_("— no theme —"))
        if self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_key(self) -> str:
        return (self.cleaned_data.get("key") or "").strip().upper()

    def clean_tags(self) -> list[str]:
        return parse_tag_names(self.cleaned_data.get("tags", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        programme = cleaned.get("programme")
        theme = cleaned.get("theme")
        if programme is not None:
            # Set early so the model's own checks (theme in programme) see it.
            self.instance.programme = programme
            if theme is not None and theme.programme_id != programme.pk:
                self.add_error("theme", _("This theme belongs to another programme."))
        return cleaned

    def tag_names(self) -> list[str]:
        return self.cleaned_data.get("tags", [])


class ProgrammeChoiceField(forms.ModelChoiceField):
    """A select of programmes labelled with their portfolio."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.portfolio.name} › {obj.name}"


class ProjectMoveForm(forms.Form):
    """Pick the programme a project moves to."""

    programme = ProgrammeChoiceField(queryset=Programme.objects.none(), label=_("New programme"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, programmes: Iterable[Programme], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _model_choice(self, "programme").queryset = Programme.objects.filter(
            pk__in=[p.pk for p in programmes]
        ).select_related("portfolio")


# Filter bars ----------------------------------------------------------------------


class SingleSelectMultiple(forms.Select):
    """A plain select for a multiple-choice filter: one value picked, several accepted.

    The filtersets take `state=a&state=b` (the API does); the page offers one at a time.
    """

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else [data.get(name)]
        return [v for v in values if v]


def _select(choices: Iterable[tuple[Any, Any]], empty: str) -> forms.Select:
    return forms.Select(choices=[("", empty), *choices], attrs={"data-autosubmit": ""})


def _multi_select(choices: Iterable[tuple[Any, Any]], empty: str) -> SingleSelectMultiple:
    return SingleSelectMultiple(choices=[("", empty), *choices], attrs={"data-autosubmit": ""})


def _search_box(form: forms.Form, placeholder: str) -> None:
    form.fields["q"].widget = forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


def _archived_select(form: forms.Form) -> None:
    field = form.fields["archived"]
    field.widget = forms.Select(choices=_choices(form, "archived"), attrs={"data-autosubmit": ""})
    field.label = _("Archived")


def prepare_project_filter_form(
    form: forms.Form,
    *,
    programmes: Iterable[Programme],
    themes: Iterable[tuple[int, str]],
    managers: Iterable[Any],
    tags: Iterable[str],
) -> forms.Form:
    """Turn the project filterset's form into a filter bar of selects with real choices."""
    _search_box(form, str(_("Key, name or description")))
    form.fields["programme"].widget = _select(
        [(p.pk, p.name) for p in programmes], str(_("All programmes"))
    )
    form.fields["theme"].widget = _select(themes, str(_("All themes")))
    form.fields["phase"].widget = _multi_select(_choices(form, "phase"), str(_("All phases")))
    form.fields["state"].widget = _multi_select(_choices(form, "state"), str(_("All states")))
    form.fields["manager"].widget = _select(
        [(u.pk, u.display_name) for u in managers], str(_("Anyone"))
    )
    form.fields["tag"].widget = _select([(t, t) for t in tags], str(_("All tags")))
    _archived_select(form)
    return form


def prepare_programme_filter_form(
    form: forms.Form, *, portfolios: Iterable[Portfolio]
) -> forms.Form:
    """Turn the programme filterset's form into a filter bar of selects with real choices."""
    _search_box(form, str(_("Name or description")))
    form.fields["portfolio"].widget = _select(
        [(p.pk, p.name) for p in portfolios], str(_("All portfolios"))
    )
    form.fields["state"].widget = _multi_select(_choices(form, "state"), str(_("All states")))
    _archived_select(form)
    return form


class PortfolioFilterForm(forms.Form):
    """Search the portfolio list by name."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    ordering = forms.ChoiceField(
        required=False,
        choices=[("name", "name"), ("-name", "-name")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _search_box(self, str(_("Name or description")))
