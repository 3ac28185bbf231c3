"""The columns of each register's list, in one table used by the list page and its export.

A list page and its CSV/XLSX export read the same `ListColumn`s, so a file holds exactly
the columns people saw (plus the description and tags, which do not fit a row). Each
column names how the row template draws it (`cell`), the sort key of the register's
filterset (`sort`, empty when it cannot be sorted) and the kind of spreadsheet cell.

The "project" column is left out of project lists: every row there belongs to the project.
Dependencies always show both ends instead ("ODI → CAR").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schakel.core.charts import HeatmapScale
from schakel.core.exports.tabular import Column, ColumnKind, Sheet
from schakel.lib.origins import Origin, OriginMap

from .models import REGISTER_MODELS, RegisterItem, RiskScaleLevel, ScaleAxis
from .registry import Register

# How a cell is drawn (the row template switches on these):
# ref, title, scope, link (dependency ends), owner, person, status, due, date, score,
# trend, choice (a badge of a choice field), text, source (where the item came from: the
# meeting it was born in, see `schakel.lib.origins`, or an action's source item), decided_by.


@dataclass(frozen=True)
class ListColumn:
    """One column of a register list and of its export."""

    key: str
    label: Promise
    cell: str
    attr: str = ""
    sort: str = ""
    kind: ColumnKind = "text"
    css: str = ""
    in_export: bool = True  # False: the page shows it, the file has it in another form


# The export's column for where an item came from (a meeting), next to each "source"
# column; recognised, not imported, by the importer (see `imports.DERIVED`).
ORIGIN_EXPORT_KEY = "meeting"


def _ref() -> ListColumn:
    return ListColumn("ref", _("Ref"), "ref", sort="number", css="col-ref")


def _title() -> ListColumn:
    return ListColumn("title", _("Title"), "title", sort="title", css="col-title")


def _project() -> ListColumn:
    return ListColumn("project", _("Project"), "scope", sort="project", css="col-project")


def _owner() -> ListColumn:
    return ListColumn("owner", _("Owner"), "owner", attr="owner", sort="owner", css="col-person")


def _status() -> ListColumn:
    return ListColumn("status", _("Status"), "status", attr="status", sort="status")


def _due(key: str, label: Promise) -> ListColumn:
    return ListColumn(key, label, "due", attr=key, sort="due", kind="date", css="col-date")


def _choice(key: str, label: Promise, sort: str = "") -> ListColumn:
    return ListColumn(key, label, "choice", attr=key, sort=sort)


COLUMNS: dict[str, tuple[ListColumn, ...]] = {
    "risk": (
        _ref(),
        _title(),
        _project(),
        _owner(),
        ListColumn("category", _("Category"), "text", attr="category"),
        ListColumn("score", _("Score"), "score", attr="score", sort="score", kind="int"),
        ListColumn(
            "residual_score",
            _("Residual"),
            "score",
            attr="residual_score",
            sort="residual",
            kind="int",
        ),
        _choice("response", _("Response")),
        _due("review_date", _("Review date")),
        _status(),
        ListColumn("trend", _("Trend"), "trend", attr="trend"),
    ),
    "issue": (
        _ref(),
        _title(),
        _project(),
        _choice("type", _("Type")),
        _choice("priority", _("Priority"), sort="priority"),
        _choice("severity", _("Severity")),
        _owner(),
        _due("target_date", _("Target date")),
        _status(),
    ),
    "assumption": (
        _ref(),
        _title(),
        _project(),
        _owner(),
        _due("validate_by", _("Validate by")),
        _status(),
    ),
    "dependency": (
        _ref(),
        _title(),
        ListColumn("ends", _("Project → other project"), "link", sort="project"),
        _choice("direction", _("Direction")),
        _owner(),
        _due("need_by", _("Needed by")),
        _status(),
    ),
    "action": (
        _ref(),
        _title(),
        _project(),
        _owner(),
        _due("due", _("Due")),
        _choice("priority", _("Priority"), sort="priority"),
        _status(),
        ListColumn("source", _("Source"), "source", css="col-ref"),
    ),
    "decision": (
        _ref(),
        _title(),
        _project(),
        _owner(),
        ListColumn("decided_by", _("Decided by"), "decided_by", attr="decided_by"),
        _due("needed_by", _("Needed by")),
        ListColumn(
            "decided_on",
            _("Decided on"),
            "date",
            attr="decided_on",
            sort="decided",
            kind="date",
            css="col-date",
        ),
        _status(),
        # Decisions have no source item: the file's "From meeting" column says it all.
        ListColumn("source", _("Source"), "source", css="col-source", in_export=False),
    ),
}


def columns_for(register: Register, scope_kind: str) -> tuple[ListColumn, ...]:
    """The list's columns of a register shown at a scope ("project", "programme", ...)."""
    columns = COLUMNS[register.kind]
    if scope_kind == "project":
        columns = tuple(c for c in columns if c.cell != "scope")
    return columns


