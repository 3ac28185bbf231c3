"""`make bench`: every benchmark, on PostgreSQL, in one run; results stored and summarised.

1. Databases: size L in ``BENCH_DATABASE_URL`` (default ``schakel_bench`` on the local
   PostgreSQL), sizes S and M beside it (``<name>_s``, ``<name>_m``). Each is created,
   migrated and given its demo if it has none (the build is timed); an existing one is
   reused.
2. Pages and API in process at size L, each beside its raw-SQL floor (``bench.pages``).
3. Load over HTTP: ``schakel serve`` with 1, 8 and 50 concurrent users (``bench.load``).
4. Heavy jobs: CPM of 100,000 tasks (``bench.scheduling``), the consolidated PPTX, PDF and
   XLSX of 200 projects (``bench.report_exports``), a 10,000-row RAID import
   (``bench.raid_import``), the Gantt's first paint at 2,000 and 10,000 tasks in Chromium
   (``bench.gantt_browser``, the module alone, and ``bench.planning_app``, the real page).
5. Growth: the pages again at sizes S and M, beside L.

Each part runs in a process of its own and writes JSON; the merged results go to
``bench/results/<date>.json`` and, as tables, between the markers of
``docs/performance.md``. A part that fails is reported and the run goes on (the exit code
says so). ``--quick`` runs fewer repetitions (a smoke run, not for the record).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.common import DEFAULT_DATABASE_URL, RESULTS, ROOT, machine, write_json

PYTHON = str(ROOT / ".venv/bin/python")
SCHAKEL = str(ROOT / ".venv/bin/schakel")
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# Projects a demo of each size has at least (to tell a loaded database from another size).
MIN_PROJECTS = {"S": 5, "M": 40, "L": 400}


def url_for(base: str, size: str) -> str:
    """The database of a size: L is the base URL itself, S and M get a suffix."""
    if size == "L":
        return base
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size.lower()}"))


def log(text: str) -> None:
    print(text, flush=True)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')  # name from our own settings
            log(f"  created database {name}")


def environment(url: str, size: str) -> dict[str, str]:
    var = Path(tempfile.gettempdir()) / f"schakel-bench-{size.lower()}"
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SCHAKEL_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }


def projects_in(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        try:
            row = connection.execute(
                "SELECT count(*) FROM portfolio_project WHERE deleted_at IS NULL"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row else 0


def prepare(url: str, size: str) -> dict[str, Any]:
    """Create, migrate and (once) load the demo of ``size``; say what it cost."""
    ensure_database(url)
    env = environment(url, size)
    subprocess.run([SCHAKEL, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    count = projects_in(url)
    if count >= MIN_PROJECTS[size]:
        name = urlsplit(url).path.lstrip("/")
        log(f"  size {size}: reusing the demo in {name} ({count} projects)")
        return {"size": size, "database": name, "reused": True}
    if count:
        raise SystemExit(
            f"{url} holds {count} projects, not a size-{size} demo: drop it or choose another "
            "BENCH_DATABASE_URL."
        )
    log(f"  size {size}: building the demo (schakel demo --size {size}) ...")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [SCHAKEL, "demo", "--size", size, "--force"], env=env, check=True, cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = round(time.perf_counter() - started, 1)
    log(f"  size {size}: built in {seconds} s")
    return {
        "size": size,
        "database": urlsplit(url).path.lstrip("/"),
        "reused": False,
        "build_s": seconds,
    }


def part(name: str, module: str, args: list[str], env: dict[str, str], out: Path) -> Any:
    """Run one benchmark module; return its JSON, or an error record."""
    log(f"\n== {name} ({module} {' '.join(args)})")
    target = out / f"{name}.json"
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-m", module, *args, "--json", str(target)], env=env, cwd=ROOT, check=False
    )
    seconds = round(time.perf_counter() - started, 1)
    if result.returncode != 0 or not target.exists():
        log(f"!! {name} failed (exit {result.returncode})")
        return {"error": f"exit {result.returncode}", "wall_s": seconds}
    data = json.loads(target.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data["wall_s"] = seconds
    return data


# The summary tables ---------------------------------------------------------------------


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def pages_table(pages: dict[str, Any]) -> list[str]:
    lines = [
        "| page or API call | median ms | p95 ms | queries | floor ms | page ÷ floor | size kB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in pages.get("measures", []):
        lines.append(
            f"| {row['name']} | {_ms(row['page']['median_ms'])} | {_ms(row['page']['p95_ms'])} "
            f"| {row['queries']} | {_ms(row['floor']['median_ms'])} | {row['ratio']} "
            f"| {row['bytes'] / 1024:,.0f} |"
        )
    return lines


def growth_table(by_size: dict[str, Any]) -> list[str]:
    sizes = [s for s in ("S", "M", "L") if isinstance(by_size.get(s), dict)]
    if len(sizes) < 2:
        return []
    names = [row["name"] for row in by_size[sizes[-1]].get("measures", [])]
    medians = {
        s: {row["name"]: row["page"]["median_ms"] for row in by_size[s].get("measures", [])}
        for s in sizes
    }
    head = " | ".join(f"{s} ms" for s in sizes)
    lines = [f"| page | {head} | L ÷ S |", "| --- |" + " ---: |" * (len(sizes) + 1)]
    for name in names:
        cells = " | ".join(_ms(medians[s].get(name)) for s in sizes)
        small, large = medians.get("S", {}).get(name), medians.get("L", {}).get(name)
        ratio = f"{large / small:.1f}" if small and large else "–"
        lines.append(f"| {name} | {cells} | {ratio} |")
    return lines


def load_table(load: dict[str, Any]) -> list[str]:
    lines = [
        "| users | requests | req/s | p50 ms | p95 ms | p99 ms | errors | 409 | "
        "peak RSS of a worker MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in load.get("runs", []):
        latency = run.get("latency", {})
        lines.append(
            f"| {run['users']} | {run['requests']:,} | {run['throughput_rps']:.1f} "
            f"| {_ms(latency.get('p50_ms'))} | {_ms(latency.get('p95_ms'))} "
            f"| {_ms(latency.get('p99_ms'))} | {run['errors']} | {run['conflicts']} "
            f"| {run.get('peak_worker_rss_mib', 0):.0f} |"
        )
    return lines


def summary_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Last `make bench`: {results['date']}, {m['cores']} cores ({m['cpu']}), "
        f"{m['memory_gib']} GiB, Python {m['python']}, PostgreSQL; load average at the start "
        f"{m['load_average'][0]}. Raw figures: `bench/results/{results['file']}`.",
        "",
    ]
    builds = [d for d in results.get("databases", []) if not d.get("reused")]
    if builds:
        lines += [
            "Demo builds: " + ", ".join(f"size {d['size']} {d['build_s']} s" for d in builds) + ".",
            "",
        ]
    pages = results.get("pages", {}).get("L")
    if isinstance(pages, dict) and "measures" in pages:
        lines += ["**Pages and API, in process, size L**", "", *pages_table(pages), ""]
    growth = growth_table(results.get("pages", {}))
    if growth:
        lines += ["**Growth: the same pages at sizes S, M and L (median ms)**", "", *growth, ""]
    load = results.get("load")
    if isinstance(load, dict) and "runs" in load:
        think = load.get("config", {}).get("think_s", 0)
        lines += [
            f"**Under load over HTTP (`schakel serve`, size L; each user pauses {think} s on "
            "average between requests; 70 % reads, 30 % writes)**",
            "",
            *load_table(load),
            "",
        ]
    heavy = results.get("heavy", {})
    rows = heavy_rows(heavy)
    if rows:
        lines += ["**Heavy jobs**", "", "| job | result |", "| --- | --- |", *rows, ""]
    failed = [
        name for name, value in flat_parts(results) if isinstance(value, dict) and "error" in value
    ]
    if failed:
        lines += [f"Parts that failed in this run: {', '.join(failed)}.", ""]
    return "\n".join(lines)


def flat_parts(results: dict[str, Any]) -> list[tuple[str, Any]]:
    parts: list[tuple[str, Any]] = [("load", results.get("load"))]
    parts += [(f"pages {k}", v) for k, v in results.get("pages", {}).items()]
    parts += [(k, v) for k, v in results.get("heavy", {}).items()]
    return parts


def heavy_rows(heavy: dict[str, Any]) -> list[str]:
    rows = []
    scheduling = heavy.get("scheduling")
    for run in scheduling if isinstance(scheduling, list) else []:
        rows.append(
            f"| CPM of {run['activities']:,} tasks and {run['links']:,} links "
            f"| {run['schedule_s']:.2f} s (median of {run['runs']}) |"
        )
    exports = heavy.get("report_exports")
    if isinstance(exports, dict):
        for row in exports.get("exports", []):
            rows.append(f"| {row['format']}, {row['projects']} projects | {row['s']} s |")
    raid = heavy.get("raid_import")
    if isinstance(raid, dict) and "total" in raid:
        rows.append(
            f"| Import of a {raid['rows']:,}-row RAID workbook (upload and preview + commit) "
            f"| {raid['total']['median_ms'] / 1000:.1f} s median of {raid['runs']} "
            f"({raid['start']['median_ms'] / 1000:.1f} + "
            f"{raid['commit']['median_ms'] / 1000:.1f} s) |"
        )
    gantt = heavy.get("gantt_browser")
    for run in gantt if isinstance(gantt, list) else []:
        rows.append(
            f"| Gantt module, {run['tasks']:,} tasks, first paint in Chromium "
            f"| {run['first_paint_ms']:,.0f} ms |"
        )
    plan = heavy.get("planning_app")
    if isinstance(plan, dict):
        for row in plan.get("measures", []):
            rows.append(f"| {row['name']} (the 10,000-task plan) | {row['median_s']:.2f} s |")
    return rows


def update_doc(
    markdown: str, *, section: str = "bench", title: str = "The last `make bench`"
) -> None:
    """Put ``markdown`` between the section's markers in docs/performance.md."""
    begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
    text = DOC.read_text(encoding="utf-8")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _old, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{markdown}\n{end}{tail}"
    else:
        text = f"{text.rstrip()}\n\n## {title}\n\n{begin}\n{markdown}\n{end}\n"
    DOC.write_text(text, encoding="utf-8")


