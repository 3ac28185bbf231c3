"""Each register imports from a Dutch CSV (semicolons, day-first dates) and from XLSX."""

from __future__ import annotations

import datetime

import pytest

from schakel.accounts.tests.factories import UserFactory
from schakel.registers.models import (
    Action,
    Assumption,
    Decision,
    Dependency,
    Issue,
    Risk,
    RiskCategory,
)
from schakel.registers.models_import import ImportJob

from .test_import_support import commit, csv_bytes, last_job, messages_of, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def jan(org):
    from schakel.accounts.models import Membership, Role

    person = UserFactory(username="jvries", first_name="Jan", last_name="de Vries")
    Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)
    return person


def run(client, project, data, **kwargs):
    response = upload(client, project, data, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = last_job()
    assert messages_of(job) == []
    commit(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    return job


def test_risks_import_from_a_dutch_csv(client_as, org, member, jan):
    data = csv_bytes(
        [
            ["Titel", "Eigenaar", "Status", "Kans", "Impact", "Reviewdatum", "Categorie", "Tags"],
            [
                "Leverancier failliet",
                "Jan de Vries",
                "Open",
                "4",
                "5",
                "15-03-2026",
                "Leveranciers",
                "IT; inkoop",
            ],
            ["Sleutelfiguur vertrekt", "jvries", "Gesloten", "Klein", "Groot", "1-4-2026", "", ""],
        ]
    )

    job = run(client_as(member), org.project, data, name="risico's.csv")

    first, second = Risk.objects.filter(project=org.project).order_by("number")
    assert (first.ref, first.title, first.owner, first.status) == (
        "ODI-R1",
        "Leverancier failliet",
        jan,
        "open",
    )
    assert (first.probability, first.impact, first.score) == (4, 5, 20)
    assert first.review_date == datetime.date(2026, 3, 15)
    assert first.category == RiskCategory.objects.get(name_en="Suppliers")
    assert sorted(t.name for t in first.tags.all()) == ["IT", "inkoop"]
    assert first.created_by == member
    assert first.history.first().history_user == member
    assert (second.status, second.probability, second.impact) == ("closed", 2, 4)
    assert second.review_date == datetime.date(2026, 4, 1)
    assert job.result["created"] == {"risk": 2}


def test_issues_import_from_a_dutch_csv(client_as, org, member, jan):
    data = csv_bytes(
        [
            ["Titel", "Type", "Prioriteit", "Ernst", "Gemeld door", "Streefdatum", "Status"],
            [
                "Serverruimte lekt",
                "Probleem",
                "Hoog",
                "Groot",
                "jvries",
                "31-12-2026",
                "In behandeling",
            ],
            ["Scope uitbreiden", "Wijzigingsverzoek", "Laag", "Klein", "", "", "Nieuw"],
        ]
    )

    run(client_as(member), org.project, data, register="issue")

    first, second = Issue.objects.filter(project=org.project).order_by("number")
    assert (first.type, first.priority, first.severity, first.status) == (
        "problem",
        "high",
        "major",
        "in_progress",
    )
    assert (first.raised_by, first.target_date) == (jan, datetime.date(2026, 12, 31))
    assert (second.type, second.priority, second.severity, second.status) == (
        "change",
        "low",
        "minor",
        "open",
    )


def test_assumptions_import_from_a_dutch_csv(client_as, org, member):
    data = csv_bytes(
        [
            ["Titel", "Eigenaar", "Te valideren voor", "Status", "Gevolg indien onjuist"],
            ["Budget blijft gelijk", "member", "01-06-2026", "Niet gevalideerd", "Minder scope"],
            ["Team blijft", "", "", "Geldig", ""],
        ]
    )

    run(client_as(member), org.project, data, register="assumption")

    first, second = Assumption.objects.filter(project=org.project).order_by("number")
    assert (first.ref, first.owner, first.validate_by, first.status) == (
        "ODI-S1",
        member,
        datetime.date(2026, 6, 1),
        "unvalidated",
    )
    assert first.consequence == "Minder scope"
    assert second.status == "valid" and second.validated_on is not None


def test_dependencies_import_from_a_dutch_csv(client_as, org, manager):
    data = csv_bytes(
        [
            ["Titel", "Ander project", "Richting", "Nodig op", "Status"],
            ["Beleid vastgesteld", "POL", "Wij zijn afhankelijk van hen", "1-2-2026", "Open"],
            ["Koppeling", "pol", "Zij zijn afhankelijk van ons", "", "In gevaar"],
        ]
    )

    run(client_as(manager), org.project, data, register="dependency")

    first, second = Dependency.objects.filter(project=org.project).order_by("number")
    assert (first.other_project, first.direction, first.need_by) == (
        org.sibling,
        "inbound",
        datetime.date(2026, 2, 1),
    )
    assert (second.other_project, second.direction, second.status) == (
        org.sibling,
        "outbound",
        "at_risk",
    )


def test_actions_import_from_a_dutch_csv(client_as, org, member, jan):
    data = csv_bytes(
        [
            ["Actie", "Actiehouder", "Deadline", "Prioriteit", "Status"],
            ["Leverancier bellen", "Jan de Vries", "02-03-2026", "Hoog", "Open"],
            ["Contract tekenen", "JVRIES", "3-3-2026", "Gemiddeld", "Gereed"],
        ]
    )

    run(client_as(member), org.project, data, register="action")

    first, second = Action.objects.filter(project=org.project).order_by("number")
    assert (first.ref, first.title, first.owner, first.due, first.priority) == (
        "ODI-A1",
        "Leverancier bellen",
        jan,
        datetime.date(2026, 3, 2),
        "high",
    )
    assert (second.status, second.completed_on) == ("done", datetime.date.today())


def test_decisions_import_from_a_dutch_csv(client_as, org, member, jan):
    data = csv_bytes(
        [
            ["Besluit", "Onderbouwing", "Besloten door", "Gremium", "Besluitdatum", "Status"],
            [
                "Nieuw ERP kiezen",
                "Oud systeem is einde levensduur",
                "jvries",
                "Stuurgroep",
                "10-01-2026",
                "Goedgekeurd",
            ],
            ["Uitstel livegang", "", "", "", "", "Voorgesteld"],
        ]
    )

    run(client_as(member), org.project, data, register="decision")

    first, second = Decision.objects.filter(project=org.project).order_by("number")
    assert (first.decided_by, first.forum, first.decided_on, first.status) == (
        jan,
        "Stuurgroep",
        datetime.date(2026, 1, 10),
        "approved",
    )
    assert first.rationale == "Oud systeem is einde levensduur"
    assert second.status == "proposed"


@pytest.mark.parametrize(
    ("register", "rows", "model"),
    [
        ("risk", [["Title", "Probability", "Impact"], ["Supplier fails", 3, 4]], Risk),
        ("issue", [["Title", "Priority"], ["Floods", "High"]], Issue),
        (
            "assumption",
            [["Title", "Validate by"], ["Budget", datetime.datetime(2026, 5, 1)]],
            Assumption,
        ),
        ("dependency", [["Title", "Other project"], ["Policy", "POL"]], Dependency),
        ("action", [["Title", "Due"], ["Call", datetime.date(2026, 5, 1)]], Action),
        ("decision", [["Title", "Status"], ["Choose ERP", "Proposed"]], Decision),
    ],
)
def test_each_register_imports_from_an_english_xlsx(client_as, org, manager, register, rows, model):
    data = xlsx_bytes({"Sheet1": rows})

    run(client_as(manager), org.project, data, name="register.xlsx", register=register)

    item = model.objects.get(project=org.project)
    assert item.title == rows[1][0]
    assert item.ref.startswith("ODI-")
