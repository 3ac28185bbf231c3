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


def _database_use(item: pytest.Item) -> str | None:
    """'commits' for a test that commits (and so empties the tables after it), 'rolls back'
    for one that runs in a rolled-back transaction, None for one without the database."""
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    if (
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    ):
        return "commits"
    if marker is not None or "db" in names:
        return "rolls back"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test file that mixes committing and rolled-back database tests, and give
    every committing test a serialized rollback.

    pytest-django runs committing tests last, because each empties every table when it ends
    (the data the migrations load, such as the risk scale, included). The suite runs with
    `-n 2 --dist loadfile`, which sends whole files to a worker: a mixed file would run its
    committing tests before other files' tests on that worker, which then fail without the
    migrations' data. Put such tests in files of their own.
    """
    uses: dict[str, set[str]] = {}
    for item in items:
        use = _database_use(item)
        if use is not None:
            uses.setdefault(str(item.path), set()).add(use)
        if use == "commits":
            # Every committing test restores the migrations' data before it runs and empties
            # the tables without recreating content types when it ends. Mixing tests with and
            # without this breaks the restore (content types made anew clash with the saved
            # ones), so it is set here for all of them.
            marker = item.get_closest_marker("django_db")
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
            # `make test` runs these in a pass of their own, after all the others.
            item.add_marker(pytest.mark.commits)
    mixed = sorted(path for path, found in uses.items() if len(found) > 1)
    if mixed:
        raise pytest.UsageError(
            "These test files mix tests that commit (transaction=True, live_server) with "
            "tests that roll back; split them or make them all commit: " + ", ".join(mixed)
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a committing test has emptied the tables, load the migrations' data again.

    pytest-django runs committing tests last, but `-n 2 --dist loadfile` hands out whole
    files largest first, so a rolled-back test of another file may well come after one.
    Without this it would find no risk scale, no categories, no content types.
    """
    yield
    if _database_use(item) != "commits" or nextitem is None:
        # With no next item the session's fixtures have just been torn down: the test
        # database is gone and the connection points at the configured database again,
        # which must never be flushed.
        return
    from django.core.management import call_command
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            saved = getattr(connection, "_test_serialized_contents", None)
            if saved:
                # Empty the tables once more first: a live server's thread may have written
                # after the test's own flush (a content type looked up on demand, say), and
                # such a row would clash with the saved one.
                call_command(
                    "flush",
                    verbosity=0,
                    interactive=False,
                    database=connection.alias,
                    inhibit_post_migrate=True,
                )
                connection.creation.deserialize_db_from_string(saved)


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
