"""Every route, every persona: the expected answer to a GET, declared in one table.

The table must name every route of the URLconf (Django's admin aside, which guards itself):
a new route that is not added here fails the suite, so nothing ships unchecked. Objects
belong to the `org` fixture; `viewer` and `member` hold roles on project ODI only, so for
them another project's URLs must answer 404 exactly like a missing one.

Columns: anonymous, outsider, viewer, member, manager, pmo, admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, client_for
from schakel.accounts.models import Membership
from schakel.accounts.services import token_create
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services

LOGIN = 302  # pages send anonymous visitors to the login page
API_ANON = 401  # the API asks anonymous callers to authenticate (token auth first)


@dataclass
class Route:
    kwargs: Callable[[Any], dict[str, Any]]
    expect: tuple[int, int, int, int, int, int, int]


def none(ctx: Any) -> dict[str, Any]:
    return {}


def project(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.project.pk}


def other_project(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.other_project.pk}


def programme(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.programme.pk}


def portfolio(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.portfolio.pk}


def theme(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.theme.pk}


def membership(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.membership.pk}


def foreign_token(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.token.pk}


def trashed(ctx: Any) -> dict[str, Any]:
    return {"kind": "project", "pk": ctx.trashed.pk}


def reset_link(ctx: Any) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}


def user(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.member.pk}


def _register_item(ctx: Any, kind: str) -> Any:
    """An item of one register in project ODI, made once per test (for the item routes)."""
    from schakel.registers import services as register_services
    from schakel.registers.access import model_for_kind

    made = ctx.__dict__.setdefault("register_items", {})
    if kind not in made:
        fields: dict[str, Any] = {"title": f"A {kind}"}
        if kind == "risk":
            fields.update(probability=3, impact=3)
        if kind == "dependency":
            fields.update(other_project=ctx.org.sibling)
        made[kind] = register_services.item_create(
            model=model_for_kind(kind), scope=ctx.org.project, by=None, **fields
        )
    return made[kind]


def item_risk(ctx: Any) -> dict[str, Any]:
    return {"kind": "risk", "pk": _register_item(ctx, "risk").pk}


def item_assumption(ctx: Any) -> dict[str, Any]:
    return {"kind": "assumption", "pk": _register_item(ctx, "assumption").pk}


def item_link(ctx: Any) -> dict[str, Any]:
    action = _register_item(ctx, "action")
    return {**item_risk(ctx), "other_kind": "action", "other_pk": action.pk}


def api_item(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The API's URL arguments for an item of one register in ODI."""

    def kwargs(ctx: Any) -> dict[str, Any]:
        return {"pk": _register_item(ctx, kind).pk}

    return kwargs


def new_project_risk(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.project.pk, "register": "risks"}


def new_programme_risk(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.programme.pk, "register": "risks"}


def register_list(scope: str) -> Callable[[Any], dict[str, Any]]:
    """URL arguments of the risk list at a scope of `org` ("project", "programme", ...)."""

    def kwargs(ctx: Any) -> dict[str, Any]:
        return {"pk": getattr(ctx.org, scope).pk, "register": "risks"}

    return kwargs


def register_export(scope: str) -> Callable[[Any], dict[str, Any]]:
    """URL arguments of the risk list's XLSX export at a scope of `org`."""

    def kwargs(ctx: Any) -> dict[str, Any]:
        return {**register_list(scope)(ctx), "fmt": "xlsx"}

    return kwargs


def all_risks(ctx: Any) -> dict[str, Any]:
    return {"register": "risks"}


def all_risks_export(ctx: Any) -> dict[str, Any]:
    return {"register": "risks", "fmt": "csv"}


def import_job(ctx: Any) -> dict[str, Any]:
    """An import job of the member in ODI: only its owner sees it."""
    from schakel.registers.models_import import ImportJob

    job = ImportJob.objects.create(
        user=ctx.member,
        project=ctx.org.project,
        kind="action",
        original_name="actions.csv",
        stored_name=ImportJob.new_stored_name(),
    )
    return {"pk": job.pk}


