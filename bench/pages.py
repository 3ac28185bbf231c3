# ruff: noqa: S608 - the SQL is ours: table and column names are constants of this file
"""Page and API latency in process, each beside its raw-SQL floor.

Run against a database holding a demo (``schakel demo --size S|M|L``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/schakel_bench python -m bench.pages

Every measure is a GET through Django's test client (warm: two untimed calls first), as a
realistic user: the portfolio's PMO for the portfolio and programme pages, the busiest
assignee for "My work", the site administrator for the largest plan's Gantt data. Each row
gives the median and p95 of ``--runs`` calls, the number of SQL queries of one call, and
the **floor**: hand-written SQL, run through the same connection, that fetches the rows the
page shows (its page of rows, their people and projects, the counts and aggregates it
prints). page ÷ floor is what Django, the permission checks and the templates add.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.common import counting_queries, machine, repeat, setup_django, summary, write_json

PAGE_SIZE = 50  # the register lists' page (schakel.registers.views_lists.PAGE_SIZE)

# Register tables, their date column ("due"), their open statuses and a realistic sort.
REGISTERS = {
    "risks": ("registers_risk", "review_date", ("open",), "-score"),
    "issues": ("registers_issue", "target_date", ("open", "in_progress", "escalated"), "due"),
    "actions": ("registers_action", "due", ("open", "in_progress"), "due"),
    "decisions": ("registers_decision", "needed_by", ("proposed", "deferred"), "-updated"),
    "assumptions": ("registers_assumption", "validate_by", ("unvalidated",), "due"),
    "dependencies": ("registers_dependency", "need_by", ("open", "at_risk"), "due"),
}
SQL_ORDER = {
    "-score": "t.score DESC, t.id DESC",
    "due": "t.{due} ASC NULLS LAST, t.id DESC",
    "-updated": "t.updated_at DESC, t.id DESC",
}


@dataclass
class Measure:
    name: str
    url: str
    user: Any
    floor: Callable[[Any], Any]
    facts: dict[str, Any] = field(default_factory=dict)


def _rows(cursor: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def register_floor(
    slug: str, *, programme: int | None, portfolio: int | None
) -> Callable[[Any], Any]:
    """One page of the filtered, sorted rows with project and owner, and the total."""
    table, due, statuses, ordering = REGISTERS[slug]
    order = SQL_ORDER[ordering].format(due=due)
    if programme is not None:
        scope = "(p.programme_id = %s OR t.programme_id = %s)"
        params: list[Any] = [programme, programme]
    else:
        scope = "(g.portfolio_id = %s OR gp.portfolio_id = %s)"
        params = [portfolio, portfolio]
    where = (
        f"t.deleted_at IS NULL AND {scope} AND t.status IN ({', '.join(['%s'] * len(statuses))})"
    )
    joins = (
        "LEFT JOIN portfolio_project p ON p.id = t.project_id "
        "LEFT JOIN portfolio_programme g ON g.id = p.programme_id "
        "LEFT JOIN portfolio_programme gp ON gp.id = t.programme_id "
        "LEFT JOIN accounts_user u ON u.id = t.owner_id"
    )
    page_sql = (
        f"SELECT t.id, t.number, t.title, t.status, t.{due}, t.updated_at, p.key, gp.key, "
        f"u.first_name, u.last_name FROM {table} t {joins} WHERE {where} "
        f"ORDER BY {order} LIMIT {PAGE_SIZE}"
    )
    count_sql = f"SELECT count(*) FROM {table} t {joins} WHERE {where}"

    def floor(cursor: Any) -> Any:
        return _rows(cursor, page_sql, [*params, *statuses]), _rows(
            cursor, count_sql, [*params, *statuses]
        )

    return floor


def cockpit_floor(portfolio: int) -> Callable[[Any], Any]:
    """Every unarchived project of the portfolio with its programme, theme and manager, its
    open risks and top score, open issues, overdue actions, pending decisions, last change
    and next milestone: one query per register, as few as a hand-written report needs."""
    projects = (
        "SELECT p.id, p.key, p.name, p.phase, p.state, p.updated_at, g.name, th.name, "
        "u.first_name, u.last_name FROM portfolio_project p "
        "JOIN portfolio_programme g ON g.id = p.programme_id "
        "LEFT JOIN portfolio_theme th ON th.id = p.theme_id "
        "LEFT JOIN accounts_user u ON u.id = p.manager_id "
        "WHERE g.portfolio_id = %s AND p.deleted_at IS NULL AND p.archived_at IS NULL "
        "AND g.archived_at IS NULL ORDER BY g.name, p.key"
    )
    scope = (
        "t.project_id IN (SELECT p.id FROM portfolio_project p JOIN portfolio_programme g "
        "ON g.id = p.programme_id WHERE g.portfolio_id = %s) AND t.deleted_at IS NULL"
    )
    aggregates = [
        "SELECT t.project_id, count(*) FILTER (WHERE t.status = 'open'), "
        "max(t.score) FILTER (WHERE t.status = 'open'), max(t.updated_at) "
        f"FROM registers_risk t WHERE {scope} GROUP BY t.project_id",
        "SELECT t.project_id, count(*) FILTER (WHERE t.status IN "
        "('open', 'in_progress', 'escalated')), max(t.updated_at) "
        f"FROM registers_issue t WHERE {scope} GROUP BY t.project_id",
        "SELECT t.project_id, count(*) FILTER (WHERE t.status IN ('open', 'in_progress') "
        "AND t.due < current_date), max(t.updated_at) "
        f"FROM registers_action t WHERE {scope} GROUP BY t.project_id",
        "SELECT t.project_id, count(*) FILTER (WHERE t.status = 'proposed'), max(t.updated_at) "
        f"FROM registers_decision t WHERE {scope} GROUP BY t.project_id",
        f"SELECT t.project_id, max(t.updated_at) FROM registers_assumption t WHERE {scope} "
        "GROUP BY t.project_id",
        f"SELECT t.project_id, max(t.updated_at) FROM registers_dependency t WHERE {scope} "
        "GROUP BY t.project_id",
    ]
    milestones = (
        "SELECT DISTINCT ON (t.project_id) t.project_id, t.name, t.finish FROM planning_task t "
        "WHERE t.milestone AND t.percent_complete < 100 AND t.project_id IN (SELECT p.id FROM "
        "portfolio_project p JOIN portfolio_programme g ON g.id = p.programme_id "
        "WHERE g.portfolio_id = %s) ORDER BY t.project_id, t.finish"
    )

    def floor(cursor: Any) -> Any:
        out = [_rows(cursor, projects, [portfolio])]
        out += [_rows(cursor, sql, [portfolio]) for sql in aggregates]
        out.append(_rows(cursor, milestones, [portfolio]))
        return out

    return floor


def my_work_floor(user_id: int) -> Callable[[Any], Any]:
    """The user's open actions, issues and risks they own, decisions awaiting them."""
    queries = [
        "SELECT t.id, t.number, t.title, t.status, t.due, p.key FROM registers_action t "
        "LEFT JOIN portfolio_project p ON p.id = t.project_id WHERE t.owner_id = %s "
        "AND t.deleted_at IS NULL AND t.status IN ('open', 'in_progress') ORDER BY t.due",
        "SELECT t.id, t.number, t.title, t.status, t.target_date, p.key FROM registers_issue t "
        "LEFT JOIN portfolio_project p ON p.id = t.project_id WHERE t.owner_id = %s "
        "AND t.deleted_at IS NULL AND t.status IN ('open', 'in_progress', 'escalated')",
        "SELECT t.id, t.number, t.title, t.score, t.review_date, p.key FROM registers_risk t "
        "LEFT JOIN portfolio_project p ON p.id = t.project_id WHERE t.owner_id = %s "
        "AND t.deleted_at IS NULL AND t.status = 'open' ORDER BY t.score DESC",
        "SELECT t.id, t.number, t.title, t.needed_by, p.key FROM registers_decision t "
        "LEFT JOIN portfolio_project p ON p.id = t.project_id WHERE t.owner_id = %s "
        "AND t.deleted_at IS NULL AND t.status = 'proposed'",
    ]
    return lambda cursor: [_rows(cursor, sql, [user_id]) for sql in queries]


