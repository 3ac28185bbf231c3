"""Time the consolidated report's PPTX, PDF and XLSX writers for 20 and 200 projects.

Run from the repository root::

    .venv/bin/python -m bench.report_exports        # or: python bench/report_exports.py
    .venv/bin/python -m bench.report_exports --sizes 20 --pdf-runs 1

The renderers are pure functions of a `ConsolidatedReport`, so no Django settings are
needed: the reports come from the test samples. PPTX and XLSX report the median of
``--runs`` runs, the PDF (the slow one) of ``--pdf-runs``. The first PDF in a process also
starts the fork server that the PDF's worker processes come from; that start is timed
separately ("PDF, cold") so the table shows what every later export costs.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import write_json
from schakel.core.exports.pptx import report_pptx
from schakel.core.exports.report_data import ConsolidatedReport
from schakel.core.exports.report_pdf import report_pdf, warm_pages
from schakel.core.exports.report_xlsx import report_xlsx
from schakel.core.tests.report_samples import large_report

Renderer = Callable[[ConsolidatedReport], bytes]


def timed(render: Renderer, report: ConsolidatedReport, runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` renders, and the size of the last file in bytes."""
    seconds = []
    data = b""
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        data = render(report)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(data)


def main(argv: Sequence[str] | None = None) -> int:
    """Print one row per format and report size: seconds and file size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--runs", type=int, default=3, help="runs for PPTX and XLSX")
    parser.add_argument("--pdf-runs", type=int, default=2, help="runs for the PDF")
    parser.add_argument("--json", help="write the results here as JSON")
    options = parser.parse_args(argv)
    results: list[dict[str, object]] = []

    # Start the PDF's fork server once, on a report that uses it, and say what it cost.
    started = time.perf_counter()
    report_pdf(large_report(2), chunk_size=1)
    cold = time.perf_counter() - started
    print(f"PDF, cold (fork server start and imports): {cold:.2f} s")

    print(f"{'format':<6} {'projects':>8} {'runs':>4} {'seconds':>8} {'size (kB)':>10}")
    renderers: list[tuple[str, Renderer, int]] = [
        ("PPTX", report_pptx, options.runs),
        ("PDF", report_pdf, options.pdf_runs),
        ("XLSX", report_xlsx, options.runs),
    ]
    for size in options.sizes:
        report = large_report(size)
        for name, render, runs in renderers:
            seconds, length = timed(render, report, runs)
            print(f"{name:<6} {size:>8} {runs:>4} {seconds:>8.2f} {length / 1024:>10.0f}")
            results.append(
                {"format": name, "projects": size, "runs": runs, "s": round(seconds, 2),
                 "kb": round(length / 1024)}
            )  # fmt: skip
        # What a download costs once the project pages were printed when the reports were
        # approved (the app keeps them on disk; here in memory).
        cache = MemoryCache()
        started = time.perf_counter()
        warm_pages(report, cache)
        warmed = time.perf_counter() - started
        print(f"{'PDF pages printed ahead':<24} {size:>4} {1:>4} {warmed:>8.2f}")
        results.append(
            {"format": "PDF pages printed ahead", "projects": size, "runs": 1,
             "s": round(warmed, 2)}
        )  # fmt: skip
        kept = functools.partial(report_pdf, cache=cache)
        seconds, length = timed(kept, report, options.pdf_runs)
        name = "PDF, pages kept"
        print(f"{name:<16} {size:>4} {options.pdf_runs:>4} {seconds:>8.2f} {length / 1024:>10.0f}")
        results.append(
            {"format": name, "projects": size, "runs": options.pdf_runs, "s": round(seconds, 2),
             "kb": round(length / 1024)}
        )  # fmt: skip
    write_json(options.json, {"pdf_cold_s": round(cold, 2), "exports": results})
    return 0


class MemoryCache(dict[str, bytes]):
    """The page cache of the app, in memory."""

    def get(self, key: str) -> bytes | None:  # type: ignore[override]
        return dict.get(self, key)

    def put(self, key: str, data: bytes) -> None:
        self[key] = data


if __name__ == "__main__":
    raise SystemExit(main())
