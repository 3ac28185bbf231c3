"""`schakel backup` and `schakel restore`: a round trip brings back every row and every file;
a damaged, hostile or mismatched archive, or a target that holds data, is refused and
changes nothing.

The restores that must succeed run in a subprocess against a fresh, empty installation (its
own SQLite file or PostgreSQL database, its own media folder), exactly as an administrator
runs them. The data is committed (transactional tests) so that the backup, which reads the
database as another session would, sees it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from schakel.lib import backup as backup_module
from schakel.lib.backup import DATABASE_MEMBERS
from schakel.registers import imports
from schakel.registers.tests import factories
from schakel.registers.tests.test_import_support import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
# Every byte value, so that no text-mode or encoding slip goes unnoticed.
BINARY = bytes(range(256)) * 40

on_sqlite = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the SQLite round trip needs the SQLite suite"
)
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="runs when the suite runs on PostgreSQL"
)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def installation(org, member, pmo, media, tmp_path) -> Path:
    """Users, a project with register items and an uploaded file; returns MEDIA_ROOT."""
    factories.risk(org.project, member, title="Supplier delivers late — €")
    factories.action(org.project, member, owner=member)
    factories.decision(org.project, pmo)
    factories.issue(org.sibling, pmo)
    imports.job_start(
        user=member,
        project=org.project,
        kind="risk",
        data=csv_bytes([["Title", "Probability", "Impact"], ["Data centre fire", 2, 5]]),
        filename="risks.csv",
    )
    nested = media / "report-pages" / "2026"
    nested.mkdir(parents=True)
    (nested / "page.bin").write_bytes(BINARY)
    # A link to a file outside MEDIA_ROOT: a backup must not follow it.
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    (media / "link.txt").symlink_to(outside)
    return media


def media_files(root: Path) -> dict[str, bytes]:
    """Every regular file below root (links left out), by relative path."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def backup(path: Path) -> Path:
    call_command("backup", output=path)
    return path


def read_archive(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path) as tar:
        result = []
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            result.append((member, handle.read() if handle else b""))
        return result