def heatmap_floor(portfolio: int) -> Callable[[Any], Any]:
    sql = (
        "SELECT t.probability, t.impact, count(*) FROM registers_risk t "
        "LEFT JOIN portfolio_project p ON p.id = t.project_id "
        "LEFT JOIN portfolio_programme g ON g.id = p.programme_id "
        "LEFT JOIN portfolio_programme gp ON gp.id = t.programme_id "
        "WHERE t.deleted_at IS NULL AND t.status = 'open' "
        "AND (g.portfolio_id = %s OR gp.portfolio_id = %s) GROUP BY t.probability, t.impact"
    )
    return lambda cursor: _rows(cursor, sql, [portfolio, portfolio])


def project_floor(project: int) -> Callable[[Any], Any]:
    queries = [
        "SELECT p.*, g.name, u.first_name, u.last_name FROM portfolio_project p "
        "JOIN portfolio_programme g ON g.id = p.programme_id "
        "LEFT JOIN accounts_user u ON u.id = p.manager_id WHERE p.id = %s",
        "SELECT m.role, u.first_name, u.last_name FROM accounts_membership m "
        "JOIN accounts_user u ON u.id = m.user_id WHERE m.project_id = %s",
        "SELECT r.id, r.status, r.overall, r.period_end FROM reporting_statusreport r "
        "WHERE r.project_id = %s ORDER BY r.period_end DESC LIMIT 1",
        "SELECT 'risk', count(*) FROM registers_risk WHERE project_id = %s AND status = 'open' "
        "AND deleted_at IS NULL UNION ALL SELECT 'action', count(*) FROM registers_action "
        "WHERE project_id = %s AND status IN ('open', 'in_progress') AND deleted_at IS NULL",
        "SELECT t.name, t.finish FROM planning_task t WHERE t.project_id = %s AND t.milestone "
        "ORDER BY t.finish LIMIT 5",
    ]

    def floor(cursor: Any) -> Any:
        return [_rows(cursor, sql, [project] * sql.count("%s")) for sql in queries]

    return floor


