"""Exports: exactly the list's rows (every page) and columns, as CSV or XLSX, safe to open."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schakel.portfolio import services as portfolio_services
from schakel.registers.models import Action
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("x")'


def list_refs(client, url) -> list[str]:
    refs: list[str] = []
    page = 1
    while True:
        response = client.get(url + ("&" if "?" in url else "?") + f"page={page}")
        refs += [row.item.ref for row in response.context["rows"]]
        if not response.context["page_obj"].has_next():
            return refs
        page += 1


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


def export_url(scope, obj, slug, fmt, query=""):
    if obj is None:
        return reverse("registers:all_export", args=[slug, fmt]) + query
    return reverse(f"registers:{scope}_export", args=[obj.pk, slug, fmt]) + query


@pytest.fixture
def actions(org, pmo, member):
    today = timezone.localdate()
    items = []
    for n in range(55):
        items.append(
            factories.action(
                org.project if n % 3 else org.sibling,
                pmo,
                title=f"Action {n:02}",
                owner=member if n % 2 else None,
                due=today + datetime.timedelta(days=n % 7),
                status=Action.Status.DONE if n % 5 == 0 else Action.Status.OPEN,
            )
        )
    return items


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_the_lists_rows_of_every_page_in_the_same_order(
    org, pmo, client_as, actions, fmt
):
    client = client_as(pmo)
    query = "?state=open_items&ordering=-due"
    list_url = reverse("registers:programme_list", args=[org.programme.pk, "actions"]) + query
    expected = list_refs(client, list_url)
    assert len(expected) == 44
    response = client.get(export_url("programme", org.programme, "actions", fmt, query))
    assert response.status_code == 200
    if fmt == "csv":
        rows = read_csv(response)
        assert [r[0] for r in rows[1:]] == expected
    else:
        sheet = read_xlsx(response)
        assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == expected


def test_the_columns_are_the_lists_plus_the_fields_to_reimport_description_and_tags(
    org, pmo, client_as
):
    factories.risk(
        org.project,
        pmo,
        description="Long text",
        tags=portfolio_services.tags_from_names(["IT", "Budget"]),
    )
    client = client_as(pmo)
    project_rows = read_csv(client.get(export_url("project", org.project, "risks", "csv")))
    assert project_rows[0] == [
        "Ref",
        "Title",
        "Owner",
        "Category",
        "Score",
        "Residual",
        "Response",
        "Review date",
        "Status",
        "Trend",
        "Threat or opportunity",
        "Probability",
        "Impact",
        "Residual probability",
        "Residual impact",
        "Cause",
        "Event",
        "Effect",
        "Description",
        "Tags",
    ]
    assert project_rows[1][-2:] == ["Long text", "Budget, IT"]
    programme_rows = read_csv(client.get(export_url("programme", org.programme, "risks", "csv")))
    assert programme_rows[0][:3] == ["Ref", "Title", "Project"]
    assert programme_rows[1][2] == "ODI"


def test_a_formula_in_a_title_stays_text_in_both_formats(org, pmo, client_as):
    factories.action(org.project, pmo, title=TITLE)
    client = client_as(pmo)
    rows = read_csv(client.get(export_url("project", org.project, "actions", "csv")))
    assert rows[1][1] == "'" + TITLE
    sheet = read_xlsx(client.get(export_url("project", org.project, "actions", "xlsx")))
    cell = sheet.cell(row=2, column=2)
    assert cell.value == TITLE
    assert cell.data_type == "s"


def test_xlsx_cells_keep_their_types(org, pmo, client_as):
    factories.risk(
        org.project, pmo, probability=3, impact=4, review_date=datetime.date(2026, 12, 3)
    )
    sheet = read_xlsx(client_as(pmo).get(export_url("project", org.project, "risks", "xlsx")))
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Score"] == 12
    assert row["Review date"].date() == datetime.date(2026, 12, 3)
    assert row["Status"] == "Open"


def test_the_file_is_an_attachment_named_after_the_scope_register_and_day(org, pmo, client_as):
    day = timezone.localdate().isoformat()
    client = client_as(pmo)
    xlsx = client.get(export_url("project", org.project, "risks", "xlsx"))
    assert xlsx["Content-Disposition"] == f'attachment; filename="ODI-risks-{day}.xlsx"'
    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    csv_file = client.get(export_url("portfolio", org.portfolio, "decisions", "csv"))
    assert csv_file["Content-Disposition"] == (
        f'attachment; filename="change-portfolio-decisions-{day}.csv"'
    )
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    everything = client.get(export_url("all", None, "issues", "csv"))
    assert everything["Content-Disposition"] == f'attachment; filename="all-issues-{day}.csv"'


def test_other_formats_answer_404(org, pmo, client_as):
    for fmt in ("pdf", "xls", "CSV"):
        assert (
            client_as(pmo).get(export_url("project", org.project, "risks", fmt)).status_code == 404
        )


def test_the_export_holds_only_what_the_user_may_see(org, pmo, member, client_as):
    visible = factories.action(org.project, pmo)
    factories.action(org.other_project, pmo)
    rows = read_csv(client_as(member).get(export_url("all", None, "actions", "csv")))
    assert [r[0] for r in rows[1:]] == [visible.ref]


def test_dutch_users_get_semicolons_for_their_excel(org, pmo, client_as):
    factories.action(org.project, pmo, title="Bel de leverancier")
    client = client_as(pmo)
    with translation.override("nl"):
        response = client.get(
            export_url("project", org.project, "actions", "csv"), HTTP_ACCEPT_LANGUAGE="nl"
        )
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert ";" in first_line
