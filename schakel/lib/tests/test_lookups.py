"""`__any_of`: membership in a list of ids, like `__in`, as one array on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from schakel.portfolio.models import Project

pytestmark = pytest.mark.django_db


def keys(queryset) -> list[str]:
    return sorted(queryset.values_list("key", flat=True))


def test_any_of_matches_what_in_matches(org):
    ids = [org.project.pk, org.other_project.pk, 10**9]
    assert keys(Project.objects.filter(pk__any_of=ids)) == ["CAR", "ODI"]
    assert keys(Project.objects.filter(pk__any_of=ids)) == keys(Project.objects.filter(pk__in=ids))


def test_any_of_works_on_a_relation_and_takes_sets(org):
    found = Project.objects.filter(programme_id__any_of={org.programme.pk})
    assert keys(found) == ["ODI", "POL"]
    assert keys(Project.objects.filter(programme__any_of=frozenset([org.other_programme.pk]))) == [
        "CAR"
    ]


def test_an_empty_list_matches_nothing_and_leaves_an_or_to_its_other_side(org):
    assert list(Project.objects.filter(pk__any_of=[])) == []
    assert Project.objects.filter(pk__any_of=[]).count() == 0
    either = Project.objects.filter(Q(pk__any_of=[]) | Q(key="POL"))
    assert keys(either) == ["POL"]


def test_any_of_accepts_only_integers(org):
    with pytest.raises(ValueError):
        list(Project.objects.filter(pk__any_of=["1; DROP TABLE portfolio_project"]))


def test_on_postgresql_the_list_is_one_parameter(org):
    ids = [*range(10**6, 10**6 + 400), org.project.pk]
    with CaptureQueriesContext(connection) as queries:
        assert keys(Project.objects.filter(pk__any_of=ids)) == ["ODI"]
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY('{" in sql  # one array literal, not 401 parameters
    else:
        assert " IN (" in sql
