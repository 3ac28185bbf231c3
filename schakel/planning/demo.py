"""Demo plans: a Gantt chart for every demo project, deterministic by seed.

Size S builds each project's plan through the services, as a project manager would: three
to five phases (summaries) of Dutch tasks that fit the kind of project, a milestone closing
every phase, finish-to-start links with a few start-to-start and finish-to-finish ones, a
lag and a lead, one or two constraints and owners from the project's members. The baseline
"Vastgestelde planning" is saved early; then the work before the demo's day gets its actual
dates and percent complete (equal to the scheduled dates, so nothing moves), and one task of
the change programme (VOD) takes longer than planned, so a milestone is late against the
baseline. Milestones of some VOD projects drive tasks of others (cross-project links).

Sizes M and L add bulk plans to the generated projects (5,000 and 50,000 tasks in all,
times `scale`; L puts 10,000 of them in one project with a deep outline) with bulk inserts,
then one `services.renumber` and one `services.reschedule` per project, so the dates still
come from the scheduling engine only. Bulk plans carry no progress.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from schakel.accounts.models import Membership, User
from schakel.core.scheduling import WorkdayIndex
from schakel.portfolio.demo import ACTIONS, BATCH_SIZE, SUBJECTS, DemoContext, DemoExtension, step
from schakel.portfolio.models import Portfolio, Project
from schakel.registers.models import Dependency

from . import access, services
from .models import Baseline, ProjectPlan, Task, TaskLink

BASELINE_NAME = "Vastgestelde planning"
BASELINE_AFTER_DAYS = 21  # the baseline is "saved" three weeks after the plan's start
BULK_TASKS = {"M": 5_000, "L": 50_000}
BIG_PROJECT_TASKS = {"L": 10_000}
MIN_TASKS, MAX_TASKS = 15, 40
# Cross-project links in the change programme: (driving project, driven project).
CROSS_PROJECT = [("ODI", "SSC"), ("ITB", "SDK"), ("PTP", "MAF"), ("ODI", "SDK")]
# Which project's task slips, in order of preference (the first with work ahead).
SLIP_PREFERENCE = ["ODI", "PTP", "SSC", "ITB", "SDK", "MAF", "VGB"]


@dataclass(frozen=True)
class PhaseSpec:
    """A phase of a plan: its tasks in their usual order and the milestone that closes it."""

    name: str
    tasks: tuple[str, ...]
    milestone: str


CHANGE_PHASES = [
    PhaseSpec(
        "Initiatie",
        (
            "Intake met de zorgbedrijven",
            "Projectopdracht opstellen",
            "Stakeholderanalyse",
            "Projectteam samenstellen",
            "Kick-off met de stuurgroep",
        ),
        "Go/no-go projectplan",
    ),
    PhaseSpec(
        "Analyse en procesontwerp",
        (
            "Huidige situatie in kaart brengen",
            "Interviews met afdelingshoofden",
            "Werksessies met de zorgbedrijven",
            "Procesontwerp op hoofdlijnen",
            "Detailontwerp uitwerken",
            "Advies ondernemingsraad aanvragen",
            "Businesscase actualiseren",
        ),
        "Ontwerp vastgesteld",
    ),
    PhaseSpec(
        "Aanbesteding",
        (
            "Programma van eisen opstellen",
            "Marktconsultatie",
            "Aanbestedingsdocumenten publiceren",
            "Nota van inlichtingen",
            "Inschrijvingen beoordelen",
            "Gunning en contractering",
        ),
        "Contract getekend",
    ),
    PhaseSpec(
        "Implementatie",
        (
            "Systemen inrichten",
            "Werkinstructies schrijven",
            "Datamigratie voorbereiden",
            "Medewerkers opleiden",
            "Testen en acceptatie",
            "Draaiboek livegang",
        ),
        "Go/no-go livegang",
    ),
    PhaseSpec(
        "Pilot en uitrol",
        (
            "Pilot bij het eerste zorgbedrijf",
            "Evaluatie van de pilot",
            "Bijstellen werkwijze",
            "Uitrol naar alle zorgbedrijven",
            "Communicatie naar medewerkers",
        ),
        "Livegang",
    ),
    PhaseSpec(
        "Nazorg en overdracht",
        (
            "Nazorg en ondersteuning op locatie",
            "Overdracht aan de lijn",
            "Evaluatie en geleerde lessen",
            "Decharge aanvragen",
        ),
        "Project afgerond",
    ),
]

PMO_PHASES = [
    PhaseSpec(
        "Verkenning",
        (
            "Gesprekken met projectleiders",
            "Behoeften inventariseren",
            "Voorbeelden bij andere zorgorganisaties",
            "Plan van aanpak opstellen",
        ),
        "Go/no-go aanpak",
    ),
    PhaseSpec(
        "Ontwerp werkwijze",
        (
            "Werkwijze op hoofdlijnen",
            "Sjablonen en formats maken",
            "Afstemming met de directeuren",
            "Rollen en verantwoordelijkheden vastleggen",
            "Werkwijze toetsen bij twee projecten",
        ),
        "Werkwijze vastgesteld",
    ),
    PhaseSpec(
        "Pilot",
        (
            "Pilot met drie projecten",
            "Ervaringen ophalen",
            "Werkwijze bijstellen",
            "Besluit over invoering voorbereiden",
        ),
        "Besluit invoering",
    ),
    PhaseSpec(
        "Invoering",
        (
            "Intranetpagina inrichten",
            "Bijeenkomsten voor projectleiders",
            "Ondersteuning bij de eerste ronde",
            "Communicatie naar de organisatie",
        ),
        "Livegang",
    ),
    PhaseSpec(
        "Borging",
        (
            "Overdracht aan het PMO",
            "Evaluatie na drie maanden",
            "Geleerde lessen delen",
        ),
        "Project afgerond",
    ),
]

# Tasks only one project has, added to its design phase.
PROJECT_TASKS: dict[str, tuple[str, ...]] = {
    "ODI": ("Formatieplan opstellen", "Plaatsingsprocedure met de ondernemingsraad"),
    "SSC": ("Grootboek harmoniseren", "Betaalrun per week inrichten"),
    "ITB": ("Applicaties per zorgbedrijf inventariseren", "Architectuurprincipes uitwerken"),
    "VGB": ("Locaties beoordelen op duurzaamheid",),
    "PTP": ("Catalogus inrichten", "Digitaal factureren met leveranciers"),
    "SDK": ("Portaal voor meldingen ontwerpen", "Afspraken over reactietijden"),
    "MAF": ("Afsluitkalender opstellen",),
    "QWL": ("Voorraad laptops regelen",),
    "QWS": ("Locatie aan het strand boeken",),
    "KDS": ("Bibliotheek met sjablonen vullen",),
    "CAP": ("Telefoonnummer en mailbox aanvragen",),
    "URP": ("Format van één A4 ontwerpen",),
    "OPL": ("Notulistenpool opzetten",),
}


def _pick_phases(rng: random.Random, phases: list[PhaseSpec]) -> list[PhaseSpec]:
    """Start, design and close-out always; up to two of the phases between, in order."""
    optional = phases[2:-1]
    chosen = sorted(rng.sample(range(len(optional)), rng.randint(0, min(2, len(optional)))))
    return [*phases[:2], *(optional[i] for i in chosen), phases[-1]]


def _outline_for(rng: random.Random, key: str, programme: str) -> list[tuple[str, list[str]]]:
    """Phases with their task names (the milestone last), between 15 and 40 rows in all."""
    phases = _pick_phases(rng, CHANGE_PHASES if programme == "VOD" else PMO_PHASES)
    outline = []
    for number, phase in enumerate(phases):
        names = [n for n in phase.tasks if rng.random() < 0.75] or list(phase.tasks[:3])
        while len(names) < 3:
            names.append(next(n for n in phase.tasks if n not in names))
        names = [n for n in phase.tasks if n in names]
        if number == 1:  # the design phase: the project's own work before its last step
            names[-1:-1] = PROJECT_TASKS.get(key, ())
        outline.append((phase.name, [*names, phase.milestone]))
    while sum(len(tasks) + 1 for _, tasks in outline) > MAX_TASKS:
        longest = max(outline, key=lambda row: len(row[1]))
        del longest[1][-2]
    return outline


@dataclass
class PlanRows:
    """What `SmallBuilder` made for one project: its phases' summaries, tasks and milestones."""

    project: Project
    phases: list[tuple[Task, list[Task]]] = field(default_factory=list)

    @property
    def milestones(self) -> list[Task]:
        return [tasks[-1] for _, tasks in self.phases]


