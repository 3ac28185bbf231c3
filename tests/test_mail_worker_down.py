"""The mail server or the worker is down: pages keep working, mail waits and is retried,
and a mail that cannot be sent in the end is logged and shown as failed, never dropped
silently.

`RefusingBackend` (tests/mail_backends.py) stands in for an SMTP server that refuses every
connection. The database task backend stands in for production, where a worker runs the
queue; `run_worker()` runs what is due as `schakel worker --batch` would.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import smtplib
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from conftest import client_for
from schakel.accounts.models import Membership, Role, User
from schakel.accounts.tasks import send_password_reset_task
from schakel.accounts.tests.factories import UserFactory
from schakel.lib import tasks as lib_tasks
from schakel.meetings import minutes as minutes_service
from schakel.meetings import services as meeting_services
from schakel.meetings.models import MinutesVersion
from schakel.meetings.tasks import send_minutes_task
from schakel.meetings.tests import factories as meeting_factories
from schakel.registers import digest
from schakel.registers.tests import factories as register_factories
from schakel.reporting import reminders
from schakel.reporting import services as reporting_services
from schakel.reporting import tasks as reporting_tasks
from schakel.reporting.models import ReminderLog
from tests.api import api_client
from tests.mail_backends import DroppingBackend, RefusingBackend

pytestmark = pytest.mark.django_db

REFUSING = "tests.mail_backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DUE = datetime.date(2026, 11, 4)


@pytest.fixture
def mail_down(settings):
    RefusingBackend.attempts = 0
    settings.EMAIL_BACKEND = REFUSING
    return settings


@pytest.fixture
def queue(settings):
    """The database queue of production; nothing runs until `run_worker()`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(monkeypatch) -> None:
    """Run every task that is due, then stop (`schakel worker --batch`)."""
    # The worker closes stale connections between tasks; in a test transaction it must not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def waiting(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status="READY"))


def make_due(result: DBTaskResult) -> None:
    """Let the back-off pass."""
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())


# --- what counts as "try again later" -----------------------------------------------------


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPResponseException(421, b"try later"), True),
        (smtplib.SMTPSenderRefused(451, b"greylisted", "a@example.org"), True),
        (smtplib.SMTPAuthenticationError(535, b"bad password"), False),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}), False),
    ],
)
def test_only_an_unreachable_or_busy_mail_server_is_worth_retrying(error, retry):
    assert lib_tasks.is_mail_outage(error) is retry


# --- a mail task: retried with back-off, then failed and logged ---------------------------


def test_a_mail_task_retries_later_with_a_growing_wait_then_gives_up_visibly(
    mail_down, queue, monkeypatch, caplog
):
    lib_tasks.send_mail_task.enqueue("Hello", "Body", ["someone@example.org"])
    waits = []
    with caplog.at_level(logging.WARNING):
        for attempt in range(1, lib_tasks.MAIL_ATTEMPTS + 1):
            before = timezone.now()
            run_worker(monkeypatch)
            assert RefusingBackend.attempts == attempt
            queued = waiting(lib_tasks.send_mail_task)
            if attempt == lib_tasks.MAIL_ATTEMPTS:
                assert queued == []
                break
            assert len(queued) == 1
            assert queued[0].args_kwargs["kwargs"] == {"attempt": attempt + 1}
            assert queued[0].args_kwargs["args"][:3] == ["Hello", "Body", ["someone@example.org"]]
            waits.append(queued[0].run_after - before)
            make_due(queued[0])

    assert waits == sorted(waits) and len(set(waits)) == len(waits)
    assert waits[0] >= datetime.timedelta(minutes=1)
    failed = DBTaskResult.objects.filter(task_path=lib_tasks.send_mail_task.module_path)
    assert failed.count() == lib_tasks.MAIL_ATTEMPTS
    assert set(failed.values_list("status", flat=True)) == {"FAILED"}
    gave_up = [r for r in caplog.records if r.levelno == logging.ERROR and "Gave up" in r.message]
    assert len(gave_up) == 1 and "'Hello'" in gave_up[0].message


def test_a_mail_task_succeeds_once_the_mail_server_is_back(mail_down, queue, monkeypatch):
    lib_tasks.send_mail_task.enqueue("Hello", "Body", ["someone@example.org"])
    run_worker(monkeypatch)
    (retry,) = waiting(lib_tasks.send_mail_task)

    mail_down.EMAIL_BACKEND = LOCMEM
    make_due(retry)
    run_worker(monkeypatch)

    assert [m.subject for m in mail.outbox] == ["Hello"]
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert waiting(lib_tasks.send_mail_task) == []


def test_an_address_the_server_refuses_is_not_retried(queue, settings, monkeypatch, caplog):
    settings.EMAIL_BACKEND = LOCMEM
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(refused),
    )
    lib_tasks.send_mail_task.enqueue("Hello", "Body", ["x@example.org"])
    with caplog.at_level(logging.ERROR):
        run_worker(monkeypatch)

    assert waiting(lib_tasks.send_mail_task) == []
    assert DBTaskResult.objects.get().status == "FAILED"
    assert any("Gave up" in r.message for r in caplog.records)


