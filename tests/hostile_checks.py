"""Read a rendered sink back with the library that parses its format, and check it is safe.

Each check takes the bytes a sink produced and the stored hostile values it should show,
and raises AssertionError naming what went wrong.
"""

from __future__ import annotations

import csv
import email
import email.policy
import email.utils
import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any

import lxml.html
from lxml import etree

from schakel.core.exports.tabular import FORMULA_TRIGGERS

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")
_SCRIPT_TYPES_DATA = {"application/json", "application/ld+json", "text/template"}


def squash(text: str) -> str:
    """Text with every run of whitespace made one space (renderers reflow whitespace)."""
    return _SPACE.sub(" ", text).strip()


def bare(text: str) -> str:
    """Text without any whitespace (PDF text extraction breaks lines where it likes)."""
    return _SPACE.sub("", text)


def assert_shown(haystack: str, values: Iterable[str], where: str, *, squeeze=squash) -> None:
    text = squeeze(haystack)
    missing = [v for v in values if squeeze(v) not in text]
    assert not missing, f"{where}: the hostile text is not shown as text: {missing[:1]!r}"


# --------------------------------------------------------------------------- HTML


def check_html(content: bytes | str, values: Iterable[str] = (), where: str = "page") -> None:
    """No script but ours, no event handler, no javascript: URL; `values` shown as text."""
    root = lxml.html.fromstring(content if content else b"<html></html>")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag == "script":
            kind = (element.get("type") or "").lower()
            if kind in _SCRIPT_TYPES_DATA:
                json.loads(element.text or "null")  # data, and it must still be data
                continue
            src = element.get("src") or ""
            assert src.startswith("/static/"), f"{where}: a script that is not ours: {src!r}"
            assert not (element.text or "").strip(), f"{where}: an inline script"
        for name, value in element.attrib.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            scheme = squash(value).lower().replace("\x00", "")
            assert not scheme.startswith(("javascript:", "vbscript:", "data:text/html")), (
                f"{where}: <{tag} {name}={value!r}>"
            )
        if tag in {"iframe", "object", "embed", "base"}:
            raise AssertionError(f"{where}: a <{tag}> element")
    assert_shown(root.text_content() + _form_values(root), values, where)


def _form_values(root: Any) -> str:
    """The values of inputs and textareas: a form shows stored text there, not as text."""
    parts = [el.get("value", "") for el in root.iter("input")]
    parts += [el.text or "" for el in root.iter("textarea")]
    return " " + " ".join(parts)


# --------------------------------------------------------------------------- JSON


def check_json(response: Any, expect: dict[str, str], where: str) -> None:
    """Valid JSON, served as JSON, with the raw stored value as data."""
    assert response.status_code == 200, f"{where}: {response.status_code}"
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data = json.loads(response.content)
    for key, value in expect.items():
        assert data.get(key) == value, f"{where}: {key} is {data.get(key)!r}, not the stored value"


# --------------------------------------------------------------------------- e-mail


def check_mail(message: Any, recipients: set[str], values: Iterable[str], where: str) -> None:
    """No header injected; exactly the expected recipients; the HTML part is safe."""
    subject = message.subject
    assert "\r" not in subject and "\n" not in subject, f"{where}: CR/LF in the subject"
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert "bcc" not in {key.lower() for key in parsed}, f"{where}: a Bcc header"
    for header, value in parsed.items():
        assert "\r" not in str(value) and "\n" not in str(value), f"{where}: {header}: {value}"
    addressed = set()
    for header in ("To", "Cc", "Bcc"):
        for address in parsed.get_all(header, []):
            addressed |= {a.addr_spec for a in address.addresses}
    assert addressed == recipients, f"{where}: sent to {addressed}"
    envelope = {address for _name, address in email.utils.getaddresses(message.recipients())}
    assert envelope == recipients, f"{where}: envelope {message.recipients()}"
    html_parts = [
        body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"
    ]
    for html in html_parts:
        check_html(html, (), where + " (HTML part)")
    text = message.body + " ".join(str(h) for h in html_parts)
    assert_shown(text if not html_parts else _text_of(message), values, where)


def _text_of(message: Any) -> str:
    html = "".join(body for body, kind in message.alternatives if kind == "text/html")
    return message.body + " " + lxml.html.fromstring(html).text_content()


# --------------------------------------------------------------------------- spreadsheets


def _formula_free(text: str) -> bool:
    return not text.startswith(FORMULA_TRIGGERS) or bool(_NUMBER.fullmatch(text))


