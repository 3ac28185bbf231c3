"""Forms of the import pages: the upload, and the column mapping of the review page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.core.importers.tabular import ImportFileError

from . import imports
from .models_import import RAID, ImportJob
from .registry import REGISTERS


def register_choices() -> list[tuple[str, Any]]:
    """The six registers, then the RAID workbook with a sheet per register."""
    return [(r.kind, r.title) for r in REGISTERS] + [
        (RAID, ImportJob.Kind.RAID.label),
    ]


class ImportStartForm(forms.Form):
    """Choose the register and the file; the size is checked before the file is read."""

    register = forms.ChoiceField(
        label=gettext_lazy("Import into"),
        choices=register_choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file, up to 10 MB. The first row holds the "
            "column names; an export of a Schakel list can be imported as it is."
        ),
        error_messages={
            "empty": gettext_lazy(
                "The file is empty: it needs a row of column names and at least one row below it."
            ),
            "required": gettext_lazy("Choose the file to import."),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet,text/csv"
            }
        ),
    )
    update = forms.BooleanField(
        label=gettext_lazy("Update existing items by reference code"),
        required=False,
        help_text=gettext_lazy(
            "A row whose reference code (such as ODI-R12) names an item of this project "
            "updates that item instead of adding a copy; rows without a code become new items."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_UPLOAD_BYTES:
            # Refused from its size alone: a file this big is never read into memory.
            raise forms.ValidationError(
                imports.file_error_message(
                    ImportFileError(
                        "too_large", {"size": upload.size, "max_bytes": imports.MAX_UPLOAD_BYTES}
                    )
                )
            )
        return upload

    @property
    def max_size(self) -> str:
        return filesizeformat(imports.MAX_UPLOAD_BYTES)


def _column_name(index: int) -> str:
    """The spreadsheet letter of a column: A, B, ..., Z, AA, ..."""
    name = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(65 + remainder) + name
    return name


class ImportMappingForm(forms.Form):
    """Which field each column of each sheet feeds (and, in a RAID workbook, which register)."""

    update = forms.BooleanField(
        label=gettext_lazy("Update existing items by reference code"),
        required=False,
    )

    def __init__(self, job: ImportJob, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.fields["update"].initial = job.update_existing
        mappings = job.sheet_mappings()
        self.layout: list[dict[str, Any]] = []
        for index, sheet in enumerate(job.sheets):
            mapping = mappings[index] if index < len(mappings) else {"kind": None, "columns": []}
            kind = mapping.get("kind")
            entry: dict[str, Any] = {"index": index, "sheet": sheet, "kind": kind, "columns": []}
            if job.is_raid:
                name = f"sheet-{index}-kind"
                self.fields[name] = forms.ChoiceField(
                    label=_("Register of sheet “%(sheet)s”") % {"sheet": sheet["name"]},
                    choices=[("", _("(skip this sheet)"))] + [(r.kind, r.title) for r in REGISTERS],
                    required=False,
                    initial=kind or "",
                )
                entry["kind_field"] = name
            if kind:
                choices = [("", _("(ignore)"))] + [
                    (spec.key, capfirst(str(spec.label))) for spec in imports.fields_for(kind)
                ]
                columns = mapping.get("columns", [])
                for column, header in enumerate(sheet["headers"]):
                    name = f"sheet-{index}-col-{column}"
                    self.fields[name] = forms.ChoiceField(
                        label=header or _("Column %(letter)s") % {"letter": _column_name(column)},
                        choices=choices,
                        required=False,
                        initial=(columns[column] if column < len(columns) else None) or "",
                    )
                    samples = sheet.get("samples", [])
                    entry["columns"].append(
                        {
                            "letter": _column_name(column),
                            "header": header,
                            "sample": samples[column] if column < len(samples) else "",
                            "name": name,
                        }
                    )
            self.layout.append(entry)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for entry in self.layout:
            if self.job.is_raid and cleaned.get(entry["kind_field"], "") != (entry["kind"] or ""):
                continue  # the register changes: its columns are guessed again
            seen: dict[str, str] = {}
            for column in entry["columns"]:
                value = cleaned.get(column["name"])
                if not value:
                    continue
                if value in seen:
                    self.add_error(
                        column["name"],
                        _("Column %(other)s already feeds this field; choose one of the two.")
                        % {"other": seen[value]},
                    )
                else:
                    seen[value] = column["letter"]
        return cleaned

    def sheets(self) -> list[dict[str, Any]]:
        """The chosen mapping, in the shape `imports.job_remap` takes."""
        out = []
        for entry in self.layout:
            kind = entry["kind"]
            if self.job.is_raid:
                kind = self.cleaned_data.get(entry["kind_field"]) or None
            columns = [self.cleaned_data.get(c["name"]) or None for c in entry["columns"]]
            out.append({"kind": kind, "columns": columns})
        return out

    def sheet_layout(self) -> list[dict[str, Any]]:
        """Per sheet: its description, its register select and (header, sample, select)."""
        out = []
        for entry in self.layout:
            out.append(
                {
                    **entry,
                    "kind_bound": self[entry["kind_field"]] if "kind_field" in entry else None,
                    "rows": [
                        {**column, "field": self[column["name"]]} for column in entry["columns"]
                    ],
                }
            )
        return out
