"""What the benchmarks share: statistics, query counting, the machine, servers, results.

Every benchmark module can run on its own (``python -m bench.<name>``) and takes
``--json PATH`` to write its section of the results as JSON; ``bench.run`` (``make bench``)
runs them one after the other in their own processes and merges the sections into
``bench/results/<date>.json``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/schakel_bench"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 is p95) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary(seconds: Sequence[float]) -> dict[str, float | int]:
    """Median, p95, p99, fastest and slowest in milliseconds, and the sample size."""
    return {
        "n": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
    }


@contextlib.contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Collect the SQL statements Django runs inside the block (default connection)."""
    from django.db import connection

    statements: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def repeat(
    action: Callable[[], Any], *, runs: int, warmup: int = 2, budget_s: float = 20.0
) -> list[float]:
    """Seconds of ``runs`` calls after ``warmup`` untimed ones; stops early past ``budget_s``
    (but never with fewer than five samples), so one slow measure cannot eat the run."""
    for _ in range(warmup):
        action()
    seconds: list[float] = []
    began = time.perf_counter()
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
        if len(seconds) >= 5 and time.perf_counter() - began > budget_s:
            break
    return seconds


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    cpu = platform.processor()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="ascii") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return {
        "cores": cores,
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def setup_django(database_url: str | None = None) -> None:
    """Point Django at ``database_url`` (or the environment's) and set it up."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 60.0, process: Any = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


@contextlib.contextmanager
def production_server(
    *, env: dict[str, str] | None = None, workers: int | None = None, log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``schakel serve`` (gunicorn, DEBUG off) on a free loopback port; yields its base URL
    and the process (the gunicorn master). The environment's DATABASE_URL is used."""
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORT": str(port),
        **(env or {}),
    }
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - our own command, no user input
        [str(ROOT / ".venv/bin/schakel"), "serve"],
        cwd=ROOT, env=environment, stdout=out, stderr=out,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=120, process=process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if log:
            out.close()  # type: ignore[union-attr]


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (gunicorn's workers of its master)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """Resident memory now (VmRSS) and at its peak (VmHWM) of one process, in KiB."""
    values = {"rss_kib": 0, "peak_rss_kib": 0}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                values["rss_kib"] = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                values["peak_rss_kib"] = int(line.split()[1])
    return values


def write_json(path: str | Path | None, data: Any) -> None:
    if path:
        Path(path).write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
