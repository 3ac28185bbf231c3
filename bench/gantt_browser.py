"""Measure the interactive Gantt module (static/js/gantt.js) in Debian's Chromium.

Run from the repository root::

    .venv/bin/python -m bench.gantt_browser                      # n = 2,000 and 10,000
    .venv/bin/python -m bench.gantt_browser --sizes 10000 --json var/gantt.json

It serves ``static/`` and ``bench/gantt/`` (nothing else) with ``http.server`` on a free
port, under the app's Content-Security-Policy, opens ``bench/gantt/harness.html?n=N`` at
1280×800 and reports per size: the time to the module's first painted frame (performance
mark ``gantt-first-paint``, from navigation start) and how much of it the harness spent
generating data, the DOM node and grid row counts, requestAnimationFrame deltas while
scrolling 200 frames down and 200 frames sideways (median and p95), frame deltas during a
bar drag, and the drag's round trip (drop → fake server, 50 ms → re-rendered).
Never downloads a browser: it drives ``/usr/bin/chromium`` through Playwright.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import statistics
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVED = ("/static/", "/bench/gantt/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'"
)
HARNESS = "/bench/gantt/harness.html"


class _Handler(SimpleHTTPRequestHandler):
    """Static files under SERVED only, with the app's CSP, and no request log."""

    def do_GET(self) -> None:
        """Refuse anything outside the two served folders (the repo holds secrets too)."""
        path = self.path.split("?", 1)[0]
        if not path.startswith(SERVED) or ".." in path:
            self.send_error(404)
            return
        super().do_GET()

    def end_headers(self) -> None:
        """Add the CSP so an inline script or style would fail here as in the app."""
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the benchmark's output to the table."""


@contextlib.contextmanager
def serve(root: Path = ROOT) -> Iterator[str]:
    """Serve the harness on a free local port for the duration of the block; yield its URL."""
    handler = functools.partial(_Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def harness_url(base: str, n: int, **params: str) -> str:
    """The harness page for n tasks, with extra query parameters."""
    query = "&".join([f"n={n}", *(f"{k}={v}" for k, v in params.items())])
    return f"{base}{HARNESS}?{query}"


def open_harness(page: Any, base: str, n: int, **params: str) -> None:
    """Load the harness and wait until the module has painted its first frame."""
    page.goto(harness_url(base, n, **params))
    page.wait_for_selector(".gantt[data-ready=true]", timeout=60_000)


@dataclass
class Result:
    tasks: int
    first_paint_ms: float
    data_ready_ms: float
    dom_nodes: int
    grid_rows: int
    scroll_v_median_ms: float
    scroll_v_p95_ms: float
    scroll_v_main_ms: float
    scroll_h_median_ms: float
    scroll_h_p95_ms: float
    scroll_h_main_ms: float
    drag_frame_median_ms: float
    drag_frame_p95_ms: float
    drop_to_render_ms: float
    update_render_ms: float
    load_average: float


_SCROLL_JS = """async ([frames, dy, dx]) => {
  const sc = document.querySelector('.gantt-scroller');
  const frame = () => new Promise(r => requestAnimationFrame(r));
  let last = await frame();
  const deltas = [];
  for (let i = 0; i < frames; i++) {
    sc.scrollTop += dy; sc.scrollLeft += dx;
    const now = await frame();
    deltas.push(now - last); last = now;
  }
  return deltas;
}"""

_RECORD_JS = """() => {
  window.__frames = []; window.__recording = true;
  let last = null;
  const tick = (t) => {
    if (last !== null) { window.__frames.push(t - last); }
    last = t;
    if (window.__recording) { requestAnimationFrame(tick); }
  };
  requestAnimationFrame(tick);
}"""

# Rows and days around today: the harness plan runs in date order, all rows expanded.
NEAR_TODAY = """() => {
  const data = window.ganttHarness.data;
  const row = data.tasks.findIndex(t => !t.summary && t.start >= data.today);
  document.querySelector('.gantt-scroller').scrollTop = Math.max(0, row * 30 - 90);
}"""

_EDITABLE_BAR_JS = """() => {
  const sc = document.querySelector('.gantt-scroller').getBoundingClientRect();
  const grid = document.querySelector('.gantt-grid').getBoundingClientRect();
  for (const bar of document.querySelectorAll('.gantt-bar.is-task.is-editable')) {
    const r = bar.getBoundingClientRect();
    if (r.width >= 24 && r.left > grid.right + 10 && r.right < sc.right - 60 &&
        r.top > sc.top + 60 && r.bottom < sc.bottom - 20) {
      return {id: bar.dataset.id, x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
  }
  return null;
}"""


def quantiles(values: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile of frame deltas, in ms."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 1), round(p95, 1)


def drag_round_trip(page: Any) -> tuple[tuple[float, float], float, float]:
    """Drag a bar 5 days right with the mouse: frame deltas meanwhile, drop→render, render."""
    page.evaluate(NEAR_TODAY)
    page.evaluate("() => window.ganttHarness.gantt.zoom('day')")
    page.evaluate("() => window.ganttHarness.gantt.scrollToToday()")
    target = page.evaluate(_EDITABLE_BAR_JS)
    if target is None:
        raise RuntimeError("no editable bar in view to drag")
    before = page.evaluate("() => performance.getEntriesByName('gantt-update').length")
    page.evaluate(_RECORD_JS)
    page.mouse.move(target["x"], target["y"])
    page.mouse.down()
    page.mouse.move(target["x"] + 5 * 28, target["y"], steps=40)
    page.mouse.up()
    page.wait_for_function(
        f"() => performance.getEntriesByName('gantt-update').length > {before}", timeout=30_000
    )
    frames = page.evaluate("() => { window.__recording = false; return window.__frames; }")
    timing = page.evaluate(
        """() => {
          const req = performance.getEntriesByName('gantt-request').pop();
          const end = performance.getEntriesByName('gantt-update-end').pop();
          const upd = performance.getEntriesByName('gantt-update').pop();
          return {trip: end.startTime - req.startTime, render: upd.duration};
        }"""
    )
    return quantiles(frames), round(timing["trip"], 1), round(timing["render"], 1)


def scroll(page: Any, cdp: Any, dy: int, dx: int, frames: int = 200) -> tuple[Any, float]:
    """Scroll by (dy, dx) px per frame: frame-delta quantiles and main-thread ms per frame.

    Main-thread time (Chromium's TaskDuration metric: script, style, layout, paint) is
    what our code costs per frame; the deltas also show what the rest of the machine costs.
    """

    def busy() -> float:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "TaskDuration"))

    before = busy()
    deltas = page.evaluate(_SCROLL_JS, [frames, dy, dx])
    return quantiles(deltas), round((busy() - before) * 1000 / frames, 1)


