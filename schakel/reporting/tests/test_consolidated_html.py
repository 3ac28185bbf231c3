"""The consolidated report page draws its projects in Python (`consolidated_html`): the
values people typed are escaped, texts go through the same Markdown and sanitiser as
elsewhere, and the page reads what it needs once."""

from __future__ import annotations

import markdown as markdown_lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.lib.markdown import EXTENSIONS, render_markdown, sanitise
from schakel.reporting import services
from schakel.reporting.models import StatusReport

from .pages import make_cycle, start

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"

# Texts that exercise the parser's state between texts (footnotes, abbreviations and
# reference links are collected per text) and the sanitiser.
MARKDOWN = [
    "Plain text.",
    "Two lines\nwith a break, **bold**, *em* and `code`.",
    "- one\n- two\n\n1. first\n2. second",
    "A note[^1].\n\n[^1]: The footnote.",
    "Another note[^1] without its definition.",
    "*[PMO]: Programme management office\n\nThe PMO decides.",
    "The PMO again, no abbreviation now.",
    "[a link][ref]\n\n[ref]: https://example.org",
    "[the same reference][ref] without its target",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    '<script>alert(1)</script><img src=x onerror="alert(1)"> <b>raw</b>',
    "[bad](javascript:alert(1)) [mail](mailto:a@b.nl)",
    "> quoted\n\n    indented code",
    "",
]


def test_the_reused_parser_renders_exactly_as_a_fresh_one():
    def fresh(text: str) -> str:
        if not text:
            return ""
        return sanitise(markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html"))

    for _round in range(2):
        for text in MARKDOWN:
            assert render_markdown(text) == fresh(text), text


@pytest.fixture
def cycle(org, pmo):
    return make_cycle(org, pmo)


@pytest.fixture
def hostile_report(cycle, org, pmo, manager):
    """ODI's approved report with hostile text in every field the page shows."""
    manager.first_name = HOSTILE
    manager.save()
    org.project.name = f"Org {HOSTILE}"
    org.project.manager = manager
    org.project.save()
    report = start(cycle, org.project, manager)
    ratings = dict.fromkeys(cycle.dimension_keys, ("amber", f"{HOSTILE}\nsecond line"))
    report = services.report_update(
        report=report,
        version=report.version,
        by=manager,
        ratings=ratings,
        overall="amber",
        overall_reason=HOSTILE,
        summary=f"**Summary** {HOSTILE}",
        escalations=f"Escalate {HOSTILE}",
        milestones=[{"title": f"Milestone {HOSTILE}", "baseline": "2026-01-05", "done": True}],
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    line = {"ref": "ODI-R1", "title": HOSTILE, "owner": HOSTILE, "score": 12, "status": "open"}
    StatusReport.objects.filter(pk=report.pk).update(snapshot={"risks": [line]})
    return report


def _page(client, cycle) -> str:
    response = client.get(reverse("reporting:cycle_report", args=[cycle.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_what_people_typed_is_escaped_everywhere(client_as, cycle, hostile_report, pmo):
    page = _page(client_as(pmo), cycle)

    assert "<script>alert" not in page
    # The overview row: name, manager and the reason in a square's tooltip.
    assert f'<span class="mono">ODI</span> Org {ESCAPED}</a>' in page
    assert f'<span class="muted cell-sub">{ESCAPED}' in page
    assert f'title="Schedule: Amber — {ESCAPED}\nsecond line"' in page
    # The project's section: reasons with their line breaks, texts through Markdown,
    # milestones and the register lines.
    assert f'<td data-label="Reason">{ESCAPED}<br>second line</td>' in page
    assert "<p><strong>Summary</strong>  &amp; 'q'</p>" in page  # the sanitiser drops scripts
    assert f"Milestone {ESCAPED}</td>" in page
    assert '✓<span class="visually-hidden">Done</span>' in page
    assert f'<span class="mono">ODI-R1</span> {ESCAPED}<span class="muted"> · {ESCAPED}' in page
    assert " · Score 12 · Open</span>" in page
    # The escalations.
    assert "<p>Escalate  &amp; 'q'</p>" in page


def test_each_project_has_its_badges_and_a_link_to_its_report(
    client_as, cycle, hostile_report, pmo
):
    page = _page(client_as(pmo), cycle)

    url = reverse("reporting:report_detail", args=[hostile_report.pk])
    assert f'<a class="btn btn-secondary btn-sm" href="{url}">Open report</a>' in page
    assert '<span class="rag rag-amber">Amber</span>' in page
    # POL did not report: one cell across the colours, and a "not given" badge.
    assert 'class="not-received">No report received · Not started</td>' in page
    assert '<span class="rag rag-none">Not given</span>' in page


def test_the_page_reads_the_key_messages_once(client_as, cycle, hostile_report, pmo):
    client = client_as(pmo)
    services.key_messages_save(
        cycle=cycle,
        period_end=services.reporting_period(cycle).end,
        text="On track.",
        version=0,
        by=pmo,
    )

    with CaptureQueriesContext(connection) as queries:
        page = _page(client, cycle)

    assert "<p>On track.</p>" in page
    notes = [q for q in queries.captured_queries if '"reporting_periodnote"' in q["sql"]]
    assert len(notes) == 1
