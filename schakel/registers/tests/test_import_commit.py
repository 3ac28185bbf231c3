"""The commit: all rows in one transaction through the services, or none at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import Action, Risk
from schakel.registers.models_import import ImportJob

from . import factories
from .test_import_support import commit, csv_bytes, last_job, messages_of, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


ROWS = [
    ["Title", "Owner", "Due", "Priority", "Status", "Tags"],
    ["Call the supplier", "member", "2026-03-01", "High", "Open", "IT, Supplier"],
    ["Sign the contract", "", "2026-03-02", "", "Done", ""],
    ["Book the room", "member", "", "Low", "In progress", "it"],
]


def test_the_commit_creates_the_items_with_the_next_reference_codes(client_as, org, member, _media):
    factories.action(org.project, member, title="Already there")
    client = client_as(member)
    upload(client, org.project, csv_bytes(ROWS), register="action")
    job = last_job()

    response = commit(client, job)

    assert response.status_code == 302
    assert response.url == reverse("registers:import_review", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result == {
        "created": {"action": 3},
        "updated": {},
        "refs": {"action": ["ODI-A2", "ODI-A3", "ODI-A4"]},
        "total": 3,
    }
    actions = {a.ref: a for a in Action.objects.filter(project=org.project)}
    assert actions["ODI-A2"].title == "Call the supplier"
    assert sorted(t.name for t in actions["ODI-A2"].tags.all()) == ["IT", "Supplier"]
    assert [t.name for t in actions["ODI-A4"].tags.all()] == ["IT"]
    assert actions["ODI-A3"].completed_on is not None  # derived, as for an item made by hand
    assert actions["ODI-A3"].priority == "medium"  # an empty choice keeps the default
    assert not (_media / job.stored_name).exists()  # the upload is not kept after success


def test_imported_items_have_their_creation_in_the_history_with_their_tags(client_as, org, member):
    """New rows are written in batches; each still gets one "created" entry, by the importer,
    with the tags it was created with, and opens in the item's history."""
    client = client_as(member)
    upload(client, org.project, csv_bytes(ROWS), register="action")
    commit(client, last_job())

    for action in Action.objects.filter(project=org.project):
        [entry] = action.history.all()
        assert entry.history_type == "+"
        assert entry.history_user == member
        assert entry.title == action.title and entry.number == action.number
        assert sorted(t.tag.name for t in entry.tags.all()) == sorted(
            t.name for t in action.tags.all()
        )
        page = client.get(reverse("registers:item_history", args=["action", action.pk]))
        assert page.status_code == 200


def test_the_summary_counts_per_register_and_links_to_the_list(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, csv_bytes(ROWS), register="action")
    job = last_job()

    page = client.get(commit(client, job).url).content.decode()

    assert "Actions: 3 created" in page
    assert reverse("registers:project_list", args=[org.project.pk, "actions"]) in page
    assert "ODI-A1, ODI-A2, ODI-A3" in page


def test_an_exception_in_the_middle_writes_nothing_and_the_job_says_so(
    client_as, org, member, monkeypatch
):
    client = client_as(member)
    upload(client, org.project, csv_bytes(ROWS), register="action")
    job = last_job()
    real_create = services.items_create_bulk
    calls = []

    def failing_create(**kwargs):
        # The rows are written, then the disk fills up: the transaction must undo them.
        items = real_create(**kwargs)
        calls.append(len(items))
        assert Action.objects.count() == len(items)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "items_create_bulk", failing_create)

    commit(client, job)

    job.refresh_from_db()
    assert calls == [len(ROWS) - 1]
    assert Action.objects.count() == 0
    assert Action.history.count() == 0
    assert job.status == ImportJob.Status.FAILED
    assert job.error["message"] == (
        "Nothing was imported. Something went wrong while writing the items."
    )
    page = client.get(reverse("registers:import_review", args=[job.pk])).content.decode()
    assert "The import failed." in page

    monkeypatch.setattr(services, "items_create_bulk", real_create)
    commit(client, job)  # the file is kept after a failure, so it can be tried again
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Action.objects.count() == 3


def test_a_finished_import_cannot_run_twice(client_as, org, member):
    client = client_as(member)
    upload(client, org.project, csv_bytes(ROWS), register="action")
    job = last_job()
    commit(client, job)

    commit(client, job)

    assert Action.objects.count() == 3


UPDATE_ROWS = [
    ["Ref", "Title", "Probability", "Impact", "Status"],
    ["ODI-R1", "Supplier fails (checked)", "2", "5", "Closed"],
    ["", "A new risk", "1", "1", "Open"],
]


def test_update_mode_changes_items_by_reference_code_instead_of_duplicating(client_as, org, member):
    risk = factories.risk(org.project, member, title="Supplier fails")
    client = client_as(member)
    upload(client, org.project, csv_bytes(UPDATE_ROWS), update=True)
    job = last_job()
    assert job.preview["updates"] == 1 and job.preview["creates"] == 1

    commit(client, job)

    risk.refresh_from_db()
    assert (risk.title, risk.probability, risk.impact, risk.score, risk.status) == (
        "Supplier fails (checked)",
        2,
        5,
        10,
        "closed",
    )
    assert risk.version == 2
    assert risk.history.first().history_user == member
    assert list(Risk.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    job.refresh_from_db()
    assert job.result["updated"] == {"risk": 1} and job.result["created"] == {"risk": 1}


def test_without_update_mode_the_reference_code_is_ignored_and_items_are_added(
    client_as, org, member
):
    factories.risk(org.project, member, title="Supplier fails")
    client = client_as(member)
    upload(client, org.project, csv_bytes(UPDATE_ROWS))
    commit(client, last_job())

    assert Risk.objects.count() == 3


def test_update_mode_refuses_codes_of_other_projects_registers_or_missing_items(
    client_as, org, member
):
    factories.risk(org.project, member)
    factories.action(org.project, member)
    data = csv_bytes(
        [
            ["Ref", "Title", "Probability", "Impact"],
            ["POL-R1", "Other project", "1", "1"],
            ["ODI-A1", "Other register", "1", "1"],
            ["ODI-R9", "Missing", "1", "1"],
            ["ODI-R1", "Fine", "1", "1"],
            ["odi-r1", "Twice", "1", "1"],
        ]
    )

    upload(client_as(member), org.project, data, update=True)

    assert messages_of(last_job()) == [
        "2 Ref: “POL-R1” is not the code of a risk in this project.",
        "3 Ref: “ODI-A1” is not the code of a risk in this project.",
        "4 Ref: “ODI-R9” is not the code of a risk in this project.",
        "6 Ref: “odi-r1” appears more than once; an item can be updated only once.",
    ]


def test_the_review_page_reads_no_more_queries_for_a_bigger_file(
    client_as, org, member, django_assert_max_num_queries
):
    client = client_as(member)
    for size in (5, 120):
        rows = [["Title", "Owner"]] + [[f"Action {n}", "member"] for n in range(size)]
        upload(client, org.project, csv_bytes(rows), register="action")
        url = reverse("registers:import_review", args=[last_job().pk])
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
