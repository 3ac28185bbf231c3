"""Tests of the REST API under /api/v1/."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

API = "/api/v1"


def api_client(user: Any = None) -> APIClient:
    """Return an API client logged in as `user` by session (anonymous when None).

    A session, not `force_authenticate`, so that each request loads the user afresh, as a
    real request does (roles are cached on the user object for one request).
    """
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response: Any) -> set[int]:
    """The ids in one page of a list answer."""
    return {row["id"] for row in response.json()["results"]}
