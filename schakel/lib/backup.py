"""Backups of a whole installation: the database and the uploaded files in one archive.

`backup_create` writes one tar file (gzip-compressed when its name ends in `.tar.gz`):

- `database/schakel.sqlite3` (a copy made with SQLite's online backup API, safe while the
  app runs) or `database/schakel.pgdump` (`pg_dump --format=custom`);
- `media/...`: every regular file under `MEDIA_ROOT` (symbolic links are not followed);
- `manifest.json`, written last: the format, the Schakel version, the engine, the applied
  migrations, the row count of every table and the size and SHA-256 of every other member.

The row counts are taken in the same snapshot as the dump: from the copied SQLite file, or,
on PostgreSQL, in a REPEATABLE READ transaction whose snapshot pg_dump is given.

`backup_restore` reads an archive back into an empty installation. It checks everything it
can before it changes anything: every member's path, type, size and hash, the engine, the
migrations and that the target holds no data. Only then does it load the database (SQLite:
through the backup API, in one transaction; PostgreSQL: `pg_restore --single-transaction`),
move the files into place and run `migrate`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess  # nosec B404 # pg_dump and pg_restore, with our own arguments
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "schakel-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {
    "sqlite": "database/schakel.sqlite3",
    "postgresql": "database/schakel.pgdump",
}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows in these tables mean that an installation is in use; a fresh one has none (migrate
# itself fills other tables, such as the default register scales).
DATA_MODELS = ("accounts.User", "portfolio.Portfolio", "portfolio.Programme", "portfolio.Project")
# Our own working folders: never backed up, never counted as the target's files.
WORK_PREFIXES = (".schakel-backup-", ".schakel-restore-")
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20
GZIP_LEVEL = 6
# libpq reads these from the environment; pg_dump and pg_restore get the connection that
# way, so that no password ever appears on a command line.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the administrator."""


@dataclass
class BackupResult:
    """The archive written and its manifest."""

    path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    """What a restore brought back."""

    manifest: dict[str, Any]
    counts: dict[str, int]
    media_files: int
    migrations_applied: list[tuple[str, str]] = field(default_factory=list)


# Shared helpers ------------------------------------------------------------------------


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _schakel_version() -> str:
    try:
        return metadata.version("schakel")
    except metadata.PackageNotFoundError:
        return "unknown"


def _model_tables() -> list[str]:
    """Every table of an installed model, including the many-to-many tables."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 # nosec B608 # our table, quoted
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _one_line(text: str) -> str:
    return " / ".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _is_work_folder(name: str) -> bool:
    return name.startswith(WORK_PREFIXES)


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that makes libpq tools connect as Django does."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value not in (None, ""):
            env[variable] = str(value)
    for option, variable in LIBPQ_OPTIONS.items():
        value = settings_dict.get("OPTIONS", {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found on the PATH: install the PostgreSQL client tools "
                "(Debian: apt-get install postgresql-client) of the server's version or newer."
            )
            % {"tool": name}
        )
    return path


def _run_pg_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        finished = subprocess.run(  # noqa: S603 # nosec B603 # our own arguments
            command, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False
        )
    except OSError as exc:
        raise BackupError(
            _("%(tool)s could not be started: %(error)s")
            % {"tool": os.path.basename(command[0]), "error": exc}
        ) from exc
    if finished.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit status %(status)d): %(error)s")
            % {
                "tool": os.path.basename(command[0]),
                "status": finished.returncode,
                "error": _one_line(finished.stderr.decode("utf-8", "replace")) or "-",
            }
        )


def _database_label(connection: BaseDatabaseWrapper) -> str:
    """Name the database for a message, without its password."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings_dict["NAME"])
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT")
    return f"{settings_dict.get('NAME')} ({host}{':' + str(port) if port else ''})"


# Backup --------------------------------------------------------------------------------


