"""The e-mail digest: who gets one when, what it holds, and that it is sent once."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from schakel.accounts.models import User
from schakel.registers import digest, services
from schakel.registers.models import Action, Decision
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MONDAY_8 = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM)
MONDAY_6 = datetime.datetime(2026, 11, 23, 6, 0, tzinfo=AMSTERDAM)
TUESDAY_8 = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def subscriber(member):
    member.digest = User.Digest.DAILY
    member.email = "member@example.org"
    member.save()
    return member


def test_a_daily_digest_is_due_once_a_day_after_seven(subscriber):
    assert not digest.is_due(subscriber, MONDAY_6)
    assert digest.is_due(subscriber, MONDAY_8)
    subscriber.digest_sent_at = MONDAY_8
    assert not digest.is_due(subscriber, MONDAY_8 + datetime.timedelta(hours=3))
    assert digest.is_due(subscriber, TUESDAY_8)


def test_a_weekly_digest_comes_on_mondays_only(subscriber):
    subscriber.digest = User.Digest.WEEKLY
    assert digest.is_due(subscriber, MONDAY_8)
    assert not digest.is_due(subscriber, TUESDAY_8)


def test_nobody_without_a_subscription_or_an_address_gets_one(member):
    assert not digest.is_due(member, MONDAY_8)
    member.digest, member.email = User.Digest.DAILY, ""
    assert not digest.is_due(member, MONDAY_8)


def test_the_digest_holds_my_overdue_and_upcoming_actions_and_reviews(org, pmo, subscriber):
    today = MONDAY_8.date()
    late = factories.action(org.project, pmo, owner=subscriber, due=today - datetime.timedelta(2))
    soon = factories.action(org.project, pmo, owner=subscriber, due=today + datetime.timedelta(3))
    factories.action(org.project, pmo, owner=subscriber, due=today + datetime.timedelta(30))
    factories.action(org.project, pmo, owner=pmo, due=today - datetime.timedelta(2))
    done = factories.action(org.project, pmo, owner=subscriber, due=today - datetime.timedelta(9))
    services.item_update(item=done, version=1, by=pmo, status=Action.Status.DONE)
    review = factories.risk(org.project, pmo, owner=subscriber, review_date=today)
    waiting = factories.decision(org.project, pmo, decided_by=subscriber)
    factories.decision(org.project, pmo, decided_by=subscriber, status=Decision.Status.APPROVED)
    built = digest.build(subscriber, today=today)
    assert built.overdue_actions == [late]
    assert built.upcoming_actions == [soon]
    assert built.risks_to_review == [review]
    assert built.decisions_waiting == [waiting]


def test_items_of_projects_i_no_longer_see_are_left_out(org, pmo, subscriber):
    factories.action(org.other_project, pmo, owner=subscriber, due=MONDAY_8.date())
    assert digest.build(subscriber, today=MONDAY_8.date()).is_empty


def test_due_digests_are_sent_once_in_the_subscribers_language(org, pmo, subscriber):
    subscriber.language = "nl"
    subscriber.save()
    factories.action(org.project, pmo, owner=subscriber, due=MONDAY_8.date())
    assert digest.send_due(MONDAY_8) == 1
    assert digest.send_due(MONDAY_8 + datetime.timedelta(hours=1)) == 0
    (message,) = mail.outbox
    assert message.to == ["member@example.org"]
    assert "ODI-A1" in message.body
    html = message.alternatives[0][0]
    assert 'lang="nl"' in html
    subscriber.refresh_from_db()
    assert subscriber.digest_sent_at is not None


def test_an_empty_digest_is_not_sent(org, subscriber):
    assert digest.send_due(MONDAY_8) == 0
    assert mail.outbox == []


def test_the_worker_task_sends_the_due_digests(org, pmo, subscriber, monkeypatch):
    from schakel.registers.tasks import send_due_digests

    factories.action(org.project, pmo, owner=subscriber, due=MONDAY_8.date())
    monkeypatch.setattr(digest.timezone, "now", lambda: MONDAY_8)
    result = send_due_digests.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1


def test_the_worker_queues_the_first_round_once(db, settings):
    from django_tasks_db.models import DBTaskResult

    from schakel.registers.tasks import schedule_digests, send_due_digests

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    schedule_digests()
    schedule_digests()
    queued = DBTaskResult.objects.filter(task_path=send_due_digests.module_path)
    assert queued.count() == 1
