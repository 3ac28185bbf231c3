"""The site administration of users, memberships and API tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from schakel.accounts import services
from schakel.accounts.models import ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["pmo", "manager", "outsider"])
def test_people_who_are_not_staff_do_not_reach_it(request, persona, client_as):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_admin_login():
    response = Client().get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_shows_preferences_memberships_and_history(admin_user, member, client_as):
    client = client_as(admin_user)

    response = client.get(reverse("admin:accounts_user_change", args=[member.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="language"' in body
    assert '<option value="Europe/Amsterdam">' in body
    assert 'name="memberships-0-role"' in body
    history = client.get(reverse("admin:accounts_user_history", args=[member.pk]))
    assert history.status_code == 200


def test_the_user_list_renders(admin_user, pmo, client_as):
    response = client_as(admin_user).get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert "pmo" in response.content.decode()


def test_changing_a_membership_raises_its_version(admin_user, member, client_as):
    membership = Membership.objects.get(user=member)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])

    response = client_as(admin_user).post(
        url,
        {
            "user": member.pk,
            "role": Role.MANAGER,
            "portfolio": "",
            "programme": "",
            "project": membership.project_id,
        },
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    assert membership.version == 2


def test_a_membership_needs_exactly_one_scope(admin_user, member, org, client_as):
    user = User.objects.create_user("newcomer")

    response = client_as(admin_user).post(
        reverse("admin:accounts_membership_add"),
        {
            "user": user.pk,
            "role": Role.VIEWER,
            "portfolio": org.portfolio.pk,
            "programme": "",
            "project": org.project.pk,
        },
    )

    assert response.status_code == 200
    assert not Membership.objects.filter(user=user).exists()


def test_the_membership_list_renders(admin_user, member, viewer, client_as):
    response = client_as(admin_user).get(reverse("admin:accounts_membership_changelist"))

    assert response.status_code == 200


class TestApiTokens:
    def test_the_key_hash_is_never_shown(self, admin_user, outsider, client_as):
        token, key = services.token_create(user=outsider, name="ci")
        client = client_as(admin_user)

        page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
        listing = client.get(reverse("admin:accounts_apitoken_changelist"))

        assert page.status_code == 200
        for response in (page, listing):
            body = response.content.decode()
            assert token.key_hash not in body
            assert key not in body
            assert "key_hash" not in body
        assert f"{token.prefix}…" in listing.content.decode()

    def test_the_key_hash_cannot_be_set(self, admin_user, outsider, client_as):
        token, _ = services.token_create(user=outsider, name="ci")
        original = token.key_hash

        response = client_as(admin_user).post(
            reverse("admin:accounts_apitoken_change", args=[token.pk]),
            {"name": "renamed", "expires_at_0": "", "expires_at_1": "", "key_hash": "0" * 64},
        )

        assert response.status_code == 302
        token.refresh_from_db()
        assert token.name == "renamed"
        assert token.key_hash == original

    def test_tokens_are_not_added_here(self, admin_user, client_as):
        response = client_as(admin_user).get(reverse("admin:accounts_apitoken_add"))

        assert response.status_code == 403

    def test_the_revoke_action_revokes_the_selected_tokens(self, admin_user, outsider, client_as):
        first, _ = services.token_create(user=outsider, name="one")
        second, _ = services.token_create(user=outsider, name="two")

        response = client_as(admin_user).post(
            reverse("admin:accounts_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [first.pk]},
        )

        assert response.status_code == 302
        assert ApiToken.objects.get(pk=first.pk).revoked_at is not None
        assert ApiToken.objects.get(pk=second.pk).revoked_at is None

    def test_the_list_filters_by_status(self, admin_user, outsider, client_as):
        services.token_create(user=outsider, name="still-good")
        revoked, _ = services.token_create(user=outsider, name="gone-now")
        services.token_revoke(token=revoked)

        response = client_as(admin_user).get(
            reverse("admin:accounts_apitoken_changelist"), {"status": "revoked"}
        )

        body = response.content.decode()
        assert "gone-now" in body
        assert "still-good" not in body


def test_an_administrator_adds_a_user(admin_user, client_as):
    client = client_as(admin_user)
    url = reverse("admin:accounts_user_add")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="newcomer").check_password("a-new-long-passphrase-42")
