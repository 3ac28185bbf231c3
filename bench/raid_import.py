"""Time the import of a 10,000-row RAID workbook: upload and review, then the commit.

Run against a database holding a demo (``schakel demo --size S|M|L``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m bench.raid_import
    python -m bench.raid_import --rows 2000 --runs 1 --profile   # plus a cProfile run

What is measured is what a user does on the import pages, through the service functions
the views call, in process (no HTTP):

1. **start** (the upload page's POST): ``project_for_user`` then ``imports.job_start``,
   which reads the workbook, stores it, guesses the mapping of every sheet and checks
   every row (the preview the review page shows);
2. **commit** (the review page's "Import" button): ``job_for_user``, ``project_for_user``
   and ``imports.job_commit``. A file of more than 500 rows is committed by the
   ``run_import`` task; here the task backend is django-tasks' ImmediateBackend, so the
   task runs in this process exactly as the worker would run it (``job_run``: every row
   checked again, then all written in one transaction).

The workbook is a RAID log with one sheet per register (risks, issues, assumptions,
dependencies, actions, decisions, plus an instructions sheet), headers as real PMO
templates write them (English and Dutch, see ../shared/samples/SOURCES.md), English and
Dutch text, owners that are members of the project (by name, username or e-mail),
dates as date cells and as text. It is generated from a seed, so every run imports the
same file; the generation is timed apart and is not part of the measure.

Each run imports into a scratch project made for it (a new project in a programme of the
user, the user its manager, a dozen colleagues of the programme as members) and removes
it afterwards with everything imported, the import job and every history row, so the
data set stays as it was. Then the error path runs once: the same workbook with ~1% bad
cells must be refused whole, with an error for every bad row, and nothing written.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import logging
import os
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import counting_queries, machine, setup_django, summary, write_json

TARGET_S = 10.0
ANCHOR = dt.date(2026, 1, 12)  # "today" of the generated log: dates fall around it
# Share of each register in the workbook; actions make up the rest.
SHARES = {"risk": 0.25, "issue": 0.12, "assumption": 0.06, "dependency": 0.04, "decision": 0.10}
ORDER = ("risk", "issue", "assumption", "dependency", "action", "decision")

# --------------------------------------------------------------------------- vocabulary
# English and Dutch fragments; a row is written in one language (60 % Dutch).

SUBJECTS = {
    "nl": [
        "de leverancier van het zaaksysteem",
        "de migratie van het ERP-systeem",
        "de Europese aanbesteding",
        "het datacenter in Zwolle",
        "de koppeling met DigiD",
        "de acceptatietestomgeving",
        "de conversie van het archief",
        "de licentieovereenkomst",
        "de gebruikersopleiding",
        "de DPIA voor het klantportaal",
        "de overgang naar de cloud",
        "het klantcontactcentrum",
        "de nieuwe roostermodule",
        "de aansluiting op het landelijk stelsel",
        "het programmateam",
        "de business case",
        "de netwerkvernieuwing op de locaties",
        "de inhuur van externe ontwikkelaars",
    ],
    "en": [
        "the case management vendor",
        "the ERP migration",
        "the public tender",
        "the data centre move",
        "the identity provider integration",
        "the user acceptance environment",
        "the archive conversion",
        "the licence agreement",
        "end-user training",
        "the privacy impact assessment",
        "the cloud transition",
        "the customer contact centre",
        "the new scheduling module",
        "the national register link",
        "the programme team",
        "the business case",
        "the site network refresh",
        "contractor onboarding",
    ],
}
EVENTS = {
    "nl": [
        "loopt vertraging op",
        "valt duurder uit dan begroot",
        "voldoet niet aan de eisen",
        "is niet op tijd beschikbaar",
        "verliest sleutelkennis door verloop",
        "haalt de kwaliteitsnorm niet",
        "krijgt te weinig draagvlak",
        "wordt door de ondernemingsraad aangehouden",
    ],
    "en": [
        "slips by several weeks",
        "costs more than budgeted",
        "does not meet the requirements",
        "is not available in time",
        "loses key people",
        "fails the quality gate",
        "lacks support from the business",
        "is held up by the works council",
    ],
}
EFFECTS = {
    "nl": [
        "schuift de livegang minstens een maand op",
        "wordt het projectbudget overschreden",
        "raakt de dienstverlening aan inwoners verstoord",
        "moeten de tests opnieuw worden uitgevoerd",
        "lopen we een boete uit het contract op",
        "komt de planning van de tweede tranche in gevaar",
    ],
    "en": [
        "go-live moves by at least a month",
        "the project budget is exceeded",
        "service to residents is disrupted",
        "testing has to be repeated",
        "we incur a contractual penalty",
        "the second release is at risk",
    ],
}
MEASURES = {
    "nl": [
        "Wekelijks voortgangsoverleg met de leverancier en escalatie via de stuurgroep.",
        "Extra testcapaciteit inhuren en een terugvalscenario voorbereiden.",
        "Kennisoverdracht vastleggen en een tweede specialist inwerken.",
        "Mijlpaalbetalingen koppelen aan opgeleverde functionaliteit.",
        "Vroegtijdig afstemmen met de OR en de privacy officer.",
    ],
    "en": [
        "Weekly progress call with the vendor; escalate through the steering committee.",
        "Hire extra test capacity and prepare a fallback scenario.",
        "Document knowledge transfer and onboard a second specialist.",
        "Tie milestone payments to delivered functionality.",
        "Engage the works council and the privacy officer early.",
    ],
}
ACTION_VERBS = {
    "nl": [
        "Plan overleg over",
        "Stuur een voorstel over",
        "Actualiseer de planning voor",
        "Vraag een offerte aan voor",
        "Stel een notitie op over",
        "Bespreek in de stuurgroep:",
        "Controleer de afspraken over",
        "Leg het besluit vast over",
    ],
    "en": [
        "Schedule a meeting on",
        "Send a proposal on",
        "Update the plan for",
        "Request a quote for",
        "Draft a memo on",
        "Raise at the steering committee:",
        "Check the agreements on",
        "Record the decision on",
    ],
}
DECISION_OPTIONS = {
    "nl": [
        "gefaseerde invoering per afdeling",
        "uitstel van de livegang naar het volgende kwartaal",
        "inkoop via de raamovereenkomst",
        "standaardpakket zonder maatwerk",
        "eigen beheer in plaats van uitbesteden",
    ],
    "en": [
        "a phased roll-out per department",
        "moving go-live to the next quarter",
        "buying through the framework agreement",
        "the standard package without customisation",
        "keeping operations in house",
    ],
}
REMARKS = ["Zie verslag stuurgroep", "Besproken in PMO-overleg", "See minutes", "Nieuw", None]
FORUMS = ["Stuurgroep", "Programmaraad", "Projectteam", "Steering committee", "Change board"]
MILESTONES = ["Go-live", "Acceptatie", "Oplevering fase 1", "Contract signed", "Pilot start"]

# Header rows of each sheet, in the words of the templates in SOURCES.md (RAID Log,
# PMO_RAID_Log), half English, half Dutch. "Remarks"-like columns hold no field.
HEADERS = {
    "risk": [
        "Risk ID", "Title", "Category", "Threat/Opportunity", "Risk Description",
        "Trigger / Cause", "Effect", "Probability", "Impact", "Risk Rating",
        "Residual probability", "Residual impact", "Proximity", "Response",
        "Mitigation Plan", "Owner", "Actionee", "Review Date", "Status", "Tags", "Remarks",
    ],
    "issue": [
        "Issue ID", "Title", "Issue Description", "Type", "Impact", "Priority", "Raised By",
        "Owner", "Date Raised", "Target Date", "Actual Res. Date", "Status", "Escalated to",
        "Resolution Action",
    ],
    "assumption": [
        "Nr", "Aanname", "Omschrijving", "Eigenaar", "Te valideren voor", "Gevalideerd op",
        "Status", "Gevolg indien onjuist", "Trefwoorden",
    ],
    "dependency": [
        "Dep. ID", "Title", "Dependency Description", "Direction", "Dependent On",
        "Our milestone", "Their milestone", "Owner", "Required By", "Status",
    ],
    "action": [
        "Nr", "Actie", "Toelichting", "Actiehouder", "Prioriteit", "Deadline", "Status",
        "Afgerond op", "Trefwoorden", "Opmerkingen",
    ],
    "decision": [
        "Nr", "Besluit", "Omschrijving", "Onderbouwing", "Overwogen opties", "Gevolgen",
        "Besloten door", "Gremium", "Besluit nodig voor", "Besluitdatum", "Status",
    ],
}  # fmt: skip
SHEET_NAMES = {
    "risk": "Risks",
    "issue": "Issues",
    "assumption": "Aannames",
    "dependency": "Dependencies",
    "action": "Actielijst",
    "decision": "Besluitenlijst",
}
# Spellings of risk fields, by opportunity (True) or threat (False); None leaves it empty.
NATURES: dict[bool, list[str | None]] = {
    True: ["Opportunity", "Kans"],
    False: ["Threat", "Dreiging", None],
}
RESPONSES: dict[bool, list[str | None]] = {
    True: ["Exploit", "Enhance", "Share", "Benutten"],
    False: ["Reduce", "Verminderen", "Avoid", "Accept", "Transfer", "Fallback", None],
}
PROXIMITIES: list[str | None] = [
    "Within a month",
    "Binnen een kwartaal",
    "Within a year",
    "Later",
    "Direct",
    None,
]
UNMAPPED = {"Remarks", "Opmerkingen"}  # columns no field takes (ignored on import)

# Bad cells of the error path: (register, header, value, the problem code expected).
BAD_CELLS = [
    ("risk", "Owner", "Onbekende Collega", "unknown_person"),
    ("risk", "Probability", 9, "out_of_scale"),
    ("risk", "Review Date", "volgende week", "invalid_date"),
    ("risk", "Category", "Weersomstandigheden", "unknown_category"),
    ("issue", "Target Date", "eind Q3", "invalid_date"),
    ("issue", "Priority", "Superurgent", "invalid_choice"),
    ("assumption", "Te valideren voor", "31-02-2026", "invalid_date"),
    ("dependency", "Dependent On", "ZZQ9 Onbekend project", "unknown_project"),
    ("action", "Actiehouder", "j.jansen@elders.example", "unknown_person"),
    ("action", "Deadline", "z.s.m.", "invalid_date"),
    ("action", "Status", "Misschien", "invalid_choice"),
    ("decision", "Besluitdatum", "vorige week", "invalid_date"),
]


@dataclass
class Vocabulary:
    """What the rows may name in the target database: people, projects, categories, tags."""

    people: list[list[str]]  # per person: the ways to write them that name only them
    projects: list[str]  # other projects, as a key or "KEY – name"
    categories: list[str]  # risk categories, English and Dutch names
    tags: list[str]


@dataclass
class Sheet:
    kind: str
    name: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


# --------------------------------------------------------------------------- generation


class RowMaker:
    """Make realistic RAID rows, all from one seeded random generator."""

    def __init__(self, rng: random.Random, vocabulary: Vocabulary) -> None:
        self.rng = rng
        self.v = vocabulary
        # A few people own most items, as in any real log.
        self.weights = [1 / (rank + 1) for rank in range(len(vocabulary.people))]

    def lang(self) -> str:
        return "nl" if self.rng.random() < 0.6 else "en"

    def person(self) -> str:
        forms = self.rng.choices(self.v.people, weights=self.weights)[0]
        # Full name most often, then username, then e-mail (as far as each is unique).
        roll = self.rng.random()
        if roll < 0.6 or len(forms) == 1:
            return forms[0]
        return forms[min(len(forms) - 1, 2 if roll > 0.85 else 1)]

    def date(self, low: int, high: int) -> dt.date:
        return ANCHOR + dt.timedelta(days=self.rng.randint(low, high))

    def date_cell(self, day: dt.date) -> Any:
        """A date cell (mostly), or the date as text as templates keep it."""
        roll = self.rng.random()
        if roll < 0.7:
            return day
        if roll < 0.82:
            return day.strftime("%d-%m-%Y")
        if roll < 0.92:
            return day.isoformat()
        return day.strftime("%d/%m/%y")

    def tags(self) -> str | None:
        if not self.v.tags or self.rng.random() > 0.3:
            return None
        return ", ".join(
            self.rng.sample(self.v.tags, self.rng.randint(1, min(3, len(self.v.tags))))
        )

    def sentence(self, lang: str) -> tuple[str, str, str]:
        subject = self.rng.choice(SUBJECTS[lang])
        return subject, self.rng.choice(EVENTS[lang]), self.rng.choice(EFFECTS[lang])

    def risk(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        subject, event, effect = self.sentence(lang)
        opportunity = rng.random() < 0.1
        p, i = rng.randint(1, 5), rng.randint(1, 5)
        if_then = ("Als {s} {e}, dan {f}." if lang == "nl" else "If {s} {e}, then {f}.").format(
            s=subject, e=event, f=effect
        )
        row: dict[str, Any] = {
            "Risk ID": f"RSK-{n:04d}",
            "Title": f"{subject[0].upper()}{subject[1:]} {event}",
            "Category": rng.choice(self.v.categories) if rng.random() < 0.85 else None,
            "Threat/Opportunity": rng.choice(NATURES[opportunity]),
            "Risk Description": if_then,
            "Trigger / Cause": f"{subject[0].upper()}{subject[1:]} {event}."
            if rng.random() < 0.7
            else None,
            "Effect": effect[0].upper() + effect[1:] + "." if rng.random() < 0.6 else None,
            "Probability": self.level(p, "probability"),
            "Impact": self.level(i, "impact"),
            "Risk Rating": p * i,
            "Proximity": rng.choice(PROXIMITIES),
            "Response": rng.choice(RESPONSES[opportunity]),
            "Mitigation Plan": rng.choice(MEASURES[lang]),
            "Owner": self.person(),
            "Actionee": self.person() if rng.random() < 0.5 else None,
            "Review Date": self.date_cell(self.date(-60, 120)),
            "Status": rng.choices(
                ["Open", "Actief", "Closed", "Gesloten", "Occurred"], [50, 20, 15, 10, 5]
            )[0],
            "Tags": self.tags(),
            "Remarks": rng.choice(REMARKS),
        }
        if rng.random() < 0.4:  # residual score after measures: both or neither
            row["Residual probability"] = rng.randint(1, p)
            row["Residual impact"] = rng.randint(1, i)
        return row

    def level(self, value: int, axis: str) -> Any:
        """A scale value as templates write it: a number, a word, a fraction, "3 – Medium"."""
        roll = self.rng.random()
        if roll < 0.6:
            return value
        words = {
            "probability": ["Very low", "Low", "Medium", "High", "Very high"],
            "impact": ["Minimal", "Minor", "Moderate", "Major", "Severe"],
        }[axis]
        dutch = {
            "probability": ["Zeer klein", "Klein", "Gemiddeld", "Groot", "Zeer groot"],
            "impact": ["Minimaal", "Gering", "Matig", "Groot", "Ernstig"],
        }[axis]
        if roll < 0.75:
            return words[value - 1]
        if roll < 0.85:
            return dutch[value - 1]
        if roll < 0.93 and axis == "probability":
            return [0.1, 0.3, 0.5, 0.7, 0.9][value - 1]  # Red Hat's fractions
        return f"{value} – {words[value - 1]}"

    def issue(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        subject, event, effect = self.sentence(lang)
        status = rng.choices(
            ["Open", "Nieuw", "In progress", "In behandeling", "Escalated", "Resolved", "Gesloten"],
            [20, 10, 20, 15, 5, 15, 15],
        )[0]
        raised = self.date(-300, 0)
        done = status in ("Resolved", "Gesloten")
        return {
            "Issue ID": f"ISS-{n:04d}",
            "Title": f"{subject[0].upper()}{subject[1:]} {event}",
            "Issue Description": (
                f"Gemeld in het teamoverleg: {subject} {event}; hierdoor {effect}."
                if lang == "nl"
                else f"Reported at the team meeting: {subject} {event}, so {effect}."
            ),
            "Type": rng.choice(["Problem", "Probleem", "Change request", "RFC", "Off-spec"]),
            "Impact": rng.choice(["Low", "Medium", "High", "Very high", "Gering", "Groot", None]),
            "Priority": rng.choice(["Low", "Medium", "High", "Critical", "Hoog", "Normaal"]),
            "Raised By": self.person(),
            "Owner": self.person(),
            "Date Raised": self.date_cell(raised),
            "Target Date": self.date_cell(raised + dt.timedelta(days=rng.randint(7, 90))),
            "Actual Res. Date": self.date_cell(raised + dt.timedelta(days=rng.randint(1, 60)))
            if done and rng.random() < 0.7
            else None,
            "Status": status,
            "Escalated to": self.person() if status == "Escalated" else None,
            "Resolution Action": rng.choice(MEASURES[lang]) if rng.random() < 0.6 else None,
        }

    def assumption(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        subject = rng.choice(SUBJECTS[lang])
        status = rng.choice(["Niet gevalideerd", "Open", "Geldig", "Bevestigd", "Ongeldig"])
        checked = status in ("Geldig", "Bevestigd", "Ongeldig")
        title = (
            f"{subject[0].upper()}{subject[1:]} blijft binnen de afgesproken kaders"
            if lang == "nl"
            else f"{subject[0].upper()}{subject[1:]} stays within the agreed terms"
        )
        return {
            "Nr": f"A{n:03d}",
            "Aanname": title,
            "Omschrijving": rng.choice(MEASURES[lang]) if rng.random() < 0.5 else None,
            "Eigenaar": self.person(),
            "Te valideren voor": self.date_cell(self.date(-30, 180)),
            "Gevalideerd op": self.date_cell(self.date(-120, 0)) if checked else None,
            "Status": status,
            "Gevolg indien onjuist": rng.choice(EFFECTS[lang]).capitalize(),
            "Trefwoorden": self.tags(),
        }

    def dependency(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        subject = rng.choice(SUBJECTS[lang])
        return {
            "Dep. ID": f"DEP-{n:03d}",
            "Title": (f"Oplevering van {subject}" if lang == "nl" else f"Delivery of {subject}"),
            "Dependency Description": rng.choice(EFFECTS[lang]).capitalize() + ".",
            "Direction": rng.choice(["Inbound", "Outbound", "Inkomend", "Uitgaand"]),
            "Dependent On": rng.choice(self.v.projects),
            "Our milestone": rng.choice(MILESTONES),
            "Their milestone": rng.choice(MILESTONES) if rng.random() < 0.6 else None,
            "Owner": self.person(),
            "Required By": self.date_cell(self.date(-30, 240)),
            "Status": rng.choice(["Open", "At risk", "In gevaar", "Delivered", "Closed"]),
        }

    def action(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        subject = rng.choice(SUBJECTS[lang])
        status = rng.choices(
            ["Open", "To do", "In behandeling", "Gereed", "Afgerond", "Geannuleerd"],
            [30, 10, 20, 20, 15, 5],
        )[0]
        due = self.date(-120, 90)
        return {
            "Nr": n,
            "Actie": f"{rng.choice(ACTION_VERBS[lang])} {subject}",
            "Toelichting": rng.choice(MEASURES[lang]) if rng.random() < 0.4 else None,
            "Actiehouder": self.person(),
            "Prioriteit": rng.choice(["Laag", "Normaal", "Hoog", "Urgent", "Medium", None]),
            "Deadline": self.date_cell(due),
            "Status": status,
            "Afgerond op": self.date_cell(due - dt.timedelta(days=rng.randint(0, 10)))
            if status in ("Gereed", "Afgerond")
            else None,
            "Trefwoorden": self.tags(),
            "Opmerkingen": rng.choice(REMARKS),
        }

    def decision(self, n: int) -> dict[str, Any]:
        rng, lang = self.rng, self.lang()
        option, other = rng.sample(DECISION_OPTIONS[lang], 2)
        status = rng.choice(["Voorgesteld", "Goedgekeurd", "Besloten", "Afgewezen", "Uitgesteld"])
        decided = status in ("Goedgekeurd", "Besloten", "Afgewezen")
        return {
            "Nr": f"B{n:03d}",
            "Besluit": (f"Keuze voor {option}" if lang == "nl" else f"Go with {option}"),
            "Omschrijving": rng.choice(MEASURES[lang]) if rng.random() < 0.5 else None,
            "Onderbouwing": (
                f"Beperkt het risico dat {rng.choice(EFFECTS[lang])}."
                if lang == "nl"
                else f"Limits the risk that {rng.choice(EFFECTS[lang])}."
            ),
            "Overwogen opties": f"{option}; {other}",
            "Gevolgen": rng.choice(EFFECTS[lang]).capitalize() if rng.random() < 0.5 else None,
            "Besloten door": self.person() if decided and rng.random() < 0.7 else None,
            "Gremium": rng.choice(FORUMS) if decided or rng.random() < 0.3 else None,
            "Besluit nodig voor": self.date_cell(self.date(-90, 90)),
            "Besluitdatum": self.date_cell(self.date(-90, 0)) if decided else None,
            "Status": status,
        }


def counts(rows: int) -> dict[str, int]:
    """How many rows each register gets out of `rows` (actions take the rest)."""
    out = {kind: round(rows * share) for kind, share in SHARES.items()}
    out["action"] = rows - sum(out.values())
    return {kind: out[kind] for kind in ORDER}


def make_sheets(rows: int, seed: int, vocabulary: Vocabulary) -> list[Sheet]:
    """The workbook's data: one sheet per register, `rows` rows in all."""
    maker = RowMaker(random.Random(seed), vocabulary)
    sheets = []
    for kind, count in counts(rows).items():
        sheet = Sheet(kind=kind, name=SHEET_NAMES[kind], headers=HEADERS[kind])
        make = getattr(maker, kind)
        for n in range(1, count + 1):
            values = make(n)
            sheet.rows.append([values.get(header) for header in sheet.headers])
        sheets.append(sheet)
    return sheets