def default_backup_path(now: datetime | None = None) -> Path:
    """`VAR_DIR/backups/schakel-<UTC time>.tar.gz`."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return Path(settings.VAR_DIR) / "backups" / f"schakel-{moment:%Y%m%dT%H%M%SZ}.tar.gz"


def _compression(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    if name.endswith(".tar"):
        return ""
    raise BackupError(
        _("The archive's name must end in .tar or .tar.gz, not %(name)s.") % {"name": path.name}
    )


class _HashingReader:
    """Pass a file's bytes through while counting and hashing them."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(
    tar: tarfile.TarFile, name: str, path: Path, members: dict[str, dict[str, Any]]
) -> bool:
    """Add one regular file (never through a link); False if it vanished meanwhile."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise BackupError(
            _("Could not read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return False
        info = tarfile.TarInfo(name)
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = 0o644
        reader = _HashingReader(handle)
        try:
            tar.addfile(info, reader)  # type: ignore[arg-type]
        except OSError as exc:  # it shrank while we read it
            raise BackupError(
                _("%(path)s changed while it was being read; run the backup again.")
                % {"path": path}
            ) from exc
    members[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}
    return True


def _media_files(root: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """Yield (relative name, path) of every regular file under root, in a stable order."""
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        # os.walk lists links to folders among the folders but does not enter them.
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not (here == root and _is_work_folder(d)) and (here / d).resolve() not in skip
        )
        for filename in sorted(filenames):
            path = here / filename
            if path.resolve() in skip or (here == root and _is_work_folder(filename)):
                continue
            if stat.S_ISREG(os.lstat(path).st_mode):
                yield path.relative_to(root).as_posix(), path


def _snapshot_sqlite(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], list[list[str]]]:
    """Copy the database with SQLite's backup API; count the copy's rows."""
    if connection.in_atomic_block:
        # The backup API waits for ever on a connection holding a write transaction.
        raise BackupError(_("A backup cannot run inside a database transaction."))
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(copy)  # one step: one consistent read
        copy.execute("PRAGMA journal_mode=DELETE")  # the file stands alone, no -wal beside it
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The copy of the database failed SQLite's integrity check."))
        cursor = copy.cursor()
        present = {
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counts = _count_rows(cursor, [t for t in _model_tables() if t in present])
        migrations: list[list[str]] = []
        if "django_migrations" in present:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [[app, name] for app, name in cursor.fetchall()]
        return counts, migrations
    finally:
        copy.close()


def _snapshot_postgresql(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], list[list[str]]]:
    """Count the rows and run pg_dump in one REPEATABLE READ snapshot."""
    pg_dump = _pg_tool("pg_dump")
    # A connection of our own, so that the caller's transaction state does not matter.
    own = type(connection)(connection.settings_dict, alias=connection.alias)
    try:
        own.ensure_connection()
        with own.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            present = set(own.introspection.table_names(cursor))
            counts = _count_rows(cursor, [t for t in _model_tables() if t in present])
            migrations: list[list[str]] = []
            if "django_migrations" in present:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
                migrations = [[app, name] for app, name in cursor.fetchall()]
            _run_pg_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                _pg_environment(connection.settings_dict),
            )
            cursor.execute("ROLLBACK")
    except DatabaseError as exc:
        raise BackupError(_("The database could not be read: %(error)s") % {"error": exc}) from exc
    finally:
        own.close()
    return counts, migrations


def backup_create(
    *, output: Path | None = None, connection: BaseDatabaseWrapper | None = None
) -> BackupResult:
    """Write a backup archive of the database and the uploaded files; return its path.

    The archive is written under a temporary name beside `output` and renamed at the end,
    so a failed backup leaves nothing behind. It is readable by its owner only: it holds
    password hashes and everything in the registers.
    """
    connection = connection or connections[DEFAULT_DB_ALIAS]
    engine = _engine(connection)
    if output is None:
        output = default_backup_path()
        try:
            output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                _("The backup could not be written: %(error)s") % {"error": exc}
            ) from exc
    elif output.is_dir():
        output = output / default_backup_path().name
    output = output.absolute()
    compression = _compression(output)
    if output.exists():
        raise BackupError(_("%(path)s already exists; choose another name.") % {"path": output})
    if not output.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": output.parent})
    try:
        staging = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[0], dir=output.parent))
    except OSError as exc:
        raise BackupError(_("The backup could not be written: %(error)s") % {"error": exc}) from exc
    partial = output.with_name(f"{WORK_PREFIXES[0]}{output.name}.partial")
    try:
        database_member = DATABASE_MEMBERS[engine]
        dump = staging / Path(database_member).name
        if engine == "sqlite":
            counts, migrations = _snapshot_sqlite(connection, dump)
        else:
            counts, migrations = _snapshot_postgresql(connection, dump)
        created_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

        members: dict[str, dict[str, Any]] = {}
        media_root = Path(settings.MEDIA_ROOT)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            mode = "w:gz" if compression == "gz" else "w"
            options: dict[str, Any] = {"compresslevel": GZIP_LEVEL} if compression else {}
            with tarfile.open(  # type: ignore[call-overload]
                name=output.name,
                mode=mode,
                fileobj=handle,
                format=tarfile.PAX_FORMAT,
                **options,
            ) as tar:
                _add_file(tar, database_member, dump, members)
                skip = {staging.resolve(), partial.resolve(), output.resolve()}
                for name, path in _media_files(media_root, skip):
                    _add_file(tar, f"media/{name}", path, members)
                media = [info for name, info in members.items() if name.startswith("media/")]
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "schakel_version": _schakel_version(),
                    "engine": engine,
                    "created_at": created_at,
                    "database": {"member": database_member},
                    "media": {
                        "files": len(media),
                        "bytes": sum(info["size"] for info in media),
                    },
                    "migrations": migrations,
                    "tables": counts,
                    "members": members,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, output)
        _fsync_folder(output.parent)
    except (OSError, sqlite3.Error, DatabaseError) as exc:
        raise BackupError(_("The backup could not be written: %(error)s") % {"error": exc}) from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(path=output, manifest=manifest)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# Verification --------------------------------------------------------------------------


def _member_problem(member: tarfile.TarInfo) -> str | None:
    """Why this member may not be restored, or None."""
    name = member.name
    if not (member.isreg() and not member.issparse()):
        return _("it is not a regular file")
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        return _("its path leaves its folder")
    if name == MANIFEST or (parts[0] == "database" and len(parts) == 2):
        return None
    if parts[0] == "media" and len(parts) >= 2:
        return None
    return _("it is not part of a Schakel backup")


def _write_member(source: IO[bytes], target: Path | None) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    out = None
    try:
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            out = os.fdopen(os.open(target, flags, 0o644), "wb")
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    except OSError as exc:
        if exc.filename is None:  # reading the archive failed, not writing the file
            raise
        raise BackupError(
            _("Could not write %(path)s: %(error)s") % {"path": exc.filename, "error": exc.strerror}
        ) from exc
    finally:
        if out is not None:
            out.close()
    return size, digest.hexdigest()


def _check_manifest(manifest: Any) -> dict[str, Any]:
    malformed = BackupError(_("The archive's manifest.json is malformed."))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("The archive is not a Schakel backup (its manifest says otherwise)."))
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise malformed
    if version > FORMAT_VERSION:
        raise BackupError(
            _(
                "The backup was made by a newer Schakel (archive format %(version)d); upgrade "
                "Schakel before restoring it."
            )
            % {"version": version}
        )
    members = manifest.get("members")
    tables = manifest.get("tables")
    migrations = manifest.get("migrations")
    database = manifest.get("database")
    if (
        not isinstance(members, dict)
        or not all(
            isinstance(info, dict)
            and isinstance(info.get("size"), int)
            and isinstance(info.get("sha256"), str)
            for info in members.values()
        )
        or not isinstance(tables, dict)
        or not all(isinstance(count, int) for count in tables.values())
        or not isinstance(migrations, list)
        or not all(
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
            for item in migrations
        )
        or not isinstance(database, dict)
        or database.get("member") not in members
        or manifest.get("engine") not in DATABASE_MEMBERS
        or database.get("member") != DATABASE_MEMBERS[manifest["engine"]]
    ):
        raise malformed
    return manifest


def archive_verify(*, archive: Path, into: Path | None = None) -> dict[str, Any]:
    """Check every member of an archive against its manifest; return the manifest.

    With `into`, the members are also written below that (empty) folder as they are read:
    `database/...` and `media/...`. Raise BackupError on the first problem.
    """
    if not archive.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": archive})
    seen: dict[str, tuple[int, str]] = {}
    manifest: Any = None
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for member in tar:
                problem = _member_problem(member)
                if problem:
                    raise BackupError(
                        _("The archive cannot be restored: %(name)s is refused (%(problem)s).")
                        % {"name": member.name, "problem": problem}
                    )
                if member.name in seen or (member.name == MANIFEST and manifest is not None):
                    raise BackupError(
                        _("The archive cannot be restored: %(name)s occurs twice.")
                        % {"name": member.name}
                    )
                source = tar.extractfile(member)
                if source is None:  # cannot happen for a regular file
                    raise BackupError(_("The archive's manifest.json is malformed."))
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError(_("The archive's manifest.json is malformed."))
                    try:
                        manifest = json.loads(source.read())
                    except ValueError as exc:
                        raise BackupError(_("The archive's manifest.json is malformed.")) from exc
                    continue
                target = into / member.name if into is not None else None
                seen[member.name] = _write_member(source, target)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            _("%(path)s is not a readable backup archive (damaged or cut short): %(error)s")
            % {"path": archive, "error": exc}
        ) from exc
    if manifest is None:
        raise BackupError(
            _("%(path)s has no manifest.json: it is not a Schakel backup.") % {"path": archive}
        )
    manifest = _check_manifest(manifest)
    for name, info in manifest["members"].items():
        if name not in seen:
            raise BackupError(_("The archive is incomplete: %(name)s is missing.") % {"name": name})
        if seen[name] != (info["size"], info["sha256"]):
            raise BackupError(
                _(
                    "The archive is damaged or was changed: %(name)s does not match the "
                    "size and SHA-256 in its manifest."
                )
                % {"name": name}
            )
    extra = sorted(set(seen) - set(manifest["members"]))
    if extra:
        raise BackupError(
            _("The archive holds a file its manifest does not list: %(name)s.") % {"name": extra[0]}
        )
    return manifest


# Restore -------------------------------------------------------------------------------


def _check_migrations(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = [
        f"{app}.{name}"
        for app, name in manifest["migrations"]
        if app in installed and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer Schakel (it has migration %(migration)s, "
                "which this one does not know); upgrade Schakel before restoring it."
            )
            % {"migration": unknown[0]}
        )


def _target_problem(connection: BaseDatabaseWrapper) -> str | None:
    """Why the database is no empty installation, or None."""
    label = _database_label(connection)
    try:
        with connection.cursor() as cursor:
            present = set(connection.introspection.table_names(cursor))
            for model_label in DATA_MODELS:
                table = apps.get_model(model_label)._meta.db_table
                if table in present:
                    cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608 # nosec B608
                    if cursor.fetchone():
                        return _(
                            "The database %(database)s already holds data (users or projects); "
                            "restore only into an empty installation."
                        ) % {"database": label}
    except DatabaseError as exc:
        return _("The database %(database)s could not be read: %(error)s") % {
            "database": label,
            "error": exc,
        }
    if connection.vendor == "postgresql" and present:
        return _(
            "The database %(database)s already has tables; restore needs a new, empty "
            "database (createdb) on which migrate has not run."
        ) % {"database": label}
    return None


def _media_problem(media_root: Path) -> str | None:
    if not media_root.exists():
        return None
    for folder, dirnames, filenames in os.walk(media_root):
        here = Path(folder)
        if here == media_root:
            dirnames[:] = [d for d in dirnames if not _is_work_folder(d)]
        links = [d for d in dirnames if (here / d).is_symlink()]
        if filenames or links:
            return _(
                "The media folder %(path)s already holds files; restore only into an empty "
                "installation."
            ) % {"path": media_root}
    return None


def restore_check_target(*, connection: BaseDatabaseWrapper | None = None) -> None:
    """Raise BackupError unless the database and the media folder are empty."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    problem = _target_problem(connection) or _media_problem(Path(settings.MEDIA_ROOT))
    if problem:
        raise BackupError(problem)


