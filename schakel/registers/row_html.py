"""Register list rows drawn in Python: the hot loop of every register list.

A list page draws up to a hundred rows of eight or more cells, a third of them inline-edit
forms. Through Django's template engine that took about 5 ms a row on the development
machine (tens of thousands of variable lookups, a `{% url %}` and several translations per
row), most of a list page's time; see docs/performance.md. This module draws the same
markup with string building: what is the same for every row (labels, translations, the
URL prefixes, the CSRF field, the option lists of a status or of a set of people) is made
once per page, and every value from the database is escaped.

`RowRenderer(...).row(row)` returns one `<tr>`; the templates call it through the
`register_rows` and `register_row` tags (`templatetags/register_lists.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from schakel.lib import safe_html
from schakel.lib.html_rows import ID, DateTexts, UrlPattern

from .columns import Cell, Row


class RowRenderer:
    """Draw the rows of one register list for one request (see the module's docstring)."""

    def __init__(
        self,
        *,
        kind: str,
        status_choices: Sequence[tuple[str, Any]],
        scope_kind: str,
        scope_param: str,
        selectable: bool,
        csrf_token: str,
    ):
        self.kind = kind
        self.selectable = selectable
        self.detail_url = UrlPattern("registers:item_detail", kind, ID)
        self.inline_url = UrlPattern("registers:item_inline", kind, ID)
        self.csrf_field = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        )
        self.scope_field = (
            f'<input type="hidden" name="{escape(scope_param)}" value="{escape(scope_kind)}">'
        )
        self.status_choices = [(str(value), str(label)) for value, label in status_choices]
        self.nobody = escape(_("— nobody —"))
        self.save_button = (
            '<noscript><button type="submit" class="btn btn-secondary btn-sm">'
            f"{escape(_('Save'))}</button></noscript></form>"
        )
        self.overdue_badge = escape(_("Overdue"))
        self.overdue_title = escape(_("The due date has passed"))
        self.with_text = escape(_("with"))
        self.conflict_text = escape(
            _(
                "Someone else changed this item meanwhile. The row now shows the current "
                "values; make your change again if it is still needed."
            )
        )
        self._status_options: dict[str, str] = {}
        self._people_options: dict[tuple[tuple[int, ...], int | None], str] = {}
        self._date = DateTexts("SHORT_DATE_FORMAT")
        self._scope_urls: dict[tuple[type, int], str] = {}
        self._labels: dict[str, str] = {}

    # Pieces made once ------------------------------------------------------------------

    def _label(self, cell: Cell) -> str:
        key = cell.column.key
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = escape(str(cell.column.label))
        return label

    def _scope_url(self, obj: Any) -> str:
        key = (type(obj), obj.pk)
        url = self._scope_urls.get(key)
        if url is None:
            url = self._scope_urls[key] = escape(obj.get_absolute_url())
        return url

    def _status_select(self, status: str) -> str:
        options = self._status_options.get(status)
        if options is None:
            options = self._status_options[status] = "".join(
                f'<option value="{escape(value)}"{" selected" if value == status else ""}>'
                f"{escape(label)}</option>"
                for value, label in self.status_choices
            )
        return options

    def _owner_select(self, people: Sequence[Any], owner_id: int | None) -> str:
        key = (tuple(person.pk for person in people), owner_id)
        options = self._people_options.get(key)
        if options is None:
            parts = [f'<option value=""{"" if owner_id else " selected"}>{self.nobody}</option>']
            parts += [
                f'<option value="{person.pk}"{" selected" if person.pk == owner_id else ""}>'
                f"{escape(person.display_name)}</option>"
                for person in people
            ]
            options = self._people_options[key] = "".join(parts)
        return options

    # Rows -----------------------------------------------------------------------------

    def rows(self, rows: Iterable[Row]) -> SafeString:
        return safe_html.built(self._row(row) for row in rows)

    def row(
        self, row: Row, *, new: bool = False, conflict: bool = False, error: str | None = None
    ) -> SafeString:
        return safe_html.built([self._row(row, new=new, conflict=conflict, error=error)])

    def _row(
        self, row: Row, *, new: bool = False, conflict: bool = False, error: str | None = None
    ) -> str:
        item = row.item
        pk = item.pk
        kind = self.kind
        ref = escape(item.ref)
        overdue = item.is_overdue
        url = self.detail_url.url(pk)
        classes = "register-row" + (" is-overdue" if overdue else "") + (" is-new" if new else "")
        out = [f'<tr id="row-{kind}-{pk}" class="{classes}">\n']
        if self.selectable:
            box = ""
            if row.can_edit:
                label = escape(_("Select %(ref)s") % {"ref": item.ref})
                box = (
                    f'<input type="checkbox" name="ids" value="{pk}" form="bulk-form" '
                    f'class="row-select" aria-label="{label}">'
                )
            out.append(f'<td class="col-select">{box}</td>')
        out.append("\n")
        for cell in row.cells:
            out.append(self._cell(cell, row, url, ref, overdue, conflict, error))
            out.append("\n")
        out.append("</tr>")
        return "".join(out)

    def _cell(
        self,
        cell: Cell,
        row: Row,
        url: str,
        ref: str,
        overdue: bool,
        conflict: bool,
        error: str | None,
    ) -> str:
        c = cell.column.cell
        label = self._label(cell)
        item = row.item
        if c == "ref":
            return f'<td data-label="{label}" class="key nowrap"><a href="{url}">{ref}</a></td>'
        if c == "title":
            notes = ""
            if conflict:
                notes += f'<p class="row-note row-conflict" role="alert">{self.conflict_text}</p>'
            if error:
                notes += f'<p class="row-note row-error" role="alert">{escape(error)}</p>'
            return (
                f'<td data-label="{label}" class="cell-name"><a href="{url}">'
                f"{escape(item.title)}</a>{notes}</td>"
            )
        if c == "scope":
            inner = "—"
            if cell.value:
                inner = (
                    f'<a class="quiet-link mono" href="{self._scope_url(cell.value)}" '
                    f'title="{escape(cell.value.name)}">{escape(cell.label)}</a>'
                )
            return f'<td data-label="{label}" class="nowrap">{inner}</td>'
        if c == "link":
            return (
                f'<td data-label="{label}" class="nowrap mono">{escape(cell.label)} '
                f'<span aria-hidden="true">→</span><span class="visually-hidden">'
                f"{self.with_text}</span> {escape(cell.detail)}</td>"
            )
        if c == "owner":
            empty = " is-empty" if not row.can_edit and not cell.value else ""
            if row.can_edit:
                inner = self._inline(row, "owner", cell, ref, overdue)
            else:
                inner = escape(cell.value.display_name) if cell.value else "—"
            return f'<td data-label="{label}" class="cell-edit{empty}">{inner}</td>'
        if c == "status":
            if row.can_edit:
                inner = self._inline(row, "status", cell, ref, overdue)
            else:
                inner = f'<span class="badge st-{escape(cell.code)}">{escape(cell.label)}</span>'
            return f'<td data-label="{label}" class="cell-edit">{inner}</td>'
        if c == "due":
            empty = " is-empty" if not row.can_edit and not cell.value else ""
            if row.can_edit:
                inner = self._inline(row, "due", cell, ref, overdue)
            elif cell.value:
                css = "due-overdue" if overdue else ""
                inner = f'<span class="{css}">{self._date(cell.value)}</span>'
            else:
                inner = "—"
            if overdue:
                inner += (
                    f' <span class="badge badge-overdue" id="overdue-{self.kind}-{item.pk}" '
                    f'title="{self.overdue_title}"><span aria-hidden="true">! </span>'
                    f"{self.overdue_badge}</span>"
                )
            return f'<td data-label="{label}" class="cell-edit nowrap{empty}">{inner}</td>'
        if c == "date":
            if cell.value:
                return f'<td data-label="{label}" class="nowrap">{self._date(cell.value)}</td>'
            return f'<td data-label="{label}" class="nowrap is-empty">—</td>'
        if c == "score":
            if cell.value is None:
                return (
                    f'<td data-label="{label}" class="nowrap is-empty">'
                    '<span class="muted">—</span></td>'
                )
            detail = escape(cell.detail)
            return (
                f'<td data-label="{label}" class="nowrap"><span class="score '
                f'score-{escape(cell.code)}" title="{detail}">{escape(cell.value)}'
                f'<span class="visually-hidden"> ({escape(cell.label)}, {detail})</span></span> '
                f'<span class="score-pi muted" aria-hidden="true">{detail}</span></td>'
            )
        if c == "trend":
            arrow = {"rising": "↑", "falling": "↓"}.get(cell.code, "→")
            text = escape(cell.label)
            return (
                f'<td data-label="{label}" class="nowrap"><span class="trend '
                f'trend-{escape(cell.code)}" title="{text}"><span aria-hidden="true">{arrow}'
                f'</span><span class="visually-hidden">{text}</span></span></td>'
            )
        if c == "choice":
            if cell.code:
                return (
                    f'<td data-label="{label}"><span class="badge '
                    f'ch-{escape(cell.column.key)}-{escape(cell.code)}">{escape(cell.label)}'
                    "</span></td>"
                )
            return f'<td data-label="{label}" class="is-empty"><span class="muted">—</span></td>'
        if c == "text":
            if cell.value:
                return f'<td data-label="{label}">{escape(cell.value)}</td>'
            return f'<td data-label="{label}" class="is-empty">—</td>'
        if c == "source":
            return self._source(cell, row, label)
        if c == "decided_by":
            person = escape(cell.value.display_name) if cell.value else ""
            forum = f'<span class="muted">{escape(cell.label)}</span>' if cell.label else ""
            if not person and not forum:
                return (
                    f'<td data-label="{label}" class="is-empty"><span class="muted">—</span></td>'
                )
            joint = " · " if person and forum else ""
            return f'<td data-label="{label}">{person}{joint}{forum}</td>'
        return f'<td data-label="{label}"></td>'

    def _source(self, cell: Cell, row: Row, label: str) -> str:
        origin = row.origin
        value = cell.value
        css = "cell-source" + ("" if value or origin else " is-empty")
        if origin is not None:
            title = f' title="{escape(origin.detail)}"' if origin.detail else ""
            inner = (
                f'<a class="origin-link" href="{escape(origin.url)}"{title}>'
                f"{escape(origin.label)}</a>"
            )
        elif value is not None and getattr(value, "ref", None):
            inner = (
                f'<a class="mono" href="{escape(value.get_absolute_url())}" '
                f'title="{escape(value.title)}">{escape(value.ref)}</a>'
            )
        elif value:
            inner = escape(value)
        else:
            inner = '<span class="muted">—</span>'
        return f'<td data-label="{label}" class="{css}">{inner}</td>'

    def _inline(self, row: Row, field: str, cell: Cell, ref: str, overdue: bool) -> str:
        item = row.item
        pk = item.pk
        kind = self.kind
        url = self.inline_url.url(pk)
        trigger = "change delay:700ms" if field == "due" else "change"
        head = (
            f'<form class="inline-edit" method="post" action="{url}" hx-post="{url}" '
            f'hx-trigger="{trigger}" hx-target="closest tr" hx-swap="outerHTML">'
            f'{self.csrf_field}<input type="hidden" name="field" value="{field}">'
            f'<input type="hidden" name="version" value="{item.version}">{self.scope_field}\n'
        )
        ident = f"{field}-{kind}-{pk}"
        if field == "status":
            status = item.status  # type: ignore[attr-defined]
            text = escape(_("Status of %(ref)s") % {"ref": item.ref})
            body = (
                f'<label class="visually-hidden" for="{ident}">{text}</label>'
                f'<select id="{ident}" name="value" class="inline-select '
                f'st-{escape(status)}">{self._status_select(status)}</select>\n'
            )
        elif field == "owner":
            text = escape(_("Owner of %(ref)s") % {"ref": item.ref})
            body = (
                f'<label class="visually-hidden" for="{ident}">{text}</label>'
                f'<select id="{ident}" name="value" class="inline-select">'
                f"{self._owner_select(row.owners, item.owner_id)}</select>\n"
            )
        else:
            text = escape(_("%(label)s of %(ref)s") % {"label": cell.column.label, "ref": item.ref})
            value = cell.value.isoformat() if cell.value else ""
            described = f' aria-describedby="overdue-{kind}-{pk}"' if overdue else ""
            body = (
                f'<label class="visually-hidden" for="{ident}">{text}</label>'
                f'<input type="date" id="{ident}" name="value" value="{value}" '
                f'class="inline-date{" is-overdue" if overdue else ""}"{described}>\n'
            )
        return head + body + self.save_button
