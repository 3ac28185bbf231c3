"""Forms of the reporting pages: a cycle (with its dimension rows) and a highlight report.

The report form is built per cycle: one colour and one reason per dimension the cycle
rates, and only the text sections the cycle asks for. A reason is required, server-side,
for every colour that is not green; submitting adds the service's completeness errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.portfolio.models import Project

from .models import TEXT_SECTIONS, Rag, ReportingCycle, Section, StatusReport

RAG_CHOICES = [(value, label) for value, label in Rag.choices]


class CycleForm(forms.ModelForm):  # type: ignore[type-arg]
    """Everything about a cycle except its dimensions (a formset of rows beside it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Reporting projects"),
    )
    sections = forms.MultipleChoiceField(
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Sections"),
    )

    class Meta:
        model = ReportingCycle
        fields = [
            "name",
            "frequency",
            "anchor",
            "month_day",
            "due_after",
            "remind_days_before",
            "remind_on_due",
            "remind_overdue_every",
            "active",
        ]
        widgets = {"anchor": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["projects"]
        assert isinstance(choice, forms.ModelMultipleChoiceField)
        choice.queryset = projects
        choice.label_from_instance = lambda p: f"{p.key} – {p.name}"  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["projects"].initial = list(
                self.instance.projects.values_list("pk", flat=True)
            )
        else:
            self.fields["projects"].initial = list(projects.values_list("pk", flat=True))
        self.fields["sections"].initial = list(self.instance.sections)

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["sections"] = [s for s in Section.values if s in self.cleaned_data["sections"]]
        return data


class DimensionForm(forms.Form):
    """One RAG dimension of a cycle; an empty row is left out."""

    key = forms.SlugField(label=gettext_lazy("Key"), max_length=30, required=False)
    en = forms.CharField(label=gettext_lazy("English"), max_length=60, required=False)
    nl = forms.CharField(label=gettext_lazy("Dutch"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [bool(data.get(n)) for n in ("key", "en", "nl")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Give a key, an English and a Dutch name."))
        if data.get("key") and data["key"] != data["key"].lower():
            self.add_error("key", _("Use lower-case letters, digits and _ only."))
        return data


DimensionFormSet = formset_factory(DimensionForm, extra=2, max_num=12, absolute_max=14)


def dimension_formset(data: Any = None, *, dimensions: list[dict[str, str]]) -> Any:
    return DimensionFormSet(data, initial=dimensions, prefix="dim")


def dimensions_of(formset: Any) -> list[dict[str, str]]:
    return [
        {"key": f.cleaned_data["key"], "en": f.cleaned_data["en"], "nl": f.cleaned_data["nl"]}
        for f in formset.forms
        if f.cleaned_data.get("key")
    ]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200, required=False)
    baseline = forms.DateField(
        label=gettext_lazy("Baseline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    forecast = forms.DateField(
        label=gettext_lazy("Forecast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    done = forms.BooleanField(label=gettext_lazy("Done"), required=False)


MilestoneFormSet = formset_factory(
    MilestoneForm, extra=2, can_delete=True, max_num=30, absolute_max=32
)


def milestone_formset(data: Any = None, *, milestones: list[dict[str, Any]]) -> Any:
    return MilestoneFormSet(data, initial=milestones, prefix="ms")


def milestones_of(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for f in formset.forms:
        data = f.cleaned_data
        if not data.get("title") or data.get("DELETE"):
            continue
        rows.append(
            {
                "title": data["title"],
                "baseline": data["baseline"].isoformat() if data.get("baseline") else None,
                "forecast": data["forecast"].isoformat() if data.get("forecast") else None,
                "done": bool(data.get("done")),
            }
        )
    return rows


class ReportForm(forms.Form):
    """A highlight report of one cycle: overall colour, a colour per dimension, the texts."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overall = forms.ChoiceField(
        label=gettext_lazy("Overall"),
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    overall_reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self, data: Any = None, *, report: StatusReport, language: str = "en", **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.report = report
        cycle = report.cycle
        ratings = {r.dimension: r for r in report.ratings.all()}
        self.dimensions = []
        for dim in cycle.dimensions:
            key = dim["key"]
            label = dim.get(language) or dim["en"]
            self.fields[f"rag_{key}"] = forms.ChoiceField(
                label=label, choices=RAG_CHOICES, widget=forms.RadioSelect, required=False
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("Why %(dimension)s is not green") % {"dimension": label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            rating = ratings.get(key)
            self.initial[f"rag_{key}"] = rating.rag if rating else ""
            self.initial[f"reason_{key}"] = rating.reason if rating else ""
            self.dimensions.append((key, label))
        self.text_sections = [s for s in TEXT_SECTIONS if s in cycle.sections]
        for section in self.text_sections:
            self.fields[str(section)] = forms.CharField(
                label=section.label,
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=20000,
            )
            self.initial[str(section)] = getattr(report, str(section))
        self.initial.setdefault("overall", report.overall)
        self.initial.setdefault("overall_reason", report.overall_reason)
        self.initial.setdefault("version", report.version)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("overall") not in ("", None, Rag.GREEN)
            and not data.get("overall_reason", "").strip()
        ):
            self.add_error("overall_reason", _("Say why the project is not green."))
        for key, label in self.dimensions:
            rag = data.get(f"rag_{key}")
            if rag and rag != Rag.GREEN and not data.get(f"reason_{key}", "").strip():
                self.add_error(
                    f"reason_{key}", _("Say why %(dimension)s is not green.") % {"dimension": label}
                )
        return data

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            key: (
                self.cleaned_data.get(f"rag_{key}") or "",
                self.cleaned_data.get(f"reason_{key}", ""),
            )
            for key, _label in self.dimensions
        }

    def changes(self) -> dict[str, Any]:
        data = {
            "overall": self.cleaned_data.get("overall") or "",
            "overall_reason": self.cleaned_data.get("overall_reason", ""),
        }
        for section in self.text_sections:
            data[str(section)] = self.cleaned_data.get(str(section), "")
        return data

    def text_fields(self) -> list[Any]:
        return [self[str(section)] for section in self.text_sections]

    def dimension_rows(self) -> list[tuple[str, str, Any, Any]]:
        return [
            (key, label, self[f"rag_{key}"], self[f"reason_{key}"])
            for key, label in self.dimensions
        ]


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment for the project manager"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
