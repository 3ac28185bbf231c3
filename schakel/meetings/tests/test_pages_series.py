"""Series pages: create with a standard agenda, plan meetings, edit with conflicts, trash."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.models import Meeting, MeetingSeries, Standing

from . import factories


def agenda_rows(rows: list[dict[str, str]], *, initial: int = 0) -> dict[str, str]:
    """The formset's fields for `rows` (each a dict of title, minutes, standing, ...)."""
    data = {
        "agenda-TOTAL_FORMS": str(len(rows)),
        "agenda-INITIAL_FORMS": str(initial),
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "50",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"agenda-{n}-{key}"] = value
    return data


def series_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "steering_committee",
        "title": "Steering committee ODI",
        "description": "",
        "recurrence": "monthly_weekday",
        "first_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "start_time": "14:00",
        "duration": "90",
        "location": "Room 4.12",
        "online_url": "",
    }
    data.update(overrides)
    return data


def test_a_manager_sets_up_a_series_with_a_standard_agenda(client_as, org, manager, member):
    url = reverse("meetings:series_create", args=["project", org.project.pk])
    assert client_as(manager).get(url).status_code == 200
    rows = [
        {"title": "Opening", "minutes": "5", "ORDER": "2"},
        {"title": "Actions", "minutes": "10", "standing": "previous_actions", "ORDER": "1"},
        {"title": "", "minutes": "10", "ORDER": ""},  # an empty row is skipped
        {"title": "Dropped", "minutes": "5", "DELETE": "on", "ORDER": "3"},
    ]
    data = {
        **series_data(chair=str(manager.pk), minute_taker=str(member.pk)),
        "invitees": [str(member.pk)],
        **agenda_rows(rows),
    }
    answer = client_as(manager).post(url, data)
    assert answer.status_code == 302
    series = MeetingSeries.objects.get(title="Steering committee ODI")
    assert answer["Location"] == series.get_absolute_url()
    assert series.project == org.project
    assert series.standard_agenda == [
        {"title": "Actions", "minutes": 10, "standing": Standing.PREVIOUS_ACTIONS},
        {"title": "Opening", "minutes": 5},
    ]
    assert list(series.invitees.all()) == [member]
    assert (series.chair, series.minute_taker) == (manager, member)


