"""`schakel demo` fills the registers: the story of size S, the bulk volumes of M and L."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from schakel.accounts.models import Membership, Role, User
from schakel.portfolio.demo import DEMO_PORTFOLIO, build_demo
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers import access, services
from schakel.registers.demo import VOLUMES
from schakel.registers.models import (
    REGISTER_MODELS,
    Action,
    Assumption,
    Comment,
    Decision,
    Dependency,
    Issue,
    Link,
    RegisterItem,
    Risk,
)

ANCHOR = date(2026, 3, 2)
QUIET = {"log": lambda line: None}


def all_items() -> list[RegisterItem]:
    return [item for model in REGISTER_MODELS for item in model.all_objects.all()]


@pytest.fixture(scope="class")
def small(django_db_setup, django_db_blocker):
    """Size S, built once for the class below and rolled back after it (a build takes seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(**QUIET)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def users(small, db) -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


# Size S: the story -------------------------------------------------------------------


class TestSizeS:
    """What a person exploring the demo finds in the registers."""

    def test_a_risk_occurred_and_became_an_issue_linked_both_ways(self, users):
        risk = Risk.objects.get(status=Risk.Status.OCCURRED, project__key="PTP")
        issue = risk.resulting_issue

        assert issue.source_risk == risk and issue.project == risk.project
        assert risk.occurred_on is not None
        assert any(item == issue for item in services.linked_items(risk))
        assert services.actions_from(issue).exists()

    def test_an_assumption_proved_invalid_and_raised_an_issue(self, users):
        assumption = Assumption.objects.get(status=Assumption.Status.INVALID, project__key="SSC")

        assert assumption.raised_issue is not None
        assert assumption.raised_issue.project == assumption.project
        assert any(item == assumption.raised_issue for item in services.linked_items(assumption))

    def test_the_member_owns_overdue_actions_and_a_risk_due_for_review_this_week(self, users):
        member = users["member"]
        today = timezone.localdate()

        overdue = Action.objects.overdue().filter(owner=member)
        due_for_review = Risk.objects.open().filter(
            Q(owner=member) | Q(actionee=member), review_date__lte=today + timedelta(days=7)
        )

        assert overdue.count() >= 2
        assert set(overdue.values_list("project__key", flat=True)) <= {"ODI", "PTP"}
        assert due_for_review.filter(review_date__gte=today).exists()
        assert Dependency.objects.filter(owner=member, status=Dependency.Status.AT_RISK).exists()

    def test_the_member_is_mentioned_in_comments_on_items_they_can_see(self, users):
        member = users["member"]
        mentions = Comment.objects.filter(mentions=member)

        assert mentions.count() >= 3
        for comment in mentions:
            model = comment.item_type.model_class()
            assert model is not None and issubclass(model, RegisterItem)
            assert access.visible_items(member, model).filter(pk=comment.item_id).exists()
            assert "@member" in comment.body

    def test_the_manager_has_decisions_of_the_steering_committee_waiting(self, users):
        manager = users["manager"]
        waiting = Decision.objects.filter(
            Q(decided_by=manager) | Q(owner=manager), status=Decision.Status.PROPOSED
        )

        assert waiting.count() >= 3
        assert waiting.filter(programme__key="VOD").exists()
        assert Issue.objects.filter(status=Issue.Status.ESCALATED, escalated_to=manager).exists()

    def test_steering_committee_decisions_are_approved_proposed_and_deferred_with_reasons(
        self, users
    ):
        decisions = Decision.objects.filter(forum="Stuurgroep")

        assert {
            Decision.Status.APPROVED,
            Decision.Status.PROPOSED,
            Decision.Status.DEFERRED,
        } <= set(decisions.values_list("status", flat=True))
        for decision in decisions:
            assert decision.rationale and decision.options and decision.decided_by
        for decision in decisions.filter(status=Decision.Status.APPROVED):
            assert decision.decided_on is not None and decision.decided_on <= timezone.localdate()

    def test_every_live_project_has_registers_of_the_promised_size(self, users):
        counts = {
            model: dict(
                model.objects.filter(project__isnull=False)
                .values_list("project__key")
                .annotate(n=Count("id"))
            )
            for model in (Risk, Issue, Assumption, Action)
        }
        projects = Project.objects.filter(programme__portfolio__name=DEMO_PORTFOLIO)

        for project in projects.filter(archived_at__isnull=True):
            assert 3 <= counts[Risk].get(project.key, 0) <= 8, project.key
            assert 1 <= counts[Issue].get(project.key, 0) <= 4, project.key
            assert 1 <= counts[Assumption].get(project.key, 0) <= 3, project.key
            assert 5 <= counts[Action].get(project.key, 0) <= 12, project.key
        # An archived project is read-only: the demo leaves it empty.
        archived = projects.filter(archived_at__isnull=False).values_list("key", flat=True)
        assert archived and not any(key in counts[Risk] for key in archived)

    def test_risks_are_filled_in_and_spread_over_the_heatmap(self, users):
        risks = Risk.objects.all()

        for risk in risks:
            assert risk.cause and risk.event and risk.effect and risk.category_id and risk.response
            assert risk.score == risk.probability * risk.impact
        assert risks.values("probability", "impact").distinct().count() >= 12
        assert risks.filter(residual_score__isnull=False).count() >= 10
        assert risks.filter(nature=Risk.Nature.OPPORTUNITY).exists()
        # Some were re-scored since they were logged: the trend comes from the history.
        assert risks.exclude(trend=Risk.Trend.STABLE).exists()

    def test_issues_include_a_request_for_change_and_an_escalation(self, users):
        assert Issue.objects.filter(type=Issue.Type.CHANGE).exists()
        escalated = Issue.objects.filter(status=Issue.Status.ESCALATED)
        assert escalated.exists()
        assert not escalated.filter(escalated_to__isnull=True).exists()

    def test_actions_are_overdue_done_and_sourced_from_risks_issues_and_decisions(self, users):
        today = timezone.localdate()
        sources = set(
            Action.objects.filter(source_type__isnull=False).values_list(
                "source_type__model", flat=True
            )
        )

        assert Action.objects.overdue().count() >= 5
        done = Action.objects.filter(status=Action.Status.DONE)
        assert done.exists() and not done.filter(completed_on__isnull=True).exists()
        assert not done.filter(completed_on__gt=today).exists()
        assert {"risk", "decision", "issue"} <= sources
        for action in Action.objects.filter(source_type__isnull=False):
            assert action.source is not None and action.source.scope == action.scope

    def test_dependencies_run_between_projects_and_across_the_programmes(self, users):
        dependencies = Dependency.objects.select_related("project", "other_project")
        across = [d for d in dependencies if d.project.programme_id != d.other_project.programme_id]

        assert dependencies.count() >= 5
        assert across

    def test_the_change_programme_has_items_of_its_own(self, users):
        vod = Programme.objects.get(key="VOD")

        for model in (Risk, Issue, Decision, Action):
            assert model.objects.filter(programme=vod).exists(), model.KIND
        assert Action.objects.filter(programme=vod, owner=users["pmo"]).exists()

    def test_items_are_linked_and_commented(self, users):
        assert Link.objects.count() >= 8
        assert Comment.objects.count() >= 15
        assert (
            Comment.objects.filter(mentions__isnull=False).values("mentions").distinct().count()
            >= 3
        )

    def test_every_item_passes_validation_and_refs_are_unique_per_scope(self, users):
        seen: set[str] = set()
        for item in all_items():
            item.full_clean()
            assert item.ref not in seen
            seen.add(item.ref)
            assert item.owner_id is not None
            assert item.history.exists()  # type: ignore[attr-defined]
        assert len(seen) > 200

    def test_owners_can_see_what_they_own(self, users):
        for item in all_items():
            owner = item.owner
            assert owner is not None
            assert access.visible_items(owner, type(item)).filter(pk=item.pk).exists(), item.ref

    def test_the_outsider_sees_no_item_and_the_member_only_their_projects(self, users):
        for model in REGISTER_MODELS:
            assert not access.visible_items(users["outsider"], model).exists()
        seen_by_member = {
            key
            for model in REGISTER_MODELS
            for key in access.visible_items(users["member"], model).values_list(
                "project__key", flat=True
            )
        }
        # The member's projects, plus dependencies other projects have on them.
        assert {"ODI", "PTP"} <= seen_by_member
        other = seen_by_member - {"ODI", "PTP"}
        assert all(
            Dependency.objects.filter(
                project__key=key, other_project__key__in=["ODI", "PTP"]
            ).exists()
            for key in other
        )


# Deterministic by seed ------------------------------------------------------------------


def fingerprint() -> dict[str, list[tuple[str, ...]]]:
    """The registers by natural keys (primary keys differ between databases)."""
    result = {}
    for model in REGISTER_MODELS:
        rows = []
        for item in model.all_objects.select_related("project", "programme", "owner"):
            rows.append(
                (
                    item.ref,
                    item.title,
                    item.status,
                    item.owner.username if item.owner else "",
                    str(item.due_date),
                )
            )
        result[model.KIND] = sorted(rows)
    result["comments"] = sorted(
        (c.body, c.author.username if c.author else "") for c in Comment.objects.all()
    )
    return result


def fingerprint_of_fresh_build(**options) -> dict[str, list[tuple[str, ...]]]:
    assert not User.objects.exists()
    with transaction.atomic():
        build_demo(today=ANCHOR, **QUIET, **options)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_registers_in_two_fresh_databases_and_another_seed_not():
    first = fingerprint_of_fresh_build(seed=11)
    second = fingerprint_of_fresh_build(seed=11)
    other = fingerprint_of_fresh_build(seed=12)

    assert first == second
    assert len(first["risk"]) > 50
    assert first["risk"] != other["risk"] and first["action"] != other["action"]


# Sizes M and L: bulk --------------------------------------------------------------------


def generated(model: type[RegisterItem]):
    small_keys = {"ODI", "SSC", "ITB", "VGB", "PTP", "SDK", "MAF", "QWL", "QWS"}
    small_keys |= {"KDS", "CAP", "URP", "OPL"}
    return model.all_objects.filter(project__isnull=False).exclude(project__key__in=small_keys)


def assert_numbers_run_from_one_per_project(model: type[RegisterItem]) -> None:
    rows = (
        model.all_objects.filter(project__isnull=False)
        .values("project")
        .annotate(n=Count("id"), top=Max("number"))
    )
    for row in rows:
        assert row["n"] == row["top"], (model.KIND, row)


@pytest.mark.django_db
def test_size_m_adds_the_bulk_volumes_with_history_and_timings(settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo", "--size", "M", stdout=out)

    volume = VOLUMES["M"]
    assert generated(Risk).count() == volume.risks
    assert generated(Action).count() == volume.actions
    assert generated(Decision).count() == volume.decisions
    assert generated(Issue).count() == volume.issues
    assert generated(Assumption).count() == volume.assumptions
    assert generated(Dependency).count() == volume.dependencies
    assert f"registers: actions ({volume.actions})" in out.getvalue()
    for model in REGISTER_MODELS:
        assert_numbers_run_from_one_per_project(model)
        # Every bulk row has its "created" history row.
        assert model.history.filter(history_type="+").count() == model.all_objects.count()  # type: ignore[attr-defined]
        for item in generated(model).order_by("?")[:40]:
            item.full_clean()


@pytest.mark.django_db
def test_size_l_spreads_realistic_registers_over_the_generated_projects(settings):
    settings.DEBUG = True
    # The full size L takes about a minute; a scaled-down run goes through the same code.
    call_command("demo", "--size", "L", "--scale", "0.05", stdout=io.StringIO())
    today = timezone.localdate()

    volume = VOLUMES["L"].scaled(0.05)
    assert generated(Risk).count() == volume.risks == 500
    assert generated(Action).count() == volume.actions == 1500
    risks = generated(Risk)
    for risk in risks:
        assert risk.score == risk.probability * risk.impact
        if risk.residual_score is not None:
            assert risk.residual_score == risk.residual_probability * risk.residual_impact
    assert risks.values("project").distinct().count() > 15
    assert generated(Action).filter(status__in=Action.OPEN_STATUSES, due__lt=today).exists()
    assert not generated(Action).filter(status=Action.Status.DONE, completed_on__isnull=True)
    # Occurred risks raised their issues, invalid assumptions theirs.
    for risk in risks.filter(status=Risk.Status.OCCURRED):
        assert risk.resulting_issue.project_id == risk.project_id
    invalid = generated(Assumption).filter(status=Assumption.Status.INVALID)
    assert not invalid.filter(raised_issue__isnull=True).exists()
    # Owners are among the project's manager and members.
    team = defaultdict(set)
    for project_id, user_id in Membership.objects.filter(
        project__isnull=False, role__in=[Role.MANAGER, Role.MEMBER]
    ).values_list("project_id", "user_id"):
        team[project_id].add(user_id)
    for model in (Risk, Issue, Action, Decision):
        for project_id, owner_id in generated(model).values_list("project_id", "owner_id"):
            assert owner_id in team[project_id]
    # Sources of actions are items of the same project.
    for action in generated(Action).filter(source_type__isnull=False)[:100]:
        assert action.source.project_id == action.project_id
    assert Comment.objects.filter(mentions__isnull=False).count() > 10


# Reset ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reset_removes_the_registers_with_the_demo_and_loads_them_afresh(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    counts = [model.all_objects.count() for model in REGISTER_MODELS]
    odi_risk = Risk.objects.filter(project__key="ODI").first()
    services.item_trash(item=odi_risk, by=None)

    call_command("demo", "--reset", stdout=io.StringIO())

    assert [model.all_objects.count() for model in REGISTER_MODELS] == counts
    assert Portfolio.all_objects.filter(name=DEMO_PORTFOLIO).count() == 1
    comment_type_ids = set(Comment.objects.values_list("item_type", flat=True))
    assert comment_type_ids <= {ContentType.objects.get_for_model(m).pk for m in REGISTER_MODELS}
    # No comment or link is left behind pointing at a removed item.
    for comment in Comment.objects.all():
        assert comment.item is not None
    for link in Link.objects.all():
        assert link.from_item is not None and link.to_item is not None