def spoil(sheets: list[Sheet], rate: float, seed: int) -> tuple[list[Sheet], list[tuple]]:
    """A copy of the sheets with about `rate` of the rows given one bad cell each.

    Returns the copy and the bad cells as (sheet index, data row index, header, code).
    """
    rng = random.Random(seed + 1)
    copies = [Sheet(s.kind, s.name, s.headers, [list(row) for row in s.rows]) for s in sheets]
    total = sum(len(s.rows) for s in copies)
    places = [(i, r) for i, sheet in enumerate(copies) for r in range(len(sheet.rows))]
    bad: list[tuple] = []
    for index, row in sorted(rng.sample(places, max(1, round(total * rate)))):
        sheet = copies[index]
        options = [cell for cell in BAD_CELLS if cell[0] == sheet.kind]
        _kind, header, value, code = rng.choice(options)
        sheet.rows[row][sheet.headers.index(header)] = value
        bad.append((index, row, header, code))
    return copies, bad


def workbook_bytes(sheets: Sequence[Sheet], project_name: str) -> bytes:
    """The .xlsx file: a title block above the risks (as templates have), bold headers."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        if sheet.kind == "risk":
            worksheet.append([f"RAID log – {project_name}"])
            worksheet.append(["Versie", "2.3", "Laatst bijgewerkt", ANCHOR])
            worksheet.append([])
        worksheet.append(sheet.headers)
        for cell in worksheet[worksheet.max_row]:
            cell.font = bold
        worksheet.freeze_panes = f"A{worksheet.max_row + 1}"
        for row in sheet.rows:
            worksheet.append(row)
    notes = workbook.create_sheet("Toelichting")
    for line in (
        ["Hoe dit werkboek te gebruiken"],
        ["Eén tabblad per register; kolommen niet hernoemen."],
        ["Kans en impact op een schaal van 1 tot 5."],
    ):
        notes.append(line)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --------------------------------------------------------------------------- the database


def find_user(username: str) -> Any:
    from schakel.accounts.models import User

    return User.objects.get(username=username)


def pick_programme(user: Any, wanted: str) -> Any:
    """The programme to add the scratch project to: given, else one the user manages."""
    from schakel.accounts.models import Membership, Role
    from schakel.portfolio.models import Programme

    programmes = Programme.objects.filter(portfolio__deleted_at__isnull=True).order_by("pk")
    if wanted:
        found = (
            programmes.filter(key__iexact=wanted).first()
            or programmes.filter(name__iexact=wanted).first()
        )
        if found is None:
            raise SystemExit(f"no programme with key or name {wanted!r}")
        return found
    strong = Membership.objects.filter(user=user, role__in=[Role.MANAGER, Role.PMO])
    for membership in strong.order_by("pk"):
        if membership.programme_id:
            return programmes.get(pk=membership.programme_id)
        if membership.portfolio_id:
            found = programmes.filter(portfolio_id=membership.portfolio_id).first()
            if found:
                return found
        if membership.project_id:
            return programmes.get(projects__pk=membership.project_id)
    if user.is_superuser and programmes.exists():
        return programmes.first()
    raise SystemExit(f"{user.username} manages no programme; pass --programme")


def free_key() -> str:
    from schakel.portfolio.models import Programme, Project

    for n in range(1, 1000):
        key = f"RAIDB{n}"
        if not (
            Project.all_objects.filter(key=key).exists()
            or Programme.all_objects.filter(key=key).exists()
        ):
            return key
    raise RuntimeError("no free project key RAIDB1..RAIDB999")


def create_scratch(user: Any, programme: Any, seed: int) -> Any:
    """A new project in `programme` managed by `user`, with colleagues of the programme."""
    from schakel.accounts.models import Membership, Role, User
    from schakel.portfolio import services as portfolio_services

    project = portfolio_services.project_create(
        programme=programme,
        key=free_key(),
        name="Benchmark: RAID-import (wordt verwijderd)",
        by=user,
        manager=user,
        start_date=ANCHOR - dt.timedelta(days=180),
        end_date=ANCHOR + dt.timedelta(days=365),
    )
    colleagues = (
        Membership.objects.filter(project__programme=programme, project__deleted_at__isnull=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
    pool = list(
        User.objects.filter(pk__in=colleagues, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(pool) < 12:  # a small programme: people of the portfolio too
        more = Membership.objects.filter(
            project__programme__portfolio_id=programme.portfolio_id
        ).values_list("user_id", flat=True)
        others = User.objects.filter(pk__in=more, is_active=True).exclude(pk__in=[*pool, user.pk])
        pool += list(others.order_by("pk").values_list("pk", flat=True))
    chosen = sorted(random.Random(seed).sample(pool, min(14, len(pool))))
    for person in User.objects.filter(pk__in=chosen).order_by("pk"):
        portfolio_services.membership_create(scope=project, user=person, role=Role.MEMBER, by=user)
    return project


def vocabulary_for(user: Any, project: Any) -> Vocabulary:
    """Names the importer will resolve in this project: members, other projects, categories."""
    from schakel.accounts.models import Membership
    from schakel.portfolio import access as portfolio_access
    from schakel.portfolio.models import Tag
    from schakel.registers import imports
    from schakel.registers.models import RiskCategory

    index = imports.Resolver(user, project).people()

    def unique(text: str) -> bool:
        found = index.get(text.casefold()) or index.get(imports._fold_words(text)) or []
        return bool(found) and len({p.pk for p in found}) == 1

    team = [m.user for m in Membership.objects.filter(project=project).select_related("user")]
    team.sort(key=lambda person: (person != user, person.pk))
    people = []
    for person in team:
        forms = [
            f for f in (person.get_full_name(), person.username, person.email) if f and unique(f)
        ]
        if forms:
            people.append(forms)
    others = portfolio_access.visible_projects(user).exclude(pk=project.pk).order_by("key")[:40]
    projects = []
    for n, other in enumerate(others):
        projects.append(other.key if n % 3 else f"{other.key} – {other.name}")
    categories = []
    for category in RiskCategory.objects.filter(active=True).order_by("position", "pk"):
        categories += [category.name_en, category.name_nl]
    tags = sorted(Tag.objects.values_list("name", flat=True))[:30]
    if len(tags) < 8:
        tags = ["leverancier", "budget", "planning", "privacy", "security", "migratie"]
    return Vocabulary(people=people, projects=projects, categories=categories, tags=tags)


def remove_scratch(
    project_pk: int, tags_before: set[int], vocabulary: Vocabulary, gone: dict[Any, list[int]]
) -> dict:
    """Hard-delete the scratch project, everything imported into it and all their history.

    `gone` collects, per historical tag model, the history ids whose tag rows were deleted,
    for `leftovers` to check.
    """
    from django.db import transaction

    from schakel.accounts.models import Membership
    from schakel.portfolio.models import Project, Tag
    from schakel.registers.models import REGISTER_MODELS
    from schakel.registers.models_import import ImportJob

    removed: Counter[str] = Counter()
    with transaction.atomic():
        for model in REGISTER_MODELS:
            count, _ = model.all_objects.filter(project_id=project_pk).delete()
            removed[model.KIND] += count
        removed["import jobs"], _ = ImportJob.objects.filter(project_id=project_pk).delete()
        Project.all_objects.filter(pk=project_pk).delete()
        # The deletes above wrote history rows of their own ("-"): remove them all now.
        histories: list[Any] = [
            model.history.filter(project_id=project_pk)  # type: ignore[attr-defined]
            for model in REGISTER_MODELS
        ]
        histories += [
            Project.history.filter(id=project_pk),
            Membership.history.filter(project_id=project_pk),
        ]
        for history in histories:
            removed["tag history"] += _delete_m2m_history(history, gone)
            removed["history"] += history.delete()[0]
        names = {name.casefold() for name in vocabulary.tags}
        for tag in Tag.objects.exclude(pk__in=tags_before):
            if tag.name.casefold() in names and not _tag_in_use(tag):
                tag.delete()
                removed["tags"] += 1
    return dict(removed)


def _delete_m2m_history(history: Any, gone: dict[Any, list[int]]) -> int:
    """Delete the historical m2m rows (tags) of these history rows.

    simple-history links them with DO_NOTHING and no database constraint, so deleting the
    history rows leaves them behind unless they go first.
    """
    count = 0
    for relation in history.model._meta.related_objects:
        if relation.one_to_many and relation.field.name == "history":
            ids = list(history.values_list("pk", flat=True))
            gone.setdefault(relation.related_model, []).extend(ids)
            count += relation.related_model.objects.filter(history_id__in=ids).delete()[0]
    return count


def _tag_in_use(tag: Any) -> bool:
    for relation in tag._meta.related_objects:
        if relation.many_to_many and getattr(tag, relation.get_accessor_name()).exists():
            return True
    return False


def leftovers(project_pk: int, gone: dict[Any, list[int]]) -> list[str]:
    """What is still in the database of the scratch project (nothing, we hope)."""
    from schakel.accounts.models import Membership
    from schakel.portfolio.models import Project
    from schakel.registers.models import REGISTER_MODELS
    from schakel.registers.models_import import ImportJob

    found = []
    checks: list[tuple[str, Any]] = [
        ("project", Project.all_objects.filter(pk=project_pk)),
        ("project history", Project.history.filter(id=project_pk)),
        ("memberships", Membership.objects.filter(project_id=project_pk)),
        ("membership history", Membership.history.filter(project_id=project_pk)),
        ("import jobs", ImportJob.objects.filter(project_id=project_pk)),
    ]
    for model in REGISTER_MODELS:
        checks.append((model.KIND, model.all_objects.filter(project_id=project_pk)))
        history = model.history  # type: ignore[attr-defined]
        checks.append((f"{model.KIND} history", history.filter(project_id=project_pk)))
    for m2m_history, ids in gone.items():
        checks.append((m2m_history.__name__, m2m_history.objects.filter(history_id__in=ids)))
    for name, queryset in checks:
        count = queryset.count()
        if count:
            found.append(f"{count} {name}")
    return found


def items_in(project_pk: int) -> int:
    from schakel.registers.models import REGISTER_MODELS

    return sum(m.all_objects.filter(project_id=project_pk).count() for m in REGISTER_MODELS)


# --------------------------------------------------------------------------- measuring


@dataclass
class Phase:
    """Seconds and SQL statements of one step, with a breakdown by inner function."""

    seconds: float = 0.0
    queries: int = 0
    # name → [seconds, queries, calls]; a part may hold another (build_plan loads the cells)
    parts: dict[str, list[float]] = field(default_factory=dict)
    tables: Counter[str] = field(default_factory=Counter)
    # Time spent executing SQL (sent, run by the server, results fetched); the rest is Python.
    sql_seconds: float = 0.0


SQL_TABLE = re.compile(r'^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*?(?:FROM\s+)?"(\w+)"', re.S)


def _kind_of(sql: str) -> str:
    match = SQL_TABLE.match(sql)
    if not match:
        return sql.split(None, 1)[0].upper() if sql.strip() else "?"
    verb = match.group(1).split()[0]
    if verb == "SELECT":
        found = re.search(r'\bFROM\s+"(\w+)"', sql)
        # Django's check of a conditional constraint selects no table ("SELECT 1 WHERE …").
        return f"SELECT {found.group(1) if found else '(no table)'}"
    return f"{verb} {match.group(2)}"


@contextlib.contextmanager
def measured(phase: Phase, inner: Sequence[str]) -> Iterator[None]:
    """Time the block and count its SQL; time each of `inner` (functions of `imports`)."""
    from django.db import connection

    from schakel.registers import imports

    originals = {name: getattr(imports, name) for name in inner}
    waited: list[float] = []

    def sql_clock(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited.append(time.perf_counter() - began)

    with counting_queries() as statements, connection.execute_wrapper(sql_clock):

        def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                began, before = time.perf_counter(), len(statements)
                try:
                    return function(*args, **kwargs)
                finally:
                    part = phase.parts.setdefault(name, [0.0, 0, 0])
                    part[0] += time.perf_counter() - began
                    part[1] += len(statements) - before
                    part[2] += 1

            return wrapper

        for name, function in originals.items():
            setattr(imports, name, timed(name, function))
        started = time.perf_counter()
        try:
            yield
        finally:
            phase.seconds = time.perf_counter() - started
            for name, function in originals.items():
                setattr(imports, name, function)
            phase.queries = len(statements)
            phase.tables = Counter(_kind_of(sql) for sql in statements)
            phase.sql_seconds = sum(waited)


# Parsing the workbook, loading the cells kept from the upload, checking, writing.
INNER = ("_read_tables", "_load_tables", "build_plan", "_write")


def start_job(user_pk: int, project_pk: int, data: bytes, phase: Phase) -> Any:
    """The upload page's POST: access check, then read, store, map and check every row."""
    from schakel.portfolio import access as portfolio_access
    from schakel.registers import access, imports

    user = find_user_by_pk(user_pk)  # a request loads its user afresh
    with measured(phase, INNER):
        project = portfolio_access.project_for_user(user, project_pk, need=access.CONTRIBUTE)
        job = imports.job_start(
            user=user, project=project, kind="raid", data=data, filename="RAID-log.xlsx"
        )
    return job


