"""The consolidated progress report as an A4 landscape PDF, read back with pypdf.

WeasyPrint takes a second or two per document, so each one is rendered once per module.
The 200-project PDF takes far longer (see the report of the renderers' timings) and only
runs when SCHAKEL_SLOW_TESTS is set; its HTML is always built.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NoReturn

import pypdf
import pytest

from schakel.core.exports import pdf
from schakel.core.exports.report_pdf import LOGO_URL, report_html, report_pdf
from schakel.core.tests.report_samples import (
    dutch_report,
    hostile_report,
    large_report,
    sample_report,
    tiny_png,
)

# The real refusal, kept before any test wraps it so wrappers never chain.
REFUSE = pdf._refuse

A4_LONG, A4_SHORT = 841.89, 595.28


@dataclass
class Rendered:
    pages: list[str]
    sizes: list[tuple[float, float]]
    images: list[tuple[int, int]]  # sizes of the images the first page uses
    asked: list[str]  # every URL WeasyPrint wanted to fetch while rendering

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def render(report, monkeypatch: pytest.MonkeyPatch) -> Rendered:
    asked: list[str] = []

    def watching(url: str) -> NoReturn:
        asked.append(url)
        REFUSE(url)

    monkeypatch.setattr(pdf, "_refuse", watching)
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(report)))
    # WeasyPrint shares one resource dictionary between pages: look at the first page only.
    images = [image.image.size for image in reader.pages[0].images if image.image is not None]
    return Rendered(
        [page.extract_text() for page in reader.pages],
        [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages],
        images,
        asked,
    )


@pytest.fixture(scope="module")
def documents() -> Iterator[dict[str, Rendered]]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield {
            "en": render(sample_report(logo_png=tiny_png(120, 40)), monkeypatch),
            "nl": render(dutch_report(), monkeypatch),
            "hostile": render(hostile_report(), monkeypatch),
        }


def test_every_page_is_a4_landscape(documents) -> None:
    for rendered in documents.values():
        for width, height in rendered.sizes:
            assert width == pytest.approx(A4_LONG, abs=1)
            assert height == pytest.approx(A4_SHORT, abs=1)


def test_it_prints_the_title_scope_period_and_overview(documents) -> None:
    first = documents["en"].pages[0]

    for expected in (
        "Progress report Change programme",
        "Change programme · November 2026",
        "1 November 2026 – 30 November 2026",
        "Overview",
        "P001 Project 1 digital workplace",
        "P002 Project 2 digital workplace",
        "P003 Project 3 data platform",
        "Not reported",
    ):
        assert expected in first


def test_the_running_header_and_page_footer_are_on_every_page(documents) -> None:
    pages = documents["en"].pages

    for number, page in enumerate(pages, start=1):
        assert "Gemeente Oostwold · Progress report Change programme · November 2026" in page
        assert f"Page {number} of {len(pages)}" in page


def test_it_prints_key_messages_escalations_and_the_distribution_chart(documents) -> None:
    text = documents["en"].text

    assert "The programme is on track overall." in text
    assert "Escalations and decisions needed" in text
    assert "Decision needed on the extra licences budget." in text
    # The chart's own words: its title, legend and axes.
    assert "Red, amber and green over the periods" in text
    assert "Projects" in text and "Period" in text


def test_each_project_starts_a_page_with_its_ratings_texts_and_registers(documents) -> None:
    pages = documents["en"].pages
    # The escalations on the first page name the project too; its own page has the ratings.
    [page] = [page for page in pages if "P001 · Project 1 digital workplace" in page][1:]

    for expected in (
        "Overall: Amber ↑",
        "Red ↓",
        "Budget under pressure: supplier late.",
        "Project 1 is on track for the pilot.",
        "Pilot group trained",
        "Within time tolerance; budget tolerance reached.",
        "CR-4: extra licences.",
        "Pilot live",
        "P001-R3",
        "P001-I2",
        "P001-A34",
        "3 Nov 2026",
        "P001-D5",
    ):
        assert expected in page
    assert "P002 · Project 2 digital workplace" not in page


def test_a_project_without_a_report_says_so(documents) -> None:
    [page] = [page for page in documents["en"].pages if "P003 · Project 3" in page]

    assert "No report received" in page
    assert "Overall: Not reported" in page


def test_dutch_reports_use_dutch_labels_and_month_names(documents) -> None:
    text = documents["nl"].text

    for expected in (
        "1 november 2026 – 30 november 2026",
        "Gemaakt: 3 december 2026",
        "Overzicht",
        "Kernboodschappen",
        "Totaal: Oranje ↑",
        "Niet gerapporteerd",
        "1 okt 2026",
        "Pagina 1 van",
    ):
        assert expected in text


def test_nothing_is_fetched_and_the_logo_comes_from_memory(documents) -> None:
    for rendered in documents.values():
        assert rendered.asked == []
    assert documents["en"].images == [(120, 40)]
    assert documents["nl"].images == []


def test_hostile_text_is_printed_as_text(documents) -> None:
    text = documents["hostile"].text

    assert "<script>alert(1)</script>" in text
    assert "=cmd|' /C calc'!A0" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "\x00" not in text


def test_the_html_escapes_user_text_and_renders_markup_itself() -> None:
    document = report_html(hostile_report())

    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "<img src=x" not in document and '<img src="http' not in document
    assert '<a href="https://example.org/ok">ok</a>' in document
    assert 'href="file:' not in document
    assert "\x00" not in document and "\ud800" not in document


def test_the_header_strings_cannot_break_out_of_the_css() -> None:
    report = replace(sample_report(), organisation='Org"; } body { display: none } @page { x: "')
    document = report_html(report)
    style = document[document.index("<style>") : document.index("</style>")]

    assert "display: none" not in style
    assert "Org" in style


def test_a_logo_that_is_not_a_png_is_not_offered_to_weasyprint() -> None:
    document = report_html(sample_report(logo_png=b"GIF89a not a png"))

    assert LOGO_URL not in document


def test_the_fetcher_serves_only_the_resources_it_was_handed(monkeypatch) -> None:
    asked: list[str] = []

    def watching(url: str) -> NoReturn:
        asked.append(url)
        REFUSE(url)

    monkeypatch.setattr(pdf, "_refuse", watching)
    data = pdf.render_html(
        f'<html><body><p>Logo</p><img src="{LOGO_URL}">'
        '<img src="http://127.0.0.1:9/secret.png"></body></html>',
        {LOGO_URL: (tiny_png(), "image/png")},
    )

    assert asked == ["http://127.0.0.1:9/secret.png"]
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages[0].images) == 1


def test_the_html_for_200_projects_has_a_section_per_project() -> None:
    started = time.perf_counter()
    document = report_html(large_report(200))
    print(f"\nHTML for 200 projects: {time.perf_counter() - started:.2f}s")

    assert document.count('<section class="project">') == 200


@pytest.mark.skipif(
    not os.environ.get("SCHAKEL_SLOW_TESTS"),
    reason="takes half a minute; set SCHAKEL_SLOW_TESTS=1 to run",
)
def test_a_portfolio_of_200_projects_renders() -> None:
    started = time.perf_counter()
    data = report_pdf(large_report(200))
    print(f"\nPDF for 200 projects: {time.perf_counter() - started:.2f}s")  # never asserted

    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 200
    assert "P200 · Project 200 data platform" in reader.pages[-1].extract_text()
