"""The browsable API (HTML) renders every endpoint, forms included, without errors."""

from __future__ import annotations

import pytest

from tests.api import API, api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin_user", "manager"])
def test_every_endpoint_renders_as_html(request, org, pmo, who):
    client = api_client(request.getfixturevalue(who))
    membership = pmo.memberships.get()
    paths = [
        "",
        "portfolios/",
        f"portfolios/{org.portfolio.pk}/",
        "programmes/",
        f"programmes/{org.programme.pk}/",
        "themes/",
        f"themes/{org.theme.pk}/",
        "projects/",
        f"projects/{org.project.pk}/",
        "memberships/",
        f"memberships/{membership.pk}/",
        "users/",
        "users/me/",
        "tokens/",
    ]
    for path in paths:
        response = client.get(f"{API}/{path}", HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html"), path
