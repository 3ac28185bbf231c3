"""The risk scale and categories are readable configuration, in both languages."""

from __future__ import annotations

import pytest

from schakel.registers.models import RiskCategory
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_the_default_scale_has_five_levels_per_axis_with_both_labels(org, member):
    response = api_client(member).get(f"{API}/risk-scale/")
    assert response.status_code == 200
    levels = response.json()
    assert [(level["axis"], level["value"]) for level in levels] == [
        *(("impact", v) for v in range(1, 6)),
        *(("probability", v) for v in range(1, 6)),
    ]
    assert all(level["label_en"] and level["label_nl"] for level in levels)
    assert all(level["label"] == level["label_en"] for level in levels)


def test_labels_follow_the_callers_language(org, member):
    client = api_client(member)
    levels = client.get(f"{API}/risk-scale/", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert all(level["label"] == level["label_nl"] for level in levels)


def test_categories_are_listed_in_their_order_with_their_state(org, outsider):
    RiskCategory.objects.create(
        name_en="Zzz retired", name_nl="Zzz oud", active=False, position=999
    )
    response = api_client(outsider).get(f"{API}/risk-categories/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == RiskCategory.objects.count()
    assert rows[-1] == {
        "id": rows[-1]["id"],
        "name": "Zzz retired",
        "name_en": "Zzz retired",
        "name_nl": "Zzz oud",
        "position": 999,
        "active": False,
    }


def test_configuration_is_read_only(org, pmo):
    client = api_client(pmo)
    assert client.post(f"{API}/risk-categories/", {"name_en": "X"}).status_code == 405
    assert client.post(f"{API}/risk-scale/", {"axis": "impact"}).status_code == 405


def test_anonymous_callers_must_authenticate_for_configuration(org):
    assert api_client().get(f"{API}/risk-scale/").status_code == 401
