"""The meeting lists: everything, a project, a programme, a portfolio; filters and budget."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.models import Kind
from schakel.registers.tests import factories as items

from . import factories


def titles(response) -> list[str]:
    return [m.title for m in response.context["meetings"]]


@pytest.fixture
def meetings(org, manager):
    """An ODI meeting next week, an ODI meeting last week, a programme steering committee
    in two weeks and a meeting of another programme's project."""
    return {
        "next": factories.meeting(org.project, manager, title="ODI next", start=factories.at(7)),
        "last": factories.meeting(org.project, manager, title="ODI last", start=factories.at(-7)),
        "steering": factories.meeting(
            org.programme,
            manager,
            title="Stuurgroep",
            kind=Kind.STEERING_COMMITTEE,
            start=factories.at(14),
        ),
        "care": factories.meeting(
            org.other_project, manager, title="Care team", start=factories.at(2)
        ),
    }


def test_the_list_shows_upcoming_meetings_first_in_date_order(client_as, meetings, pmo):
    page = client_as(pmo).get(reverse("meetings:meeting_list"))
    assert page.status_code == 200
    assert titles(page) == ["Care team", "ODI next", "Stuurgroep"]


def test_past_meetings_are_one_click_away_newest_first(client_as, meetings, org, pmo, manager):
    factories.meeting(org.project, manager, title="ODI long ago", start=factories.at(-30))
    page = client_as(pmo).get(reverse("meetings:meeting_list"), {"when": "past"})
    assert titles(page) == ["ODI last", "ODI long ago"]
    page = client_as(pmo).get(reverse("meetings:meeting_list"), {"when": "all"})
    assert set(titles(page)) == {"Care team", "ODI next", "Stuurgroep", "ODI last", "ODI long ago"}


def test_a_member_sees_only_the_meetings_of_their_project(client_as, meetings, member):
    page = client_as(member).get(reverse("meetings:meeting_list"), {"when": "all"})
    assert titles(page) == ["ODI next", "ODI last"]
    html = page.content.decode()
    assert "Stuurgroep" not in html and "Care team" not in html


def test_a_programme_lists_its_own_meetings_and_those_of_its_projects(
    client_as, meetings, org, manager, member
):
    url = reverse("meetings:programme_meetings", args=[org.programme.pk])
    assert titles(client_as(manager).get(url)) == ["ODI next", "Stuurgroep"]
    # A member of ODI sees the programme page, but only the meetings of their project.
    assert titles(client_as(member).get(url)) == ["ODI next"]


def test_a_portfolio_lists_everything_in_it_under_its_tab_bar(client_as, meetings, org, pmo):
    page = client_as(pmo).get(reverse("meetings:portfolio_meetings", args=[org.portfolio.pk]))
    assert titles(page) == ["Care team", "ODI next", "Stuurgroep"]
    html = page.content.decode()
    assert 'class="tabs"' in html
    assert f'href="{reverse("meetings:portfolio_decision_log", args=[org.portfolio.pk])}"' in html


def test_a_project_list_is_limited_to_the_project(client_as, meetings, org, manager):
    page = client_as(manager).get(reverse("meetings:project_meetings", args=[org.project.pk]))
    assert titles(page) == ["ODI next"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "steering_committee"}, ["Stuurgroep"]),
        ({"status": "cancelled", "when": "all"}, ["ODI next"]),
        ({"q": "stuur"}, ["Stuurgroep"]),
        ({"q": "Room 2.01 ODI"}, ["ODI next"]),
    ],
)
def test_the_filters_narrow_the_list(client_as, meetings, manager, params, expected):
    services.meeting_cancel(meeting=meetings["next"], by=manager)
    if "status" not in params:
        services.meeting_update(
            meeting=meetings["next"], version=None, by=manager, title="ODI next"
        )
    page = client_as(manager).get(reverse("meetings:meeting_list"), params)
    assert titles(page) == expected


def test_a_period_shows_past_and_future_meetings_in_it(client_as, meetings, manager):
    today = timezone.localdate()
    params = {
        "date_from": (today - datetime.timedelta(days=8)).isoformat(),
        "date_to": (today + datetime.timedelta(days=7)).isoformat(),
    }
    page = client_as(manager).get(reverse("meetings:meeting_list"), params)
    assert set(titles(page)) == {"ODI next", "ODI last"}


def test_the_series_filter_keeps_the_meetings_of_one_series(client_as, org, manager):
    steering = factories.series(org.project, manager, title="Board ODI")
    services.series_plan(series=steering, by=manager, count=2)
    factories.meeting(org.project, manager, title="Loose meeting")
    page = client_as(manager).get(reverse("meetings:meeting_list"), {"series": steering.pk})
    assert titles(page) == ["Board ODI", "Board ODI"]
    assert "Board ODI" in page.content.decode()  # offered in the series select


def test_mine_keeps_the_meetings_i_am_invited_to_chair_or_minute(
    client_as, org, manager, member, pmo
):
    factories.meeting(org.project, manager, title="Invited", invitees=[member])
    factories.meeting(org.project, manager, title="Chairing", chair=member, invitees=[])
    factories.meeting(org.project, manager, title="Not mine", invitees=[pmo])
    page = client_as(member).get(reverse("meetings:meeting_list"), {"mine": "true"})
    assert sorted(titles(page)) == ["Chairing", "Invited"]


