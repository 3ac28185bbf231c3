"""The interactive Gantt module (static/js/gantt.js) in Chromium, on the harness page.

The planning app does not mount it yet, so these tests open ``bench/gantt/harness.html``
(a synthetic plan of 10,000 tasks and a fake `api` that answers after 50 ms) served under
the app's Content-Security-Policy, and check what a planner relies on: only the rows in
view exist, scrolling reaches the last task, collapsing hides children, zoom changes the
header, and drags, links and keys call the api with the right arguments — or, on a 409,
put the bar back and say why. No timing assertions: the benchmark measures speed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from bench.gantt_browser import NEAR_TODAY, open_harness, serve
from tests.e2e.conftest import axe_violations

N = 10_000
DAY_PX = 28  # pixels per day at day zoom (ZOOMS.day in gantt.js)

CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
"""

VISIBLE_BAR = """([kind, skip]) => {
  const sc = document.querySelector('.gantt-scroller').getBoundingClientRect();
  const grid = document.querySelector('.gantt-grid').getBoundingClientRect();
  const found = [];
  for (const bar of document.querySelectorAll('.gantt-bar.' + kind + '.is-editable')) {
    const r = bar.getBoundingClientRect();
    if (r.width >= 20 && r.left > grid.right + 10 && r.right < sc.right - 80 &&
        r.top > sc.top + 70 && r.bottom < sc.bottom - 30 && !skip.includes(bar.dataset.id)) {
      found.push({id: Number(bar.dataset.id), x: r.left + r.width / 2, y: r.top + r.height / 2,
                  right: r.right, transform: bar.style.transform});
    }
  }
  found.sort((a, b) => a.y - b.y);
  return found[0] || null;
}"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve() as url:
        yield url


@pytest.fixture
def gantt(browser: Any, base_url: str) -> Iterator[Any]:
    """A 1280×800 page with the harness mounted on 10,000 tasks."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    open_harness(page, base_url, N)
    yield page
    assert page.evaluate("window.__csp") == [], "the module broke the Content-Security-Policy"
    context.close()


def calls(page: Any, method: str) -> list[list[Any]]:
    return page.evaluate(
        "(m) => window.ganttHarness.calls.filter(c => c.method === m).map(c => c.args)", method
    )


def wait_for_call(page: Any, method: str) -> list[Any]:
    page.wait_for_function("(m) => window.ganttHarness.calls.some(c => c.method === m)", arg=method)
    return calls(page, method)[-1]


def task(page: Any, task_id: int) -> dict[str, Any]:
    return page.evaluate("(id) => window.ganttHarness.data.tasks.find(t => t.id === id)", task_id)


def next_working(page: Any, day: date) -> date:
    """The harness calendar, computed here rather than by the module under test."""
    cal = page.evaluate("() => window.ganttHarness.data.calendar")
    off = {date.fromisoformat(d) for d in cal["days_off"]}
    while day.weekday() not in cal["weekdays"] or day in off:
        day += timedelta(days=1)
    return day


def day_zoom(page: Any) -> None:
    """Day zoom on the rows and days around today (the harness plan runs in date order)."""
    page.evaluate(NEAR_TODAY)
    page.get_by_role("button", name="Day", exact=True).click()
    page.get_by_role("button", name="Today", exact=True).click()


def test_ten_thousand_tasks_render_only_what_is_in_view(gantt: Any) -> None:
    counts = gantt.evaluate(
        """() => ({
          rows: document.querySelectorAll('.gantt-row').length,
          bars: document.querySelectorAll('.gantt-bar').length,
          nodes: document.getElementsByTagName('*').length,
          rowcount: document.querySelector('[role=treegrid]').getAttribute('aria-rowcount'),
        })"""
    )
    assert 10 < counts["rows"] < 200
    assert 10 < counts["bars"] < 200
    assert counts["nodes"] < 3000
    assert counts["rowcount"] == str(N + 1)  # every task is announced, header included


