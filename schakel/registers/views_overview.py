"""Overview pages: risk heatmaps per project, programme and portfolio, "My work", the cockpit.

Each view checks access through the access helpers, reads its data from `overview` (a
fixed number of queries) and renders. The heatmap page swaps its maps region for htmx
requests when the filters change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.vary import vary_on_headers

from schakel.core.charts import render_heatmap_pair
from schakel.lib import panels, safe_html
from schakel.lib.html_rows import ID, DateTexts, UrlPattern
from schakel.lib.htmx import wants_partial
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project

from . import overview
from .filters import STATE_OPEN
from .models import Action, Decision, Dependency, Issue, RegisterItem, Risk

BAND_NAMES = {
    "low": gettext_lazy("Low"),
    "medium": gettext_lazy("Medium"),
    "high": gettext_lazy("High"),
    "critical": gettext_lazy("Critical"),
}


def _crumbs(*objects: Portfolio | Programme | Project) -> list[tuple[str, str]]:
    return [
        (obj.key if isinstance(obj, Project) else obj.name, obj.get_absolute_url())
        for obj in objects
    ]


# Heatmaps ----------------------------------------------------------------------------


class HeatmapFilterForm(forms.Form):
    """The filters of the heatmap page: threat or opportunity, and category."""

    nature = forms.ChoiceField(
        label=gettext_lazy("Threat or opportunity"),
        required=False,
        choices=[("", gettext_lazy("Threats and opportunities")), *Risk.Nature.choices],
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, categories: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [("", _("All categories")), *categories]
        for bound in self.fields.values():
            bound.widget.attrs["data-autosubmit"] = ""

    def chosen(self) -> dict[str, Any]:
        """The valid choices; an invalid one is left out (and shown as an error)."""
        if not self.is_bound:
            return {"nature": "", "category": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"nature": data.get("nature") or "", "category": data.get("category")}


def _list_url(scope: overview.Scope) -> str:
    kind = {Project: "project", Programme: "programme", Portfolio: "portfolio"}[type(scope)]
    return reverse(f"registers:{kind}_list", kwargs={"pk": scope.pk, "register": "risks"})


def _cell_url(base: str, chosen: dict[str, Any], *, residual: bool) -> Any:
    extra = {}
    if chosen["nature"]:
        extra["nature"] = chosen["nature"]
    if chosen["category"] is not None:
        extra["category"] = chosen["category"]

    def url(probability: int, impact: int) -> str:
        query = {"probability": probability, "impact": impact, "state": STATE_OPEN, **extra}
        if residual:
            query["residual"] = "true"
        return f"{base}?{urlencode(query)}"

    return url


def _summary(data: overview.Heatmap) -> list[str]:
    """Sentences that say in words what the two maps show."""
    if not data.total:
        return []

    def by_band(attr: str) -> str:
        parts = [
            f"{getattr(b, attr)} {BAND_NAMES[b.band.key].lower()}"
            for b in reversed(data.bands)
            if getattr(b, attr)
        ]
        return ", ".join(parts)

    sentences = [
        ngettext("%(count)s open risk.", "%(count)s open risks.", data.total)
        % {"count": data.total}
    ]
    if before := by_band("inherent"):
        sentences.append(_("Before responses: %(bands)s.") % {"bands": before})
    if after := by_band("residual"):
        sentences.append(_("After responses: %(bands)s.") % {"bands": after})
    if data.top:
        best = data.top[0]
        sentences.append(
            _("Highest: %(ref)s %(title)s, score %(score)s.")
            % {"ref": best.risk.ref, "title": best.risk.title, "score": best.score}
        )
    return sentences


def _heatmap_page(
    request: HttpRequest,
    scope: overview.Scope,
    *,
    heading: str,
    breadcrumbs: list[tuple[str, str]],
) -> HttpResponse:
    form = HeatmapFilterForm(request.GET or None, categories=overview.risk_categories())
    chosen = form.chosen()
    data = overview.heatmap(request.user, scope, **chosen)
    scale = data.scale
    list_url = _list_url(scope)

    def cell_label(probability: int, impact: int, count: int) -> str:
        return ngettext(
            "Probability %(p)s (%(pl)s), impact %(i)s (%(il)s): %(count)s risk",
            "Probability %(p)s (%(pl)s), impact %(i)s (%(il)s): %(count)s risks",
            count,
        ) % {
            "p": probability,
            "pl": scale.probability_labels[probability - 1],
            "i": impact,
            "il": scale.impact_labels[impact - 1],
            "count": count,
        }

    inherent_svg, residual_svg = render_heatmap_pair(
        data.inherent,
        data.residual,
        scale,
        inherent_title=_("Before responses (inherent)"),
        residual_title=_("After responses (residual)"),
        axis_probability=_("Probability"),
        axis_impact=_("Impact"),
        inherent_cell_url=_cell_url(list_url, chosen, residual=False),
        residual_cell_url=_cell_url(list_url, chosen, residual=True),
        cell_label=cell_label,
    )
    list_query = {"state": STATE_OPEN}
    if chosen["nature"]:
        list_query["nature"] = chosen["nature"]
    if chosen["category"] is not None:
        list_query["category"] = str(chosen["category"])
    context = {
        "scope": scope,
        "heading": heading,
        "breadcrumbs": breadcrumbs,
        "form": form,
        "filtered": bool(chosen["nature"] or chosen["category"] is not None),
        "data": data,
        "bands": [(b, BAND_NAMES[b.band.key]) for b in reversed(data.bands)],
        "inherent_svg": inherent_svg,
        "residual_svg": residual_svg,
        "summary": _summary(data),
        "list_url": f"{list_url}?{urlencode(list_query)}",
        "show_project": not isinstance(scope, Project),
    }
    template = "registers/heatmap.html"
    if wants_partial(request):
        template += "#maps"
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
def project_heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the open risks of a project on the inherent and residual heatmaps."""
    project = portfolio_access.project_for_user(request.user, pk)
    programme = project.programme
    return _heatmap_page(
        request,
        project,
        heading=str(project),
        breadcrumbs=[
            *_crumbs(programme.portfolio, programme, project),
            (_("Risk heatmap"), ""),
        ],
    )


