"""Forms of the plan pages: a task, a link, the plan's calendar, a baseline, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.portfolio.models import Project
from schakel.registers.access import scope_people

from .models import ProjectPlan, Task, TaskLink

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip
IMPORT_LIMIT = 25 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TaskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [
            "name", "milestone", "duration", "constraint", "constraint_date",
            "percent_complete", "actual_start", "actual_finish", "owner", "notes",
        ]  # fmt: skip
        widgets = {
            "constraint_date": DateInput(),
            "actual_start": DateInput(),
            "actual_finish": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = project or self.instance.project
        owner = self.fields["owner"]
        owner.queryset = scope_people(project, keep=[self.instance.owner_id])  # type: ignore[attr-defined]
        owner.required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TaskChoiceField(forms.ModelChoiceField):
    """A task shown by its outline number and name (its project is chosen beside it)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.wbs} {obj.name}".strip()


class LinkForm(forms.Form):
    """Make a task wait for another: a project (this one or any other you see), then one
    of its tasks. The tasks of another project are loaded when it is chosen (htmx, or
    *Show its tasks* without JavaScript), so no list holds every task you see."""

    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), label=_("Project"), required=False
    )
    predecessor = TaskChoiceField(queryset=Task.objects.none(), label=_("Waits for"))
    type = forms.ChoiceField(choices=TaskLink.Type.choices, label=_("Type"), initial="FS")
    lag = forms.IntegerField(
        label=_("Lag (working days)"), initial=0, min_value=-1000, max_value=1000,
        help_text=_("Negative for a lead."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        task: Task,
        projects: Any,
        tasks: Any,
        project: Any = None,
        options_url: str = "",
        **kwargs: Any,
    ) -> None:
        """`projects` and `tasks` are what the user sees; `project` the one whose tasks are
        offered (the task's own unless another is asked for). A posted form accepts any
        task the user sees: the list only narrows what is shown."""
        super().__init__(*args, **kwargs)
        chosen = project.pk if project is not None else task.project_id
        field = self.fields["project"]
        field.queryset = projects  # type: ignore[attr-defined]
        field.initial = chosen
        if options_url:
            field.widget.attrs.update(
                {"hx-get": options_url, "hx-target": "#id_predecessor", "hx-trigger": "change"}
            )
        choices = tasks.exclude(pk=task.pk)
        if not self.is_bound:
            choices = choices.filter(project_id=chosen).order_by("order")
        self.fields["predecessor"].queryset = choices  # type: ignore[attr-defined]


class ConnectForm(forms.Form):
    """Put a dependency item in the plan: a task of its project and one of the other's."""

    ours = TaskChoiceField(queryset=Task.objects.none(), label=_("Our task"))
    theirs = TaskChoiceField(queryset=Task.objects.none(), label=_("Their task"))
    type = forms.ChoiceField(choices=TaskLink.Type.choices, label=_("Type"), initial="FS")
    lag = forms.IntegerField(
        label=_("Lag (working days)"), initial=0, min_value=-1000, max_value=1000,
        help_text=_("Negative for a lead."),
    )  # fmt: skip

    def __init__(self, *args: Any, ours: Any, theirs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ours"].queryset = ours  # type: ignore[attr-defined]
        self.fields["theirs"].queryset = theirs  # type: ignore[attr-defined]


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        label=_("Working days of the week"),
    )  # fmt: skip
    holidays = forms.ChoiceField(
        choices=[("NL", _("Dutch public holidays")), ("", _("No public holidays"))],
        required=False, label=_("Public holidays"),
    )  # fmt: skip

    class Meta:
        model = ProjectPlan
        fields = ["start", "weekdays", "holidays", "status_date"]
        widgets = {"start": DateInput(), "status_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExceptionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    working = forms.BooleanField(label=_("Extra working day"), required=False)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)


class BaselineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("MS Project XML file"))
    replace = forms.BooleanField(
        label=_("Replace the current plan"), required=False,
        help_text=_("The tasks, links and baselines of this project are removed first."),
    )  # fmt: skip

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_LIMIT:
            raise forms.ValidationError(_("The file is larger than 25 MB."))
        return upload