def run_peer(args: argparse.Namespace) -> int:
    """`make bench-peer`: the size-L data set, then bench.peer (Redmine and Schakel taking
    turns, same client), stored in bench/results/<date>-peer.json and docs/performance.md."""
    from bench.peer import markdown, sanity_markdown

    log("== Data set")
    url = url_for(args.database_url, "L")
    prepare(url, "L")
    today = datetime.date.today().isoformat()
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{today}-peer{'-quick' if args.quick else ''}.json"
    command = [PYTHON, "-m", "bench.peer", "--rounds", "1" if args.quick else "2"]
    command += ["--json", str(target), *(["--quick"] if args.quick else [])]
    result = subprocess.run(command, env=environment(url, "L"), cwd=ROOT, check=False)  # noqa: S603
    if result.returncode != 0 or not target.exists():
        log(f"!! bench.peer failed (exit {result.returncode})")
        return 1
    data = json.loads(target.read_text(encoding="utf-8"))
    m = data.get("machine") or machine()
    text = "\n".join(
        [
            f"Last `make bench-peer`: {today}, {m.get('cores')} cores, {m.get('memory_gib')} GiB; "
            f"Redmine {data.get('redmine', {}).get('version', '')} on PostgreSQL "
            f"({data.get('options', {}).get('rounds', 1)} rounds, the order swapped each "
            f"round). Raw figures: `bench/results/{target.name}`. "
            "p50 S/R is Schakel's median divided by Redmine's; the target is 0.2 (5× faster).",
            "",
            markdown(data["results"]),
            "",
            "What each side's page really held:",
            "",
            sanity_markdown(data["sanity"]["redmine"], data["sanity"]["schakel"]),
        ]
    )
    log("\n" + text)
    if not args.quick and not args.no_doc:
        update_doc(text, section="peer", title="Side by side with Redmine (`make bench-peer`)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="the size-L database (S and M get _s and _m); default BENCH_DATABASE_URL",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to leave out: growth,load,heavy,browser"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/performance.md")
    parser.add_argument(
        "--peer", action="store_true", help="run the side-by-side with Redmine instead"
    )
    args = parser.parse_args(argv)
    if args.peer:
        return run_peer(args)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.perf_counter()
    today = datetime.date.today().isoformat()
    results: dict[str, Any] = {"date": today, "machine": machine(), "quick": args.quick}
    sizes = ["L"] if "growth" in skip else ["S", "M", "L"]
    log("== Data sets")
    results["databases"] = [prepare(url_for(args.database_url, s), s) for s in sizes]
    env_l = environment(url_for(args.database_url, "L"), "L")
    runs = "8" if args.quick else "30"
    budget = "3" if args.quick else "10"
    with tempfile.TemporaryDirectory(prefix="schakel-bench-") as tmp:
        out = Path(tmp)
        results["pages"] = {}
        for size in reversed(sizes):  # L first: the figures that matter most
            env = environment(url_for(args.database_url, size), size)
            results["pages"][size] = part(
                f"pages-{size}", "bench.pages",
                ["--runs", runs, "--budget", budget, "--label", size], env, out,
            )  # fmt: skip
        if "load" not in skip:
            seconds = "10" if args.quick else "30"
            # Each user pauses 3 s on average between requests (exponentially distributed),
            # like a person reading a page before the next click; 1, 8 and 50 at once.
            results["load"] = part(
                "load", "bench.load",
                ["--users", "1,8,50", "--seconds", seconds, "--think", "3"], env_l, out,
            )  # fmt: skip
        heavy: dict[str, Any] = {}
        if "heavy" not in skip:
            heavy["scheduling"] = part(
                "scheduling", "bench.scheduling",
                ["--sizes", "100000", "--runs", "2" if args.quick else "3"], env_l, out,
            )  # fmt: skip
            heavy["report_exports"] = part(
                "report_exports", "bench.report_exports",
                ["--sizes", "200", "--runs", "1" if args.quick else "3", "--pdf-runs", "1"],
                env_l, out,
            )  # fmt: skip
            heavy["raid_import"] = part(
                "raid_import", "bench.raid_import", ["--runs", "1" if args.quick else "3"],
                env_l, out,
            )  # fmt: skip
        if "browser" not in skip and "heavy" not in skip:
            heavy["gantt_browser"] = part(
                "gantt_browser", "bench.gantt_browser", ["--sizes", "2000", "10000"], env_l, out
            )
            heavy["planning_app"] = part(
                "planning_app", "bench.planning_app", ["--runs", "3" if args.quick else "5"],
                env_l, out,
            )  # fmt: skip
        results["heavy"] = heavy
    results["wall_s"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{today}{'-quick' if args.quick else ''}"
    target = RESULTS / f"{stem}.json"
    runs_today = 1
    while target.exists():  # a second run on the same day keeps the first
        runs_today += 1
        target = RESULTS / f"{stem}-{runs_today}.json"
    results["file"] = target.name
    write_json(target, results)
    markdown = summary_markdown(results)
    log("\n" + markdown)
    if not args.no_doc and not args.quick:
        update_doc(markdown)
        log(f"docs/performance.md updated; results in {target.relative_to(ROOT)}")
    log(f"make bench took {results['wall_s'] / 60:.1f} minutes")
    failed = [n for n, v in flat_parts(results) if isinstance(v, dict) and "error" in v]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
