"""The chair view: who runs it, who follows along, and moving through the meeting."""

from __future__ import annotations

from django.urls import reverse

from conftest import client_for
from schakel.meetings import services
from schakel.meetings.models import Meeting
from schakel.registers.tests import factories as items

from . import factories


def _chair(meeting: Meeting) -> str:
    return reverse("meetings:chair", args=[meeting.pk])


def test_the_chair_gets_the_agenda_notes_and_capture_forms(org, manager):
    meeting = factories.meeting(org.project, manager, chair=manager, title="Team <b>sync</b>")
    response = client_for(manager).get(_chair(meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Team &lt;b&gt;sync&lt;/b&gt;" in content
    assert "Progress" in content and "Planning" in content
    for kind in ("action", "decision", "risk", "issue"):
        assert f'id="capture-form-{kind}"' in content
    assert "data-autosave" in content
    assert 'id="chair-start"' in content
    assert "js/chair.js" in content


def test_a_viewer_follows_along_without_any_controls(org, manager, viewer):
    meeting = factories.meeting(org.project, manager, chair=manager)
    item = meeting.agenda.all()[0]
    services.agenda_item_update(item=item, version=item.version, by=manager, notes="All green")
    response = client_for(viewer).get(_chair(meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "All green" in content
    assert "capture-form" not in content
    assert "data-autosave" not in content
    assert 'id="chair-start"' not in content
    assert "You are following this meeting" in content


def test_a_member_who_takes_the_minutes_runs_the_meeting(org, manager, member):
    meeting = factories.meeting(org.project, manager, minute_taker=member)
    content = client_for(member).get(_chair(meeting)).content.decode()
    assert 'id="capture-form-action"' in content


def test_someone_without_a_role_on_the_project_gets_404(org, manager, outsider):
    meeting = factories.meeting(org.project, manager)
    assert client_for(outsider).get(_chair(meeting)).status_code == 404


def test_the_agenda_shows_only_linked_items_the_reader_may_see(org, manager, viewer):
    meeting = factories.meeting(org.programme, manager, chair=manager)
    item = meeting.agenda.all()[0]
    seen = items.risk(org.project, manager, title="Supplier delivers late")
    hidden = items.risk(org.other_project, manager, title="Care app slips")
    services.agenda_link(item=item, target=seen, by=manager)
    services.agenda_link(item=item, target=hidden, by=manager)
    content = client_for(manager).get(_chair(meeting)).content.decode()
    assert seen.ref in content
    # The programme's manager sees no project of the other programme.
    assert "Care app slips" not in content


def test_start_goto_and_end_walk_through_the_meeting(org, manager):
    meeting = factories.meeting(org.project, manager, chair=manager)
    first, second = meeting.agenda.order_by("position")
    client = client_for(manager)
    response = client.post(reverse("meetings:start", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS
    assert meeting.current_item == first
    response = client.post(
        reverse("meetings:goto", args=[meeting.pk]),
        {"item": second.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["current_item"] == second.pk
    assert response.json()["current_item_started_at"]
    response = client.post(reverse("meetings:end", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:minutes", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFT
    assert meeting.current_item is None


def test_going_to_an_item_is_refused_before_the_start_and_for_another_meeting(org, manager):
    meeting = factories.meeting(org.project, manager, chair=manager)
    other = factories.meeting(org.project, manager, chair=manager)
    client = client_for(manager)
    goto = reverse("meetings:goto", args=[meeting.pk])
    first = meeting.agenda.all()[0]
    response = client.post(goto, {"item": first.pk}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "Start the meeting first" in response.json()["error"]
    services.meeting_start(meeting=meeting, by=manager)
    foreign = other.agenda.all()[0]
    response = client.post(goto, {"item": foreign.pk}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    response = client.post(goto, {"item": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.current_item == first


def test_a_meeting_cannot_end_twice_nor_start_after_it_ended(org, manager):
    meeting = factories.meeting(org.project, manager, chair=manager)
    client = client_for(manager)
    services.meeting_end(meeting=meeting, by=manager)
    response = client.post(reverse("meetings:end", args=[meeting.pk]), follow=True)
    assert "already ended" in response.content.decode()
    response = client.post(
        reverse("meetings:start", args=[meeting.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFT


def test_a_viewer_cannot_start_the_meeting(org, manager, viewer):
    meeting = factories.meeting(org.project, manager, chair=manager)
    assert client_for(viewer).post(reverse("meetings:start", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_state_tells_a_second_screen_where_the_meeting_is(org, manager, viewer):
    meeting = factories.meeting(org.project, manager, chair=manager)
    meeting = services.meeting_start(meeting=meeting, by=manager)
    first = meeting.agenda.order_by("position")[0]
    services.agenda_item_update(item=first, version=first.version, by=manager, notes="Budget ok")
    services.outcome_capture(
        meeting=meeting,
        agenda_item=first,
        kind="action",
        scope=org.project,
        by=manager,
        title="Book the room",
    )
    response = client_for(viewer).get(reverse("meetings:state", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    state = response.json()
    assert state["status"] == "in_progress"
    assert state["current_item"] == first.pk
    assert state["started_at"]
    assert state["items"][0] == {"id": first.pk, "version": 2, "notes": "Budget ok", "outcomes": 1}
    assert state["items"][1]["outcomes"] == 0


def test_the_outcome_list_of_an_item_can_be_fetched_on_its_own(org, manager, viewer):
    meeting = factories.meeting(org.project, manager, chair=manager)
    first = meeting.agenda.all()[0]
    action = services.outcome_capture(
        meeting=meeting,
        agenda_item=first,
        kind="action",
        scope=org.project,
        by=manager,
        title="Book the room",
    )
    url = _chair(meeting) + f"?part=outcomes&item={first.pk}"
    content = client_for(viewer).get(url).content.decode()
    assert action.ref in content and "<html" not in content
    other = factories.meeting(org.project, manager)
    response = client_for(viewer).get(
        _chair(meeting) + f"?part=outcomes&item={other.agenda.all()[0].pk}"
    )
    assert response.status_code == 404