def commit_job(user_pk: int, job_pk: int, phase: Phase) -> Any:
    """The review page's "Import" button: access checks, then the all-or-nothing commit."""
    from schakel.portfolio import access as portfolio_access
    from schakel.registers import access, imports

    user = find_user_by_pk(user_pk)
    with measured(phase, INNER):
        job = imports.job_for_user(user, job_pk)
        job.project = portfolio_access.project_for_user(
            user, job.project_id, need=access.CONTRIBUTE
        )
        job = imports.job_commit(job)
    return job


def find_user_by_pk(pk: int) -> Any:
    from schakel.accounts.models import User

    return User.objects.get(pk=pk)


def problems_text(job: Any) -> list[str]:
    from schakel.registers import imports

    kinds = [m.get("kind") for m in job.sheet_mappings()]
    out = []
    for problem in job.preview.get("problems", []):
        kind = kinds[problem["sheet"]] if problem["sheet"] < len(kinds) else None
        sheet = job.sheets[problem["sheet"]]["name"]
        message = imports.problem_message(problem, kind)
        out.append(f"{sheet} row {problem['row']} {problem['column']}: {message}")
    return out


def unmapped_headers(job: Any) -> list[str]:
    """Headers of register sheets that no field took (expected: the remarks columns)."""
    out = []
    for description, mapping in zip(job.sheets, job.sheet_mappings(), strict=False):
        if not mapping.get("kind"):
            continue
        for header, key in zip(description["headers"], mapping["columns"], strict=False):
            if not key and header not in UNMAPPED:
                out.append(f"{description['name']}: {header}")
    return out


