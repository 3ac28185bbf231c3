"""The column mapping: guessed from English and Dutch names, shown, and changed by the user."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from schakel.registers import imports
from schakel.registers.columns import COLUMNS, export_columns
from schakel.registers.models_import import ImportJob

from .test_import_support import csv_bytes, last_job, mapping_post, upload, xlsx_bytes

KINDS = ("risk", "issue", "assumption", "dependency", "action", "decision")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def guess(headers, kind):
    return dict(zip(headers, imports._guess(headers, kind), strict=True))


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("action", "Owner", "owner"),
        ("action", "Eigenaar", "owner"),
        ("action", "Actiehouder", "owner"),
        ("action", "Verantwoordelijke", "owner"),
        ("action", "Due", "due"),
        ("action", "Due date", "due"),
        ("action", "Deadline", "due"),
        ("action", "Einddatum", "due"),
        ("action", "Datum gereed", "due"),
        ("risk", "Probability", "probability"),
        ("risk", "Kans", "probability"),
        ("risk", "P", "probability"),
        ("risk", "Impact", "impact"),
        ("risk", "I", "impact"),
        ("risk", "Gevolg", "effect"),
        ("risk", "Status", "status"),
        ("risk", "Ref", "ref"),
        ("risk", "Reference", "ref"),
        ("risk", "Code", "ref"),
        ("risk", "Nummer", "ref"),
        ("risk", "Risico-eigenaar", "owner"),
        ("risk", "Maatregelen", "response_plan"),
        ("issue", "Prioriteit", "priority"),
        ("issue", "Streefdatum", "target_date"),
        ("assumption", "Te valideren voor", "validate_by"),
        ("dependency", "Ander project", "other_project"),
        ("decision", "Besloten door", "decided_by"),
        ("decision", "Besluitdatum", "decided_on"),
    ],
)
def test_it_guesses_fields_from_english_and_dutch_column_names(kind, header, field):
    assert guess(["Titel", header], kind) == {"Titel": "title", header: field}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_column_of_our_own_export_is_recognised(db, kind, language):
    with translation.override(language):
        labels = [c.label for c in export_columns(COLUMNS[kind])]

    guessed = guess(labels, kind)

    assert None not in guessed.values(), guessed
    assert len(set(guessed.values())) == len(labels)


def test_names_are_matched_whatever_their_case_accents_and_punctuation():
    assert guess(["DUE-DATE", "eigenaar ", "Titel"], "action") == {
        "DUE-DATE": "due",
        "eigenaar ": "owner",
        "Titel": "title",
    }


def test_a_header_below_a_title_block_is_found(client_as, org, member):
    data = xlsx_bytes(
        {
            "Actions": [
                ["Action log – Org design"],
                ["Owner: PMO office", None, "Version 3"],
                [],
                ["Action", "Owner", "Due date", "Status"],
                ["Call the supplier", "member", "2026-03-01", "Open"],
            ]
        }
    )

    upload(client_as(member), org.project, data, name="log.xlsx", register="action")

    job = last_job()
    assert job.sheets[0]["header_row"] == 4
    assert job.sheets[0]["headers"] == ["Action", "Owner", "Due date", "Status"]
    assert job.sheet_mappings()[0]["columns"] == ["title", "owner", "due", "status"]
    assert job.preview["ready"] == 1


def test_the_review_page_shows_each_column_with_an_example_and_its_guess(client_as, org, member):
    client = client_as(member)
    upload(
        client, org.project, csv_bytes([["Titel", "Kleur"], ["Bellen", "rood"]]), register="action"
    )
    job = last_job()

    response = client.get(reverse("registers:import_review", args=[job.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kleur" in page and "rood" in page
    assert '<option value="title" selected>' in page
    assert "(ignore)" in page


def test_the_user_changes_the_mapping_and_every_row_is_checked_again(client_as, org, member):
    client = client_as(member)
    data = csv_bytes([["Wat", "Wanneer"], ["Bellen", "1-3-2026"], ["Mailen", "2-3-2026"]])
    upload(client, org.project, data, register="action")
    job = last_job()
    assert job.sheet_mappings()[0]["columns"] == ["title", None]

    response = client.post(
        reverse("registers:import_review", args=[job.pk]), mapping_post(job, sheet_0_col_1="due")
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.sheet_mappings()[0]["columns"] == ["title", "due"]
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.preview["sheets"][0]["fields"] == ["title", "due"]
    assert job.preview["sheets"][0]["rows"][0]["cells"] == ["Bellen", "01/03/2026"]


def test_two_columns_for_one_field_are_refused_on_the_form(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, csv_bytes([["Titel", "Naam"], ["A", "B"]]), register="action")
    job = last_job()

    response = client.post(
        reverse("registers:import_review", args=[job.pk]), mapping_post(job, sheet_0_col_1="title")
    )

    assert response.status_code == 200
    assert "Column A already feeds this field" in response.content.decode()
    job.refresh_from_db()
    assert job.sheet_mappings()[0]["columns"] == ["title", None]


def test_an_unmapped_required_field_is_reported_once_on_the_header_row(client_as, org, member):
    upload(client_as(member), org.project, csv_bytes([["Titel"], ["A"], ["B"]]), register="risk")

    job = last_job()
    problems = job.preview["problems"]
    assert [(p["field"], p["code"], p["header"]) for p in problems] == [
        ("probability", "unmapped_required", True),
        ("impact", "unmapped_required", True),
    ]
    assert job.preview["error_rows"] == 0
    assert imports.problem_message(problems[0], "risk") == (
        "No column holds the probability, which every new item needs."
    )
