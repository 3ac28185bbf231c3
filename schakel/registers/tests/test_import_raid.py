"""A RAID workbook: one sheet per register (English or Dutch names), one transaction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers import imports
from schakel.registers.models import Action, Assumption, Decision, Issue, Risk

from .test_import_support import (
    commit,
    last_job,
    mapping_post,
    messages_of,
    upload,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def workbook(last_action_due="2026-03-01"):
    return xlsx_bytes(
        {
            "Risico's": [
                ["Titel", "Kans", "Impact", "Eigenaar"],
                ["Leverancier failliet", 4, 5, "member"],
            ],
            "Issues": [["Title", "Priority"], ["Server room floods", "High"]],
            "Aannames": [["Aanname", "Status"], ["Budget blijft gelijk", "Geldig"]],
            "Acties": [
                ["Actie", "Deadline"],
                ["Leverancier bellen", "2026-02-01"],
                ["Contract tekenen", last_action_due],
            ],
            "Besluiten": [["Besluit", "Status"], ["ERP kiezen", "Voorgesteld"]],
            "Toelichting": [["Hoe dit werkboek te gebruiken"], ["Vul elk tabblad in."]],
        }
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Risks", "risk"),
        ("Risico's", "risk"),
        ("Issues", "issue"),
        ("Assumptions", "assumption"),
        ("Aannames", "assumption"),
        ("Dependencies", "dependency"),
        ("Afhankelijkheden", "dependency"),
        ("Actions", "action"),
        ("Acties", "action"),
        ("Decisions", "decision"),
        ("Besluiten", "decision"),
        ("Risk Register", "risk"),
        ("Actielijst 2026", "action"),
        ("Toelichting", None),
    ],
)
def test_sheet_names_in_english_and_dutch_name_their_register(name, kind):
    assert imports.kind_for_sheet(name) == kind


def test_a_raid_workbook_imports_every_sheet_in_one_go(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, workbook(), name="raid.xlsx", register="raid")
    job = last_job()
    assert [m["kind"] for m in job.sheet_mappings()] == [
        "risk",
        "issue",
        "assumption",
        "action",
        "decision",
        None,
    ]
    assert messages_of(job) == []

    commit(client, job)

    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["created"] == {
        "risk": 1,
        "issue": 1,
        "assumption": 1,
        "action": 2,
        "decision": 1,
    }
    assert Risk.objects.get().ref == "ODI-R1"
    assert Assumption.objects.get().status == "valid"
    assert Decision.objects.get().status == "proposed"
    assert Issue.objects.get().priority == "high"


def test_an_error_on_one_sheet_writes_nothing_on_any_sheet(client_as, org, member):
    client = client_as(member)
    upload(
        client, org.project, workbook(last_action_due="someday"), name="raid.xlsx", register="raid"
    )
    job = last_job()

    commit(client, job)

    assert messages_of(job) == [
        "3 Deadline: “someday” is not a date; write it as 31-12-2026 or 2026-12-31."
    ]
    assert sum(m.objects.count() for m in (Risk, Issue, Assumption, Action, Decision)) == 0
    page = client.get(reverse("registers:import_review", args=[job.pk])).content.decode()
    assert '<td data-label="Sheet">Acties</td>' in page


def test_the_user_picks_the_register_of_a_sheet_and_its_columns_are_guessed(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, workbook(), name="raid.xlsx", register="raid")
    job = last_job()
    data = mapping_post(job, sheet_1_kind="", sheet_5_kind="action")

    client.post(reverse("registers:import_review", args=[job.pk]), data)

    job.refresh_from_db()
    kinds = [m["kind"] for m in job.sheet_mappings()]
    assert kinds == ["risk", None, "assumption", "action", "decision", "action"]
    assert job.sheet_mappings()[5]["columns"] == [None]
    assert messages_of(job) == ["1 : No column holds the title (or a description to take it from)."]
