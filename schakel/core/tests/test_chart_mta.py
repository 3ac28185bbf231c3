"""The milestone trend analysis chart, read back as an SVG document."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # only for the Element type; parsing is by defusedxml
from datetime import date

import pytest
from defusedxml.ElementTree import fromstring

from schakel.core.charts.gantt import ChartLabels
from schakel.core.charts.mta import PALETTE, MtaMilestone, mta_svg

SVG = "{http://www.w3.org/2000/svg}"
JAN, FEB, MAR = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)


def classed(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if css in (e.get("class") or "").split()]


def number(element: ET.Element, name: str) -> float:
    return float(element.get(name) or "nan")


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (polyline.get("points") or "").split()
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in pairs)]


def example() -> list[MtaMilestone]:
    return [
        MtaMilestone("Design", {JAN: date(2026, 3, 1), FEB: date(2026, 3, 15)}, date(2026, 3, 20)),
        MtaMilestone(
            "Go live", {JAN: date(2026, 6, 1), FEB: date(2026, 6, 1), MAR: date(2026, 7, 1)}
        ),
    ]


def test_one_polyline_per_milestone_in_its_own_colour() -> None:
    root = fromstring(mta_svg(example(), [JAN, FEB, MAR]))

    lines = classed(root, "polyline", "mta-line")
    assert len(lines) == 2
    assert [line.get("stroke") for line in lines] == [PALETTE[0], PALETTE[1]]
    names = [g.get("data-name") for g in classed(root, "g", "mta-milestone")]
    assert names == ["Design", "Go live"]


def test_points_sit_at_reporting_date_across_and_forecast_up_on_one_scale() -> None:
    root = fromstring(mta_svg(example(), [JAN, FEB, MAR]))
    (plot,) = classed(root, "rect", "mta-plot")
    low = date.fromisoformat(plot.get("data-from") or "")
    high = date.fromisoformat(plot.get("data-to") or "")
    left, top = number(plot, "x"), number(plot, "y")
    size = number(plot, "width")
    assert number(plot, "height") == size  # a square: the same scale both ways
    # Whole months around every date drawn: 31 January up to 1 July.
    assert (low, high) == (date(2026, 1, 1), date(2026, 7, 1))
    span = (high - low).days

    def at(reported: date, forecast: date) -> tuple[float, float]:
        return (
            left + size * (reported - low).days / span,
            top + size - size * (forecast - low).days / span,
        )

    go_live = points(classed(root, "polyline", "mta-line")[1])
    expected = [at(JAN, date(2026, 6, 1)), at(FEB, date(2026, 6, 1)), at(MAR, date(2026, 7, 1))]
    assert go_live == [pytest.approx(p, abs=0.01) for p in expected]
    # Flat while the forecast holds, rising when it slips (SVG's y grows downwards).
    assert go_live[0][1] == go_live[1][1]
    assert go_live[2][1] < go_live[1][1]


def test_an_achieved_milestone_ends_on_the_diagonal() -> None:
    root = fromstring(mta_svg(example(), [JAN, FEB, MAR]))

    (diagonal,) = classed(root, "line", "mta-diagonal")
    x1, y1 = number(diagonal, "x1"), number(diagonal, "y1")
    x2, y2 = number(diagonal, "x2"), number(diagonal, "y2")
    assert x2 - x1 == pytest.approx(y1 - y2)  # 45°
    design = points(classed(root, "polyline", "mta-line")[0])
    assert len(design) == 3  # two reports, then the day it was achieved
    x, y = design[-1]
    assert (y1 - y) == pytest.approx(x - x1, abs=0.01)  # on the diagonal
    assert len(classed(root, "polygon", "mta-achieved")) == 1


def test_forecasts_reported_after_the_milestone_was_achieved_are_ignored() -> None:
    milestone = MtaMilestone(
        "M", {JAN: date(2026, 2, 10), MAR: date(2026, 4, 1)}, achieved=date(2026, 2, 10)
    )

    assert milestone.points() == [(JAN, date(2026, 2, 10)), (date(2026, 2, 10), date(2026, 2, 10))]


def test_each_reporting_date_gets_a_line_and_the_legend_names_the_milestones() -> None:
    root = fromstring(mta_svg(example(), [MAR, JAN, FEB, JAN]))

    dates = [line.get("data-date") for line in classed(root, "line", "mta-reporting")]
    assert dates == ["2026-01-31", "2026-02-28", "2026-03-31"]
    legend = " ".join(classed(root, "g", "mta-legend")[0].itertext())
    assert "Design" in legend and "Go live" in legend and "1 Jul 2026" in legend


def test_labels_are_translated_and_hostile_names_escaped() -> None:
    labels = ChartLabels(language="nl", trend="Mijlpalentrend", reporting_date="Rapportage")
    hostile = MtaMilestone("<script>x</script> & \x01", {JAN: date(2026, 3, 1)})
    document = mta_svg([hostile], [JAN], labels=labels)
    root = fromstring(document)

    assert "<script>" not in document
    assert root.findtext(f"{SVG}title") == "Mijlpalentrend"
    assert classed(root, "g", "mta-milestone")[0].get("data-name") == "<script>x</script> &"
    assert "mrt 2026" in " ".join(root.itertext())


def test_no_milestones_still_draw_the_axes_and_the_diagonal() -> None:
    root = fromstring(mta_svg([], []))

    assert len(classed(root, "line", "mta-diagonal")) == 1
    assert classed(root, "polyline", "mta-line") == []


def test_a_milestone_without_forecasts_draws_no_line() -> None:
    root = fromstring(mta_svg([MtaMilestone("Empty")], [JAN]))

    assert classed(root, "polyline", "mta-line") == []


def test_a_narrow_chart_is_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        mta_svg(example(), [JAN], width=100)