# Reading rows without N+1 --------------------------------------------------------------


# What the rows, their exports, the API and edit rights read of the related objects: a person's
# name, a project's or programme's code, name, place and whether it is archived. Their
# other columns (descriptions, timestamps, a person's password hash and settings) stay in
# the database: reading them was a third of a list query's time.
_RELATED_USED = {
    "user": {"id", "username", "first_name", "last_name"},
    "project": {"id", "key", "name", "programme", "archived_at", "state", "phase"},
    "programme": {"id", "key", "name", "portfolio", "archived_at", "state"},
}


@functools.cache
def unused_related_fields(model: type[RegisterItem], paths: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of the related objects along `paths` ("project__programme", "owner") that
    nothing on a list page, an export or the API's item reads (to `defer` them)."""
    unused: list[str] = []
    seen: set[str] = set()
    for path in paths:
        current: Any = model
        prefix = ""
        for part in path.split("__"):
            prefix = f"{prefix}__{part}" if prefix else part
            current = current._meta.get_field(part).related_model
            used = _RELATED_USED.get(current._meta.model_name)
            if prefix in seen or used is None:
                continue
            seen.add(prefix)
            unused += [
                f"{prefix}__{f.name}" for f in current._meta.concrete_fields if f.name not in used
            ]
    return tuple(unused)


def rows_queryset(queryset: QuerySet[Any], register: Register) -> QuerySet[Any]:
    """Load what the columns draw (scope, owner, category, ends, source) with the rows."""
    related = ["project__programme", "programme", "owner"]
    kind = register.kind
    if kind == "risk":
        related.append("category")
    elif kind == "dependency":
        related.append("other_project")
    elif kind == "decision":
        related.append("decided_by")
    queryset = queryset.select_related(*related).defer(
        *unused_related_fields(register.model, tuple(related))
    )
    if kind == "action":
        queryset = queryset.prefetch_related(
            GenericPrefetch(
                "source",
                [m.objects.select_related("project", "programme") for m in REGISTER_MODELS],
            )
        )
    return queryset


# The risk scale (for score colours) ------------------------------------------------------


def risk_levels() -> dict[str, list[RiskScaleLevel]]:
    """The configured probability and impact levels, per axis (one query)."""
    levels: dict[str, list[RiskScaleLevel]] = {ScaleAxis.PROBABILITY: [], ScaleAxis.IMPACT: []}
    for level in RiskScaleLevel.objects.order_by("axis", "value"):
        levels.setdefault(level.axis, []).append(level)
    return levels


def risk_scale(levels: Mapping[str, list[RiskScaleLevel]]) -> HeatmapScale:
    """The heatmap scale of the configured levels, so a score's colour matches the heatmap."""
    probability = [lv.label for lv in levels.get(ScaleAxis.PROBABILITY, [])]
    impact = [lv.label for lv in levels.get(ScaleAxis.IMPACT, [])]
    if not 2 <= len(probability) <= 10:
        probability = [str(n) for n in range(1, 6)]
    if not 2 <= len(impact) <= 10:
        impact = [str(n) for n in range(1, 6)]
    return HeatmapScale(probability_labels=probability, impact_labels=impact)


BAND_LABELS: dict[str, Promise] = {
    "low": _("low"),
    "medium": _("medium"),
    "high": _("high"),
    "critical": _("critical"),
}


# Cells ----------------------------------------------------------------------------------


@dataclass
class Cell:
    """One drawn cell: its column, the value and, for badges, a code and a label."""

    column: ListColumn
    value: Any = None
    code: str = ""
    label: str = ""
    detail: str = ""


@dataclass
class Row:
    """One list row: the item, its cells, and what the viewer may do with it."""

    item: RegisterItem
    cells: list[Cell]
    can_edit: bool = False
    owners: list[Any] = field(default_factory=list)
    origin: Origin | None = None  # the meeting (say) the item was born in, if visible


# Where items came from (a meeting): `schakel.lib.origins.origins_for` bound to the viewer.
OriginLookup = Callable[[Sequence[RegisterItem]], OriginMap]
# Items whose origins an export looks up at once (one query per batch).
ORIGIN_BATCH = 500


def has_source(columns: Iterable[ListColumn]) -> bool:
    """Whether the columns show where items came from (and so need their origins)."""
    return any(c.cell == "source" for c in columns)


def origin_key(item: RegisterItem) -> tuple[int, int]:
    """The key of an item in an `OriginMap`: its content type and id."""
    return (ContentType.objects.get_for_model(item).pk, item.pk)


def add_origins(rows: Sequence[Row], origins: OriginMap) -> None:
    """Give each row the origin of its item, when there is one the viewer may see."""
    for row in rows:
        row.origin = origins.get(origin_key(row.item))


# The label of a choice, per model, field, value and language: Django's get_FOO_display
# rebuilds the field's whole choice table on every call (a tenth of a millisecond).
_LABELS: dict[tuple[type, str, Any, str | None], str] = {}


def _display(item: RegisterItem, attr: str) -> str:
    value = getattr(item, attr)
    if not value:
        return ""
    key = (type(item), attr, value, get_language())
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = str(getattr(item, f"get_{attr}_display")())
    return label


def _scope_label(item: RegisterItem) -> str:
    if item.project is not None:
        return item.project.key
    programme = item.programme
    return (programme.key or programme.name) if programme is not None else ""


def _source(item: RegisterItem) -> Any:
    try:
        return getattr(item, "source", None)
    except AttributeError:  # a source type whose model is gone
        return None


def cell_for(column: ListColumn, item: RegisterItem, scale: HeatmapScale | None) -> Cell:
    """Draw one cell of a row."""
    kind = column.cell
    if kind in ("owner", "person"):
        return Cell(column, value=getattr(item, column.attr))
    if kind in ("status", "choice", "trend"):
        return Cell(column, code=getattr(item, column.attr), label=_display(item, column.attr))
    if kind in ("due", "date"):
        return Cell(column, value=getattr(item, column.attr))
    if kind == "score":
        score = getattr(item, column.attr)
        if score is None:
            return Cell(column)
        prefix = "residual_" if column.attr.startswith("residual") else ""
        probability = getattr(item, f"{prefix}probability")
        impact = getattr(item, f"{prefix}impact")
        band = scale.band_for_score(score).key if scale is not None else ""
        return Cell(
            column,
            value=score,
            code=band,
            label=str(BAND_LABELS.get(band, "")),
            detail=f"{probability} × {impact}",
        )
    if kind == "text":
        value = getattr(item, column.attr)
        return Cell(column, value=str(value) if value is not None else "")
    if kind == "scope":
        return Cell(column, value=item.project or item.programme, label=_scope_label(item))
    if kind == "link":
        other = getattr(item, "other_project", None)
        return Cell(
            column, value=other, label=_scope_label(item), detail=other.key if other else ""
        )
    if kind == "source":
        return Cell(column, value=_source(item))
    if kind == "decided_by":
        return Cell(column, value=getattr(item, "decided_by", None), label=item.forum)  # type: ignore[attr-defined]
    return Cell(column)


def build_rows(
    items: Iterable[RegisterItem],
    columns: Iterable[ListColumn],
    scale: HeatmapScale | None = None,
) -> list[Row]:
    """Turn items into rows of cells for the list template."""
    columns = tuple(columns)
    return [Row(item, [cell_for(c, item, scale) for c in columns]) for item in items]


# Export ---------------------------------------------------------------------------------


def export_value(column: ListColumn, item: RegisterItem) -> Any:
    """The plain value a spreadsheet cell holds for one column of one item."""
    kind = column.cell
    if kind == "ref":
        return item.ref
    if kind == "title":
        return item.title
    if kind == "scope":
        return _scope_label(item)
    if kind == "link":
        other = getattr(item, "other_project", None)
        return f"{_scope_label(item)} → {other.key if other else ''}"
    if kind in ("owner", "person"):
        person = getattr(item, column.attr)
        return person.display_name if person is not None else None
    if kind in ("status", "choice", "trend"):
        return _display(item, column.attr) or None
    if kind in ("due", "date", "score"):
        return getattr(item, column.attr)
    if kind == "text":
        value = getattr(item, column.attr)
        return str(value) if value is not None else None
    if kind == "source":
        source = _source(item)
        return getattr(source, "ref", None) or (str(source) if source is not None else None)
    if kind == "decided_by":
        person = getattr(item, "decided_by", None)
        parts = [person.display_name if person else "", getattr(item, "forum", "")]
        return " · ".join(p for p in parts if p) or None
    return None


# Fields an export carries beyond the list's columns, so that re-importing it recreates
# the items (a risk's probability and impact, not only its score).
EXPORT_EXTRA: dict[str, tuple[tuple[str, Promise, ColumnKind], ...]] = {
    "risk": (
        ("nature", _("Threat or opportunity"), "text"),
        ("probability", _("Probability"), "int"),
        ("impact", _("Impact"), "int"),
        ("residual_probability", _("Residual probability"), "int"),
        ("residual_impact", _("Residual impact"), "int"),
        ("cause", _("Cause"), "text"),
        ("event", _("Event"), "text"),
        ("effect", _("Effect"), "text"),
    ),
}


def origin_text(origin: Origin | None) -> str | None:
    """Where an item came from, as one line of text for a file."""
    if origin is None:
        return None
    return f"{origin.label} · {origin.detail}" if origin.detail else origin.label


def export_columns(columns: Iterable[ListColumn], kind: str = "") -> list[Column]:
    """The export's columns: the list's, the register's extra fields, description and tags.

    A "source" column brings a "From meeting" column along: where the item was born.
    """
    out: list[Column] = []
    for c in columns:
        if c.in_export:
            out.append(Column(c.key, str(c.label), c.kind))
        if c.cell == "source":
            out.append(Column(ORIGIN_EXPORT_KEY, str(_("From meeting"))))
    out += [
        Column(key, str(label), col_kind) for key, label, col_kind in EXPORT_EXTRA.get(kind, ())
    ]
    out.append(Column("description", str(_("Description"))))
    out.append(Column("tags", str(_("Tags")), "list"))
    return out


def _with_origins(
    items: Iterable[RegisterItem], origins: OriginLookup | None
) -> Iterator[tuple[RegisterItem, Origin | None]]:
    """Pair items with their origins, looked up a batch at a time."""
    if origins is None:
        for item in items:
            yield item, None
        return
    iterator = iter(items)
    while batch := list(islice(iterator, ORIGIN_BATCH)):
        found = origins(batch)
        for item in batch:
            yield item, found.get(origin_key(item))


def export_rows(
    items: Iterable[RegisterItem],
    columns: Iterable[ListColumn],
    kind: str = "",
    origins: OriginLookup | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one mapping per item for `schakel.core.exports.tabular` (tags prefetched).

    `origins` looks up where items came from, for a "source" column (one query a batch).
    """
    columns = tuple(columns)
    extra = EXPORT_EXTRA.get(kind, ())
    if not has_source(columns):
        origins = None
    for item, origin in _with_origins(items, origins):
        row = {c.key: export_value(c, item) for c in columns if c.in_export}
        if origins is not None:
            row[ORIGIN_EXPORT_KEY] = origin_text(origin)
        for key, _label, _kind in extra:
            value = getattr(item, key)
            if key == "nature":
                value = item.get_nature_display()  # type: ignore[attr-defined]
            row[key] = value if value != "" else None
        row["description"] = item.description
        row["tags"] = [t.name for t in item.tags.all()]
        yield row


def export_sheet(
    register: Register,
    columns: Iterable[ListColumn],
    items: Iterable[RegisterItem],
    origins: OriginLookup | None = None,
) -> Sheet:
    """Describe a register export as a sheet for `to_csv` / `to_xlsx`."""
    columns = tuple(columns)
    return Sheet(
        name=str(register.title),
        columns=export_columns(columns, register.kind),
        rows=export_rows(items, columns, register.kind, origins),
    )