def test_scrolling_to_the_end_shows_the_last_task(gantt: Any) -> None:
    last = gantt.evaluate("() => window.ganttHarness.data.tasks.at(-1)")
    gantt.evaluate(
        "() => { const s = document.querySelector('.gantt-scroller');"
        " s.scrollTop = s.scrollHeight; }"
    )
    row = gantt.locator(f'.gantt-row[data-id="{last["id"]}"]')
    row.wait_for()
    assert row.is_visible()
    assert row.locator(".gantt-name").inner_text() == last["name"]
    assert row.get_attribute("aria-rowindex") == str(N + 1)
    assert gantt.locator('.gantt-row[data-id="1"]').count() == 0  # the top left the DOM


def test_collapsing_a_summary_hides_its_children(gantt: Any) -> None:
    first = task(gantt, 1)
    size = gantt.evaluate(
        """() => { const t = window.ganttHarness.data.tasks; let j = 1;
                   while (j < t.length && t[j].level > t[0].level) { j++; } return j; }"""
    )
    child = gantt.locator('.gantt-row[data-id="2"]')
    assert child.is_visible()
    summary_row = gantt.locator('.gantt-row[data-id="1"]')
    assert summary_row.get_attribute("aria-expanded") == "true"
    summary_row.locator(".gantt-toggle").click()
    assert summary_row.get_attribute("aria-expanded") == "false"
    assert child.count() == 0
    assert first["summary"] is True
    rowcount = gantt.get_by_role("treegrid").get_attribute("aria-rowcount")
    assert rowcount == str(N - (size - 1) + 1)
    # The next row after the collapsed phase is the next phase, right below it.
    following = gantt.evaluate("(i) => window.ganttHarness.data.tasks[i].id", size)
    assert gantt.locator(f'.gantt-row[data-id="{following}"]').get_attribute("aria-rowindex") == "3"


def test_zoom_changes_the_header(gantt: Any) -> None:
    lower = gantt.locator(".gantt-scale-lower")
    upper = gantt.locator(".gantt-scale-upper")
    assert gantt.get_by_role("button", name="Week").get_attribute("aria-pressed") == "true"
    gantt.get_by_role("button", name="Today").click()
    assert "W48" in lower.inner_text()  # the week of today, 26 Nov 2026
    gantt.get_by_role("button", name="Month").click()
    assert gantt.get_by_role("button", name="Month").get_attribute("aria-pressed") == "true"
    assert "Nov" in lower.inner_text()
    assert "W48" not in lower.inner_text()
    assert "2026" in upper.inner_text()
    gantt.get_by_role("button", name="Day", exact=True).click()
    assert "Nov 2026" in upper.inner_text()
    assert "26" in lower.inner_text().split()


def test_dragging_a_bar_asks_to_move_it_to_the_snapped_day(gantt: Any) -> None:
    day_zoom(gantt)
    bar = gantt.evaluate(VISIBLE_BAR, ["is-task", []])
    start = date.fromisoformat(task(gantt, bar["id"])["start"])
    # A shift that lands mid-week, so being a day off either way would show.
    days = next(
        k
        for k in range(2, 9)
        if all(
            next_working(gantt, start + timedelta(days=k + j)) == start + timedelta(days=k + j)
            for j in (-1, 0, 1)
        )
    )
    gantt.mouse.move(bar["x"], bar["y"])
    gantt.mouse.down()
    # A third of a day past the target: the drop snaps to the nearest whole day.
    gantt.mouse.move(bar["x"] + days * DAY_PX + 9, bar["y"], steps=12)
    gantt.mouse.up()
    expected = start + timedelta(days=days)
    assert wait_for_call(gantt, "move") == [bar["id"], expected.isoformat()]
    gantt.wait_for_function(
        "([id, iso]) => window.ganttHarness.data.tasks.find(t => t.id === id).start === iso",
        arg=[bar["id"], expected.isoformat()],
    )
    cell = gantt.locator(f'.gantt-row[data-id="{bar["id"]}"] .gantt-c-start')
    cell.wait_for()
    assert cell.inner_text() == f"{expected.day} {expected:%b} {expected.year}"


