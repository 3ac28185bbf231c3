"""History tabs: who changed what and when, as readable text, for everyone who may see it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS
from schakel.accounts.tests.factories import UserFactory
from schakel.lib.history import humanize, object_history
from schakel.lib.services import update_versioned
from schakel.portfolio import services
from schakel.portfolio.models import Phase, Project
from schakel.portfolio.tests.factories import ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def history_url(kind, obj):
    return reverse(f"portfolio:{kind}_history", args=[obj.pk])


def change(obj, by, tags=None, **changes):
    """Apply a versioned change as the services do, and return the fresh row."""
    obj.refresh_from_db()
    m2m = {"tags": services.tags_from_names(tags)} if tags is not None else None
    return update_versioned(obj, version=obj.version, changes=changes, m2m=m2m, by=by)


def entries_of(obj, page=1):
    return object_history(obj, page)[1]


class TestEntries:
    def test_it_lists_changes_newest_first_with_author_and_field_labels(self, org, pmo):
        change(org.project, pmo, name="Organisation design")
        change(org.project, pmo, phase=Phase.PLANNING)
        entries = entries_of(org.project)
        assert [e.action for e in entries] == ["changed", "changed", "created"]
        newest = entries[0]
        assert newest.who == pmo.display_name
        assert [(c.label, c.old, c.new) for c in newest.changes] == [
            ("Phase", "Initiation", "Planning")
        ]
        assert [(c.label, c.old, c.new) for c in entries[1].changes] == [
            ("Name", "Org design", "Organisation design")
        ]

    def test_a_change_without_a_user_is_shown_as_made_by_the_system(self, org):
        entries = entries_of(org.project)
        assert entries[0].action == "created"
        assert entries[0].who == "System"

    def test_foreign_keys_show_the_related_object_and_dates_read_as_dates(self, org, pmo):
        other_theme = ThemeFactory(programme=org.programme, name="Quick wins")
        change(
            org.project,
            pmo,
            manager=pmo,
            theme=other_theme,
            start_date=datetime.date(2026, 3, 1),
        )
        changes = {c.name: c for c in entries_of(org.project)[0].changes}
        assert (changes["manager"].old, changes["manager"].new) == (None, pmo.display_name)
        assert (changes["theme"].old, changes["theme"].new) == (
            "Organisation design",
            "Quick wins",
        )
        assert changes["start_date"].new == "1 Mar 2026"
        assert changes["manager"].label == "Project manager"

    def test_tags_are_listed_by_name(self, org, pmo):
        change(org.project, pmo, tags=["Quick win", "IT"])
        change(org.project, pmo, tags=["IT"])
        tag_changes = [
            (c.old, c.new) for e in entries_of(org.project) for c in e.changes if c.name == "tags"
        ]
        assert (None, "IT, Quick win") in tag_changes
        assert ("IT, Quick win", "IT") in tag_changes

    def test_bookkeeping_fields_are_left_out(self, org, pmo):
        change(org.project, pmo, name="Renamed")
        names = {c.name for c in entries_of(org.project)[0].changes}
        assert names == {"name"}
        assert not names & {"version", "updated_at", "created_at"}

    def test_archiving_shows_as_a_change_of_the_archived_date(self, org, pmo):
        services.project_archive(project=org.project, archived=True, by=pmo)
        changes = entries_of(org.project)[0].changes
        assert [c.name for c in changes] == ["archived_at"]
        assert changes[0].old is None and changes[0].new

    def test_trash_and_restore_are_named_as_such(self, org, pmo):
        services.trash(obj=org.project, by=pmo)
        org.project.refresh_from_db()
        services.restore(obj=org.project, by=pmo)
        entries = entries_of(org.project)
        assert [e.action for e in entries[:2]] == ["restored", "trashed"]
        assert entries[0].action_label == "restored from the trash"
        assert entries[1].action_label == "moved to the trash"

    def test_a_deleted_related_object_is_named_by_its_number(self, org, pmo):
        someone = UserFactory()
        change(org.project, pmo, sponsor=someone)
        pk = someone.pk
        someone.delete()
        changes = {c.name: c for c in entries_of(org.project)[0].changes}
        assert changes["sponsor"].new == f"deleted object #{pk}"

    def test_plain_values_are_rendered_for_people(self):
        assert humanize(True) == "yes"
        assert humanize(False) == "no"
        assert humanize(datetime.date(2026, 1, 31)) == "31 Jan 2026"
        assert humanize("x" * 400).endswith("…")
        assert len(humanize("x" * 400)) == 300


class TestPage:
    def test_the_page_shows_the_object_tabs_breadcrumbs_and_changes(self, org, pmo, client_as):
        change(org.project, pmo, name="Organisation design")
        response = client_as(pmo).get(history_url("project", org.project))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>ODI – Organisation design</h1>" in html
        assert f'href="{history_url("project", org.project)}" aria-current="page"' in html
        assert f'href="{reverse("portfolio:project_members", args=[org.project.pk])}"' in html
        assert 'href="/portfolios/' in html and "Change portfolio" in html
        assert "Support services" in html
        assert "Org design" in html and "Organisation design" in html
        assert pmo.display_name in html

    def test_a_theme_has_no_members_tab(self, org, pmo, client_as):
        html = client_as(pmo).get(history_url("theme", org.theme)).content.decode()
        assert "/members/" not in html.split('class="tabs"')[1].split("</nav>")[0]

    def test_dates_are_shown_in_the_users_language(self, org, pmo, client_as):
        pmo.language = "nl"
        pmo.save()
        change(org.project, pmo, start_date=datetime.date(2026, 3, 1))
        html = client_as(pmo).get(history_url("project", org.project)).content.decode()
        assert "1 maart 2026" in html

    def test_the_history_is_paginated_by_fifty(self, org, pmo, client_as):
        for n in range(55):
            change(org.project, pmo, name=f"Name {n}")
        client = client_as(pmo)
        first = client.get(history_url("project", org.project))
        second = client.get(history_url("project", org.project) + "?page=2")
        assert len(first.context["entries"]) == 50
        assert len(second.context["entries"]) == 6  # 5 changes and the creation
        assert first.context["entries"][0].changes[0].new == "Name 54"
        assert second.context["entries"][-1].action == "created"

    def test_a_nonsense_page_number_shows_the_first_page(self, org, pmo, client_as):
        response = client_as(pmo).get(history_url("project", org.project) + "?page=abc")
        assert response.status_code == 200

    def test_a_project_the_user_cannot_see_answers_404(self, org, viewer, client_as):
        response = client_as(viewer).get(history_url("project", org.sibling))
        assert response.status_code == 404


def _objects(org):
    return {
        "portfolio": org.portfolio,
        "programme": org.programme,
        "theme": org.theme,
        "project": org.project,
    }


@pytest.mark.parametrize("kind", ["portfolio", "programme", "theme", "project"])
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_history_pages(org, persona, kind, client_as):
    name, user = persona
    url = history_url(kind, _objects(org)[kind])
    response = client_as(user).get(url)
    if name == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif name == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 200


def test_history_pages_refuse_posts(org, pmo, client_as):
    response = client_as(pmo).post(history_url("project", org.project))
    assert response.status_code == 405


def _make_history(org, by, size):
    users = [UserFactory() for _ in range(3)]
    themes = [ThemeFactory(programme=org.programme) for _ in range(2)]
    for n in range(size):
        change(
            org.project,
            by,
            name=f"Name {n}",
            manager=users[n % 3],
            sponsor=users[(n + 1) % 3],
            theme=themes[n % 2],
            start_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            tags=[f"tag {n}", "common"],
        )


@pytest.mark.parametrize("size", [2, 20])
def test_the_history_page_stays_within_its_query_budget(
    org, pmo, client_as, size, django_assert_max_num_queries
):
    _make_history(org, pmo, size)
    client = client_as(pmo)
    with django_assert_max_num_queries(11):
        response = client.get(history_url("project", org.project))
    assert response.status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_history(org, pmo, client_as):
    client = client_as(pmo)
    url = history_url("project", org.project)
    _make_history(org, pmo, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _make_history(org, pmo, 20)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_history_helper_works_for_any_model_with_history(org, pmo):
    programme = ProgrammeFactory(portfolio=org.portfolio, name="Before")
    change(programme, pmo, name="After")
    entry = entries_of(programme)[0]
    assert (entry.changes[0].old, entry.changes[0].new) == ("Before", "After")
    assert Project.history.model.tracked_fields  # the helper relies on simple-history's API