# --- password reset: the page never waits for the mail server -----------------------------


def test_the_password_reset_page_answers_while_the_mail_server_is_down(
    mail_down, queue, monkeypatch, member
):
    response = client_for(None).post(reverse("accounts:password_reset"), {"email": member.email})

    assert response.status_code == 302
    assert RefusingBackend.attempts == 0  # not sent in the request: queued
    (queued,) = waiting(send_password_reset_task)
    assert queued.args_kwargs["args"][:2] == [member.pk, member.email]

    run_worker(monkeypatch)  # the mail server is still down: tried, queued again
    assert RefusingBackend.attempts == 1
    (retry,) = waiting(send_password_reset_task)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    mail_down.EMAIL_BACKEND = LOCMEM
    make_due(retry)
    run_worker(monkeypatch)
    (sent,) = mail.outbox
    assert sent.to == [member.email]
    link = re.search(r"https?://\S+/reset/\S+", sent.body)
    assert link is not None
    opened = client_for(None).get(urlsplit(link.group(0)).path, follow=True)
    assert opened.status_code == 200
    assert opened.context["validlink"] is True


def test_the_task_queue_never_holds_a_usable_reset_link(queue, monkeypatch, member):
    client_for(None).post(reverse("accounts:password_reset"), {"email": member.email})
    stored = json.dumps([r.args_kwargs for r in DBTaskResult.objects.all()])
    run_worker(monkeypatch)

    (sent,) = mail.outbox
    link = re.search(r"https?://\S+/reset/(\S+)/(\S+)/", sent.body)
    assert link is not None
    token = link.group(2)
    assert token not in stored
    assert "/reset/" not in stored
    after = json.dumps(
        [[r.args_kwargs, r.return_value] for r in DBTaskResult.objects.all()], default=str
    )
    assert token not in after


def test_a_reset_for_an_account_deactivated_while_queued_is_not_sent(queue, monkeypatch, member):
    client_for(None).post(reverse("accounts:password_reset"), {"email": member.email})
    User.objects.filter(pk=member.pk).update(is_active=False)
    run_worker(monkeypatch)

    assert mail.outbox == []
    assert waiting(send_password_reset_task) == []


def test_without_a_worker_the_reset_mail_waits_in_the_queue(queue, member):
    response = client_for(None).post(reverse("accounts:password_reset"), {"email": member.email})

    assert response.status_code == 302
    assert mail.outbox == []
    assert len(waiting(send_password_reset_task)) == 1


# --- minutes ------------------------------------------------------------------------------


@pytest.fixture
def published(org, manager, member):
    meeting = meeting_factories.meeting(
        org.project, manager, chair=manager, minute_taker=member, title="Project team"
    )
    meeting_services.meeting_start(meeting=meeting, by=manager)
    meeting = meeting_services.meeting_end(meeting=meeting, by=manager)
    minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    return meeting


def _send_minutes(meeting, manager, capture):
    with capture(execute=True):
        response = client_for(manager).post(reverse("meetings:minutes_send", args=[meeting.pk]))
    assert response.status_code == 302


