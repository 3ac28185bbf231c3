"""The minutes page: the draft, publishing (and e-mailing), versions and reopening."""

from __future__ import annotations

import io

import docx
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from conftest import client_for
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import minutes as minutes_service
from schakel.meetings import services
from schakel.meetings.models import Attendance, Meeting, MinutesVersion

from . import factories


@pytest.fixture
def ended(org, manager, member):
    """A meeting that took place: notes, an action, attendance; now a draft."""
    meeting = factories.meeting(
        org.project, manager, chair=manager, minute_taker=member, title="Project team ODI"
    )
    services.meeting_start(meeting=meeting, by=manager)
    first = meeting.agenda.order_by("position")[0]
    services.agenda_item_update(
        item=first,
        version=first.version,
        by=member,
        notes="All **green**.\n<script>alert(1)</script>",
    )
    services.attendance_set(
        attendance=meeting.attendance.get(user=member), status=Attendance.Status.PRESENT, by=member
    )
    services.outcome_capture(
        meeting=meeting,
        agenda_item=first,
        kind="action",
        scope=org.project,
        by=member,
        title="Book the room",
        owner=member,
    )
    return services.meeting_end(meeting=meeting, by=manager)


def _url(name: str, meeting: Meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


def test_the_draft_shows_editable_notes_and_a_publish_button(org, manager, ended):
    response = client_for(manager).get(_url("minutes", ended))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="minutes-publish"' in content
    assert "data-autosave" in content
    assert "ODI-A1" in content and "Book the room" in content
    assert "Edit attendance on the meeting page" in content
    # The notes are text in a textarea: escaped, never markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)</script>" not in content


def test_those_who_only_see_the_meeting_wait_for_published_minutes(org, viewer, ended):
    content = client_for(viewer).get(_url("minutes", ended)).content.decode()
    assert "not published yet" in content
    assert "Book the room" not in content and "minutes-publish" not in content


def test_publishing_freezes_a_version_and_mails_everyone_once(
    org, manager, member, viewer, ended, django_capture_on_commit_callbacks
):
    inactive = UserFactory(username="gone", email="gone@example.org", is_active=False)
    services.attendance_invite(meeting=ended, user=inactive, by=manager)
    services.attendance_invite(meeting=ended, user=viewer, by=manager)
    services.attendance_add_guest(
        meeting=ended, name="Gina Guest", email="gina@example.org", by=manager
    )
    # The same address twice (a guest row for a user) is mailed once.
    services.attendance_add_guest(
        meeting=ended, name="Viewer again", email=viewer.email.upper(), by=manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            _url("minutes_publish", ended), {"version": ended.version, "send": "1"}
        )
    assert response.status_code == 302
    version = MinutesVersion.objects.get()
    assert version.number == 1
    ended.refresh_from_db()
    assert ended.status == Meeting.Status.PUBLISHED
    recipients = sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox)
    assert recipients == sorted([manager.email, member.email, viewer.email, "gina@example.org"])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject.startswith("Minutes: Project team ODI – ")
    html, html_type = message.alternatives[0]
    assert isinstance(html, str)
    assert html_type == "text/html"
    assert "<strong>green</strong>" in html and "<script>alert" not in html
    assert "Book the room" in message.body and "ODI-A1" in message.body
    name, content, mimetype = message.attachments[0]
    assert isinstance(content, bytes)
    assert name.endswith("-v1.docx") and name.isascii()
    assert mimetype.endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Project team ODI" in text
    version.refresh_from_db()
    assert version.sent_to == 4 and version.sent_at is not None


