"""Personas and an organisation shared by every test.

`org` is one portfolio with two programmes; the first has a theme and two projects. The
personas hold these roles:

- `admin`: site administrator (superuser), no memberships;
- `pmo`: PMO on the portfolio;
- `manager`: manager on the first programme;
- `member`: member on the first project only;
- `viewer`: viewer on the first project only;
- `outsider`: logged in, no memberships at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from schakel.accounts.models import Membership, Role, User
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.models import Portfolio, Programme, Project, Theme
from schakel.portfolio.tests.factories import (
    PortfolioFactory,
    ProgrammeFactory,
    ProjectFactory,
    ThemeFactory,
)

PASSWORD = "secret-pass-123"
PERSONAS = ("anonymous", "outsider", "viewer", "member", "manager", "pmo", "admin")


@dataclass
class Org:
    portfolio: Portfolio
    programme: Programme
    other_programme: Programme
    theme: Theme
    project: Project
    sibling: Project
    other_project: Project


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    # Printing PDF pages on every approval would slow every reporting test; the tests of
    # the warming switch it on.
    settings.SCHAKEL_WARM_REPORT_PAGES = False


@pytest.fixture
def org(db) -> Org:
    portfolio = PortfolioFactory(name="Change portfolio")
    programme = ProgrammeFactory(portfolio=portfolio, name="Support services")
    other_programme = ProgrammeFactory(portfolio=portfolio, name="Care innovation")
    theme = ThemeFactory(programme=programme, name="Organisation design")
    project = ProjectFactory(programme=programme, theme=theme, key="ODI", name="Org design")
    sibling = ProjectFactory(programme=programme, key="POL", name="Policy")
    other_project = ProjectFactory(programme=other_programme, key="CAR", name="Care app")
    return Org(portfolio, programme, other_programme, theme, project, sibling, other_project)


def _user(username: str, **kwargs) -> User:
    return UserFactory(username=username, password=PASSWORD, **kwargs)


@pytest.fixture
def admin_user(db) -> User:
    return _user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def pmo(org) -> User:
    user = _user("pmo")
    Membership.objects.create(user=user, portfolio=org.portfolio, role=Role.PMO)
    return user


@pytest.fixture
def manager(org) -> User:
    user = _user("manager")
    Membership.objects.create(user=user, programme=org.programme, role=Role.MANAGER)
    return user


@pytest.fixture
def member(org) -> User:
    user = _user("member")
    Membership.objects.create(user=user, project=org.project, role=Role.MEMBER)
    return user


@pytest.fixture
def viewer(org) -> User:
    user = _user("viewer")
    Membership.objects.create(user=user, project=org.project, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(db) -> User:
    return _user("outsider")


@pytest.fixture
def persona(request, org):
    """Return (name, user or None) for each persona; parametrize with `indirect=True`."""
    name = request.param
    if name == "anonymous":
        return name, None
    fixture = {"admin": "admin_user"}.get(name, name)
    return name, request.getfixturevalue(fixture)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_as():
    """Return a function that gives a test client logged in as a user (or anonymous)."""
    return client_for
