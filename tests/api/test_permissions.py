"""Who may read and change what through the API, persona by persona."""

from __future__ import annotations

import pytest

from schakel.portfolio.models import Portfolio, Programme, Project, Theme
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

EVERYONE = ("anonymous", "outsider", "viewer", "member", "manager", "pmo", "admin")


def _status(persona, method, path, data=None):
    _, user = persona
    client = api_client(user)
    return getattr(client, method)(path, data, format="json").status_code


@pytest.mark.parametrize(
    "path",
    [
        "portfolios/",
        "programmes/",
        "themes/",
        "projects/",
        "memberships/",
        "users/",
        "users/me/",
        "tokens/",
    ],
)
def test_an_anonymous_caller_is_refused_everywhere(org, path):
    response = api_client().get(f"{API}/{path}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_anonymous_caller_cannot_see_one_project(org):
    assert api_client().get(f"{API}/projects/{org.project.pk}/").status_code == 401


class TestOutsider:
    @pytest.mark.parametrize(
        "path", ["portfolios/", "programmes/", "themes/", "projects/", "memberships/"]
    )
    def test_sees_empty_lists(self, org, outsider, path):
        response = api_client(outsider).get(f"{API}/{path}", {"archived": "all"})
        assert response.status_code == 200
        assert response.json()["count"] == 0

    def test_sees_only_themselves_among_users(self, org, outsider, pmo):
        response = api_client(outsider).get(f"{API}/users/")
        assert ids(response) == {outsider.pk}

    def test_gets_404_on_every_object_exactly_like_a_missing_one(self, org, outsider, pmo):
        client = api_client(outsider)
        membership = pmo.memberships.get()
        paths = [
            f"portfolios/{org.portfolio.pk}/",
            f"programmes/{org.programme.pk}/",
            f"themes/{org.theme.pk}/",
            f"projects/{org.project.pk}/",
            f"memberships/{membership.pk}/",
            f"users/{pmo.pk}/",
        ]
        for path in paths:
            hidden = client.get(f"{API}/{path}")
            missing = client.get(f"{API}/{path.split('/')[0]}/999999/")
            assert hidden.status_code == 404, path
            assert hidden.json() == missing.json(), path
            if not path.startswith("users/"):
                assert client.patch(f"{API}/{path}", {"version": 1}).status_code == 404, path
                assert client.delete(f"{API}/{path}").status_code == 404, path
        for action in ("archive", "unarchive", "move"):
            path = f"{API}/projects/{org.project.pk}/{action}/"
            assert (
                client.post(path, {"programme": org.programme.pk, "version": 1}).status_code == 404
            )
        assert client.post(f"{API}/programmes/{org.programme.pk}/archive/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", set()),
        ("viewer", {"ODI"}),
        ("member", {"ODI"}),
        ("manager", {"ODI", "POL"}),
        ("pmo", {"ODI", "POL", "CAR"}),
        ("admin", {"ODI", "POL", "CAR"}),
    ],
    indirect=["persona"],
)
def test_each_persona_lists_exactly_the_projects_they_may_see(persona, expected):
    response = api_client(persona[1]).get(f"{API}/projects/")
    assert response.status_code == 200
    assert {row["key"] for row in response.json()["results"]} == expected


# What each persona gets for each write, on the first programme's objects. ------------
#   outsider: 404 (cannot see); viewer/member: 403; manager: manager on the programme;
#   pmo: PMO on the portfolio; admin: site administrator.


