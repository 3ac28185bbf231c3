"""Sessions: what ends them, what they reveal, and CSRF on every state change.

- The session key changes at login (no session fixation).
- Logging out and changing one's password end the session on the server, not only in the
  browser: a copied cookie stops working.
- A deactivated user cannot log in, and their open sessions, API tokens and calendar feed
  stop working on the next request.
- Removing someone from a project takes effect on the next request for a session, an API
  token and a calendar feed alike.
- The login page answers an unknown user name exactly as a wrong password.
- Every route of the URLconf refuses a state-changing method from a session without a CSRF
  token, and nothing changes.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schakel.accounts import services as account_services
from schakel.accounts.models import Membership
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import services as meeting_services
from schakel.registers import services as register_services
from schakel.registers.models import Risk
from tests.test_route_matrix import ROUTES, ctx, snapshot  # noqa: F401  (ctx: a fixture)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-7"
LOGIN = reverse("accounts:login")
HOME = reverse("registers:home")


def _logged_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def _copy(client: Client) -> Client:
    """A second browser holding the same session cookie (a stolen or copied cookie)."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def _signed_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


@pytest.fixture
def person(db):
    return UserFactory(username="pat", password=PASSWORD)  # type: ignore[call-arg]


def test_the_session_key_changes_at_login(person):
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["before-login"] = True
    session.save()
    before = session.session_key
    client.post(LOGIN, {"username": "pat", "password": PASSWORD})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_logging_out_ends_the_session_on_the_server(person):
    client = _logged_in(person)
    copy = _copy(client)
    assert _signed_in(copy)
    client.post(reverse("accounts:logout"))
    assert not _signed_in(copy)
    assert copy.get(HOME).status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(person):
    here, elsewhere = _logged_in(person), _logged_in(person)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-8",
            "new_password2": "another-long-passphrase-8",
        },
    )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


def test_a_deactivated_user_is_out_everywhere_on_the_next_request(person):
    session = _logged_in(person)
    _token, api_key = account_services.token_create(user=person, name="script")
    _feed, feed_key = account_services.feed_token_rotate(user=person)
    api = Client(headers={"Authorization": f"Token {api_key}", "Accept": "application/json"})
    feed_url = reverse("meetings:feed", args=[feed_key])
    assert _signed_in(session) and api.get("/api/v1/").status_code == 200
    assert Client().get(feed_url).status_code == 200

    person.is_active = False
    person.save(update_fields=["is_active"])

    assert not _signed_in(session)
    assert api.get("/api/v1/").status_code == 401
    assert Client().get(feed_url).status_code == 404
    refused = Client().post(LOGIN, {"username": "pat", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in Client().session


def _page_text(response) -> str:
    """The page without its CSRF tokens, which differ per request."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def test_the_login_page_does_not_tell_whether_an_account_exists(person):
    wrong = Client().post(LOGIN, {"username": "pat", "password": "wrong-password"})
    unknown = Client().post(LOGIN, {"username": "nobody-here", "password": "wrong-password"})
    assert wrong.status_code == unknown.status_code == 200
    assert _page_text(wrong).replace("pat", "X") == _page_text(unknown).replace("nobody-here", "X")


def test_removing_a_member_takes_effect_on_the_next_request_everywhere(org, member):
    member.set_password(PASSWORD)
    member.save()
    risk = register_services.item_create(
        model=Risk,
        scope=org.project,
        by=None,
        title="Supplier goes bankrupt",
        probability=3,
        impact=4,
    )
    start = timezone.now() + timedelta(days=2)
    meeting_services.meeting_create(
        scope=org.project,
        by=None,
        invitees=[member],
        kind="project_board",
        title="Steering group ODI",
        start=start,
        end=start + timedelta(hours=1),
    )
    session = _logged_in(member)
    _token, api_key = account_services.token_create(user=member, name="script")
    api = Client(headers={"Authorization": f"Token {api_key}", "Accept": "application/json"})
    _feed, feed_key = account_services.feed_token_rotate(user=member)
    page = reverse("registers:item_detail", kwargs={"kind": "risk", "pk": risk.pk})
    api_url = f"/api/v1/risks/{risk.pk}/"
    feed_url = reverse("meetings:feed", args=[feed_key])
    assert session.get(page).status_code == 200
    assert api.get(api_url).status_code == 200
    assert "Steering group ODI" in Client().get(feed_url).content.decode()

    Membership.objects.filter(user=member, project=org.project).delete()

    assert session.get(page).status_code == 404
    assert api.get(api_url).status_code == 404
    assert "Steering group ODI" not in Client().get(feed_url).content.decode()


# Values for the query parameters lists take (sort, filter, group, paging, columns): field
# paths into other tables, SQL, expressions, odd numbers. Each must be refused or ignored.
HOSTILE_QUERY = {
    name: value
    for names, value in (
        (("sort", "ordering", "o", "order"), "-owner__password"),
        (("group", "group_by", "columns", "fields"), "created_by__password,id);DROP TABLE x;--"),
        (("page", "per_page", "page_size", "limit", "offset"), "99999999999999999999"),
        (("q", "search"), "%' OR 1=1 --\x00"),
        (("status", "owner", "project", "programme", "category"), "__class__"),
    )
    for name in names
}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_route_refuses_writes_without_csrf_and_hostile_query_parameters(
    name,
    ctx,  # noqa: F811
):
    """Per route (one set-up for both checks, to keep the suite fast):

    - POST, PUT, PATCH and DELETE as the site administrator, with a session and no CSRF
      token, are refused (403) and change nothing;
    - a GET as the PMO with hostile sort, filter, group and paging values answers as a
      plain GET does or with 400, never with a server error.
    """
    context, people = ctx
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["admin"])
    url = reverse(name, kwargs=ROUTES[name].kwargs(context))
    before = snapshot()
    got = {
        method.upper(): getattr(client, method)(url, {"name": "Hijacked"}).status_code
        for method in ("post", "put", "patch", "delete")
    }
    assert got == {"POST": 403, "PUT": 403, "PATCH": 403, "DELETE": 403}
    assert snapshot() == before

    pmo = client_for(people["pmo"])
    plain = pmo.get(url).status_code
    hostile = pmo.get(url, HOSTILE_QUERY).status_code
    assert hostile < 500 and (hostile == plain or hostile in (400, 404)), (plain, hostile)
