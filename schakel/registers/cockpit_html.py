"""The cockpit's project rows drawn in Python: a PMO's cockpit lists every running project.

Through the template engine each of those rows cost about a millisecond and a half (four
`{% url %}`s, a dozen translations, partials and includes per row), most of the page's
time at 500 projects. This draws the same markup with what is the same for every row made
once per page, and escapes every value from the database. The roll-up rows of programmes,
themes and the total stay in the template (`registers/cockpit.html`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schakel.lib import safe_html
from schakel.lib.html_rows import ID, DateTexts, UrlPattern

REGISTER_SLUGS = ("risks", "issues", "actions", "decisions")


class CockpitRenderer:
    """Draw the cockpit's project rows for one request."""

    def __init__(self) -> None:
        self.lists = {
            slug: UrlPattern("registers:project_list", ID, slug) for slug in REGISTER_SLUGS
        }
        self.project_url = UrlPattern("portfolio:project_detail", ID)
        self.plan_url = UrlPattern("planning:project_plan", ID)
        labels = {
            "key": _("Key"),
            "project": _("Project"),
            "phase": _("Phase"),
            "manager": _("Project manager"),
            "risks": _("Open risks"),
            "score": _("Highest score"),
            "issues": _("Open issues"),
            "actions": _("Overdue actions"),
            "decisions": _("Decisions pending"),
            "milestone": _("Next milestone"),
            "slipped": _("Slipped"),
            "changed": _("Last change"),
        }
        self.label = {key: escape(text) for key, text in labels.items()}
        self.bands = {
            "critical": escape(_("Critical")),
            "high": escape(_("High")),
            "medium": escape(_("Medium")),
        }
        self.low = escape(_("Low"))
        self.late = escape(_("Late:"))
        self.slipped = escape(_("Slipped:"))
        self.slipped_title = escape(_("Milestones whose forecast lies after their baseline"))
        self.zero = '<span class="muted">0</span>'
        self.dash = '<span class="muted">—</span>'
        self._short = DateTexts("SHORT_DATE_FORMAT")

    def _num(self, n: int, url: str, query: str, *, alert: bool = False) -> str:
        if not n:
            return self.zero
        css = "cockpit-num is-alert" if alert else "cockpit-num"
        return f'<a class="{css}" href="{url}{query}">{n}</a>'

    def _score(self, score: int, band: str) -> str:
        text = self.bands.get(band, self.low)
        return (
            f'<span class="badge badge-band badge-band-{escape(band)}">{score}'
            f'<span class="visually-hidden"> ({text})</span></span>'
        )

    def _milestone(self, milestone: Any) -> str:
        if milestone is None:
            return ""
        css = "quiet-link"
        flag = ""
        if milestone.late:
            css += " is-late"
            flag = (
                '<span class="milestone-flag" aria-hidden="true">◆</span>'
                f'<span class="visually-hidden">{self.late} </span>'
            )
        elif milestone.slipped:
            css += " is-slipped"
            flag = (
                '<span class="milestone-flag" aria-hidden="true">◆</span>'
                f'<span class="visually-hidden">{self.slipped} </span>'
            )
        title = ""
        if milestone.slipped and milestone.slip_days:
            baseline = date_format(milestone.baseline, "j M Y") if milestone.baseline else ""
            text = ngettext(
                "%(days)s working day later than the baseline (%(baseline)s)",
                "%(days)s working days later than the baseline (%(baseline)s)",
                milestone.slip_days,
            ) % {"days": milestone.slip_days, "baseline": baseline}
            title = f' title="{escape(text)}"'
        url = self.plan_url.url(milestone.project_id)
        forecast = milestone.forecast
        return (
            f'<a class="{css}" href="{url}"{title}>{flag}{escape(milestone.name)} '
            f'<time class="nowrap" datetime="{forecast.isoformat()}">{self._short(forecast)}'
            "</time></a>"
        )

    def _changed(self, value: datetime | None) -> str:
        if value is None:
            return self.dash
        local = localtime(value)
        return (
            f'<time datetime="{escape(date_format(local, "c"))}" '
            f'title="{escape(date_format(local, "DATETIME_FORMAT"))}">'
            f"{escape(date_format(local, 'SHORT_DATE_FORMAT'))}</time>"
        )

    def row(self, row: Any) -> str:
        project = row.project
        f = row.figures
        pk = project.pk
        url = {slug: pattern.url(pk) for slug, pattern in self.lists.items()}
        label = self.label
        manager = project.manager
        if f.max_score is None:
            score = self.dash
        else:
            score = (
                f'<a class="quiet-link" href="{url["risks"]}?state=open_items&amp;ordering=-score">'
                f"{self._score(f.max_score, f.band)}</a>"
            )
        slipped = self.zero
        if f.slipped_milestones:
            slipped = (
                f'<span class="cockpit-num is-slipped" title="{self.slipped_title}">'
                f"{f.slipped_milestones}</span>"
            )
        manager_cell = (
            f'<td data-label="{label["manager"]}">{escape(manager.display_name)}</td>'
            if manager
            else f'<td data-label="{label["manager"]}" class="is-empty">—</td>'
        )
        return (
            '<tr class="cockpit-project">\n'
            f'<td data-label="{label["key"]}" class="key">{escape(project.key)}</td>\n'
            f'<td data-label="{label["project"]}" class="cell-name"><a href="'
            f'{self.project_url.url(pk)}">{escape(project.name)}</a></td>\n'
            f'<td data-label="{label["phase"]}"><span class="badge badge-{escape(project.phase)}">'
            f"{escape(project.get_phase_display())}</span></td>\n"
            f"{manager_cell}\n"
            f'<td data-label="{label["risks"]}" class="num">'
            f"{self._num(f.open_risks, url['risks'], '?state=open_items')}</td>\n"
            f'<td data-label="{label["score"]}" class="num">{score}</td>\n'
            f'<td data-label="{label["issues"]}" class="num">'
            f"{self._num(f.open_issues, url['issues'], '?state=open_items')}</td>\n"
            f'<td data-label="{label["actions"]}" class="num">'
            f"{self._num(f.overdue_actions, url['actions'], '?overdue=true', alert=True)}</td>\n"
            f'<td data-label="{label["decisions"]}" class="num">'
            f"{self._num(f.pending_decisions, url['decisions'], '?status=proposed')}</td>\n"
            f'<td data-label="{label["milestone"]}" class="cockpit-milestone">'
            f"{self._milestone(f.next_milestone)}</td>\n"
            f'<td data-label="{label["slipped"]}" class="num">{slipped}</td>\n'
            f'<td data-label="{label["changed"]}" class="nowrap">{self._changed(f.last_change)}'
            "</td>\n</tr>\n"
        )

    def rows(self, rows: Iterable[Any]) -> SafeString:
        return safe_html.built(self.row(row) for row in rows)  # every value escaped above