def test_a_refused_move_puts_the_bar_back_and_says_why(gantt: Any) -> None:
    day_zoom(gantt)
    message = "Someone else changed this task; reload to see their change."
    gantt.evaluate("(m) => { window.ganttHarness.failNext = {status: 409, message: m}; }", message)
    bar = gantt.evaluate(VISIBLE_BAR, ["is-task", []])
    before = task(gantt, bar["id"])
    gantt.mouse.move(bar["x"], bar["y"])
    gantt.mouse.down()
    gantt.mouse.move(bar["x"] + 4 * DAY_PX, bar["y"], steps=12)
    gantt.mouse.up()
    status = gantt.get_by_role("status")
    status.filter(has_text=message).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert len(calls(gantt, "move")) == 1
    element = gantt.locator(f'.gantt-bar[data-id="{bar["id"]}"]')
    assert element.evaluate("b => b.style.transform") == bar["transform"]
    assert "is-busy" not in (element.get_attribute("class") or "")
    assert task(gantt, bar["id"])["start"] == before["start"]


def test_dragging_from_a_bar_end_to_another_bar_links_them(gantt: Any) -> None:
    day_zoom(gantt)
    source = gantt.evaluate(VISIBLE_BAR, ["is-task", []])
    target = gantt.evaluate(VISIBLE_BAR, ["is-task", [str(source["id"])]])
    handle = gantt.locator(f'.gantt-bar[data-id="{source["id"]}"] .gantt-handle-link')
    gantt.mouse.move(source["x"], source["y"])  # hover shows the handle
    box = handle.bounding_box()
    gantt.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    gantt.mouse.down()
    gantt.mouse.move(target["x"], target["y"], steps=10)
    gantt.mouse.up()
    assert wait_for_call(gantt, "link") == [source["id"], target["id"], "FS"]
    new_id = gantt.evaluate(
        """([a, b]) => new Promise(resolve => {
             const look = () => {
               const l = window.ganttHarness.data.links.find(l => l.from === a && l.to === b);
               if (l) { resolve(l.id); } else { setTimeout(look, 20); }
             };
             look();
           })""",
        [source["id"], target["id"]],
    )
    gantt.locator(f'.gantt-link[data-link="{new_id}"]').wait_for(state="attached")


def test_tab_indents_the_selected_task(gantt: Any) -> None:
    third = task(gantt, 3)  # 1.2: the task before it is on the same level
    row = gantt.locator('.gantt-row[data-id="3"]')
    row.click()
    assert row.get_attribute("aria-selected") == "true"
    gantt.keyboard.press("Tab")
    assert wait_for_call(gantt, "indent") == [3]
    gantt.wait_for_function(
        "(lvl) => document.querySelector('.gantt-row[data-id=\"3\"]')"
        ".getAttribute('aria-level') === String(lvl)",
        arg=third["level"] + 1,
    )
    gantt.keyboard.press("Shift+Tab")
    assert wait_for_call(gantt, "outdent") == [3]


def test_keyboard_moves_the_selection_and_enter_opens(gantt: Any) -> None:
    gantt.locator('.gantt-row[data-id="2"]').click()
    gantt.keyboard.press("ArrowDown")
    gantt.keyboard.press("ArrowDown")
    grid = gantt.get_by_role("treegrid")
    assert grid.get_attribute("aria-activedescendant") == gantt.locator(
        '.gantt-row[data-id="4"]'
    ).get_attribute("id")
    gantt.keyboard.press("Enter")
    assert wait_for_call(gantt, "open") == [4]