def _expect(**by_persona):
    return [pytest.param(p, by_persona[p], id=p) for p in EVERYONE if p in by_persona]


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(anonymous=401, outsider=404, viewer=200, member=200, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_reading_a_project(org, persona, expected):
    assert _status(persona, "get", f"{API}/projects/{org.project.pk}/") == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_changing_a_project_needs_manager(org, persona, expected):
    path = f"{API}/projects/{org.project.pk}/"
    assert _status(persona, "patch", path, {"name": "Renamed", "version": 1}) == expected
    renamed = Project.objects.get(pk=org.project.pk).name == "Renamed"
    assert renamed == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=400, viewer=403, member=403, manager=201, pmo=201, admin=201),
    indirect=["persona"],
)
def test_creating_a_project_needs_manager_on_the_programme(org, persona, expected):
    body = {"key": "NEW", "name": "New one", "programme": org.programme.pk}
    assert _status(persona, "post", f"{API}/projects/", body) == expected
    assert Project.objects.filter(key="NEW").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=204, admin=204),
    indirect=["persona"],
)
def test_deleting_a_project_needs_pmo_and_moves_it_to_the_trash(org, persona, expected):
    assert _status(persona, "delete", f"{API}/projects/{org.project.pk}/") == expected
    project = Project.all_objects.get(pk=org.project.pk)
    assert project.is_trashed == (expected == 204)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_archiving_a_project_needs_manager(org, persona, expected):
    assert _status(persona, "post", f"{API}/projects/{org.project.pk}/archive/") == expected
    assert Project.objects.get(pk=org.project.pk).is_archived == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=200, admin=200),
    indirect=["persona"],
)
def test_moving_a_project_needs_pmo(org, persona, expected):
    body = {"programme": org.other_programme.pk, "version": 1}
    assert _status(persona, "post", f"{API}/projects/{org.project.pk}/move/", body) == expected
    moved = Project.objects.get(pk=org.project.pk).programme_id == org.other_programme.pk
    assert moved == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_changing_a_programme_needs_manager(org, persona, expected):
    path = f"{API}/programmes/{org.programme.pk}/"
    assert _status(persona, "patch", path, {"state": "on_hold", "version": 1}) == expected
    assert (Programme.objects.get(pk=org.programme.pk).state == "on_hold") == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_archiving_a_programme_needs_manager(org, persona, expected):
    assert _status(persona, "post", f"{API}/programmes/{org.programme.pk}/archive/") == expected
    archived = Programme.objects.get(pk=org.programme.pk).archived_at is not None
    assert archived == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=400, viewer=403, member=403, manager=403, pmo=201, admin=201),
    indirect=["persona"],
)
def test_creating_a_programme_needs_manager_on_the_portfolio(org, persona, expected):
    body = {"portfolio": org.portfolio.pk, "name": "Third"}
    assert _status(persona, "post", f"{API}/programmes/", body) == expected
    assert Programme.objects.filter(name="Third").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=204, admin=204),
    indirect=["persona"],
)
def test_deleting_a_programme_needs_pmo_and_trashes_its_projects(org, persona, expected):
    assert _status(persona, "delete", f"{API}/programmes/{org.programme.pk}/") == expected
    assert Project.all_objects.get(pk=org.project.pk).is_trashed == (expected == 204)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=400, viewer=403, member=403, manager=201, pmo=201, admin=201),
    indirect=["persona"],
)
def test_adding_a_theme_needs_manager_on_the_programme(org, persona, expected):
    body = {"programme": org.programme.pk, "name": "Quick wins"}
    assert _status(persona, "post", f"{API}/themes/", body) == expected
    assert Theme.objects.filter(name="Quick wins").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=200, pmo=200, admin=200),
    indirect=["persona"],
)
def test_changing_a_theme_needs_manager(org, persona, expected):
    path = f"{API}/themes/{org.theme.pk}/"
    assert _status(persona, "patch", path, {"name": "Design", "version": 1}) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=204, admin=204),
    indirect=["persona"],
)
def test_deleting_a_theme_needs_pmo(org, persona, expected):
    assert _status(persona, "delete", f"{API}/themes/{org.theme.pk}/") == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=403, viewer=403, member=403, manager=403, pmo=403, admin=201),
    indirect=["persona"],
)
def test_only_a_site_administrator_creates_a_portfolio(org, persona, expected):
    assert _status(persona, "post", f"{API}/portfolios/", {"name": "Second"}) == expected
    assert Portfolio.objects.filter(name="Second").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=200, admin=200),
    indirect=["persona"],
)
def test_changing_a_portfolio_needs_manager_on_it(org, persona, expected):
    path = f"{API}/portfolios/{org.portfolio.pk}/"
    assert _status(persona, "patch", path, {"description": "All change", "version": 1}) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(outsider=404, viewer=403, member=403, manager=403, pmo=204, admin=204),
    indirect=["persona"],
)
def test_deleting_a_portfolio_needs_pmo(org, persona, expected):
    assert _status(persona, "delete", f"{API}/portfolios/{org.portfolio.pk}/") == expected
    assert Portfolio.all_objects.get(pk=org.portfolio.pk).is_trashed == (expected == 204)
