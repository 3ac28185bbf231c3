"""The portfolio cockpit: one row per running project, grouped by programme and theme."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.portfolio import services as portfolio_services
from schakel.portfolio.tests.factories import ProjectFactory
from schakel.registers import overview
from schakel.registers.models import Action, Decision, Issue, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

COCKPIT = reverse("registers:cockpit")
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=3)
FUTURE = TODAY + datetime.timedelta(days=3)


@pytest.fixture
def data(org, pmo):
    """A hand-built set of items; the expected numbers are written out in the tests."""
    odi, pol = org.project, org.sibling
    factories.risk(odi, pmo, probability=4, impact=5)  # current 20
    factories.risk(odi, pmo, probability=5, impact=5, residual_probability=2, residual_impact=2)
    factories.risk(odi, pmo, probability=5, impact=5, status=Risk.Status.CLOSED)
    factories.issue(odi, pmo)
    factories.issue(odi, pmo, status=Issue.Status.IN_PROGRESS)
    factories.issue(odi, pmo, status=Issue.Status.RESOLVED)
    factories.action(odi, pmo, due=PAST)
    factories.action(odi, pmo, due=PAST, status=Action.Status.IN_PROGRESS)
    factories.action(odi, pmo, due=PAST, status=Action.Status.DONE)
    factories.action(odi, pmo, due=FUTURE)
    factories.decision(odi, pmo)
    factories.decision(odi, pmo, status=Decision.Status.DEFERRED)
    factories.decision(odi, pmo, status=Decision.Status.APPROVED, decided_by=pmo)
    factories.risk(pol, pmo, probability=3, impact=3)
    factories.action(pol, pmo, due=PAST)
    return org


def figures_of(cockpit: overview.Cockpit) -> dict[str, tuple]:
    """Each project's numbers as (risks, score, issues, overdue, decisions)."""
    out = {}
    for group in cockpit.programmes:
        for theme_group in group.themes:
            for row in theme_group.rows:
                f = row.figures
                out[row.project.key] = (
                    f.open_risks,
                    f.max_score,
                    f.open_issues,
                    f.overdue_actions,
                    f.pending_decisions,
                )
    return out


def test_each_project_shows_its_counts_and_highest_current_score(data, pmo, client_as):
    cockpit = client_as(pmo).get(COCKPIT).context["cockpit"]

    assert figures_of(cockpit) == {
        "ODI": (2, 20, 2, 2, 1),
        "POL": (1, 9, 0, 1, 0),
        "CAR": (0, None, 0, 0, 0),
    }


def test_programmes_and_themes_roll_up_sums_and_the_highest_score(data, pmo, client_as):
    cockpit = client_as(pmo).get(COCKPIT).context["cockpit"]

    support = next(g for g in cockpit.programmes if g.programme == data.programme)
    t = support.totals
    assert (t.projects, t.open_risks, t.max_score, t.open_issues) == (2, 3, 20, 2)
    assert (t.overdue_actions, t.pending_decisions, t.band) == (3, 1, "critical")
    themes = [(g.theme.name if g.theme else None, g.totals.open_risks) for g in support.themes]
    assert themes == [("Organisation design", 2), (None, 1)]
    total = cockpit.totals
    assert (total.projects, total.open_risks, total.overdue_actions) == (3, 3, 3)


def test_last_change_is_the_latest_of_the_project_and_its_items(data, pmo, client_as):
    later = timezone.now() + datetime.timedelta(hours=2)
    Action.objects.filter(project=data.project).update(updated_at=later)

    cockpit = client_as(pmo).get(COCKPIT).context["cockpit"]

    rows = {
        r.project.key: r.figures.last_change
        for g in cockpit.programmes
        for t in g.themes
        for r in t.rows
    }
    assert rows["ODI"] == later
    data.other_project.refresh_from_db()
    assert rows["CAR"] == data.other_project.updated_at


def test_archived_and_hidden_projects_are_left_out(data, pmo, member, client_as):
    portfolio_services.project_archive(project=data.sibling, archived=True, by=pmo)
    ProjectFactory()  # another portfolio: not visible

    assert set(figures_of(client_as(pmo).get(COCKPIT).context["cockpit"])) == {"ODI", "CAR"}
    assert set(figures_of(client_as(member).get(COCKPIT).context["cockpit"])) == {"ODI"}


def test_each_number_links_to_the_filtered_register_list(data, pmo, client_as):
    html = client_as(pmo).get(COCKPIT).content.decode()

    def project_list(register: str) -> str:
        return reverse(
            "registers:project_list", kwargs={"pk": data.project.pk, "register": register}
        )

    assert f'href="{project_list("risks")}?state=open_items">2</a>' in html
    assert f'href="{project_list("issues")}?state=open_items">2</a>' in html
    assert f'href="{project_list("actions")}?overdue=true">2</a>' in html
    assert f'href="{project_list("decisions")}?status=proposed">1</a>' in html
    programme_risks = reverse(
        "registers:programme_list", kwargs={"pk": data.programme.pk, "register": "risks"}
    )
    assert f'href="{programme_risks}?state=open_items">3</a>' in html
    portfolio_actions = reverse(
        "registers:portfolio_list", kwargs={"pk": data.portfolio.pk, "register": "actions"}
    )
    assert f'href="{portfolio_actions}?overdue=true">3</a>' in html


def test_the_highest_score_shows_as_a_badge_of_its_band(data, pmo, client_as):
    html = client_as(pmo).get(COCKPIT).content.decode()
    assert 'class="badge badge-band badge-band-critical">20' in html
    assert 'class="badge badge-band badge-band-medium">9' in html


def test_a_user_without_projects_gets_an_empty_state(org, outsider, client_as):
    html = client_as(outsider).get(COCKPIT).content.decode()
    assert "No running projects to show" in html


def test_anonymous_visitors_are_sent_to_log_in(client_as, db):
    response = client_as(None).get(COCKPIT)
    assert response.status_code == 302
