"""Meeting lists and a meeting's page answer in a fixed number of queries, whatever the size."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import services
from schakel.meetings.tests import factories
from schakel.meetings.tests.factories import at
from schakel.registers.models import REGISTER_MODELS
from schakel.registers.tests import factories as items
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

# Session and user (2), the caller's roles (1), count and page (2).
LIST_BUDGET = 5
# The series list adds its invitees (1).
SERIES_BUDGET = 6
# A meeting: session, user, roles, the meeting (4); agenda, attendance, sessions, minutes
# versions (4); links, outcomes, and one query per register their items are in (here risks
# and actions: 4); the creator (1).
DETAIL_BUDGET = 13


def _grow(org, by, n):
    """Add `n` meetings to ODI and `n` series, each with people, links and outcomes."""
    for i in range(n):
        person = UserFactory()
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)
        factories.series(org.project, by, chair=person, invitees=[person], title=f"Board {i}")
        meeting = factories.meeting(
            org.project, by, start=at(i + 1), chair=person, minute_taker=by, invitees=[person]
        )
        item = meeting.agenda.get(position=0)
        services.agenda_link(item=item, target=items.risk(org.project, by), by=by)
        services.outcome_capture(
            meeting=meeting,
            agenda_item=item,
            kind="action",
            scope=org.project,
            by=by,
            title=f"Follow up {i}",
            owner=person,
        )
    return meeting


def _warm_content_types():
    """Load the content types once, as a running server has them cached for good."""
    ContentType.objects.get_for_models(*REGISTER_MODELS)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    "path", ["meetings/", "meetings/?mine=true&kind=project_team", "meetings/?programme=1"]
)
def test_the_meeting_list_stays_within_its_budget(
    org, pmo, django_assert_max_num_queries, size, path
):
    _grow(org, pmo, size)
    client = api_client(pmo)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    if "programme" not in path:
        assert response.json()["count"] == size


@pytest.mark.parametrize("size", [3, 30])
def test_a_members_meeting_list_stays_within_the_same_budget(
    org, pmo, member, django_assert_max_num_queries, size
):
    _grow(org, pmo, size)
    client = api_client(member)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(f"{API}/meetings/?page_size=200")
    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_series_list_stays_within_its_budget(org, pmo, django_assert_max_num_queries, size):
    _grow(org, pmo, size)
    client = api_client(pmo)
    with django_assert_max_num_queries(SERIES_BUDGET):
        response = client.get(f"{API}/meeting-series/")
    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [2, 20])
def test_a_meeting_reads_in_a_fixed_number_of_queries(
    org, pmo, django_assert_max_num_queries, size
):
    meeting = factories.meeting(org.project, pmo)
    for i in range(size):
        person = UserFactory()
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)
        services.attendance_invite(meeting=meeting, user=person, by=pmo)
        item = services.agenda_item_add(
            meeting=meeting, by=pmo, title=f"Item {i}", presenter=person
        )
        services.agenda_link(item=item, target=items.risk(org.project, pmo), by=pmo)
        services.outcome_capture(
            meeting=meeting, agenda_item=item, kind="action", scope=org.project, by=pmo, title="A"
        )
    client = api_client(pmo)
    _warm_content_types()
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(f"{API}/meetings/{meeting.pk}/")
    assert response.status_code == 200
    assert len(response.json()["agenda_items"]) == size + 2
    assert len(response.json()["outcomes"]) == size
