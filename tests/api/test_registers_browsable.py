"""The registers' endpoints render in the browsable API (HTML), forms included."""

from __future__ import annotations

import pytest

from schakel.registers import services
from schakel.registers.models import Assumption, Dependency
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin_user", "manager", "viewer"])
def test_every_register_endpoint_renders_as_html(request, org, pmo, who):
    risk = factories.risk(org.project, pmo)
    items = {
        "risks": risk,
        "issues": factories.issue(org.project, pmo),
        "assumptions": services.item_create(
            model=Assumption, scope=org.project, by=pmo, title="Holds"
        ),
        "dependencies": services.item_create(
            model=Dependency, scope=org.project, by=pmo, title="Needs", other_project=org.sibling
        ),
        "actions": services.item_create(
            model=factories.Action, scope=org.project, by=pmo, title="Act", source=risk
        ),
        "decisions": factories.decision(org.project, pmo),
    }
    client = api_client(request.getfixturevalue(who))
    paths = ["risk-scale/", "risk-categories/"]
    for slug, item in items.items():
        paths += [
            f"{slug}/",
            f"{slug}/{item.pk}/",
            f"{slug}/{item.pk}/comments/",
            f"{slug}/{item.pk}/links/",
        ]
    for path in paths:
        response = client.get(f"{API}/{path}", HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html"), path
