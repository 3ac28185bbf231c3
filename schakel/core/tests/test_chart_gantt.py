"""The Gantt chart and the programme roadmap, read back as SVG documents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only for the Element type; parsing is by defusedxml
from datetime import date, timedelta
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from schakel.core.charts.gantt import (
    BASELINE,
    CRITICAL,
    ChartLabels,
    GanttLink,
    GanttRow,
    RoadmapDependency,
    RoadmapMilestone,
    RoadmapProject,
    gantt_svg,
    roadmap_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = date(2026, 3, 2)
START, END = date(2026, 3, 1), date(2026, 4, 30)


def classed(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    """Elements whose class list holds ``css``."""
    return [e for e in root.iter(f"{SVG}{tag}") if css in (e.get("class") or "").split()]


def texts(root: ET.Element, css: str) -> list[str]:
    return ["".join(e.itertext()) for e in classed(root, "text", css)]


def number(element: ET.Element, name: str) -> float:
    return float(element.get(name) or "nan")


def polygon_points(element: ET.Element) -> list[tuple[float, float]]:
    pairs = (element.get("points") or "").split()
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in pairs)]


def plot_scale(root: ET.Element) -> tuple[float, float]:
    """Where the time axis begins and how wide a day is, read from the header's lines.

    The first month boundary after START (1 April) and the right end of the chart give
    the scale independently of the code under test's arithmetic.
    """
    header = classed(root, "g", "gantt-header")[0]
    tiers = [g for g in header.iter(f"{SVG}g") if g.get("data-unit") == "month"]
    month_ends = sorted(number(line, "x1") for line in tiers[0].iter(f"{SVG}line"))
    april_1, end_x = month_ends[0], month_ends[-1]  # 1 April and the chart's right edge
    day = (end_x - april_1) / ((END - date(2026, 4, 1)).days + 1)
    left = april_1 - (date(2026, 4, 1) - START).days * day
    return left, day


def sample_rows() -> list[GanttRow]:
    return [
        GanttRow("S", "Phase 1", MONDAY, MONDAY + timedelta(days=11), wbs="1", summary=True),
        GanttRow(
            "A",
            "Analyse",
            MONDAY,
            MONDAY + timedelta(days=2),
            level=2,
            wbs="1.1",
            percent=50,
            critical=True,
            baseline_start=MONDAY,
            baseline_finish=MONDAY + timedelta(days=1),
        ),
        GanttRow("B", "Build", MONDAY + timedelta(days=3), MONDAY + timedelta(days=11), level=2),
        GanttRow("M", "Done", MONDAY + timedelta(days=11), level=2, milestone=True, critical=True),
    ]


def sample_links() -> list[GanttLink]:
    return [GanttLink("A", "B"), GanttLink("B", "M"), GanttLink("A", "M", "SS")]


def draw(rows: list[GanttRow] | None = None, **kwargs: object) -> ET.Element:
    options: dict[object, object] = {"start": START, "end": END, "today": date(2026, 3, 10)}
    options.update(kwargs)
    rows = sample_rows() if rows is None else rows
    return fromstring(gantt_svg(rows, sample_links(), **options))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the Gantt chart


def test_each_task_gets_one_bar_whose_ends_match_its_dates_on_the_scale() -> None:
    root = draw()
    left, day = plot_scale(root)

    bars = classed(root, "rect", "gantt-bar")
    assert [bar.get("data-start") for bar in bars] == ["2026-03-02", "2026-03-05"]
    analyse, build = bars
    # Inclusive dates: Monday to Wednesday is three days wide.
    assert number(analyse, "x") == pytest.approx(left + 1 * day, abs=0.02)
    assert number(analyse, "width") == pytest.approx(3 * day, abs=0.02)
    assert number(build, "x") == pytest.approx(left + 4 * day, abs=0.02)
    assert number(build, "width") == pytest.approx(9 * day, abs=0.02)


def test_progress_fills_the_bar_to_its_percent() -> None:
    root = draw()

    (progress,) = classed(root, "rect", "gantt-progress")
    bar = classed(root, "rect", "gantt-bar")[0]
    assert number(progress, "x") == number(bar, "x")
    assert number(progress, "width") == pytest.approx(number(bar, "width") / 2, abs=0.02)


def test_summaries_are_brackets_and_milestones_diamonds_in_the_middle_of_their_day() -> None:
    root = draw()
    left, day = plot_scale(root)

    (summary,) = classed(root, "polygon", "gantt-summary")
    xs = [x for x, _ in polygon_points(summary)]
    assert min(xs) == pytest.approx(left + day, abs=0.02)
    assert max(xs) == pytest.approx(left + 13 * day, abs=0.02)
    (milestone,) = classed(root, "polygon", "gantt-milestone")
    points = polygon_points(milestone)
    assert len(points) == 4  # a diamond
    centre = sum(x for x, _ in points) / 4
    assert centre == pytest.approx(left + 12.5 * day, abs=0.02)


def test_critical_work_is_red_and_other_work_is_not() -> None:
    root = draw()

    analyse, build = classed(root, "rect", "gantt-bar")
    assert analyse.get("stroke") == CRITICAL
    assert "is-critical" in (analyse.get("class") or "")
    assert build.get("stroke") != CRITICAL
    (milestone,) = classed(root, "polygon", "gantt-milestone")
    assert milestone.get("fill") == CRITICAL


def test_the_baseline_is_a_grey_bar_under_the_current_one() -> None:
    root = draw()
    left, day = plot_scale(root)

    (baseline,) = classed(root, "rect", "gantt-baseline")
    bar = classed(root, "rect", "gantt-bar")[0]
    assert baseline.get("fill") == BASELINE
    assert number(baseline, "x") == pytest.approx(left + day, abs=0.02)
    assert number(baseline, "width") == pytest.approx(2 * day, abs=0.02)
    assert number(baseline, "y") >= number(bar, "y") + number(bar, "height")


def test_every_link_between_drawn_rows_is_an_arrow_and_others_are_left_out() -> None:
    rows = sample_rows()
    root = fromstring(
        gantt_svg(
            rows,
            [*sample_links(), GanttLink("A", "nowhere"), GanttLink("ghost", "B")],
            start=START,
            end=END,
        )
    )

    links = classed(root, "g", "gantt-link")
    assert [link.get("data-type") for link in links] == ["FS", "FS", "SS"]
    for link in links:
        assert len(list(link.iter(f"{SVG}path"))) == 1
        assert len(list(link.iter(f"{SVG}polygon"))) == 1  # the arrowhead
    # A link between two critical rows is red; A→B is not (B is not critical).
    assert [("is-critical" in (g.get("class") or "")) for g in links] == [False, False, True]


def test_a_finish_to_start_arrow_leaves_the_finish_and_points_at_the_start() -> None:
    root = draw()
    analyse, build = classed(root, "rect", "gantt-bar")

    first = classed(root, "g", "gantt-link")[0]
    path = first.find(f"{SVG}path")
    assert path is not None
    start_x = float(re.match(r"M([-0-9.]+),", path.get("d") or "").group(1))  # type: ignore[union-attr]
    assert start_x == pytest.approx(number(analyse, "x") + number(analyse, "width"), abs=0.02)
    head = first.find(f"{SVG}polygon")
    assert head is not None
    tip_x = polygon_points(head)[0][0]
    assert tip_x == pytest.approx(number(build, "x"), abs=0.02)


def test_the_today_line_sits_in_the_middle_of_today() -> None:
    root = draw(today=date(2026, 3, 10))
    left, day = plot_scale(root)

    (group,) = classed(root, "g", "timeline-today")
    line = group.find(f"{SVG}line")
    assert line is not None
    assert number(line, "x1") == pytest.approx(left + 9.5 * day, abs=0.02)


def test_no_today_line_when_today_is_off_the_chart() -> None:
    assert classed(draw(today=date(2027, 1, 1)), "g", "timeline-today") == []


def test_weekends_and_holidays_are_shaded_at_day_scale_only() -> None:
    good_friday = date(2026, 4, 3)
    root = draw(scale="day", calendar_days_off=[good_friday])
    runs = [rect.get("data-from") for rect in classed(root, "rect", "gantt-day-off")]

    assert "2026-03-07" in runs  # a Saturday starts a run
    assert "2026-04-03" in runs  # Good Friday runs into the weekend: one rectangle
    assert "2026-04-04" not in runs
    assert classed(draw(scale="month"), "rect", "gantt-day-off") == []


def test_the_automatic_scale_follows_the_window() -> None:
    def bottom_unit(root: ET.Element) -> str:
        tiers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "timeline-tier"]
        return tiers[1].get("data-unit") or ""

    rows = sample_rows()
    assert bottom_unit(fromstring(gantt_svg(rows, start=START, end=START + timedelta(40)))) == (
        "day"
    )
    assert bottom_unit(fromstring(gantt_svg(rows, start=START, end=date(2026, 9, 1)))) == "week"
    assert bottom_unit(fromstring(gantt_svg(rows, start=START, end=date(2027, 6, 1)))) == "month"
    assert bottom_unit(fromstring(gantt_svg(rows, start=START, end=date(2031, 1, 1)))) == (
        "quarter"
    )


def test_month_names_come_in_the_readers_language() -> None:
    dutch = ChartLabels(language="nl")
    root = fromstring(gantt_svg(sample_rows(), start=START, end=END, scale="day", labels=dutch))

    header = " ".join(root.find(f".//{SVG}g[@class='gantt-header']").itertext())  # type: ignore[union-attr]
    assert "maart 2026" in header
    assert "March" not in header


def test_header_cells_name_their_periods_in_one_form() -> None:
    root = fromstring(
        gantt_svg(sample_rows(), start=date(2026, 1, 1), end=date(2027, 12, 31), width=1100)
    )

    tier = next(g for g in root.iter(f"{SVG}g") if g.get("data-unit") == "month")
    names = ["".join(text.itertext()) for text in tier.iter(f"{SVG}text")]
    assert len(names) == 24
    assert "April" not in names  # it would fit its cell, but September would not
    assert {len(name) for name in names} == {3}


def test_long_names_are_cut_with_an_ellipsis_and_keep_their_start() -> None:
    name = "Requirements workshop with every stakeholder of every municipal service desk " * 3
    root = fromstring(gantt_svg([GanttRow("x", name, MONDAY, MONDAY)], start=START, end=END))

    (shown,) = texts(root, "gantt-name")
    assert shown.endswith("…")
    assert name.startswith(shown[:-1].rstrip())
    assert len(shown) < len(name) // 2
    # The full name stays available to screen readers and on hover.
    assert name.strip().split()[-1] in "".join(root.find(f".//{SVG}g[@data-id='x']").itertext())  # type: ignore[union-attr]


def test_hostile_names_and_ids_are_escaped_text() -> None:
    rows = [
        GanttRow('"><script>alert(1)</script>', "<script>alert(1)</script> & co\x00\x1b", MONDAY),
        GanttRow("2", 'Tom & Jerry\'s "plan"', MONDAY, MONDAY, wbs="<b>1</b>"),
    ]
    document = gantt_svg(rows, start=START, end=END, labels=ChartLabels(gantt="<i>x</i>"))
    root = fromstring(document)  # well-formed despite the control characters

    assert "<script" not in document
    assert texts(root, "gantt-name") == ["<script>alert(1)</script> & co", 'Tom & Jerry\'s "plan"']
    assert texts(root, "gantt-wbs") == ["<b>1</b>"]
    assert root.findtext(f"{SVG}title") == "<i>x</i>"
    assert classed(root, "g", "gantt-row")[0].get("data-id") == '"><script>alert(1)</script>'


def test_an_empty_plan_draws_a_valid_chart_that_says_so() -> None:
    root = fromstring(gantt_svg([], start=START, end=END, labels=ChartLabels(none="Leeg")))

    assert texts(root, "gantt-empty") == ["Leeg"]
    assert classed(root, "rect", "gantt-bar") == []


def test_without_a_window_the_chart_spans_the_rows() -> None:
    root = fromstring(gantt_svg(sample_rows()))

    bars = classed(root, "rect", "gantt-bar")
    assert len(bars) == 2
    assert all(number(bar, "width") > 0 for bar in bars)


def test_bars_outside_the_window_are_cut_to_it_or_left_out() -> None:
    rows = [
        GanttRow("early", "Early", date(2026, 1, 1), date(2026, 1, 31)),
        GanttRow("across", "Across", date(2026, 2, 1), date(2026, 3, 5)),
    ]
    root = fromstring(gantt_svg(rows, start=START, end=END))
    left, _ = plot_scale(root)

    (bar,) = classed(root, "rect", "gantt-bar")
    assert bar.get("data-start") == "2026-02-01"
    assert number(bar, "x") == pytest.approx(left, abs=0.02)


def test_the_width_is_fixed_and_the_height_grows_with_the_rows() -> None:
    few = fromstring(gantt_svg(sample_rows(), start=START, end=END, width=1200))
    many = fromstring(gantt_svg(sample_rows() * 10, start=START, end=END, width=1200))

    assert few.get("width") == many.get("width") == "1200"
    assert float(many.get("height") or 0) > float(few.get("height") or 0)


def test_a_thousand_rows_render() -> None:
    rows = [
        GanttRow(
            n,
            f"Task {n}",
            MONDAY + timedelta(days=n % 300),
            MONDAY + timedelta(days=n % 300 + 5),
            wbs=f"1.{n}",
            critical=n % 7 == 0,
            percent=n % 100,
        )
        for n in range(1000)
    ]
    links = [GanttLink(n, n + 1) for n in range(999)]

    root = fromstring(gantt_svg(rows, links, today=MONDAY + timedelta(days=40)))

    assert len(classed(root, "rect", "gantt-bar")) == 1000
    assert len(classed(root, "g", "gantt-link")) == 999


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="before start"):
        gantt_svg([], start=END, end=START)
    with pytest.raises(ValueError, match="width"):
        gantt_svg([], start=START, end=END, width=100)
    with pytest.raises(ValueError, match="svg_id"):
        gantt_svg([], start=START, end=END, svg_id='x" onload="y')


# --------------------------------------------------------------------------- the roadmap


def roadmap_projects() -> list[RoadmapProject]:
    return [
        RoadmapProject(
            "ODI",
            "Omnichannel intake",
            date(2026, 1, 5),
            date(2026, 11, 27),
            [
                RoadmapMilestone("Kick-off", date(2026, 1, 5), done=True),
                RoadmapMilestone("Pilot", date(2026, 5, 15), baseline=date(2026, 4, 30)),
                RoadmapMilestone("Go live", date(2026, 9, 1)),
            ],
        ),
        RoadmapProject(
            "CRM",
            "CRM replacement",
            date(2025, 11, 3),
            date(2027, 2, 26),
            [
                RoadmapMilestone("Vendor selected", date(2026, 2, 2)),
                RoadmapMilestone("Release 1", date(2026, 7, 1), baseline=date(2026, 7, 1)),
            ],
        ),
    ]


def test_the_roadmap_has_one_lane_and_bar_per_project() -> None:
    root = fromstring(roadmap_svg(roadmap_projects(), today=date(2026, 4, 20)))

    lanes = classed(root, "g", "roadmap-lane")
    assert [lane.get("data-project") for lane in lanes] == ["ODI", "CRM"]
    assert [len(classed(lane, "rect", "roadmap-bar")) for lane in lanes] == [1, 1]
    assert [len(classed(lane, "g", "roadmap-milestone")) for lane in lanes] == [3, 2]


def test_slipped_late_and_done_milestones_are_marked() -> None:
    root = fromstring(roadmap_svg(roadmap_projects(), today=date(2026, 4, 20)))
    by_name = {g.get("data-milestone"): g for g in classed(root, "g", "roadmap-milestone")}

    pilot = by_name["Pilot"]
    assert "is-slipped" in (pilot.get("class") or "")
    assert pilot.get("data-slip") == "15"
    assert len(classed(pilot, "polygon", "roadmap-baseline")) == 1  # the hollow diamond
    assert classed(pilot, "line", "roadmap-slip")[0].get("stroke-dasharray")
    assert texts(pilot, "roadmap-slip-marker") == ["+15 d"]
    # Vendor selected: date passed, not done.
    assert "is-late" in (by_name["Vendor selected"].get("class") or "")
    assert texts(by_name["Vendor selected"], "roadmap-label")[0] == "Vendor selected"
    late_diamond = list(by_name["Vendor selected"].iter(f"{SVG}polygon"))[-1]
    assert late_diamond.get("fill") == CRITICAL
    assert "is-done" in (by_name["Kick-off"].get("class") or "")
    assert "is-late" not in (by_name["Kick-off"].get("class") or "")
    # On its baseline: no slip marker.
    assert "is-slipped" not in (by_name["Release 1"].get("class") or "")
    assert classed(by_name["Release 1"], "text", "roadmap-slip-marker") == []


def test_stated_lateness_and_slip_win_over_the_computed_ones() -> None:
    project = RoadmapProject(
        "X",
        "X",
        milestones=[RoadmapMilestone("M", date(2026, 3, 2), late=False, slipped_days=4)],
    )
    root = fromstring(roadmap_svg([project], today=date(2026, 6, 1)))

    (milestone,) = classed(root, "g", "roadmap-milestone")
    assert "is-late" not in (milestone.get("class") or "")
    assert milestone.get("data-slip") == "4"


def test_dependencies_are_curved_arrows_and_a_broken_one_is_red() -> None:
    dependencies = [
        RoadmapDependency("CRM", "Vendor selected", "ODI", "Pilot"),
        RoadmapDependency("ODI", "Go live", "CRM", "Release 1"),  # Release 1 comes first
        RoadmapDependency("ODI", "Go live", "HR", "Missing"),  # not drawn
    ]
    root = fromstring(roadmap_svg(roadmap_projects(), dependencies, today=date(2026, 4, 20)))

    arrows = classed(root, "g", "roadmap-dependency")
    assert len(arrows) == 2
    for arrow in arrows:
        path = arrow.find(f"{SVG}path")
        assert path is not None and " C" in (path.get("d") or "")
    assert ["is-broken" in (a.get("class") or "") for a in arrows] == [False, True]
    assert arrows[1].find(f"{SVG}path").get("stroke") == CRITICAL  # type: ignore[union-attr]


def test_a_dependency_on_a_task_ends_on_its_day_of_the_lane_and_is_named() -> None:
    dependencies = [
        RoadmapDependency(
            "CRM", "Vendor selected", "ODI", "42", to_date=date(2026, 6, 1), to_name="Build"
        ),
        RoadmapDependency("CRM", "Vendor selected", "ODI", "44", to_date=date(2026, 9, 1)),
        RoadmapDependency("CRM", "Vendor selected", "ODI", "43"),  # no date: not drawn
    ]
    root = fromstring(roadmap_svg(roadmap_projects(), dependencies, today=date(2026, 4, 20)))

    june, september = classed(root, "g", "roadmap-dependency")
    title = june.find(f"{SVG}title")
    assert title is not None and "ODI Build" in (title.text or "")

    def tip(arrow: Any) -> tuple[float, float]:
        x, y = arrow.find(f"{SVG}polygon").get("points").split()[0].split(",")
        return float(x), float(y)

    assert tip(june)[0] < tip(september)[0]  # placed by date
    assert tip(june)[1] == tip(september)[1]  # on the same lane's bar


def test_milestone_labels_that_would_overlap_go_to_another_row() -> None:
    close = [
        RoadmapMilestone(f"Milestone number {n}", date(2026, 3, 2) + timedelta(days=n))
        for n in range(3)
    ]
    root = fromstring(
        roadmap_svg([RoadmapProject("P", "P", milestones=close)], start=START, end=END)
    )

    ys = sorted({number(t, "y") for t in classed(root, "text", "roadmap-label")})
    assert len(ys) == 3


def test_the_roadmap_escapes_hostile_text_and_draws_empty_input() -> None:
    project = RoadmapProject(
        "<k>", "a & b\x07", milestones=[RoadmapMilestone("<script>", date(2026, 3, 3))]
    )
    document = roadmap_svg([project], start=START, end=END)
    root = fromstring(document)

    assert "<script>" not in document
    assert texts(root, "roadmap-key") == ["<k>"]
    assert texts(root, "roadmap-name") == ["a & b"]
    assert texts(root, "roadmap-label") == ["<script>"]
    empty = fromstring(roadmap_svg([], start=START, end=END))
    assert classed(empty, "g", "roadmap-lane") == []
    assert texts(empty, "roadmap-empty")