def test_planning_through_the_pages_makes_meetings_with_the_standard_agenda(
    client_as, org, manager, member
):
    series = factories.series(org.project, manager, chair=manager, invitees=[member])
    answer = client_as(manager).post(
        reverse("meetings:series_plan", args=[series.pk]), {"count": "3"}, follow=True
    )
    assert "3 meetings planned, the first on" in answer.content.decode()
    meetings = list(Meeting.objects.filter(series=series).order_by("start"))
    assert len(meetings) == 3
    assert meetings[0].agenda.order_by("position")[0].title == "Opening and agenda"
    page = client_as(member).get(series.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert len(page.context["upcoming"]) == 3
    for meeting in meetings:
        assert meeting.get_absolute_url() in html
    assert "Plan next meetings" not in html  # the member may not plan


@pytest.mark.parametrize("count", ["0", "13", "many", ""])
def test_planning_a_count_outside_one_to_twelve_is_refused(client_as, org, manager, count):
    series = factories.series(org.project, manager)
    answer = client_as(manager).post(
        reverse("meetings:series_plan", args=[series.pk]), {"count": count}, follow=True
    )
    assert "Plan between 1 and 12 meetings at a time." in answer.content.decode()
    assert not Meeting.objects.exists()


def test_a_series_that_does_not_repeat_says_when_there_is_no_next_date(client_as, org, manager):
    series = factories.series(
        org.project,
        manager,
        recurrence="none",
        first_date=timezone.localdate() - datetime.timedelta(days=5),
    )
    answer = client_as(manager).post(
        reverse("meetings:series_plan", args=[series.pk]), {"count": "2"}, follow=True
    )
    assert "There is no next date" in answer.content.decode()


def test_field_errors_of_the_series_and_its_agenda_rows_are_shown(client_as, org, manager):
    url = reverse("meetings:series_create", args=["project", org.project.pk])
    rows = [{"title": "", "minutes": "5", "ORDER": "1", "description": "a note"}]
    data = {
        **series_data(title="", duration="2", online_url="javascript:alert(1)"),
        **agenda_rows(rows),
    }
    answer = client_as(manager).post(url, data)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "This field is required." in html
    assert "Ensure this value is greater than or equal to 5." in html
    assert "Enter a valid URL." in html
    assert "Give the item a title, or remove the row." in html
    assert not MeetingSeries.objects.exists()


def test_a_standard_agenda_with_too_many_rows_is_refused(client_as, org, manager):
    url = reverse("meetings:series_create", args=["project", org.project.pk])
    rows = [{"title": f"Item {n}", "minutes": "5", "ORDER": str(n)} for n in range(51)]
    answer = client_as(manager).post(url, {**series_data(), **agenda_rows(rows)})
    assert answer.status_code == 400
    assert "Please submit at most 50 forms." in answer.content.decode()


def test_a_mangled_management_form_is_an_error_not_a_crash(client_as, org, manager):
    url = reverse("meetings:series_create", args=["project", org.project.pk])
    answer = client_as(manager).post(url, {**series_data(), "agenda-TOTAL_FORMS": "lots"})
    assert answer.status_code == 400


def test_people_outside_the_scope_cannot_be_named(client_as, org, manager, outsider):
    url = reverse("meetings:series_create", args=["project", org.project.pk])
    data = {
        **series_data(chair=str(outsider.pk)),
        "invitees": [str(outsider.pk)],
        **agenda_rows([]),
    }
    answer = client_as(manager).post(url, data)
    assert answer.status_code == 400
    assert "Select a valid choice." in answer.content.decode()


def test_a_portfolio_series_chooses_among_everyone_in_the_portfolio(
    client_as, org, pmo, manager, outsider
):
    url = reverse("meetings:series_create", args=["portfolio", org.portfolio.pk])
    form = client_as(pmo).get(url).context["form"]
    people = list(form.fields["chair"].queryset)
    assert pmo in people and manager in people and outsider not in people


def test_editing_a_series_saves_it(client_as, org, manager):
    series = factories.series(
        org.project, manager, standard_agenda=[{"title": "Opening", "minutes": 5}]
    )
    url = reverse("meetings:series_edit", args=[series.pk])
    form = client_as(manager).get(url)
    assert 'value="Opening"' in form.content.decode()
    rows = [
        {"title": "Opening", "minutes": "10", "ORDER": "1"},
        {"title": "AOB", "minutes": "5", "ORDER": "2"},
    ]
    data = {
        **series_data(title="Board"),
        "version": str(series.version),
        **agenda_rows(rows, initial=1),
    }
    answer = client_as(manager).post(url, data)
    assert answer.status_code == 302
    series.refresh_from_db()
    assert series.title == "Board"
    assert series.standard_agenda == [
        {"title": "Opening", "minutes": 10},
        {"title": "AOB", "minutes": 5},
    ]
    assert series.version == 2


def test_an_edit_from_an_older_version_answers_409_and_shows_the_current(
    client_as, org, manager, pmo
):
    series = factories.series(org.project, manager, title="Board")
    services.series_update(series=series, version=1, by=pmo, title="Board (renamed)")
    url = reverse("meetings:series_edit", args=[series.pk])
    data = {**series_data(title="Mine"), "version": "1", **agenda_rows([])}
    answer = client_as(manager).post(url, data)
    html = answer.content.decode()
    assert answer.status_code == 409
    assert "Someone else changed this while you were editing." in html
    assert 'value="Board (renamed)"' in html
    assert "Mine" in html  # in the table of differences
    series.refresh_from_db()
    assert series.title == "Board (renamed)"


def test_a_version_that_is_not_a_number_is_an_error(client_as, org, manager):
    series = factories.series(org.project, manager)
    url = reverse("meetings:series_edit", args=[series.pk])
    answer = client_as(manager).post(url, {**series_data(), "version": "x", **agenda_rows([])})
    assert answer.status_code == 400
    assert "The form lacks the version it was opened at" in answer.content.decode()


def test_a_series_goes_to_the_trash_and_comes_back(client_as, org, manager):
    series = factories.series(org.project, manager, title="Board")
    services.series_plan(series=series, by=manager)
    delete_url = reverse("meetings:series_delete", args=[series.pk])
    confirm = client_as(manager).get(delete_url).content.decode()
    assert "Its 1 meeting stays" in confirm
    answer = client_as(manager).post(delete_url, follow=True)
    assert "was moved to the trash" in answer.content.decode()
    assert not MeetingSeries.objects.filter(pk=series.pk).exists()
    assert Meeting.objects.filter(series=series).count() == 1
    assert client_as(manager).get(series.get_absolute_url()).status_code == 404
    # The trash page offers it back, and the restore brings it back.
    trash = client_as(manager).get(reverse("portfolio:trash")).content.decode()
    assert reverse("meetings:series_restore", args=[series.pk]) in trash
    answer = client_as(manager).post(reverse("meetings:series_restore", args=[series.pk]))
    assert answer.status_code == 302
    assert MeetingSeries.objects.filter(pk=series.pk).exists()


def test_only_managers_restore_a_series(client_as, org, manager, member, outsider):
    series = factories.series(org.project, manager)
    services.trash(obj=series, by=manager)
    url = reverse("meetings:series_restore", args=[series.pk])
    assert client_as(member).post(url).status_code == 403
    assert client_as(outsider).post(url).status_code == 404
    assert not MeetingSeries.objects.filter(pk=series.pk).exists()


def test_hostile_text_in_a_series_is_escaped(client_as, org, manager):
    series = factories.series(
        org.project,
        manager,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
        standard_agenda=[{"title": "<b>bold</b>", "minutes": 5}],
    )
    html = client_as(manager).get(series.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