@login_required
@vary_on_headers("HX-Request")
def programme_heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the open risks of a programme (that the user may see) on the heatmaps."""
    programme = portfolio_access.programme_for_user(request.user, pk)
    return _heatmap_page(
        request,
        programme,
        heading=programme.name,
        breadcrumbs=[*_crumbs(programme.portfolio, programme), (_("Risk heatmap"), "")],
    )


@login_required
@vary_on_headers("HX-Request")
def portfolio_heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the open risks of a portfolio (that the user may see) on the heatmaps."""
    portfolio = portfolio_access.portfolio_for_user(request.user, pk)
    return _heatmap_page(
        request,
        portfolio,
        heading=portfolio.name,
        breadcrumbs=[*_crumbs(portfolio), (_("Risk heatmap"), "")],
    )


# My work -----------------------------------------------------------------------------


class WorkRows:
    """The rows of the lists on "My work", drawn in Python for one request.

    Like the register lists (`row_html.py`, docs/performance.md): the template engine spent
    most of the page's drawing time on these rows (a translation per cell, a `{% url %}` and
    a partial per row). What is the same for every row is made once here; every value from
    the database is escaped. The markup is the one the template drew.
    """

    def __init__(self, today: datetime.date, user_id: int | None):
        self.today = today
        self.user_id = user_id
        self.date = DateTexts("SHORT_DATE_FORMAT")
        self.overdue = f' <span class="badge badge-overdue">{escape(_("Overdue"))}</span>'
        self.due_today = f' <span class="badge badge-due-today">{escape(_("Today"))}</span>'
        self.escalated = f' <span class="badge">{escape(_("Escalated to me"))}</span>'
        self.someone = _("someone")
        self._urls: dict[str, UrlPattern] = {}
        self._choices: dict[tuple[type, str], dict[str, str]] = {}

    # Pieces made once ------------------------------------------------------------------

    def url(self, item: RegisterItem) -> str:
        pattern = self._urls.get(item.KIND)
        if pattern is None:
            pattern = self._urls[item.KIND] = UrlPattern("registers:item_detail", item.KIND, ID)
        return pattern.url(item.pk)

    def display(self, item: RegisterItem, name: str) -> str:
        """The escaped label of a choice field's value, as `get_FOO_display` gives it."""
        key = (type(item), name)
        labels = self._choices.get(key)
        if labels is None:
            field: Any = type(item)._meta.get_field(name)
            labels = self._choices[key] = {
                str(value): escape(label) for value, label in field.flatchoices
            }
        value = getattr(item, name)
        found = labels.get(value)
        return found if found is not None else escape(value)

    def due(self, value: datetime.date | None) -> str:
        """A date with an "Overdue" or "Today" badge, or a dash when there is none."""
        if not value:
            return "—"
        if value < self.today:
            return self.date(value) + self.overdue
        if value == self.today:
            return self.date(value) + self.due_today
        return self.date(value)

    def link(self, item: RegisterItem) -> str:
        return f'<a href="{self.url(item)}">{escape(item.title)}</a>'

    def _empty(self, value: Any) -> str:
        return "" if value else " is-empty"

    # The lists ---------------------------------------------------------------------------

    def _priority_rows(
        self, items: list[Any], name: str, due_label: str, due_of: Any, marks: Any
    ) -> SafeString:
        """Rows of ref, name (with `marks(item)` after the link), due date, priority, status;
        `marks` also returns the row's attributes."""
        ref, name, due = escape(_("Ref")), escape(name), escape(due_label)
        priority, status = escape(_("Priority")), escape(_("Status"))
        rows = []
        for item in items:
            when = due_of(item)
            row_attrs, after = marks(item)
            rows.append(
                f"<tr{row_attrs}>"
                f'<td data-label="{ref}" class="key nowrap">{escape(item.ref)}</td>'
                f'<td data-label="{name}" class="cell-name">{self.link(item)}{after}</td>'
                f'<td data-label="{due}" class="nowrap{self._empty(when)}">'
                f"{self.due(when)}</td>"
                f'<td data-label="{priority}"><span class="badge ch-priority-'
                f'{escape(item.priority)}">{self.display(item, "priority")}</span></td>'
                f'<td data-label="{status}">{self.display(item, "status")}</td>'
                "</tr>"
            )
        return safe_html.built(rows, "\n")

    def actions(self, items: list[Action]) -> SafeString:
        def marks(item: Action) -> tuple[str, str]:
            overdue = item.due is not None and item.due < self.today
            return (' class="is-overdue"' if overdue else ""), ""

        return self._priority_rows(items, _("Action"), _("Due"), lambda i: i.due, marks)

    def issues(self, items: list[Issue]) -> SafeString:
        def marks(item: Issue) -> tuple[str, str]:
            mine = item.escalated_to_id == self.user_id and item.owner_id != self.user_id
            return "", (self.escalated if mine else "")

        return self._priority_rows(
            items, _("Issue"), _("Target date"), lambda i: i.target_date, marks
        )

    def decisions(self, items: list[Decision]) -> SafeString:
        ref, name = escape(_("Ref")), escape(_("Decision"))
        needed, forum = escape(_("Needed by")), escape(_("Forum"))
        rows = []
        for item in items:
            empty = "" if item.forum else ' class="is-empty"'
            rows.append(
                "<tr>"
                f'<td data-label="{ref}" class="key nowrap">{escape(item.ref)}</td>'
                f'<td data-label="{name}" class="cell-name">{self.link(item)}</td>'
                f'<td data-label="{needed}" class="nowrap{self._empty(item.needed_by)}">'
                f"{self.due(item.needed_by)}</td>"
                f'<td data-label="{forum}"{empty}>{escape(item.forum or "—")}</td>'
                "</tr>"
            )
        return safe_html.built(rows, "\n")

    def _line(self, item: RegisterItem, *extra: str) -> str:
        parts = "\n".join(extra)
        return (
            f'<li>\n<span class="key mono">{escape(item.ref)}</span>\n{self.link(item)}\n'
            f"{parts}\n</li>"
        )

    def reviews(self, items: list[Risk]) -> SafeString:
        return safe_html.built(
            (
                self._line(item, f'<span class="small">{self.due(item.review_date)}</span>')
                for item in items
            ),
            "\n",
        )

    def dependencies(self, items: list[Dependency]) -> SafeString:
        lines = []
        for item in items:
            key = item.other_project.key if item.other_project is not None else ""
            if item.direction == "inbound":
                text = _("from %(key)s") % {"key": escape(key)}
            else:
                text = _("for %(key)s") % {"key": escape(key)}
            lines.append(
                self._line(
                    item,
                    f'<span class="small muted">{text}</span>',
                    f'<span class="small">{self.due(item.need_by)}</span>',
                )
            )
        return safe_html.built(lines, "\n")

    def mentions(self, mentions: list[overview.Mention]) -> SafeString:
        lines = []
        for mention in mentions:
            comment = mention.comment
            author = comment.author.display_name if comment.author is not None else ""
            said = _("%(who)s, %(when)s ago:") % {
                "who": escape(author or self.someone),
                "when": escape(timesince(comment.created_at)) if comment.created_at else "",
            }
            body = escape(Truncator(comment.body).chars(120))
            lines.append(
                self._line(
                    mention.item, f'<span class="small muted work-mention">{said} {body}</span>'
                )
            )
        return safe_html.built(lines, "\n")


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """Show what waits for the user: actions, reviews, decisions, issues and mentions."""
    work = overview.my_work(request.user)
    rows = WorkRows(work.today, request.user.pk)
    context = {
        "work": work,
        "today": work.today,
        "rows": {
            "actions": rows.actions(work.actions.rows),
            "issues": rows.issues(work.issues.rows),
            "decisions": rows.decisions(work.decisions.rows),
            "reviews": rows.reviews(work.reviews.rows),
            "mentions": rows.mentions(work.mentions.rows),
            "dependencies": rows.dependencies(work.dependencies.rows),
        },
        # What other apps add: the meetings' "My next meetings", for one.
        "panels": panels.panels("my_work", request.user),
    }
    return render(request, "registers/my_work.html", context)


