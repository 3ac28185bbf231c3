"""Bad rows: every error is reported per row and column, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.tests.factories import UserFactory
from schakel.registers.models import Action, Risk
from schakel.registers.models_import import ImportJob

from .test_import_support import commit, csv_bytes, last_job, messages_of, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


HEADER = ["Titel", "Eigenaar", "Status", "Kans", "Impact", "Restkans", "Restimpact"]


def test_each_bad_cell_is_reported_with_its_row_and_column(client_as, org, member):
    data = csv_bytes(
        [
            HEADER,
            ["Goede rij", "member", "Open", "3", "3", "", ""],
            ["Onbekende eigenaar", "piet.puk", "Open", "3", "3", "", ""],
            ["Rare status", "member", "Misschien", "3", "3", "", ""],
            ["Kans te groot", "member", "Open", "7", "3", "", ""],
            ["", "member", "Open", "3", "3", "", ""],
            ["Half restrisico", "member", "Open", "3", "3", "2", ""],
        ]
    )

    upload(client_as(member), org.project, data)

    job = last_job()
    assert messages_of(job) == [
        "3 Eigenaar: Nobody called “piet.puk” works on this project (username, e-mail or name).",
        "4 Status: “Misschien” is not one of: Open, Closed, Occurred.",
        "5 Kans: “7” is not on the probability scale (1 to 5).",
        "6 Titel: A value is needed here.",
        "7 Restimpact: Give both residual probability and residual impact, or neither.",
    ]
    assert (job.preview["total"], job.preview["ready"], job.preview["error_rows"]) == (6, 1, 5)
    assert Risk.objects.count() == 0


def test_the_review_page_lists_the_errors_and_offers_no_import(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, csv_bytes([HEADER, ["A", "nobody", "Open", "3", "3", "", ""]]))
    job = last_job()

    page = client.get(reverse("registers:import_review", args=[job.pk])).content.decode()

    assert "0</strong> rows ready" in page
    assert "1</strong> row with errors" in page
    assert "fix the file and upload it again, or change the mapping" in page.lower()
    assert "Nobody called “nobody”" in page
    assert reverse("registers:import_commit", args=[job.pk]) not in page


def test_a_commit_of_a_preview_with_errors_writes_nothing(client_as, org, member):
    client = client_as(member)
    rows = [HEADER] + [[f"Risico {n}", "member", "Open", "2", "2", "", ""] for n in range(9)]
    rows.append(["Laatste rij", "member", "Open", "2", "9", "", ""])
    upload(client, org.project, csv_bytes(rows))
    job = last_job()

    response = commit(client, job)

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert Risk.objects.count() == 0
    assert messages_of(job) == ["11 Impact: “9” is not on the impact scale (1 to 5)."]


def test_a_model_rule_about_the_response_shows_up_as_a_row_error(client_as, org, member):
    data = csv_bytes(
        [
            ["Title", "Threat or opportunity", "Response", "Probability", "Impact"],
            ["New market", "Opportunity", "Avoid", "3", "3"],
        ]
    )

    upload(client_as(member), org.project, data)

    assert messages_of(last_job()) == ["2 Response: This response does not fit an opportunity."]


def test_people_are_found_by_username_email_or_full_name_among_the_project_people(
    client_as, org, member
):
    from schakel.accounts.models import Membership, Role

    anna = UserFactory(username="anna", first_name="Anna", last_name="Jansen", email="a@x.nl")
    Membership.objects.create(user=anna, project=org.project, role=Role.MEMBER)
    stranger = UserFactory(username="stranger", first_name="Sam", last_name="Stranger")
    gone = UserFactory(username="gone", is_active=False)
    Membership.objects.create(user=gone, project=org.project, role=Role.MEMBER)
    data = csv_bytes(
        [
            ["Title", "Owner"],
            ["By username", "ANNA"],
            ["By e-mail", "A@X.NL"],
            ["By name", "anna  jansen"],
            ["Not on the project", "Sam Stranger"],
            ["Deactivated", "gone"],
        ]
    )

    upload(client_as(member), org.project, data, register="action")

    job = last_job()
    assert [p["row"] for p in job.preview["problems"]] == [5, 6]
    assert {r["cells"][1] for r in job.preview["sheets"][0]["rows"][:3]} == {"Anna Jansen"}
    assert stranger.pk and Action.objects.count() == 0


def test_two_people_with_one_name_must_be_named_by_username(client_as, org, member):
    from schakel.accounts.models import Membership, Role

    for username in ("jan1", "jan2"):
        person = UserFactory(username=username, first_name="Jan", last_name="Smit")
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)

    upload(
        client_as(member),
        org.project,
        csv_bytes([["Title", "Owner"], ["A", "Jan Smit"]]),
        register="action",
    )

    assert messages_of(last_job()) == [
        "2 Owner: More than one person is called “Jan Smit”; use the username or e-mail address."
    ]


def test_scale_levels_are_read_from_labels_fractions_and_the_forms_own_format(
    client_as, org, member
):
    data = csv_bytes(
        [
            ["Title", "Probability", "Impact"],
            ["Labels", "Zeer groot", "Minor"],
            ["Generic words", "HIGH", "low"],
            ["Fraction and form", "0.75", "3 – Moderate"],
            ["Percentage", "15%", "5"],
        ]
    )
    client = client_as(member)
    upload(client, org.project, data)
    job = last_job()
    assert messages_of(job) == []

    commit(client, job)

    got = list(Risk.objects.order_by("number").values_list("probability", "impact"))
    assert got == [(5, 2), (4, 2), (4, 3), (1, 5)]


def test_unknown_categories_dates_and_projects_are_row_errors(client_as, org, manager):
    risks = csv_bytes(
        [
            ["Title", "Category", "Review date", "Probability", "Impact"],
            ["A", "Weather", "31-02-2026", "1", "1"],
        ]
    )
    upload(client_as(manager), org.project, risks)
    assert messages_of(last_job()) == [
        "2 Category: “Weather” is not a risk category. Known categories: Strategic, Financial, "
        "Organisational, People and HR, IT and data, Legal and compliance, Planning, Quality, "
        "Stakeholders, Suppliers.",
        "2 Review date: “31-02-2026” is not a date; write it as 31-12-2026 or 2026-12-31.",
    ]

    dependencies = csv_bytes([["Title", "Other project"], ["B", "NOPE"], ["C", "ODI"]])
    upload(client_as(manager), org.project, dependencies, register="dependency")
    assert messages_of(last_job()) == [
        "2 Other project: “NOPE” is not the key of a project you can see.",
        "3 Other project: A project cannot depend on itself.",
    ]


def test_a_long_list_of_errors_is_shown_in_part_and_counted_in_full(
    client_as, org, member, monkeypatch
):
    from schakel.registers import imports, views_import

    monkeypatch.setattr(views_import, "ERRORS_SHOWN", 2)
    monkeypatch.setattr(imports, "MAX_STORED_PROBLEMS", 3)
    client = client_as(member)
    rows = [HEADER] + [[f"R{n}", "nobody", "Open", "3", "3", "", ""] for n in range(5)]
    upload(client, org.project, csv_bytes(rows))
    job = last_job()
    url = reverse("registers:import_review", args=[job.pk])

    first = client.get(url).content.decode()
    every = client.get(url + "?errors=all").content.decode()

    assert job.preview["problem_count"] == 5 and len(job.preview["problems"]) == 3
    assert first.count("Nobody called") == 2 and "Show 3 more errors" in first
    assert every.count("Nobody called") == 3 and "…and 2 more errors" in every