#                   anon       outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    # Site
    "healthz": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "set_language": Route(none, (405, 405, 405, 405, 405, 405, 405)),
    "javascript-catalog": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    # Accounts
    "accounts:login": Route(none, (200, 302, 302, 302, 302, 302, 302)),
    "accounts:logout": Route(none, (405, 405, 405, 405, 405, 405, 405)),
    "accounts:password_change": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "accounts:password_change_done": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_done": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_confirm": Route(reset_link, (200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_complete": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "accounts:profile": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "accounts:token_create": Route(none, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "accounts:token_revoke": Route(foreign_token, (LOGIN, 405, 405, 405, 405, 405, 405)),
    # Overview and search
    "portfolio:home": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "registers:home": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "portfolio:search": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    # Portfolios
    "portfolio:portfolio_list": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "portfolio:portfolio_create": Route(none, (LOGIN, 403, 403, 403, 403, 403, 200)),
    "portfolio:portfolio_detail": Route(portfolio, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:portfolio_edit": Route(portfolio, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:portfolio_delete": Route(portfolio, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:portfolio_history": Route(portfolio, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:portfolio_members": Route(portfolio, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:programme_create": Route(portfolio, (LOGIN, 404, 403, 403, 403, 200, 200)),
    # Programmes
    "portfolio:programme_list": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "portfolio:programme_detail": Route(programme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:programme_edit": Route(programme, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "portfolio:programme_archive": Route(programme, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "portfolio:programme_delete": Route(programme, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:programme_history": Route(programme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:programme_members": Route(programme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:theme_create": Route(programme, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "portfolio:project_create": Route(programme, (LOGIN, 404, 403, 403, 200, 200, 200)),
    # Themes (viewer and member see the programme through their project)
    "portfolio:theme_detail": Route(theme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:theme_edit": Route(theme, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "portfolio:theme_delete": Route(theme, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:theme_history": Route(theme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    # Projects
    "portfolio:project_list": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "portfolio:project_create_any": Route(none, (LOGIN, 403, 403, 403, 200, 200, 200)),
    "portfolio:project_detail": Route(project, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:project_edit": Route(project, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "portfolio:project_archive": Route(project, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "portfolio:project_move": Route(project, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:project_delete": Route(project, (LOGIN, 404, 403, 403, 403, 200, 200)),
    "portfolio:project_history": Route(project, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:project_members": Route(project, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "portfolio:membership_edit": Route(membership, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "portfolio:membership_remove": Route(membership, (LOGIN, 405, 405, 405, 405, 405, 405)),
    # Trash
    "portfolio:trash": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "portfolio:trash_restore": Route(trashed, (LOGIN, 405, 405, 405, 405, 405, 405)),
    # Registers: overviews (members see the programme and portfolio maps of their project)
    "registers:my_work": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "registers:cockpit": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "registers:project_heatmap": Route(project, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "registers:programme_heatmap": Route(programme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "registers:portfolio_heatmap": Route(portfolio, (LOGIN, 404, 200, 200, 200, 200, 200)),
    # Registers: one item (created in ODI; programme-level items for the programme's people)
    "registers:project_item_create": Route(new_project_risk, (LOGIN, 404, 403, 200, 200, 200, 200)),
    "registers:programme_item_create": Route(
        new_programme_risk, (LOGIN, 404, 403, 403, 200, 200, 200)
    ),
    "registers:item_detail": Route(item_risk, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "registers:item_edit": Route(item_risk, (LOGIN, 404, 403, 200, 200, 200, 200)),
    "registers:item_inline": Route(item_risk, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:item_delete": Route(item_risk, (LOGIN, 404, 403, 403, 200, 200, 200)),
    "registers:item_history": Route(item_risk, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "registers:comment_add": Route(item_risk, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:link_add": Route(item_risk, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:link_remove": Route(item_link, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:risk_occurred": Route(item_risk, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:assumption_invalidate": Route(
        item_assumption, (LOGIN, 405, 405, 405, 405, 405, 405)
    ),
    # Registers: lists at every level, their exports and bulk changes
    "registers:all_list": Route(all_risks, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "registers:all_export": Route(all_risks_export, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "registers:bulk": Route(all_risks, (LOGIN, 405, 405, 405, 405, 405, 405)),
    "registers:project_list": Route(
        register_list("project"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    "registers:project_export": Route(
        register_export("project"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    "registers:programme_list": Route(
        register_list("programme"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    "registers:programme_export": Route(
        register_export("programme"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    "registers:portfolio_list": Route(
        register_list("portfolio"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    "registers:portfolio_export": Route(
        register_export("portfolio"), (LOGIN, 404, 200, 200, 200, 200, 200)
    ),
    # Import from Excel and CSV (a job is seen by its owner, the member, only)
    "registers:import_start": Route(project, (LOGIN, 404, 403, 200, 200, 200, 200)),
    "registers:import_review": Route(import_job, (LOGIN, 404, 404, 200, 404, 404, 404)),
    "registers:import_commit": Route(import_job, (LOGIN, 405, 405, 405, 405, 405, 405)),
    # API
    "api-root": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "api-schema": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "api-docs": Route(none, (200, 200, 200, 200, 200, 200, 200)),
    "user-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "user-me": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "user-detail": Route(user, (API_ANON, 404, 200, 200, 200, 200, 200)),
    "token-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "token-detail": Route(foreign_token, (API_ANON, 404, 404, 404, 404, 404, 404)),
    "token-revoke": Route(foreign_token, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "portfolio-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "portfolio-detail": Route(portfolio, (API_ANON, 404, 200, 200, 200, 200, 200)),
    "programme-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "programme-detail": Route(programme, (API_ANON, 404, 200, 200, 200, 200, 200)),
    "programme-archive": Route(programme, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "programme-unarchive": Route(programme, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "theme-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "theme-detail": Route(theme, (API_ANON, 404, 200, 200, 200, 200, 200)),
    "project-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "project-detail": Route(project, (API_ANON, 404, 200, 200, 200, 200, 200)),
    "project-archive": Route(project, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "project-unarchive": Route(project, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "project-move": Route(project, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "membership-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "membership-detail": Route(membership, (API_ANON, 404, 200, 200, 200, 200, 200)),
    # API of the registers: one item of each register in ODI
    "risk-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "risk-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "risk-detail": Route(api_item("risk"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "risk-comments": Route(api_item("risk"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "risk-links": Route(api_item("risk"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "issue-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "issue-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "issue-detail": Route(api_item("issue"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "issue-comments": Route(api_item("issue"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "issue-links": Route(api_item("issue"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "assumption-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "assumption-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "assumption-detail": Route(api_item("assumption"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "assumption-comments": Route(api_item("assumption"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "assumption-links": Route(api_item("assumption"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "dependency-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "dependency-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "dependency-detail": Route(api_item("dependency"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "dependency-comments": Route(api_item("dependency"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "dependency-links": Route(api_item("dependency"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "action-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "action-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "action-detail": Route(api_item("action"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "action-comments": Route(api_item("action"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "action-links": Route(api_item("action"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "decision-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "decision-bulk": Route(none, (API_ANON, 405, 405, 405, 405, 405, 405)),
    "decision-detail": Route(api_item("decision"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "decision-comments": Route(api_item("decision"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "decision-links": Route(api_item("decision"), (API_ANON, 404, 200, 200, 200, 200, 200)),
    "risk-occurred": Route(api_item("risk"), (API_ANON, 405, 405, 405, 405, 405, 405)),
    "assumption-invalidate": Route(
        api_item("assumption"), (API_ANON, 405, 405, 405, 405, 405, 405)
    ),
    "risk-scale-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
    "risk-category-list": Route(none, (API_ANON, 200, 200, 200, 200, 200, 200)),
}


def _merge_area_tables() -> None:
    """Add the route tables of the areas in `tests/routes/` (see its docstring)."""
    import importlib
    import pkgutil

    import tests.routes as areas

    for info in pkgutil.iter_modules(areas.__path__):
        module = importlib.import_module(f"tests.routes.{info.name}")
        for name, route in getattr(module, "ROUTES", {}).items():
            assert name not in ROUTES, f"{name} is declared twice"
            ROUTES[name] = route


_merge_area_tables()

# A project of another programme: only the programme's and portfolio's people see it.
HIDDEN_PROJECT_ROUTES = {
    "portfolio:project_detail": (LOGIN, 404, 404, 404, 404, 200, 200),
    "portfolio:project_edit": (LOGIN, 404, 404, 404, 404, 200, 200),
    "portfolio:project_history": (LOGIN, 404, 404, 404, 404, 200, 200),
    "portfolio:project_members": (LOGIN, 404, 404, 404, 404, 200, 200),
    "portfolio:project_delete": (LOGIN, 404, 404, 404, 404, 200, 200),
    "portfolio:project_move": (LOGIN, 404, 404, 404, 404, 200, 200),
    "project-detail": (API_ANON, 404, 404, 404, 404, 200, 200),
    "registers:project_heatmap": (LOGIN, 404, 404, 404, 404, 200, 200),
    "registers:import_start": (LOGIN, 404, 404, 404, 404, 200, 200),
}


def route_names() -> Iterator[str]:
    """Yield the name of every route in the URLconf, Django's admin aside."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise AssertionError(f"Every route needs a name: {pattern.pattern}")
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    yield from dict.fromkeys(walk(get_resolver().url_patterns, None))


def test_every_route_is_in_the_table():
    missing = [name for name in route_names() if name not in ROUTES]
    assert missing == [], f"Add these routes to ROUTES with the expected answers: {missing}"


def test_the_table_names_no_route_that_is_gone():
    assert set(ROUTES) - set(route_names()) == set()


@dataclass
class Context:
    org: Any
    member: Any
    membership: Membership
    token: Any
    trashed: Any


@pytest.fixture
def ctx(org, request):
    people = {
        name: request.getfixturevalue({"admin": "admin_user"}.get(name, name))
        for name in PERSONAS
        if name != "anonymous"
    }
    owner = UserFactory(username="token-owner")
    token, _key = token_create(user=owner, name="Owner's key")
    trashed = services.project_create(
        programme=org.programme, key="OLD", name="Old project", by=people["admin"]
    )
    services.trash(obj=trashed, by=people["admin"])
    membership = Membership.objects.get(user=people["member"], project=org.project)
    context = Context(org, people["member"], membership, token, trashed)
    return context, people


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_persona_gets_the_declared_answer(name, ctx):
    context, people = ctx
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(context))
    got = {}
    for persona in PERSONAS:
        client = client_for(people.get(persona))
        got[persona] = client.get(url).status_code
    assert got == dict(zip(PERSONAS, route.expect, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HIDDEN_PROJECT_ROUTES))
def test_a_project_of_another_programme_answers_404_to_those_without_a_role(name, ctx):
    context, people = ctx
    url = reverse(name, kwargs=other_project(context))
    got = {p: client_for(people.get(p)).get(url).status_code for p in PERSONAS}
    assert got == dict(zip(PERSONAS, HIDDEN_PROJECT_ROUTES[name], strict=True))


# Writes: an outsider's POST to any object route answers 404 and a viewer's 403, and
# neither changes anything (the database snapshot is compared before and after).
WRITE_ROUTES = {
    "portfolio:portfolio_edit": portfolio,
    "portfolio:portfolio_delete": portfolio,
    "portfolio:programme_create": portfolio,
    "portfolio:programme_edit": programme,
    "portfolio:programme_archive": programme,
    "portfolio:programme_delete": programme,
    "portfolio:theme_create": programme,
    "portfolio:project_create": programme,
    "portfolio:theme_edit": theme,
    "portfolio:theme_delete": theme,
    "portfolio:project_edit": project,
    "portfolio:project_archive": project,
    "portfolio:project_move": project,
    "portfolio:project_delete": project,
    "portfolio:project_members": project,
    "portfolio:membership_edit": membership,
    "portfolio:membership_remove": membership,
    "registers:project_item_create": new_project_risk,
    "registers:programme_item_create": new_programme_risk,
    "registers:item_edit": item_risk,
    "registers:item_inline": item_risk,
    "registers:item_delete": item_risk,
    "registers:comment_add": item_risk,
    "registers:link_add": item_risk,
    "registers:link_remove": item_link,
    "registers:risk_occurred": item_risk,
    "registers:assumption_invalidate": item_assumption,
    "registers:import_start": project,
    "registers:project_list": register_list("project"),
    "registers:programme_list": register_list("programme"),
    "risk-occurred": api_item("risk"),
    "assumption-invalidate": api_item("assumption"),
    "risk-comments": api_item("risk"),
    "risk-links": api_item("risk"),
}


def _merge_area_write_tables() -> None:
    import importlib
    import pkgutil

    import tests.routes as areas

    for info in pkgutil.iter_modules(areas.__path__):
        module = importlib.import_module(f"tests.routes.{info.name}")
        for name, kwargs in getattr(module, "WRITE_ROUTES", {}).items():
            assert name not in WRITE_ROUTES, f"{name} is declared twice"
            WRITE_ROUTES[name] = kwargs


_merge_area_write_tables()


def snapshot() -> list[tuple[Any, ...]]:
    from schakel.portfolio.models import Portfolio, Programme, Project, Theme

    rows: list[tuple[Any, ...]] = []
    for model in (Portfolio, Programme, Theme, Project):
        rows += list(model.all_objects.order_by("pk").values_list("pk", "version", "deleted_at"))
    rows += list(Membership.objects.order_by("pk").values_list("pk", "role", "user_id"))
    from schakel.registers.models import REGISTER_MODELS, Comment, Link

    for register_model in REGISTER_MODELS:
        rows += list(
            register_model.all_objects.order_by("pk").values_list("pk", "version", "deleted_at")
        )
    rows += list(Comment.objects.order_by("pk").values_list("pk", "body"))
    rows += list(Link.objects.order_by("pk").values_list("pk", "from_id", "to_id"))
    from schakel.accounts.models import FeedToken
    from schakel.meetings import models as meetings

    for versioned in (meetings.MeetingSeries, meetings.Meeting):
        rows += list(
            versioned.all_objects.order_by("pk").values_list(
                "pk", "version", "deleted_at", "status" if versioned is meetings.Meeting else "pk"
            )
        )
    rows += list(
        meetings.AgendaItem.objects.order_by("pk").values_list("pk", "version", "position")
    )
    rows += list(meetings.AgendaLink.objects.order_by("pk").values_list("pk", "item_id"))
    rows += list(meetings.Attendance.objects.order_by("pk").values_list("pk", "status"))
    rows += list(meetings.Outcome.objects.order_by("pk").values_list("pk", "item_id"))
    rows += list(meetings.MinutesVersion.objects.order_by("pk").values_list("pk", "number"))
    rows += list(meetings.EventSession.objects.order_by("pk").values_list("pk", "title"))
    rows += list(meetings.Registration.objects.order_by("pk").values_list("pk", "user_id"))
    rows += list(FeedToken.objects.order_by("pk").values_list("pk", "revoked_at"))
    from schakel.reporting import models as reporting

    rows += list(
        reporting.ReportingCycle.all_objects.order_by("pk").values_list(
            "pk", "version", "deleted_at"
        )
    )
    rows += list(
        reporting.StatusReport.objects.order_by("pk").values_list("pk", "version", "status")
    )
    rows += list(
        reporting.DimensionRating.objects.order_by("pk").values_list("pk", "rag", "reason")
    )
    rows += list(reporting.ReminderLog.objects.order_by("pk").values_list("pk", "kind"))
    rows += list(
        reporting.PeriodNote.objects.order_by("pk").values_list("pk", "version", "key_messages")
    )
    from schakel.planning import models as planning

    rows += list(
        planning.ProjectPlan.objects.order_by("pk").values_list(
            "pk", "version", "start", "weekdays", "holidays", "status_date"
        )
    )
    rows += list(
        planning.CalendarException.objects.order_by("pk").values_list("pk", "day", "working")
    )
    rows += list(
        planning.Task.objects.order_by("pk").values_list(
            "pk", "version", "parent_id", "order", "name", "duration", "start", "finish"
        )
    )
    rows += list(planning.TaskLink.objects.order_by("pk").values_list("pk", "type", "lag"))
    rows += list(planning.Baseline.objects.order_by("pk").values_list("pk", "name"))
    rows += list(planning.BaselineTask.objects.order_by("pk").values_list("pk", "start"))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WRITE_ROUTES))
def test_writes_by_outsiders_and_viewers_are_refused_and_change_nothing(name, ctx):
    context, people = ctx
    url = reverse(name, kwargs=WRITE_ROUTES[name](context))
    payload = {
        "name": "Hijacked",
        "key": "HIJ",
        "role": "pmo",
        "user": people["outsider"].pk,
        "archived": "1",
        "version": "1",
        "programme": context.org.other_programme.pk,
    }
    before = snapshot()
    outsider = client_for(people["outsider"]).post(url, payload)
    viewer = client_for(people["viewer"]).post(url, payload)
    assert (outsider.status_code, viewer.status_code) == (404, 403)
    assert snapshot() == before