class SmallBuilder:
    """Size S: a plan for every demo project, built through the services."""

    def __init__(self, ctx: DemoContext):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.rng = random.Random(f"planning:{ctx.seed}")
        self.portfolio = ctx.portfolio

    def projects(self) -> list[Project]:
        """The hand-made projects of size S (VOD and PMO), by key."""
        return list(
            Project.objects.filter(
                programme__portfolio=self.portfolio, programme__key__in=["VOD", "PMO"]
            )
            .select_related("programme", "manager")
            .order_by("programme__key", "key")
        )

    def build(self) -> None:
        """Plan, link, baseline, progress and slip, in the order a real project lives them."""
        projects = [p for p in self.projects() if not Task.objects.filter(project=p).exists()]
        if not projects:
            return  # built before: the demo is idempotent
        plans = {p.key: self._plan(p) for p in projects}
        self._cross_project_links(plans)
        for rows in plans.values():
            self._baseline(rows.project)
        for rows in plans.values():
            self._progress(rows.project)
        self._slip(plans)

    # The plan -------------------------------------------------------------------------

    def _owners(self, project: Project) -> list[User]:
        """The people who do the work: the project's members, else its manager."""
        members = list(
            User.objects.filter(memberships__project=project).distinct().order_by("username")
        )
        return members or [project.manager or self.ctx.admin]

    def _plan(self, project: Project) -> PlanRows:
        """Create the plan of one project: phases, tasks, milestones, links, constraints."""
        manager = project.manager or self.ctx.admin
        plan = services.plan_of(project)
        start = project.start_date or self.ctx.day(-90)
        services.plan_update(plan=plan, version=plan.version, by=manager, start=start)
        outline = _outline_for(self.rng, project.key, project.programme.key or "")
        total = sum(len(tasks) - 1 for _, tasks in outline)
        weeks = max(8, ((project.end_date or start) - start).days // 7)
        per_task = max(2, round(weeks * 5 * 0.8 / total))
        owners = self._owners(project)
        rows = PlanRows(project)
        with services.rescheduling_deferred():  # one reschedule for the whole outline
            self._outline(rows, outline, manager, owners, per_task)
            self._links(rows, manager)
        self._constraints(rows, manager)
        return rows

    def _outline(
        self,
        rows: PlanRows,
        outline: list[tuple[str, list[str]]],
        manager: User,
        owners: list[User],
        per_task: int,
    ) -> None:
        project = rows.project
        for phase, names in outline:
            summary = services.task_create(project=project, by=manager, name=phase, owner=manager)
            tasks = [
                services.task_create(
                    project=project,
                    by=manager,
                    parent=summary,
                    name=name,
                    milestone=name == names[-1],
                    duration=max(1, round(per_task * self.rng.uniform(0.5, 1.6))),
                    owner=self.rng.choice(owners),
                )
                for name in names
            ]
            rows.phases.append((summary, tasks))

    def _links(self, rows: PlanRows, by: User) -> None:
        """Mostly finish-to-start chains; one overlap (SS + FF), one lag and one lead."""
        chains: list[tuple[Task, Task]] = []
        for _summary, phase_tasks in rows.phases:
            chains += list(pairwise(phase_tasks))
        overlap_at = self.rng.choice(
            [i for i, (a, b) in enumerate(chains[:-2]) if not a.milestone and not b.milestone]
        )
        lag_at, lead_at = self.rng.sample(
            [i for i in range(len(chains)) if abs(i - overlap_at) > 1], 2
        )
        for i, (pred, succ) in enumerate(chains):
            if i == overlap_at:
                # The next task starts a few days after this one and cannot finish before it.
                link_type, lag = "SS", self.rng.randint(2, 5)
                after = chains[i + 1][1]
                if not after.milestone:
                    services.link_create(predecessor=pred, successor=after, by=by, type="FF")
            elif i == lag_at:
                link_type, lag = "FS", self.rng.randint(3, 10)  # waiting for a decision
            elif i == lead_at and not succ.milestone:
                link_type, lag = "FS", -self.rng.randint(1, 3)
            else:
                link_type, lag = "FS", 0
            services.link_create(predecessor=pred, successor=succ, by=by, type=link_type, lag=lag)
        for (_, earlier), (_, later) in pairwise(rows.phases):
            services.link_create(predecessor=earlier[-1], successor=later[0], by=by)

    def _constraints(self, rows: PlanRows, by: User) -> None:
        """A start-no-earlier-than on a middle phase's first task; a deadline on the end."""
        first = Task.objects.get(pk=rows.phases[len(rows.phases) // 2][1][0].pk)
        assert first.start is not None
        services.task_update(
            task=first,
            version=first.version,
            by=by,
            constraint=Task.Constraint.SNET,
            constraint_date=first.start + datetime.timedelta(days=self.rng.randint(5, 12)),
            notes="Niet eerder dan het besluit van de stuurgroep.",
        )
        if self.rng.random() < 0.6:
            end = Task.objects.get(pk=rows.milestones[-1].pk)
            assert end.finish is not None
            services.task_update(
                task=end,
                version=end.version,
                by=by,
                constraint=Task.Constraint.FNLT,
                constraint_date=end.finish + datetime.timedelta(days=self.rng.randint(10, 30)),
            )

    def _cross_project_links(self, plans: dict[str, PlanRows]) -> None:
        """The design milestone of one VOD project drives the work after another's design.

        Each link is a dependency of the registers: where the registers' demo recorded one
        between the two projects already, that item is connected to the plan; otherwise
        `link_create` records a new one on the driven project.
        """
        for source, target in CROSS_PROJECT:
            if source not in plans or target not in plans:
                continue
            milestone = plans[source].milestones[1]
            driven = plans[target].phases[2][1][0]
            recorded = (
                Dependency.objects.filter(
                    project=plans[target].project,
                    other_project=plans[source].project,
                    direction=Dependency.Direction.INBOUND,
                    task_link__isnull=True,
                )
                .order_by("number")
                .first()
            )
            services.link_create(
                predecessor=milestone,
                successor=driven,
                by=self._linker(plans[target].project, milestone),
                lag=self.rng.randint(0, 5),
                dependency=recorded,
            )

    def _linker(self, project: Project, predecessor: Task) -> User:
        """Who links into the project's plan: its manager where the rule lets them (they see
        the other project's task), else the administrator."""
        manager = project.manager
        if (
            manager is not None
            and access.visible_tasks(manager).filter(pk=predecessor.pk).exists()
            and access.can_edit_plan(manager, project)
        ):
            return manager
        return self.ctx.admin

    # Baseline, progress, slip ---------------------------------------------------------

    def _baseline(self, project: Project) -> None:
        """Save the agreed plan and date it to a few weeks after the plan's start."""
        by = project.manager or self.ctx.admin
        baseline = services.baseline_create(project=project, name=BASELINE_NAME, by=by)
        start = services.plan_of(project).start
        day = min(start + datetime.timedelta(days=BASELINE_AFTER_DAYS), self.ctx.today)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        Baseline.objects.filter(pk=baseline.pk).update(created_at=moment, updated_at=moment)

    def _progress(self, project: Project) -> None:
        """Actual dates and percent complete for the work before the demo's day.

        The actuals equal the scheduled dates, so recording them moves nothing.
        """
        today = self.ctx.today
        by = project.manager or self.ctx.admin
        plan = services.plan_of(project)
        index = WorkdayIndex(services.calendar_of(plan), plan.start)
        tasks = Task.objects.filter(project=project, summary=False, start__lt=today)
        for task in tasks.order_by("start", "order"):
            assert task.start is not None and task.finish is not None
            changes: dict[str, Any] = {"actual_start": task.start}
            if task.finish < today:
                changes.update(actual_finish=task.finish, percent_complete=100)
            else:
                done = index.on_or_after(today) - index.on_or_after(task.start)
                share = done / max(1, task.duration)
                changes["percent_complete"] = min(95, max(5, 5 * round(20 * share)))
            services.task_update(task=task, version=task.version, by=by, **changes)
        self._roll_up(project, by)

    def _roll_up(self, project: Project, by: User) -> None:
        """Give each started phase its children's progress, weighted by duration."""
        for summary in Task.objects.filter(project=project, summary=True).order_by("order"):
            children = list(Task.objects.filter(parent=summary))
            started = [c.actual_start for c in children if c.actual_start]
            if not started:
                continue
            weight = sum(max(1, c.duration) for c in children)
            done = sum(max(1, c.duration) * c.percent_complete for c in children)
            finished = [c.actual_finish for c in children]
            services.task_update(
                task=summary,
                version=summary.version,
                by=by,
                actual_start=min(started),
                actual_finish=max(finished) if all(finished) else None,  # type: ignore[type-var]
                percent_complete=round(done / weight),
            )

    def _slip(self, plans: dict[str, PlanRows]) -> None:
        """One VOD task ahead takes longer than planned: the milestone after it is late."""
        for key in SLIP_PREFERENCE:
            if key not in plans:
                continue
            for _, tasks in plans[key].phases:
                task = Task.objects.get(pk=tasks[-2].pk)
                if task.milestone or task.actual_start or task.start is None:
                    continue
                if task.start <= self.ctx.today:
                    continue
                extra = self.rng.randint(8, 15)  # the milestone after it waits for it alone
                services.task_update(
                    task=task,
                    version=task.version,
                    by=plans[key].project.manager or self.ctx.admin,
                    duration=task.duration + extra,
                    notes="Uitgelopen: de leverancier levert later dan afgesproken.",
                )
                return


# Bulk plans for sizes M and L ------------------------------------------------------------

PHASE_NAMES = [
    "Voorbereiding", "Analyse", "Ontwerp", "Realisatie", "Test en acceptatie", "Invoering",
    "Nazorg",
]  # fmt: skip
VERBS = [
    "Opstellen", "Uitwerken", "Afstemmen", "Testen", "Documenteren", "Opleveren", "Reviewen",
    "Inventariseren", "Inrichten", "Bespreken",
]  # fmt: skip


@dataclass
class Node:
    """A task of a bulk plan before it is saved: its place in the outline and its work."""

    parent: int | None
    level: int
    wbs: str
    name: str
    duration: int = 0
    milestone: bool = False
    children: list[int] = field(default_factory=list)


class OutlineMaker:
    """A random work breakdown of exactly `size` rows, `depth` levels deep at most."""

    def __init__(self, rng: random.Random, size: int, depth: int):
        self.rng = rng
        self.depth = depth
        self.nodes: list[Node] = []
        self._grow(None, size, 1, "")

    def _grow(self, parent: int | None, budget: int, level: int, prefix: str) -> None:
        """Split `budget` rows into subtrees under `parent` (recursion depth <= `depth`)."""
        if level >= self.depth or budget <= 4:
            sizes = [1] * budget
        else:
            parts = min(budget, self.rng.randint(3, 7))
            cuts = sorted(self.rng.sample(range(1, budget), parts - 1))
            sizes = [b - a for a, b in zip([0, *cuts], [*cuts, budget], strict=True)]
        for number, size in enumerate(sizes, 1):
            wbs = f"{prefix}{number}"
            index = len(self.nodes)
            node = Node(parent=parent, level=level, wbs=wbs, name="")
            self.nodes.append(node)
            if parent is not None:
                self.nodes[parent].children.append(index)
            if size > 1:
                self._grow(index, size - 1, level + 1, f"{wbs}.")
        self._name_children(parent)

    def _name_children(self, parent: int | None) -> None:
        """Name the rows under `parent`; its last leaf becomes a milestone now and then."""
        kids = (
            self.nodes[parent].children
            if parent is not None
            else [i for i, n in enumerate(self.nodes) if n.parent is None]
        )
        for index in kids:
            node = self.nodes[index]
            if node.children:
                name = (
                    PHASE_NAMES[(int(node.wbs) - 1) % len(PHASE_NAMES)]
                    if node.level == 1
                    else f"Werkpakket {self.rng.choice(SUBJECTS)}"
                )
                node.name = name
            else:
                node.name = f"{self.rng.choice(VERBS)} {self.rng.choice(SUBJECTS)}"
                node.duration = self.rng.randint(2, 12)
        last = self.nodes[kids[-1]] if kids else None
        if last is not None and not last.children and len(kids) > 2 and self.rng.random() < 0.5:
            last.milestone, last.duration = True, 0
            last.name = f"{self.rng.choice(ACTIONS)} {self.rng.choice(SUBJECTS)} gereed"


def _links_for(rng: random.Random, nodes: list[Node]) -> list[tuple[int, int, str, int]]:
    """Siblings in one to three parallel chains (work packages below the second level side
    by side), and a few links across branches.

    Every link goes from an earlier row to a later one that is not its ancestor or
    descendant, so the links can form no loop.
    """
    links: list[tuple[int, int, str, int]] = []
    groups: dict[int | None, list[int]] = defaultdict(list)
    for index, node in enumerate(nodes):
        groups[node.parent].append(index)
    for parent, kids in groups.items():
        if parent is not None and nodes[parent].level >= 2:
            # Work packages inside a work package run side by side: chaining siblings at
            # every level multiplies the plan's length by each level's chain (a plan of
            # 10,000 tasks eight levels deep ran until 2054).
            kids = [k for k in kids if not nodes[k].children]
            if not kids:
                continue
        lanes = min(len(kids), rng.randint(1, 3))
        for position, kid in enumerate(kids):
            if nodes[kid].milestone:
                links += [(k, kid, "FS", 0) for k in kids[max(0, position - lanes) : position]]
            elif position >= lanes:
                kind = "SS" if rng.random() < 0.05 else "FS"
                lag = rng.choice([0] * 12 + [2, 5, -1])
                links.append((kids[position - lanes], kid, kind, lag if kind == "FS" else 3))
    leaves = [i for i, n in enumerate(nodes) if not n.children]
    top = {i: nodes[i].wbs.split(".")[0] for i in leaves}
    for _ in range(max(1, len(leaves) // 50)):
        a, b = sorted(rng.sample(leaves, 2)) if len(leaves) > 1 else (0, 0)
        if a != b and top[a] != top[b]:
            links.append((a, b, "FS", rng.randint(0, 5)))
    return list({(a, b): (a, b, k, lag) for a, b, k, lag in links}.values())


class BulkBuilder:
    """Bulk plans for the generated projects (sizes M and L)."""

    def __init__(self, ctx: DemoContext, count: int, big: int = 0):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.count = count
        self.big = big
        self.rng = random.Random(f"planning-bulk:{ctx.seed}")

    def projects(self) -> list[Project]:
        """The generated projects that have no plan yet, by key."""
        return list(
            Project.objects.filter(programme__portfolio=self.ctx.portfolio, plan__isnull=True)
            .exclude(programme__key__in=["VOD", "PMO"])
            .order_by("key")
        )

    def sizes(self, projects: list[Project]) -> list[int]:
        """How many rows each project gets: the big one first, the rest uneven around the mean."""
        if not projects or self.count <= 0:
            return []
        big = min(self.big, self.count) if self.big else 0
        rest = projects[1:] if big else projects
        left = self.count - big
        mean = left / max(1, len(rest))
        sizes = [max(5, round(mean * self.rng.uniform(0.5, 1.5))) for _ in rest]
        if sizes:
            sizes[-1] = max(5, sizes[-1] + left - sum(sizes))
        return ([big] if big else []) + sizes

    def build(self) -> None:
        """Insert plans, tasks (level by level) and links; then renumber and reschedule."""
        ctx = self.ctx
        projects = self.projects()
        sizes = self.sizes(projects)
        outlines = []
        for number, (project, size) in enumerate(zip(projects, sizes, strict=False)):
            depth = 8 if number == 0 and self.big else self.rng.randint(2, 4)
            outlines.append((project, OutlineMaker(self.rng, size, depth).nodes))
        if not outlines:
            return
        with step(ctx, f"planning: {sum(len(n) for _, n in outlines)} bulk tasks"):
            self._plans([p for p, _ in outlines])
            saved = self._tasks(outlines)
        with step(ctx, "planning: bulk links"):
            TaskLink.objects.bulk_create(
                [
                    TaskLink(predecessor=tasks[a], successor=tasks[b], type=kind, lag=lag)
                    for (_, nodes), tasks in zip(outlines, saved, strict=True)
                    for a, b, kind, lag in _links_for(self.rng, nodes)
                ],
                batch_size=BATCH_SIZE,
            )
        plans = [project for project, _ in outlines]
        if self.big:
            with step(ctx, f"planning: schedule the plan of {len(outlines[0][1])} tasks"):
                self._schedule(plans[:1])
            plans = plans[1:]
        with step(ctx, f"planning: renumber and reschedule {len(plans)} plans"):
            self._schedule(plans)

    def _schedule(self, projects: list[Project]) -> None:
        """Outline numbers and dates come from the services, as for any plan."""
        for project in projects:
            services.renumber(project)
            services.reschedule(project)

    def _plans(self, projects: list[Project]) -> None:
        bulk_create_with_history(
            [
                ProjectPlan(project=p, start=p.start_date or self.ctx.today, holidays="NL")
                for p in projects
            ],
            ProjectPlan, batch_size=BATCH_SIZE, default_user=self.ctx.admin,
            default_change_reason="demo",
        )  # fmt: skip

    def _owners(self, projects: list[Project]) -> dict[int, list[int]]:
        owners: dict[int, list[int]] = defaultdict(list)
        for project_id, user_id in (
            Membership.objects.filter(project__in=projects)
            .order_by("project_id", "user_id")
            .values_list("project_id", "user_id")
        ):
            owners[project_id].append(user_id)
        return owners

    def _tasks(self, outlines: list[tuple[Project, list[Node]]]) -> list[list[Task]]:
        """Save the tasks level by level, so every parent has its key before its children."""
        owners = self._owners([p for p, _ in outlines])
        saved: list[list[Task]] = []
        for project, nodes in outlines:
            people: list[int | None] = [*owners.get(project.pk, [])] or [project.manager_id]
            saved.append(
                [
                    Task(
                        project=project, order=order, level=node.level, wbs=node.wbs[:60],
                        name=node.name, milestone=node.milestone,
                        duration=0 if node.milestone else max(1, node.duration),
                        owner_id=self.rng.choice(people),
                    )
                    for order, node in enumerate(nodes, 1)
                ]
            )  # fmt: skip
        depth = max(node.level for _, nodes in outlines for node in nodes)
        for level in range(1, depth + 1):
            batch = []
            for (_, nodes), tasks in zip(outlines, saved, strict=True):
                for node, task in zip(nodes, tasks, strict=True):
                    if node.level == level:
                        task.parent = tasks[node.parent] if node.parent is not None else None
                        batch.append(task)
            bulk_create_with_history(
                batch, Task, batch_size=BATCH_SIZE, default_user=self.ctx.admin,
                default_change_reason="demo",
            )  # fmt: skip
        return saved


def build(ctx: DemoContext, *, size: str, scale: float = 1.0) -> None:
    """Plans for the demo's projects: by hand for size S, in bulk on top for M and L."""
    with translation.override("nl"):
        with step(ctx, "planning: plans with baselines and progress"):
            SmallBuilder(ctx).build()
        if size in BULK_TASKS:
            existing = Task.objects.filter(project__programme__portfolio=ctx.portfolio).exclude(
                project__programme__key__in=["VOD", "PMO"]
            )
            count = max(0, round(BULK_TASKS[size] * scale) - existing.count())
            big = round(BIG_PROJECT_TASKS.get(size, 0) * scale)
            BulkBuilder(ctx, count, big).build()


def reset(portfolios: QuerySet[Portfolio]) -> None:
    """Delete the demo portfolios' plans: links first (they may cross projects), then tasks."""
    projects = Project.all_objects.filter(programme__portfolio__in=portfolios)
    TaskLink.objects.filter(
        Q(predecessor__project__in=projects) | Q(successor__project__in=projects)
    ).delete()
    Baseline.objects.filter(project__in=projects).delete()
    Task.objects.filter(project__in=projects).update(parent=None)
    Task.objects.filter(project__in=projects).delete()
    ProjectPlan.objects.filter(project__in=projects).delete()


DEMO_EXTENSION = DemoExtension(build=build, reset=reset)
