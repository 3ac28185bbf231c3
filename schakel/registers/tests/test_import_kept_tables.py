"""The sheets read at upload are kept with the job: the commit checks and writes the very
cells the preview showed without parsing the workbook again, and reads the file when they
are missing or not of this file."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.core.files.storage import default_storage

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.core.importers.tabular import Table
from schakel.registers import imports
from schakel.registers.models import Action, Risk
from schakel.registers.models_import import ImportJob

from .test_import_support import commit, last_job, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reads(monkeypatch):
    """The names of the files the import parses (the workbook reader is slow)."""
    seen: list[str] = []
    real = imports._read_tables

    def counting(data, filename):
        seen.append(filename)
        return real(data, filename)

    monkeypatch.setattr(imports, "_read_tables", counting)
    return seen


def workbook(owner="member"):
    return xlsx_bytes(
        {
            "Risks": [
                ["Title", "Probability", "Impact", "Owner", "Review date", "Tags"],
                ["Supplier fails", 4, 5, owner, datetime.date(2026, 3, 1), "IT, Supplier"],
                ["Budget cut", "0.5", "High", "", datetime.datetime(2026, 4, 2, 0, 0), ""],
            ],
            "Actions": [
                ["Action", "Due", "Status", "Owner"],
                ["Call the supplier", datetime.datetime(2026, 2, 1, 9, 30), "Done", owner],
                ["Sign the contract", "15/03/26", "Open", ""],
            ],
        }
    )


def written(project):
    """What an import wrote into a project: each item, its tags and its history entries."""
    out = []
    for model in (Risk, Action):
        for item in model.objects.filter(project=project).order_by("number"):
            fields = {
                f.attname: getattr(item, f.attname)
                for f in model._meta.concrete_fields
                if f.attname not in {"id", "created_at", "updated_at", "project_id"}
            }
            history = [
                (
                    entry.history_type,
                    entry.history_user_id,
                    entry.title,
                    entry.number,
                    sorted(link.tag.name for link in entry.tags.all()),
                )
                for entry in item.history.all()
            ]
            out.append((model.KIND, fields, sorted(t.name for t in item.tags.all()), history))
    return out


def test_the_upload_keeps_its_tables_and_the_commit_does_not_parse_the_file(
    client_as, org, member, reads, _media
):
    client = client_as(member)
    upload(client, org.project, workbook(), name="raid.xlsx", register="raid")
    job = last_job()
    assert reads == ["raid.xlsx"]
    assert (_media / imports.tables_name(job.stored_name)).exists()

    commit(client, job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["created"] == {"risk": 2, "action": 2}
    assert reads == ["raid.xlsx"]  # the commit used the kept tables
    assert not (_media / job.stored_name).exists()
    assert not (_media / imports.tables_name(job.stored_name)).exists()  # both cleaned up


def test_a_commit_from_the_kept_tables_writes_what_one_from_the_file_writes(
    client_as, org, member, reads, _media
):
    Membership.objects.create(user=member, project=org.sibling, role=Role.MEMBER)
    client = client_as(member)
    upload(client, org.sibling, workbook(), name="raid.xlsx", register="raid")
    from_file = last_job()
    (_media / imports.tables_name(from_file.stored_name)).unlink()
    upload(client, org.project, workbook(), name="raid.xlsx", register="raid")
    kept = last_job()
    assert (from_file.preview, from_file.mapping) == (kept.preview, kept.mapping)

    commit(client, from_file)
    commit(client, kept)

    from_file.refresh_from_db()
    kept.refresh_from_db()
    assert (from_file.status, kept.status) == ("done", "done")
    assert reads == ["raid.xlsx", "raid.xlsx", "raid.xlsx"]  # two uploads, one fallback
    assert written(org.project) == written(org.sibling)
    risk = Risk.objects.get(project=org.project, number=1)
    assert (risk.review_date, risk.owner, risk.score) == (datetime.date(2026, 3, 1), member, 20)
    action = Action.objects.get(project=org.project, number=2)
    assert action.due == datetime.date(2026, 3, 15)  # a text date with a two-digit year


@pytest.mark.parametrize("spoil", ["missing", "other file", "corrupt", "old format"])
def test_without_usable_kept_tables_the_commit_reads_the_file(
    client_as, org, member, reads, _media, spoil
):
    client = client_as(member)
    upload(client, org.project, workbook(), name="raid.xlsx", register="raid")
    job = last_job()
    kept = _media / imports.tables_name(job.stored_name)
    if spoil == "missing":
        kept.unlink()
    elif spoil == "other file":
        imports._save_tables(job.stored_name + ".other", b"another upload", [])
        kept.write_bytes((_media / imports.tables_name(job.stored_name + ".other")).read_bytes())
    elif spoil == "corrupt":
        kept.write_bytes(kept.read_bytes()[:100])
    else:
        kept.write_bytes(gzip.compress(b'{"format": 0, "tables": []}'))

    commit(client, job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert reads == ["raid.xlsx", "raid.xlsx"]
    assert Risk.objects.count() == 2 and Action.objects.count() == 2


def test_a_person_who_left_the_project_after_the_preview_is_still_refused(
    client_as, org, manager, reads
):
    anna = UserFactory(username="anna")
    membership = Membership.objects.create(user=anna, project=org.project, role=Role.MEMBER)
    client = client_as(manager)
    upload(client, org.project, workbook(owner="anna"), name="raid.xlsx", register="raid")
    job = last_job()
    assert job.preview["problem_count"] == 0

    membership.delete()
    commit(client, job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "changed since the preview" in job.error["message"]
    assert Risk.objects.count() == 0 and Action.objects.count() == 0
    # The preview shows the rows again, now with the person who left as an error.
    assert {(p["sheet"], p["row"], p["code"]) for p in job.preview["problems"]} == {
        (0, 2, "unknown_person"),
        (1, 2, "unknown_person"),
    }
    assert reads == ["raid.xlsx"]  # checked again from the kept tables
    assert default_storage.exists(imports.tables_name(job.stored_name))  # kept for a retry


def test_the_kept_tables_hold_every_kind_of_cell_as_read(_media):
    when = datetime.datetime(2026, 1, 2, 9, 5, 7)
    table = Table(
        name="Risico's",
        headers=["Titel", "Datum", "Tijdstip", "Getal", "Deel", "Ja", ""],
        rows=[
            ["Één “quote”", datetime.date(2026, 1, 2), when, 3, 0.25, True, None],
            [],
            [None, None, None, -1, 1e-9, False, "x"],
        ],
        first_row_number=5,
    )
    imports._save_tables("imports/abc", b"the upload", [table])

    [back] = imports._load_tables("imports/abc", b"the upload")

    assert back == table
    assert [type(cell) for cell in back.rows[0]] == [type(cell) for cell in table.rows[0]]
    assert imports._load_tables("imports/abc", b"another upload") is None
