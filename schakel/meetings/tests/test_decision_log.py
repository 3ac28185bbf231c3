"""The decision log of a programme or portfolio: order, filters, access and exports."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import services, views_calendar
from schakel.registers.models import Decision
from schakel.registers.tests import factories as items

from . import factories

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def log(org, manager, pmo):
    """Decisions of the programme: from steering committee meetings and typed in by hand."""
    org.programme.key = "SUP"
    org.programme.save()
    steering = factories.series(org.programme, manager, title="Steering committee")
    board = factories.meeting(
        org.programme, manager, title="Steering 1", series=steering, start=factories.at(-20)
    )
    first_item = board.agenda.order_by("position").first()

    def capture(scope, **fields):
        return services.outcome_capture(
            meeting=board, agenda_item=first_item, kind="decision", scope=scope, by=manager,
            **fields,
        )  # fmt: skip

    made = {
        # Decided in the meeting, on the day after (minutes typed up late).
        "erp": capture(
            org.programme,
            title="Choose the new ERP",
            status=Decision.Status.APPROVED,
            decided_by=manager,
            decided_on=days(-19),
        ),
        # Raised in the meeting, not decided yet: dated by the meeting.
        "budget": capture(org.project, title="Raise the ODI budget"),
        # Typed into the register with a forum of its own.
        "policy": items.decision(
            org.sibling,
            manager,
            title="Adopt the policy",
            status=Decision.Status.APPROVED,
            forum="Project board",
            decided_on=days(-5),
            decided_by=manager,
        ),
        "odi": items.decision(
            org.project,
            manager,
            title="Hire a designer",
            status=Decision.Status.REJECTED,
            forum="Project board",
            decided_on=days(-40),
            decided_by=manager,
        ),
        # Another programme: only in the portfolio's log.
        "care": items.decision(
            org.other_project,
            pmo,
            title="Pilot the care app",
            status=Decision.Status.APPROVED,
            forum="Care board",
            decided_on=days(-1),
            decided_by=pmo,
        ),
    }
    made["board"] = board
    made["steering"] = steering
    return made


def _url(org, scope="programme"):
    obj = org.programme if scope == "programme" else org.portfolio
    return reverse(f"meetings:{scope}_decision_log", args=[obj.pk])


def _titles(response):
    assert response.status_code == 200
    return [row.decision.title for row in response.context["rows"]]


def test_the_log_lists_the_programmes_decisions_newest_first(org, manager, log, client_as):
    response = client_as(manager).get(_url(org))
    assert _titles(response) == [
        "Adopt the policy",  # decided 5 days ago
        "Choose the new ERP",  # decided 19 days ago
        "Raise the ODI budget",  # raised in the meeting 20 days ago
        "Hire a designer",  # decided 40 days ago
    ]
    rows = {row.decision.title: row for row in response.context["rows"]}
    assert rows["Choose the new ERP"].forum == "Steering committee"
    assert rows["Adopt the policy"].forum == "Project board"
    assert rows["Raise the ODI budget"].date == factories.at(-20).date()
    assert not rows["Raise the ODI budget"].decided
    assert rows["Raise the ODI budget"].origin.url.startswith(log["board"].get_absolute_url())
    assert rows["Adopt the policy"].origin is None
    page = response.content.decode()
    assert 'aria-current="page">Decision log</a>' in page
    assert "(raised)" in page
    assert f'href="{rows["Choose the new ERP"].origin.url}"' in page


def test_the_portfolio_log_spans_its_programmes(org, pmo, log, client_as):
    titles = _titles(client_as(pmo).get(_url(org, "portfolio")))
    assert titles[0] == "Pilot the care app"
    assert len(titles) == 5


def test_a_project_member_sees_only_their_projects_decisions_and_no_hidden_meeting(
    org, member, log, client_as
):
    response = client_as(member).get(_url(org))
    rows = {row.decision.title: row for row in response.context["rows"]}
    assert set(rows) == {"Raise the ODI budget", "Hire a designer"}
    # The programme's steering committee is not theirs to see: no meeting, no series.
    assert rows["Raise the ODI budget"].origin is None
    assert rows["Raise the ODI budget"].forum == "Steering committee"  # its own forum text
    choices = dict(response.context["form"].fields["forum"].choices)
    assert "Meeting series" not in choices
    assert "Steering 1" not in response.content.decode()


def test_the_forum_filter_offers_series_and_typed_forums(org, manager, log, client_as):
    client = client_as(manager)
    form = client.get(_url(org)).context["form"]
    choices = form.fields["forum"].choices
    assert choices[1] == (
        "Meeting series",
        [(f"series:{log['steering'].pk}", "Steering committee")],
    )
    assert choices[2] == (
        "Forum named on the decision",
        [
            ("forum:Project board", "Project board"),
            ("forum:Steering committee", "Steering committee"),
        ],
    )
    by_series = client.get(_url(org), {"forum": f"series:{log['steering'].pk}"})
    assert _titles(by_series) == ["Choose the new ERP", "Raise the ODI budget"]
    by_text = client.get(_url(org), {"forum": "forum:Project board"})
    assert _titles(by_text) == ["Adopt the policy", "Hire a designer"]


def test_the_period_reads_the_decision_date_or_the_meeting_date(org, manager, log, client_as):
    client = client_as(manager)
    period = {"date_from": days(-21).isoformat(), "date_to": days(-10).isoformat()}
    assert _titles(client.get(_url(org), period)) == ["Choose the new ERP", "Raise the ODI budget"]
    assert _titles(client.get(_url(org), {"date_to": days(-30).isoformat()})) == ["Hire a designer"]


def test_status_only_from_meetings_and_search(org, manager, log, client_as):
    client = client_as(manager)
    assert _titles(client.get(_url(org), {"status": "rejected"})) == ["Hire a designer"]
    assert _titles(client.get(_url(org), {"from_meetings": "on"})) == [
        "Choose the new ERP",
        "Raise the ODI budget",
    ]
    assert _titles(client.get(_url(org), {"q": "erp"})) == ["Choose the new ERP"]
    ref = log["odi"].ref
    assert _titles(client.get(_url(org), {"q": ref})) == ["Hire a designer"]


@pytest.mark.parametrize(
    "params",
    [
        {"forum": "series:999999"},
        {"forum": "forum:Not a forum here"},
        {"status": "maybe"},
        {"date_from": "yesterday"},
        {"date_from": "2026-02-30"},
        {"date_from": days(0).isoformat(), "date_to": days(-10).isoformat()},
        {"q": "x" * 500},
        {"page": "99999999999999999999"},
    ],
)
def test_a_filter_that_is_not_understood_is_left_out_not_fatal(
    org, manager, log, client_as, params
):
    response = client_as(manager).get(_url(org), params)
    assert response.status_code == 200
    if "page" not in params:
        assert "A filter was not understood and is left out." in response.content.decode()


def test_a_series_of_another_programme_is_not_a_valid_forum(org, manager, pmo, log, client_as):
    other = factories.series(org.other_programme, pmo, title="Care steering")
    response = client_as(pmo).get(_url(org), {"forum": f"series:{other.pk}"})
    assert response.context["form"].errors
    assert len(_titles(response)) == 4


def test_the_results_are_paginated_and_htmx_gets_only_the_results(
    org, manager, log, client_as, monkeypatch
):
    monkeypatch.setattr(views_calendar, "PAGE_SIZE", 3)
    client = client_as(manager)
    second = client.get(_url(org), {"page": 2})
    assert _titles(second) == ["Hire a designer"]
    partial = client.get(_url(org), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = partial.content.decode()
    assert "<html" not in body
    assert "decision-log-table" in body
    assert "Page 1 of 2" in body


def test_the_csv_export_holds_the_filtered_rows_of_every_page(
    org, manager, log, client_as, monkeypatch
):
    monkeypatch.setattr(views_calendar, "PAGE_SIZE", 1)
    response = client_as(manager).get(
        _url(org), {"forum": f"series:{log['steering'].pk}", "export": "csv", "page": 2}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="SUP-decision-log-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Title"] for row in rows] == ["Choose the new ERP", "Raise the ODI budget"]
    erp = rows[0]
    assert erp["Decided on (or raised)"] == days(-19).isoformat()
    assert erp["Forum"] == "Steering committee"
    assert erp["Meeting"].startswith("Steering 1, ")
    assert erp["Agenda item"] == "Opening and agenda"
    assert erp["Decided by"] == manager.display_name
    assert erp["Project"] == "SUP"
    assert rows[1]["Project"] == "ODI"


def test_the_exports_are_safe_against_formulas(org, manager, log, client_as):
    items.decision(
        org.project, manager, title='=HYPERLINK("http://evil.example","x")', forum="@board"
    )
    client = client_as(manager)
    text = client.get(_url(org), {"export": "csv", "q": "hyperlink"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'@board" in text
    xlsx = client.get(_url(org), {"export": "xlsx", "q": "hyperlink"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("Title") + 1)
    assert title.value == '=HYPERLINK("http://evil.example","x")'
    assert title.data_type == "s"  # a string, never a formula


def test_an_unknown_export_format_answers_404(org, manager, log, client_as):
    assert client_as(manager).get(_url(org), {"export": "pdf"}).status_code == 404


def test_the_log_is_empty_but_friendly_without_decisions(org, manager, client_as):
    response = client_as(manager).get(_url(org))
    assert response.status_code == 200
    assert "No decisions yet" in response.content.decode()
    assert "Export these rows" not in response.content.decode()
