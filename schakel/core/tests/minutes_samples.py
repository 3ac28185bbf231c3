"""Minutes values shared by the Word and PDF renderer tests."""

from __future__ import annotations

from datetime import date, datetime

from schakel.core.exports.documents import (
    Attendance,
    Minutes,
    MinutesItem,
    MinutesLabels,
    Outcome,
)

HOSTILE_NOTES = (
    "<script>alert(1)</script> <b>hi</b> =cmd|' /C calc'!A0\n"
    "nul\x00byte, lone\ud800surrogate, vertical\x0btab\n"
    '![x](http://127.0.0.1/secret) <img src="http://127.0.0.1/img">\n'
    "[local](file:///etc/passwd)"
)

DUTCH_LABELS = MinutesLabels(
    minutes="Verslag",
    date="Datum",
    location="Locatie",
    chair="Voorzitter",
    minute_taker="Notulist",
    attendance="Aanwezigheid",
    present="Aanwezig",
    absent="Afwezig",
    excused="Afgemeld",
    guests="Gasten",
    presenter="Inleider",
    decisions="Besluiten",
    actions="Acties",
    risks="Risico's",
    issues="Issues",
    ref="Ref.",
    title="Titel",
    owner="Eigenaar",
    due="Deadline",
    action_list="Actielijst",
    decision_list="Besluitenlijst",
    version="Versie",
    published="Gepubliceerd",
    page="Pagina",
    none="Geen",
    summary="Samenvatting",
    page_of="Pagina {page} van {pages}",
)


def sample_minutes(**changes: object) -> Minutes:
    """A steering committee meeting with two items and every kind of outcome."""
    values: dict[str, object] = {
        "organisation": "Gemeente Oostwold",
        "title": "Steering committee 12",
        "forum": "Steering committee Support services",
        "scope": "Support services programme",
        "start": datetime(2026, 3, 3, 14, 0),
        "end": datetime(2026, 3, 3, 15, 30),
        "location": "Room 4.12",
        "online_url": "https://meet.example.org/sc-12",
        "chair": "Anna de Vries",
        "minute_taker": "Bram Jansen",
        "attendance": Attendance(
            present=["Anna de Vries", "Bram Jansen", "Chris Smit"],
            absent=["Dana Kok"],
            excused=["Evi Bos"],
            guests=["Femke Visser"],
        ),
        "summary": "The programme is **on track**; budget needs attention.",
        "items": [
            MinutesItem(
                number="1",
                title="Opening and minutes of the last meeting",
                presenter="Anna de Vries",
                notes=(
                    "Minutes approved.\nNo remarks.\n\n"
                    "- **Budget** reviewed\n- Planning *confirmed*\n\n"
                    "1. first step\n2. second step\n\n"
                    "See [the plan](https://example.org/plan)."
                ),
                outcomes=[
                    Outcome(
                        "decision",
                        "SSP-D7",
                        "Adopt the new intake process",
                        detail="Saves two weeks per request.",
                    ),
                    Outcome(
                        "action",
                        "SSP-A34",
                        "Draft the intake form",
                        "Bram Jansen",
                        date(2026, 3, 17),
                    ),
                    Outcome("risk", "SSP-R5", "Supplier delay", "Chris Smit", status="Open"),
                ],
            ),
            MinutesItem(
                number="2",
                title="Progress report",
                presenter="Chris Smit",
                notes="Reported *green* overall.",
                outcomes=[
                    Outcome(
                        "action", "SSP-A35", "Update the risk log", "Chris Smit", date(2026, 3, 24)
                    ),
                    Outcome(
                        "action",
                        "SSP-A34",
                        "Draft the intake form",
                        "Bram Jansen",
                        date(2026, 3, 17),
                    ),
                    Outcome(
                        "issue", "SSP-I2", "Test environment down", "Dana Kok", status="In progress"
                    ),
                ],
            ),
        ],
        "version": 2,
        "published_at": datetime(2026, 3, 5, 9, 0),
        "language": "en",
    }
    values.update(changes)
    return Minutes(**values)


def hostile_minutes() -> Minutes:
    """Minutes where every user string tries something: markup, formulas, bad characters."""
    return sample_minutes(
        title="<script>alert('title')</script>\x00",
        chair='Robert"); DROP TABLE--',
        attendance=Attendance(present=["<img src=x onerror=alert(1)>", "Nul\x00 Byte"]),
        items=[
            MinutesItem(
                number="1",
                title="=cmd|' /C calc'!A0",
                presenter="\ud800Lone",
                notes=HOSTILE_NOTES,
                outcomes=[
                    Outcome("action", "X-A1", '=HYPERLINK("http://evil")', "<b>Owner</b>"),
                ],
            )
        ],
    )
