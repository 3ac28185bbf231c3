"""The `schakel` console command: Django's management commands plus a few of our own.

`schakel serve`, `schakel demo`, `schakel worker` and `schakel token` are management
commands of the app; everything else (`schakel migrate`, `schakel createsuperuser`, ...)
is Django's own.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run a management command given on the command line."""
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and argv[1] == "serve":
        # The production server defaults to production settings.
        os.environ.setdefault("DEBUG", "false")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves one clear line, not a traceback.
        print(f"schakel: configuration error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