@pytest.mark.parametrize(
    "params",
    [
        {"series": "abc"},
        {"series": "99999999999999999999999"},
        {"date_from": "not-a-date"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"kind": "<script>"},
        {"ordering": "password"},
        {"page": "-3"},
        {"mine": "maybe"},
        {"when": "yesterday"},
    ],
)
def test_junk_in_the_query_never_breaks_the_list(client_as, meetings, manager, params):
    page = client_as(manager).get(reverse("meetings:meeting_list"), params)
    assert page.status_code == 200
    assert "<script>" not in page.content.decode().split("<main", 1)[1]


def test_sorting_goes_through_the_allow_list(client_as, meetings, pmo):
    page = client_as(pmo).get(reverse("meetings:meeting_list"), {"ordering": "-title"})
    assert titles(page) == ["Stuurgroep", "ODI next", "Care team"]


def test_rows_count_agenda_items_and_open_actions_from_the_meeting(client_as, org, manager):
    meeting = factories.meeting(org.project, manager, title="With actions", start=factories.at(1))
    services.meeting_start(meeting=meeting, by=manager)
    for title in ("One", "Two"):
        services.outcome_capture(
            meeting=meeting,
            agenda_item=None,
            kind="action",
            scope=org.project,
            by=manager,
            title=title,
        )
    page = client_as(manager).get(reverse("meetings:meeting_list"))
    [row] = page.context["meetings"]
    assert (row.agenda_count, row.open_actions) == (2, 2)


def test_the_list_is_paginated(client_as, org, manager):
    for day in range(1, 28):
        factories.meeting(org.project, manager, title=f"Day {day:02}", start=factories.at(day))
    page = client_as(manager).get(reverse("meetings:meeting_list"))
    assert len(page.context["meetings"]) == 25
    assert "Page 1 of 2" in page.content.decode()
    second = client_as(manager).get(reverse("meetings:meeting_list"), {"page": 2})
    assert titles(second) == ["Day 26", "Day 27"]


def test_htmx_filtering_answers_with_the_results_only(client_as, meetings, manager):
    page = client_as(manager).get(
        reverse("meetings:meeting_list"),
        {"q": "stuur"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="meeting-results",
    )
    html = page.content.decode()
    assert "<html" not in html
    assert "Stuurgroep" in html and "ODI next" not in html


def test_planners_get_new_buttons_on_a_scope_page_and_others_do_not(
    client_as, org, manager, member
):
    url = reverse("meetings:project_meetings", args=[org.project.pk])
    html = client_as(manager).get(url).content.decode()
    assert reverse("meetings:meeting_create", args=["project", org.project.pk]) in html
    assert reverse("meetings:series_create", args=["project", org.project.pk]) in html
    html = client_as(member).get(url).content.decode()
    assert "New meeting" not in html and "New series" not in html


def test_the_list_of_everything_offers_the_scopes_a_planner_may_plan_in(
    client_as, org, manager, member
):
    html = client_as(manager).get(reverse("meetings:meeting_list")).content.decode()
    assert f'value="project:{org.project.pk}"' in html
    assert f'value="programme:{org.programme.pk}"' in html
    assert f'value="project:{org.other_project.pk}"' not in html
    assert f'value="portfolio:{org.portfolio.pk}"' not in html
    assert "Plan in" not in client_as(member).get(reverse("meetings:meeting_list")).content.decode()


def test_choosing_a_scope_goes_to_its_create_form(client_as, org, manager):
    answer = client_as(manager).get(
        reverse("meetings:meeting_list"), {"new": "series", "in": f"programme:{org.programme.pk}"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse(
        "meetings:series_create", args=["programme", org.programme.pk]
    )


@pytest.mark.parametrize("where", ["", "project:abc", "galaxy:1", "project:"])
def test_choosing_no_scope_says_so(client_as, org, manager, where):
    answer = client_as(manager).get(
        reverse("meetings:meeting_list"), {"new": "meeting", "in": where}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("meetings:meeting_list")


def test_choosing_a_scope_one_may_not_plan_in_is_refused(client_as, org, member):
    answer = client_as(member).get(
        reverse("meetings:meeting_list"), {"new": "meeting", "in": f"project:{org.project.pk}"}
    )
    assert answer.status_code == 403
    answer = client_as(member).get(
        reverse("meetings:meeting_list"),
        {"new": "meeting", "in": f"project:{org.other_project.pk}"},
    )
    assert answer.status_code == 404


def test_hostile_titles_are_escaped_in_the_list(client_as, org, manager):
    factories.meeting(org.project, manager, title="<script>alert('x')</script>")
    html = client_as(manager).get(reverse("meetings:meeting_list")).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html


def _many(org, manager, count: int) -> None:
    steering = factories.series(org.programme, manager, title="Steering")
    for n in range(count):
        meeting = factories.meeting(
            org.project if n % 2 else org.programme,
            manager,
            title=f"Meeting {n}",
            start=factories.at(n + 1),
            series=steering if n % 3 == 0 else None,
            agenda=[{"title": "Item", "minutes": 5}],
            chair=manager,
        )
        if n % 4 == 0:
            services.meeting_start(meeting=meeting, by=manager)
            services.outcome_capture(
                meeting=meeting,
                agenda_item=None,
                kind="action",
                scope=org.project,
                by=manager,
                title=f"Action {n}",
            )
    items.risk(org.project, manager)


@pytest.mark.parametrize("count", [3, 20])
def test_the_list_needs_the_same_queries_for_few_and_many_meetings(
    client_as, org, manager, count, django_assert_max_num_queries
):
    _many(org, manager, count)
    client = client_as(manager)
    url = reverse("meetings:programme_meetings", args=[org.programme.pk])
    client.get(url)  # warm the content types and the session
    with django_assert_max_num_queries(10):
        page = client.get(url, {"when": "all"})
    assert len(page.context["meetings"]) == count
