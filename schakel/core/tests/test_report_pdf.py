"""The consolidated progress report as an A4 landscape PDF, read back with pypdf.

WeasyPrint takes a second or two per document, so each one is rendered once per module.
Large reports are printed in parts by worker processes; a small report forced into parts
of one project each checks the joining and the page numbers. The 200-project PDF takes
longer (see `bench/report_exports.py`) and only runs when SCHAKEL_SLOW_TESTS is set; its
HTML is always built.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import NoReturn

import pypdf
import pytest

from schakel.core.exports import pdf
from schakel.core.exports import report_pdf as report_pdf_module
from schakel.core.exports.report_pdf import LOGO_URL, STRIP_URL_PREFIX, report_html, report_pdf
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


def test_trend_strips_are_images_from_memory_with_a_spoken_label() -> None:
    report = sample_report()
    document = report_html(report)
    resources = report_pdf_module._resources(report, report.projects, True)

    assert 'alt="Overall: Green, Green, Amber, Amber, Red, Amber"' in document
    strips = [url for url in resources if url.startswith(STRIP_URL_PREFIX)]
    assert strips and all(f'src="{url}"' in document for url in strips)
    assert all(resources[url][1] == "image/svg+xml" for url in strips)
    projects = document[document.index('<section class="project">') :]
    assert "<svg" not in projects  # no inline strips


def test_a_report_printed_in_parts_is_the_same_report(documents) -> None:
    calls: list[tuple[int, int]] = []
    report = sample_report(logo_png=tiny_png(120, 40))

    data = report_pdf(report, lambda done, total: calls.append((done, total)), chunk_size=1)

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == len(documents["en"].pages)
    for number, page in enumerate(pages, start=1):
        assert "Gemeente Oostwold · Progress report Change programme · November 2026" in page
        assert f"Page {number} of {len(pages)}" in page
        assert page.count(" of ") == 1  # one footer, not a stamp over a number
    # The same text on the same pages, numbers apart.
    assert [_words(page) for page in pages] == [_words(page) for page in documents["en"].pages]
    assert reader.metadata is not None and reader.metadata.title == report.title
    assert reader.root_object["/Lang"] == "en"
    single = pypdf.PdfReader(io.BytesIO(report_pdf(report)))
    assert _outline(reader, reader.outline) == _outline(single, single.outline)
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


class DictCache(dict):
    def get(self, key):  # type: ignore[override]
        return dict.get(self, key)

    def put(self, key: str, data: bytes) -> None:
        self[key] = data


def test_a_cached_report_prints_only_its_front_and_the_pages_it_lacks(
    documents, monkeypatch
) -> None:
    report = sample_report(logo_png=tiny_png(120, 40))
    cache = DictCache()
    printed: list[str] = []
    real = report_pdf_module._print

    def counting(document: str, resources: dict) -> tuple[bytes, int]:
        printed.append(document)
        return real(document, resources)

    monkeypatch.setattr(report_pdf_module, "_print", counting)

    assert report_pdf_module.warm_pages(report, cache) == len(report.projects)
    assert report_pdf_module.warm_pages(report, cache) == 0
    printed.clear()
    calls: list[tuple[int, int]] = []
    data = report_pdf(report, lambda done, total: calls.append((done, total)), cache=cache)

    assert len(printed) == 1  # the front matter only
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert [_words(page) for page in pages] == [_words(page) for page in documents["en"].pages]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert calls[-1] == (3, 3)
    # A project that changes is printed again; the others come from the cache.
    changed = replace(report.projects[1], summary="Changed this period.")
    report = replace(report, projects=[report.projects[0], changed, *report.projects[2:]])
    printed.clear()
    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(report_pdf(report, cache=cache))).pages
    )
    assert len(printed) == 2
    assert "Changed this period." in text


def test_a_part_that_runs_over_a_page_moves_the_numbers_after_it() -> None:
    long = "\n\n".join(f"Paragraph {index} of a long summary." for index in range(120))
    report = sample_report()
    projects = [replace(report.projects[0], summary=long), *report.projects[1:]]
    report = replace(report, projects=projects)

    reader = pypdf.PdfReader(io.BytesIO(report_pdf(report, chunk_size=1)))
    pages = [page.extract_text() for page in reader.pages]

    assert len(pages) > len(projects) + 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    project_2 = [n for n, page in enumerate(pages, 1) if "P002 · Project 2 digital" in page]
    assert project_2[-1] > 4


def _outline(reader: pypdf.PdfReader, items: list, depth: int = 0) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, page number), in order."""
    found: list[tuple[int, str, int]] = []
    for item in items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def _words(page: str) -> list[str]:
    """A page's words without the footer's page numbers, in any order."""
    return sorted(word for word in page.split() if not word.isdigit())


def test_when_the_workers_fail_the_report_is_printed_in_this_process(monkeypatch) -> None:
    def broken(*args: object) -> NoReturn:
        raise BrokenProcessPool("no workers")

    monkeypatch.setattr(report_pdf_module, "_parallel", broken)
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(sample_report(), chunk_size=1)))
    pages = [page.extract_text() for page in reader.pages]

    assert any("P003 · Project 3 data platform" in page for page in pages)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_progress_is_reported_for_a_small_report_too() -> None:
    calls: list[tuple[int, int]] = []

    report_pdf(hostile_report(), lambda done, total: calls.append((done, total)))

    assert calls == [(0, 1), (1, 1)]


@pytest.mark.skipif(
    not os.environ.get("SCHAKEL_SLOW_TESTS"),
    reason="takes a quarter of a minute or more; set SCHAKEL_SLOW_TESTS=1 to run",
)
def test_a_portfolio_of_200_projects_renders() -> None:
    calls: list[tuple[int, int]] = []
    started = time.perf_counter()
    data = report_pdf(large_report(200), lambda done, total: calls.append((done, total)))
    print(f"\nPDF for 200 projects: {time.perf_counter() - started:.2f}s")  # never asserted

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 200
    assert "P200 · Project 200 data platform" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert calls[0] == (0, 200) and calls[-1] == (200, 200) and len(calls) > 3
