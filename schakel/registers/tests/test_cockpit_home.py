"""Which overview is a person's home page: the cockpit for those who steer, else My work."""

from __future__ import annotations

import pytest

from schakel.registers.overview import home_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("admin", "cockpit"),
        ("pmo", "cockpit"),
        ("manager", "cockpit"),
        ("member", "my_work"),
        ("viewer", "my_work"),
        ("outsider", "my_work"),
    ],
    indirect=["persona"],
)
def test_the_home_page_follows_the_strongest_role(persona, home):
    _name, user = persona
    assert home_for(user) == home


def test_a_manager_of_one_project_steers_too(org, member):
    from schakel.accounts.models import Membership, Role

    Membership.objects.create(user=member, project=org.sibling, role=Role.MANAGER)
    assert home_for(member) == "cockpit"
