"""The read side of the overviews: risk heatmaps, "My work" and the portfolio cockpit.

One function per overview. Each takes the user (and what the page chose), reads only what
the user may see through `access`, and returns plain data for a template or an export.
Every function runs a fixed number of queries whatever the amount of data: counts come
from aggregate queries grouped by cell or by project, and lists are capped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.core.charts import BANDS, Band, HeatmapScale
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Phase, Portfolio, Programme, Project, Theme

from .access import items_of, seen_in, visible_items
from .columns import unused_related_fields
from .filters import STATE_OPEN, RiskFilter
from .models import (
    REGISTER_MODELS,
    Action,
    Assumption,
    Comment,
    Decision,
    Dependency,
    Issue,
    RegisterItem,
    Risk,
    RiskCategory,
    RiskScaleLevel,
    ScaleAxis,
)

if TYPE_CHECKING:
    from schakel.planning.milestones import Milestone

# The scale drawn when the configured one has fewer than two levels on an axis.
DEFAULT_LEVELS = 5
TOP_RISKS = 10
TOP_RELATED = ("project", "programme", "owner")
MY_WORK_LIMIT = 50
MENTION_DAYS = 30
MENTION_ITEMS = 20
# Mentions are read newest first and folded per item; this caps the rows read.
MENTION_SCAN = 200
REVIEW_AHEAD = datetime.timedelta(days=7)
# The columns of an item that "My work" shows for every list (see `_row_fields`).
_ITEM_FIELDS = (
    "number",
    "title",
    "status",
    "project",
    "programme",
    "project__key",
    "programme__key",
)
# The name of the annotation that carries a list's full count (see `_section`).
_TOTAL = "my_work_total"


# Home page ---------------------------------------------------------------------------


def home_for(user: Any) -> str:
    """Return which overview is the user's home page: "cockpit" or "my_work".

    Site administrators and whoever holds a PMO or manager role anywhere steer several
    projects, so they start on the cockpit; everyone else starts on their own work.
    """
    roles = portfolio_access.roles_of(user)
    if roles.superuser:
        return "cockpit"
    held = {*roles.portfolios.values(), *roles.programmes.values(), *roles.projects.values()}
    if held & {Role.PMO, Role.MANAGER}:
        return "cockpit"
    return "my_work"


# The risk scale ----------------------------------------------------------------------


def risk_scale() -> HeatmapScale:
    """Build the heatmap scale from the configured levels, labelled in the active language.

    The size of each axis is its highest configured value; a value without a level of its
    own is labelled with its number. An axis with fewer than two levels falls back to 1–5.
    """
    labels: dict[str, dict[int, str]] = {ScaleAxis.PROBABILITY: {}, ScaleAxis.IMPACT: {}}
    for level in RiskScaleLevel.objects.all():
        labels.setdefault(level.axis, {})[level.value] = level.label

    def axis(name: str) -> list[str]:
        known = labels.get(name, {})
        size = max(known) if len(known) >= 2 else DEFAULT_LEVELS
        return [known.get(value, str(value)) for value in range(1, size + 1)]

    return HeatmapScale(
        probability_labels=axis(ScaleAxis.PROBABILITY), impact_labels=axis(ScaleAxis.IMPACT)
    )


def band_of(scale: HeatmapScale, score: int | None) -> Band | None:
    """Return the colour band of a score on the scale (None for no score)."""
    return None if score is None else scale.band_for_score(score)


def current_score_expression() -> Coalesce:
    """The residual score where a risk has one, else its inherent score (as in the model)."""
    return Coalesce("residual_score", "score")


# Heatmaps ----------------------------------------------------------------------------

Scope = Project | Programme | Portfolio


@dataclass
class BandCount:
    """How many risks fall in one colour band, with the band's score range."""

    band: Band
    low: int
    high: int
    inherent: int = 0
    residual: int = 0


@dataclass
class TopRisk:
    """One of the highest open risks: the risk, its current score and that score's band."""

    risk: Risk
    score: int
    band: Band


