"""Members tabs: who holds which role, and managers adding, changing and removing roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS
from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def members_url(kind, obj):
    return reverse(f"portfolio:{kind}_members", args=[obj.pk])


def edit_url(membership):
    return reverse("portfolio:membership_edit", args=[membership.pk])


def remove_url(membership):
    return reverse("portfolio:membership_remove", args=[membership.pk])


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer", first_name="Nina", last_name="Newcomer")


@pytest.fixture
def teammate(org):
    """A member of the first project whom managers may change and remove."""
    user = UserFactory(username="teammate", first_name="Tim", last_name="Teammate")
    return Membership.objects.create(user=user, project=org.project, role=Role.MEMBER)


class TestList:
    def test_it_lists_direct_members_with_role_badges(self, org, member, viewer, client_as):
        response = client_as(member).get(members_url("project", org.project))
        assert response.status_code == 200
        html = response.content.decode()
        assert member.display_name in html and viewer.display_name in html
        assert '<span class="badge badge-role role-member">Member</span>' in html
        assert '<span class="badge badge-role role-viewer">Viewer</span>' in html

    def test_inherited_roles_are_shown_separately_with_their_origin(
        self, org, manager, pmo, member, client_as
    ):
        response = client_as(member).get(members_url("project", org.project))
        direct = [m.user for m, _editable in response.context["rows"]]
        assert manager not in direct and pmo not in direct
        inherited = [(m.user, str(above)) for m, above in response.context["inherited"]]
        assert inherited == [(manager, "Support services"), (pmo, "Change portfolio")]
        html = response.content.decode()
        assert "via programme Support services" in html
        assert "via portfolio Change portfolio" in html

    def test_a_programme_shows_the_roles_from_its_portfolio(self, org, pmo, manager, client_as):
        response = client_as(manager).get(members_url("programme", org.programme))
        assert [m.user for m, _e in response.context["rows"]] == [manager]
        assert [m.user for m, _a in response.context["inherited"]] == [pmo]

    def test_viewers_and_members_see_the_list_read_only(self, org, viewer, teammate, client_as):
        html = client_as(viewer).get(members_url("project", org.project)).content.decode()
        assert teammate.user.display_name in html
        assert 'name="user"' not in html
        assert edit_url(teammate) not in html
        assert remove_url(teammate) not in html
        assert "Only managers and PMO officers" in html

    def test_managers_get_the_add_form_and_row_actions(self, org, manager, teammate, client_as):
        html = client_as(manager).get(members_url("project", org.project)).content.decode()
        assert 'name="user"' in html
        assert f'hx-post="{members_url("project", org.project)}"' in html
        assert f'action="{edit_url(teammate)}"' in html
        assert f'action="{remove_url(teammate)}"' in html
        assert 'data-confirm="Remove Tim Teammate from this project?"' in html

    def test_a_manager_cannot_act_on_a_role_above_their_own(self, org, manager, client_as):
        boss = Membership.objects.create(user=UserFactory(), project=org.project, role=Role.PMO)
        html = client_as(manager).get(members_url("project", org.project)).content.decode()
        assert remove_url(boss) not in html
        assert "Above your role" in html

    def test_recent_changes_list_who_added_whom(self, org, manager, newcomer, client_as):
        client = client_as(manager)
        client.post(members_url("project", org.project), {"user": newcomer.pk, "role": "viewer"})
        response = client.get(members_url("project", org.project))
        html = response.content.decode()
        assert f"{manager.display_name} added Nina Newcomer" in html
        (entry, *_rest) = response.context["recent"]
        assert entry.action == "created"
        assert [(c.old, c.new) for c in entry.changes] == [(None, "Viewer")]


class TestAdd:
    def test_a_manager_adds_a_member(self, org, manager, newcomer, client_as):
        response = client_as(manager).post(
            members_url("project", org.project), {"user": newcomer.pk, "role": "member"}
        )
        assert response.status_code == 302
        assert response.url == members_url("project", org.project)
        assert Membership.objects.get(user=newcomer, project=org.project).role == Role.MEMBER

    def test_with_htmx_the_list_is_updated_in_place(self, org, manager, newcomer, client_as):
        response = client_as(manager).post(
            members_url("project", org.project),
            {"user": newcomer.pk, "role": "member"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="members-region"')
        assert "<html" not in html
        assert "Nina Newcomer now has the role Member." in html
        assert Membership.objects.filter(user=newcomer, project=org.project).exists()
        assert response["Vary"] and "HX-Request" in response["Vary"]

    def test_an_existing_member_is_refused_on_the_person_field(
        self, org, manager, member, client_as
    ):
        response = client_as(manager).post(
            members_url("project", org.project), {"user": member.pk, "role": "viewer"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["user"] == ["This person already has a role here."]
        assert Membership.objects.get(user=member, project=org.project).role == Role.MEMBER

    def test_a_role_above_your_own_is_refused_on_the_role_field(
        self, org, manager, newcomer, client_as
    ):
        response = client_as(manager).post(
            members_url("project", org.project), {"user": newcomer.pk, "role": "pmo"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["role"] == [
            "You cannot grant a role above your own."
        ]
        assert not Membership.objects.filter(user=newcomer).exists()

    def test_errors_come_back_in_place_with_htmx(self, org, manager, member, client_as):
        response = client_as(manager).post(
            members_url("project", org.project),
            {"user": member.pk, "role": "viewer"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "This person already has a role here." in response.content.decode()

    def test_an_empty_form_shows_field_errors(self, org, manager, client_as):
        response = client_as(manager).post(members_url("project", org.project), {})
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"user", "role"}

    def test_a_pmo_grants_pmo_on_the_portfolio(self, org, pmo, newcomer, client_as):
        client_as(pmo).post(
            members_url("portfolio", org.portfolio), {"user": newcomer.pk, "role": "pmo"}
        )
        assert Membership.objects.get(user=newcomer, portfolio=org.portfolio).role == Role.PMO


class TestChangeRole:
    def test_a_manager_changes_a_role(self, org, manager, teammate, client_as):
        response = client_as(manager).post(
            edit_url(teammate), {"role": "viewer", "version": teammate.version}
        )
        assert response.status_code == 302
        assert response.url == members_url("project", org.project)
        teammate.refresh_from_db()
        assert teammate.role == Role.VIEWER
        assert teammate.version == 2

    def test_the_edit_page_shows_the_current_role(self, org, manager, teammate, client_as):
        response = client_as(manager).get(edit_url(teammate))
        assert response.status_code == 200
        assert response.context["form"]["role"].value() == Role.MEMBER
        assert "Role of Tim Teammate" in response.content.decode()

    def test_a_stale_version_answers_409_with_the_current_role(
        self, org, manager, teammate, client_as
    ):
        Membership.objects.filter(pk=teammate.pk).update(role=Role.VIEWER, version=2)
        response = client_as(manager).post(edit_url(teammate), {"role": "manager", "version": 1})
        assert response.status_code == 409
        html = response.content.decode()
        assert "changed by someone else" in html
        assert response.context["form"]["role"].value() == Role.VIEWER
        assert response.context["form"]["version"].value() == 2
        teammate.refresh_from_db()
        assert teammate.role == Role.VIEWER

    def test_a_role_above_your_own_is_refused_on_the_field(self, org, manager, teammate, client_as):
        response = client_as(manager).post(edit_url(teammate), {"role": "pmo", "version": 1})
        assert response.status_code == 400
        assert response.context["form"].errors["role"] == [
            "You cannot grant a role above your own."
        ]
        teammate.refresh_from_db()
        assert teammate.role == Role.MEMBER

    def test_a_manager_may_not_change_a_pmo(self, org, manager, client_as):
        boss = Membership.objects.create(user=UserFactory(), project=org.project, role=Role.PMO)
        response = client_as(manager).post(edit_url(boss), {"role": "viewer", "version": 1})
        assert response.status_code == 403
        boss.refresh_from_db()
        assert boss.role == Role.PMO

    def test_a_missing_version_is_a_field_error(self, org, manager, teammate, client_as):
        response = client_as(manager).post(edit_url(teammate), {"role": "viewer"})
        assert response.status_code == 400
        assert "version" in response.context["form"].errors


class TestRemove:
    def test_a_manager_removes_a_member(self, org, manager, teammate, client_as):
        response = client_as(manager).post(remove_url(teammate))
        assert response.status_code == 302
        assert response.url == members_url("project", org.project)
        assert not Membership.objects.filter(pk=teammate.pk).exists()

    def test_removal_shows_in_recent_changes(self, org, manager, teammate, client_as):
        client = client_as(manager)
        client.post(remove_url(teammate))
        html = client.get(members_url("project", org.project)).content.decode()
        assert f"{manager.display_name} removed Tim Teammate" in html

    def test_remove_accepts_only_post(self, org, manager, teammate, client_as):
        assert client_as(manager).get(remove_url(teammate)).status_code == 405


class TestMembershipsOfHiddenScopes:
    def test_a_membership_on_a_project_the_user_cannot_see_answers_404(
        self, org, viewer, client_as
    ):
        hidden = Membership.objects.create(
            user=UserFactory(), project=org.other_project, role=Role.MEMBER
        )
        client = client_as(viewer)
        assert client.get(edit_url(hidden)).status_code == 404
        assert client.post(remove_url(hidden)).status_code == 404
        assert Membership.objects.filter(pk=hidden.pk).exists()

    def test_a_missing_membership_answers_404(self, org, pmo, client_as):
        assert client_as(pmo).get("/memberships/9999/edit/").status_code == 404


# Permissions: every URL, every persona ----------------------------------------------

READERS = ("viewer", "member", "manager", "pmo", "admin")
# Who may write on each scope in the org fixture.
WRITERS = {
    "portfolio": ("pmo", "admin"),
    "programme": ("manager", "pmo", "admin"),
    "project": ("manager", "pmo", "admin"),
}


def _scope(org, kind):
    return {"portfolio": org.portfolio, "programme": org.programme, "project": org.project}[kind]


@pytest.mark.parametrize("kind", ["portfolio", "programme", "project"])
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_members_pages(
    org, persona, kind, newcomer, client_as
):
    name, user = persona
    scope = _scope(org, kind)
    client = client_as(user)
    get = client.get(members_url(kind, scope))
    post = client.post(members_url(kind, scope), {"user": newcomer.pk, "role": "viewer"})
    added = Membership.objects.filter(user=newcomer).exists()
    if name == "anonymous":
        assert get.status_code == post.status_code == 302
        assert get.url.startswith(reverse("accounts:login"))
    elif name == "outsider":
        assert get.status_code == post.status_code == 404
    else:
        assert get.status_code == 200
        expected = 302 if name in WRITERS[kind] else 403
        assert post.status_code == expected
    assert added == (name in WRITERS[kind])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_membership_edit(org, persona, teammate, client_as):
    name, user = persona
    client = client_as(user)
    get = client.get(edit_url(teammate))
    post = client.post(edit_url(teammate), {"role": "viewer", "version": 1})
    teammate.refresh_from_db()
    if name == "anonymous":
        assert get.status_code == post.status_code == 302
        assert post.url.startswith(reverse("accounts:login"))
    elif name == "outsider":
        assert get.status_code == post.status_code == 404
    elif name in WRITERS["project"]:
        assert get.status_code == 200
        assert post.status_code == 302
        assert teammate.role == Role.VIEWER
        return
    else:
        assert get.status_code == post.status_code == 403
    assert teammate.role == Role.MEMBER


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_membership_remove(
    org, persona, teammate, client_as
):
    name, user = persona
    response = client_as(user).post(remove_url(teammate))
    removed = not Membership.objects.filter(pk=teammate.pk).exists()
    if name == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif name == "outsider":
        assert response.status_code == 404
    elif name in WRITERS["project"]:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert removed == (name in WRITERS["project"])


# Query budget -------------------------------------------------------------------------


def _crowd(org, by, size, client):
    """Add `size` members to the project and its programme, and change some roles."""
    url = members_url("project", org.project)
    for _ in range(size):
        user = UserFactory()
        client.post(url, {"user": user.pk, "role": "member"})
        Membership.objects.create(user=UserFactory(), programme=org.programme, role=Role.VIEWER)
    for membership in Membership.objects.filter(project=org.project, role=Role.MEMBER)[:size]:
        client.post(edit_url(membership), {"role": "viewer", "version": membership.version})


@pytest.mark.parametrize("size", [2, 15])
def test_the_members_page_stays_within_its_query_budget(
    org, pmo, client_as, size, django_assert_max_num_queries
):
    client = client_as(pmo)
    _crowd(org, pmo, size, client)
    with django_assert_max_num_queries(9):
        response = client.get(members_url("project", org.project))
    assert len(response.context["rows"]) >= size


def test_the_number_of_queries_does_not_grow_with_the_members(org, pmo, client_as):
    client = client_as(pmo)
    url = members_url("project", org.project)
    _crowd(org, pmo, 2, client)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _crowd(org, pmo, 15, client)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
