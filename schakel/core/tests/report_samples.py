"""Consolidated progress reports shared by the PPTX, PDF, XLSX and chart tests.

`sample_report()` is a small programme: three projects rated on seven dimensions over six
months, one of them without a report this period. `large_report(200)` repeats the pattern
to check that the renderers stay quick for a portfolio. `hostile_report()` puts markup,
formulas and characters XML cannot hold in every field a user can type into.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date, datetime
from itertools import cycle, islice

from schakel.core.exports.report_data import (
    ConsolidatedReport,
    Dimension,
    Milestone,
    PeriodCount,
    ProjectReport,
    Rating,
    RegisterLine,
    ReportLabels,
)

HOSTILE = "<script>alert(1)</script> =cmd|' /C calc'!A0 nul\x00byte lone\ud800surrogate"

DIMENSIONS = [
    Dimension("schedule", "Schedule"),
    Dimension("budget", "Budget"),
    Dimension("scope", "Scope"),
    Dimension("resources", "Resources"),
    Dimension("risks", "Risks"),
    Dimension("quality", "Quality"),
    Dimension("benefits", "Benefits"),
]

DUTCH_DIMENSIONS = [
    Dimension("schedule", "Planning"),
    Dimension("budget", "Budget"),
    Dimension("scope", "Scope"),
    Dimension("resources", "Middelen"),
    Dimension("risks", "Risico's"),
    Dimension("quality", "Kwaliteit"),
    Dimension("benefits", "Baten"),
]

DUTCH_LABELS = ReportLabels(
    overview="Overzicht",
    project="Project",
    manager="Projectleider",
    overall="Totaal",
    state="Rapportage",
    key_messages="Kernboodschappen",
    escalations="Escalaties en gevraagde besluiten",
    summary="Samenvatting",
    achievements="Bereikt deze periode",
    next_period="Gepland voor volgende periode",
    tolerances="Toleranties",
    change_requests="Wijzigingsverzoeken",
    milestones="Belangrijkste mijlpalen",
    baseline="Basislijn",
    forecast="Prognose",
    done="Gereed",
    risks="Grootste risico's",
    issues="Grootste issues",
    overdue_actions="Verlopen acties",
    decisions="Besluiten deze periode",
    ref="Ref.",
    title="Titel",
    owner="Eigenaar",
    due="Deadline",
    score="Score",
    status="Status",
    reason="Toelichting",
    dimension="Dimensie",
    colour="RAG",
    previous="Vorige",
    trend="Trend",
    green="Groen",
    amber="Oranje",
    red="Rood",
    not_reported="Niet gerapporteerd",
    missing_reports="Geen rapportage ontvangen",
    distribution="Rood, oranje en groen over de perioden",
    period="Periode",
    none="Geen",
    page_of="Pagina {page} van {pages}",
    page="Pagina",
    key="Code",
    better="Beter",
    worse="Slechter",
    same="Gelijk",
    projects="Projecten",
    ratings="Beoordelingen",
    generated="Gemaakt",
    more="…en nog {count}",
)

MONTHS = ["Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]

# Six months of colours per dimension, oldest first; the last is this period's.
_HISTORIES = [
    ["green", "green", "amber", "amber", "red", "amber"],
    ["green", "green", "green", "green", "green", "green"],
    ["amber", "red", "red", "amber", "amber", "red"],
    ["", "green", "green", "amber", "green", "green"],
    ["red", "red", "amber", "amber", "green", "green"],
    ["green", "amber", "amber", "amber", "amber", "amber"],
    ["amber", "amber", "green", "green", "red", "red"],
]


def _project(index: int, dimensions: list[Dimension]) -> ProjectReport:
    """A reporting project whose colours rotate through the histories by ``index``."""
    histories = list(islice(cycle(_HISTORIES), index, index + len(dimensions) + 1))
    ratings = {}
    trend: dict[str, list[str]] = {}
    for dimension, history in zip(dimensions, histories[1:], strict=False):
        colour, previous = history[-1], history[-2]
        reason = "" if colour == "green" else f"{dimension.label} under pressure: supplier late."
        ratings[dimension.key] = Rating(colour, previous, reason)
        trend[dimension.key] = history
    overall_history = histories[0]
    trend["overall"] = overall_history
    key = f"P{index + 1:03d}"
    return ProjectReport(
        key=key,
        name=f"Project {index + 1} digital workplace",
        manager=f"Manager {index + 1}",
        state="Approved",
        overall=Rating(overall_history[-1], overall_history[-2], "Two dimensions need attention."),
        ratings=ratings,
        summary=(
            f"Project {index + 1} is **on track** for the pilot.\nThe budget needs *attention*."
        ),
        achievements="- Pilot group trained\n- Laptops delivered\n- Intranet migrated",
        next_period="1. Roll out to the second floor\n2. Close the tender",
        tolerances="Within time tolerance; budget tolerance reached.",
        change_requests="CR-4: extra licences.",
        escalations="Decision needed on the extra licences budget." if index % 2 == 0 else "",
        milestones=[
            Milestone("Pilot live", date(2026, 10, 1), date(2026, 10, 15), done=True),
            Milestone("Roll-out complete", date(2026, 12, 1), date(2027, 1, 15)),
        ],
        risks=[
            RegisterLine(f"{key}-R3", "Supplier delivers late", "Anna de Vries", score=20),
            RegisterLine(f"{key}-R7", "Key user leaves", "Bram Jansen", score=12),
        ],
        issues=[RegisterLine(f"{key}-I2", "Test environment down", "Chris Smit", status="Open")],
        overdue_actions=[
            RegisterLine(f"{key}-A34", "Draft the intake form", "Dana Kok", due=date(2026, 11, 3))
        ],
        decisions=[RegisterLine(f"{key}-D5", "Adopt the new intake process", status="Taken")],
        trend=trend,
        submitted_at=datetime(2026, 12, 2, 10, 0),
        approved_by="PMO",
    )


def _silent_project(index: int) -> ProjectReport:
    """A project that sent no report this period."""
    return ProjectReport(
        key=f"P{index + 1:03d}",
        name=f"Project {index + 1} data platform",
        manager=f"Manager {index + 1}",
        state="Not submitted",
        trend={"overall": ["green", "amber", "amber", "green", "amber", ""]},
    )


def _distribution(projects: int) -> list[PeriodCount]:
    green = max(projects // 2, 1)
    return [
        PeriodCount(label, green=green + n % 2, amber=projects // 4 + n % 3, red=n % 3, missing=1)
        for n, label in enumerate(MONTHS)
    ]


def sample_report(**changes: object) -> ConsolidatedReport:
    """Three projects, seven dimensions, six months; the third did not report."""
    dimensions = changes.pop("dimensions", DIMENSIONS)
    assert isinstance(dimensions, list)
    values: dict[str, object] = {
        "organisation": "Gemeente Oostwold",
        "title": "Progress report Change programme",
        "scope": "Change programme",
        "period_label": "November 2026",
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "dimensions": dimensions,
        "projects": [_project(0, dimensions), _project(1, dimensions), _silent_project(2)],
        "key_messages": (
            "The programme is **on track** overall.\n\n"
            "- Budget pressure on P001\n- Two reports approved, one missing"
        ),
        "distribution": _distribution(3),
        "generated_at": datetime(2026, 12, 3, 9, 30),
        "language": "en",
    }
    values.update(changes)
    return ConsolidatedReport(**values)  # type: ignore[arg-type]


def dutch_report() -> ConsolidatedReport:
    return sample_report(
        title="Voortgangsrapportage Veranderprogramma",
        scope="Veranderprogramma",
        period_label="november 2026",
        dimensions=DUTCH_DIMENSIONS,
        language="nl",
        labels=DUTCH_LABELS,
    )


def large_report(count: int = 200) -> ConsolidatedReport:
    """A portfolio of ``count`` projects, every tenth without a report."""
    projects = [
        _silent_project(index) if index % 10 == 9 else _project(index, DIMENSIONS)
        for index in range(count)
    ]
    return sample_report(
        title="Portfolio report",
        scope="Portfolio",
        projects=projects,
        distribution=_distribution(count),
    )


def hostile_report() -> ConsolidatedReport:
    """Every user-typed field holds markup, a formula and characters XML cannot hold."""
    project = ProjectReport(
        key='=HYPERLINK("http://evil")',
        name=HOSTILE,
        manager="<img src=x onerror=alert(1)>",
        state="Approved",
        overall=Rating("red", "amber", HOSTILE),
        ratings={
            "schedule": Rating("amber", "green", "=cmd|' /C calc'!A0"),
            "budget": Rating("javascript:alert(1)", "", "@SUM(A1)"),
        },
        summary=HOSTILE + '\n![x](http://127.0.0.1/secret) <img src="http://127.0.0.1/img">',
        achievements="- [local](file:///etc/passwd)\n- [ok](https://example.org/ok)",
        next_period="+1 and -1\x0b",
        escalations=HOSTILE,
        milestones=[Milestone("=1+1", date(2026, 11, 1))],
        risks=[RegisterLine("-R1", "+cmd", "@owner", score=9)],
        trend={"schedule": ["green", "<bad>", "amber"], "overall": ["amber", "red"]},
    )
    return sample_report(
        organisation="<b>Org</b>\x00",
        title="<script>alert('title')</script>",
        scope='Scope"); DROP TABLE--',
        key_messages=HOSTILE,
        projects=[project],
        distribution=[PeriodCount("<i>Oct</i>", 1, 0, 0), PeriodCount("Nov\x00", 0, 0, 1)],
    )


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A valid, single-colour PNG of the given size, built without an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x1f\x3a\x5f" * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