def schedule_floor(project: int) -> Callable[[Any], Any]:
    tasks = (
        'SELECT id, parent_id, "order", level, wbs, name, start, finish, duration, '
        "percent_complete, milestone, summary, critical, total_float, free_float, "
        '"constraint", constraint_date, actual_start, actual_finish, owner_id, version '
        'FROM planning_task WHERE project_id = %s ORDER BY "order"'
    )
    links = (
        "SELECT l.id, l.predecessor_id, l.successor_id, l.type, l.lag FROM planning_tasklink l "
        "JOIN planning_task s ON s.id = l.successor_id WHERE s.project_id = %s"
    )
    return lambda cursor: (_rows(cursor, tasks, [project]), _rows(cursor, links, [project]))


def report_floor(cycle: int) -> Callable[[Any], Any]:
    reports = (
        "SELECT r.id, r.project_id, r.status, r.overall, r.overall_reason, r.summary, "
        "r.achievements, r.next_period, r.escalations, p.key, p.name FROM reporting_statusreport r "
        "JOIN portfolio_project p ON p.id = r.project_id WHERE r.cycle_id = %s "
        "AND NOT r.superseded AND r.period_end = (SELECT max(period_end) FROM "
        "reporting_statusreport WHERE cycle_id = %s) ORDER BY p.key"
    )
    ratings = (
        "SELECT d.report_id, d.dimension, d.rag FROM reporting_dimensionrating d "
        "JOIN reporting_statusreport r ON r.id = d.report_id WHERE r.cycle_id = %s"
    )
    return lambda cursor: (_rows(cursor, reports, [cycle, cycle]), _rows(cursor, ratings, [cycle]))


def search_floor(word: str) -> Callable[[Any], Any]:
    like = f"%{word}%"
    queries = [
        "SELECT id, key, name FROM portfolio_project WHERE deleted_at IS NULL AND "
        "(name ILIKE %s OR key ILIKE %s OR description ILIKE %s) ORDER BY key LIMIT 20",
        "SELECT id, key, name FROM portfolio_programme WHERE name ILIKE %s OR key ILIKE %s "
        "OR description ILIKE %s LIMIT 20",
        *(
            f"SELECT id, number, title FROM {table} WHERE deleted_at IS NULL AND "
            "(title ILIKE %s OR description ILIKE %s OR title ILIKE %s) LIMIT 10"
            for table, *_ in REGISTERS.values()
        ),
    ]
    return lambda cursor: [_rows(cursor, sql, [like, like, like]) for sql in queries]


