"""Write meeting minutes as a PDF with WeasyPrint, from HTML this module builds itself.

The HTML never comes from a template engine or a Markdown library: every user string is
passed through `html.escape`, and notes are rendered from `markup` blocks by the code
below, so typed ``<b>`` or ``<img>`` stays visible text. Strings that end up in the CSS
(the running header and footer) are written as CSS escapes. WeasyPrint gets a URL fetcher
that refuses every URL, so nothing in a document can make the server fetch a resource
(internal addresses, file:// paths); links stay clickable annotations in the PDF.

WeasyPrint is imported inside the function: it loads Pango and fonts, which the web
process should only pay for when someone downloads a PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from schakel.core.exports import _minutes as outline
from schakel.core.exports import markup
from schakel.core.exports._html import blocks_html as _blocks
from schakel.core.exports._html import css_string as _css_string
from schakel.core.exports._html import escape as _e
from schakel.core.exports._html import page_content
from schakel.core.exports.documents import Minutes, MinutesItem, Outcome

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

__all__ = ["FetchRefusedError", "Resource", "minutes_pdf", "render_html"]

_FONT_STACK = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
_CODE_FONT_STACK = '"DejaVu Sans Mono", "Liberation Mono", monospace'

_STYLE = """
@page {
  size: A4 portrait;
  margin: 24mm 20mm 22mm 20mm;
  @top-left { content: %(header)s; font-size: 8.5pt; color: #6b7280; }
  @bottom-left { content: %(version)s; font-size: 8.5pt; color: #6b7280; }
  @bottom-right { content: %(page)s; font-size: 8.5pt; color: #6b7280; }
}
html { font-family: %(font)s; font-size: 10pt; line-height: 1.4; color: #1f2937; }
body { margin: 0; }
h1.title { font-size: 20pt; margin: 0 0 2pt 0; }
p.subtitle { color: #6b7280; margin: 0 0 10pt 0; font-size: 11pt; }
h2 { font-size: 13pt; margin: 16pt 0 4pt 0; border-bottom: 0.5pt solid #d1d5db;
     padding-bottom: 2pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 3pt 0; break-after: avoid; }
h4 { font-size: 10pt; margin: 8pt 0 2pt 0; break-after: avoid; }
p { margin: 0 0 5pt 0; }
ul, ol { margin: 0 0 5pt 0; padding-left: 16pt; }
li { margin: 0 0 2pt 0; }
code { font-family: %(code_font)s; font-size: 9pt; background: #f3f4f6; }
a { color: #1d4ed8; text-decoration: underline; }
table { border-collapse: collapse; width: 100%%; margin: 2pt 0 8pt 0; }
th, td { text-align: left; vertical-align: top; padding: 2pt 4pt; }
table.grid th, table.grid td { border: 0.5pt solid #9ca3af; }
table.grid th { background: #e5e7eb; }
table.grid thead { display: table-header-group; }
table.grid tr { break-inside: avoid; }
table.meta th { width: 30mm; padding-left: 0; }
col.ref { width: 24mm; } col.owner { width: 32mm; } col.last { width: 24mm; }
.presenter { font-weight: bold; }
.detail { white-space: pre-line; }
td { white-space: pre-line; }
"""


class FetchRefusedError(ValueError):
    """Raised for every resource WeasyPrint asks for: documents fetch nothing."""


# Bytes the caller already holds (a configured logo) and their media type.
Resource = tuple[bytes, str]


def _refuse(url: str) -> NoReturn:
    # Module-level so a test can watch it; WeasyPrint turns the error into a warning and
    # renders on without the resource.
    raise FetchRefusedError(f"PDF documents fetch no resources (asked for {url[:200]!r})")


def minutes_pdf(minutes: Minutes) -> bytes:
    """Render ``minutes`` as A4 PDF bytes with the same outline as the Word document."""
    return render_html(minutes_html(minutes))


def render_html(document: str, resources: Mapping[str, Resource] | None = None) -> bytes:
    """Turn a complete, already escaped HTML document into PDF bytes, fetching nothing.

    ``resources`` maps URLs the document itself wrote (such as ``schakel:logo``) to bytes
    in memory; the fetcher hands those out and refuses every other URL, so no user text
    can make the server read a file or call an address.
    """
    import weasyprint

    fetcher = _refusing_fetcher(dict(resources or {}))
    return weasyprint.HTML(string=document, url_fetcher=fetcher).write_pdf()


def _refusing_fetcher(resources: dict[str, Resource]) -> URLFetcher:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RefusingFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url in resources:
                body, media_type = resources[url]
                return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})
            _refuse(url)

    return RefusingFetcher()


def minutes_html(minutes: Minutes) -> str:
    """Build the HTML document the PDF is printed from (useful for a preview, too)."""
    labels = minutes.labels
    style = _STYLE % {
        "header": _css_string(outline.header_text(minutes)),
        "version": _css_string(f"{outline.line(labels.version)} {minutes.version}"),
        "page": _page_content(minutes),
        "font": _FONT_STACK,
        "code_font": _CODE_FONT_STACK,
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(minutes.language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(outline.line(minutes.title))}</title>",
        '<meta name="generator" content="Schakel">',
        # WeasyPrint copies these into the PDF's Author and Subject, as Word's properties.
        f'<meta name="author" content="{_e(outline.line(minutes.minute_taker))}">',
        f'<meta name="description" content="{_e(outline.line(minutes.forum))}">',
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    parts.extend(_title_block(minutes))
    parts.extend(_attendance(minutes))
    summary = markup.parse(minutes.summary)
    if summary:
        parts.append(f"<h2>{_e(outline.line(labels.summary))}</h2>")
        parts.extend(_blocks(summary))
    for item in minutes.items:
        parts.extend(_item(minutes, item))
    parts.append(f"<h2>{_e(outline.line(labels.action_list))}</h2>")
    actions = outline.all_outcomes(minutes, "action")
    parts.extend(
        _outcome_table(minutes, "action", actions)
        if actions
        else [f"<p>{_e(outline.line(labels.none))}</p>"]
    )
    parts.append(f"<h2>{_e(outline.line(labels.decision_list))}</h2>")
    parts.extend(_decision_list(minutes))
    parts.append("</body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- sections


def _title_block(minutes: Minutes) -> list[str]:
    parts = [f'<h1 class="title">{_e(outline.line(minutes.title))}</h1>']
    if subtitle := outline.subtitle(minutes):
        parts.append(f'<p class="subtitle">{_e(subtitle)}</p>')
    parts.append('<table class="meta">')
    for row in outline.meta_rows(minutes):
        value = f'<a href="{_e(row.url)}">{_e(row.value)}</a>' if row.url else _e(row.value)
        parts.append(f"<tr><th>{_e(row.label)}</th><td>{value}</td></tr>")
    parts.append("</table>")
    return parts


def _attendance(minutes: Minutes) -> list[str]:
    parts = [f"<h2>{_e(outline.line(minutes.labels.attendance))}</h2>", '<table class="meta">']
    for label, names in outline.attendance_rows(minutes):
        parts.append(f"<tr><th>{_e(label)}</th><td>{_e(names)}</td></tr>")
    parts.append("</table>")
    return parts


def _item(minutes: Minutes, item: MinutesItem) -> list[str]:
    parts = [f"<h2>{_e(outline.item_heading(item))}</h2>"]
    if presenter := outline.line(item.presenter):
        label = _e(outline.line(minutes.labels.presenter))
        parts.append(f'<p><span class="presenter">{label}:</span> {_e(presenter)}</p>')
    parts.extend(_blocks(markup.parse(item.notes)))
    for kind, outcomes in outline.outcome_groups(item):
        parts.append(f"<h3>{_e(outline.group_label(minutes, kind))}</h3>")
        if kind == "decision":
            parts.extend(_decisions(outcomes))
        else:
            parts.extend(_outcome_table(minutes, kind, outcomes))
    return parts


def _decisions(outcomes: Sequence[Outcome]) -> list[str]:
    parts = ["<ul>"]
    for outcome in outcomes:
        ref = outline.line(outcome.ref)
        head = f"<strong>{_e(ref + ' ' if ref else '')}{_e(outline.text(outcome.title))}</strong>"
        detail = outline.text(outcome.detail)
        tail = f'<div class="detail">{_e(detail)}</div>' if detail else ""
        parts.append(f"<li>{head}{tail}</li>")
    parts.append("</ul>")
    return parts


def _outcome_table(minutes: Minutes, kind: str, outcomes: Sequence[Outcome]) -> list[str]:
    columns = outline.outcome_columns(minutes, kind)
    parts = [
        '<table class="grid">',
        '<colgroup><col class="ref"><col><col class="owner"><col class="last"></colgroup>',
        "<thead><tr>",
        *(f"<th>{_e(column)}</th>" for column in columns),
        "</tr></thead><tbody>",
    ]
    for outcome in outcomes:
        cells = outline.outcome_cells(outcome, kind, minutes.language)
        parts.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    parts.append("</tbody></table>")
    return parts


def _decision_list(minutes: Minutes) -> list[str]:
    decisions = outline.all_outcomes(minutes, "decision")
    if not decisions:
        return [f"<p>{_e(outline.line(minutes.labels.none))}</p>"]
    labels = minutes.labels
    parts = [
        '<table class="grid">',
        '<colgroup><col class="ref"><col></colgroup>',
        f"<thead><tr><th>{_e(outline.line(labels.ref))}</th>"
        f"<th>{_e(outline.line(labels.title))}</th></tr></thead><tbody>",
    ]
    for decision in decisions:
        parts.append(
            f"<tr><td>{_e(outline.line(decision.ref))}</td>"
            f"<td>{_e(outline.text(decision.title))}</td></tr>"
        )
    parts.append("</tbody></table>")
    return parts


# --------------------------------------------------------------------------- escaping


def _page_content(minutes: Minutes) -> str:
    """The CSS ``content`` value for "Page N of M" from the translated template."""
    return page_content(outline.page_parts(minutes))
