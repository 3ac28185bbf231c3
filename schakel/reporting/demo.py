"""Demo progress reports: a monthly cycle on the change programme with half a year behind it.

Size S: the programme "Veranderprogramma ondersteunende diensten" (VOD) reports monthly in
"Maandrapportage VOD". Every live project of it has six published reports (so the trend
strips and the portfolio chart have something to show), their colours drifting from period
to period as projects run into trouble and recover. For the current period most reports are
with the PMO (submitted or approved), one has been returned with a comment, and one project
has not reported although the due date has passed. The cycle's period ends twelve days
before the demo's day, so that due date lies in the past whatever day the demo is built.

Sizes M and L add bulk reports (with a rating per dimension) on a monthly cycle per other
programme: 1,200 and 6,000 reports in all, times `scale`.

Size S goes through the services, as users would; the timestamps are moved afterwards to
the days the reports would have been written. Deterministic by seed.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from schakel.core.reporting.periods import Period
from schakel.portfolio.demo import BATCH_SIZE, DemoContext, DemoExtension, step
from schakel.portfolio.models import Portfolio, Programme, Project

from . import services
from .models import DimensionRating, Rag, ReportingCycle, StatusReport

CYCLE_NAME = "Maandrapportage VOD"
HISTORY = 6  # published periods before the current one
LAG_DAYS = 12  # the current period ends this many days before the demo's day
BULK_REPORTS = {"M": 1_200, "L": 6_000}
COLOURS = (Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value)

REASONS: dict[str, tuple[str, str]] = {
    # dimension: (amber, red)
    "schedule": (
        "Oplevering schuift enkele weken door late aanlevering van gegevens.",
        "Mijlpaal gemist; nieuwe planning nodig.",
    ),
    "budget": (
        "Extra inhuur drukt op het budget; binnen tolerantie.",
        "Overschrijding verwacht buiten de tolerantie van 10%.",
    ),
    "scope": (
        "Wensen van de zorgbedrijven vragen om afbakening.",
        "Scope is niet meer haalbaar binnen de opdracht.",
    ),
    "resources": (
        "Twee medewerkers tijdelijk minder beschikbaar.",
        "Sleutelfunctie vacant; werk ligt stil.",
    ),
    "risks": (
        "Enkele risico's boven de norm; maatregelen lopen.",
        "Risico op uitval van de leverancier is groot.",
    ),
    "quality": (
        "Testbevindingen nog niet allemaal opgelost.",
        "Acceptatietest afgekeurd.",
    ),
    "benefits": (
        "Baten later zichtbaar dan in de businesscase.",
        "Baten worden niet gehaald zonder bijsturing.",
    ),
}
SUMMARIES = (
    "Het project ligt op koers; de voorbereiding van de volgende fase is gestart.",
    "Goede voortgang, met aandacht voor de planning van de komende periode.",
    "Vertraging in de aanlevering; het team stuurt bij met de betrokken afdelingen.",
    "De knelpunten van vorige maand zijn grotendeels opgelost.",
)
ACHIEVEMENTS = (
    "Interviews met de zorgbedrijven afgerond en verslag gedeeld.",
    "Ontwerp besproken met HR en de ondernemingsraad.",
    "Eerste versie van het procesontwerp opgeleverd.",
    "Pilot voorbereid en draaiboek vastgesteld.",
)
NEXT_PERIOD = (
    "Uitwerken van het detailontwerp en afstemmen met de lijn.",
    "Start van de pilot bij het eerste zorgbedrijf.",
    "Besluitvorming in de stuurgroep voorbereiden.",
)
ESCALATION = (
    "Besluit nodig: extra budget van EUR 40.000 voor de inhuur van een testcoördinator, of "
    "de oplevering schuift een maand op."
)
KEY_MESSAGES = (
    "- Het programma ligt grotendeels op koers; de meeste projecten zijn groen of oranje.\n"
    "- **Besluit nodig** over extra budget voor het testen (zie de escalaties).\n"
    "- Eén rapportage ontbreekt nog; de projectleider is herinnerd."
)
RETURN_COMMENT = (
    "Licht de rode kleur op budget toe met bedragen en geef aan welke maatregelen je neemt."
)


def _overall(colours: list[str]) -> str:
    """The overall colour follows the worst dimension, softened when only one is red."""
    reds = colours.count(Rag.RED)
    if reds >= 2:
        return Rag.RED.value
    if reds == 1 or colours.count(Rag.AMBER) >= 2:
        return Rag.AMBER.value
    return Rag.GREEN.value


def _drift(rng: random.Random, level: int) -> int:
    """Next period's colour index: mostly the same, sometimes a step worse or better."""
    roll = rng.random()
    if roll < 0.15:
        return min(level + 1, 2)
    if roll < 0.5:
        return max(level - 1, 0)
    return level


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class SmallBuilder:
    def __init__(self, ctx: DemoContext):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.rng = random.Random(f"reporting:{ctx.seed}")
        self.pmo = ctx.users["pmo"]
        self.programme = Programme.objects.get(portfolio=ctx.portfolio, key="VOD")

    def build(self) -> ReportingCycle:
        today = self.ctx.today
        end = today - datetime.timedelta(days=LAG_DAYS)
        cycle = services.cycle_create(
            scope=self.programme,
            by=self.pmo,
            name=CYCLE_NAME,
            frequency="monthly",
            anchor=end,
            month_day=min(end.day, 28),
            due_after=3,
        )
        periods = services.core_cycle(cycle).periods_before(today, HISTORY + 1)
        projects = list(cycle.projects.select_related("manager").order_by("key"))
        levels = {
            (p.pk, d): self.rng.choice((0, 0, 0, 1)) for p in projects for d in cycle.dimension_keys
        }
        for period in periods[:-1]:
            for project in projects:
                self._history_report(cycle, project, period, levels)
        self._current(cycle, projects, periods[-1], levels)
        return cycle

    def _writer(self, project: Project) -> Any:
        return project.manager or self.ctx.users["manager"]

    def _fill(
        self, cycle: ReportingCycle, project: Project, period: Period, levels: dict[Any, int]
    ) -> StatusReport:
        writer = self._writer(project)
        report = services.report_start(cycle=cycle, project=project, period=period, by=writer)
        ratings = {}
        for key in cycle.dimension_keys:
            level = levels[(project.pk, key)] = _drift(self.rng, levels[(project.pk, key)])
            colour = COLOURS[level]
            reason = "" if level == 0 else REASONS.get(key, ("Aandacht nodig.",) * 2)[level - 1]
            ratings[key] = (colour, reason)
        overall = _overall([c for c, _ in ratings.values()])
        return services.report_update(
            report=report,
            version=report.version,
            by=writer,
            ratings=ratings,
            overall=overall,
            overall_reason=""
            if overall == Rag.GREEN
            else "Zie de toelichting per onderdeel; bijsturing loopt.",
            summary=self.rng.choice(SUMMARIES),
            achievements=self.rng.choice(ACHIEVEMENTS),
            next_period=self.rng.choice(NEXT_PERIOD),
            tolerances="Binnen de afgesproken toleranties."
            if overall != Rag.RED
            else "Tolerantie op budget overschreden.",
        )

    def _submit(self, report: StatusReport, period: Period) -> StatusReport:
        report = services.report_submit(
            report=report, version=report.version, by=self._writer(report.project)
        )
        submitted = period.due - datetime.timedelta(days=self.rng.randint(0, 2))
        StatusReport.objects.filter(pk=report.pk).update(submitted_at=_at(submitted, 16))
        return report

    def _history_report(
        self, cycle: ReportingCycle, project: Project, period: Period, levels: dict[Any, int]
    ) -> None:
        report = self._submit(self._fill(cycle, project, period, levels), period)
        report = services.report_approve(report=report, version=report.version, by=self.pmo)
        report = services.report_publish(report=report, version=report.version, by=self.pmo)
        StatusReport.objects.filter(pk=report.pk).update(
            reviewed_at=_at(period.due + datetime.timedelta(days=1), 10),
            published_at=_at(period.due + datetime.timedelta(days=2), 9),
        )

    def _current(
        self,
        cycle: ReportingCycle,
        projects: list[Project],
        period: Period,
        levels: dict[Any, int],
    ) -> None:
        """The period now being reported: one missing (overdue), one returned, one waiting
        for the PMO's review, the rest approved; with the PMO's key messages and one
        escalation for the board."""
        for index, project in enumerate(projects):
            if index == 0:
                continue  # overdue: no report although the due date has passed
            report = self._fill(cycle, project, period, levels)
            if index == 3:
                report = services.report_update(
                    report=report, version=report.version, by=self._writer(project),
                    escalations=ESCALATION,
                )  # fmt: skip
            report = self._submit(report, period)
            if index == 1:
                services.report_return(
                    report=report, version=report.version, by=self.pmo, comment=RETURN_COMMENT
                )
            elif index != 2:
                services.report_approve(
                    report=report, version=report.version, by=self.pmo, comment="Helder, dank."
                )
        services.key_messages_save(
            cycle=cycle, period_end=period.end, text=KEY_MESSAGES, version=0, by=self.pmo
        )


