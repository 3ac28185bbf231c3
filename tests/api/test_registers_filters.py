"""Register lists filter like the register pages: the same filters, by URL parameters."""

from __future__ import annotations

import datetime

import pytest

from schakel.portfolio import services as portfolio_services
from schakel.portfolio.services import tags_from_names
from schakel.registers import services
from schakel.registers.models import Action, Dependency, Risk
from schakel.registers.tests import factories
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

PAST = datetime.date(2000, 1, 1)
FUTURE = datetime.date(2099, 1, 1)


def _get(user, query):
    response = api_client(user).get(f"{API}/{query}")
    assert response.status_code == 200, response.json()
    return ids(response)


def test_owner_me_lists_the_callers_items(org, pmo, member):
    mine = factories.action(org.project, pmo, owner=member)
    factories.action(org.project, pmo, owner=pmo)
    unowned = factories.action(org.project, pmo)
    assert _get(member, "actions/?owner=me") == {mine.pk}
    assert _get(member, f"actions/?owner={member.pk}") == {mine.pk}
    assert _get(member, "actions/?owner=member") == {mine.pk}
    assert _get(member, "actions/?owner=none") == {unowned.pk}


def test_overdue_lists_open_items_past_their_due_date(org, pmo, member):
    late = factories.action(org.project, pmo, due=PAST)
    done = factories.action(org.project, pmo, due=PAST, status=Action.Status.DONE)
    later = factories.action(org.project, pmo, due=FUTURE)
    undated = factories.action(org.project, pmo)
    assert _get(member, "actions/?overdue=true") == {late.pk}
    assert _get(member, "actions/?overdue=false") == {done.pk, later.pk, undated.pk}


def test_overdue_risks_are_those_past_their_review_date(org, pmo, member):
    late = factories.risk(org.project, pmo, review_date=PAST)
    factories.risk(org.project, pmo, review_date=FUTURE)
    assert _get(member, "risks/?overdue=true") == {late.pk}


def test_scope_filters_reach_projects_programmes_and_portfolios(org, pmo):
    here = factories.risk(org.project, pmo)
    sibling = factories.risk(org.sibling, pmo)
    elsewhere = factories.risk(org.other_project, pmo)
    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    programme_level = factories.risk(org.programme, pmo)
    assert _get(pmo, f"risks/?project={org.project.pk}") == {here.pk}
    assert _get(pmo, f"risks/?programme={org.programme.pk}") == {
        here.pk,
        sibling.pk,
        programme_level.pk,
    }
    assert _get(pmo, f"risks/?portfolio={org.portfolio.pk}") == {
        here.pk,
        sibling.pk,
        elsewhere.pk,
        programme_level.pk,
    }


def test_a_scope_filter_never_widens_what_the_caller_sees(org, pmo, member):
    factories.risk(org.other_project, pmo)
    assert _get(member, f"risks/?project={org.other_project.pk}") == set()


def test_status_state_and_tag_filters(org, pmo, member):
    started = factories.action(org.project, pmo, status=Action.Status.IN_PROGRESS)
    done = factories.action(org.project, pmo, status=Action.Status.DONE)
    fresh = factories.action(org.project, pmo)
    fresh.tags.set(tags_from_names(["IT", "Quick win"]))
    assert _get(member, "actions/?status=in_progress&status=done") == {started.pk, done.pk}
    assert _get(member, "actions/?state=open_items") == {started.pk, fresh.pk}
    assert _get(member, "actions/?state=closed_items") == {done.pk}
    assert _get(member, "actions/?tag=it") == {fresh.pk}


def test_due_range_and_search_by_words_or_reference_code(org, pmo, member):
    january = factories.action(org.project, pmo, title="Book the venue", due=FUTURE)
    march = factories.action(
        org.project, pmo, title="Call the supplier", due=FUTURE + datetime.timedelta(days=60)
    )
    assert _get(member, "actions/?due_before=2099-01-31") == {january.pk}
    assert _get(member, "actions/?due_after=2099-02-01") == {march.pk}
    assert _get(member, "actions/?q=venue") == {january.pk}
    assert _get(member, f"actions/?q={march.ref}") == {march.pk}


def test_risk_specific_filters_score_and_heatmap_cell(org, pmo, member):
    high = factories.risk(org.project, pmo, probability=5, impact=5)
    low = factories.risk(org.project, pmo, probability=1, impact=2)
    mitigated = factories.risk(
        org.project, pmo, probability=4, impact=4, residual_probability=1, residual_impact=2
    )
    assert _get(member, "risks/?score_min=15") == {high.pk, mitigated.pk}
    assert _get(member, "risks/?probability=1&impact=2") == {low.pk}
    # On the residual map, a risk without a residual assessment keeps its inherent place.
    assert _get(member, "risks/?probability=1&impact=2&residual=true") == {low.pk, mitigated.pk}
    assert _get(member, "risks/?probability=4&impact=4&residual=true") == set()


def test_a_dependency_is_found_from_either_project(org, pmo):
    dependency = services.item_create(
        model=Dependency, scope=org.project, by=pmo, title="Needs policy", other_project=org.sibling
    )
    assert _get(pmo, f"dependencies/?project={org.sibling.pk}") == {dependency.pk}
    assert _get(pmo, f"dependencies/?project={org.project.pk}") == {dependency.pk}


def test_ordering_follows_the_allow_list(org, pmo, member):
    first = factories.risk(org.project, pmo, probability=1, impact=1)
    second = factories.risk(org.project, pmo, probability=5, impact=5)
    client = api_client(member)
    by_score = client.get(f"{API}/risks/?ordering=-score").json()["results"]
    assert [r["id"] for r in by_score] == [second.pk, first.pk]
    default = client.get(f"{API}/risks/").json()["results"]
    assert [r["id"] for r in default] == [second.pk, first.pk]
    assert [r["id"] for r in client.get(f"{API}/risks/?ordering=number").json()["results"]] == [
        first.pk,
        second.pk,
    ]


@pytest.mark.parametrize(
    "query",
    ["due_before=tomorrow", "project=ODI", "status=lost", "state=half", "ordering=deleted_by"],
)
def test_bad_filter_values_answer_400_not_500(org, member, query):
    response = api_client(member).get(f"{API}/actions/?{query}")
    assert response.status_code == 400


def test_lists_are_paginated(org, pmo, member):
    for _ in range(3):
        factories.risk(org.project, pmo)
    body = api_client(member).get(f"{API}/risks/?page_size=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]
    assert Risk.objects.count() == 3
