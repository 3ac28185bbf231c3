"""Register lists at every level, their CSV/XLSX exports, quick add and bulk changes.

One generic list serves every register (`registry.REGISTERS`) at every scope: a project,
a programme (its projects and its programme-level items), a portfolio, or everything the
user sees. Rows are the visible items of the scope, filtered by the register's filterset
(the same one the API uses), sorted and paginated; the export takes the same query string
and writes exactly the rows and columns of the list (`columns.py`), every page of them.

`render_row` draws one row; the item pages call it after an inline edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.accounts.models import User
from schakel.core.exports.tabular import to_csv, to_xlsx
from schakel.lib.htmx import wants_partial, with_messages
from schakel.lib.origins import origins_for
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project, Tag

from . import access, services
from .columns import (
    Row,
    add_origins,
    build_rows,
    columns_for,
    export_sheet,
    has_source,
    risk_levels,
    risk_scale,
    rows_queryset,
)
from .filters import RegisterFilter
from .forms_lists import (
    BulkForm,
    QuickAddForm,
    people_by_item,
    prepare_filter_form,
    scope_people,
    scope_projects,
    shown_filters,
    status_choices_of,
)
from .models import Dependency, RegisterItem, RiskCategory
from .registry import Register, register_for_kind, register_for_slug

PAGE_SIZE = 50
SCOPE_KINDS = ("project", "programme", "portfolio", "all")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Filters that take a number (an id, a score): see `_sane`.
NUMERIC_FILTERS = frozenset(
    {
        "owner",
        "project",
        "programme",
        "portfolio",
        "category",
        "score_min",
        "score_max",
        "probability",
        "impact",
        "other_project",
        "decided_by",
    }
)
_SMALL_NUMBER = re.compile(r"^\d{1,9}$")
# Filters always in view; the others fold away under "More filters".
MAIN_FILTERS = ("q", "owner", "status", "state")
# The hidden field of inline-edit forms that tells `render_row` which list drew the row.
SCOPE_PARAM = "list_scope"


# Scope ----------------------------------------------------------------------------------


@dataclass
class ListScope:
    """Where a list is shown: a project, a programme, a portfolio, or everything ("all")."""

    kind: str
    obj: Project | Programme | Portfolio | None = None

    def restrict(self, queryset: QuerySet[Any], model: type[RegisterItem]) -> QuerySet[Any]:
        """Keep the items of this scope (a dependency counts on both of its sides)."""
        obj: Any = self.obj
        if self.kind == "project":
            condition = Q(project=obj)
            if model is Dependency:
                condition |= Q(other_project=obj)
        elif self.kind in ("programme", "portfolio"):
            if self.kind == "programme":
                projects = Project.all_objects.filter(programme=obj).values("pk")
                programmes: Any = [obj.pk]
            else:
                projects = Project.all_objects.filter(programme__portfolio=obj).values("pk")
                programmes = Programme.all_objects.filter(portfolio=obj).values("pk")
            condition = Q(project_id__in=projects) | Q(programme_id__in=programmes)
            if model is Dependency:
                condition |= Q(other_project_id__in=projects)
        else:
            return queryset
        return queryset.filter(condition)

    def list_url(self, slug: str) -> str:
        if self.obj is None:
            return reverse("registers:all_list", args=[slug])
        return reverse(f"registers:{self.kind}_list", args=[self.obj.pk, slug])

    def export_url(self, slug: str, fmt: str) -> str:
        if self.obj is None:
            return reverse("registers:all_export", args=[slug, fmt])
        return reverse(f"registers:{self.kind}_export", args=[self.obj.pk, slug, fmt])

    def create_url(self, slug: str) -> str | None:
        if self.kind in ("project", "programme") and self.obj is not None:
            return reverse(f"registers:{self.kind}_item_create", args=[self.obj.pk, slug])
        return None

    @property
    def label(self) -> str:
        if isinstance(self.obj, Project):
            return f"{self.obj.key} – {self.obj.name}"
        if self.obj is not None:
            return self.obj.name
        return _("Everything you can see")

    @property
    def file_label(self) -> str:
        """The start of an export's file name: ODI, a programme key, or a slug of the name."""
        if isinstance(self.obj, Project):
            return self.obj.key
        if isinstance(self.obj, Programme) and self.obj.key:
            return self.obj.key
        if self.obj is not None:
            return slugify(self.obj.name) or self.kind
        return "all"

    @property
    def archived(self) -> bool:
        return getattr(self.obj, "archived_at", None) is not None

    def crumbs(self, register: Register) -> list[tuple[str, str]]:
        """Breadcrumbs Portfolio › Programme › Project › Register."""
        chain: list[Any] = []
        if isinstance(self.obj, Project):
            chain = [self.obj.programme.portfolio, self.obj.programme, self.obj]
        elif isinstance(self.obj, Programme):
            chain = [self.obj.portfolio, self.obj]
        elif isinstance(self.obj, Portfolio):
            chain = [self.obj]
        crumbs = [
            (obj.key if isinstance(obj, Project) else obj.name, obj.get_absolute_url())
            for obj in chain
        ]
        crumbs.append((str(register.title), self.list_url(register.slug)))
        return crumbs