def measure(browser: Any, base: str, n: int) -> Result:
    """Open the harness with n tasks in a fresh 1280×800 page and take every measurement."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        open_harness(page, base, n)
        marks = page.evaluate(
            """() => ({
              paint: performance.getEntriesByName('gantt-first-paint')[0].startTime,
              data: performance.getEntriesByName('harness-data-ready')[0].startTime,
              nodes: document.getElementsByTagName('*').length,
              rows: document.querySelectorAll('.gantt-row').length,
            })"""
        )
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        vertical, v_main = scroll(page, cdp, 90, 0)
        horizontal, h_main = scroll(page, cdp, 0, 40)
        drag_frames, trip, render = drag_round_trip(page)
        return Result(
            tasks=n,
            first_paint_ms=round(marks["paint"], 1),
            data_ready_ms=round(marks["data"], 1),
            dom_nodes=marks["nodes"],
            grid_rows=marks["rows"],
            scroll_v_median_ms=vertical[0],
            scroll_v_p95_ms=vertical[1],
            scroll_v_main_ms=v_main,
            scroll_h_median_ms=horizontal[0],
            scroll_h_p95_ms=horizontal[1],
            scroll_h_main_ms=h_main,
            drag_frame_median_ms=drag_frames[0],
            drag_frame_p95_ms=drag_frames[1],
            drop_to_render_ms=trip,
            update_render_ms=render,
            load_average=round(os.getloadavg()[0], 1),
        )
    finally:
        context.close()


def print_table(results: Sequence[Result]) -> None:
    """One row per size, the columns the decision record quotes."""
    head = (
        "tasks",
        "1st paint",
        "(data gen)",
        "DOM nodes",
        "rows",
        "scroll ↓ med/p95 (main)",
        "scroll → med/p95 (main)",
        "drag med/p95",
        "drop→render",
        "update",
        "load",
    )
    print(" | ".join(head))
    for r in results:
        print(
            " | ".join(
                [
                    f"{r.tasks:,}",
                    f"{r.first_paint_ms:.0f} ms",
                    f"{r.data_ready_ms:.0f} ms",
                    f"{r.dom_nodes:,}",
                    str(r.grid_rows),
                    f"{r.scroll_v_median_ms}/{r.scroll_v_p95_ms} ({r.scroll_v_main_ms}) ms",
                    f"{r.scroll_h_median_ms}/{r.scroll_h_p95_ms} ({r.scroll_h_main_ms}) ms",
                    f"{r.drag_frame_median_ms}/{r.drag_frame_p95_ms} ms",
                    f"{r.drop_to_render_ms:.0f} ms",
                    f"{r.update_render_ms:.0f} ms",
                    f"{r.load_average}",
                ]
            )
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each size once per run and print (and optionally save) the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="repeat each size (fresh page)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    with serve() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                for _ in range(args.runs):
                    results.append(measure(browser, base, n))
        finally:
            browser.close()
    print_table(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
