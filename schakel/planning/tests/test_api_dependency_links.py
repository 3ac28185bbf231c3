"""The API's side of cross-project links: the same rule as the pages, and the dependency's
`task_link`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.planning import services
from schakel.planning.models import TaskLink
from schakel.planning.tests.dependency_plans import task as _task
from schakel.registers import services as register_services
from schakel.registers.models import Dependency
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_link_to_a_task_the_caller_cannot_see_answers_400_on_the_field(plans, manager):
    hidden = _task(plans.other_project, "Care task")
    build = _task(plans.project, "Build")

    response = api_client(manager).post(
        f"{API}/task-links/", {"predecessor": hidden.pk, "successor": build.pk}, format="json"
    )

    assert response.status_code == 400 and list(response.json()) == ["predecessor"]
    assert not TaskLink.objects.exists() and not Dependency.objects.exists()


def test_a_cross_project_link_answers_with_its_dependency(plans, manager):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)

    response = api_client(manager).post(
        f"{API}/task-links/",
        {"predecessor": design.pk, "successor": build.pk, "type": "SS", "lag": 1},
        format="json",
    )

    assert response.status_code == 201, response.json()
    item = Dependency.objects.get()
    assert response.json()["dependency"] == item.pk
    refused = api_client(manager).patch(
        f"{API}/task-links/{response.json()['id']}/", {"dependency": None}, format="json"
    )
    assert refused.status_code == 400 and "dependency" in refused.json()


def test_the_dependency_shows_its_link_in_the_plan(plans, manager):
    design = _task(plans.project, "Design", 3)
    build = _task(plans.sibling, "Build", 2)
    link = services.link_create(predecessor=design, successor=build, by=manager, lag=2)
    loose = register_services.item_create(
        model=Dependency, scope=plans.project, by=None, title="Loose", other_project=plans.sibling
    )
    client = api_client(manager)

    linked = client.get(f"{API}/dependencies/{link.dependency_id}/").json()
    unlinked = client.get(f"{API}/dependencies/{loose.pk}/").json()

    assert linked["task_link"] == {
        "id": link.pk,
        "predecessor": design.pk,
        "successor": build.pk,
        "type": "FS",
        "lag": 2,
    }
    assert unlinked["task_link"] is None
    refused = client.patch(
        f"{API}/dependencies/{loose.pk}/",
        {"version": unlinked["version"], "task_link": None},
        format="json",
    )
    assert refused.status_code == 400 and "task_link" in refused.json()


def test_the_dependency_list_reads_the_links_in_a_fixed_number_of_queries(plans, manager):
    counts = []
    design = _task(plans.project, "Design", 3)
    for size in (1, 6):
        while Dependency.objects.filter(task_link__isnull=False).count() < size:
            n = Dependency.objects.count()
            services.link_create(
                predecessor=design, successor=_task(plans.sibling, f"Use {n}"), by=manager
            )
        client = api_client(manager)
        client.get(f"{API}/dependencies/")  # warm the content-type cache
        with CaptureQueriesContext(connection) as queries:
            rows = client.get(f"{API}/dependencies/").json()["results"]
        assert len(rows) == size and all(row["task_link"] for row in rows)
        counts.append(len(queries))

    assert counts[0] == counts[1]
