"""Demo meetings: the programme's steering committee, a project team and a workshop afternoon.

Size S tells a story a PMO officer recognises: the steering committee of the change
programme met three times (minutes published, each meeting leaving actions and decisions in
the registers, the later ones marking earlier actions done) and meets again soon with its
agenda prepared; the project team of ODI meets every two weeks with Sanne (the `member`
persona) taking the minutes; and all managers are invited to a workshop afternoon with
three parallel sessions. Sizes M and L add bulk meetings (300 and 3,000) with agendas,
attendance and outcomes pointing at the generated register items, for benchmarks.

Everything of size S goes through the services, so the data is what users would make.
Deterministic by seed; dates are relative to `ctx.today`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from schakel.accounts.models import Membership, Role, User
from schakel.core.recurrence import nth
from schakel.portfolio.demo import BATCH_SIZE, DemoContext, DemoExtension, step
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers.models import Action, Decision

from . import minutes as minutes_service
from . import services
from .models import (
    AgendaItem,
    Attendance,
    Kind,
    Meeting,
    MeetingSeries,
    Outcome,
    Standing,
)

STEERING_AGENDA: list[dict[str, Any]] = [
    {"title": "Opening en vaststellen agenda", "minutes": 5},
    {
        "title": "Actiepunten vorige vergadering",
        "minutes": 15,
        "standing": Standing.PREVIOUS_ACTIONS,
    },
    {
        "title": "Voortgang projecten",
        "minutes": 30,
        "description": "De projectleiders lichten hun voortgangsrapportage toe.",
    },
    {"title": "Te nemen besluiten", "minutes": 20, "standing": Standing.DECISIONS_NEEDED},
    {"title": "Risico's ter review", "minutes": 15, "standing": Standing.RISKS_REVIEW},
    {"title": "Rondvraag en sluiting", "minutes": 5},
]

TEAM_AGENDA: list[dict[str, Any]] = [
    {"title": "Actiepunten", "minutes": 10, "standing": Standing.PREVIOUS_ACTIONS},
    {"title": "Voortgang per deelproject", "minutes": 25},
    {"title": "Risico's en issues", "minutes": 15, "standing": Standing.RISKS_REVIEW},
    {"title": "Rondvraag", "minutes": 10},
]

# Per past steering committee: notes per agenda position, actions and decisions captured.
STEERING_STORY: list[dict[str, Any]] = [
    {
        "notes": {
            0: "Agenda vastgesteld zonder wijzigingen.",
            2: (
                "- **ODI**: inventarisatie van de huidige structuur afgerond.\n"
                "- **SSC**: verkenning loopt; gesprekken met drie zorgbedrijven gepland.\n"
                "- **ITB**: aanbesteding voorbereid, publicatie volgende maand."
            ),
            3: "Het besluitvoorstel over de pilot is toegelicht door de programmamanager.",
            5: "Geen rondvraag.",
        },
        "actions": [
            ("ODI", 2, "Planning organisatieontwerp delen met de OR", "bram.meijer", 14),
            ("VOD", 3, "Businesscase shared service center uitwerken", "manager", 28),
        ],
        "decisions": [
            ("VOD", 3, "Pilot shared service center start bij één zorgbedrijf",
             "Eerst leren, dan uitrollen; de risico's van een brede start zijn te groot."),
        ],
    },
    {
        "notes": {
            0: "Agenda vastgesteld.",
            1: "De planning is met de ondernemingsraad gedeeld; de businesscase loopt nog.",
            2: (
                "De voortgang ligt op schema, behalve **ITB**: de publicatie van de "
                "aanbesteding schuift twee weken op door vragen van inkoop."
            ),
            4: "De risico's rond de ECD-koppeling zijn besproken; beheersmaatregel loopt.",
            5: "Femke vraagt de rapportages voortaan op vrijdag aan te leveren.",
        },
        "done": [0],
        "actions": [
            ("ITB", 2, "Vragen van inkoop over de aanbesteding beantwoorden", "manager", 10),
            ("VOD", 5, "Aanleverdatum rapportages communiceren aan projectleiders", "pmo", 7),
        ],
        "decisions": [
            ("VOD", 3, "Rapportages voortaan op vrijdag aanleveren",
             "Zo heeft het PMO tijd voor de consolidatie vóór de stuurgroep."),
        ],
    },
    {
        "notes": {
            0: "Agenda vastgesteld; punt 4 naar voren gehaald.",
            1: "De businesscase is afgerond en wordt volgende keer besproken.",
            2: "Alle projecten op schema. **SSC** start de pilot volgende maand.",
            3: "Besluit over de externe inhuur genomen, zie het besluitenlog.",
            5: "Volgende stuurgroep op de gebruikelijke dinsdag.",
        },
        "done": [1, 3],
        "actions": [
            ("SSC", 2, "Kick-off pilot shared service center organiseren", "manager", 21),
            ("ODI", 3, "Formatieplan opstellen", "bram.meijer", 35),
        ],
        "decisions": [
            ("VOD", 3, "Externe inhuur voor het organisatieontwerp goedgekeurd",
             "De kennis is intern niet beschikbaar binnen de gestelde termijn."),
        ],
    },
]  # fmt: skip

WORKSHOP_SESSIONS = [
    ("Risicomanagement in de praktijk", "Zaal A", "pmo", 15),
    ("Werken met de nieuwe voortgangsrapportage", "Zaal B", "daan.hendriks", 12),
    ("Samen plannen: de roadmap voor volgend jaar", "Zaal C", "manager", 20),
]

BULK_MEETINGS = {"M": 300, "L": 3_000}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class SmallBuilder:
    def __init__(self, ctx: DemoContext):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.rng = random.Random(f"meetings:{ctx.seed}")
        self.users = ctx.users
        self.pmo = ctx.users["pmo"]
        self.programme = Programme.objects.get(portfolio=ctx.portfolio, key="VOD")
        self.projects = {
            p.key: p
            for p in Project.objects.filter(programme=self.programme).select_related("manager")
        }

    def scope(self, key: str) -> Project | Programme:
        return self.programme if key == "VOD" else self.projects[key]

    def build(self) -> None:
        self.steering_committee()
        self.project_team()
        self.workshops()

    def _run_past(
        self,
        meeting: Meeting,
        story: dict[str, Any],
        earlier_actions: list[Action],
        chair: User,
        minute_taker: User,
    ) -> list[Action]:
        """Hold a past meeting as the services would: notes, outcomes, minutes published."""
        meeting = services.meeting_start(meeting=meeting, by=chair)
        agenda = list(meeting.agenda.order_by("position"))
        for row in meeting.attendance.exclude(user__in=[chair, minute_taker]):
            present = self.rng.random() > 0.15
            services.attendance_set(
                attendance=row,
                status=Attendance.Status.PRESENT if present else Attendance.Status.EXCUSED,
                by=minute_taker,
            )
        for position, notes in story.get("notes", {}).items():
            item = agenda[position]
            services.agenda_item_update(
                item=item, version=item.version, by=minute_taker, notes=notes
            )
        review = next((a for a in agenda if a.standing == Standing.PREVIOUS_ACTIONS), None)
        for index in story.get("done", []):
            if index < len(earlier_actions):
                action = Action.objects.get(pk=earlier_actions[index].pk)
                services.action_review(
                    meeting=meeting,
                    agenda_item=review,
                    action=action,
                    version=action.version,
                    by=minute_taker,
                    status=Action.Status.DONE,
                )
        day = timezone.localtime(meeting.start).date()
        made: list[Action] = []
        for key, position, title, owner, due_in in story.get("actions", []):
            made.append(
                services.outcome_capture(  # type: ignore[arg-type]
                    meeting=meeting,
                    agenda_item=agenda[position],
                    kind="action",
                    scope=self.scope(key),
                    by=minute_taker,
                    title=title,
                    owner=self.users[owner],
                    due=day + datetime.timedelta(days=due_in),
                )
            )
        for key, position, title, rationale in story.get("decisions", []):
            services.outcome_capture(
                meeting=meeting,
                agenda_item=agenda[position],
                kind="decision",
                scope=self.scope(key),
                by=minute_taker,
                title=title,
                rationale=rationale,
                status=Decision.Status.APPROVED,
                decided_by=chair,
                decided_on=day,
                owner=chair,
            )
        meeting = services.meeting_end(meeting=meeting, by=chair)
        minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=minute_taker)
        # The meeting took place at its own time, not while the demo was built.
        Meeting.all_objects.filter(pk=meeting.pk).update(
            started_at=meeting.start, ended_at=meeting.end
        )
        return made

    def _series_dates(
        self, first: datetime.date, recurrence: str, past: int
    ) -> tuple[list[datetime.date], datetime.date]:
        dates = [nth(first, recurrence, n) for n in range(0, 40)]
        before = [d for d in dates if d < self.ctx.today][-past:]
        after = next(d for d in dates if d > self.ctx.today)
        return before, after

    def steering_committee(self) -> None:
        manager, pmo = self.users["manager"], self.pmo
        leads = [p.manager for p in self.projects.values() if p.manager and p.archived_at is None]
        invitees = list(dict.fromkeys([manager, pmo, self.users["anouk.smit"], *leads]))
        # The second Tuesday of the month, starting four months back.
        start = self.ctx.today - datetime.timedelta(days=120)
        start = start.replace(day=1)
        first = start + datetime.timedelta(days=(1 - start.weekday()) % 7 + 7)
        series = services.series_create(
            scope=self.programme,
            by=pmo,
            invitees=invitees,
            kind=Kind.STEERING_COMMITTEE,
            title="Stuurgroep Veranderprogramma ondersteunende diensten",
            description="Maandelijkse stuurgroep van het veranderprogramma; het PMO notuleert.",
            chair=manager,
            minute_taker=pmo,
            recurrence="monthly_weekday",
            first_date=first,
            start_time=datetime.time(14, 0),
            duration=90,
            location="Bestuurskamer, hoofdkantoor",
            standard_agenda=STEERING_AGENDA,
        )
        past, upcoming = self._series_dates(first, "monthly_weekday", 3)
        earlier: list[Action] = []
        for day, story in zip(past, STEERING_STORY, strict=False):
            meeting = self._meeting_on(series, day)
            earlier += self._run_past(meeting, story, earlier, manager, pmo)
        next_meeting = self._meeting_on(series, upcoming)
        services.agenda_prepare(meeting=next_meeting, by=pmo)

    def _meeting_on(self, series: MeetingSeries, day: datetime.date) -> Meeting:
        return services.series_meeting_on(series=series, day=day, by=self.pmo)

    def project_team(self) -> None:
        odi = self.projects["ODI"]
        lead, member = odi.manager or self.users["manager"], self.users["member"]
        team = [
            m.user
            for m in Membership.objects.filter(project=odi).select_related("user").order_by("pk")
        ]
        first = self.ctx.today - datetime.timedelta(days=30)
        first += datetime.timedelta(days=(3 - first.weekday()) % 7)  # a Thursday
        series = services.series_create(
            scope=odi,
            by=lead,
            invitees=list(dict.fromkeys([lead, member, *team])),
            kind=Kind.PROJECT_TEAM,
            title="Projectteam ODI",
            chair=lead,
            minute_taker=member,
            recurrence="biweekly",
            first_date=first,
            start_time=datetime.time(9, 30),
            duration=60,
            online_url="https://meet.example.org/odi-projectteam",
            standard_agenda=TEAM_AGENDA,
        )
        past, upcoming = self._series_dates(first, "biweekly", 2)
        stories = [
            {
                "notes": {1: "Interviews met de zorgbedrijven afgerond; verslag volgt."},
                "actions": [
                    ("ODI", 1, "Verslag interviews zorgbedrijven rondsturen", "member", 7),
                ],
            },
            {
                "notes": {1: "Het verslag is rondgestuurd; eerste schets van het ontwerp."},
                "done": [0],
                "actions": [
                    ("ODI", 1, "Schets organisatieontwerp bespreken met HR", "bram.meijer", 10),
                ],
            },
        ]
        earlier: list[Action] = []
        for day, story in zip(past, stories, strict=False):
            earlier += self._run_past(self._meeting_on(series, day), story, earlier, lead, member)
        services.agenda_prepare(meeting=self._meeting_on(series, upcoming), by=lead)

    def workshops(self) -> None:
        assert self.ctx.portfolio is not None
        day = self.ctx.today + datetime.timedelta(days=21)
        managers = list(
            User.objects.filter(
                memberships__role__in=[Role.MANAGER, Role.PMO],
                memberships__project__programme__portfolio=self.ctx.portfolio,
            ).distinct()
        )
        managers = list(dict.fromkeys([self.users["manager"], self.pmo, *managers]))
        event = services.meeting_create(
            scope=self.ctx.portfolio,
            by=self.pmo,
            invitees=managers,
            kind=Kind.EVENT,
            title="Workshopmiddag voor alle managers",
            start=_at(day, 13, 30),
            end=_at(day, 17, 0),
            location="Conferentiecentrum De Schakel",
            chair=self.pmo,
            agenda=[
                {"title": "Welkom en doel van de middag", "minutes": 15},
                {"title": "Workshops (parallel)", "minutes": 120},
                {"title": "Terugkoppeling en borrel", "minutes": 45},
            ],
        )
        for title, room, host, capacity in WORKSHOP_SESSIONS:
            session = services.session_add(
                meeting=event,
                by=self.pmo,
                title=title,
                room=room,
                host=self.users[host],
                capacity=capacity,
                start=_at(day, 14, 0),
                end=_at(day, 16, 0),
            )
            for person in self.rng.sample(managers, k=min(len(managers), 3)):
                if not person.registrations.filter(session__meeting=event).exists():
                    services.session_register(session=session, user=person, by=person)


class BulkBuilder:
    """Meetings with agendas, attendance and outcomes for sizes M and L (bulk inserts)."""

    def __init__(self, ctx: DemoContext, count: int):
        assert ctx.portfolio is not None
        self.ctx = ctx
        self.count = count
        self.rng = random.Random(f"meetings-bulk:{ctx.seed}")

    def build(self) -> None:
        ctx = self.ctx
        projects = list(
            Project.objects.filter(programme__portfolio=ctx.portfolio, archived_at__isnull=True)
            .exclude(manager__isnull=True)
            .order_by("key")
        )
        if not projects:
            return
        team: dict[int, list[int]] = defaultdict(list)
        for project_id, user_id in Membership.objects.filter(project__in=projects).values_list(
            "project_id", "user_id"
        ):
            team[project_id].append(user_id)
        admin = ctx.admin
        meetings = []
        with step(ctx, f"meetings: {self.count} meetings"):
            for n in range(self.count):
                project = projects[n % len(projects)]
                offset = self.rng.randint(-365, 60)
                start = _at(
                    ctx.today + datetime.timedelta(days=offset), self.rng.choice([9, 11, 14])
                )
                status = Meeting.Status.PUBLISHED if offset < -2 else Meeting.Status.PLANNED
                meetings.append(
                    Meeting(
                        project=project,
                        kind=Kind.PROJECT_TEAM,
                        title=f"Projectteam {project.key}",
                        start=start,
                        end=start + datetime.timedelta(hours=1),
                        location="Overleg " + project.key,
                        chair_id=project.manager_id,
                        status=status,
                        started_at=start if status == Meeting.Status.PUBLISHED else None,
                        ended_at=start + datetime.timedelta(hours=1)
                        if status == Meeting.Status.PUBLISHED
                        else None,
                        created_by=admin,
                    )
                )
            meetings = bulk_create_with_history(
                meetings, Meeting, batch_size=BATCH_SIZE, default_user=admin,
                default_change_reason="demo",
            )  # fmt: skip
        with step(ctx, "meetings: agendas, attendance, outcomes"):
            agenda: list[AgendaItem] = []
            attendance: list[Attendance] = []
            for meeting in meetings:
                published = meeting.status == Meeting.Status.PUBLISHED
                for position, entry in enumerate(TEAM_AGENDA):
                    agenda.append(
                        AgendaItem(
                            meeting=meeting,
                            position=position,
                            title=entry["title"],
                            minutes=entry["minutes"],
                            standing=entry.get("standing", ""),
                            notes="Besproken; zie de actiepunten." if published else "",
                        )
                    )
                people = team[meeting.project_id][:8] or [meeting.chair_id]
                for user_id in dict.fromkeys([meeting.chair_id, *people]):
                    attendance.append(
                        Attendance(
                            meeting=meeting,
                            user_id=user_id,
                            status=(
                                Attendance.Status.PRESENT
                                if published
                                else Attendance.Status.INVITED
                            ),
                        )
                    )
            AgendaItem.objects.bulk_create(agenda, batch_size=BATCH_SIZE)
            Attendance.objects.bulk_create(attendance, batch_size=BATCH_SIZE)
            self._outcomes([m for m in meetings if m.status == Meeting.Status.PUBLISHED])

    def _outcomes(self, meetings: list[Meeting]) -> None:
        """Point each published meeting at a few of its project's actions and decisions."""
        by_project: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for model, kind in ((Action, "action"), (Decision, "decision")):
            for pk, project_id in model.objects.filter(
                project_id__in={m.project_id for m in meetings}
            ).values_list("pk", "project_id"):
                by_project[(kind, project_id)].append(pk)
        types = {
            "action": ContentType.objects.get_for_model(Action),
            "decision": ContentType.objects.get_for_model(Decision),
        }
        used: set[tuple[str, int]] = set()
        outcomes = []
        first_items = dict(
            AgendaItem.objects.filter(meeting__in=meetings, position=1).values_list(
                "meeting_id", "pk"
            )
        )
        for meeting in meetings:
            for kind, wanted in (("action", 3), ("decision", 1)):
                pool = [
                    pk for pk in by_project[(kind, meeting.project_id)] if (kind, pk) not in used
                ]
                for pk in pool[:wanted]:
                    used.add((kind, pk))
                    outcomes.append(
                        Outcome(
                            meeting=meeting,
                            agenda_item_id=first_items.get(meeting.pk),
                            item_type=types[kind],
                            item_id=pk,
                            kind=kind,
                            created_by_id=meeting.chair_id,
                        )
                    )
        Outcome.objects.bulk_create(outcomes, batch_size=BATCH_SIZE)


def build(ctx: DemoContext, *, size: str, scale: float = 1.0) -> None:
    with translation.override("nl"):
        with step(ctx, "meetings: steering committee, team, workshops"):
            SmallBuilder(ctx).build()
        if size in BULK_MEETINGS:
            BulkBuilder(ctx, max(1, round(BULK_MEETINGS[size] * scale))).build()


def reset(portfolios: QuerySet[Portfolio]) -> None:
    """Delete the demo portfolios' meetings and series (before their scopes go)."""
    condition = (
        Q(portfolio__in=portfolios)
        | Q(programme__portfolio__in=portfolios)
        | Q(project__programme__portfolio__in=portfolios)
    )
    meetings = Meeting.all_objects.filter(condition)
    Outcome.objects.filter(meeting__in=meetings).delete()
    Meeting.all_objects.filter(pk__in=meetings.values("pk")).update(current_item=None)
    meetings.delete()
    MeetingSeries.all_objects.filter(condition).delete()


DEMO_EXTENSION = DemoExtension(build=build, reset=reset)
