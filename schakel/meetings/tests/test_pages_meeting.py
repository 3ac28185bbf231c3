"""Meeting pages: create (also from a series), edit with conflicts, cancel, trash, the hub."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.models import Kind, Meeting

from . import factories


def meeting_data(**overrides: str) -> dict[str, str]:
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "kind": "project_team",
        "title": "Sprint review",
        "date": day.isoformat(),
        "start_time": "09:30",
        "end_time": "10:15",
        "location": "Room 2.01",
        "online_url": "https://meet.example.org/odi",
    }
    data.update(overrides)
    return data


def test_a_manager_plans_a_meeting_in_their_time_zone(client_as, org, manager, member):
    manager.time_zone = "America/New_York"
    manager.save()
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    assert client_as(manager).get(url).status_code == 200
    data = {**meeting_data(chair=str(member.pk)), "invitees": [str(member.pk)]}
    answer = client_as(manager).post(url, data)
    meeting = Meeting.objects.get(title="Sprint review")
    assert answer.status_code == 302
    assert answer["Location"] == meeting.get_absolute_url()
    assert meeting.project == org.project
    local = meeting.start.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert local.time() == datetime.time(9, 30)
    assert meeting.duration_minutes == 45
    assert meeting.chair == member
    assert set(meeting.attendance.values_list("user__username", flat=True)) == {"member"}


def test_a_meeting_from_a_series_is_filled_in_from_it(client_as, org, manager, member):
    series = factories.series(
        org.project,
        manager,
        chair=manager,
        minute_taker=member,
        title="Board ODI",
        invitees=[member],
    )
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    page = client_as(manager).get(url, {"series": series.pk})
    form = page.context["form"]
    assert form.initial["title"] == "Board ODI"
    assert form.initial["start_time"] == datetime.time(14, 0)
    assert form.initial["end_time"] == datetime.time(15, 30)
    assert form.initial["minute_taker"] == member.pk
    data = {
        **meeting_data(title="Board ODI", kind="steering_committee", series=str(series.pk)),
        "chair": str(manager.pk),
        "minute_taker": str(member.pk),
    }
    answer = client_as(manager).post(url, data)
    assert answer.status_code == 302
    meeting = Meeting.objects.get(series=series)
    # Invitees left empty: the series' invitees come; the standard agenda too.
    assert set(meeting.attendance.values_list("user_id", flat=True)) == {manager.pk, member.pk}
    assert meeting.agenda.count() == len(factories.STANDARD_AGENDA)


def test_a_series_of_another_scope_cannot_be_chosen(client_as, org, manager):
    other = factories.series(org.sibling, manager, title="Policy board")
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    answer = client_as(manager).post(url, meeting_data(series=str(other.pk)))
    assert answer.status_code == 400
    assert "Select a valid choice." in answer.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_time", "09:00", "The meeting must end after it starts."),
        ("date", "someday", "Enter a valid date."),
        ("start_time", "25:99", "Enter a valid time."),
        ("kind", "party", "Select a valid choice."),
        ("online_url", "javascript:alert(1)", "Enter a valid URL."),
        ("title", "", "This field is required."),
        ("chair", "999999", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_on_its_field(client_as, org, manager, field, value, message):
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    answer = client_as(manager).post(url, meeting_data(**{field: value}))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_past_midnight_takes_an_end_date(client_as, org, manager):
    day = timezone.localdate() + datetime.timedelta(days=5)
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    data = meeting_data(
        start_time="22:00",
        end_time="01:00",
        end_date=(day + datetime.timedelta(days=1)).isoformat(),
    )
    assert client_as(manager).post(url, data).status_code == 302
    assert Meeting.objects.get().duration_minutes == 180


def test_editing_a_meeting_raises_its_calendar_sequence(client_as, org, manager):
    meeting = factories.meeting(org.project, manager, title="Review")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    page = client_as(manager).get(url)
    assert page.status_code == 200
    assert 'value="Review"' in page.content.decode()
    data = {**meeting_data(title="Review", location="Room 5"), "version": str(meeting.version)}
    answer = client_as(manager).post(url, data)
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.version, meeting.sequence) == ("Room 5", 2, 1)


def test_an_edit_from_an_older_version_answers_409_with_the_current_values(
    client_as, org, manager, pmo
):
    meeting = factories.meeting(org.project, manager, title="Review")
    services.meeting_update(meeting=meeting, version=1, by=pmo, location="Room 9")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    answer = client_as(manager).post(url, {**meeting_data(title="Review"), "version": "1"})
    html = answer.content.decode()
    assert answer.status_code == 409
    assert "Someone else changed this while you were editing." in html
    assert 'value="Room 9"' in html  # the form shows the stored row
    assert "Room 2.01" in html  # the table shows what was not saved
    meeting.refresh_from_db()
    assert meeting.location == "Room 9"


@pytest.mark.parametrize("version", ["", "one", "-1", "1e9"])
def test_a_missing_or_bad_version_is_an_error_not_a_crash(client_as, org, manager, version):
    meeting = factories.meeting(org.project, manager)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    answer = client_as(manager).post(url, {**meeting_data(), "version": version})
    assert answer.status_code == 400
    assert "The form lacks the version it was opened at" in answer.content.decode()


def test_only_managers_edit_cancel_or_delete(client_as, org, manager, member):
    meeting = factories.meeting(org.project, manager, chair=member)
    for name in ("meeting_edit", "meeting_cancel", "meeting_delete"):
        assert (
            client_as(member).get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
        )
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) not in html
    assert reverse("meetings:chair", args=[meeting.pk]) in html  # but the chair runs it


def test_cancelling_asks_first_then_cancels(client_as, org, manager):
    meeting = factories.meeting(org.project, manager)
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    confirm = client_as(manager).get(url).content.decode()
    assert "Cancel the meeting" in confirm
    answer = client_as(manager).post(url, follow=True)
    assert "The meeting is cancelled." in answer.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)
    again = client_as(manager).post(url, follow=True)
    assert "Only a planned meeting can be cancelled." in again.content.decode()


def test_a_meeting_goes_to_the_trash_with_undo_and_comes_back(client_as, org, manager):
    meeting = factories.meeting(org.project, manager, title="Review")
    url = reverse("meetings:meeting_delete", args=[meeting.pk])
    assert "Move “Review” to the trash?" in client_as(manager).get(url).content.decode()
    answer = client_as(manager).post(url, follow=True)
    html = answer.content.decode()
    assert "was moved to the trash" in html
    restore = reverse("meetings:meeting_restore", args=[meeting.pk])
    assert restore in html  # the undo button
    assert client_as(manager).get(meeting.get_absolute_url()).status_code == 404
    assert client_as(manager).post(restore).status_code == 302
    assert client_as(manager).get(meeting.get_absolute_url()).status_code == 200


def test_the_hub_shows_who_where_and_when(client_as, org, manager, member, viewer):
    meeting = factories.meeting(
        org.project,
        manager,
        title="Review",
        chair=manager,
        minute_taker=member,
        online_url="https://meet.example.org/x",
        start=factories.at(2, 9),
    )
    page = client_as(viewer).get(meeting.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "09:00–10:00" in html
    assert 'href="https://meet.example.org/x"' in html
    assert "Room 2.01" in html
    assert manager.display_name in html and member.display_name in html
    assert reverse("meetings:meeting_ics", args=[meeting.pk]) in html
    # A viewer gets no controls.
    assert reverse("meetings:chair", args=[meeting.pk]) not in html
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) not in html
    assert "aria-pressed" not in html


def test_the_minutes_link_appears_once_there_are_minutes(client_as, org, manager, viewer):
    meeting = factories.meeting(org.project, manager, chair=manager)
    minutes = reverse("meetings:minutes", args=[meeting.pk])
    assert minutes not in client_as(viewer).get(meeting.get_absolute_url()).content.decode()
    services.meeting_start(meeting=meeting, by=manager)
    assert minutes in client_as(manager).get(meeting.get_absolute_url()).content.decode()


def test_an_event_shows_its_sessions_and_a_meeting_does_not(client_as, org, manager):
    meeting = factories.meeting(org.project, manager)
    event = factories.meeting(org.project, manager, kind=Kind.EVENT, title="Workshops")
    assert (
        'id="sessions"' not in client_as(manager).get(meeting.get_absolute_url()).content.decode()
    )
    assert 'id="sessions"' in client_as(manager).get(event.get_absolute_url()).content.decode()


def test_outsiders_get_404_and_anonymous_visitors_the_login(
    client, client_as, org, manager, outsider
):
    meeting = factories.meeting(org.project, manager)
    assert client_as(outsider).get(meeting.get_absolute_url()).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 302


def test_meetings_of_an_archived_project_cannot_be_planned(client_as, org, manager):
    org.project.archived_at = timezone.now()
    org.project.save()
    url = reverse("meetings:meeting_create", args=["project", org.project.pk])
    answer = client_as(manager).get(url, follow=True)
    assert "archived and read-only" in answer.content.decode()


def test_the_hub_needs_the_same_queries_however_long_the_agenda(
    client_as, org, manager, member, django_assert_max_num_queries
):
    from schakel.registers.tests import factories as items

    def build(n: int) -> Meeting:
        meeting = factories.meeting(
            org.project,
            manager,
            chair=member,
            agenda=[{"title": f"I{i}", "minutes": 5} for i in range(n)],
        )
        for index, item in enumerate(meeting.agenda.all()):
            services.agenda_link(item=item, target=items.risk(org.project, manager), by=manager)
            if index % 2:
                services.agenda_link(
                    item=item, target=items.action(org.project, manager), by=manager
                )
        return meeting

    small, large = build(2), build(12)
    client = client_as(member)
    client.get(small.get_absolute_url())
    budgets = []
    for meeting in (small, large):
        with django_assert_max_num_queries(30) as captured:
            client.get(meeting.get_absolute_url())
        budgets.append(len(captured.captured_queries))
    assert budgets[0] == budgets[1]