@dataclass
class Context:
    user: Any
    programme: Any
    seed: int
    media: str


def one_import(context: Context, rows: int, *, profile: cProfile.Profile | None = None) -> dict:
    """Import `rows` rows into a fresh scratch project and remove it; the figures."""
    from django.test import override_settings

    from schakel.portfolio.models import Tag

    tags_before = set(Tag.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    project = create_scratch(context.user, context.programme, context.seed)
    setup_s = time.perf_counter() - started
    vocabulary = vocabulary_for(context.user, project)
    result: dict[str, Any] = {}
    try:
        began = time.perf_counter()
        sheets = make_sheets(rows, context.seed, vocabulary)
        data = workbook_bytes(sheets, project.name)
        generate_s = time.perf_counter() - began
        start, commit = Phase(), Phase()
        with override_settings(MEDIA_ROOT=context.media):
            if profile:
                profile.enable()
            job = start_job(context.user.pk, project.pk, data, start)
            problems = problems_text(job)
            if problems:
                raise RuntimeError("the workbook has errors:\n  " + "\n  ".join(problems[:20]))
            job = commit_job(context.user.pk, job.pk, commit)
            if profile:
                profile.disable()
        if job.status != "done":
            raise RuntimeError(f"the import did not finish: {job.status} {job.error}")
        written = items_in(project.pk)
        if written != rows:
            raise RuntimeError(f"{written} items written, {rows} expected")
        result = {
            "setup_s": setup_s,
            "generate_s": generate_s,
            "workbook_bytes": len(data),
            "people": len(vocabulary.people),
            "start": start,
            "commit": commit,
            "created": job.result.get("created", {}),
            "unmapped": unmapped_headers(job),
            "sheets": [(s["name"], s["header_row"], s["rows"]) for s in job.sheets],
        }
    finally:
        began = time.perf_counter()
        gone: dict[Any, list[int]] = {}
        removed = remove_scratch(project.pk, tags_before, vocabulary, gone)
        result["cleanup_s"] = time.perf_counter() - began
        result["removed"] = removed
        left = leftovers(project.pk, gone)
        if left:
            raise RuntimeError(f"the scratch project {project.key} left: {', '.join(left)}")
    return result


def error_path(context: Context, rows: int, rate: float) -> dict:
    """The same workbook with ~`rate` bad rows: refused whole, every bad row reported."""
    from django.core.exceptions import ValidationError
    from django.test import override_settings

    from schakel.portfolio.models import Tag

    tags_before = set(Tag.objects.values_list("pk", flat=True))
    project = create_scratch(context.user, context.programme, context.seed)
    vocabulary = vocabulary_for(context.user, project)
    try:
        began = time.perf_counter()
        sheets, bad = spoil(make_sheets(rows, context.seed, vocabulary), rate, context.seed)
        data = workbook_bytes(sheets, project.name)
        generate_s = time.perf_counter() - began
        start, commit, report = Phase(), Phase(), Phase()
        with override_settings(MEDIA_ROOT=context.media):
            job = start_job(context.user.pk, project.pk, data, start)
            # The review page with "show all errors": one line per problem.
            with measured(report, ()):
                lines = problems_text(job)
            refused = ""
            try:
                commit_job(context.user.pk, job.pk, commit)
            except ValidationError as error:
                refused = " ".join(error.messages)
        job.refresh_from_db()
        preview = job.preview
        reported: dict[tuple[int, int], set[str]] = {}
        for problem in preview.get("problems", []):
            reported.setdefault((problem["sheet"], problem["row"]), set()).add(problem["code"])
        missing = []
        for sheet, row, header, code in bad:
            number = job.sheets[sheet]["header_row"] + 1 + row
            if code not in reported.get((sheet, number), set()):
                found = sorted(reported.get((sheet, number), set()))
                missing.append(f"{sheets[sheet].name} row {number} {header}: {code}, got {found}")
        written = items_in(project.pk)
        checks = {
            "refused": bool(refused),
            "nothing_written": written == 0,
            "job_not_done": job.status != "done",
            "every_bad_row_reported": not missing,
            "only_bad_rows_reported": preview.get("error_rows") == len(bad),
        }
        if not all(checks.values()):
            raise RuntimeError(f"error path: {checks}; missing {missing[:10]}")
        return {
            "rows": rows,
            "bad_rows": len(bad),
            "problems": preview.get("problem_count"),
            "error_rows": preview.get("error_rows"),
            "generate_s": generate_s,
            "start": start,
            "report": report,
            "commit_refused": commit,
            "message": refused,
            "first_lines": lines[:3],
            "checks": checks,
            "codes": dict(Counter(code for *_, code in bad)),
        }
    finally:
        gone: dict[Any, list[int]] = {}
        remove_scratch(project.pk, tags_before, vocabulary, gone)
        left = leftovers(project.pk, gone)
        if left:
            raise RuntimeError(f"the scratch project {project.key} left: {', '.join(left)}")


def print_profile(profile: cProfile.Profile, top: int) -> list[str]:
    """The functions that cost most (own time and with callees), as file:line lines."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    for order in ("tottime", "cumulative"):
        out.write(f"\n--- profile, top {top} by {order} ---\n")
        stats.sort_stats(order).print_stats(top)
    text = out.getvalue().replace(str(Path(sys.prefix)), "<venv>")
    text = text.replace(str(Path(__file__).resolve().parent.parent), ".")
    print(text)
    return text.splitlines()


# --------------------------------------------------------------------------- report


def phase_dict(phases: Sequence[Phase]) -> dict[str, Any]:
    parts = sorted({name for phase in phases for name in phase.parts})
    return {
        **summary([p.seconds for p in phases]),
        "queries": [p.queries for p in phases],
        "parts": {
            name: {
                "median_ms": round(
                    statistics.median(p.parts.get(name, [0.0, 0])[0] for p in phases) * 1000, 1
                ),
                "queries": phases[-1].parts.get(name, [0.0, 0, 0])[1],
                "calls": phases[-1].parts.get(name, [0.0, 0, 0])[2],
            }
            for name in parts
        },
        "sql_s_median": round(statistics.median(p.sql_seconds for p in phases), 2),
        "statements": dict(phases[-1].tables.most_common(12)),
    }


def round_trip_s(count: int = 2000) -> float:
    """Median seconds of a trivial query through Django: the floor under every statement."""
    from django.db import connection

    seconds = []
    with connection.cursor() as cursor:
        for _ in range(count):
            began = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            seconds.append(time.perf_counter() - began)
    return statistics.median(seconds)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from schakel.registers import imports

    load_before = [round(v, 2) for v in os.getloadavg()]
    trip = round_trip_s()
    user = find_user(args.user)
    programme = pick_programme(user, args.programme)
    media = tempfile.mkdtemp(prefix="raid-import-")
    context = Context(user=user, programme=programme, seed=args.seed, media=media)
    database = f"{connection.vendor} {connection.settings_dict.get('NAME')}"
    print(
        f"RAID workbook import, {args.rows:,} rows, as {user.username!r} into a scratch project "
        f"of {programme.name!r} ({database}); background commit above "
        f"{imports.BACKGROUND_ROWS} rows runs in process (ImmediateBackend)",
        flush=True,
    )
    try:
        if args.warmup:
            one_import(context, min(args.rows, 120))  # load code, translations and caches
        results = []
        print(
            f"{'run':>3} {'start s':>8} {'queries':>8} {'commit s':>9} {'queries':>8} "
            f"{'total s':>8} {'cleanup s':>9}",
            flush=True,
        )
        for number in range(1, args.runs + 1):
            result = one_import(context, args.rows)
            results.append(result)
            start, commit = result["start"], result["commit"]
            print(
                f"{number:>3} {start.seconds:>8.2f} {start.queries:>8,} {commit.seconds:>9.2f} "
                f"{commit.queries:>8,} {start.seconds + commit.seconds:>8.2f} "
                f"{result['cleanup_s']:>9.2f}",
                flush=True,
            )
        first = results[0]
        starts = [r["start"] for r in results]
        commits = [r["commit"] for r in results]
        totals = [s.seconds + c.seconds for s, c in zip(starts, commits, strict=True)]
        print(
            f"workbook: {first['workbook_bytes'] / 1024 / 1024:.1f} MB, sheets (name, header "
            f"row, rows) {first['sheets']}; generated in {first['generate_s']:.2f} s "
            f"(not measured); {first['people']} people named as owners",
        )
        if first["unmapped"]:
            print(f"NOTE: headers no field took: {first['unmapped']}")
        for label, phases in (("start", starts), ("commit", commits)):
            detail = ", ".join(
                f"{name} ×{phases[-1].parts[name][2]:.0f} "
                f"{statistics.median(p.parts[name][0] for p in phases):.2f} s"
                f" / {phases[-1].parts[name][1]:,.0f} q"
                for name in INNER
                if name in phases[-1].parts
            )
            print(
                f"{label:<6} median {statistics.median(p.seconds for p in phases):6.2f} s, "
                f"slowest {max(p.seconds for p in phases):6.2f} s, {phases[-1].queries:,} "
                f"queries ({phases[-1].queries / args.rows:.1f} per row), executing SQL "
                f"{statistics.median(p.sql_seconds for p in phases):.2f} s; inside: {detail}"
            )
        print(
            f"total  median {statistics.median(totals):6.2f} s, slowest {max(totals):6.2f} s "
            f"(target: well under {TARGET_S:.0f} s)"
        )
        print("commit SQL, most frequent:", dict(commits[-1].tables.most_common(10)))
        print(
            f"round trip of SELECT 1: {trip * 1e6:.0f} µs, so the commit's "
            f"{commits[-1].queries:,} statements cost at least "
            f"{commits[-1].queries * trip:.1f} s in round trips alone"
        )
        print(f"load average before {load_before}, now {[round(v, 2) for v in os.getloadavg()]}")

        errors = error_path(context, args.rows, args.bad_rate)
        print(
            f"error path: {errors['bad_rows']} bad rows of {args.rows:,} → {errors['problems']} "
            f"problems on {errors['error_rows']} rows; start {errors['start'].seconds:.2f} s "
            f"({errors['start'].queries:,} q), error report {errors['report'].seconds:.2f} s, "
            f"commit refused in {errors['commit_refused'].seconds * 1000:.0f} ms "
            f"({errors['commit_refused'].queries} q): “{errors['message']}”; nothing written"
        )
        profile_lines: list[str] = []
        if args.profile:
            profile = cProfile.Profile()
            one_import(context, args.rows, profile=profile)
            profile_lines = print_profile(profile, args.profile_top)
    finally:
        shutil.rmtree(media, ignore_errors=True)

    return {
        "machine": machine(),
        "load_average_before": load_before,
        "select_1_us": round(trip * 1e6, 1),
        "database": database,
        "user": user.username,
        "programme": programme.name,
        "rows": args.rows,
        "per_register": counts(args.rows),
        "seed": args.seed,
        "runs": len(results),
        "workbook_bytes": first["workbook_bytes"],
        "generate_s": round(first["generate_s"], 2),
        "setup_s": round(statistics.median(r["setup_s"] for r in results), 2),
        "cleanup_s": round(statistics.median(r["cleanup_s"] for r in results), 2),
        "start": phase_dict(starts),
        "commit": phase_dict(commits),
        "total": summary(totals),
        "target_s": TARGET_S,
        "within_target": max(totals) < TARGET_S,
        "unmapped_headers": first["unmapped"],
        "error_path": {
            **{k: v for k, v in errors.items() if not isinstance(v, Phase)},
            "start": phase_dict([errors["start"]]),
            "report": phase_dict([errors["report"]]),
            "commit_refused": phase_dict([errors["commit_refused"]]),
        },
        "profile": profile_lines[:120],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", help="default: the environment's DATABASE_URL")
    parser.add_argument("--runs", type=int, default=3, help="timed imports (median, slowest)")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the workbook")
    parser.add_argument("--user", default="manager", help="who imports (manager or PMO)")
    parser.add_argument("--programme", default="", help="key or name; default: the user's")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bad-rate", type=float, default=0.01, help="bad rows, error path")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument("--profile", action="store_true", help="one more run under cProfile")
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)
    # The worker's code path in this process: a commit of more than 500 rows is "queued"
    # and run at once, instead of waiting in the database queue for a worker.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    # As in production (and without DEBUG's per-query bookkeeping), unless told otherwise.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-raid-import-" + "k" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    setup_django(args.database_url)
    # The task backend and the importer log every run at INFO: keep the table readable.
    for name in ("django_tasks", "schakel.registers.imports"):
        logging.getLogger(name).setLevel(logging.WARNING)
    result = run(args)
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