def _minutes_page(meeting, manager) -> str:
    page = client_for(manager).get(reverse("meetings:minutes", args=[meeting.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_minutes_wait_for_the_worker_and_the_page_says_not_sent(
    queue, published, manager, django_capture_on_commit_callbacks
):
    _send_minutes(published, manager, django_capture_on_commit_callbacks)

    assert len(waiting(send_minutes_task)) == 1
    assert mail.outbox == []
    assert "Not sent (yet)." in _minutes_page(published, manager)


def test_minutes_are_retried_while_the_mail_server_is_down_then_sent(
    mail_down, queue, published, manager, monkeypatch, django_capture_on_commit_callbacks
):
    _send_minutes(published, manager, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)

    assert RefusingBackend.attempts >= 1
    version = MinutesVersion.objects.get()
    assert version.sent_at is None
    (retry,) = waiting(send_minutes_task)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    assert "Not sent (yet)." in _minutes_page(published, manager)

    mail_down.EMAIL_BACKEND = LOCMEM
    make_due(retry)
    run_worker(monkeypatch)
    version.refresh_from_db()
    assert version.sent_at is not None and version.sent_to == 2
    assert len(mail.outbox) == 2


def test_minutes_the_server_answers_try_later_for_are_retried_not_marked_sent(
    settings, queue, published, manager, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mail_backends.BusyBackend"
    _send_minutes(published, manager, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)

    assert MinutesVersion.objects.get().sent_at is None
    (retry,) = waiting(send_minutes_task)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}


def test_minutes_cut_off_halfway_go_to_the_rest_later_and_to_nobody_twice(
    settings, queue, published, manager, member, monkeypatch, django_capture_on_commit_callbacks
):
    DroppingBackend.deliver, DroppingBackend.delivered = 1, 0
    settings.EMAIL_BACKEND = "tests.mail_backends.DroppingBackend"
    _send_minutes(published, manager, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)

    (first,) = mail.outbox
    version = MinutesVersion.objects.get()
    assert version.sent_at is not None and version.sent_to == 1
    (retry,) = waiting(send_minutes_task)
    everyone = {manager.email.lower(), member.email.lower()}
    (still_to_go,) = everyone - {address.lower() for address in _addresses(first)}
    assert [a.lower() for a in retry.args_kwargs["args"][2]] == [still_to_go]
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    failed = DBTaskResult.objects.get(task_path=send_minutes_task.module_path, status="FAILED")
    assert failed.exception_class_path.endswith("MinutesPartlySent")

    settings.EMAIL_BACKEND = LOCMEM
    make_due(retry)
    run_worker(monkeypatch)

    second = mail.outbox[1:]
    assert [a.lower() for message in second for a in _addresses(message)] == [still_to_go]
    version.refresh_from_db()
    assert version.sent_to == 2
    assert waiting(send_minutes_task) == []
    assert "Sent to 2 people" in _minutes_page(published, manager)


def _addresses(message) -> list[str]:
    return [parseaddr(to)[1] for to in message.to]


def test_minutes_that_never_go_out_are_logged_and_not_marked_sent(
    mail_down, queue, published, caplog
):
    version = MinutesVersion.objects.get()
    with caplog.at_level(logging.ERROR), pytest.raises(ConnectionRefusedError):
        send_minutes_task.call(version.pk, None, attempt=lib_tasks.MAIL_ATTEMPTS)

    assert waiting(send_minutes_task) == []
    version.refresh_from_db()
    assert version.sent_at is None
    assert any("Gave up sending the minutes" in r.message for r in caplog.records)


# --- the digest ---------------------------------------------------------------------------


def test_a_digest_that_could_not_be_sent_goes_in_the_next_round(mail_down, org, pmo, caplog):
    now = timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 0))
    people = []
    for name in ("first", "second"):
        person = UserFactory(username=name, email=f"{name}@example.org")
        person.digest = User.Digest.DAILY
        person.save()
        register_factories.action(org.project, pmo, owner=person, due=now.date())
        people.append(person)
    for person in people:  # they must see the project to see their actions
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)

    with caplog.at_level(logging.ERROR):
        assert digest.send_due(now) == 0

    assert RefusingBackend.attempts == 1  # the round stops at the first refused connection
    assert all(User.objects.get(pk=p.pk).digest_sent_at is None for p in people), (
        "a digest that was not sent must not count as sent"
    )
    assert any("next round tries again" in r.message for r in caplog.records)

    mail_down.EMAIL_BACKEND = LOCMEM
    assert digest.send_due(now + datetime.timedelta(hours=1)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]


# --- report reminders ---------------------------------------------------------------------


@pytest.fixture
def cycle(org, pmo):
    lead = UserFactory(username="lead", email="lead@example.org")
    org.project.manager = lead
    org.project.save()
    return reporting_services.cycle_create(
        scope=org.programme,
        by=pmo,
        projects=[org.project],
        name="Monthly report",
        frequency="monthly",
        anchor=DUE,
        remind_days_before=3,
        remind_on_due=True,
        remind_overdue_every=2,
    )


def test_reminders_not_sent_are_tried_again_in_an_hour_not_tomorrow(
    mail_down, queue, cycle, monkeypatch
):
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: DUE)
    started = timezone.now()

    assert reporting_tasks.send_due_reminders.call() == 0

    assert not ReminderLog.objects.exists()
    (next_round,) = waiting(reporting_tasks.send_due_reminders)
    assert next_round.run_after - started <= reporting_tasks.REMINDER_RETRY + datetime.timedelta(
        minutes=1
    )
    mail_down.EMAIL_BACKEND = LOCMEM
    assert reminders.send_due(DUE) == 1
    assert ReminderLog.objects.count() == 1


def test_a_round_that_sent_everything_comes_back_tomorrow(queue, settings, cycle, monkeypatch):
    settings.EMAIL_BACKEND = LOCMEM
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: DUE)
    started = timezone.now()

    assert reporting_tasks.send_due_reminders.call() == 1

    (next_round,) = waiting(reporting_tasks.send_due_reminders)
    assert next_round.run_after - started >= reporting_tasks.REMINDER_INTERVAL


def test_the_pmo_is_told_when_a_reminder_could_not_be_sent(mail_down, cycle, org, pmo):
    remind = reverse("reporting:cycle_remind", args=[cycle.pk, org.project.pk])

    response = client_for(pmo).post(remind, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "the mail server did not answer" in content
    assert "has no manager" not in content
    assert not ReminderLog.objects.exists()


def test_the_api_answers_503_when_a_reminder_could_not_be_sent(mail_down, cycle, org, pmo):
    response = api_client(pmo).post(
        f"/api/v1/reporting-cycles/{cycle.pk}/remind/", {"project": org.project.pk}, format="json"
    )

    assert response.status_code == 503
    assert "the mail server did not answer" in response.json()["detail"]