def _count_mismatch(expected: dict[str, int], actual: dict[str, int]) -> str | None:
    for table, count in sorted(expected.items()):
        if table not in actual:
            return _("The restored database lacks the table %(table)s.") % {"table": table}
        if actual[table] != count:
            return _(
                "The restored table %(table)s has %(actual)d rows where the backup counted "
                "%(expected)d."
            ) % {"table": table, "actual": actual[table], "expected": count}
    return None


def _restore_sqlite(
    connection: BaseDatabaseWrapper, staged: Path, expected: dict[str, int]
) -> dict[str, int]:
    source = sqlite3.connect(staged)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("The database in the archive failed SQLite's integrity check."))
        present = {
            row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counts = _count_rows(source.cursor(), [t for t in expected if t in present])
        mismatch = _count_mismatch(expected, counts)
        if mismatch:
            raise BackupError(mismatch)
        connection.ensure_connection()
        try:
            # The backup API replaces the target's pages in one transaction, through
            # SQLite's own locking, so the file and its -wal stay consistent.
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupError(
                _("The database could not be replaced: %(error)s") % {"error": exc}
            ) from exc
    finally:
        source.close()
        connection.close()
    return counts


def _restore_postgresql(
    connection: BaseDatabaseWrapper, staged: Path, expected: dict[str, int]
) -> dict[str, int]:
    pg_restore = _pg_tool("pg_restore")
    settings_dict = connection.settings_dict
    name = str(settings_dict.get("NAME") or "")
    dbname = "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"
    connection.close()
    _run_pg_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={dbname}",
            str(staged),
        ],
        _pg_environment(settings_dict),
    )
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, [t for t in expected if t in present])
    mismatch = _count_mismatch(expected, counts)
    if mismatch:
        raise BackupError(mismatch)
    return counts