def check_csv(content: bytes, values: Iterable[str], where: str) -> None:
    """Every cell is data: text that would start a formula carries the leading quote."""
    text = content.decode("utf-8-sig")
    header = text.split("\r\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    bad = [cell for cell in cells if not _formula_free(cell)]
    assert not bad, f"{where}: a cell a spreadsheet evaluates: {bad[0]!r}"
    shown = [("'" + v if not _formula_free(v) else v) for v in values]
    assert_shown("\n".join(cells), shown, where)


def check_xlsx(content: bytes, values: Iterable[str], where: str) -> None:
    """No formula anywhere: openpyxl reads every user text back as a string cell."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tree = etree.fromstring(archive.read(name))
                formulas = tree.findall(".//{*}f")
                assert not formulas, f"{where}: a formula in {name}"
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula {cell.coordinate}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert_shown("\n".join(texts), values, where)


# --------------------------------------------------------------------------- documents


def _no_script_links(targets: Iterable[str], where: str) -> None:
    for target in targets:
        assert not squash(target).lower().startswith(("javascript:", "vbscript:")), (
            f"{where}: a link to {target!r}"
        )


def _package_hyperlinks(content: bytes) -> list[str]:
    """Every external relationship target of an Office package (hyperlinks included)."""
    targets = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                tree = etree.fromstring(archive.read(name))
                targets += [rel.get("Target", "") for rel in tree if rel.get("TargetMode")]
    return targets


def check_docx(content: bytes, values: Iterable[str], where: str) -> None:
    import docx

    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    body = document.element.body
    fields = body.findall(".//{*}instrText") + body.findall(".//{*}fldSimple")
    codes = " ".join((f.text or "") + (f.get("{*}instr") or "") for f in fields).lower()
    assert "javascript" not in codes and "evil" not in codes, f"{where}: a field code {codes!r}"
    _no_script_links(_package_hyperlinks(content), where)
    assert_shown("\n".join(texts), values, where)


def check_pptx(content: bytes, values: Iterable[str], where: str) -> None:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(content))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
    _no_script_links(_package_hyperlinks(content), where)
    assert_shown("\n".join(texts), values, where, squeeze=bare)


def check_pdf(content: bytes, values: Iterable[str], where: str) -> None:
    """Text extracted; no JavaScript or launch action; links only to http(s) or mailto."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject

    reader = PdfReader(io.BytesIO(content))
    root: Any = reader.trailer["/Root"]
    assert "/OpenAction" not in root or "/JS" not in str(root["/OpenAction"]), where
    names = root.get("/Names")
    assert names is None or "/JavaScript" not in names.get_object(), f"{where}: JavaScript"
    text = []
    for page in reader.pages:
        text.append(page.extract_text() or "")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if isinstance(action, DictionaryObject):
                kind = action.get("/S")
                assert kind not in ("/JavaScript", "/Launch", "/ImportData"), f"{where}: {kind}"
                if kind == "/URI":
                    _no_script_links([str(action.get("/URI", ""))], where)
    # Bidirectional text is drawn in display order: compare up to an RTL override.
    visible = [v.split("\u202e")[0] for v in values]
    assert_shown("".join(text), visible, where, squeeze=bare)


# --------------------------------------------------------------------------- iCalendar


def unfold(content: bytes) -> list[str]:
    """The content lines of an iCalendar file (RFC 5545 §3.1 unfolding)."""
    text = content.decode("utf-8")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def check_ics(content: bytes, expect: dict[str, str], where: str) -> None:
    """No property line injected; SUMMARY and friends unescape to the stored text."""
    import icalendar

    lines = [line for line in unfold(content) if line]
    for line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        assert re.fullmatch(r"[A-Z0-9-]+", name), f"{where}: a line that is no property: {line!r}"
        assert not line.upper().startswith("ATTENDEE:MAILTO:EVIL"), f"{where}: {line!r}"
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert events, f"{where}: no event"
    for event in events:
        people = event.get("ATTENDEE") or []
        people = people if isinstance(people, list) else [people]
        for person in [*people, event.get("ORGANIZER")]:
            # The address is the property's value; a name with the payload stays a parameter.
            assert "evil" not in str(person or "").lower(), f"{where}: attendee {person}"
    for prop, value in expect.items():
        got = [squash(str(event.get(prop, ""))) for event in events]
        assert any(squash(value) in g for g in got), f"{where}: {prop} is {got[:1]!r}"
