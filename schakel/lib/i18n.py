"""Compile and check the translation catalogues without GNU gettext.

`python -m schakel.lib.i18n compile` turns every locale/*/LC_MESSAGES/*.po into .mo with
Babel, so a machine with only Python can build Schakel. `check` lists untranslated or
fuzzy messages and exits 1 if there are any.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in catalogues():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return 0


def missing(po_path: Path) -> list[str]:
    """Return the message ids of a catalogue that lack a (non-fuzzy) translation."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parts[-3])
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def check() -> int:
    problems = 0
    for po_path in catalogues():
        if po_path.parts[-3] == "en":
            continue
        for msgid in missing(po_path):
            problems += 1
            print(f"{po_path}: untranslated: {msgid!r}")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    sys.exit(compile_all() if command == "compile" else check())
