"""Gantt, roadmap and trend charts printed to PDF and PNG."""

from __future__ import annotations

import io
import struct
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from schakel.core.charts.gantt import (
    ChartLabels,
    GanttLink,
    GanttRow,
    RoadmapMilestone,
    RoadmapProject,
    gantt_svg,
    roadmap_svg,
)
from schakel.core.charts.mta import MtaMilestone, mta_svg
from schakel.core.exports import gantt_export, pdf
from schakel.core.exports.gantt_export import charts_pdf, gantt_pdf, gantt_png, rows_per_page

MONDAY = date(2026, 3, 2)


def plan(count: int) -> list[GanttRow]:
    return [
        GanttRow(
            n,
            f"Activity {n:03d}",
            MONDAY + timedelta(days=n % 60),
            MONDAY + timedelta(days=n % 60 + 4),
            wbs=f"1.{n}",
            critical=n % 5 == 0,
            percent=(n * 7) % 100,
        )
        for n in range(count)
    ]


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_a_long_plan_is_split_over_pages_with_the_header_on_each() -> None:
    per_page = rows_per_page("A3")
    rows = plan(per_page * 2 + 5)
    links = [GanttLink(n, n + 1) for n in range(len(rows) - 1)]

    data = gantt_pdf(
        rows, links, title="Plan <ODI>", organisation="Gemeente & Co", today=MONDAY, paper="A3"
    )

    texts = page_texts(data)
    assert len(texts) == 3
    for text in texts:
        assert "WBS" in text and "Name" in text  # the header repeats
        assert "Plan <ODI>" in text  # the running title, escaped as CSS, printed as typed
        assert "Gemeente & Co" in text
    assert "Activity 000" in texts[0]
    assert f"Activity {per_page - 1:03d}" in texts[0]
    assert f"Activity {per_page:03d}" in texts[1]
    assert f"Activity {len(rows) - 1:03d}" in texts[2]
    assert "Page 3 of 3" in texts[2]


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_a_full_page_of_rows_stays_on_one_landscape_page(paper: str) -> None:
    data = gantt_pdf(plan(rows_per_page(paper)), title="Plan", paper=paper)  # type: ignore[arg-type]

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    expected_mm = {"A3": 420, "A4": 297}[paper]
    assert float(box.width) / 72 * 25.4 == pytest.approx(expected_mm, abs=1)


def test_an_empty_plan_prints_one_page() -> None:
    labels = ChartLabels(none="Geen activiteiten", page_of="Pagina {page} van {pages}")

    texts = page_texts(gantt_pdf([], title="Leeg", labels=labels, paper="A4"))

    assert len(texts) == 1
    assert "Geen activiteiten" in texts[0]
    assert "Pagina 1 van 1" in texts[0]


def test_charts_print_one_per_page_and_fetch_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    refuse = pdf._refuse

    def watch(url: str) -> None:
        asked.append(url)
        refuse(url)

    monkeypatch.setattr(pdf, "_refuse", watch)
    roadmap = roadmap_svg(
        [RoadmapProject("ODI", "Intake", MONDAY, MONDAY + timedelta(days=90))],
        today=MONDAY,
    )
    trend = mta_svg([MtaMilestone("Go live", {MONDAY: MONDAY + timedelta(days=30)})], [MONDAY])

    texts = page_texts(charts_pdf([roadmap, trend], title="Programme", paper="A4"))

    assert len(texts) == 2
    assert "ODI" in texts[0]
    assert "Go live" in texts[1]
    assert asked == []


def test_a_tall_chart_is_scaled_to_fit_the_page_height() -> None:
    tall = gantt_svg(plan(150), start=MONDAY, end=MONDAY + timedelta(days=70))

    assert gantt_export._fit_width(tall, gantt_export.PAPERS["A4"]) < 100
    assert len(page_texts(charts_pdf([tall], title="Tall", paper="A4"))) == 1


def test_a_png_has_the_width_asked_for_and_the_charts_ratio() -> None:
    pytest.importorskip("pypdfium2")
    svg = gantt_svg(plan(12), start=MONDAY, end=MONDAY + timedelta(days=70), width=1200)

    data = gantt_png(svg, width=600)

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 600
    view_width, view_height = gantt_export._size(svg)
    assert height == pytest.approx(600 * view_height / view_width, abs=2)
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(0, width, 7) for y in range(0, height, 7)}
    assert len(colours) > 5  # drawn, not a blank page


def test_png_sizes_outside_reason_are_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        gantt_png(gantt_svg([], start=MONDAY, end=MONDAY), width=0)


def test_an_svg_without_a_viewbox_is_refused() -> None:
    with pytest.raises(ValueError, match="viewBox"):
        charts_pdf(['<svg xmlns="http://www.w3.org/2000/svg"/>'], title="x")


def test_roadmap_milestones_print_in_the_pdf() -> None:
    project = RoadmapProject(
        "CRM",
        "CRM replacement",
        MONDAY,
        MONDAY + timedelta(days=200),
        [RoadmapMilestone("Vendor selected", MONDAY + timedelta(days=20))],
    )

    texts = page_texts(charts_pdf([roadmap_svg([project])], title="Roadmap"))

    assert "Vendor selected" in texts[0]
