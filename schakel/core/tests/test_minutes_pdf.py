"""Minutes as a PDF (WeasyPrint), read back as text with pypdf.

Rendering takes about a second, so each document is rendered once per module.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn

import pypdf
import pytest

from schakel.core.exports import pdf
from schakel.core.exports.pdf import FetchRefusedError, minutes_html, minutes_pdf
from schakel.core.tests.minutes_samples import DUTCH_LABELS, hostile_minutes, sample_minutes


@dataclass
class Rendered:
    pages: list[str]
    metadata: dict[str, str]
    asked: list[str]  # every URL WeasyPrint wanted to fetch while rendering

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


# The real refusal, kept before any test wraps it so wrappers never chain.
REFUSE = pdf._refuse


def render(minutes_factory, monkeypatch: pytest.MonkeyPatch) -> Rendered:
    asked: list[str] = []

    def watching(url: str) -> NoReturn:
        asked.append(url)
        REFUSE(url)

    monkeypatch.setattr(pdf, "_refuse", watching)
    reader = pypdf.PdfReader(io.BytesIO(minutes_pdf(minutes_factory())))
    metadata = {key: str(value) for key, value in (reader.metadata or {}).items()}
    return Rendered([page.extract_text() for page in reader.pages], metadata, asked)


@pytest.fixture(scope="module")
def documents() -> Iterator[dict[str, Rendered]]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield {
            "en": render(sample_minutes, monkeypatch),
            "nl": render(lambda: sample_minutes(language="nl", labels=DUTCH_LABELS), monkeypatch),
            "hostile": render(hostile_minutes, monkeypatch),
        }


def test_it_prints_title_title_block_names_and_attendance(documents) -> None:
    text = documents["en"].text

    for expected in (
        "Steering committee 12",
        "Minutes · Steering committee Support services · Support services programme",
        "Tuesday 3 March 2026, 14:00–15:30",
        "Room 4.12",
        "https://meet.example.org/sc-12",
        "Anna de Vries, Bram Jansen, Chris Smit",
        "Dana Kok",
        "Femke Visser",
    ):
        assert expected in text


def test_it_prints_items_outcomes_and_the_action_and_decision_lists(documents) -> None:
    text = documents["en"].text

    for expected in (
        "1. Opening and minutes of the last meeting",
        "Presenter: Anna de Vries",
        "SSP-D7 Adopt the new intake process",
        "Saves two weeks per request.",
        "SSP-A34 Draft the intake form Bram Jansen 17 Mar 2026",
        "SSP-R5 Supplier delay Chris Smit Open",
        "SSP-I2 Test environment down Dana Kok In progress",
        "Action list",
        "SSP-A35 Update the risk log Chris Smit 24 Mar 2026",
        "Decision list",
    ):
        assert expected in text
    action_list = text[text.index("Action list") : text.index("Decision list")]
    assert action_list.count("SSP-A34") == 1


def test_every_page_has_the_running_header_and_page_n_of_m(documents) -> None:
    pages = documents["en"].pages

    for number, page in enumerate(pages, start=1):
        assert "Gemeente Oostwold · Steering committee Support services" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Version 2" in page


def test_the_pdf_properties_come_from_the_minutes(documents) -> None:
    metadata = documents["en"].metadata

    assert metadata["/Title"] == "Steering committee 12"
    assert metadata["/Author"] == "Bram Jansen"
    assert metadata["/Subject"] == "Steering committee Support services"


def test_dutch_minutes_have_dutch_month_names_and_labels(documents) -> None:
    text = documents["nl"].text

    assert "dinsdag 3 maart 2026, 14:00–15:30" in text
    assert "17 mrt 2026" in text
    assert "Actielijst" in text
    assert "Pagina 1 van" in text


def test_typed_html_shows_as_literal_text(documents) -> None:
    text = documents["hostile"].text

    assert "<b>hi</b>" in text
    assert "<script>alert(1)</script>" in text
    assert "<script>alert('title')</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "=cmd|' /C calc'!A0" in text
    assert "nulbyte, lonesurrogate, verticaltab" in text


def test_images_and_links_in_notes_fetch_nothing(documents) -> None:
    for rendered in documents.values():
        assert rendered.asked == []


def test_the_html_escapes_user_text_and_renders_markup_itself() -> None:
    document = minutes_html(hostile_minutes())

    assert "<script>" not in document
    assert "&lt;b&gt;hi&lt;/b&gt;" in document
    assert "<img" not in document
    assert '<a href="http://127.0.0.1/secret">x</a>' in document
    assert "file:///etc/passwd" not in document.replace("[local](file:///etc/passwd)", "")


def test_the_fetcher_refuses_any_url_weasyprint_asks_for(monkeypatch) -> None:
    asked: list[str] = []

    def watching(url: str) -> NoReturn:
        asked.append(url)
        REFUSE(url)

    monkeypatch.setattr(pdf, "_refuse", watching)
    data = pdf.render_html(
        '<html><body><p>Before</p><img src="http://127.0.0.1:9/secret.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )

    assert sorted(asked) == ["file:///etc/passwd", "http://127.0.0.1:9/secret.png"]
    assert "Before" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    with pytest.raises(FetchRefusedError):
        REFUSE("http://example.org/")
