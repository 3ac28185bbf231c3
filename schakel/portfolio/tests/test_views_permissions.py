"""Who may open which portfolio page: every view for every persona.

Anonymous visitors are sent to the login page; an outsider gets 404 on every object URL
(exactly as for a missing object); a viewer reads but gets 403 on writes; managers and
the PMO write where their role reaches.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PERSONAS

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# The objects of the `org` fixture that each URL takes.
OBJECT_OF = {
    "portfolio": lambda org: org.portfolio.pk,
    "programme": lambda org: org.programme.pk,
    "theme": lambda org: org.theme.pk,
    "project": lambda org: org.project.pk,
}

# name, object kind (or None), method, expected status per persona (anonymous aside).
EVERYONE = dict.fromkeys(("outsider", "viewer", "member", "manager", "pmo", "admin"), OK)
READ_OBJECT = {**EVERYONE, "outsider": NOT_FOUND}
WRITE_PROGRAMME = {
    "outsider": NOT_FOUND,
    "viewer": FORBIDDEN,
    "member": FORBIDDEN,
    "manager": OK,
    "pmo": OK,
    "admin": OK,
}
WRITE_PORTFOLIO = {**WRITE_PROGRAMME, "manager": FORBIDDEN}
ADMINISTER_PROJECT = {**WRITE_PROGRAMME, "manager": FORBIDDEN}


def _posted(expected: dict[str, int]) -> dict[str, int]:
    """A successful POST redirects to the object."""
    return {who: REDIRECT if status == OK else status for who, status in expected.items()}


ROUTES = [
    ("home", None, "get", EVERYONE),
    ("search", None, "get", EVERYONE),
    ("portfolio_list", None, "get", EVERYONE),
    ("programme_list", None, "get", EVERYONE),
    ("project_list", None, "get", EVERYONE),
    ("portfolio_detail", "portfolio", "get", READ_OBJECT),
    ("programme_detail", "programme", "get", READ_OBJECT),
    ("theme_detail", "theme", "get", READ_OBJECT),
    ("project_detail", "project", "get", READ_OBJECT),
    (
        "portfolio_create",
        None,
        "get",
        {**dict.fromkeys(EVERYONE, FORBIDDEN), "admin": OK},
    ),
    ("portfolio_edit", "portfolio", "get", WRITE_PORTFOLIO),
    ("programme_create", "portfolio", "get", WRITE_PORTFOLIO),
    ("programme_edit", "programme", "get", WRITE_PROGRAMME),
    ("programme_archive", "programme", "post", _posted(WRITE_PROGRAMME)),
    ("theme_create", "programme", "get", WRITE_PROGRAMME),
    ("theme_edit", "theme", "get", WRITE_PROGRAMME),
    ("project_create", "programme", "get", WRITE_PROGRAMME),
    ("project_create_any", None, "get", {**WRITE_PROGRAMME, "outsider": FORBIDDEN}),
    ("project_edit", "project", "get", WRITE_PROGRAMME),
    ("project_archive", "project", "post", _posted(WRITE_PROGRAMME)),
    ("project_move", "project", "get", ADMINISTER_PROJECT),
]


def _url(org, name: str, kind: str | None) -> str:
    args = [OBJECT_OF[kind](org)] if kind else []
    return reverse(f"portfolio:{name}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("name", "kind", "method", "expected"), ROUTES, ids=[r[0] for r in ROUTES])
def test_each_persona_gets_the_answer_their_role_allows(
    org, persona, client_as, name, kind, method, expected
):
    who, user = persona
    url = _url(org, name, kind)
    response = getattr(client_as(user), method)(url)
    if who == "anonymous":
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected[who], (who, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind"),
    [(name, kind) for name, kind, _m, _e in ROUTES if kind],
)
def test_a_missing_object_answers_404_like_a_hidden_one(org, admin_user, client_as, name, kind):
    url = reverse(f"portfolio:{name}", args=[999999])
    method = "post" if name.endswith("_archive") else "get"
    assert getattr(client_as(admin_user), method)(url).status_code == NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["project_archive", "programme_archive"])
def test_archiving_only_answers_a_post(org, pmo, client_as, name):
    kind = "project" if name.startswith("project") else "programme"
    assert client_as(pmo).get(_url(org, name, kind)).status_code == 405


@pytest.mark.django_db
def test_a_viewer_cannot_post_an_edit(org, viewer, client_as):
    url = reverse("portfolio:project_edit", args=[org.project.pk])
    response = client_as(viewer).post(url, {"name": "Hijack", "version": 1})
    assert response.status_code == FORBIDDEN
    org.project.refresh_from_db()
    assert org.project.name == "Org design"


@pytest.mark.django_db
def test_a_manager_of_one_programme_cannot_edit_a_project_in_another(org, manager, client_as):
    url = reverse("portfolio:project_edit", args=[org.other_project.pk])
    assert client_as(manager).get(url).status_code == NOT_FOUND
