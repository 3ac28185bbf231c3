"""The registers say where an item came from: its detail page, the list's "Source" column,
the export and the API's `origin`, each only for meetings the reader may see."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from schakel.meetings import services
from schakel.registers.models import Action, Decision, Risk
from schakel.registers.tests import factories as items
from tests.api import API, api_client

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(org, manager, member):
    """An ODI meeting in progress, with member invited; "Progress" is agenda item 1."""
    meeting = factories.meeting(org.project, manager, title="Board <ODI>", invitees=[member])
    return services.meeting_start(meeting=meeting, by=manager)


def _capture(meeting, manager, scope, kind, **fields):
    agenda_item = meeting.agenda.get(position=0)
    return services.outcome_capture(
        meeting=meeting, agenda_item=agenda_item, kind=kind, scope=scope, by=manager, **fields
    )


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# The detail page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("action", {"title": "Book the room"}),
        ("decision", {"title": "Go for B", "status": Decision.Status.APPROVED}),
        ("risk", {"title": "Supplier late", "probability": 2, "impact": 3}),
        ("issue", {"title": "Budget cut"}),
    ],
)
def test_an_item_born_in_a_meeting_links_back_to_it(
    org, manager, member, board, client_as, kind, fields
):
    item = _capture(board, manager, org.project, kind, **fields)
    page = _html(client_as(member), item.get_absolute_url())
    link = f"{board.get_absolute_url()}#agenda-{board.agenda.get(position=0).pk}"
    assert "From meeting" in page
    assert f'href="{link}"' in page
    assert "Board &lt;ODI&gt;" in page  # escaped
    assert "(Progress)" in page


def test_an_item_not_from_a_meeting_says_nothing_about_one(org, manager, member, client_as):
    risk = items.risk(org.project, manager)
    page = _html(client_as(member), risk.get_absolute_url())
    assert "From meeting" not in page
    action = items.action(org.project, manager, source=risk)
    page = _html(client_as(member), action.get_absolute_url())
    assert "From meeting" not in page
    assert "Comes from" in page and risk.ref in page


def test_a_meeting_the_reader_may_not_see_is_not_named(org, manager, member, client_as):
    meeting = factories.meeting(org.programme, manager, title="Secret programme board")
    services.meeting_start(meeting=meeting, by=manager)
    action = _capture(meeting, manager, org.project, "action", title="Check numbers")
    assert "Secret programme board" in _html(client_as(manager), action.get_absolute_url())
    page = _html(client_as(member), action.get_absolute_url())
    assert "Secret programme board" not in page
    assert "From meeting" not in page


# The lists -------------------------------------------------------------------------------


def _list(client, org, slug, **params):
    url = reverse("registers:project_list", args=[org.project.pk, slug])
    return client.get(url, params)


@pytest.mark.parametrize("slug", ["actions", "decisions"])
def test_the_source_column_names_the_meeting_and_links_to_it(
    org, manager, member, board, client_as, slug
):
    kind = slug.removesuffix("s")
    item = _capture(board, manager, org.project, kind, title="From the board")
    plain = (items.action if kind == "action" else items.decision)(
        org.project, manager, title="Typed in"
    )
    response = _list(client_as(member), org, slug)
    rows = {row.item.pk: row for row in response.context["rows"]}
    assert rows[item.pk].origin.url.startswith(board.get_absolute_url())
    assert rows[plain.pk].origin is None
    page = response.content.decode()
    assert "<th" in page and ">Source</th>" in page
    assert f'<a class="origin-link" href="{rows[item.pk].origin.url}"' in page


def test_an_action_from_an_item_still_shows_that_item(org, manager, member, client_as):
    risk = items.risk(org.project, manager)
    action = items.action(org.project, manager, source=risk)
    response = _list(client_as(member), org, "actions")
    [row] = [r for r in response.context["rows"] if r.item.pk == action.pk]
    assert row.origin is None
    assert f'href="{risk.get_absolute_url()}"' in response.content.decode()


def test_the_export_carries_the_meeting_in_its_own_column(org, manager, member, board, client_as):
    action = _capture(board, manager, org.project, "action", title="From the board")
    risk = items.risk(org.project, manager)
    items.action(org.project, manager, title="From a risk", source=risk)
    url = reverse("registers:project_export", args=[org.project.pk, "actions", "csv"])
    response = client_as(member).get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_title = {row["Title"]: row for row in rows}
    assert by_title[action.title]["From meeting"].startswith("Board <ODI>, ")
    assert by_title[action.title]["From meeting"].endswith(" · Progress")
    assert by_title[action.title]["Source"] == ""
    assert by_title["From a risk"]["Source"] == risk.ref
    assert by_title["From a risk"]["From meeting"] == ""


def test_a_decision_export_has_no_empty_source_column(org, manager, member, board, client_as):
    _capture(board, manager, org.project, "decision", title="Go")
    url = reverse("registers:project_export", args=[org.project.pk, "decisions", "csv"])
    header = client_as(member).get(url).content.decode("utf-8-sig").splitlines()[0]
    assert "From meeting" in header
    assert "Source" not in header


# The API ---------------------------------------------------------------------------------


def test_the_api_gives_the_origin_in_lists_and_on_one_item(org, manager, member, board):
    action = _capture(board, manager, org.project, "action", title="From the board")
    plain = items.action(org.project, manager, title="Typed in")
    client = api_client(member)
    listed = {row["id"]: row for row in client.get(f"{API}/actions/").json()["results"]}
    origin = listed[action.pk]["origin"]
    assert origin["kind"] == "meeting"
    assert origin["label"].startswith("Board <ODI>, ")
    assert origin["url"].startswith(f"http://testserver{board.get_absolute_url()}#agenda-")
    assert origin["date"] == board.start.date().isoformat()
    assert listed[plain.pk]["origin"] is None
    one = client.get(f"{API}/actions/{action.pk}/").json()
    assert one["origin"] == origin


def test_the_api_hides_a_meeting_the_caller_may_not_see(org, manager, member):
    meeting = factories.meeting(org.programme, manager, title="Programme board")
    services.meeting_start(meeting=meeting, by=manager)
    risk = _capture(meeting, manager, org.project, "risk", title="R", probability=1, impact=1)
    assert isinstance(risk, Risk)
    member_view = api_client(member).get(f"{API}/risks/{risk.pk}/").json()
    manager_view = api_client(manager).get(f"{API}/risks/?page_size=50").json()["results"]
    assert member_view["origin"] is None
    assert [r["origin"]["label"][:15] for r in manager_view if r["id"] == risk.pk] == [
        "Programme board"
    ]


def test_origin_is_read_only_in_the_api(org, manager, member, board):
    action = _capture(board, manager, org.project, "action", title="From the board")
    assert isinstance(action, Action)
    response = api_client(manager).patch(
        f"{API}/actions/{action.pk}/", {"version": action.version, "origin": None}, format="json"
    )
    assert response.status_code == 400
    assert "origin" in response.json()
