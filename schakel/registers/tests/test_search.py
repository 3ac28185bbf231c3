"""Global search finds register items the user may see, by words or by reference code."""

import pytest

from schakel.lib import search
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def group(groups, key):
    return next((g for g in groups if g.key == key), None)


def test_search_finds_items_by_words_in_title_or_description(org, pmo):
    factories.risk(org.project, pmo, title="Supplier insolvency", description="ERP vendor")
    factories.action(org.project, pmo, title="Call the ERP vendor")
    groups = search.search(pmo, "ERP vendor")
    assert [h.ref for h in group(groups, "risks").hits] == ["ODI-R1"]
    assert [h.ref for h in group(groups, "actions").hits] == ["ODI-A1"]


def test_search_finds_an_item_by_its_reference_code(org, pmo):
    factories.risk(org.project, pmo)
    target = factories.risk(org.project, pmo, title="Something else")
    groups = search.search(pmo, "odi-r2")
    assert [h.url for h in group(groups, "risks").hits] == [target.get_absolute_url()]


def test_search_never_shows_what_the_user_may_not_see(org, pmo, member, outsider):
    factories.risk(org.other_project, pmo, title="Secret merger")
    assert group(search.search(pmo, "merger"), "risks") is not None
    assert search.search(member, "merger") == []
    assert search.search(outsider, "merger") == []


def test_the_search_page_lists_register_hits(org, pmo, client_as):
    factories.risk(org.project, pmo, title="Data migration fails")
    page = client_as(pmo).get("/search/?q=migration").content.decode()
    assert "ODI-R1" in page and "Data migration fails" in page