# The cockpit -------------------------------------------------------------------------


# The columns of the cockpit: sort key, heading, and whether it holds numbers (which sort
# from high to low on the first click).
COCKPIT_COLUMNS = (
    ("key", gettext_lazy("Key"), False),
    ("name", gettext_lazy("Project"), False),
    ("phase", gettext_lazy("Phase"), False),
    ("manager", gettext_lazy("Project manager"), False),
    ("risks", gettext_lazy("Open risks"), True),
    ("score", gettext_lazy("Highest score"), True),
    ("issues", gettext_lazy("Open issues"), True),
    ("overdue", gettext_lazy("Overdue actions"), True),
    ("decisions", gettext_lazy("Decisions pending"), True),
    ("milestone", gettext_lazy("Next milestone"), False),
    ("slipped", gettext_lazy("Slipped"), True),
    ("changed", gettext_lazy("Last change"), True),
)


@dataclass
class Column:
    """A sortable column heading of the cockpit."""

    key: str
    label: str
    numeric: bool
    url: str
    sort: str  # "ascending", "descending" or "none", for aria-sort


def _columns(ordering: str) -> list[Column]:
    columns = []
    for key, label, numeric in COCKPIT_COLUMNS:
        if ordering == key:
            state, target = "ascending", f"-{key}"
        elif ordering == f"-{key}":
            state, target = "descending", key
        else:
            state, target = "none", f"-{key}" if numeric else key
        columns.append(
            Column(key, str(label), numeric, f"?{urlencode({'ordering': target})}", state)
        )
    return columns


@login_required
@vary_on_headers("HX-Request")
def cockpit(request: HttpRequest) -> HttpResponse:
    """Show every visible project's risks, issues, overdue actions and pending decisions."""
    data = overview.cockpit(request.user, ordering=request.GET.get("ordering", ""))
    template = "registers/cockpit.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, {"cockpit": data, "columns": _columns(data.ordering)})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open the user's home page: the cockpit for PMO and managers, My work for the others."""
    if overview.home_for(request.user) == "cockpit":
        return cockpit(request)
    return my_work(request)
