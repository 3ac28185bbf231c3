"""An export of ours imports again: the same items anew, or (by reference code) updated."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from schakel.core.exports.tabular import Column, Sheet, to_xlsx
from schakel.registers.models import Action, Decision, Dependency, Issue, Risk

from . import factories
from .test_import_support import commit, last_job, messages_of, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def export(client, project, slug, fmt):
    response = client.get(reverse("registers:project_export", args=[project.pk, slug, fmt]))
    assert response.status_code == 200
    return response.content


def content(item, fields):
    values = {name: getattr(item, name) for name in fields}
    values["tags"] = sorted(t.name for t in item.tags.all())
    return values


def reimport(client, project, data, *, fmt, register, update=False):
    upload(client, project, data, name=f"export.{fmt}", register=register, update=update)
    job = last_job()
    mapping = job.sheet_mappings()[0]["columns"]
    assert None not in mapping, mapping  # every column of our export is recognised
    assert messages_of(job) == []
    commit(client, job)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


ACTION_FIELDS = ("title", "owner", "due", "priority", "status", "description")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_re_importing_an_action_export_creates_the_same_actions_again(
    client_as, org, manager, fmt, language
):
    risk = factories.risk(org.project, manager)
    originals = [
        factories.action(
            org.project,
            manager,
            title="=HYPERLINK(evil)",
            owner=manager,
            due=datetime.date(2026, 3, 1),
            priority="high",
            description="Line one\nLine two",
            tags=[],
            source=risk,
        ),
        factories.action(org.project, manager, title="Sign; then file", status="done"),
    ]
    originals[0].tags.set(services_tags("IT", "Quick win"))
    client = client_as(manager)
    with translation.override(language):
        client.cookies["django_language"] = language
        data = export(client, org.project, "actions", fmt)
        reimport(client, org.project, data, fmt=fmt, register="action")

    copies = Action.objects.filter(project=org.project, number__gt=2).order_by("number")
    assert [content(c, ACTION_FIELDS) for c in copies] == [
        content(o, ACTION_FIELDS) for o in reversed(originals)
    ]
    assert copies[1].source == risk


def services_tags(*names):
    from schakel.portfolio.services import tags_from_names

    return tags_from_names(names)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_issue_decision_and_dependency_exports_import_again(client_as, org, manager, fmt):
    factories.issue(
        org.project,
        manager,
        type="change",
        priority="critical",
        severity="major",
        owner=manager,
        target_date=datetime.date(2026, 5, 1),
        status="in_progress",
    )
    factories.decision(
        org.project, manager, decided_by=manager, forum="Steering committee", status="approved"
    )
    from schakel.registers import services

    services.item_create(
        model=Dependency,
        scope=org.project,
        by=manager,
        title="Policy signed",
        other_project=org.sibling,
        direction="outbound",
        need_by=datetime.date(2026, 6, 1),
    )
    client = client_as(manager)
    for slug, register, model, fields in (
        ("issues", "issue", Issue, ("title", "type", "priority", "severity", "owner", "status")),
        (
            "decisions",
            "decision",
            Decision,
            ("title", "decided_by", "forum", "status", "decided_on"),
        ),
        (
            "dependencies",
            "dependency",
            Dependency,
            ("title", "other_project", "direction", "need_by"),
        ),
    ):
        reimport(
            client, org.project, export(client, org.project, slug, fmt), fmt=fmt, register=register
        )
        first, copy = model.objects.filter(project=org.project).order_by("number")
        assert content(copy, fields) == content(first, fields)


def test_with_update_mode_a_re_imported_export_updates_instead_of_duplicating(
    client_as, org, manager
):
    risk = factories.risk(org.project, manager, title="Supplier fails", owner=manager)
    action = factories.action(org.project, manager, title="Call them")
    client = client_as(manager)
    data = export(client, org.project, "risks", "csv")
    edited = data.replace(b"Supplier fails", b"Supplier fails (reviewed)").replace(
        b",Open,", b",Closed,"
    )

    reimport(client, org.project, edited, fmt="csv", register="risk", update=True)
    reimport(
        client,
        org.project,
        export(client, org.project, "actions", "xlsx"),
        fmt="xlsx",
        register="action",
        update=True,
    )

    assert Risk.objects.count() == 1 and Action.objects.count() == 1
    risk.refresh_from_db()
    assert (risk.title, risk.status, risk.version) == ("Supplier fails (reviewed)", "closed", 2)
    action.refresh_from_db()
    assert action.version == 1  # nothing changed, so no new version


def test_a_risk_file_with_our_labels_and_the_scale_columns_round_trips(client_as, org, manager):
    """Our risk list export shows scores, not probability and impact; with those two columns
    added under their field names the same labels create the same risks."""
    factories.risk(
        org.project,
        manager,
        title="Supplier fails",
        probability=4,
        impact=5,
        residual_probability=2,
        residual_impact=3,
        response="reduce",
        review_date=datetime.date(2026, 4, 1),
    )
    from schakel.registers.columns import COLUMNS, export_columns, export_rows

    items = list(Risk.objects.filter(project=org.project).prefetch_related("tags"))
    columns = [c for c in COLUMNS["risk"] if c.cell != "scope"]
    extra = [
        Column("probability", "Probability", "int"),
        Column("impact", "Impact", "int"),
        Column("residual_probability", "Residual probability", "int"),
        Column("residual_impact", "Residual impact", "int"),
    ]
    rows = [
        {**row, **{c.key: getattr(item, c.key) for c in extra}}
        for row, item in zip(export_rows(items, columns), items, strict=True)
    ]
    data = to_xlsx([Sheet("Risks", export_columns(columns) + extra, rows)])
    client = client_as(manager)

    reimport(client, org.project, data, fmt="xlsx", register="risk")

    fields = (
        "title",
        "probability",
        "impact",
        "residual_probability",
        "residual_impact",
        "score",
        "residual_score",
        "response",
        "review_date",
        "status",
    )
    first, copy = Risk.objects.order_by("number")
    assert content(copy, fields) == content(first, fields)


RISK_FIELDS = (
    "title",
    "owner",
    "nature",
    "probability",
    "impact",
    "residual_probability",
    "residual_impact",
    "cause",
    "event",
    "effect",
    "status",
    "review_date",
    "description",
)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_re_importing_a_risk_export_creates_the_same_risks_again(client_as, org, manager, fmt):
    originals = [
        factories.risk(
            org.project,
            manager,
            title="Vendor lock-in",
            owner=manager,
            probability=4,
            impact=5,
            residual_probability=2,
            residual_impact=3,
            cause="One supplier",
            event="Supplier raises prices",
            effect="Budget overrun",
            review_date=datetime.date(2026, 12, 1),
            description="See the **contract**",
        ),
        factories.risk(org.project, manager, title="Key people leave", probability=2, impact=2),
    ]
    client = client_as(manager)
    data = export(client, org.project, "risks", fmt)
    reimport(client, org.project, data, fmt=fmt, register="risk")
    copies = (
        Risk.objects.filter(project=org.project)
        .exclude(pk__in=[r.pk for r in originals])
        .order_by("number")
    )
    by_title = {r.title: r for r in copies}
    assert len(by_title) == 2
    for original in originals:
        assert content(by_title[original.title], RISK_FIELDS) == content(original, RISK_FIELDS)