@dataclass
class Heatmap:
    """Open risks of a scope counted per cell, inherent and residual, with the top risks."""

    scale: HeatmapScale
    inherent: dict[tuple[int, int], int]
    residual: dict[tuple[int, int], int]
    total: int
    # Risks without a residual assessment, counted at their inherent cell on the residual map.
    unassessed: int
    # Risks whose probability or impact lies beyond the configured scale (not drawn).
    off_scale: int
    bands: list[BandCount]
    top: list[TopRisk]


def heatmap_risks(
    user: Any, scope: Scope, *, nature: str = "", category: int | None = None
) -> QuerySet[Risk]:
    """Open risks the user may see in a scope (read by the access helpers), through the
    rows and the filter the scope's risk list uses.

    So a cell of the map and the list it links to count the same rows: the risks of the
    scope's projects and programmes the user sees, by their ids (`seen_in`).
    """
    data = {"state": STATE_OPEN}
    if nature:
        data["nature"] = nature
    if category is not None:
        data["category"] = str(category)
    if isinstance(scope, Project):
        rows = items_of(Risk, [scope.pk])  # read by `project_for_user`: seen
    else:
        seen = seen_in(user, scope)
        rows = items_of(Risk, seen.projects, seen.programmes)
    return RiskFilter(data, queryset=rows).qs


def _band_counts(
    scale: HeatmapScale,
    inherent: dict[tuple[int, int], int],
    residual: dict[tuple[int, int], int],
) -> list[BandCount]:
    low = 1
    bands = []
    for index, band in enumerate(BANDS):
        high = scale.bounds[index] if index < len(scale.bounds) else scale.max_score
        bands.append(BandCount(band=band, low=low, high=high))
        low = high + 1
    by_key = {b.band.key: b for b in bands}
    for (probability, impact), count in inherent.items():
        by_key[scale.band(probability, impact).key].inherent += count
    for (probability, impact), count in residual.items():
        by_key[scale.band(probability, impact).key].residual += count
    return bands


def heatmap(user: Any, scope: Scope, *, nature: str = "", category: int | None = None) -> Heatmap:
    """Count the open risks of a scope per (probability, impact), inherent and residual.

    Four queries: the scale, one aggregate per map, the ten highest risks. Risks without
    a residual assessment are counted at their inherent cell on the residual map.
    """
    scale = risk_scale()
    risks = heatmap_risks(user, scope, nature=nature, category=category)
    off_scale = 0
    inherent: dict[tuple[int, int], int] = {}
    for row in risks.order_by().values("probability", "impact").annotate(n=Count("id")):
        cell = (row["probability"], row["impact"])
        if scale.contains(*cell):
            inherent[cell] = row["n"]
        else:
            off_scale += row["n"]
    residual: dict[tuple[int, int], int] = {}
    unassessed = 0
    rows = (
        risks.order_by()
        .annotate(
            rp=Coalesce("residual_probability", "probability"),
            ri=Coalesce("residual_impact", "impact"),
        )
        .values("rp", "ri")
        .annotate(n=Count("id"), estimated=Count("id", filter=Q(residual_probability__isnull=True)))
    )
    for row in rows:
        cell = (row["rp"], row["ri"])
        unassessed += row["estimated"]
        if scale.contains(*cell):
            residual[cell] = residual.get(cell, 0) + row["n"]
    top = [
        TopRisk(risk=risk, score=risk.current_score, band=scale.band_for_score(risk.current_score))
        for risk in risks.select_related(*TOP_RELATED)
        .defer(*unused_related_fields(Risk, TOP_RELATED))
        .annotate(current=current_score_expression())
        .order_by("-current", "-score", "project__key", "number")[:TOP_RISKS]
    ]
    return Heatmap(
        scale=scale,
        inherent=inherent,
        residual=residual,
        total=sum(inherent.values()) + off_scale,
        unassessed=unassessed,
        off_scale=off_scale,
        bands=_band_counts(scale, inherent, residual),
        top=top,
    )


def risk_categories() -> list[tuple[int, str]]:
    """The active risk categories as (id, name in the active language), for a filter."""
    return [(c.pk, c.name) for c in RiskCategory.objects.filter(active=True)]


# My work -----------------------------------------------------------------------------