def _scope(request: HttpRequest, kind: str, pk: Any = None) -> ListScope:
    user = request.user
    if kind == "project":
        return ListScope(kind, portfolio_access.project_for_user(user, pk))
    if kind == "programme":
        return ListScope(kind, portfolio_access.programme_for_user(user, pk))
    if kind == "portfolio":
        return ListScope(kind, portfolio_access.portfolio_for_user(user, pk))
    return ListScope("all")


def scoped_items(user: Any, model: type[RegisterItem], scope: ListScope) -> QuerySet[Any]:
    """The visible items of one register in a scope (the rows before any filter).

    In a project, programme or portfolio: the items of the projects and programmes there
    that the user sees, by their ids (`access.seen_in`), which the database reads by index.
    A dependency is seen through either of its sides: where the user sees only part of a
    programme or portfolio it goes through the general rule and the scope's condition
    instead, as does the "everything" list.
    """
    obj: Any = scope.obj
    if scope.kind == "project":  # read by `project_for_user`: seen, with both sides
        return access.items_of(model, [obj.pk], whole=True)
    if scope.kind in ("programme", "portfolio"):
        seen = access.seen_in(user, obj)
        if model is not Dependency or seen.whole:
            return access.items_of(model, seen.projects, seen.programmes, whole=seen.whole)
    return scope.restrict(access.visible_items(user, model), model)


def _can_add(user: Any, scope: ListScope) -> bool:
    return (
        scope.kind in ("project", "programme")
        and scope.obj is not None
        and not scope.archived
        and access.can_contribute_to(user, scope.obj)  # type: ignore[arg-type]
    )


# Rows -----------------------------------------------------------------------------------


def _editable(user: Any, item: RegisterItem) -> bool:
    scope = item.project if item.project is not None else item.programme
    if getattr(scope, "archived_at", None) is not None:
        return False
    return access.can_item(user, item, access.CONTRIBUTE)


def _sane(params: QueryDict) -> QueryDict:
    """Drop numeric filter values no database compares (`?owner=99999999999999999999`).

    The filtersets pass such numbers on and SQLite raises OverflowError; a bookmarked or
    tampered URL must show the list, not an error page.
    """
    clean = params.copy()
    for key in NUMERIC_FILTERS.intersection(clean.keys()):
        values = clean.getlist(key)
        if key == "owner":  # "me", "none", a username or an id
            kept = [v for v in values if not v.isdigit() or _SMALL_NUMBER.match(v)]
        else:
            kept = [v for v in values if _SMALL_NUMBER.match(v.strip())]
        clean.setlist(key, kept)
    return clean


def _filtered(request: HttpRequest, register: Register, scope: ListScope) -> RegisterFilter:
    base = rows_queryset(scoped_items(request.user, register.model, scope), register)
    return register.filter(_sane(request.GET), queryset=base, request=request)


def _ordered(filterset: RegisterFilter) -> QuerySet[Any]:
    """The filtered rows in the chosen order (newest first by default), ties by id."""
    queryset = filterset.qs
    if not filterset.form.cleaned_data.get("ordering"):
        return queryset.order_by("-created_at", "-pk")
    return queryset.order_by(*queryset.query.order_by, "-pk")


