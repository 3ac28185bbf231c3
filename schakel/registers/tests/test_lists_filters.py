"""The lists filter, search, sort and page by URL, so every view can be bookmarked."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.portfolio import services as portfolio_services
from schakel.registers import services
from schakel.registers.models import Action, Decision, Dependency, Issue, RiskCategory
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def refs(response) -> list[str]:
    assert response.status_code == 200
    return [row.item.ref for row in response.context["rows"]]


def get(client, project, slug, query=""):
    return client.get(reverse("registers:project_list", args=[project.pk, slug]) + query)


def test_owner_filters_me_nobody_and_a_person(org, pmo, member, client_as):
    mine = factories.action(org.project, pmo, owner=member)
    pmos = factories.action(org.project, pmo, owner=pmo)
    nobodys = factories.action(org.project, pmo)
    client = client_as(member)
    assert refs(get(client, org.project, "actions", "?owner=me")) == [mine.ref]
    assert refs(get(client, org.project, "actions", "?owner=none")) == [nobodys.ref]
    assert refs(get(client, org.project, "actions", f"?owner={pmo.pk}")) == [pmos.ref]


def test_several_statuses_and_open_or_closed(org, pmo, client_as):
    todo = factories.action(org.project, pmo)
    doing = factories.action(org.project, pmo, status=Action.Status.IN_PROGRESS)
    done = factories.action(org.project, pmo, status=Action.Status.DONE)
    client = client_as(pmo)
    both = get(client, org.project, "actions", "?status=open&status=in_progress")
    assert sorted(refs(both)) == sorted([todo.ref, doing.ref])
    assert refs(get(client, org.project, "actions", "?state=closed_items")) == [done.ref]
    opened = refs(get(client, org.project, "actions", "?state=open_items"))
    assert sorted(opened) == sorted([todo.ref, doing.ref])


def test_overdue_and_the_due_range(org, pmo, client_as):
    late = factories.action(org.project, pmo, due=TODAY - datetime.timedelta(days=2))
    soon = factories.action(org.project, pmo, due=TODAY + datetime.timedelta(days=3))
    factories.action(
        org.project, pmo, due=TODAY - datetime.timedelta(days=5), status=Action.Status.DONE
    )
    client = client_as(pmo)
    assert refs(get(client, org.project, "actions", "?overdue=true")) == [late.ref]
    window = f"?due_after={TODAY.isoformat()}&due_before={(TODAY + datetime.timedelta(days=7))}"
    assert refs(get(client, org.project, "actions", window)) == [soon.ref]


def test_search_by_words_and_by_reference_code(org, pmo, client_as):
    supplier = factories.risk(org.project, pmo, title="Supplier goes bankrupt")
    other = factories.risk(org.project, pmo, title="Key person leaves")
    client = client_as(pmo)
    assert refs(get(client, org.project, "risks", "?q=bankrupt+supplier")) == [supplier.ref]
    assert refs(get(client, org.project, "risks", f"?q={other.ref}")) == [other.ref]


def test_tag_filter(org, pmo, client_as):
    tagged = factories.action(org.project, pmo, tags=portfolio_services.tags_from_names(["IT"]))
    factories.action(org.project, pmo)
    assert refs(get(client_as(pmo), org.project, "actions", "?tag=it")) == [tagged.ref]


def test_risk_filters_score_category_and_nature(org, pmo, client_as):
    category = RiskCategory.objects.order_by("pk")[0]
    high = factories.risk(org.project, pmo, probability=5, impact=4, category=category)
    low = factories.risk(org.project, pmo, probability=1, impact=2, nature="opportunity")
    client = client_as(pmo)
    assert refs(get(client, org.project, "risks", "?score_min=15")) == [high.ref]
    assert refs(get(client, org.project, "risks", "?score_max=5")) == [low.ref]
    assert refs(get(client, org.project, "risks", f"?category={category.pk}")) == [high.ref]
    assert refs(get(client, org.project, "risks", "?nature=opportunity")) == [low.ref]


def test_issue_action_decision_and_dependency_filters(org, pmo, client_as):
    client = client_as(pmo)
    change = factories.issue(org.project, pmo, type=Issue.Type.CHANGE, priority="high")
    factories.issue(org.project, pmo, severity="minor")
    assert refs(get(client, org.project, "issues", "?type=change")) == [change.ref]
    assert refs(get(client, org.project, "issues", "?priority=high")) == [change.ref]
    urgent = factories.action(org.project, pmo, priority="critical")
    factories.action(org.project, pmo, priority="low")
    assert refs(get(client, org.project, "actions", "?priority=critical")) == [urgent.ref]
    board = factories.decision(org.project, pmo, forum="Steering committee")
    factories.decision(org.project, pmo)
    assert refs(get(client, org.project, "decisions", "?forum=steering")) == [board.ref]
    outbound = services.item_create(
        model=Dependency,
        scope=org.project,
        by=pmo,
        title="They need us",
        other_project=org.sibling,
        direction=Dependency.Direction.OUTBOUND,
    )
    services.item_create(
        model=Dependency, scope=org.project, by=pmo, title="We need them", other_project=org.sibling
    )
    assert refs(get(client, org.project, "dependencies", "?direction=outbound")) == [outbound.ref]


def test_the_project_filter_narrows_a_programme_list(org, pmo, client_as):
    odi = factories.risk(org.project, pmo)
    factories.risk(org.sibling, pmo)
    url = reverse("registers:programme_list", args=[org.programme.pk, "risks"])
    response = client_as(pmo).get(url + f"?project={org.project.pk}")
    assert refs(response) == [odi.ref]
    widget = response.context["filter_form"].fields["project"].widget
    choices = [value for value, _label in widget.choices]
    assert choices == ["", org.project.pk, org.sibling.pk]


def test_sorting_by_the_filtersets_ordering_both_ways(org, pmo, client_as):
    b = factories.risk(org.project, pmo, title="Bravo", probability=5, impact=5)
    a = factories.risk(org.project, pmo, title="Alpha", probability=1, impact=1)
    c = factories.risk(org.project, pmo, title="Charlie", probability=3, impact=3)
    client = client_as(pmo)
    assert refs(get(client, org.project, "risks", "?ordering=title")) == [a.ref, b.ref, c.ref]
    assert refs(get(client, org.project, "risks", "?ordering=-title")) == [c.ref, b.ref, a.ref]
    assert refs(get(client, org.project, "risks", "?ordering=-score")) == [b.ref, c.ref, a.ref]
    assert refs(get(client, org.project, "risks")) == [c.ref, a.ref, b.ref]  # newest first


def test_sorting_by_due_date(org, pmo, client_as):
    later = factories.action(org.project, pmo, due=TODAY + datetime.timedelta(days=9))
    sooner = factories.action(org.project, pmo, due=TODAY + datetime.timedelta(days=1))
    assert refs(get(client_as(pmo), org.project, "actions", "?ordering=due")) == [
        sooner.ref,
        later.ref,
    ]


def test_lists_show_fifty_rows_a_page(org, pmo, client_as):
    items = [factories.decision(org.project, pmo, title=f"Decision {n}") for n in range(53)]
    client = client_as(pmo)
    first = get(client, org.project, "decisions", "?ordering=number")
    second = get(client, org.project, "decisions", "?ordering=number&page=2")
    assert refs(first) == [i.ref for i in items[:50]]
    assert refs(second) == [i.ref for i in items[50:]]
    assert first.context["page_obj"].paginator.count == 53


def test_an_htmx_request_gets_only_the_results(org, pmo, client_as):
    factories.risk(org.project, pmo)
    response = client_as(pmo).get(
        reverse("registers:project_list", args=[org.project.pk, "risks"]) + "?q=supplier",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    content = response.content.decode()
    assert 'id="register-rows"' in content
    assert 'id="register-filters"' not in content
    assert "<html" not in content
    assert response["Vary"].lower().count("hx-request") == 1


def test_the_filter_bar_offers_the_owners_in_view_me_and_nobody(org, pmo, member, client_as):
    factories.action(org.project, pmo, owner=member)
    response = get(client_as(pmo), org.project, "actions")
    choices = dict(response.context["filter_form"].fields["owner"].widget.choices)
    assert list(choices) == ["", "me", "none", str(member.pk)]


def test_filters_set_by_links_are_kept_while_filtering_on(org, pmo, client_as):
    hot = factories.risk(org.project, pmo, probability=3, impact=4)
    factories.risk(org.project, pmo, probability=2, impact=4)
    response = get(client_as(pmo), org.project, "risks", "?probability=3&impact=4")
    assert refs(response) == [hot.ref]
    content = response.content.decode()
    assert '<input type="hidden" name="probability" value="3">' in content
    assert '<input type="hidden" name="impact" value="4">' in content


def test_empty_lists_say_what_to_do_next(org, pmo, viewer, client_as):
    add_first = get(client_as(pmo), org.project, "risks").content.decode()
    assert "No risks yet" in add_first
    assert "Add the first risk in the line above" in add_first
    filtered = get(client_as(pmo), org.project, "risks", "?q=nothing").content.decode()
    assert "No risks match these filters" in filtered
    assert "Clear filters" in filtered
    read_only = get(client_as(viewer), org.project, "risks").content.decode()
    assert "Add the first risk" not in read_only


@pytest.mark.parametrize(
    "query",
    [
        "owner=99999999999999999999",
        "project=1e30",
        "project=99999999999999999999",
        "category=99999999999999999999",
        "score_min=1e40",
        "score_max=abc",
        "status=nonsense",
        "ordering=-nonsense",
        "page=99999999999999999999",
        "due_after=2026-13-45",
        "overdue=perhaps",
        "q=ODI-R99999999999999999999",
    ],
)
def test_bad_filter_values_never_break_the_list_or_the_export(org, pmo, client_as, query):
    factories.risk(org.project, pmo)
    client = client_as(pmo)
    for name, args in (
        ("registers:programme_list", [org.programme.pk, "risks"]),
        ("registers:programme_export", [org.programme.pk, "risks", "csv"]),
    ):
        assert client.get(reverse(name, args=args) + "?" + query).status_code == 200


def test_decisions_sort_by_decision_date(org, pmo, client_as):
    old = factories.decision(org.project, pmo, decided_on=TODAY - datetime.timedelta(days=9))
    new = factories.decision(org.project, pmo, decided_on=TODAY)
    response = get(client_as(pmo), org.project, "decisions", "?ordering=-decided")
    assert refs(response) == [new.ref, old.ref]
    assert Decision.objects.count() == 2
