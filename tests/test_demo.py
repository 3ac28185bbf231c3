"""`schakel demo`: the demo organisation, deterministic by seed, safe to run twice."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from schakel.accounts.models import Membership, Role, User
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import access
from schakel.portfolio.demo import DEMO_PORTFOLIO, build_demo
from schakel.portfolio.models import Portfolio, Programme, Project, Theme

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = date(2026, 3, 2)
PERSONAS = ["admin", "pmo", "manager", "member", "viewer", "outsider"]


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # pytest-django runs tests with DEBUG off; the demo is a development tool.
    settings.DEBUG = True


def run_demo(*args: str, **options) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, **options)
    return out.getvalue()


def rows(queryset, *fields) -> list[tuple[str, ...]]:
    return sorted(tuple(str(value) for value in row) for row in queryset.values_list(*fields))


def fingerprint() -> dict[str, list[tuple[str, ...]]]:
    """Everything the demo makes, by natural keys (primary keys differ between databases)."""
    return {
        "users": rows(User.objects, "username", "first_name", "last_name", "is_superuser"),
        "programmes": rows(
            Programme.all_objects,
            "name",
            "manager__username",
            "sponsor__username",
            "start_date",
            "end_date",
        ),
        "themes": rows(Theme.all_objects, "programme__name", "name", "position"),
        "projects": rows(
            Project.all_objects,
            "key",
            "name",
            "description",
            "programme__name",
            "theme__name",
            "manager__username",
            "sponsor__username",
            "phase",
            "state",
            "start_date",
            "end_date",
        ),
        "archived": rows(Project.all_objects.archived(), "key"),
        "tags": rows(Project.tags.through.objects, "project__key", "tag__name"),
        "memberships": rows(
            Membership.objects,
            "user__username",
            "role",
            "portfolio__name",
            "programme__name",
            "project__key",
        ),
    }


def fingerprint_of_fresh_build(**options) -> dict[str, list[tuple[str, ...]]]:
    """Build the demo in an empty database and roll it back afterwards."""
    assert not User.objects.exists()
    with transaction.atomic():
        build_demo(today=ANCHOR, log=lambda line: None, **options)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


def test_it_creates_the_personas_the_portfolio_and_two_programmes():
    output = run_demo()

    assert set(PERSONAS) <= set(User.objects.values_list("username", flat=True))
    assert User.objects.count() >= 6 + 12
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    portfolio = Portfolio.objects.get(name=DEMO_PORTFOLIO)
    programmes = list(portfolio.programmes.order_by("name").values_list("name", flat=True))
    assert programmes == ["Inrichting PMO", "Veranderprogramma ondersteunende diensten"]
    change = portfolio.programmes.get(name__startswith="Veranderprogramma")
    assert list(change.themes.values_list("name", flat=True)) == [
        "Organisatieontwerp",
        "Beleid",
        "Organisatieprocessen",
        "Quick wins",
    ]
    assert 8 <= change.projects.count() <= 10
    assert Project.objects.filter(programme__name="Inrichting PMO").count() == 4
    assert Project.objects.archived().count() == 1
    for username in PERSONAS:
        assert username in output


def test_every_demo_project_passes_validation():
    run_demo()

    for project in Project.all_objects.all():
        project.full_clean()
        assert project.manager is not None and project.sponsor is not None
        assert project.description and project.tags.exists()


def test_the_personas_hold_the_roles_their_names_say():
    run_demo()
    role = {
        username: set(
            Membership.objects.filter(user__username=username).values_list(
                "role", "portfolio__name", "programme__name", "project__key"
            )
        )
        for username in PERSONAS
    }

    assert role["admin"] == set()
    assert role["pmo"] == {(Role.PMO, DEMO_PORTFOLIO, None, None)}
    assert role["manager"] == {
        (Role.MANAGER, None, "Veranderprogramma ondersteunende diensten", None)
    }
    assert role["member"] == {(Role.MEMBER, None, None, "ODI"), (Role.MEMBER, None, None, "PTP")}
    assert role["viewer"] == {(Role.VIEWER, None, "Inrichting PMO", None)}
    assert role["outsider"] == set()


def test_the_outsider_sees_no_project_and_the_others_see_their_share():
    run_demo()
    seen = {
        username: set(
            access.visible_projects(User.objects.get(username=username)).values_list(
                "key", flat=True
            )
        )
        for username in PERSONAS
    }

    assert seen["outsider"] == set()
    assert seen["member"] == {"ODI", "PTP"}
    assert seen["viewer"] == {"KDS", "CAP", "URP", "OPL"}
    assert "ODI" in seen["manager"] and "KDS" not in seen["manager"]
    assert seen["pmo"] == seen["admin"] == set(Project.objects.values_list("key", flat=True))


def test_the_same_seed_gives_the_same_organisation_in_two_fresh_databases():
    first = fingerprint_of_fresh_build(size="M", seed=7)
    second = fingerprint_of_fresh_build(size="M", seed=7)

    assert first == second
    assert len(first["projects"]) >= 40


def test_another_seed_gives_another_organisation():
    assert fingerprint_of_fresh_build(size="M", seed=1) != fingerprint_of_fresh_build(
        size="M", seed=2
    )


def test_once_creates_nothing_the_second_time():
    run_demo("--once")
    counts = (User.objects.count(), Project.all_objects.count(), Membership.objects.count())

    output = run_demo("--once")

    assert "already loaded" in output
    assert (User.objects.count(), Project.all_objects.count(), Membership.objects.count()) == counts


def test_once_leaves_a_renamed_demo_portfolio_alone():
    run_demo()
    Portfolio.objects.filter(name=DEMO_PORTFOLIO).update(name="Our portfolio")

    output = run_demo("--once")

    assert "already loaded" in output
    assert Portfolio.objects.count() == 1


def test_once_only_warns_when_accounts_of_the_site_are_in_the_way():
    UserFactory(username="admin", email="admin@example.org")
    err = io.StringIO()

    call_command("demo", "--once", stdout=io.StringIO(), stderr=err)

    assert "admin" in err.getvalue()
    assert not Portfolio.all_objects.exists()


def test_a_second_run_without_once_or_reset_refuses():
    run_demo()

    with pytest.raises(CommandError, match="already loaded"):
        run_demo()


def test_reset_loads_afresh_and_leaves_real_accounts_alone():
    real = UserFactory(username="real.person", email="real.person@example.org")
    run_demo()
    Project.objects.filter(key="ODI").update(name="Changed by hand")

    run_demo("--reset")

    assert Project.objects.get(key="ODI").name == "Organisatieontwerp ondersteunende diensten"
    assert Portfolio.all_objects.filter(name=DEMO_PORTFOLIO).count() == 1
    assert User.objects.filter(pk=real.pk).exists()


def test_it_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match=r"DEBUG is off.*--force"):
        run_demo()
    assert not User.objects.exists()

    run_demo("--force")
    assert Portfolio.objects.filter(name=DEMO_PORTFOLIO).exists()


def test_it_refuses_to_take_over_existing_accounts():
    UserFactory(username="pmo", email="someone@example.org")

    with pytest.raises(CommandError, match="pmo"):
        run_demo()
    assert not Portfolio.all_objects.filter(name=DEMO_PORTFOLIO).exists()


def test_the_password_honours_the_setting(settings):
    settings.SCHAKEL_DEMO_PASSWORD = "another-demo-pass"

    output = run_demo()

    for username in PERSONAS:
        assert User.objects.get(username=username).check_password("another-demo-pass")
    # A chosen password stays out of the terminal.
    assert "another-demo-pass" not in output


def test_the_default_password_is_demo_and_is_printed():
    output = run_demo()

    assert User.objects.get(username="member").check_password("demo")
    assert "password: demo" in output


def test_the_setting_reads_schakel_demo_password_from_the_environment(tmp_path):
    env = {**os.environ, "SCHAKEL_VAR_DIR": str(tmp_path), "SCHAKEL_DEMO_PASSWORD": "from-env"}
    code = "import django; django.setup(); from django.conf import settings; " + (
        "print(settings.SCHAKEL_DEMO_PASSWORD)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip() == "from-env", result.stderr


def test_size_m_generates_about_fifty_projects_and_sixty_people():
    output = run_demo("--size", "m")

    assert 45 <= Project.all_objects.count() <= 55
    assert 55 <= User.objects.count() <= 65
    assert Programme.objects.count() == 4
    assert "s\n" in output and "projects (" in output  # timings per step
    for project in Project.all_objects.all():
        project.full_clean()


def test_size_l_generates_ten_programmes_and_gives_everyone_a_role():
    # The full size L takes seconds; a scaled-down run goes through the same code.
    run_demo("--size", "L", "--scale", "0.05")

    assert Programme.objects.count() == 10
    assert Project.all_objects.count() > 13 + 20
    # Everyone but the outsider and the site administrator holds a role.
    others = User.objects.exclude(username__in=["outsider", "admin"])
    assert not others.filter(memberships__isnull=True).exists()
    # Bulk-made rows carry a "created" history row like hand-made ones.
    project = Project.objects.filter(key__startswith="DZ").first()
    assert project.history.filter(history_type="+").count() == 1
