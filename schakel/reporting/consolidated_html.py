"""The consolidated report's web page, its repeated parts drawn in Python.

A programme's report shows every project twice: a row of the overview and a section with
a row per dimension, the texts, the milestones and the register lines. Through the
template engine that was most of the page's time (thousands of includes of the colour
badge and the trend arrow, a translation per cell, a Markdown parser built per text); see
docs/performance.md. `ReportHtml` draws the same markup: what is the same for every
project (labels, badges, arrows, the URL of a report) is made once per page, and every
value from a report is escaped. Texts go through the same Markdown and sanitiser as the
`markdown` filter (`schakel.lib.markdown`).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from schakel.core.exports.report_data import ConsolidatedReport, Milestone, RegisterLine
from schakel.lib import safe_html
from schakel.lib.html_rows import ID, DateTexts, UrlPattern
from schakel.lib.markdown import render_markdown

# The colours a badge or a square knows; anything else is "not given".
RAGS = ("green", "amber", "red")
# The reason in a square's tooltip is cut to this many characters (as `truncatechars`).
TOOLTIP_CHARS = 160


def escape(value: Any) -> str:
    """Escape a value for HTML text or a quoted attribute: the same characters and entities
    as Django's `escape`, without its check for lazy strings (thousands of calls a page)."""
    return html.escape(str(value))