def _move_media(staged: Path, media_root: Path) -> int:
    """Move the staged files into the media folder; return how many there are."""
    files = sum(len(filenames) for _folder, _dirs, filenames in os.walk(staged))
    if not staged.is_dir():
        return 0
    for entry in sorted(staged.iterdir()):
        destination = media_root / entry.name
        if destination.is_dir() and not destination.is_symlink():
            shutil.rmtree(destination)  # empty folders only: _media_problem checked
        os.rename(entry, destination)
    return files


def backup_restore(
    *,
    archive: Path,
    confirm: Callable[[dict[str, Any]], bool] = lambda manifest: True,
    progress: Callable[[str], None] = lambda message: None,
    connection: BaseDatabaseWrapper | None = None,
) -> RestoreResult | None:
    """Restore an archive into this empty installation; None if `confirm` said no.

    Everything is checked before anything changes: the archive (paths, types, sizes,
    hashes), its engine and migrations, and that the database and media folder hold no
    data. The files wait in a folder inside MEDIA_ROOT until the database is in.
    """
    connection = connection or connections[DEFAULT_DB_ALIAS]
    engine = _engine(connection)
    if not archive.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": archive})
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[1], dir=media_root))
    except OSError as exc:
        raise BackupError(
            _("The media folder %(path)s cannot be written: %(error)s")
            % {"path": media_root, "error": exc.strerror}
        ) from exc
    try:
        progress(_("Checking the archive…"))
        manifest = archive_verify(archive=archive, into=staging)
        if manifest["engine"] != engine:
            raise BackupError(
                _(
                    "The backup is of a %(theirs)s database and this installation uses "
                    "%(ours)s; schakel restore does not move data between database engines."
                )
                % {"theirs": ENGINE_NAMES[manifest["engine"]], "ours": ENGINE_NAMES[engine]}
            )
        _check_migrations(manifest)
        restore_check_target(connection=connection)
        if not confirm(manifest):
            return None
        progress(_("Restoring the database…"))
        staged = staging / manifest["database"]["member"]
        if engine == "sqlite":
            counts = _restore_sqlite(connection, staged, manifest["tables"])
        else:
            counts = _restore_postgresql(connection, staged, manifest["tables"])
        progress(_("Restoring the uploaded files…"))
        media_files = _move_media(staging / "media", media_root)
        progress(_("Running migrate…"))
        before = set(MigrationRecorder(connection).applied_migrations())
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except (DatabaseError, CommandError) as exc:
            raise BackupError(
                _("The backup was restored, but migrate failed: %(error)s") % {"error": exc}
            ) from exc
        after = set(MigrationRecorder(connection).applied_migrations())
    except OSError as exc:
        raise BackupError(_("The restore failed: %(error)s") % {"error": exc}) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        manifest=manifest,
        counts=counts,
        media_files=media_files,
        migrations_applied=sorted(after - before),
    )