def test_a_title_with_line_breaks_never_reaches_the_headers(
    org, manager, ended, django_capture_on_commit_callbacks
):
    ended = services.meeting_update(
        meeting=ended, version=ended.version, by=manager, title="Board\r\nBcc: evil@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(
            _url("minutes_publish", ended), {"version": ended.version, "send": "1"}
        )
    assert mail.outbox
    for message in mail.outbox:
        subject = message.message()["Subject"]
        assert "\r" not in message.subject and "\n" not in message.subject
        assert message.subject.startswith("Minutes: Board Bcc: evil@example.org – ")
        assert message.message()["Bcc"] is None
        assert "\n" not in str(subject).replace("\n ", "")  # only folding, no new header


def test_publishing_without_the_checkbox_sends_nothing(
    org, manager, ended, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(_url("minutes_publish", ended), {"version": ended.version})
    assert MinutesVersion.objects.count() == 1
    assert mail.outbox == []
    assert MinutesVersion.objects.get().sent_at is None


def test_publishing_minutes_someone_changed_meanwhile_is_refused(org, manager, member, ended):
    seen = ended.version
    services.meeting_update(meeting=ended, version=ended.version, by=member, summary="New")
    response = client_for(manager).post(_url("minutes_publish", ended), {"version": seen})
    assert response.status_code == 409
    assert "Someone else changed this meeting" in response.content.decode()
    assert not MinutesVersion.objects.exists()


def test_publishing_needs_a_version_and_a_meeting_that_took_place(org, manager, ended):
    response = client_for(manager).post(_url("minutes_publish", ended), {})
    assert response.status_code == 400
    planned = factories.meeting(org.project, manager, chair=manager)
    response = client_for(manager).post(
        _url("minutes_publish", planned), {"version": planned.version}
    )
    assert response.status_code == 400
    assert not MinutesVersion.objects.exists()


def test_published_minutes_render_the_notes_safely(org, manager, viewer, ended):
    minutes_service.minutes_publish(meeting=ended, version=ended.version, by=manager)
    content = client_for(viewer).get(_url("minutes", ended)).content.decode()
    assert "<strong>green</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert "Book the room" in content
    assert "Reopen for correction" not in content and "Send again" not in content
    assert "?version=1" in content


def test_reopening_and_publishing_again_makes_version_2_and_keeps_version_1(org, manager, ended):
    client = client_for(manager)
    client.post(_url("minutes_publish", ended), {"version": ended.version})
    ended.refresh_from_db()
    response = client.post(_url("minutes_reopen", ended), {"version": ended.version})
    assert response.status_code == 302
    ended.refresh_from_db()
    assert ended.status == Meeting.Status.MINUTES_DRAFT
    services.agenda_item_add(meeting=ended, by=manager, title="Correction: budget figure")
    client.post(_url("minutes_publish", ended), {"version": ended.version})
    assert sorted(MinutesVersion.objects.values_list("number", flat=True)) == [1, 2]
    latest = client.get(_url("minutes", ended)).content.decode()
    assert "Correction: budget figure" in latest
    assert "?version=1" in latest and "?version=2" in latest
    first = client.get(_url("minutes", ended) + "?version=1").content.decode()
    assert "Correction: budget figure" not in first
    assert client.get(_url("minutes", ended) + "?version=9").status_code == 404


def test_reopening_refuses_a_stale_version_and_viewers(org, manager, viewer, ended):
    minutes_service.minutes_publish(meeting=ended, version=ended.version, by=manager)
    ended.refresh_from_db()
    stale = client_for(manager).post(_url("minutes_reopen", ended), {"version": 1})
    assert stale.status_code == 409
    refused = client_for(viewer).post(_url("minutes_reopen", ended), {"version": ended.version})
    assert refused.status_code == 403
    ended.refresh_from_db()
    assert ended.status == Meeting.Status.PUBLISHED


def test_send_again_mails_the_latest_version(
    org, manager, ended, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    assert client.post(_url("minutes_send", ended)).status_code == 400  # nothing published
    minutes_service.minutes_publish(meeting=ended, version=ended.version, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("minutes_send", ended))
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # the chair and the minute taker
    assert MinutesVersion.objects.get().sent_to == 2