def _truncated(text: str, length: int) -> str:
    """`Truncator(text).chars(length)`, the `truncatechars` filter, quicker for short text
    (which it returns whole, in its NFC form)."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


class ReportHtml:
    """Draw the overview rows and the project sections of one consolidated report page."""

    def __init__(self, data: ConsolidatedReport):
        self.data = data
        labels = data.labels
        self.label = {
            name: escape(getattr(labels, name))
            for name in (
                "previous",
                "trend",
                "reason",
                "dimension",
                "milestones",
                "title",
                "baseline",
                "forecast",
                "done",
                "score",
                "missing_reports",
                "overall",
            )
        }
        # The colour badges (`_rag.html`) and trend arrows (`_trend.html`).
        words = {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}
        self.badge = {
            rag: f'<span class="rag rag-{rag}">{escape(words[rag])}</span>' for rag in RAGS
        }
        self.no_badge = f'<span class="rag rag-none">{escape(_("Not given"))}</span>'
        # `Rating.trend` → class, arrow, title and word, as `_trend.html` draws them.
        trends = {
            "better": ("up", "↑", _("Better than the previous period"), _("better")),
            "worse": ("down", "↓", _("Worse than the previous period"), _("worse")),
            "same": ("same", "→", _("Same as the previous period"), _("the same")),
        }
        self.arrow = {
            trend: (
                f'<span class="rag-trend rag-trend-{css}" title="{escape(title)}">{arrow}'
                f'<span class="visually-hidden">{escape(word)}</span></span>'
            )
            for trend, (css, arrow, title, word) in trends.items()
        }
        self.this_period = escape(_("This period"))
        self.open_report = escape(_("Open report"))
        self.report_url = UrlPattern("reporting:report_detail", ID)
        self.date = DateTexts("j M Y")
        self.columns = len(data.dimensions) + 1

    # Small pieces ----------------------------------------------------------------------

    def rag(self, rag: str) -> str:
        return self.badge.get(rag, self.no_badge)

    def trend(self, trend: str) -> str:
        return self.arrow.get(trend, "")

    def _name(self, report: Any) -> str:
        return f'<span class="mono">{escape(report.key)}</span> {escape(report.name)}'

    # The overview ----------------------------------------------------------------------

    def overview_row(self, view: dict[str, Any]) -> str:
        """One project's row of the overview table."""
        report = view["report"]
        manager = (
            f'<span class="muted cell-sub">{escape(report.manager)}</span>'
            if report.manager
            else ""
        )
        cells = [
            f'<tr><th scope="row" class="cell-project"><a href="#project-{view["pk"]}">'
            f"{self._name(report)}</a>{manager}</th>"
        ]
        if view["reported"]:
            for r in view["ratings"]:
                rating = r["rating"]
                label, word = escape(r["label"]), escape(r["word"])
                reason = (
                    f" — {escape(_truncated(rating.reason, TOOLTIP_CHARS))}"
                    if rating.reason
                    else ""
                )
                cells.append(
                    f'<td data-label="{label}" class="rag-cell">'
                    f'<span class="rag-sq rag-sq-{escape(rating.rag or "none")}"'
                    f' title="{label}: {word}{reason}">'
                    f'<span class="visually-hidden">{word}</span></span>'
                    f"{self.trend(rating.trend)}</td>"
                )
        else:
            cells.append(
                f'<td colspan="{self.columns}" class="not-received">'
                f"{self.label['missing_reports']} · {escape(report.state)}</td>"
            )
        cells.append("</tr>")
        return "".join(cells)

    def overview_rows(self, views: Sequence[dict[str, Any]]) -> SafeString:
        return safe_html.built((self.overview_row(view) for view in views), "\n")

    # A project's section ---------------------------------------------------------------

    def section(self, view: dict[str, Any]) -> str:
        """One project's card: its colours per dimension, texts, milestones and lines."""
        report, pk = view["report"], view["pk"]
        manager = f" · {escape(report.manager)}" if report.manager else ""
        link = (
            f'<a class="btn btn-secondary btn-sm" href="{self.report_url.url(view["report_pk"])}">'
            f"{self.open_report}</a>"
            if view["report_pk"]
            else ""
        )
        parts = [
            f'<section class="card consolidated-project" id="project-{pk}"'
            f' aria-labelledby="project-{pk}-heading">\n'
            '<div class="card-header project-head">\n'
            f'<h2 id="project-{pk}-heading">{self._name(report)}</h2>\n'
            '<div class="project-head-meta">\n'
            f"{self.rag(report.overall.rag)}\n"
            f'<span class="muted">{escape(report.state)}{manager}</span>\n'
            f"{link}\n"
            "</div>\n</div>\n"
        ]
        if view["reported"]:
            parts.append(self._ratings_table(view))
            parts.append('<div class="card-body">\n<div class="report-texts">\n')
            for heading, text in view["texts"]:
                if text:
                    parts.append(
                        f'<div><h3>{escape(heading)}</h3><div class="prose">'
                        f"{render_markdown(text)}</div></div>"
                    )
            parts.append("\n</div>\n")
            if report.milestones:
                parts.append(self._milestones(report.milestones))
            parts.append('<div class="report-registers">\n')
            for heading, lines, scored in view["registers"]:
                if lines:
                    parts.append(self._lines(heading, lines, scored))
            parts.append("</div>\n</div>\n")
        else:
            parts.append(
                '<div class="card-body">\n'
                f'<p class="not-received-panel">{self.label["missing_reports"]} · '
                f"{escape(report.state)}</p>\n"
            )
            for r in view["ratings"]:
                if r["key"] == "overall":
                    parts.append(
                        f'<p class="muted">{self.label["overall"]} · {self.label["trend"]}'
                        f" {r['strip']}</p>"
                    )
            parts.append("\n</div>\n")
        parts.append("</section>")
        return "".join(parts)

    def sections(self, views: Sequence[dict[str, Any]]) -> SafeString:
        return safe_html.built((self.section(view) for view in views), "\n")

    def _ratings_table(self, view: dict[str, Any]) -> str:
        label = self.label
        rows = [
            '<div class="table-wrap">\n<table class="table table-responsive rag-table">\n'
            f'<thead><tr><th scope="col">{label["dimension"]}</th>'
            f'<th scope="col">{self.this_period}</th><th scope="col">{label["previous"]}</th>'
            f'<th scope="col">{label["trend"]}</th><th scope="col">{label["reason"]}</th>'
            "</tr></thead>\n<tbody>\n"
        ]
        for r in view["ratings"]:
            rating = r["rating"]
            overall = ' class="rag-overall"' if r["key"] == "overall" else ""
            previous = (
                self.rag(rating.previous) if rating.previous else '<span class="muted">—</span>'
            )
            reason = linebreaksbr(rating.reason) if rating.reason else ""
            rows.append(
                f"<tr{overall}>"
                f'<th scope="row">{escape(r["label"])}</th>'
                f'<td data-label="{self.this_period}" class="nowrap">'
                f"{self.rag(rating.rag)}\n{self.trend(rating.trend)}</td>"
                f'<td data-label="{label["previous"]}">{previous}</td>'
                f'<td data-label="{label["trend"]}" class="strip-cell">{r["strip"]}</td>'
                f'<td data-label="{label["reason"]}">{reason}</td>'
                "</tr>\n"
            )
        rows.append("</tbody>\n</table>\n</div>\n")
        return "".join(rows)

    def _day(self, value: Any) -> str:
        return self.date(value) if value else "—"

    def _milestones(self, milestones: Sequence[Milestone]) -> str:
        label = self.label
        rows = [
            f"<h3>{label['milestones']}</h3>\n"
            '<div class="table-wrap"><table class="table table-responsive table-compact">\n'
            f'<thead><tr><th scope="col">{label["title"]}</th>'
            f'<th scope="col">{label["baseline"]}</th><th scope="col">{label["forecast"]}</th>'
            f'<th scope="col">{label["done"]}</th></tr></thead>\n<tbody>'
        ]
        for m in milestones:
            done = f'✓<span class="visually-hidden">{label["done"]}</span>' if m.done else ""
            rows.append(
                f'<tr><td data-label="{label["title"]}">{escape(m.title)}</td>'
                f'<td data-label="{label["baseline"]}">{self._day(m.baseline)}</td>'
                f'<td data-label="{label["forecast"]}">{self._day(m.forecast)}</td>'
                f'<td data-label="{label["done"]}">{done}</td></tr>'
            )
        rows.append("</tbody>\n</table></div>\n")
        return "".join(rows)

    def _lines(self, heading: str, lines: Sequence[RegisterLine], scored: bool) -> str:
        items = []
        for line in lines:
            extra = []
            if line.owner:
                extra.append(f" · {escape(line.owner)}")
            if scored and line.score:
                extra.append(f" · {self.label['score']} {escape(localize(line.score))}")
            if line.due:
                extra.append(f" · {self.date(line.due)}")
            if line.status:
                extra.append(f" · {escape(line.status)}")
            items.append(
                f'<li><span class="mono">{escape(line.ref)}</span> {escape(line.title)}'
                f'<span class="muted">{"".join(extra)}</span></li>'
            )
        return (
            f"<div><h3>{escape(heading)}</h3>\n"
            f'<ul class="register-lines">{"".join(items)}</ul>\n</div>\n'
        )