class BulkBuilder:
    """Monthly reports with ratings on the other programmes, for sizes M and L."""

    def __init__(self, ctx: DemoContext, count: int):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.count = count
        self.rng = random.Random(f"reporting-bulk:{ctx.seed}")

    def build(self) -> None:
        ctx = self.ctx
        programmes = list(
            Programme.objects.filter(portfolio=ctx.portfolio).exclude(key="VOD").order_by("key")
        )
        pmo = ctx.users["pmo"]
        cycles = []
        for programme in programmes:
            cycle = services.cycle_create(
                scope=programme,
                by=pmo,
                name=f"Maandrapportage {programme.key or programme.name}",
                frequency="monthly",
                anchor=ctx.today,
            )
            projects = list(cycle.projects.order_by("key"))
            if projects:
                cycles.append((cycle, projects))
        if not cycles:
            return
        per_period = sum(len(projects) for _, projects in cycles)
        needed = -(-self.count // per_period)
        reports: list[StatusReport] = []
        levels: dict[tuple[int, int], list[int]] = {}
        with step(ctx, f"reporting: {self.count} reports"):
            for cycle, projects in cycles:
                periods = services.core_cycle(cycle).periods_before(ctx.today, needed)
                for period in periods:
                    for project in projects:
                        if len(reports) >= self.count:
                            break
                        reports.append(self._report(cycle, project, period))
            reports = bulk_create_with_history(
                reports, StatusReport, batch_size=BATCH_SIZE, default_user=pmo,
                default_change_reason="demo",
            )  # fmt: skip
        with step(ctx, "reporting: ratings"):
            dimensions = {c.pk: c.dimension_keys for c, _ in cycles}
            ratings = []
            for report in reports:
                state = levels.setdefault(
                    (report.cycle_id, report.project_id),
                    [0] * len(dimensions[report.cycle_id]),
                )
                for n, key in enumerate(dimensions[report.cycle_id]):
                    state[n] = _drift(self.rng, state[n])
                    ratings.append(
                        DimensionRating(
                            report=report,
                            dimension=key,
                            rag=COLOURS[state[n]],
                            reason="" if state[n] == 0 else "Zie toelichting.",
                        )
                    )
            DimensionRating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)

    def _report(self, cycle: ReportingCycle, project: Project, period: Period) -> StatusReport:
        published = period.due < self.ctx.today
        overall = self.rng.choice(COLOURS[:2] * 3 + COLOURS[2:])
        return StatusReport(
            cycle=cycle,
            project=project,
            period_start=period.start,
            period_end=period.end,
            due=period.due,
            status=StatusReport.Status.PUBLISHED if published else StatusReport.Status.SUBMITTED,
            overall=overall,
            overall_reason="" if overall == Rag.GREEN else "Zie toelichting per onderdeel.",
            summary=self.rng.choice(SUMMARIES),
            achievements=self.rng.choice(ACHIEVEMENTS),
            next_period=self.rng.choice(NEXT_PERIOD),
            submitted_at=_at(period.due, 16),
            published_at=_at(period.due + datetime.timedelta(days=2), 9) if published else None,
        )


def build(ctx: DemoContext, *, size: str, scale: float = 1.0) -> None:
    with translation.override("nl"):
        with step(ctx, "reporting: monthly cycle with six months of history"):
            SmallBuilder(ctx).build()
        if size in BULK_REPORTS:
            total = max(1, round(BULK_REPORTS[size] * scale))
            BulkBuilder(ctx, max(0, total - StatusReport.objects.count())).build()


def reset(portfolios: QuerySet[Portfolio]) -> None:
    """Delete the demo portfolios' reports and cycles (reports protect their projects)."""
    cycles = ReportingCycle.all_objects.filter(
        Q(portfolio__in=portfolios) | Q(programme__portfolio__in=portfolios)
    )
    StatusReport.objects.filter(
        Q(cycle__in=cycles) | Q(project__programme__portfolio__in=portfolios)
    ).delete()
    cycles.delete()


DEMO_EXTENSION = DemoExtension(build=build, reset=reset)