def write_archive(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def manifest_of(members: list[tuple[tarfile.TarInfo, bytes]]) -> dict[str, Any]:
    return json.loads({info.name: data for info, data in members}["manifest.json"])


def with_manifest(
    members: list[tuple[tarfile.TarInfo, bytes]], manifest: dict[str, Any]
) -> list[tuple[tarfile.TarInfo, bytes]]:
    data = json.dumps(manifest).encode()
    return [(i, data if i.name == "manifest.json" else d) for i, d in members]


def entry(data: bytes) -> dict[str, Any]:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def state(media_root: Path) -> tuple[dict[str, int], dict[str, bytes], list[str]]:
    """The row count of every table, the media files and any leftover in the media folder."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 # nosec B608
            counts[table] = cursor.fetchone()[0]
    leftovers = sorted(p.name for p in media_root.iterdir() if p.name.startswith(".schakel-"))
    return counts, media_files(media_root), leftovers


def run_schakel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(  # noqa: S603 # nosec B603
        [sys.executable, "-m", "schakel.cli", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def restore_into(
    archive: Path, database_url: str, target: Path
) -> subprocess.CompletedProcess[str]:
    """`schakel restore` of `archive` in a new process, into an installation of its own."""
    return run_schakel(
        "restore",
        str(archive),
        "--yes",
        env={"DATABASE_URL": database_url, "SCHAKEL_VAR_DIR": str(target)},
    )


# The archive ---------------------------------------------------------------------------


def test_the_manifest_counts_every_table_and_hashes_every_member(installation, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    members = read_archive(archive)
    manifest = manifest_of(members)

    assert archive.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    assert [info.name for info, _data in members][-1] == "manifest.json"
    assert manifest["engine"] == connection.vendor
    assert manifest["schakel_version"] == metadata.version("schakel")
    with connection.cursor() as cursor:
        for table, count in manifest["tables"].items():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 # nosec B608
            assert cursor.fetchone()[0] == count, table
    assert manifest["tables"]["accounts_user"] == 2
    assert manifest["tables"]["registers_risk"] == 1
    assert manifest["tables"]["registers_importjob"] == 1
    applied = MigrationRecorder(connection).applied_migrations()
    assert {tuple(item) for item in manifest["migrations"]} == set(applied)
    listed = {info.name: data for info, data in members}
    del listed["manifest.json"]
    assert manifest["members"] == {name: entry(data) for name, data in listed.items()}
    assert {name[len("media/") :]: data for name, data in listed.items() if "media/" in name} == (
        media_files(installation)
    )
    assert "media/link.txt" not in listed
    assert set(listed) - {f"media/{name}" for name in media_files(installation)} == {
        DATABASE_MEMBERS[connection.vendor]
    }


def test_a_failed_backup_leaves_no_archive_behind(installation, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    real = backup_module._media_files

    def disk_full_after_one(root: Path, skip: set[Path]):
        yield next(real(root, skip))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "_media_files", disk_full_after_one)
    with pytest.raises(CommandError, match="No space left on device"):
        backup(folder / "b.tar.gz")
    assert list(folder.iterdir()) == []


def test_backup_refuses_to_overwrite_an_archive(tmp_path):
    archive = tmp_path / "b.tar"
    archive.write_bytes(b"last night's backup")
    with pytest.raises(CommandError, match="already exists"):
        backup(archive)
    assert archive.read_bytes() == b"last night's backup"
    assert [p.name for p in tmp_path.iterdir()] == ["b.tar"]


# Round trips ---------------------------------------------------------------------------


def select_all(table: str) -> str:
    return f'SELECT * FROM "{table}"'  # noqa: S608 # nosec B608 # the test's own table names


def sqlite_rows(path: str) -> dict[str, list[tuple[Any, ...]]]:
    database = sqlite3.connect(path, uri=path.startswith("file:"))
    try:
        tables = [
            name
            for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: sorted(database.execute(select_all(table)).fetchall(), key=repr)
            for table in tables
        }
    finally:
        database.close()


@on_sqlite
def test_sqlite_round_trip_brings_back_every_row_and_file(installation, tmp_path):
    archive = backup(tmp_path / "b.tar.gz")
    target = tmp_path / "restored"
    database = target / "schakel.sqlite3"

    finished = restore_into(archive, f"sqlite:///{database}", target)

    assert finished.returncode == 0, finished.stderr
    assert "every table's row count matches the backup" in finished.stdout
    source = sqlite_rows(connection.settings_dict["NAME"])
    restored = sqlite_rows(str(database))
    assert restored.keys() == source.keys()
    for table, rows in source.items():
        assert restored[table] == rows, table
    assert len(restored["registers_risk"]) == 1
    files = media_files(target / "media")
    assert files == media_files(installation)
    assert files["report-pages/2026/page.bin"] == BINARY
    assert not (target / "media" / "link.txt").exists()


@on_sqlite
def test_a_row_count_that_differs_from_the_manifest_stops_the_restore(installation, tmp_path):
    members = read_archive(backup(tmp_path / "b.tar"))
    manifest = manifest_of(members)
    manifest["tables"]["registers_risk"] += 1
    archive = write_archive(tmp_path / "miscounted.tar", with_manifest(members, manifest))
    target = tmp_path / "restored"
    database = target / "schakel.sqlite3"

    finished = restore_into(archive, f"sqlite:///{database}", target)

    assert finished.returncode != 0
    assert "registers_risk has 1 rows where the backup counted 2" in finished.stderr
    assert "accounts_user" not in sqlite_rows(str(database))  # nothing was loaded
    assert media_files(target / "media") == {}


@pytest.fixture
def pg_database():
    """A new, empty PostgreSQL database, dropped afterwards whatever happens."""
    params = connection.settings_dict
    name = f"schakel_restore_{uuid.uuid4().hex[:12]}"
    server = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, server
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_contents(dbname: str, server: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(dbname=dbname, **server) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        contents = {
            table: sorted(database.execute(select_all(table)).fetchall(), key=repr)
            for table in tables
        }
        # The sequences too: a restored installation must not hand out ids already used.
        contents["(sequences)"] = sorted(
            database.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
        return contents


@on_postgresql
def test_postgresql_round_trip_brings_back_every_row_and_file(installation, tmp_path, pg_database):
    name, server = pg_database
    archive = backup(tmp_path / "b.tar")
    target = tmp_path / "restored"
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    url = f"postgres://{auth}@{server['host']}:{server['port']}/{name}"

    finished = restore_into(archive, url, target)

    assert finished.returncode == 0, finished.stderr
    assert "every table's row count matches the backup" in finished.stdout
    source = pg_contents(connection.settings_dict["NAME"], server)
    restored = pg_contents(name, server)
    assert restored.keys() == source.keys()
    for table, rows in source.items():
        assert restored[table] == rows, table
    assert len(restored["registers_risk"]) == 1
    assert media_files(target / "media") == media_files(installation)


# Refusals ------------------------------------------------------------------------------


def refused(archive: Path, media_root: Path, settings, match: str) -> None:
    """Restore must fail with this message and change neither the database nor the files."""
    before = state(media_root)
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(archive), yes=True)
    assert state(media_root) == before


def test_a_tampered_archive_is_refused(installation, tmp_path, settings):
    members = read_archive(backup(tmp_path / "b.tar"))
    changed = [
        (info, bytes([data[0] ^ 1]) + data[1:] if info.name.endswith("page.bin") else data)
        for info, data in members
    ]
    archive = write_archive(tmp_path / "tampered.tar", changed)

    message = "damaged or was changed: media/report-pages/2026/page.bin"
    refused(archive, installation, settings, message)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), check=True)


HOSTILE = [
    ("media/../../escaped.txt", tarfile.REGTYPE, "its path leaves its folder"),
    ("{tmp}/escaped.txt", tarfile.REGTYPE, "its path leaves its folder"),
    ("media/escaped.txt", tarfile.SYMTYPE, "it is not a regular file"),
    ("media/escaped.txt", tarfile.LNKTYPE, "it is not a regular file"),
    ("media/escaped.txt", tarfile.CHRTYPE, "it is not a regular file"),
]


def test_a_member_that_could_leave_its_folder_is_refused(installation, tmp_path, settings):
    members = read_archive(backup(tmp_path / "b.tar"))
    settings.MEDIA_ROOT = tmp_path / "deep" / "media"  # ../../ from here is still in tmp_path
    settings.MEDIA_ROOT.mkdir(parents=True)
    for number, (name, member_type, reason) in enumerate(HOSTILE):
        info = tarfile.TarInfo(name.format(tmp=tmp_path))
        info.type = member_type
        info.linkname = "/etc/passwd" if member_type in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
        data = b"escaped" if member_type == tarfile.REGTYPE else b""
        # The manifest lists it with the right hash: its path or type alone must refuse it.
        manifest = manifest_of(members)
        manifest["members"][info.name] = entry(data)
        hostile = with_manifest([*members[:-1], (info, data), *members[-1:]], manifest)
        archive = write_archive(tmp_path / f"hostile-{number}.tar", hostile)

        refused(
            archive, settings.MEDIA_ROOT, settings, re.escape(f"{info.name} is refused ({reason})")
        )
        assert not list(tmp_path.rglob("escaped.txt")), name


def test_restore_into_a_database_that_holds_data_is_refused(installation, tmp_path, settings):
    archive = backup(tmp_path / "b.tar")
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    settings.MEDIA_ROOT.mkdir()

    refused(archive, settings.MEDIA_ROOT, settings, "already holds data")


def test_a_backup_of_another_database_engine_is_refused(installation, tmp_path, settings):
    members = read_archive(backup(tmp_path / "b.tar"))
    ours = connection.vendor
    theirs = "postgresql" if ours == "sqlite" else "sqlite"
    manifest = manifest_of(members)
    manifest["engine"] = theirs
    manifest["database"]["member"] = DATABASE_MEMBERS[theirs]
    manifest["members"][DATABASE_MEMBERS[theirs]] = manifest["members"].pop(DATABASE_MEMBERS[ours])
    for info, _data in members:
        if info.name == DATABASE_MEMBERS[ours]:
            info.name = DATABASE_MEMBERS[theirs]
    archive = write_archive(tmp_path / "other.tar", with_manifest(members, manifest))

    refused(archive, installation, settings, "does not move data between database engines")


def test_a_target_that_is_not_empty_is_refused_before_anything_changes(media):
    (media / "imports").mkdir()
    (media / "imports" / "orphan").write_bytes(b"x")
    expected = "already has tables" if connection.vendor == "postgresql" else "already holds files"
    with pytest.raises(backup_module.BackupError, match=expected):
        backup_module.restore_check_target()


@on_postgresql
def test_a_missing_or_failing_pg_dump_is_a_clear_error(media, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup(folder / "b.tar")
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: server version mismatch' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(CommandError, match=r"exit status 1.*server version mismatch"):
        backup(folder / "b.tar")
    assert list(folder.iterdir()) == []