@dataclass
class Section:
    """One list on "My work": the first rows and how many there are in all."""

    rows: list[Any]
    count: int
    # Further counts over every row (not only the rows shown), by name: see `_section`.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class Mention:
    """An item the user was @mentioned in, with the latest comment that named them."""

    item: RegisterItem
    comment: Comment


@dataclass
class MyWork:
    """What is waiting for one person, across every project they may see."""

    today: datetime.date
    actions: Section
    overdue_actions: int
    reviews: Section
    decisions: Section
    issues: Section
    mentions: Section
    dependencies: Section


def _section(queryset: QuerySet[Any], limit: int = MY_WORK_LIMIT, **counts: Any) -> Section:
    """Read at most `limit` rows, with the count of them all in the same query.

    The count (and any other aggregate of `counts`, such as the overdue ones) rides along
    each row as a window over every matching row, so a long list costs no second query.
    The aggregates end up in `Section.counts` (0 when there are no rows at all).
    """
    windows = {_TOTAL: Window(Count("pk"))}
    windows.update({f"{_TOTAL}_{name}": Window(aggregate) for name, aggregate in counts.items()})
    rows = list(queryset.annotate(**windows)[:limit])
    first = rows[0] if rows else None
    return Section(
        rows=rows,
        count=getattr(first, _TOTAL, 0),
        counts={name: getattr(first, f"{_TOTAL}_{name}", 0) for name in counts},
    )