def _rows(
    request: HttpRequest, register: Register, items: Any, scope_kind: str, scale: Any
) -> list[Row]:
    """Rows of cells, each with whether the viewer may edit it and whom it may be given to.

    Lists with a "source" column also get where each item came from (a meeting the viewer
    may see): one query for the whole page.
    """
    user = request.user
    columns = columns_for(register, scope_kind)
    rows = build_rows(items, columns, scale)
    if rows and has_source(columns):
        add_origins(rows, origins_for(user, [row.item for row in rows]))
    editable = [row for row in rows if _editable(user, row.item)]
    people = people_by_item([row.item for row in editable], user)
    for row in editable:
        row.can_edit = True
        row.owners = people.get(row.item.pk, [])
    return rows


def _row_context(register: Register, scope_kind: str) -> dict[str, Any]:
    return {
        "register": register,
        "columns": columns_for(register, scope_kind),
        "status_choices": status_choices_of(register),
        "scope_kind": scope_kind,
        "scope_param": SCOPE_PARAM,
    }


def render_row(
    request: HttpRequest,
    register: Register | str,
    item: RegisterItem,
    *,
    conflict: bool = False,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Draw one list row (`templates/registers/_row.html`) as it is stored now.

    For the inline edits of the item pages: after a save, a stale version (`conflict`, the
    row shows the current values and says so) or a refused value (`error`). The list the
    row belongs to is read from the request's `list_scope` field; an item the user can no
    longer see draws nothing, so the row disappears.
    """
    if isinstance(register, str):
        register = register_for_kind(register)
    scope_kind = request.POST.get(SCOPE_PARAM) or request.GET.get(SCOPE_PARAM) or "all"
    if scope_kind not in SCOPE_KINDS:
        scope_kind = "all"
    fresh = (
        rows_queryset(access.visible_items(request.user, register.model), register)
        .filter(pk=item.pk)
        .first()
    )
    if fresh is None:
        return HttpResponse("", status=status)
    scale = risk_scale(risk_levels()) if register.kind == "risk" else None
    [row] = _rows(request, register, [fresh], scope_kind, scale)
    context = {
        **_row_context(register, scope_kind),
        "row": row,
        "selectable": row.can_edit,
        "conflict": conflict,
        "error": error,
    }
    return render(request, "registers/_row.html", context, status=status)


# The list page --------------------------------------------------------------------------


def _quick_form(
    request: HttpRequest,
    register: Register,
    scope: ListScope,
    levels: Any,
    data: Any = None,
) -> QuickAddForm:
    obj = scope.obj
    assert isinstance(obj, Project | Programme)
    other_projects = None
    if register.kind == "dependency":
        other_projects = (
            portfolio_access.visible_projects(request.user)
            .only("pk", "key", "name")
            .order_by("key")
        )
        if isinstance(obj, Project):
            other_projects = other_projects.exclude(pk=obj.pk)
    return QuickAddForm(
        data,
        register=register,
        people=scope_people(obj, request.user),
        levels=levels,
        other_projects=other_projects,
    )


def _list_context(
    request: HttpRequest, register: Register, scope: ListScope, *, partial: bool
) -> dict[str, Any]:
    user = request.user
    filterset = _filtered(request, register, scope)
    page = Paginator(_ordered(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    levels = risk_levels() if register.kind == "risk" else None
    scale = risk_scale(levels) if levels is not None else None
    rows = _rows(request, register, page.object_list, scope.kind, scale)
    can_add = _can_add(user, scope)
    filtered = any(
        value
        for key, value in request.GET.lists()
        if key not in ("page", "ordering") and any(value)
    )
    owners = {person.pk: person for row in rows for person in row.owners}
    context: dict[str, Any] = {
        **_row_context(register, scope.kind),
        "scope": scope,
        "page_obj": page,
        "rows": rows,
        "selectable": can_add or any(row.can_edit for row in rows),
        "bulk_people": sorted(owners.values(), key=lambda u: u.display_name.casefold()),
        "filtered": filtered,
        "can_add": can_add,
        "csv_url": scope.export_url(register.slug, "csv"),
        "xlsx_url": scope.export_url(register.slug, "xlsx"),
        "colspan": len(columns_for(register, scope.kind)) + 1,
    }
    if partial:
        return context
    base = scoped_items(user, register.model, scope)
    form = filterset.form
    prepare_filter_form(
        form,
        register,
        owners=User.objects.filter(pk__in=base.values("owner_id"))
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username"),
        tags=Tag.objects.filter(pk__in=base.values("tags")).values_list("name", flat=True),
        projects=(
            scope_projects(user, scope.kind, scope.obj).only("pk", "key", "name")
            if scope.kind != "project"
            else []
        ),
        categories=RiskCategory.objects.all() if register.kind == "risk" else [],
    )
    shown = shown_filters(register, scope.kind)
    main = MAIN_FILTERS if scope.kind == "project" else (*MAIN_FILTERS, "project")
    main_count = len([name for name in shown if name in main])
    context.update(
        {
            "filter_form": form,
            "filter_fields": [form[name] for name in shown],
            "main_count": main_count,
            "more_open": any(request.GET.get(name) for name in shown[main_count:]),
            "hidden_filters": [
                (key, value, form.fields[key].label)
                for key, values in request.GET.lists()
                if key in form.fields and key not in shown and key != "ordering"
                for value in values
                if value
            ],
            "quick_form": _quick_form(request, register, scope, levels) if can_add else None,
            "create_url": scope.create_url(register.slug) if can_add else None,
            "breadcrumbs": scope.crumbs(register),
        }
    )
    return context


def _show_list(request: HttpRequest, register: Register, scope: ListScope) -> HttpResponse:
    if request.method == "POST":
        return _quick_add(request, register, scope)
    partial = wants_partial(request)
    context = _list_context(request, register, scope, partial=partial)
    if partial:
        response = render(request, "registers/list.html#results", context)
        return with_messages(request, response)
    return render(request, "registers/list.html", context)


def _quick_add(request: HttpRequest, register: Register, scope: ListScope) -> HttpResponse:
    """Add an item from the one-line form; htmx gets the form back and the row on top."""
    user = request.user
    if scope.kind not in ("project", "programme"):
        return HttpResponse(status=405)
    if not access.can_contribute_to(user, scope.obj):  # type: ignore[arg-type]
        raise PermissionDenied
    levels = risk_levels() if register.kind == "risk" else None
    form = _quick_form(request, register, scope, levels, data=request.POST)
    added = None
    if form.is_valid():
        try:
            added = services.item_create(
                model=register.model,
                scope=scope.obj,  # type: ignore[arg-type]
                by=user,
                **form.item_fields(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
    if not wants_partial(request):
        if added is not None:
            messages.success(request, _("%(ref)s added.") % {"ref": added.ref})
            return redirect(request.get_full_path())
        page = _list_context(request, register, scope, partial=False)
        form.focus_first()
        page["quick_form"] = form
        return render(request, "registers/list.html", page)
    context: dict[str, Any] = {**_row_context(register, scope.kind), "scope": scope}
    if added is not None:
        scale = risk_scale(levels) if levels is not None else None
        fresh = rows_queryset(access.visible_items(user, register.model), register).get(pk=added.pk)
        context["added"] = fresh
        context["added_row"] = _rows(request, register, [fresh], scope.kind, scale)[0]
        context["selectable"] = True
        form = _quick_form(request, register, scope, levels)
        form.focus_first(clear=True)
    else:
        form.focus_first()
    context["quick_form"] = form
    return render(request, "registers/_list_quick_add.html", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def all_list(request: HttpRequest, register: str) -> HttpResponse:
    """List one register across everything the user may see."""
    return _show_list(request, register_for_slug(register), _scope(request, "all"))


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def project_list(request: HttpRequest, pk: int, register: str) -> HttpResponse:
    """List one register of a project; a POST adds an item (quick add)."""
    reg = register_for_slug(register)
    return _show_list(request, reg, _scope(request, "project", pk))


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def programme_list(request: HttpRequest, pk: int, register: str) -> HttpResponse:
    """List one register of a programme: its projects' items and its own; POST adds one."""
    reg = register_for_slug(register)
    return _show_list(request, reg, _scope(request, "programme", pk))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def portfolio_list(request: HttpRequest, pk: int, register: str) -> HttpResponse:
    """List one register across a portfolio."""
    reg = register_for_slug(register)
    return _show_list(request, reg, _scope(request, "portfolio", pk))


# Export ---------------------------------------------------------------------------------


def _export(request: HttpRequest, register: Register, scope: ListScope, fmt: str) -> HttpResponse:
    """Write the list's rows (all pages, same filters and order) as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    columns = columns_for(register, scope.kind)
    items = (
        _ordered(_filtered(request, register, scope))
        .prefetch_related("tags")
        .iterator(chunk_size=2000)
    )
    user = request.user
    sheet = export_sheet(register, columns, items, lambda batch: origins_for(user, batch))
    if fmt == "csv":
        # Dutch Excel splits CSV on semicolons; the importer recognises either.
        dutch = (get_language() or "").startswith("nl")
        body = to_csv(sheet, delimiter=";" if dutch else ",")
    else:
        body = to_xlsx([sheet], title=f"{register.title} – {scope.label}")
    filename = f"{scope.file_label}-{register.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
@require_GET
def all_export(request: HttpRequest, register: str, fmt: str) -> HttpResponse:
    """Export one register across everything the user may see."""
    return _export(request, register_for_slug(register), _scope(request, "all"), fmt)


@login_required
@require_GET
def project_export(request: HttpRequest, pk: int, register: str, fmt: str) -> HttpResponse:
    """Export one register of a project."""
    reg = register_for_slug(register)
    return _export(request, reg, _scope(request, "project", pk), fmt)


@login_required
@require_GET
def programme_export(request: HttpRequest, pk: int, register: str, fmt: str) -> HttpResponse:
    """Export one register of a programme."""
    reg = register_for_slug(register)
    return _export(request, reg, _scope(request, "programme", pk), fmt)


@login_required
@require_GET
def portfolio_export(request: HttpRequest, pk: int, register: str, fmt: str) -> HttpResponse:
    """Export one register across a portfolio."""
    reg = register_for_slug(register)
    return _export(request, reg, _scope(request, "portfolio", pk), fmt)


# Bulk changes ---------------------------------------------------------------------------


def _next_url(request: HttpRequest, register: Register) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("registers:all_list", args=[register.slug])


def _refs(items: list[RegisterItem], limit: int = 8) -> str:
    refs = ", ".join(item.ref for item in items[:limit])
    return refs + (" …" if len(items) > limit else "")


@login_required
@require_POST
def bulk(request: HttpRequest, register: str) -> HttpResponse:
    """Assign, change the status of, or move the due date of the chosen items.

    Only items the user may contribute to change; the others are reported by reference.
    Each item is changed on its own, so one that a rule refuses (an escalated issue needs
    someone to escalate to) does not hold back the rest.
    """
    reg = register_for_slug(register)
    user = request.user
    target = _next_url(request, reg)
    people = portfolio_access.visible_users(user).filter(is_active=True)
    form = BulkForm(request.POST, register=reg, people=people)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    ids = form.cleaned_data["ids"]
    items = list(
        rows_queryset(access.visible_items(user, reg.model), reg).filter(pk__in=ids).order_by("pk")
    )
    allowed = [item for item in items if _editable(user, item)]
    read_only = [item for item in items if item not in allowed]
    changes = form.changes()
    changed: list[RegisterItem] = []
    unchanged: list[RegisterItem] = []
    failed: list[tuple[RegisterItem, str]] = []
    for item in allowed:
        try:
            updated = services.items_bulk_update(items=[item], by=user, **changes)
        except ValidationError as exc:
            failed.append((item, " ".join(exc.messages)))
            continue
        if updated and updated[0].version != item.version:
            changed.append(item)
        else:
            unchanged.append(item)
    if changed:
        messages.success(
            request,
            ngettext("%(n)d item changed.", "%(n)d items changed.", len(changed))
            % {"n": len(changed)},
        )
    if unchanged and "shift_days" in changes:
        messages.info(
            request,
            ngettext(
                "%(n)d item has no date to move: %(refs)s",
                "%(n)d items have no date to move: %(refs)s",
                len(unchanged),
            )
            % {"n": len(unchanged), "refs": _refs(unchanged)},
        )
    elif unchanged:
        messages.info(
            request,
            ngettext(
                "%(n)d item already had this value.",
                "%(n)d items already had this value.",
                len(unchanged),
            )
            % {"n": len(unchanged)},
        )
    if read_only:
        messages.warning(
            request,
            ngettext(
                "%(n)d item was not changed: you may only view it (%(refs)s).",
                "%(n)d items were not changed: you may only view them (%(refs)s).",
                len(read_only),
            )
            % {"n": len(read_only), "refs": _refs(read_only)},
        )
    for item, reason in failed:
        messages.error(
            request, _("%(ref)s was not changed: %(reason)s") % {"ref": item.ref, "reason": reason}
        )
    missing = len(ids) - len(items)
    if missing:
        messages.warning(
            request,
            ngettext("%(n)d item was not found.", "%(n)d items were not found.", missing)
            % {"n": missing},
        )
    return redirect(target)
