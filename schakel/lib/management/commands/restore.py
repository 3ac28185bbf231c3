"""`schakel restore`: bring a `schakel backup` archive back into an empty installation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from schakel.lib.backup import ENGINE_NAMES, BackupError, archive_verify, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `schakel backup` into an empty installation: checks "
        "every file's hash first, loads the database and the uploaded files, runs migrate and "
        "compares the row counts with the backup's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar or .tar.gz written by backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Restore without asking for confirmation."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (hashes, sizes, paths); change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            if options["check"]:
                manifest = archive_verify(archive=archive)
                self.stdout.write(_("The archive is complete and intact."))
                self.describe(manifest)
                return
            result = backup_restore(
                archive=archive,
                confirm=lambda manifest: self.confirm(manifest, options["yes"]),
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            self.stdout.write(_("Nothing was restored."))
            return
        self.stdout.write(
            _(
                "Restored. Tables: %(tables)d, rows: %(rows)d, uploaded files: %(files)d; "
                "every table's row count matches the backup."
            )
            % {
                "tables": len(result.counts),
                "rows": sum(result.counts.values()),
                "files": result.media_files,
            }
        )
        if options["verbosity"] >= 2:
            for table, count in sorted(result.counts.items()):
                self.stdout.write(f"  {table}: {count}")
        if result.migrations_applied:
            self.stdout.write(
                _("migrate brought the database up to date (migrations applied: %(count)d).")
                % {"count": len(result.migrations_applied)}
            )

    def describe(self, manifest: dict[str, Any]) -> None:
        self.stdout.write(
            _(
                "Backup made at %(created)s by Schakel %(version)s from %(engine)s. Tables: "
                "%(tables)d, rows: %(rows)d, uploaded files: %(files)d."
            )
            % {
                "created": manifest.get("created_at", "?"),
                "version": manifest.get("schakel_version", "?"),
                "engine": ENGINE_NAMES[manifest["engine"]],
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": sum(1 for name in manifest["members"] if name.startswith("media/")),
            }
        )

    def confirm(self, manifest: dict[str, Any], yes: bool) -> bool:
        """Show what will be restored where; ask unless --yes."""
        self.describe(manifest)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise CommandError(_("Add --yes to restore without a question."))
        question = _(
            "Restore it into the database %(database)s and the media folder %(media)s? "
            "Type 'yes' to go on: "
        ) % {"database": connection.settings_dict.get("NAME"), "media": settings.MEDIA_ROOT}
        return input(question).strip().lower() == "yes"
