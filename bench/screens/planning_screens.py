"""Take the screenshots of the planning guide (docs/planning.md) from a running demo.

Run from the repository root, against a demo server of its own::

    export SCHAKEL_VAR_DIR=/tmp/demo-screens
    .venv/bin/schakel migrate && .venv/bin/schakel demo
    .venv/bin/schakel runserver 127.0.0.1:8013 --noreload &
    .venv/bin/python -m bench.screens.planning_screens --base-url http://127.0.0.1:8013

It logs in (by default as the demo's programme manager, ``manager`` / ``demo``) and writes
``docs/img/planning-*.png``: the Plan tab with its Gantt chart at 1440×900 and at 390 px,
a task's form with its links, the plan compared with its baseline, the programme's roadmap,
the milestone trend analysis, and the plan right after an MS Project import with the import's
warnings. For that last one it makes a project of its own (key ``IMPXML``) the first time
and replaces its plan on later runs: run it against demo data only, never a real database.

Never downloads a browser: it drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.gantt_browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1440, "height": 900}
NARROW = {"width": 390, "height": 844}
SAMPLE = ROOT.parent / "shared" / "samples" / "msproject" / "mpxj_sample.xml"
IMPORT_KEY = "IMPXML"
GANTT_READY = "#plan-gantt[data-ready='true']"
MARGIN = 12  # pixels kept around a clipped element


class Shooter:
    """One logged-in browser context and the ids of the demo objects to photograph."""

    def __init__(self, browser: Any, args: argparse.Namespace) -> None:
        self.browser = browser
        self.base = args.base_url.rstrip("/")
        self.out = Path(args.out)
        self.args = args
        self.context = browser.new_context(viewport=DESKTOP, locale="en-GB")
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.login(self.page)
        project = self.api(f"/api/v1/projects/?q={args.project}")["results"]
        project = next(p for p in project if p["key"] == args.project)
        self.project_id: int = project["id"]
        self.programme_id: int = project["programme"]

    def login(self, page: Any) -> None:
        page.goto(f"{self.base}/accounts/login/")
        page.get_by_label("Username").fill(self.args.user)
        page.get_by_label("Password").fill(self.args.password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{self.base}/")

    def api(self, path: str) -> Any:
        response = self.page.request.get(self.base + path)
        if not response.ok:
            raise SystemExit(f"{path}: HTTP {response.status}")
        return response.json()

    def save(self, page: Any, name: str, *, clip: dict[str, float] | None = None) -> None:
        path = self.out / f"planning-{name}.png"
        page.screenshot(path=str(path), clip=clip, full_page=clip is not None)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", end="  ")
        print(f"{path.stat().st_size // 1024} KB")

    def around(
        self, page: Any, *selectors: str, bottom: str | None = None, margin: int = MARGIN
    ) -> dict[str, float]:
        """The page area (document coordinates) covering the elements, with a margin."""
        boxes = [self.box(page, s) for s in selectors]
        left = max(0, min(b["x"] for b in boxes) - margin)
        top = max(0, min(b["y"] for b in boxes) - margin)
        right = max(b["x"] + b["width"] for b in boxes) + margin
        end = self.box(page, bottom) if bottom else None
        lowest = (end["y"] + end["height"]) if end else max(b["y"] + b["height"] for b in boxes)
        return {"x": left, "y": top, "width": right - left, "height": lowest + margin - top}

    @staticmethod
    def box(page: Any, selector: str) -> dict[str, float]:
        """An element's box in document coordinates (Playwright's are the viewport's)."""
        return page.eval_on_selector(
            selector,
            """e => { const r = e.getBoundingClientRect();
                     return {x: r.left + scrollX, y: r.top + scrollY,
                             width: r.width, height: r.height}; }""",
        )

    def open_plan(self, page: Any, query: str = "") -> None:
        page.goto(f"{self.base}/projects/{self.project_id}/plan/{query}")
        page.wait_for_selector(GANTT_READY)
        page.wait_for_load_state("networkidle")

    def scroll_to_current_work(self, page: Any) -> None:
        """Scroll the chart's task list, as a planner would, to the work around today."""
        schedule = self.api(f"/api/v1/schedules/{self.project_id}/")
        today = schedule["today"]
        row = next(
            (i for i, t in enumerate(schedule["tasks"]) if (t["finish"] or "") >= today),
            0,
        )
        page.evaluate(
            """top => new Promise(done => {
                 document.querySelector('.gantt-scroller').scrollTop = top;
                 requestAnimationFrame(() => requestAnimationFrame(done));
               })""",
            max(0, row - 2) * 30,  # ROW_H in gantt.js
        )

    # ------------------------------------------------------------------ the shots

    def gantt(self) -> None:
        """The Plan tab as it opens on a laptop: facts, baseline bar and the chart."""
        page = self.page
        self.open_plan(page)
        self.scroll_to_current_work(page)
        clip = self.around(page, "body", bottom=".plan-gantt-card")
        clip.update(x=0, y=0, width=DESKTOP["width"])
        self.save(page, "gantt", clip=clip)

    def gantt_narrow(self) -> None:
        """The same page on a phone: the task list narrows, the timeline scrolls sideways."""
        context = self.browser.new_context(viewport=NARROW, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            self.login(page)
            self.open_plan(page)
            self.scroll_to_current_work(page)
            clip = self.around(page, ".plan-facts", ".plan-gantt-card")
            clip.update(x=0, width=NARROW["width"])
            self.save(page, "gantt-narrow", clip=clip)
        finally:
            context.close()

    def task_form(self) -> None:
        """The page of the task that waits for the most others: its form and its links."""
        schedule = self.api(f"/api/v1/schedules/{self.project_id}/")
        waits = Counter(link["to"] for link in schedule["links"])
        plain = {t["id"] for t in schedule["tasks"] if not t["summary"]}
        task_id = max(plain, key=lambda pk: (waits[pk], -pk))
        page = self.page
        page.goto(f"{self.base}/tasks/{task_id}/")
        page.wait_for_load_state("networkidle")
        self.save(page, "task-form", clip=self.around(page, "main", margin=0))

    def variance(self) -> None:
        """The plan table compared with the newest baseline: baseline finish and variance."""
        page = self.page
        self.open_plan(page)
        self.save(page, "variance", clip=self.around(page, ".table-wrap:has(table.plan-table)"))

    def roadmap(self) -> None:
        """The programme's roadmap: every project's span and milestones on one timeline."""
        page = self.page
        page.goto(f"{self.base}/programmes/{self.programme_id}/roadmap/")
        page.wait_for_load_state("networkidle")
        clip = self.around(page, "main .page-header", "section[aria-labelledby='roadmap-heading']")
        self.save(page, "roadmap", clip=clip)

    def milestone_trend(self) -> None:
        """The milestone trend analysis under the roadmap."""
        page = self.page
        page.goto(f"{self.base}/programmes/{self.programme_id}/roadmap/")
        page.wait_for_load_state("networkidle")
        self.save(page, "mta", clip=self.around(page, "section[aria-labelledby='mta-heading']"))

    def import_result(self) -> None:
        """An MS Project file imported into a project of its own, with the warnings.

        The project is archived afterwards, so that its plan (of 2003) stays out of the
        roadmap and the lists; a later run brings it back and replaces its plan.
        """
        page = self.page
        found = self.api(f"/api/v1/projects/?q={IMPORT_KEY}&archived=all")["results"]
        found = [p for p in found if p["key"] == IMPORT_KEY]
        if found:
            project_id = found[0]["id"]
            page.goto(f"{self.base}/projects/{project_id}/")
            unarchive = page.get_by_role("button", name="Unarchive")
            if unarchive.count():
                unarchive.click()
                page.wait_for_load_state("networkidle")
        else:
            page.goto(f"{self.base}/programmes/{self.programme_id}/projects/new/")
            page.get_by_label("Key").fill(IMPORT_KEY)
            page.get_by_role("textbox", name="Name", exact=True).fill("Plan uit MS Project")
            page.get_by_role("button", name="Create project").click()
            page.wait_for_url(lambda url: "/projects/new/" not in url)
            project_id = int(page.url.rstrip("/").split("/")[-1])
        try:
            page.goto(f"{self.base}/projects/{project_id}/plan/import/")
            page.get_by_label("MS Project XML file").set_input_files(self.args.sample)
            replace = page.get_by_label("Replace the current plan")
            if replace.count():
                replace.check()
            page.get_by_role("button", name="Import", exact=True).click()
            page.wait_for_selector(GANTT_READY)
            page.wait_for_load_state("networkidle")
            clip = self.around(page, "#messages", bottom=".plan-gantt-card")
            self.save(page, "import", clip=clip)
        finally:
            page.goto(f"{self.base}/projects/{project_id}/")
            page.get_by_role("button", name="Archive", exact=True).click()
            page.wait_for_load_state("networkidle")


SHOTS: dict[str, Callable[[Shooter], None]] = {
    "gantt": Shooter.gantt,
    "gantt-narrow": Shooter.gantt_narrow,
    "task-form": Shooter.task_form,
    "variance": Shooter.variance,
    "roadmap": Shooter.roadmap,
    "mta": Shooter.milestone_trend,
    "import": Shooter.import_result,  # last: it changes the demo
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8013")
    parser.add_argument("--user", default="manager")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--project", default="ODI", help="key of the project to photograph")
    parser.add_argument("--sample", default=str(SAMPLE), help="MS Project XML file to import")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="take only these")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            shooter = Shooter(browser, args)
            for name, shot in SHOTS.items():
                if not args.only or name in args.only:
                    shot(shooter)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
