"""`schakel backup`: the database and the uploaded files in one archive (see schakel.lib.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from schakel.lib.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive: the database (a consistent copy, safe while Schakel runs), "
        "the uploaded files and a manifest with row counts and SHA-256 hashes. Default: "
        "var/backups/schakel-<UTC time>.tar.gz."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            metavar="PATH",
            help="Archive to write (.tar or .tar.gz), or an existing folder to write it in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(output=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            _(
                "Backup written to %(path)s (%(size)s). Tables: %(tables)d, rows: %(rows)d, "
                "uploaded files: %(files)d."
            )
            % {
                "path": result.path,
                "size": filesizeformat(result.path.stat().st_size),
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": manifest["media"]["files"],
            }
        )
