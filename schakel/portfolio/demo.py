"""Demo data: the change portfolio of a Dutch care organisation, deterministic by seed.

`schakel demo` calls `build_demo`. Size S is what a person explores: the personas (admin,
pmo, manager, member, viewer, outsider), a dozen colleagues, the portfolio
"Organisatieportfolio" with the change programme of the ondersteunende diensten (better
and cheaper finance, IT and real-estate services for the care companies, in four themes)
and a programme that sets up the PMO itself. Sizes M and L add generated programmes,
projects, people and memberships on top of S, with bulk inserts, for benchmarks.

Content is Dutch, like the organisation it portrays. It is deterministic: the same seed
gives the same users, keys, names, memberships and date offsets. Dates are relative to
`today` (the day of the run unless given), so the demo always looks current; only the
calendar dates move.

Later capabilities (registers, meetings, reports) add their own data through a
`DemoExtension`: an app's `demo` module defines `DEMO_EXTENSION`, and `build_demo` runs it
with the same context once the organisation of any size is built (see `extensions`).
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from schakel.accounts.models import Membership, Role, User

from . import services
from .models import Phase, Portfolio, Programme, Project, State, Theme

DEMO_PORTFOLIO = "Organisatieportfolio"
# Every demo account has an address in this reserved domain, which is how `--reset`
# tells demo accounts from real ones.
DEMO_EMAIL_DOMAIN = "demo.example.org"
DEFAULT_SEED = 2023
# The password of settings.SCHAKEL_DEMO_PASSWORD when the environment sets none.
PUBLIC_PASSWORD = "demo"  # noqa: S105
BATCH_SIZE = 500
SIZES = ("S", "M", "L")


class DemoConflict(ValueError):
    """Raised when demo data would clash with rows that are already there."""


@dataclass(frozen=True)
class Volume:
    """How big an organisation a size generates, counted in total (including size S)."""

    programmes: int
    projects: int
    users: int


VOLUMES = {
    "M": Volume(programmes=4, projects=50, users=60),
    "L": Volume(programmes=10, projects=500, users=300),
}


@dataclass
class DemoContext:
    """What the steps of a build share: the random source, the day, the people made so far."""

    rng: random.Random
    today: date
    password_hash: str
    log: Callable[[str], None]
    # Extensions seed random sources of their own from it, so one app's data does not
    # shift another's.
    seed: int = DEFAULT_SEED
    users: dict[str, User] = field(default_factory=dict)
    portfolio: Portfolio | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)

    @property
    def admin(self) -> User:
        return self.users["admin"]

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


@contextmanager
def step(ctx: DemoContext, label: str) -> Iterator[None]:
    """Time one step of the build and report it."""
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    ctx.timings.append((label, elapsed))
    ctx.log(f"  {label:<44} {elapsed:6.2f} s")


# The people -----------------------------------------------------------------------

# username, first name, last name, what the login shows
PERSONAS: list[tuple[str, str, str, str]] = [
    ("admin", "Ad", "Beheer", "site administrator: sees and changes everything"),
    ("pmo", "Femke", "de Wit", f"PMO on the portfolio “{DEMO_PORTFOLIO}”"),
    (
        "manager",
        "Marco",
        "Stam",
        "programme manager of “Veranderprogramma ondersteunende diensten”",
    ),
    ("member", "Sanne", "Visser", "member of projects ODI and PTP"),
    ("viewer", "Pieter", "de Boer", "viewer on programme “Inrichting PMO”"),
    ("outsider", "Olivier", "Kramer", "no roles: sees no projects"),
]

COLLEAGUES: list[tuple[str, str]] = [
    ("Jan", "de Jong"),
    ("Anouk", "Smit"),
    ("Bram", "Meijer"),
    ("Eva", "de Graaf"),
    ("Lars", "Mulder"),
    ("Noor", "Bos"),
    ("Thijs", "Vos"),
    ("Lotte", "Peters"),
    ("Daan", "Hendriks"),
    ("Iris", "van Dijk"),
    ("Ruben", "Dekker"),
    ("Fleur", "van Leeuwen"),
]

FIRST_NAMES = [
    "Anna", "Bas", "Charlotte", "Dirk", "Emma", "Floris", "Gijs", "Hanna", "Ilse", "Jeroen",
    "Karin", "Luuk", "Maud", "Niels", "Olga", "Paul", "Quinten", "Roos", "Sem", "Tess",
    "Uri", "Vera", "Wouter", "Yara", "Zoë", "Joost", "Merel", "Stijn", "Lieke", "Koen",
    "Daphne", "Hugo", "Nina", "Milan", "Esther", "Sander", "Julia", "Tim", "Marloes", "Rik",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van Dam",
    "Verhoeven", "Koster", "Prins", "Huisman", "Peeters", "Kuipers", "van Wijk", "Postma",
]  # fmt: skip


def username_for(first: str, last: str) -> str:
    """Make a login name such as `iris.vandijk` from a Dutch name."""
    text = f"{first}.{last.replace(' ', '')}".lower()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def _new_user(ctx: DemoContext, username: str, first: str, last: str, **extra: Any) -> User:
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=demo_email(username),
        password=ctx.password_hash,
        **extra,
    )


def _check_free(usernames: Iterable[str], keys: Iterable[str] = ()) -> None:
    """Refuse to build over accounts or project keys that exist already."""
    taken_users = sorted(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    taken_keys = sorted(Project.all_objects.filter(key__in=keys).values_list("key", flat=True))
    problems = []
    if taken_users:
        problems.append("user names already taken: " + ", ".join(taken_users[:10]))
    if taken_keys:
        problems.append("project keys already taken: " + ", ".join(taken_keys[:10]))
    if problems:
        raise DemoConflict("; ".join(problems))


# Size S: the organisation a person explores ---------------------------------------

PROGRAMME_CHANGE = "Veranderprogramma ondersteunende diensten"
PROGRAMME_PMO = "Inrichting PMO"


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    theme: str | None
    name: str
    manager: str
    sponsor: str
    phase: str
    state: str
    start: int  # days from today
    weeks: int
    tags: tuple[str, ...]
    description: str


CHANGE_THEMES = [
    (
        "Organisatieontwerp",
        "De structuur van financiën, IT en vastgoed in kaart brengen en opnieuw inrichten "
        "rond de vraag van de zorgbedrijven.",
    ),
    ("Beleid", "Eenduidig beleid voor IT en vastgoed, zodat keuzes niet per locatie verschillen."),
    (
        "Organisatieprocessen",
        "De processen van aanvraag tot levering en van inkoop tot betaling standaardiseren.",
    ),
    ("Quick wins", "Zichtbare verbeteringen op korte termijn, om vertrouwen te winnen."),
]

CHANGE_PROJECTS = [
    ProjectSpec(
        key="ODI",
        theme="Organisatieontwerp",
        name="Organisatieontwerp ondersteunende diensten",
        manager="bram.meijer",
        sponsor="anouk.smit",
        phase=Phase.EXECUTION,
        state=State.ACTIVE,
        start=-240,
        weeks=64,
        tags=("Organisatie", "Financiën", "IT", "Vastgoed"),
        description=(
            "Eén dienstverleningsorganisatie voor **financiën, IT en vastgoed**, met een vast "
            "aanspreekpunt per zorgbedrijf.\n"
            "\n"
            "**Resultaten**\n"
            "\n"
            "- De huidige organisatiestructuur in kaart\n"
            "- Een besluit van de raad van bestuur over het nieuwe ontwerp\n"
            "- Formatieplan en plaatsingsprocedure met de ondernemingsraad\n"
        ),
    ),
    ProjectSpec(
        key="SSC",
        theme="Organisatieontwerp",
        name="Shared service center financiën",
        manager="noor.bos",
        sponsor="jan.dejong",
        phase=Phase.PLANNING,
        state=State.ACTIVE,
        start=-60,
        weeks=52,
        tags=("Financiën", "Organisatie"),
        description=(
            "De financiële administraties van de zorgbedrijven samenvoegen in één shared service "
            "center.\n"
            "\n"
            "Uitgangspunten: *één grootboek*, één betaalrun per week en maandelijkse rapportages "
            "per zorgbedrijf.\n"
        ),
    ),
    ProjectSpec(
        key="ITB",
        theme="Beleid",
        name="IT-beleid en architectuur",
        manager="lars.mulder",
        sponsor="anouk.smit",
        phase=Phase.EXECUTION,
        state=State.ACTIVE,
        start=-180,
        weeks=40,
        tags=("IT", "Beleid"),
        description=(
            "Een IT-beleid voor de hele organisatie: standaardwerkplek, cloud waar het kan, en "
            "een architectuurboard die nieuwe aanvragen toetst.\n"
            "\n"
            "1. Inventarisatie van applicaties per zorgbedrijf\n"
            "2. Architectuurprincipes vaststellen\n"
            "3. Saneringsplan voor dubbele applicaties\n"
        ),
    ),
    ProjectSpec(
        key="VGB",
        theme="Beleid",
        name="Vastgoedbeleid zorglocaties",
        manager="thijs.vos",
        sponsor="jan.dejong",
        phase=Phase.PLANNING,
        state=State.ON_HOLD,
        start=-120,
        weeks=48,
        tags=("Vastgoed", "Beleid"),
        description=(
            "Meerjarig vastgoedbeleid: welke locaties houden we aan, welke stoten we af en waar "
            "investeren we in duurzaamheid.\n"
            "\n"
            "> Gepauzeerd tot het besluit over de nieuwe zorgvisie is genomen.\n"
        ),
    ),
    ProjectSpec(
        key="PTP",
        theme="Organisatieprocessen",
        name="Inkoop-tot-betaalproces",
        manager="eva.degraaf",
        sponsor="jan.dejong",
        phase=Phase.EXECUTION,
        state=State.ACTIVE,
        start=-150,
        weeks=44,
        tags=("Financiën", "Proces"),
        description=(
            "Eén inkoop-tot-betaalproces voor alle zorgbedrijven: bestellen via de catalogus, "
            "digitaal factureren en betalen binnen dertig dagen.\n"
        ),
    ),
    ProjectSpec(
        key="SDK",
        theme="Organisatieprocessen",
        name="Eén servicedesk voor de zorgbedrijven",
        manager="iris.vandijk",
        sponsor="anouk.smit",
        phase=Phase.PLANNING,
        state=State.ACTIVE,
        start=-30,
        weeks=36,
        tags=("IT", "Vastgoed", "Proces"),
        description=(
            "Eén telefoonnummer en één portaal voor vragen aan IT, facilitair en vastgoed, met "
            "afspraken over reactietijden per soort melding.\n"
        ),
    ),
    ProjectSpec(
        key="MAF",
        theme="Organisatieprocessen",
        name="Maandafsluiting in vijf werkdagen",
        manager="noor.bos",
        sponsor="jan.dejong",
        phase=Phase.INITIATION,
        state=State.ACTIVE,
        start=21,
        weeks=30,
        tags=("Financiën", "Proces"),
        description=(
            "De maandafsluiting terugbrengen van twaalf naar vijf werkdagen, zodat de "
            "zorgbedrijven eerder stuurinformatie hebben.\n"
        ),
    ),
    ProjectSpec(
        key="QWL",
        theme="Quick wins",
        name="Laptop op de eerste werkdag",
        manager="lars.mulder",
        sponsor="anouk.smit",
        phase=Phase.CLOSURE,
        state=State.CLOSED,
        start=-200,
        weeks=16,
        tags=("IT", "Quick win"),
        description=(
            "Nieuwe medewerkers hebben op hun eerste werkdag een werkende laptop en accounts. "
            "Afgerond: 96% van de nieuwe collega's had alles op dag één.\n"
        ),
    ),
    ProjectSpec(
        key="QWS",
        theme="Quick wins",
        name="Strandmiddag voor leidinggevenden",
        manager="fleur.vanleeuwen",
        sponsor="anouk.smit",
        phase=Phase.CLOSURE,
        state=State.CLOSED,
        start=-330,
        weeks=10,
        tags=("Quick win", "Communicatie"),
        description=(
            "Een middag aan het strand waar leidinggevenden uit de hele organisatie workshops "
            "volgden over de thema's van het programma, om de bekendheid van het programma en de "
            "betrokkenheid te vergroten.\n"
        ),
    ),
]

PMO_PROJECTS = [
    ProjectSpec(
        key="KDS",
        theme=None,
        name="Kennisdeling tussen projectleiders",
        manager="daan.hendriks",
        sponsor="anouk.smit",
        phase=Phase.EXECUTION,
        state=State.ACTIVE,
        start=-90,
        weeks=30,
        tags=("Kennisdeling",),
        description=(
            "Maandelijkse intervisie, een gedeelde bibliotheek met sjablonen en geleerde lessen "
            "na elke projectfase.\n"
        ),
    ),
    ProjectSpec(
        key="CAP",
        theme=None,
        name="Centraal aanspreekpunt projecten",
        manager="lotte.peters",
        sponsor="anouk.smit",
        phase=Phase.PLANNING,
        state=State.ACTIVE,
        start=-20,
        weeks=20,
        tags=("Communicatie",),
        description=(
            "Eén centraal aanspreekpunt voor de hele organisatie voor vragen over lopende en "
            "nieuwe projecten.\n"
        ),
    ),
    ProjectSpec(
        key="URP",
        theme=None,
        name="Uniforme voortgangsrapportage",
        manager="daan.hendriks",
        sponsor="anouk.smit",
        phase=Phase.EXECUTION,
        state=State.ACTIVE,
        start=-70,
        weeks=26,
        tags=("Rapportage",),
        description=(
            "Alle projectleiders rapporteren maandelijks in hetzelfde format: voortgang, "
            "planning, risico's en besluiten, op één A4.\n"
        ),
    ),
    ProjectSpec(
        key="OPL",
        theme=None,
        name="Ontzorgen projectleiders",
        manager="lotte.peters",
        sponsor="anouk.smit",
        phase=Phase.INITIATION,
        state=State.ACTIVE,
        start=14,
        weeks=24,
        tags=("Rapportage", "Kennisdeling"),
        description=(
            "Het PMO neemt verslaglegging, verantwoording en logistiek van de projectleiders "
            "over, zodat zij meer tijd hebben voor hun project.\n"
        ),
    ),
]

TEAM_POOL = [
    "lotte.peters", "iris.vandijk", "ruben.dekker", "fleur.vanleeuwen", "bram.meijer",
    "eva.degraaf", "noor.bos", "thijs.vos", "lars.mulder",
]  # fmt: skip


def create_people(ctx: DemoContext) -> None:
    """Create the personas and the named colleagues."""
    people = [
        _new_user(
            ctx,
            username,
            first,
            last,
            is_superuser=username == "admin",
            is_staff=username == "admin",
        )
        for username, first, last, _ in PERSONAS
    ]
    people += [_new_user(ctx, username_for(f, la), f, la) for f, la in COLLEAGUES]
    _check_free(
        [u.username for u in people],
        [spec.key for spec in CHANGE_PROJECTS + PMO_PROJECTS],
    )
    for user in bulk_create_with_history(people, User, default_change_reason="demo"):
        ctx.users[user.username] = user


def _create_projects(
    ctx: DemoContext, programme: Programme, specs: list[ProjectSpec], themes: dict[str, Theme]
) -> dict[str, Project]:
    projects = {}
    for spec in specs:
        start = ctx.day(spec.start + ctx.rng.randint(-7, 7))
        projects[spec.key] = services.project_create(
            programme=programme,
            key=spec.key,
            name=spec.name,
            description=spec.description,
            theme=themes.get(spec.theme or ""),
            manager=ctx.users[spec.manager],
            sponsor=ctx.users[spec.sponsor],
            phase=spec.phase,
            state=spec.state,
            start_date=start,
            end_date=start + timedelta(weeks=spec.weeks),
            tags=services.tags_from_names(spec.tags),
            by=ctx.users["pmo"],
        )
    return projects


def build_small(ctx: DemoContext) -> None:
    """Build size S: the personas, colleagues, portfolio, two programmes and their projects."""
    users = ctx.users
    with step(ctx, "people"):
        create_people(ctx)
    pmo, admin = users["pmo"], users["admin"]

    with step(ctx, "portfolio, programmes and themes"):
        # The creator of a portfolio becomes its PMO: that is the pmo persona's role.
        ctx.portfolio = services.portfolio_create(
            name=DEMO_PORTFOLIO,
            description=(
                "Alle veranderprogramma's en projecten van de organisatie in één overzicht, "
                "voor de raad van bestuur, de directeuren en het PMO."
            ),
            by=pmo,
        )
        change = services.programme_create(
            portfolio=ctx.portfolio,
            name=PROGRAMME_CHANGE,
            key="VOD",
            description=(
                "Meerjarig veranderprogramma voor een **betere en goedkopere dienstverlening** "
                "van de ondersteunende diensten (financiën, IT en vastgoed) aan de "
                "zorgbedrijven.\n\n"
                "Het programma werkt langs vier thema's: organisatieontwerp, beleid, "
                "organisatieprocessen en quick wins. Het PMO ondersteunt de programmamanager "
                "met de strategische planning, voortgangsrapportages, het bijhouden van "
                "besluiten, actielijsten en risico's."
            ),
            manager=users["manager"],
            sponsor=users["anouk.smit"],
            start_date=ctx.day(-330),
            end_date=ctx.day(400),
            by=pmo,
        )
        themes = {
            name: services.theme_create(programme=change, name=name, description=text, by=pmo)
            for name, text in CHANGE_THEMES
        }
        pmo_programme = services.programme_create(
            portfolio=ctx.portfolio,
            name=PROGRAMME_PMO,
            key="PMO",
            description=(
                "Een PMO voor alle projecten van de organisatie, met **kennisdeling** tussen "
                "projectleiders, **één centraal aanspreekpunt** en **uniforme rapportages**.\n\n"
                "Eerst ontzorgt het PMO de projectleiders bij verslaglegging, verantwoording "
                "en logistiek; daarna groeit het takenpakket mee met het vertrouwen."
            ),
            manager=users["daan.hendriks"],
            sponsor=users["anouk.smit"],
            start_date=ctx.day(-100),
            end_date=ctx.day(265),
            by=pmo,
        )

    with step(ctx, "projects"):
        projects = _create_projects(ctx, change, CHANGE_PROJECTS, themes)
        projects.update(_create_projects(ctx, pmo_programme, PMO_PROJECTS, {}))
        services.project_archive(project=projects["QWS"], archived=True, by=pmo)

    with step(ctx, "memberships"):
        grants: list[tuple[Any, str, str]] = [
            (change, "manager", Role.MANAGER),
            (projects["ODI"], "member", Role.MEMBER),
            (projects["PTP"], "member", Role.MEMBER),
            (pmo_programme, "viewer", Role.VIEWER),
            (pmo_programme, "daan.hendriks", Role.MANAGER),
            # Sponsors follow their programmes.
            (change, "anouk.smit", Role.VIEWER),
            (change, "jan.dejong", Role.VIEWER),
            (pmo_programme, "anouk.smit", Role.VIEWER),
        ]
        for project in projects.values():
            pool = [u for u in TEAM_POOL if users[u].pk != project.manager_id]
            for username in ctx.rng.sample(pool, ctx.rng.randint(1, 3)):
                grants.append((project, username, Role.MEMBER))
        for scope, username, role in grants:
            services.membership_create(scope=scope, user=users[username], role=role, by=admin)


# Sizes M and L: generated organisations for benchmarks ----------------------------

PROGRAMME_NAMES = [
    ("Digitale zorg", "DZ"),
    ("Duurzame huisvesting", "DH"),
    ("Behoud en werving van personeel", "PW"),
    ("Informatiebeveiliging en privacy", "IB"),
    ("Cliënt aan het roer", "CR"),
    ("Datagedreven sturing", "DS"),
    ("Inkoop en contractmanagement", "IC"),
    ("Ambulante zorg in de wijk", "AZ"),
    ("Nieuwe werkplek", "NW"),
    ("Kwaliteit en accreditatie", "KA"),
]
THEME_NAMES = [
    "Mensen en organisatie", "Processen", "Informatievoorziening", "Huisvesting",
    "Financiën", "Kwaliteit", "Quick wins", "Communicatie", "Wet- en regelgeving",
]  # fmt: skip
ACTIONS = [
    "Invoeren", "Herinrichten", "Vernieuwen", "Standaardiseren", "Verbeteren", "Uitrollen",
    "Onderzoeken", "Harmoniseren", "Digitaliseren", "Aanbesteden", "Vereenvoudigen",
]  # fmt: skip
SUBJECTS = [
    "roosterplanning", "cliëntportaal", "elektronisch cliëntdossier", "zorgadministratie",
    "facilitaire dienstverlening", "werkplekbeheer", "contractbeheer", "declaratieproces",
    "kwaliteitshandboek", "verzuimbegeleiding", "locatiebeheer", "telefonie",
    "medicatieregistratie", "inkoopproces", "managementinformatie", "archivering",
    "sleutelbeheer", "wagenpark", "inwerkprogramma", "zorgroutes", "energiebeheer",
]  # fmt: skip
PLACES = ["", "", "", " Noord", " Zuid", " regio Den Haag", " regio Rotterdam", " fase 2"]
GOALS = [
    "minder administratieve last voor zorgmedewerkers",
    "lagere kosten per cliënt",
    "één werkwijze voor alle zorgbedrijven",
    "betere stuurinformatie voor de directie",
    "voldoen aan nieuwe wet- en regelgeving",
    "een veiliger werkomgeving",
]
STEPS = [
    "huidige situatie in kaart brengen",
    "werksessies met de zorgbedrijven",
    "besluitvorming in het programmateam",
    "pilot op één locatie",
    "uitrol naar alle locaties",
    "overdracht aan de lijn",
    "evaluatie en geleerde lessen",
]
TAG_NAMES = [
    "IT", "Financiën", "Vastgoed", "Proces", "Beleid", "Organisatie", "Quick win",
    "Communicatie", "Rapportage", "Kennisdeling", "Privacy", "Duurzaamheid",
]  # fmt: skip


def _generated_users(ctx: DemoContext, count: int) -> list[User]:
    taken = set(ctx.users)
    users = []
    for _ in range(count):
        first, last = ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)
        base = username_for(first, last)
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        taken.add(username)
        users.append(_new_user(ctx, username, first, last))
    return users


def _description(rng: random.Random) -> str:
    steps = rng.sample(STEPS, 3)
    return f"**Doel:** {rng.choice(GOALS)}.\n\n**Aanpak**\n\n" + "".join(
        f"- {s[0].upper()}{s[1:]}\n" for s in steps
    )


def _phase_and_state(rng: random.Random, start: int, end: int) -> tuple[str, str]:
    if end < 0:
        return Phase.CLOSURE, State.CLOSED
    if start > 0:
        phase = rng.choice([Phase.INITIATION, Phase.PLANNING])
    else:
        phase = rng.choices([Phase.PLANNING, Phase.EXECUTION, Phase.CLOSURE], [2, 6, 1])[0]
    return phase, (State.ON_HOLD if rng.random() < 0.08 else State.ACTIVE)


def generate_organisation(ctx: DemoContext, volume: Volume, *, scale: float = 1.0) -> None:
    """Add generated programmes, projects, people and memberships up to `volume` in total.

    Rows go in with bulk inserts, in batches; `bulk_create_with_history` writes one
    "created" history row per object as well, so History tabs and later edits work on
    generated data as on hand-made data. Tag links are bulk-inserted without history rows
    of their own, so a generated project's history shows no tag changes.
    `scale` shrinks the numbers of projects and people (the tests use it to run size L's
    code path quickly); the number of programmes stays.
    """
    assert ctx.portfolio is not None
    rng, admin = ctx.rng, ctx.admin
    existing_projects = Project.all_objects.filter(programme__portfolio=ctx.portfolio).count()
    n_programmes = max(1, volume.programmes - ctx.portfolio.programmes.count())
    n_projects = max(n_programmes, round((volume.projects - existing_projects) * scale))
    n_users = max(4, round((volume.users - len(ctx.users)) * scale))

    with step(ctx, f"people ({n_users})"):
        people = _generated_users(ctx, n_users)
        _check_free([u.username for u in people])
        people = bulk_create_with_history(
            people, User, batch_size=BATCH_SIZE, default_user=admin, default_change_reason="demo"
        )
        for user in people:
            ctx.users[user.username] = user
    # A tenth of the people are directors: they sponsor.
    directors = people[: max(1, len(people) // 10)]
    staff = people[len(directors) :] or people

    with step(ctx, f"programmes and themes ({n_programmes})"):
        programmes = []
        prefixes = []
        for i in range(n_programmes):
            name, prefix = PROGRAMME_NAMES[i % len(PROGRAMME_NAMES)]
            if i >= len(PROGRAMME_NAMES):
                round_no = i // len(PROGRAMME_NAMES) + 1
                name, prefix = f"{name} {round_no}", f"{prefix}{round_no}"
            start = rng.randint(-600, -30)
            programmes.append(
                Programme(
                    portfolio=ctx.portfolio,
                    name=name,
                    description=f"Programma {name.lower()}: {rng.choice(GOALS)}.",
                    manager=rng.choice(staff),
                    sponsor=rng.choice(directors),
                    start_date=ctx.day(start),
                    end_date=ctx.day(start + rng.randint(365, 1100)),
                )
            )
            prefixes.append(prefix)
        programmes = bulk_create_with_history(
            programmes, Programme, batch_size=BATCH_SIZE, default_user=admin,
            default_change_reason="demo",
        )  # fmt: skip
        themes = [
            Theme(programme=programme, name=name, position=position)
            for programme in programmes
            for position, name in enumerate(rng.sample(THEME_NAMES, rng.randint(3, 5)), 1)
        ]
        themes = bulk_create_with_history(
            themes, Theme, batch_size=BATCH_SIZE, default_user=admin, default_change_reason="demo"
        )
        themes_of: dict[int, list[Theme]] = {}
        for theme in themes:
            themes_of.setdefault(theme.programme_id, []).append(theme)

    with step(ctx, f"projects ({n_projects})"):
        projects = []
        numbers = dict.fromkeys(range(len(programmes)), 0)
        keys = []
        archived_at = timezone.now()
        for i in range(n_projects):
            # Every programme gets projects; the rest spread unevenly, as in real life.
            index = i if i < len(programmes) else rng.randrange(len(programmes))
            programme = programmes[index]
            numbers[index] += 1
            key = f"{prefixes[index]}{numbers[index]:03d}"
            keys.append(key)
            start = rng.randint(-720, 180)
            end = start + rng.randint(60, 540)
            phase, state = _phase_and_state(rng, start, end)
            name = f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}{rng.choice(PLACES)}"
            projects.append(
                Project(
                    programme=programme,
                    theme=rng.choice([*themes_of[programme.pk], None]),
                    key=key,
                    name=name,
                    description=_description(rng),
                    manager=rng.choice(staff),
                    sponsor=rng.choice(directors),
                    phase=phase,
                    state=state,
                    start_date=ctx.day(start),
                    end_date=ctx.day(end),
                    archived_at=archived_at
                    if state == State.CLOSED and rng.random() < 0.3
                    else None,
                )
            )
        _check_free([], keys)
        projects = bulk_create_with_history(
            projects, Project, batch_size=BATCH_SIZE, default_user=admin,
            default_change_reason="demo",
        )  # fmt: skip

    with step(ctx, "tags"):
        tags = services.tags_from_names(TAG_NAMES)
        through = Project.tags.through
        through.objects.bulk_create(
            [
                through(project_id=project.pk, tag_id=tag.pk)
                for project in projects
                for tag in rng.sample(tags, rng.randint(0, 3))
            ],
            batch_size=BATCH_SIZE,
        )

    # Plan the memberships first (cheap), so the timed step can say how many it writes.
    memberships: list[Membership] = []
    seen: set[tuple[int, str, int]] = set()
    has_role: set[int] = set()

    def grant(user: User, role: str, **scope: Any) -> None:
        ((kind, obj),) = scope.items()
        marker = (user.pk, kind, obj.pk)
        if marker in seen:
            return
        seen.add(marker)
        has_role.add(user.pk)
        memberships.append(Membership(user=user, role=role, **scope))

    for programme in programmes:
        grant(programme.manager, Role.MANAGER, programme=programme)
        grant(programme.sponsor, Role.VIEWER, programme=programme)
    for project in projects:
        grant(project.manager, Role.MANAGER, project=project)
        for user in rng.sample(staff, min(len(staff), rng.randint(2, 5))):
            grant(user, Role.MEMBER, project=project)
        for user in rng.sample(staff, min(len(staff), rng.randint(0, 2))):
            grant(user, Role.VIEWER, project=project)
    # Everyone generated holds at least one role, so every login sees something.
    for user in people:
        if user.pk not in has_role:
            grant(user, Role.MEMBER, project=rng.choice(projects))
    with step(ctx, f"memberships ({len(memberships)})"):
        bulk_create_with_history(
            memberships, Membership, batch_size=BATCH_SIZE, default_user=admin,
            default_change_reason="demo",
        )  # fmt: skip


def build_medium(ctx: DemoContext, *, scale: float = 1.0) -> None:
    """Build size M: size S plus generated work up to about 50 projects and 60 people."""
    build_small(ctx)
    generate_organisation(ctx, VOLUMES["M"], scale=scale)


def build_large(ctx: DemoContext, *, scale: float = 1.0) -> None:
    """Build size L: size S plus generated work up to 10 programmes, 500 projects, 300 people."""
    build_small(ctx)
    generate_organisation(ctx, VOLUMES["L"], scale=scale)


# Extensions: the demo data of later apps ------------------------------------------


@dataclass(frozen=True)
class DemoExtension:
    """The demo data of one app, built on top of the organisation.

    `build(ctx, size=, scale=)` runs after the organisation of every size is built, inside
    the same transaction and with the same context (users, portfolio, today, timings).
    `reset(portfolios)` runs before `reset_demo` deletes the demo portfolios, so rows that
    protect their projects or programmes go first; extensions reset in reverse order.
    """

    build: Callable[..., None]
    reset: Callable[[QuerySet[Portfolio]], None] | None = None


def extensions() -> list[DemoExtension]:
    """Collect `DEMO_EXTENSION` from the `demo` module of each installed app, in app order."""
    found = []
    for config in apps.get_app_configs():
        if config.name == __package__:
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        extension = getattr(module, "DEMO_EXTENSION", None)
        if isinstance(extension, DemoExtension):
            found.append(extension)
    return found


# Entry points ---------------------------------------------------------------------


def demo_loaded() -> bool:
    """Tell whether the demo was loaded: its portfolio exists, or its accounts do.

    The accounts count too because people rename or trash the demo portfolio while trying
    Schakel out, and `--once` must still leave the demo alone then.
    """
    return (
        Portfolio.all_objects.filter(name=DEMO_PORTFOLIO).exists()
        or User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").exists()
    )


@transaction.atomic
def reset_demo() -> None:
    """Delete the demo portfolio with everything in it, and every demo account.

    History rows stay: they are the record of what happened, demo or not.
    """
    portfolios = Portfolio.all_objects.filter(name=DEMO_PORTFOLIO)
    for extension in reversed(extensions()):
        if extension.reset is not None:
            extension.reset(portfolios)
    Project.all_objects.filter(programme__portfolio__in=portfolios).delete()
    Theme.all_objects.filter(programme__portfolio__in=portfolios).delete()
    Programme.all_objects.filter(portfolio__in=portfolios).delete()
    portfolios.delete()
    User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").delete()


def build_demo(
    *,
    size: str = "S",
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    password: str | None = None,
    scale: float = 1.0,
    log: Callable[[str], None] = print,
) -> DemoContext:
    """Build the demo organisation of `size` in one transaction and return what was made.

    Raises `DemoConflict` when demo accounts or project keys exist already.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    password = settings.SCHAKEL_DEMO_PASSWORD if password is None else password
    ctx = DemoContext(
        rng=random.Random(seed),
        today=today or timezone.localdate(),
        password_hash=make_password(password),
        log=log,
        seed=seed,
    )
    started = time.perf_counter()
    with transaction.atomic():
        if size == "S":
            build_small(ctx)
        elif size == "M":
            build_medium(ctx, scale=scale)
        else:
            build_large(ctx, scale=scale)
        for extension in extensions():
            extension.build(ctx, size=size, scale=scale)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, so the first pages do not run on the plans of empty tables
        # (autovacuum would get there, minutes later).
        with step(ctx, "database statistics (ANALYZE)"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.log(f"  {'total':<44} {time.perf_counter() - started:6.2f} s")
    return ctx


def logins() -> list[tuple[str, str]]:
    """List the persona logins with what each may do."""
    return [(username, text) for username, _, _, text in PERSONAS]
