"""The meeting's files through the API: minutes as DOCX and PDF, the invitation as ICS."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
import vobject

from schakel.meetings import services
from schakel.meetings.minutes import minutes_publish, minutes_reopen
from schakel.meetings.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def response_name(response) -> str:
    return response["Content-Disposition"].rsplit("=", 1)[1].strip('"')


def _held(org, manager, member, notes="Budget approved."):
    """A meeting that took place: notes, an action, and the member present."""
    meeting = factories.meeting(org.project, manager, title="Board of March", chair=member)
    services.meeting_start(meeting=meeting, by=manager)
    item = meeting.agenda.get(position=0)
    services.agenda_item_update(item=item, version=item.version, by=manager, notes=notes)
    services.attendance_set(
        attendance=meeting.attendance.get(user=member), status="present", by=manager
    )
    action = services.outcome_capture(
        meeting=meeting,
        agenda_item=item,
        kind="action",
        scope=org.project,
        by=manager,
        title="Book the venue",
        owner=member,
    )
    return services.meeting_end(meeting=meeting, by=manager), action


def _publish(meeting, by):
    minutes_publish(meeting=meeting, version=meeting.version, by=by)
    meeting.refresh_from_db()
    return meeting


def test_published_minutes_open_in_word_with_their_content(org, manager, member, viewer):
    meeting, action = _held(org, manager, member)
    _publish(meeting, manager)
    response = api_client(viewer).get(f"{API}/meetings/{meeting.pk}/minutes.docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert 'filename="minutes-board-of-march-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('-v1.docx"')
    text = _docx_text(response.content)
    assert "Board of March" in text
    assert "Budget approved." in text
    assert action.ref in text
    assert "Book the venue" in text


def test_published_minutes_read_as_pdf_text(org, manager, member):
    meeting, action = _held(org, manager, member)
    _publish(meeting, manager)
    response = api_client(member).get(f"{API}/meetings/{meeting.pk}/minutes.pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Board of March" in text
    assert action.ref in text


def test_an_earlier_version_stays_as_it_was_sent(org, manager, member):
    meeting, _action = _held(org, manager, member)
    meeting = _publish(meeting, manager)
    meeting = minutes_reopen(meeting=meeting, version=meeting.version, by=manager)
    item = meeting.agenda.get(position=0)
    services.agenda_item_update(
        item=item, version=item.version, by=manager, notes="Budget approved, with conditions."
    )
    _publish(meeting, manager)
    client = api_client(member)
    url = f"{API}/meetings/{meeting.pk}/minutes.docx/"
    first = _docx_text(client.get(f"{url}?version=1").content)
    latest = _docx_text(client.get(url).content)
    assert "with conditions" not in first
    assert "with conditions" in latest
    assert client.get(f"{url}?version=3").status_code == 404


@pytest.mark.parametrize("version", ["abc", "0", "-1", "1e3", "99999999999999999999"])
def test_a_junk_version_is_a_400(org, manager, member, version):
    meeting, _action = _held(org, manager, member)
    _publish(meeting, manager)
    response = api_client(member).get(
        f"{API}/meetings/{meeting.pk}/minutes.docx/?version={version}"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_the_draft_is_for_those_who_run_the_meeting(org, manager, member, viewer):
    meeting, _action = _held(org, manager, member)
    url = f"{API}/meetings/{meeting.pk}/minutes.docx/"
    # Nothing published yet: no minutes without asking for the draft.
    assert api_client(member).get(url).status_code == 404
    draft = api_client(member).get(f"{url}?version=draft")
    assert draft.status_code == 200
    assert response_name(draft).endswith("-draft.docx")
    assert "DRAFT" in _docx_text(draft.content)
    assert api_client(viewer).get(f"{url}?version=draft").status_code == 403


def test_a_planned_meeting_has_no_minutes(org, manager):
    meeting = factories.meeting(org.project, manager)
    url = f"{API}/meetings/{meeting.pk}/minutes.pdf/"
    assert api_client(manager).get(url).status_code == 404
    assert api_client(manager).get(f"{url}?version=draft").status_code == 404


def test_an_outsider_gets_no_minutes(org, manager, member, outsider):
    meeting, _action = _held(org, manager, member)
    _publish(meeting, manager)
    assert api_client(outsider).get(f"{API}/meetings/{meeting.pk}/minutes.docx/").status_code == 404
    assert api_client().get(f"{API}/meetings/{meeting.pk}/minutes.docx/").status_code == 401


def test_asking_for_the_file_type_is_not_refused(org, manager, member):
    meeting, _action = _held(org, manager, member)
    _publish(meeting, manager)
    response = api_client(member).get(
        f"{API}/meetings/{meeting.pk}/minutes.docx/", HTTP_ACCEPT=DOCX
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX


def test_the_invitation_parses_as_icalendar_and_a_cancellation_cancels(org, manager, member):
    meeting = factories.meeting(org.project, manager, title="Team, weekly; part 2", chair=member)
    client = api_client(member)
    url = f"{API}/meetings/{meeting.pk}/invite.ics/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = vobject.readOne(response.content.decode("utf-8"))
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.summary.value == "Team, weekly; part 2"
    assert event.uid.value.startswith(str(meeting.uid))
    assert int(event.sequence.value) == 0
    services.meeting_cancel(meeting=meeting, by=manager)
    cancelled = vobject.readOne(client.get(url).content.decode("utf-8"))
    assert cancelled.method.value == "CANCEL"
    assert cancelled.vevent.status.value == "CANCELLED"
    assert cancelled.vevent.uid.value == event.uid.value
    assert int(cancelled.vevent.sequence.value) == 1


def test_an_outsider_gets_no_invitation(org, manager, outsider):
    meeting = factories.meeting(org.project, manager)
    assert api_client(outsider).get(f"{API}/meetings/{meeting.pk}/invite.ics/").status_code == 404
