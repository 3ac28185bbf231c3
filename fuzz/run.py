"""Fuzz one import parser with atheris: `python -m fuzz.run TARGET [--seconds N]`.

Targets:

- ``mspdi``: :func:`schakel.core.importers.mspdi.read_mspdi`, seeded with the MS Project XML
  samples in ``../shared/samples/msproject``.
- ``tabular``: :func:`schakel.core.importers.tabular.read_workbook` and ``parse_rows``,
  seeded with a small workbook and CSV file written here.

Each parser may only return a result or raise its own error (``MspdiError``,
``ImportFileError``); any other exception is a crash, which libFuzzer reports with the input
that caused it (saved as ``crash-*`` in the working directory). The corpus grows in
``var/fuzz/<target>``, so later runs start where earlier ones stopped.

The parsers are pure Python without Django (``schakel.core``), so no database is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"

with atheris.instrument_imports():
    from schakel.core.importers import mspdi, tabular


def fuzz_mspdi(data: bytes) -> None:
    with contextlib.suppress(mspdi.MspdiError):
        mspdi.read_mspdi(data, max_bytes=2 * 1024 * 1024, max_tasks=2_000)


def fuzz_tabular(data: bytes) -> None:
    try:
        tables = tabular.read_workbook(data, "fuzz.xlsx", max_bytes=2 * 1024 * 1024, max_rows=2_000)
    except tabular.ImportFileError:
        return
    for table in tables:
        assert isinstance(table.headers, list | tuple)


def seeds_mspdi() -> list[bytes]:
    return [path.read_bytes() for path in sorted((SAMPLES / "msproject").glob("*.xml"))]


def seeds_tabular() -> list[bytes]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Risks"
    sheet.append(["Title", "Probability", "Impact", "Owner", "Due", "Status"])
    sheet.append(["Supplier fails", 3, 4, "pmo", "2026-12-01", "open"])
    sheet.append(["=1+1", "x", "", "", "31-02-2026", "closed"])
    buffer = io.BytesIO()
    book.save(buffer)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["Titel", "Kans", "Impact", "Eigenaar"])
    writer.writerow(["Leverancier valt om", "3", "4", "pmo"])
    return [buffer.getvalue(), text.getvalue().encode("utf-8-sig")]


TARGETS = {"mspdi": (fuzz_mspdi, seeds_mspdi), "tabular": (fuzz_tabular, seeds_tabular)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=int, default=60, help="how long to fuzz (default 60)")
    args, rest = parser.parse_known_args()
    function, seeds = TARGETS[args.target]
    corpus = ROOT / "var" / "fuzz" / args.target
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(seeds()):
        path = corpus / f"seed-{number}"
        if not path.exists():
            path.write_bytes(seed)
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={args.seconds}",
        "-max_len=1048576",
        "-rss_limit_mb=2048",
        "-timeout=20",
        *rest,
    ]
    atheris.Setup(argv, function)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
