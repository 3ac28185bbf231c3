"""The Plan tab's outline rows drawn in Python (up to 250 a page).

Through the template engine a row with its four move buttons cost about half a
millisecond (four `{% url %}`s, a CSRF field each, translations and date filters), most of
the Plan tab's time. This draws the same markup with what is the same for every row made
once per page; every value from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.lib import safe_html
from schakel.lib.html_rows import ID, DateTexts, UrlPattern


class OutlineRenderer:
    """Draw the outline rows of one Plan tab page."""

    def __init__(self, *, baseline: bool, can_edit: bool, csrf_token: str):
        self.baseline = baseline
        self.can_edit = can_edit
        self.edit_url = UrlPattern("planning:task_edit", ID)
        self.critical = escape(_("critical"))
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        self.buttons = [
            (UrlPattern("planning:task_outdent", ID), escape(_("Outdent")), "⇤"),
            (UrlPattern("planning:task_indent", ID), escape(_("Indent")), "⇥"),
            (UrlPattern("planning:task_move", ID, "up"), escape(_("Move up")), "↑"),
            (UrlPattern("planning:task_move", ID, "down"), escape(_("Move down")), "↓"),
        ]
        self._dates = DateTexts("j M Y")

    def _date(self, value: date | None) -> str:
        return "—" if value is None else self._dates(value)

    def row(self, row: Mapping[str, Any]) -> str:
        t = row["task"]
        pk = t.pk
        css = ("is-summary" if t.summary else "") + (
            " is-critical" if t.critical and not t.summary else ""
        )
        mark = '<span class="milestone-mark" aria-hidden="true">◆</span> ' if t.milestone else ""
        critical = (
            f' <span class="badge badge-critical">{self.critical}</span>'
            if t.critical and not t.summary
            else ""
        )
        if t.milestone:
            duration = "0"
        else:
            duration = escape(
                ngettext("%(counter)s day", "%(counter)s days", t.duration)
                % {"counter": t.duration}
            )
        float_text = "" if t.total_float is None else str(t.total_float)
        name = escape(t.name)
        parts = [
            f'<tr id="task-{pk}" class="{css}">\n',
            f'<td class="mono">{escape(t.wbs)}</td>\n',
            f'<td class="plan-name level-{int(t.level)}"><a href="{self.edit_url.url(pk)}">'
            f"{mark}{name}</a>{critical}</td>\n",
            f'<td class="num">{duration}</td>\n',
            f"<td>{self._date(t.start)}</td>\n",
            f"<td>{self._date(t.finish)}</td>\n",
            f'<td class="num">{float_text}</td>\n',
        ]
        if self.baseline:
            kept = row.get("baseline")
            shift = row.get("shift")
            if shift:
                css_shift = "text-danger" if shift > 0 else "text-success"
                sign = "+" if shift > 0 else ""
                variance = f'<span class="{css_shift}">{sign}{shift}</span>'
            else:
                variance = "0" if shift == 0 else ""
            parts += [
                f"<td>{self._date(kept.finish if kept is not None else None)}</td>\n",
                f'<td class="num">{variance}</td>\n',
            ]
        owner = escape(t.owner.display_name) if t.owner_id and t.owner else ""
        parts += [f'<td class="num">{t.percent_complete}</td>\n', f"<td>{owner}</td>\n"]
        if self.can_edit:
            parts.append('<td class="cell-actions"><div class="row-actions">\n')
            for pattern, label, arrow in self.buttons:
                parts.append(
                    f'<form method="post" action="{pattern.url(pk)}" class="inline-form">'
                    f'{self.csrf}<input type="hidden" name="version" value="{t.version}">'
                    f'<button type="submit" class="btn btn-link btn-sm" title="{label}">'
                    f'<span aria-hidden="true">{arrow}</span><span class="visually-hidden">'
                    f"{label} {name}</span></button></form>\n"
                )
            parts.append("</div></td>\n")
        parts.append("</tr>\n")
        return "".join(parts)

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> SafeString:
        return safe_html.built(self.row(row) for row in rows)  # every value escaped above
