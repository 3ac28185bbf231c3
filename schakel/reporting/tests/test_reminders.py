"""Reminders about progress reports: when they fall, who gets them, in which language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.reporting import reminders, services
from schakel.reporting.models import ReminderLog, ReportingCycle, StatusReport

# A monthly cycle: the October period is due Wednesday 4 November 2026 (see test_services).
DUE = datetime.date(2026, 11, 4)
Kind = ReminderLog.Kind


@pytest.fixture
def lead(org):
    user = UserFactory(username="lead", first_name="Lea", last_name="Lead", language="en")
    org.project.manager = user
    org.project.save()
    return user


@pytest.fixture
def cycle(org, pmo, lead):
    return services.cycle_create(
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


def html_of(message: Any) -> str:
    """The HTML alternative of a sent message."""
    assert isinstance(message, EmailMultiAlternatives)
    body, kind = message.alternatives[0]
    assert kind == "text/html"
    return str(body)


def kinds(day):
    return [(r.project.key, r.kind) for r in reminders.due_reminders(day)]


def test_it_reminds_the_given_number_of_days_before_the_due_date(cycle):
    assert kinds(DUE - datetime.timedelta(days=3)) == [("ODI", Kind.BEFORE)]
    assert kinds(DUE - datetime.timedelta(days=2)) == []


def test_it_reminds_on_the_due_date(cycle):
    assert kinds(DUE) == [("ODI", Kind.DUE)]


def test_it_reminds_every_n_days_when_overdue(cycle):
    assert kinds(DUE + datetime.timedelta(days=1)) == []
    assert kinds(DUE + datetime.timedelta(days=2)) == [("ODI", Kind.OVERDUE)]
    assert kinds(DUE + datetime.timedelta(days=4)) == [("ODI", Kind.OVERDUE)]


def test_switched_off_reminders_do_not_fall(cycle, pmo):
    services.cycle_update(
        cycle=cycle,
        version=cycle.version,
        by=pmo,
        remind_days_before=0,
        remind_on_due=False,
        remind_overdue_every=0,
    )
    for offset in (-3, 0, 2):
        assert kinds(DUE + datetime.timedelta(days=offset)) == []


def test_an_inactive_or_trashed_cycle_reminds_nobody(cycle, pmo):
    ReportingCycle.all_objects.filter(pk=cycle.pk).update(deleted_at=timezone.now())
    assert kinds(DUE) == []
    ReportingCycle.all_objects.filter(pk=cycle.pk).update(deleted_at=None)
    assert kinds(DUE) == [("ODI", Kind.DUE)]
    services.cycle_update(cycle=cycle, version=cycle.version, by=pmo, active=False)
    assert kinds(DUE) == []


def test_a_report_with_the_pmo_is_not_reminded_but_a_draft_or_returned_one_is(cycle, org, lead):
    period = services.reporting_period(cycle, DUE)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=lead)
    assert kinds(DUE) == [("ODI", Kind.DUE)]  # a draft
    StatusReport.objects.filter(pk=report.pk).update(status=StatusReport.Status.SUBMITTED)
    assert kinds(DUE) == []
    StatusReport.objects.filter(pk=report.pk).update(status=StatusReport.Status.RETURNED)
    assert kinds(DUE) == [("ODI", Kind.DUE)]


def test_the_same_reminder_is_never_sent_twice(cycle):
    assert reminders.send_due(DUE) == 1
    assert reminders.send_due(DUE) == 0
    assert len(mail.outbox) == 1
    log = ReminderLog.objects.get()
    assert (log.kind, log.sent_on, log.sent_to, log.period_end) == (
        Kind.DUE,
        DUE,
        "lead@example.org",
        datetime.date(2026, 10, 31),
    )
    # The next overdue reminder is another one, and goes.
    assert reminders.send_due(DUE + datetime.timedelta(days=2)) == 1


def test_without_a_project_manager_the_managers_on_the_project_are_reminded(cycle, org):
    org.project.manager = None
    org.project.save()
    first = UserFactory(username="m1")
    second = UserFactory(username="m2")
    gone = UserFactory(username="m3", is_active=False)
    UserFactory(username="member1")
    for user in (first, second, gone):
        Membership.objects.create(user=user, project=org.project, role=Role.MANAGER)
    assert reminders.recipients(org.project) == [first, second]
    assert reminders.send_due(DUE) == 2
    assert sorted(m.to[0].split("<")[1] for m in mail.outbox) == [
        "m1@example.org>",
        "m2@example.org>",
    ]


def test_an_inactive_project_manager_falls_back_to_the_project_managers(cycle, org, lead):
    lead.is_active = False
    lead.save()
    other = UserFactory(username="deputy")
    Membership.objects.create(user=other, project=org.project, role=Role.MANAGER)
    assert reminders.recipients(org.project) == [other]


def test_with_nobody_to_remind_it_logs_a_warning_and_sends_nothing(cycle, org, caplog):
    org.project.manager = None
    org.project.save()
    assert reminders.send_due(DUE) == 0
    assert mail.outbox == []
    assert "No one to remind" in caplog.text
    assert not ReminderLog.objects.exists()


def test_the_mail_is_written_in_the_readers_language(cycle, lead, settings):
    settings.SITE_URL = "https://schakel.example.org"
    lead.language = "nl"
    lead.save()
    reminders.send_due(DUE + datetime.timedelta(days=2))
    message = mail.outbox[0]
    # Our own strings wait for the translators; the dates already show the language.
    html = html_of(message)
    assert 'lang="nl"' in html
    assert message.subject.endswith("4 november")
    assert "4 november 2026" in message.body and "4 november 2026" in html
    assert "https://schakel.example.org/" in message.body
    assert "https://schakel.example.org/" in html


def test_the_english_mail_says_when_the_report_is_due_and_links_to_it(cycle, org, settings):
    settings.SITE_URL = "https://schakel.example.org"
    reminders.send_due(DUE)
    message = mail.outbox[0]
    assert message.subject == "Progress report ODI due 4 November"
    assert "due on 4 Nov 2026" in message.body
    assert "from 1 Oct 2026 to 31 Oct 2026" in message.body
    assert reminders.report_url(cycle, org.project) in message.body
    assert reminders.report_url(cycle, org.project) == (
        f"https://schakel.example.org/projects/{org.project.pk}/reports/"
    )
    assert "4 Nov 2026" in html_of(message)


def test_the_overdue_mail_says_it_is_overdue(cycle):
    reminders.send_due(DUE + datetime.timedelta(days=2))
    message = mail.outbox[0]
    assert message.subject == "Progress report ODI overdue since 4 November"
    assert "has not reached the PMO" in message.body


def test_the_subject_holds_no_line_break_from_user_text(cycle, org):
    # A key is at most 10 characters (PostgreSQL enforces it): enough for a header attempt.
    org.project.key = "O\r\nBcc:a@b"
    assert len(org.project.key) == 10
    org.project.save()
    reminders.send_due(DUE)
    message = mail.outbox[0].message()
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    assert message["Bcc"] is None


def test_the_project_name_is_escaped_in_the_html(cycle, org):
    org.project.name = "<script>alert(1)</script>"
    org.project.save()
    reminders.send_due(DUE)
    html = html_of(mail.outbox[0])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_pmo_reminds_one_project_by_hand_whatever_the_day(cycle, org, pmo, lead):
    period = services.reporting_period(cycle, DUE)
    assert reminders.send_manual(cycle=cycle, project=org.project, period=period, by=pmo) == 1
    assert reminders.send_manual(cycle=cycle, project=org.project, period=period, by=pmo) == 1
    assert ReminderLog.objects.filter(kind=Kind.MANUAL).count() == 2
    assert pmo.display_name in mail.outbox[0].body
    # Manual reminders do not stand in for the scheduled ones.
    assert kinds(DUE) == [("ODI", Kind.DUE)]


def test_the_task_sends_the_reminders_and_queues_the_next_round(cycle, monkeypatch, settings):
    from django_tasks_db.models import DBTaskResult

    from schakel.reporting import tasks

    monkeypatch.setattr(reminders.timezone, "localdate", lambda: DUE)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert tasks.send_due_reminders.call() == 1
    queued = DBTaskResult.objects.filter(task_path=tasks.send_due_reminders.module_path)
    assert queued.count() == 1
    assert queued.get().run_after is not None
    # A second round while one waits queues nothing more.
    tasks.schedule_reminders()
    assert queued.count() == 1


def test_the_worker_command_queues_the_first_round(db, settings, monkeypatch):
    from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
    from django_tasks_db.models import DBTaskResult

    from schakel.lib.management.commands.worker import Command
    from schakel.reporting.tasks import send_due_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(DbWorkerCommand, "handle", lambda self, *a, **o: None)
    Command().handle()
    assert DBTaskResult.objects.filter(task_path=send_due_reminders.module_path).count() == 1


def test_the_link_in_the_mail_opens_a_page_the_project_manager_can_use(cycle, org, client):
    manager = UserFactory(username="pm2")
    Membership.objects.create(user=manager, project=org.project, role=Role.MANAGER)
    org.project.manager = manager
    org.project.save()
    reminders.send_due(DUE)
    url = reminders.report_url(cycle, org.project)
    assert url in mail.outbox[0].body
    client.force_login(manager)
    page = client.get(url.removeprefix(django_settings.SITE_URL))
    assert page.status_code == 200
    assert "Monthly report" in page.content.decode()