def test_delete_removes_a_selected_link(gantt: Any) -> None:
    point = gantt.evaluate(
        """() => {
          const sc = document.querySelector('.gantt-scroller').getBoundingClientRect();
          const grid = document.querySelector('.gantt-grid').getBoundingClientRect();
          for (const g of document.querySelectorAll('.gantt-link')) {
            const path = g.querySelector('.gantt-link-line');
            const total = path.getTotalLength();
            for (const f of [0.5, 0.3, 0.7]) {
              const p = path.getPointAtLength(total * f).matrixTransform(path.getScreenCTM());
              const hit = document.elementFromPoint(p.x, p.y);
              if (p.x > grid.right + 5 && p.y > sc.top + 60 && p.y < sc.bottom - 20 &&
                  hit && hit.closest('.gantt-link') === g) {
                return {id: Number(g.dataset.link), x: p.x, y: p.y};
              }
            }
          }
          return null;
        }"""
    )
    assert point is not None, "no clickable link in view"
    gantt.mouse.click(point["x"], point["y"])
    gantt.locator(f'.gantt-link.is-selected[data-link="{point["id"]}"]').wait_for(state="attached")
    gantt.keyboard.press("Delete")
    assert wait_for_call(gantt, "unlink") == [point["id"]]
    gantt.locator(f'.gantt-link[data-link="{point["id"]}"]').wait_for(state="detached")


def test_narrow_screen_scrolls_the_timeline_sideways(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        open_harness(page, base_url, 200)
        sizes = page.evaluate(
            """() => { const s = document.querySelector('.gantt-scroller');
                       const g = document.querySelector('.gantt-grid').getBoundingClientRect();
                       return {scroll: s.scrollWidth, client: s.clientWidth, grid: g.width}; }"""
        )
        assert sizes["scroll"] > sizes["client"]
        assert 100 < sizes["grid"] < 300
        assert page.get_by_role("button", name="Today").is_visible()
    finally:
        context.close()


def test_axe_finds_no_serious_problems(gantt: Any) -> None:
    gantt.locator('.gantt-row[data-id="3"]').click()
    assert axe_violations(gantt) == []


def test_dragging_the_right_edge_asks_for_a_duration_in_working_days(gantt: Any) -> None:
    day_zoom(gantt)
    bar = gantt.evaluate(VISIBLE_BAR, ["is-task", []])
    before = task(gantt, bar["id"])
    handle = gantt.locator(f'.gantt-bar[data-id="{bar["id"]}"] .gantt-handle-resize')
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    gantt.mouse.move(x, y)
    gantt.mouse.down()
    gantt.mouse.move(x + 4 * DAY_PX, y, steps=10)
    gantt.mouse.up()
    start = date.fromisoformat(before["start"])
    finish = date.fromisoformat(before["finish"]) + timedelta(days=4)
    cal = gantt.evaluate("() => window.ganttHarness.data.calendar")
    off = {date.fromisoformat(d) for d in cal["days_off"]}
    days = sum(
        1
        for k in range((finish - start).days + 1)
        if (start + timedelta(days=k)).weekday() in cal["weekdays"]
        and start + timedelta(days=k) not in off
    )
    assert wait_for_call(gantt, "resize") == [bar["id"], days]


def test_ctrl_wheel_zooms(gantt: Any) -> None:
    box = gantt.locator(".gantt-scroller").bounding_box()
    gantt.mouse.move(box["x"] + box["width"] - 200, box["y"] + 300)
    gantt.keyboard.down("Control")
    gantt.mouse.wheel(0, 120)
    gantt.keyboard.up("Control")
    assert gantt.get_by_role("button", name="Month").get_attribute("aria-pressed") == "true"


def test_a_read_only_plan_offers_no_editing(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        open_harness(page, base_url, 300, readonly="1")
        assert page.locator(".gantt-handle:not([hidden])").count() == 0
        assert not page.get_by_role("button", name="Indent").is_visible()
        page.locator('.gantt-row[data-id="3"]').click()
        page.keyboard.press("Tab")  # leaves the chart instead of indenting
        assert page.evaluate("() => window.ganttHarness.calls") == []
        page.evaluate("() => window.ganttHarness.gantt.destroy()")
        assert page.locator("#gantt *").count() == 0
    finally:
        context.close()