def _overdue_first(due_field: str, today: datetime.date) -> list[Any]:
    """An ordering: overdue items first, then by due date (none last), then newest."""
    return [
        Case(
            When(**{f"{due_field}__lt": today}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        F(due_field).asc(nulls_last=True),
        "-pk",
    ]


def _row_fields(*fields: str) -> tuple[str, ...]:
    """The columns "My work" reads of an item (its code, title and status) and of its
    project or programme (the key), plus `fields`: nothing else is loaded."""
    return (*_ITEM_FIELDS, *fields)


def _mentions(user: Any, since: datetime.datetime) -> Section:
    """Items the user was mentioned in since `since`, newest mention first, visible only.

    The newest `MENTION_SCAN` comments that mention the user are read first, then, per
    register they are in, those of their items that the user may see: a few lookups by id
    instead of a filter over everything the user sees. When the scan is full, hidden items
    could have pushed visible ones out of it, so it is read again with the visibility asked
    per comment (rare: hundreds of mentions in a month).
    """
    found = ContentType.objects.get_for_models(*REGISTER_MODELS)
    types: dict[type[RegisterItem], ContentType] = {m: found[m] for m in REGISTER_MODELS}
    mentioning = (
        Comment.objects.filter(mentions=user, created_at__gte=since)
        .select_related("author")
        .only(
            "item_type_id",
            "item_id",
            "body",
            "created_at",
            "author",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
        .order_by("-created_at", "-pk")
    )
    comments = list(mentioning[:MENTION_SCAN])
    if len(comments) == MENTION_SCAN:
        visible = Q()
        for model, content_type in types.items():
            seen = visible_items(user, model).filter(pk=OuterRef("item_id"))
            visible |= Q(Exists(seen), item_type=content_type)
        comments = list(mentioning.filter(visible)[:MENTION_SCAN])
    latest: dict[tuple[int, int], Comment] = {}
    for comment in comments:
        latest.setdefault((comment.item_type_id, comment.item_id), comment)
    by_type: dict[int, list[int]] = {}
    for type_id, item_id in latest:
        by_type.setdefault(type_id, []).append(item_id)
    models_by_type = {ct.pk: model for model, ct in types.items()}
    items: dict[tuple[int, int], RegisterItem] = {}
    for type_id, ids in by_type.items():
        model = models_by_type[type_id]
        seen_items = visible_items(user, model).filter(pk__in=ids)
        for item in seen_items.select_related("project", "programme").only(*_ITEM_FIELDS):
            items[(type_id, item.pk)] = item
    keys = [key for key in latest if key in items]
    rows = [Mention(item=items[key], comment=latest[key]) for key in keys[:MENTION_ITEMS]]
    return Section(rows=rows, count=len(keys))


def my_work(user: Any, *, today: datetime.date | None = None) -> MyWork:
    """Collect the user's open actions, reviews, decisions, issues, mentions and dependencies.

    Only items the user may still see count. One query per list (its rows and its count
    together), one for the mentions and one per register they are in: about a dozen,
    whatever the data.
    """
    today = today or timezone.localdate()
    related = ("project", "programme")

    actions = _section(
        visible_items(user, Action)
        .filter(status__in=Action.OPEN_STATUSES)
        .filter(owner=user)
        .select_related(*related)
        .only(*_row_fields("due", "priority"))
        .order_by(*_overdue_first("due", today)),
        overdue=Count("pk", filter=Q(due__lt=today)),
    )
    reviews = (
        visible_items(user, Risk)
        .filter(status__in=Risk.OPEN_STATUSES)
        .filter(Q(owner=user) | Q(actionee=user), review_date__lte=today + REVIEW_AHEAD)
        .select_related(*related)
        .only(*_row_fields("review_date"))
        .order_by("review_date", "-pk")
    )
    decisions = (
        visible_items(user, Decision)
        .filter(status=Decision.Status.PROPOSED)
        .filter(Q(decided_by=user) | Q(owner=user))
        .select_related(*related)
        .only(*_row_fields("needed_by", "forum"))
        .order_by(*_overdue_first("needed_by", today))
    )
    issues = (
        visible_items(user, Issue)
        .filter(status__in=Issue.OPEN_STATUSES)
        .filter(Q(owner=user) | Q(escalated_to=user))
        .select_related(*related)
        .only(*_row_fields("target_date", "priority", "owner", "escalated_to"))
        .order_by(*_overdue_first("target_date", today))
    )
    dependencies = (
        visible_items(user, Dependency)
        .filter(status=Dependency.Status.AT_RISK, owner=user)
        .select_related(*related, "other_project")
        .only(*_row_fields("need_by", "direction", "other_project", "other_project__key"))
        .order_by(*_overdue_first("need_by", today))
    )
    since = timezone.now() - datetime.timedelta(days=MENTION_DAYS)
    return MyWork(
        today=today,
        actions=actions,
        overdue_actions=actions.counts["overdue"],
        reviews=_section(reviews),
        decisions=_section(decisions),
        issues=_section(issues),
        mentions=_mentions(user, since),
        dependencies=_section(dependencies),
    )


# The portfolio cockpit ---------------------------------------------------------------


@dataclass
class Figures:
    """The numbers of one cockpit row, or their roll-up over several rows."""

    open_risks: int = 0
    max_score: int | None = None
    open_issues: int = 0
    overdue_actions: int = 0
    pending_decisions: int = 0
    last_change: datetime.datetime | None = None
    projects: int = 1
    # The colour band of `max_score` ("low" ... "critical"), set once the scale is known.
    band: str = ""
    # Milestones of the plan whose forecast lies after their baseline (summed in roll-ups).
    slipped_milestones: int = 0
    # The project's next open milestone (a project's own row only: roll-ups leave it empty).
    next_milestone: Milestone | None = None

    def add(self, other: Figures) -> None:
        """Roll another row's figures up into these: sums, the highest score, the latest change."""
        self.open_risks += other.open_risks
        self.open_issues += other.open_issues
        self.overdue_actions += other.overdue_actions
        self.pending_decisions += other.pending_decisions
        self.slipped_milestones += other.slipped_milestones
        self.projects += other.projects
        self.max_score = _max(self.max_score, other.max_score)
        self.last_change = _max(self.last_change, other.last_change)


def _max(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


@dataclass
class CockpitRow:
    """One project in the cockpit."""

    project: Project
    figures: Figures


@dataclass
class ThemeGroup:
    """The projects of one theme of a programme (theme None: projects without a theme)."""

    theme: Theme | None
    rows: list[CockpitRow]
    totals: Figures = field(default_factory=lambda: Figures(projects=0))


@dataclass
class ProgrammeGroup:
    """A programme's projects, grouped by theme, with the programme's roll-up."""

    programme: Programme
    themes: list[ThemeGroup]
    totals: Figures = field(default_factory=lambda: Figures(projects=0))


@dataclass
class Cockpit:
    """Every visible, unarchived project with its numbers, grouped and rolled up."""

    programmes: list[ProgrammeGroup]
    totals: Figures
    ordering: str
    scale: HeatmapScale
    portfolios: list[Portfolio]


_PHASE_RANK = {value: rank for rank, value in enumerate(Phase.values)}

# Sort keys of the cockpit: `?ordering=<key>` or `-<key>`. Numbers sort with "none" lowest.
_PROJECT_KEYS: dict[str, Callable[[CockpitRow], Any]] = {
    "key": lambda r: r.project.key,
    "name": lambda r: r.project.name.lower(),
    "phase": lambda r: _PHASE_RANK.get(r.project.phase, 99),
    "manager": lambda r: (
        r.project.manager is None,
        r.project.manager.display_name.lower() if r.project.manager else "",
    ),
    # The next milestone's date, projects without one last.
    "milestone": lambda r: (
        r.figures.next_milestone is None,
        r.figures.next_milestone.forecast if r.figures.next_milestone else datetime.date.min,
    ),
}
_FIGURE_KEYS: dict[str, Callable[[Figures], Any]] = {
    "risks": lambda f: f.open_risks,
    "score": lambda f: -1 if f.max_score is None else f.max_score,
    "issues": lambda f: f.open_issues,
    "overdue": lambda f: f.overdue_actions,
    "decisions": lambda f: f.pending_decisions,
    "slipped": lambda f: f.slipped_milestones,
    "changed": lambda f: f.last_change.timestamp() if f.last_change else 0.0,
}
COCKPIT_ORDERINGS = frozenset(
    {*_PROJECT_KEYS, *_FIGURE_KEYS, *(f"-{k}" for k in (*_PROJECT_KEYS, *_FIGURE_KEYS))}
)
DEFAULT_ORDERING = "key"


def _grouped_by_project(
    queryset: QuerySet[Any], projects: QuerySet[Project], **aggregates: Any
) -> dict[int, dict[str, Any]]:
    """One aggregate query per register: the given figures for each project."""
    rows = (
        queryset.filter(project__in=projects.values("pk"))
        .order_by()
        .values("project_id")
        .annotate(**aggregates)
    )
    return {row.pop("project_id"): row for row in rows}


def cockpit_figures(
    projects: QuerySet[Project], *, today: datetime.date | None = None
) -> dict[int, Figures]:
    """Count each project's open risks and issues, overdue actions and pending decisions,
    and find its next milestone and how many of its milestones slipped.

    One aggregate query per register, grouped by project (six in all), and at most three
    for the plans' milestones (`schakel.planning.milestones`), whatever the number of
    projects. The last change is the latest `updated_at` of the project and of its live
    items in any register.
    """
    # Planning imports the registers, so the registers read the plans only here, late.
    from schakel.planning.milestones import milestone_status

    today = today or timezone.localdate()
    risks = _grouped_by_project(
        Risk.objects.all(),
        projects,
        open=Count("pk", filter=Q(status__in=Risk.OPEN_STATUSES)),
        top=Max(current_score_expression(), filter=Q(status__in=Risk.OPEN_STATUSES)),
        last=Max("updated_at"),
    )
    issues = _grouped_by_project(
        Issue.objects.all(),
        projects,
        open=Count("pk", filter=Q(status__in=Issue.OPEN_STATUSES)),
        last=Max("updated_at"),
    )
    actions = _grouped_by_project(
        Action.objects.all(),
        projects,
        overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due__lt=today)),
        last=Max("updated_at"),
    )
    decisions = _grouped_by_project(
        Decision.objects.all(),
        projects,
        pending=Count("pk", filter=Q(status=Decision.Status.PROPOSED)),
        last=Max("updated_at"),
    )
    others = [
        _grouped_by_project(model.objects.all(), projects, last=Max("updated_at"))
        for model in (Assumption, Dependency)
    ]
    plans = milestone_status([project.pk for project in projects], today, per_project=1)
    empty: dict[str, Any] = {}
    figures: dict[int, Figures] = {}
    for project in projects:
        pk = project.pk
        risk, issue = risks.get(pk, empty), issues.get(pk, empty)
        action, decision = actions.get(pk, empty), decisions.get(pk, empty)
        last = project.updated_at
        for source in (risk, issue, action, decision, *(o.get(pk, empty) for o in others)):
            last = _max(last, source.get("last"))
        figures[pk] = Figures(
            open_risks=risk.get("open", 0),
            max_score=risk.get("top"),
            open_issues=issue.get("open", 0),
            overdue_actions=action.get("overdue", 0),
            pending_decisions=decision.get("pending", 0),
            last_change=last,
        )
        plan = plans.get(pk)
        if plan is not None:
            figures[pk].slipped_milestones = plan.slipped
            figures[pk].next_milestone = plan.first
    return figures


def _sorted(items: Iterable[Any], key: Callable[[Any], Any], descending: bool) -> list[Any]:
    return sorted(items, key=key, reverse=descending)


def cockpit(user: Any, *, ordering: str = "", today: datetime.date | None = None) -> Cockpit:
    """Every visible, unarchived project with its figures, grouped by programme and theme.

    Projects are sorted within their theme by `ordering` (an allow-listed column, "-" for
    descending; unknown values fall back to the key). For a column of numbers the themes
    and programmes are sorted by their roll-ups too; otherwise they keep their own order.
    """
    ordering = ordering if ordering in COCKPIT_ORDERINGS else DEFAULT_ORDERING
    descending = ordering.startswith("-")
    column = ordering.lstrip("-")
    projects = (
        portfolio_access.visible_projects(user)
        .filter(archived_at__isnull=True, programme__archived_at__isnull=True)
        .select_related("programme__portfolio", "theme", "manager")
        .order_by("programme__portfolio__name", "programme__name", "key")
    )
    project_list = list(projects)
    figures = cockpit_figures(projects, today=today) if project_list else {}

    programmes: dict[int, ProgrammeGroup] = {}
    themes: dict[tuple[int, int | None], ThemeGroup] = {}
    for project in project_list:
        row = CockpitRow(project=project, figures=figures[project.pk])
        group = programmes.get(project.programme_id)
        if group is None:
            group = programmes[project.programme_id] = ProgrammeGroup(project.programme, [])
        theme_key = (project.programme_id, project.theme_id)
        theme_group = themes.get(theme_key)
        if theme_group is None:
            theme_group = themes[theme_key] = ThemeGroup(project.theme, [])
            group.themes.append(theme_group)
        theme_group.rows.append(row)
        theme_group.totals.add(row.figures)
        group.totals.add(row.figures)

    totals = Figures(projects=0)
    for group in programmes.values():
        totals.add(group.totals)

    def theme_order(t: ThemeGroup) -> tuple[Any, ...]:
        # Themes in their own order, projects without a theme after them.
        return (
            t.theme is None,
            t.theme.position if t.theme else 0,
            t.theme.name if t.theme else "",
        )

    ordered: list[ProgrammeGroup] = list(programmes.values())
    for group in ordered:
        group.themes.sort(key=theme_order)
    if column in _PROJECT_KEYS:
        row_key = _PROJECT_KEYS[column]
        for group in ordered:
            for theme_group in group.themes:
                theme_group.rows = _sorted(theme_group.rows, row_key, descending)
    else:
        figure_key = _FIGURE_KEYS[column]
        for group in ordered:
            for theme_group in group.themes:
                theme_group.rows = _sorted(
                    theme_group.rows, lambda r: figure_key(r.figures), descending
                )
            group.themes = _sorted(group.themes, lambda t: figure_key(t.totals), descending)
        ordered = _sorted(ordered, lambda g: figure_key(g.totals), descending)

    scale = risk_scale()
    for figure in _all_figures(ordered, totals):
        band = band_of(scale, figure.max_score)
        figure.band = band.key if band else ""
    portfolios = list({g.programme.portfolio_id: g.programme.portfolio for g in ordered}.values())
    return Cockpit(
        programmes=ordered,
        totals=totals,
        ordering=ordering,
        scale=scale,
        portfolios=portfolios,
    )


def _all_figures(groups: list[ProgrammeGroup], totals: Figures) -> Iterable[Figures]:
    yield totals
    for group in groups:
        yield group.totals
        for theme_group in group.themes:
            yield theme_group.totals
            for row in theme_group.rows:
                yield row.figures
