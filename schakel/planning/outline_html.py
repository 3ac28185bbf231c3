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

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_MARK = 987654321


def _parts(name: str, *args: Any) -> tuple[str, str]:
    url = reverse(name, args=[_MARK, *args])
    prefix, _sep, suffix = url.partition(str(_MARK))
    return prefix, suffix


class OutlineRenderer:
    """Draw the outline rows of one Plan tab page."""

    def __init__(self, *, baseline: bool, can_edit: bool, csrf_token: str):
        self.baseline = baseline
        self.can_edit = can_edit
        self.edit_url = _parts("planning:task_edit")
        self.critical = escape(_("critical"))
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        self.buttons = [
            (_parts("planning:task_outdent"), escape(_("Outdent")), "⇤"),
            (_parts("planning:task_indent"), escape(_("Indent")), "⇥"),
            (_parts("planning:task_move", "up"), escape(_("Move up")), "↑"),
            (_parts("planning:task_move", "down"), escape(_("Move down")), "↓"),
        ]
        self._dates: dict[date, str] = {}

    def _date(self, value: date | None) -> str:
        if value is None:
            return "—"
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = escape(date_format(value, "j M Y"))
        return text

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
            f'<td class="plan-name level-{int(t.level)}"><a href="{self.edit_url[0]}{pk}'
            f'{self.edit_url[1]}">{mark}{name}</a>{critical}</td>\n',
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
            for (prefix, suffix), label, arrow in self.buttons:
                parts.append(
                    f'<form method="post" action="{prefix}{pk}{suffix}" class="inline-form">'
                    f'{self.csrf}<input type="hidden" name="version" value="{t.version}">'
                    f'<button type="submit" class="btn btn-link btn-sm" title="{label}">'
                    f'<span aria-hidden="true">{arrow}</span><span class="visually-hidden">'
                    f"{label} {name}</span></button></form>\n"
                )
            parts.append("</div></td>\n")
        parts.append("</tr>\n")
        return "".join(parts)

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> SafeString:
        return mark_safe("".join(self.row(row) for row in rows))  # every value escaped above
