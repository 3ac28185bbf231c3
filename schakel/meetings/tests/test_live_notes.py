"""Autosave of notes and the summary: saved with a version, never overwriting anyone."""

from __future__ import annotations

from django.urls import reverse

from conftest import client_for
from schakel.meetings import minutes as minutes_service
from schakel.meetings import services
from schakel.meetings.models import AgendaItem, Meeting

from . import factories

JSON = {"HTTP_ACCEPT": "application/json"}


def _notes(item: AgendaItem) -> str:
    return reverse("meetings:notes_save", args=[item.pk])


def _setup(org, manager) -> tuple[Meeting, AgendaItem]:
    meeting = factories.meeting(org.project, manager, chair=manager)
    return meeting, meeting.agenda.order_by("position")[0]


def test_notes_are_saved_and_the_new_version_comes_back(org, manager):
    _meeting, item = _setup(org, manager)
    response = client_for(manager).post(
        _notes(item), {"notes": "Budget\r\n- on track", "version": item.version}, **JSON
    )
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == item.version + 1
    assert data["saved_at"] and len(data["time"]) == 5  # "14:03"
    item.refresh_from_db()
    assert item.notes == "Budget\n- on track"


def test_a_save_on_a_stale_version_answers_409_with_the_stored_text(org, manager, member):
    _meeting, item = _setup(org, manager)
    old_version = item.version
    services.agenda_item_update(item=item, version=item.version, by=member, notes="Theirs")
    response = client_for(manager).post(
        _notes(item), {"notes": "Mine", "version": old_version}, **JSON
    )
    assert response.status_code == 409
    assert response.json()["notes"] == "Theirs"
    assert response.json()["version"] == old_version + 1
    item.refresh_from_db()
    assert item.notes == "Theirs"
    # Keeping one's own text: send it again on top of the new version.
    response = client_for(manager).post(
        _notes(item), {"notes": "Mine", "version": old_version + 1}, **JSON
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.notes == "Mine"


def test_a_retried_save_that_did_arrive_is_not_a_conflict(org, manager):
    _meeting, item = _setup(org, manager)
    client = client_for(manager)
    payload = {"notes": "Same text", "version": item.version}
    assert client.post(_notes(item), payload, **JSON).status_code == 200
    response = client.post(_notes(item), payload, **JSON)
    assert response.status_code == 200
    assert response.json()["version"] == item.version + 1


def test_bad_input_answers_400_and_changes_nothing(org, manager):
    _meeting, item = _setup(org, manager)
    client = client_for(manager)
    for payload in (
        {"notes": "x"},
        {"notes": "x", "version": "one"},
        {"notes": "x", "version": "-1"},
        {"version": item.version},
        {"notes": "x" * 100_001, "version": item.version},
    ):
        response = client.post(_notes(item), payload, **JSON)
        assert response.status_code == 400, payload
        assert response.json()["error"]
    item.refresh_from_db()
    assert item.notes == "" and item.version == 1


def test_notes_of_published_minutes_are_read_only(org, manager):
    meeting, item = _setup(org, manager)
    meeting = services.meeting_end(meeting=meeting, by=manager)
    minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    response = client_for(manager).post(
        _notes(item), {"notes": "Late", "version": item.version}, **JSON
    )
    assert response.status_code == 400
    assert "reopen" in response.json()["error"]


def test_only_those_who_run_the_meeting_save_notes(org, manager, viewer, member, outsider):
    _meeting, item = _setup(org, manager)
    payload = {"notes": "Hijack", "version": item.version}
    assert client_for(viewer).post(_notes(item), payload, **JSON).status_code == 403
    assert client_for(member).post(_notes(item), payload, **JSON).status_code == 403
    assert client_for(outsider).post(_notes(item), payload, **JSON).status_code == 404
    item.refresh_from_db()
    assert item.notes == ""


def test_without_javascript_the_notes_form_saves_and_goes_back(org, manager):
    meeting, item = _setup(org, manager)
    chair = reverse("meetings:chair", args=[meeting.pk])
    response = client_for(manager).post(
        _notes(item),
        {"notes": "Typed without JS", "version": item.version},
        HTTP_REFERER=f"http://testserver{chair}",
    )
    assert response.status_code == 302
    assert response["Location"].endswith(chair)
    item.refresh_from_db()
    assert item.notes == "Typed without JS"
    # A referrer elsewhere is not followed.
    response = client_for(manager).post(
        _notes(item),
        {"notes": "Again", "version": item.version},
        HTTP_REFERER="https://evil.example/",
    )
    assert response["Location"] == chair


def test_the_summary_saves_on_the_meetings_version(org, manager, member):
    meeting, _item = _setup(org, manager)
    url = reverse("meetings:summary_save", args=[meeting.pk])
    client = client_for(manager)
    response = client.post(url, {"summary": "Good meeting", "version": meeting.version}, **JSON)
    assert response.status_code == 200
    assert response.json()["version"] == meeting.version + 1
    stale = client.post(url, {"summary": "Other", "version": meeting.version}, **JSON)
    assert stale.status_code == 409
    assert stale.json()["summary"] == "Good meeting"
    meeting.refresh_from_db()
    assert meeting.summary == "Good meeting"
    assert client_for(member).post(url, {"summary": "x", "version": 2}, **JSON).status_code == 403
