"""Write the consolidated progress report as a printable A4 landscape PDF (WeasyPrint).

The PDF is the complete record: where a slide cuts a text to fit, the PDF prints all of
it, with every register table of every project. Its outline follows the deck: overview
table, key messages, escalations, the distribution chart, then one page (or more) per
project. The HTML is built here by hand like the minutes PDF: every user string goes
through `escape`, notes are rendered from `markup` blocks, the running header and footer
are CSS escapes, and the charts are the same SVG strings the web page shows. WeasyPrint
gets the refusing URL fetcher of `pdf.render_html`; the only resources it is handed are
the organisation's logo and the trend strips, from memory.

Speed: WeasyPrint needs about 0.15–0.2 s of one core per project page (each line of text
and each table cell is laid out in Python), so the layout avoids what costs more than it
shows (no flexbox; strips as images rather than inline SVG) and a large report is
printed in parts by worker processes and joined with pypdf (`_parallel`).

With a `PageCache` (the app keeps one on disk) every project is printed as its own part
and kept under a key made from exactly what it prints (its HTML, images, WeasyPrint's
version): a report that has been printed before (or warmed in the background when a
report is approved) costs only its front matter, the join and the page numbers.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Protocol, cast

from schakel.core.charts.rag import rag_distribution_svg, rag_strip_svg
from schakel.core.exports import _report as outline
from schakel.core.exports import markup
from schakel.core.exports._html import blocks_html, css_string, escape, page_content
from schakel.core.exports._rag import RAG_ORDER, arrow, rag_label, rag_style, trend_label
from schakel.core.exports._text import format_long_date, format_short_date
from schakel.core.exports.pdf import Resource, render_html
from schakel.core.exports.report_data import (
    ConsolidatedReport,
    Progress,
    ProjectReport,
    Rating,
)

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter

__all__ = ["PageCache", "report_html", "report_pdf", "warm_pages"]

logger = logging.getLogger(__name__)

# The URL the logo is printed from; the fetcher serves it from memory and nothing else.
LOGO_URL = "schakel:logo.png"
# Trend strips are images from memory too, one URL per sequence of colours.
STRIP_URL_PREFIX = "schakel:strip/"

# Reports with fewer projects are printed in this process: starting workers costs more
# than it saves. Larger ones are printed by worker processes in runs of CHUNK_SIZE.
PARALLEL_FROM = 20
CHUNK_SIZE = 10
# With a cache each project is a part of its own; from this many parts to print (more than
# a web request makes at once, see the app's exports) they go to worker processes.
CACHE_PARALLEL_FROM = 30

_FONT_STACK = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'

# The page-number footer alone, for `_stamp`: the same page and footer as in _STYLE.
_STAMP_STYLE = """
@page {
  size: A4 landscape;
  margin: 18mm 14mm 16mm 14mm;
  @bottom-right { content: %(page)s; font-size: 8pt; color: #6b7280; }
}
html { font-family: %(font)s; font-size: 9pt; line-height: 1.35; color: #1f2937; }
body { margin: 0; }
div { break-before: page; }
"""

_STYLE = """
@page {
  size: A4 landscape;
  margin: 18mm 14mm 16mm 14mm;
  @top-left { content: %(header)s; font-size: 8pt; color: #6b7280; }
  @bottom-left { content: %(organisation)s; font-size: 8pt; color: #6b7280; }
  @bottom-right { content: %(page)s; font-size: 8pt; color: #6b7280; }
}
html { font-family: %(font)s; font-size: 9pt; line-height: 1.35; color: #1f2937; }
body { margin: 0; }
h1 { font-size: 20pt; margin: 0 0 2pt 0; }
h2 { font-size: 13pt; margin: 12pt 0 4pt 0; border-bottom: 0.5pt solid #d1d5db;
     padding-bottom: 2pt; break-after: avoid; color: #1f3a5f; }
h3 { font-size: 10pt; margin: 5pt 0 2pt 0; break-after: avoid; color: #1f3a5f; }
h4 { font-size: 9.5pt; margin: 6pt 0 2pt 0; break-after: avoid; }
p { margin: 0 0 4pt 0; }
ul, ol { margin: 0 0 4pt 0; padding-left: 14pt; }
li { margin: 0 0 1pt 0; }
a { color: #1d4ed8; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; background: #f3f4f6; }
.subtitle { color: #4b5563; font-size: 12pt; margin: 0 0 2pt 0; }
.muted { color: #6b7280; }
.logo { float: right; max-width: 60mm; max-height: 22mm; }
table { table-layout: fixed; border-collapse: collapse; width: 100%%; margin: 1pt 0 4pt 0; }
th, td { text-align: left; vertical-align: top; padding: 1.5pt 4pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.grid th, table.grid td { border: 0.5pt solid #d1d5db; }
table.grid th { background: #374151; color: #ffffff; font-weight: bold; }
tr.even { background: #f3f4f6; }
table.overview td, table.overview th { vertical-align: middle; }
table.overview td.rag { text-align: center; font-weight: bold; width: 15mm; }
td.rag { font-weight: bold; }
td.reason { white-space: pre-line; }
%(rag_classes)s
td.missing-row { background: #e0e0e0; text-align: center; color: #1f2937; }
.legend { font-size: 8pt; color: #4b5563; margin: 2pt 0 8pt 0; }
.swatch { display: inline-block; width: 8pt; height: 8pt; margin: 0 3pt 0 8pt;
          vertical-align: -1pt; }
.swatch.first { margin-left: 0; }
.chart { margin: 6pt 0; }
.chart svg { width: 170mm; height: auto; }
section.project { break-before: page; }
.project h2.name { border: none; margin: 0 0 2pt 0; font-size: 16pt; }
.chip { float: right; margin-left: 6mm; padding: 4pt 10pt; font-weight: bold;
        font-size: 11pt; border-radius: 3pt; white-space: nowrap; }
.panel { background: #e0e0e0; padding: 10pt 12pt; font-size: 13pt; font-weight: bold;
         margin: 6pt 0; }
.texts, .registers { clear: both; margin-right: -6mm; }
.texts > div, .registers > div { float: left; margin-right: 6mm; }
div.row { clear: left; }
.texts > div { width: 84mm; }
.registers > div { width: 131mm; }
img { vertical-align: middle; }
col.key { width: 72mm; } col.manager { width: 40mm; }
col.dimension { width: 32mm; } col.colour { width: 30mm; } col.previous { width: 22mm; }
col.strip { width: 30mm; }
col.ref { width: 24mm; } col.owner { width: 34mm; } col.due { width: 24mm; }
col.score { width: 14mm; } col.status { width: 26mm; } col.date { width: 26mm; }
col.done { width: 17mm; }
"""


class PageCache(Protocol):
    """Where printed project pages are kept between reports (the app's is on disk)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


def report_pdf(
    report: ConsolidatedReport,
    progress: Progress | None = None,
    *,
    chunk_size: int | None = None,
    cache: PageCache | None = None,
) -> bytes:
    """Render ``report`` as A4 landscape PDF bytes, fetching nothing from anywhere.

    ``progress(done, total)`` is called at the start, as parts of the report are
    printed, and with ``done == total`` once the PDF is complete. A report of
    `PARALLEL_FROM` projects or more (or any report when ``chunk_size`` is given) is
    printed in parts of ``chunk_size`` projects by worker processes, see `_parallel`.
    """
    total = len(report.projects)
    if progress is not None:
        progress(0, total)
    if cache is not None:
        cached = _from_cache(report, cache, progress)
        if progress is not None:
            progress(total, total)
        return cached
    size = chunk_size or CHUNK_SIZE
    data = None
    if chunk_size is not None or total >= PARALLEL_FROM:
        try:
            data = _parallel(report, max(size, 1), progress)
        except BrokenProcessPool:
            # Workers could not start or died (a script read from stdin cannot be
            # re-imported by them, the OOM killer): print it here, slower but whole.
            logger.warning("PDF workers failed; printing the report in this process")
    if data is None:
        data = render_html(report_html(report), _resources(report, report.projects, True))
    if progress is not None:
        progress(total, total)
    return data


def warm_pages(report: ConsolidatedReport, cache: PageCache) -> int:
    """Print the project pages of ``report`` that ``cache`` does not hold yet; how many.

    The background task that runs when a report is approved calls this, so the board's
    download later finds its pages ready.
    """
    parts = _project_parts(report)
    missing = [part for part in parts if cache.get(part[0]) is None]
    for key, printed in zip(
        [part[0] for part in missing], _print_all([part[1] for part in missing]), strict=True
    ):
        cache.put(key, printed[0])
    return len(missing)


# --------------------------------------------------------------------------- the cache


def _project_parts(
    report: ConsolidatedReport,
) -> list[tuple[str, tuple[str, dict[str, Resource]]]]:
    """Each project as a document of its own, with the key it is kept under."""
    parts = []
    for project in report.projects:
        document = (
            _document(report, [project], front=False, numbered=False),
            _resources(report, [project], False),
        )
        parts.append((_key(*document), document))
    return parts


def _key(html: str, resources: dict[str, Resource]) -> str:
    """A name for exactly what a part prints: its HTML, its images and the printer."""
    import weasyprint

    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint.__version__}\n".encode())
    digest.update(html.encode("utf-8", "surrogatepass"))
    for url in sorted(resources):
        data, kind = resources[url]
        digest.update(f"\n{url} {kind} {len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _from_cache(report: ConsolidatedReport, cache: PageCache, progress: Progress | None) -> bytes:
    """The report from kept project pages, printing (and keeping) only those missing."""
    total = len(report.projects)
    parts = _project_parts(report)
    found: list[bytes | None] = [cache.get(key) for key, _document in parts]
    missing = [index for index, data in enumerate(found) if data is None]
    front = (_document(report, [], front=True, numbered=False), _resources(report, [], True))
    done = total - len(missing)
    if progress is not None and done:
        progress(done, total)

    def printed(position: int) -> None:
        nonlocal done
        if position == 0:  # the front matter
            return
        done += 1
        if progress is not None and done < total:
            progress(done, total)

    documents = [front] + [parts[index][1] for index in missing]
    results = _print_all(documents, on_done=printed)
    for index, (data, _pages) in zip(missing, results[1:], strict=True):
        cache.put(parts[index][0], data)
        found[index] = data
    pieces = [results[0][0]] + [cast(bytes, data) for data in found]
    joined = _join(pieces)
    return _stamp(joined, 1, _stamp_style(report, _page_count(joined)))


def _page_count(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def _print_all(
    documents: Sequence[tuple[str, dict[str, Resource]]],
    on_done: Any = None,
) -> list[tuple[bytes, int]]:
    """Print documents, side by side in worker processes when there are enough of them."""
    results: list[tuple[bytes, int]] = [(b"", 0)] * len(documents)
    if len(documents) >= CACHE_PARALLEL_FROM:
        try:
            with ProcessPoolExecutor(
                max_workers=_workers(len(documents)), mp_context=_context()
            ) as pool:
                futures = {pool.submit(_print, *doc): i for i, doc in enumerate(documents)}
                for future in as_completed(futures):
                    index = futures[future]
                    results[index] = future.result()
                    if on_done is not None:
                        on_done(index)
            return results
        except BrokenProcessPool:
            logger.warning("PDF workers failed; printing the pages in this process")
    for index, document in enumerate(documents):
        results[index] = _print(*document)
        if on_done is not None:
            on_done(index)
    return results


def report_html(report: ConsolidatedReport) -> str:
    """Build the HTML document the PDF is printed from (useful for a preview, too)."""
    return _document(report, report.projects, front=True, numbered=True)


def _document(
    report: ConsolidatedReport,
    projects: Sequence[ProjectReport],
    *,
    front: bool,
    numbered: bool,
) -> str:
    """The whole report, or one part of it: the front matter and/or some projects.

    A part printed by a worker leaves the page number out (``numbered=False``); it is
    stamped on once every part's page count is known.
    """
    labels = report.labels
    style = _STYLE % {
        "header": css_string(outline.header_text(report)),
        "organisation": css_string(outline.line(report.organisation)),
        "page": page_content(outline.page_parts(labels)) if numbered else "none",
        "font": _FONT_STACK,
        "rag_classes": _rag_classes(),
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(outline.line(report.language) or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(outline.line(report.title))}</title>",
        '<meta name="generator" content="Schakel">',
        f'<meta name="author" content="{escape(outline.line(report.organisation))}">',
        f'<meta name="description" content="{escape(outline.line(report.scope))}">',
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    if front:
        parts.extend(_front(report))
    for project in projects:
        parts.extend(_project(report, project))
    parts.append("</body></html>")
    return "\n".join(parts)


def _resources(
    report: ConsolidatedReport, projects: Sequence[ProjectReport], front: bool
) -> dict[str, Resource]:
    """What a document may load from memory: the strips of its projects, and the logo."""
    resources = _strip_resources(projects)
    if front and outline.png_size(report.logo_png) is not None and report.logo_png:
        resources[LOGO_URL] = (report.logo_png, "image/png")
    return resources


# --------------------------------------------------------------------------- in parallel


def _parallel(report: ConsolidatedReport, size: int, progress: Progress | None) -> bytes:
    """Print the front matter and each run of ``size`` projects in worker processes.

    WeasyPrint lays a document out on one core, at roughly a fifth of a second per
    project page; a portfolio of 200 projects took most of a minute. The parts are
    independent documents, so worker processes print them side by side. Only the page
    numbers depend on the other parts: the workers print without them, the page counts
    give every part its first number and the total, and a second round stamps "Page X
    of Y" on (`_stamp`), in the same font and place as a single document has it.
    """
    total = len(report.projects)
    chunks = [report.projects[start : start + size] for start in range(0, total, size)]
    documents = [(_document(report, [], front=True, numbered=False), _resources(report, [], True))]
    documents += [
        (_document(report, chunk, front=False, numbered=False), _resources(report, chunk, False))
        for chunk in chunks
    ]
    counts = [0] + [len(chunk) for chunk in chunks]
    rendered: list[bytes] = [b""] * len(documents)
    pages = [0] * len(documents)
    with ProcessPoolExecutor(max_workers=_workers(len(documents)), mp_context=_context()) as pool:
        futures = {pool.submit(_print, *document): i for i, document in enumerate(documents)}
        done = 0
        for future in as_completed(futures):
            index = futures[future]
            rendered[index], pages[index] = future.result()
            done += counts[index]
            if progress is not None and counts[index] and done < total:
                progress(done, total)
        firsts = [1 + sum(pages[:index]) for index in range(len(pages))]
        style = _stamp_style(report, sum(pages))
        stamped = list(pool.map(_stamp, rendered, firsts, [style] * len(rendered)))
    return _join(stamped)


def _context() -> BaseContext:
    """Start workers from a clean process, never by forking a threaded web worker.

    The fork server imports WeasyPrint once; every pool after the first starts quickly.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "pypdf", __name__])
        return context
    return multiprocessing.get_context("spawn")


def _workers(documents: int) -> int:
    """One worker per core this process may use, and never more than there is work."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, documents))


def _print(document: str, resources: dict[str, Resource]) -> tuple[bytes, int]:
    """Print one part and count its pages, in a worker."""
    import pypdf

    data = render_html(document, resources)
    return data, len(pypdf.PdfReader(io.BytesIO(data)).pages)


def _stamp_style(report: ConsolidatedReport, total: int) -> str:
    """The page-number footer of `_STYLE` with the total written out; `_stamp` adds the
    first number. Same page size, margins, font and colour, so it lands where a single
    document prints it."""
    pieces = []
    for kind, literal in outline.page_parts(report.labels):
        if kind == "text":
            pieces.append(css_string(literal))
        elif kind == "page":
            pieces.append("counter(page)")
        else:
            pieces.append(css_string(str(total)))
    return _STAMP_STYLE % {"page": " ".join(pieces), "font": _FONT_STACK}


def _stamp(data: bytes, first: int, style: str) -> bytes:
    """Print the page numbers ``first``, ``first + 1``… over the pages of ``data``.

    WeasyPrint prints a document of empty pages that carry only the footer's number;
    each of its pages is laid over a page of ``data`` by appending its drawing to the
    page's own (`_overlay`). Runs in a worker.
    """
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    document = (
        f"<!DOCTYPE html><html><head><style>{style}"
        f"@page :first {{ counter-reset: page {first} }}</style></head><body>"
        + "<div></div>" * len(reader.pages)
        + "</body></html>"
    )
    numbers = pypdf.PdfReader(io.BytesIO(render_html(document)))
    writer = pypdf.PdfWriter(clone_from=reader)
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        _overlay(writer, page, number)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _overlay(writer: PdfWriter, page: PageObject, overlay: PageObject) -> None:
    """Draw ``overlay`` on top of ``page``, both the size of an A4 landscape page.

    pypdf's `merge_page` parses both drawings to rename resources, which cost more than
    printing the numbers. Here the page's drawing is wrapped in q/Q so its coordinate
    changes end with it, and only the overlay's few resources are renamed (prefix
    ``n``): WeasyPrint names a font after the font file, so both use the same name for
    different subsets.
    """
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    own = cast(DictionaryObject, page["/Resources"].get_object())
    theirs = cast(DictionaryObject, overlay["/Resources"].get_object())
    content = _drawing(overlay)
    for category in ("/Font", "/ExtGState"):
        entries = theirs.get(category)
        if not entries:
            continue
        if category not in own:
            own[NameObject(category)] = DictionaryObject()
        target = cast(DictionaryObject, own[category].get_object())
        for name, value in cast(DictionaryObject, entries.get_object()).items():
            renamed = "/n" + name[1:]
            target[NameObject(renamed)] = value.clone(writer)
            content = re.sub(
                re.escape(name.encode()) + rb"(?=[\s/\[<(])", renamed.encode(), content
            )
    merged = ContentStream(None, writer)
    merged.set_data(b"q\n" + _drawing(page) + b"\nQ\n" + content)
    page.replace_contents(merged.flate_encode())


def _drawing(page: PageObject) -> bytes:
    """The page's content stream(s) as one decoded byte string."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(stream.get_object().get_data() for stream in streams)


def _join(parts: Sequence[bytes]) -> bytes:
    """One PDF from the parts in order, as a single document would have it.

    The first part (the front matter) gives the title, author, subject and language,
    and its title heading is the bookmark the projects' bookmarks hang under, as they
    do when WeasyPrint prints the whole report at once.
    """
    import pypdf
    from pypdf.generic import NameObject

    writer = pypdf.PdfWriter()
    readers = [pypdf.PdfReader(io.BytesIO(data)) for data in parts]
    for reader in readers:
        writer.append(reader, import_outline=False)
    front = readers[0]
    if front.metadata:
        writer.add_metadata(dict(front.metadata))
    if "/Lang" in front.root_object:
        writer.root_object[NameObject("/Lang")] = front.root_object["/Lang"]
    first = 0
    parent = None
    for reader in readers:
        top = _bookmarks(writer, reader, reader.outline, first, parent)
        if parent is None and top is not None:
            parent = top
        first += len(reader.pages)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _bookmarks(writer: PdfWriter, reader: PdfReader, items: Any, first: int, parent: Any) -> Any:
    """Copy ``reader``'s bookmarks under ``parent``, pages moved by ``first``.

    Returns the first top-level bookmark added (the report's title for the front part).
    """
    from pypdf.generic import Fit

    added = None
    last = None
    for item in items:
        if isinstance(item, list):  # the children of the bookmark before
            _bookmarks(writer, reader, item, first, last)
            continue
        page = reader.get_destination_page_number(item)
        if page is None:
            continue
        fit = Fit.xyz(left=item.left, top=item.top) if item.top is not None else Fit.fit()
        last = writer.add_outline_item(
            title=item.title, page_number=first + page, parent=parent, fit=fit
        )
        added = added if added is not None else last
    return added


# --------------------------------------------------------------------------- the front


def _front(report: ConsolidatedReport) -> list[str]:
    """Title, overview, key messages, escalations and the distribution chart."""
    labels = report.labels
    parts = _title_block(report)
    parts.extend(_overview(report))
    parts.append(f"<h2>{_e(labels.key_messages)}</h2>")
    parts.extend(_markup(report.key_messages, labels.none))
    parts.extend(_escalations(report))
    if outline.shows_distribution(report):
        parts.append('<div class="chart">')
        parts.append(rag_distribution_svg(report.distribution, labels=labels))
        parts.append("</div>")
    return parts


def _title_block(report: ConsolidatedReport) -> list[str]:
    parts = []
    if outline.png_size(report.logo_png) is not None:
        parts.append(f'<img class="logo" src="{LOGO_URL}" alt="">')
    parts.append(f"<h1>{_e(report.title)}</h1>")
    subtitle = " · ".join(
        part for part in (outline.line(report.scope), outline.line(report.period_label)) if part
    )
    parts.append(f'<p class="subtitle">{escape(subtitle)}</p>')
    dates = outline.period_dates(report)
    if report.generated_at is not None:
        generated = format_long_date(report.generated_at.date(), report.language)
        dates += f" · {outline.line(report.labels.generated)}: {generated}"
    parts.append(f'<p class="muted">{escape(dates)}</p>')
    return parts


def _overview(report: ConsolidatedReport) -> list[str]:
    labels = report.labels
    dimensions = report.dimensions
    parts = [
        f"<h2>{_e(labels.overview)}</h2>",
        '<table class="grid overview">',
        '<colgroup><col class="key"><col class="manager"><col>'
        + "<col>" * len(dimensions)
        + "</colgroup>",
        "<thead><tr>",
        f"<th>{_e(labels.project)}</th><th>{_e(labels.manager)}</th>",
        f"<th>{_e(labels.overall)}</th>",
        *(f"<th>{_e(dimension.label)}</th>" for dimension in dimensions),
        "</tr></thead><tbody>",
    ]
    for index, project in enumerate(report.projects):
        key = outline.line(project.key)
        name = f"<strong>{escape(key)}</strong> " if key else ""
        parts.append(
            f"<tr{_zebra(index)}><td>{name}{_e(project.name)}</td><td>{_e(project.manager)}</td>"
        )
        if not outline.is_reported(project):
            parts.append(
                f'<td class="missing-row" colspan="{len(dimensions) + 1}">'
                f"{_e(labels.not_reported)}</td></tr>"
            )
            continue
        ratings = [project.overall] + [
            rating for _, _, rating in outline.dimension_ratings(report, project)
        ]
        parts.extend(_overview_cell(rating, report) for rating in ratings)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.append(_legend(report))
    return parts


def _overview_cell(rating: Rating, report: ConsolidatedReport) -> str:
    """A coloured cell with the arrow; its title spells colour and trend out."""
    style = rag_style(rating.rag)
    words = outline.rating_cell(rating, report.labels)
    mark = arrow(rating.trend) or style.mark
    return f'<td class="rag rag-{style.key or "none"}" title="{escape(words)}">{mark}</td>'


def _legend(report: ConsolidatedReport) -> str:
    labels = report.labels
    pieces = []
    for index, style in enumerate(RAG_ORDER):
        first = " first" if index == 0 else ""
        pieces.append(
            f'<span class="swatch{first} rag-{style.key or "none"}"></span>'
            f"{_e(rag_label(style.key, labels))}"
        )
    for trend in ("better", "worse", "same"):
        pieces.append(f" &#160; {arrow(trend)} {_e(trend_label(trend, labels))}")
    return f'<p class="legend">{"".join(pieces)}</p>'


def _escalations(report: ConsolidatedReport) -> list[str]:
    labels = report.labels
    parts = [f"<h2>{_e(labels.escalations)}</h2>"]
    escalating = outline.escalating_projects(report)
    if not escalating:
        parts.append(f"<p>{_e(labels.none)}</p>")
    for project, escalation in escalating:
        parts.append(f"<h3>{escape(outline.project_heading(project))}</h3>")
        parts.extend(blocks_html(markup.parse(escalation), ("h4", "h4")))
    return parts


# --------------------------------------------------------------------------- projects


def _project(report: ConsolidatedReport, project: ProjectReport) -> list[str]:
    labels = report.labels
    overall = rag_style(project.overall.rag)
    parts = [
        '<section class="project">',
        f'<div class="chip rag-{overall.key or "none"}">{_e(labels.overall)}: '
        f"{escape(outline.rating_cell(project.overall, labels))}</div>",
        f'<h2 class="name">{escape(outline.project_heading(project))}</h2>',
    ]
    details = []
    if manager := outline.line(project.manager):
        details.append(f"{outline.line(labels.manager)}: {manager}")
    if state := outline.line(project.state):
        details.append(f"{outline.line(labels.state)}: {state}")
    if project.submitted_at is not None:
        details.append(format_short_date(project.submitted_at.date(), report.language))
    if approved := outline.line(project.approved_by):
        details.append(approved)
    if details:
        parts.append(f'<p class="muted">{escape(" · ".join(details))}</p>')

    if outline.is_reported(project):
        parts.extend(_ratings(report, project))
        # The texts side by side, three to a row: a project fits one landscape page.
        parts.append('<div class="texts">')
        for index, (heading, body) in enumerate(
            (
                (labels.summary, project.summary),
                (labels.achievements, project.achievements),
                (labels.next_period, project.next_period),
                (labels.escalations, project.escalations),
                (labels.tolerances, project.tolerances),
                (labels.change_requests, project.change_requests),
            )
        ):
            parts.append(f"<div{_row_start(index, 3)}><h3>{_e(heading)}</h3>")
            parts.extend(_markup(body, labels.none))
            parts.append("</div>")
        parts.append("</div>")
    else:
        parts.append(f'<div class="panel">{_e(labels.missing_reports)}</div>')
        if history := project.trend.get("overall", []):
            strip = _strip(report, labels.overall, history)
            parts.append(f"<p>{_e(labels.overall)} · {_e(labels.trend)}: {strip}</p>")

    parts.append('<div class="registers">')
    milestones = outline.milestone_table(project.milestones, labels, report.language)
    parts.append(f"<div{_row_start(0, 2)}><h3>{_e(labels.milestones)}</h3>")
    parts.extend(_table(milestones, labels.none, {"baseline": "date", "forecast": "date"}))
    parts.append("</div>")
    for index, (heading, lines) in enumerate(
        (
            (labels.risks, project.risks),
            (labels.issues, project.issues),
            (labels.overdue_actions, project.overdue_actions),
            (labels.decisions, project.decisions),
        ),
        start=1,
    ):
        parts.append(f"<div{_row_start(index, 2)}><h3>{_e(heading)}</h3>")
        parts.extend(_table(outline.register_table(lines, labels, report.language), labels.none))
        parts.append("</div>")
    parts.append("</div>")
    parts.append("</section>")
    return parts


def _ratings(report: ConsolidatedReport, project: ProjectReport) -> list[str]:
    labels = report.labels
    rows = [("overall", outline.line(labels.overall), project.overall)]
    rows += outline.dimension_ratings(report, project)
    parts = [
        '<table class="grid ratings">',
        '<colgroup><col class="dimension"><col class="colour"><col class="previous">'
        '<col class="strip"><col></colgroup>',
        "<thead><tr>",
        f"<th>{_e(labels.dimension)}</th><th>{_e(labels.colour)}</th>",
        f"<th>{_e(labels.previous)}</th><th>{_e(labels.trend)}</th>",
        f"<th>{_e(labels.reason)}</th>",
        "</tr></thead><tbody>",
    ]
    for index, (key, label, rating) in enumerate(rows):
        style = rag_style(rating.rag)
        previous = rag_style(rating.previous)
        history = project.trend.get(key, [])
        label_html = f"<strong>{escape(label)}</strong>" if key == "overall" else escape(label)
        previous_text = _e(rag_label(previous.key, labels)) if rating.previous else ""
        parts.append(
            f"<tr{_zebra(index)}><td>{label_html}</td>"
            f'<td class="rag rag-{style.key or "none"}">'
            f"{escape(outline.rating_cell(rating, labels))}</td>"
            f"<td>{previous_text}</td>"
            f'<td class="strip">{_strip(report, label, history) if history else ""}</td>'
            f'<td class="reason">{escape(outline.text(rating.reason))}</td></tr>'
        )
    parts.append("</tbody></table>")
    return parts


def _strip(report: ConsolidatedReport, label: str, history: Sequence[str]) -> str:
    """The trend strip as an image with a spoken label: "Schedule: Green, Amber, Red".

    The strip is the chart module's SVG, handed to WeasyPrint as an image from memory
    rather than inline: WeasyPrint parses and styles each distinct strip once instead of
    every rect of every row, which made the ratings table the slowest part of a page.
    """
    words = ", ".join(outline.line(rag_label(rag_style(c).key, report.labels)) for c in history)
    alt = escape(f"{outline.line(label)}: {words}")
    return f'<img src="{_strip_url(history)}" alt="{alt}">'


def _strip_url(history: Sequence[str]) -> str:
    """The strip's image URL, named by its colours; only palette keys ever reach it."""
    return STRIP_URL_PREFIX + "-".join(rag_style(colour).key or "none" for colour in history)


def _strip_resources(projects: Sequence[ProjectReport]) -> dict[str, Resource]:
    """Every trend strip the projects can show, as SVG bytes keyed by `_strip_url`."""
    resources: dict[str, Resource] = {}
    for project in projects:
        for history in project.trend.values():
            url = _strip_url(history)
            if history and url not in resources:
                resources[url] = (rag_strip_svg(history).encode(), "image/svg+xml")
    return resources


def _table(
    data: outline.RegisterTable, none: str, classes: dict[str, str] | None = None
) -> list[str]:
    if not data.rows:
        return [f'<p class="muted">{_e(none)}</p>']
    classes = classes or {}
    columns = "".join(
        "<col>" if name == "title" else f'<col class="{classes.get(name, name)}">'
        for name in data.fields
    )
    parts = [
        '<table class="grid">',
        f"<colgroup>{columns}</colgroup>",
        "<thead><tr>",
        *(f"<th>{escape(header)}</th>" for header in data.headers),
        "</tr></thead><tbody>",
    ]
    for index, row in enumerate(data.rows):
        parts.append(
            f"<tr{_zebra(index)}>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        )
    parts.append("</tbody></table>")
    return parts


# --------------------------------------------------------------------------- helpers


def _markup(text: str, none: str) -> list[str]:
    """User markup as HTML below an h2/h3, or the word "None" when there is nothing."""
    blocks = markup.parse(text)
    if not blocks:
        return [f'<p class="muted">{_e(none)}</p>']
    return blocks_html(blocks, ("h4", "h4"))


def _row_start(index: int, per_row: int) -> str:
    """Mark the first box of each row of floats, which clears the row above it."""
    return ' class="row"' if index % per_row == 0 else ""


def _zebra(index: int) -> str:
    """Every second row shaded, marked in the HTML: cheaper to lay out than :nth-child."""
    return ' class="even"' if index % 2 else ""


def _rag_classes() -> str:
    """One CSS class per colour, from the shared palette: ``.rag-green`` and so on."""
    return "\n".join(
        f".rag-{style.key or 'none'} {{ background: {style.fill}; color: {style.ink}; }}"
        for style in RAG_ORDER
    )


def _e(value: str) -> str:
    """A single-line label or user string, cleaned and escaped for HTML."""
    return escape(outline.line(value))
