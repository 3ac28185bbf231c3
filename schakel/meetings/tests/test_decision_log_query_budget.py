"""The decision log and its export need as many queries for 3 decisions as for 30."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import services
from schakel.registers.models import Decision
from schakel.registers.tests import factories as items

from . import factories

# Session, user, roles, the scope; the forum choices (series, typed forums); count, rows;
# the meetings of the page's decisions (one query, `origins_for`).
PAGE_BUDGET = 9
# Session, user, roles, the scope, the forum choices, the rows and their meetings (one
# query per 500 rows).
EXPORT_BUDGET = 8


@pytest.fixture(params=[3, 30], ids=["3-decisions", "30-decisions"])
def many(request, org, manager):
    """Decisions in the programme and its projects: half from meetings of two series."""
    org.programme.key = "SUP"
    org.programme.save()
    n = request.param
    boards = []
    for number in range(2):
        steering = factories.series(org.programme, manager, title=f"Steering {number}")
        boards.append(
            factories.meeting(
                org.programme, manager, series=steering, start=factories.at(-10 - number)
            )
        )
    today = timezone.localdate()
    for i in range(n):
        scope = (org.project, org.sibling, org.programme)[i % 3]
        if i % 2:
            board = boards[i % 2]
            services.outcome_capture(
                meeting=board,
                agenda_item=board.agenda.first(),
                kind="decision",
                scope=scope,
                by=manager,
                title=f"From a meeting {i}",
                status=Decision.Status.APPROVED,
                decided_by=manager,
                decided_on=today - datetime.timedelta(days=i),
            )
        else:
            items.decision(scope, manager, title=f"Typed {i}", forum=f"Forum {i % 4}")
    return n


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["manager", "pmo", "member"])
@pytest.mark.parametrize("scope", ["programme", "portfolio"])
@pytest.mark.parametrize("query", ["", "?forum=forum:Forum+0&q=typed&date_from=2000-01-01"])
def test_the_log_stays_within_its_query_budget(
    org, many, request, client_as, django_assert_max_num_queries, user, scope, query
):
    obj = getattr(org, scope)
    client = client_as(request.getfixturevalue(user))
    url = reverse(f"meetings:{scope}_decision_log", args=[obj.pk]) + query
    client.get(url)  # warm up the session and content types
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["rows"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_stays_within_its_query_budget(
    org, many, manager, client_as, django_assert_max_num_queries, fmt
):
    client = client_as(manager)
    url = reverse("meetings:programme_decision_log", args=[org.programme.pk]) + f"?export={fmt}"
    client.get(url)
    with django_assert_max_num_queries(EXPORT_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