def build_measures() -> list[Measure]:
    """The measures of the issue, on the objects of this database's demo."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from schakel.portfolio.demo import DEMO_PORTFOLIO
    from schakel.portfolio.models import Portfolio, Programme, Project
    from schakel.registers.models import Action, Risk
    from schakel.reporting.models import ReportingCycle

    users = get_user_model().objects
    portfolio = Portfolio.objects.get(name=DEMO_PORTFOLIO)
    pmo = users.get(username="pmo")
    admin = users.get(username="admin")
    programme = (
        Programme.objects.filter(portfolio=portfolio, archived_at__isnull=True)
        .annotate(n=Count("projects"))
        .order_by("-n", "pk")
        .first()
    )
    assert programme is not None
    owner_id = (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, owner__isnull=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner_id")
        .values_list("owner_id", flat=True)
        .first()
    )
    busy = users.get(pk=owner_id)
    risky = (
        Risk.objects.filter(project__programme=programme, project__archived_at__isnull=True)
        .values("project_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "project_id")
        .values_list("project_id", flat=True)
        .first()
    )
    project = Project.objects.get(pk=risky)
    largest = (
        Project.objects.annotate(n=Count("tasks")).filter(n__gt=0).order_by("-n", "pk").first()
    )
    cycle = (
        ReportingCycle.objects.filter(programme=programme)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .order_by("-n", "-pk")
        .first()
    )
    measures = [
        Measure("Portfolio cockpit", "/cockpit/", pmo, cockpit_floor(portfolio.pk)),
        Measure(
            "My work (busiest assignee)",
            "/my-work/",
            busy,
            my_work_floor(busy.pk),
            {"user": busy.username},
        ),
    ]
    for slug, (_table, _due, statuses, ordering) in REGISTERS.items():
        query = "&".join(f"status={s}" for s in statuses) + f"&ordering={ordering}"
        measures.append(
            Measure(
                f"{slug.capitalize()}, programme, open, by {ordering.lstrip('-')}",
                f"/programmes/{programme.pk}/registers/{slug}/?{query}",
                pmo,
                register_floor(slug, programme=programme.pk, portfolio=None),
            )
        )
        measures.append(
            Measure(
                f"{slug.capitalize()}, portfolio, open, by {ordering.lstrip('-')}",
                f"/portfolios/{portfolio.pk}/registers/{slug}/?{query}",
                pmo,
                register_floor(slug, programme=None, portfolio=portfolio.pk),
            )
        )
    measures += [
        Measure(
            "Risk heatmap, portfolio",
            f"/portfolios/{portfolio.pk}/heatmap/",
            pmo,
            heatmap_floor(portfolio.pk),
        ),
        Measure("Project page", f"/projects/{project.pk}/", pmo, project_floor(project.pk)),
    ]
    if largest is not None:
        measures.append(
            Measure(
                "Gantt data of the largest plan (API)",
                f"/api/v1/schedules/{largest.pk}/",
                admin,
                schedule_floor(largest.pk),
                {"tasks": largest.n},  # type: ignore[attr-defined]
            )
        )
    if cycle is not None:
        measures.append(
            Measure(
                "Consolidated report, programme (web)",
                f"/reporting-cycles/{cycle.pk}/report/",
                pmo,
                report_floor(cycle.pk),
                {"reports": cycle.n},  # type: ignore[attr-defined]
            )
        )
    measures.append(Measure("Global search", "/search/?q=migratie", pmo, search_floor("migratie")))
    return measures


def run(*, runs: int, budget_s: float, only: str = "") -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from schakel.planning.models import Task
    from schakel.portfolio.models import Project
    from schakel.registers.models import Action, Risk

    rows = []
    clients: dict[int, Client] = {}
    for measure in build_measures():
        if only and only.casefold() not in measure.name.casefold():
            continue
        if measure.user.pk not in clients:
            clients[measure.user.pk] = Client(SERVER_NAME="127.0.0.1")
            clients[measure.user.pk].force_login(measure.user)
        client = clients[measure.user.pk]

        def get(url: str = measure.url, c: Client = client) -> Any:
            response = c.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        response = get()
        with counting_queries() as statements:
            get()
        page = repeat(get, runs=runs, budget_s=budget_s)

        def floor(measure: Measure = measure) -> Any:
            with connection.cursor() as cursor:
                return measure.floor(cursor)

        floor_times = repeat(floor, runs=runs, budget_s=budget_s / 2)
        page_stats, floor_stats = summary(page), summary(floor_times)
        row = {
            "name": measure.name,
            "url": measure.url,
            "user": measure.user.username,
            "queries": len(statements),
            "bytes": len(response.content),
            "page": page_stats,
            "floor": floor_stats,
            "ratio": round(page_stats["median_ms"] / max(floor_stats["median_ms"], 0.01), 1),
            **measure.facts,
        }
        rows.append(row)
        print(
            f"{measure.name:<46} {page_stats['median_ms']:8.1f} {page_stats['p95_ms']:8.1f} ms"
            f" {len(statements):4d} q   floor {floor_stats['median_ms']:7.1f} ms"
            f"  ×{row['ratio']:<5} {len(response.content) / 1024:7.0f} kB",
            flush=True,
        )
    data = {
        "projects": Project.objects.count(),
        "tasks": Task.objects.count(),
        "risks": Risk.objects.count(),
        "actions": Action.objects.count(),
    }
    return {"machine": machine(), "data": data, "runs": runs, "measures": rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: the environment's DATABASE_URL")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per measure")
    parser.add_argument(
        "--budget", type=float, default=15.0, help="seconds at most per measure (≥5 calls)"
    )
    parser.add_argument("--only", default="", help="measures whose name contains this")
    parser.add_argument("--label", default="", help="name of this data set (S, M, L)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    print(
        f"{'measure':<46} {'median':>8} {'p95':>8}    queries  floor      ratio      size",
        flush=True,
    )
    result = run(runs=args.runs, budget_s=args.budget, only=args.only)
    result["label"] = args.label
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
