"""The agenda builder on the meeting page: add, edit, reorder, delete, link, prepare."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from schakel.meetings import minutes as minutes_service
from schakel.meetings import services
from schakel.meetings.models import AgendaLink, Meeting, Outcome, Standing
from schakel.registers.models import Action, Risk
from schakel.registers.tests import factories as items

from . import factories

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "agenda"}


@pytest.fixture
def meeting(org, manager, member):
    return factories.meeting(
        org.project, manager, start=factories.at(3, 14), chair=member, title="Project team ODI"
    )


def agenda_titles(meeting: Meeting) -> list[str]:
    return list(meeting.agenda.order_by("position", "pk").values_list("title", flat=True))


def test_the_agenda_shows_numbered_items_with_their_clock_times(client_as, meeting, member):
    page = client_as(member).get(meeting.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    # 14:00 start, two items of 20 minutes each.
    assert "14:00–14:20" in html
    assert "14:20–14:40" in html
    assert "40 min</strong> planned of 60 min" in html
    assert html.index("Progress") < html.index("Planning")


def test_an_agenda_longer_than_the_meeting_is_flagged(client_as, meeting, member):
    services.agenda_item_add(meeting=meeting, by=member, title="Budget", minutes=45)
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "Over time:" in html
    assert "the agenda runs 25 minutes longer than the meeting." in html


def test_the_chair_adds_an_item_with_htmx_and_gets_the_agenda_back(client_as, meeting, member):
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    answer = client_as(member).post(
        url,
        {"add-title": "Budget review", "add-minutes": "15", "add-presenter": member.pk},
        **HTMX,
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="agenda"' in html and "Budget review" in html
    assert "14:40–14:55" in html  # after the two items of 20 minutes
    assert "was added to the agenda" in html  # the message comes along out of band
    assert agenda_titles(meeting) == ["Progress", "Planning", "Budget review"]
    assert meeting.agenda.get(title="Budget review").presenter == member


def test_an_item_without_a_title_is_refused_with_a_field_error(client_as, meeting, member):
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    answer = client_as(member).post(url, {"add-title": "", "add-minutes": "ten"}, **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 422
    assert "This field is required." in html
    assert "Enter a whole number." in html
    assert agenda_titles(meeting) == ["Progress", "Planning"]


def test_without_javascript_adding_redirects_back_to_the_agenda(client_as, meeting, member):
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    answer = client_as(member).post(url, {"add-title": "AOB", "add-minutes": "5"})
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/meetings/{meeting.pk}/#agenda")


def test_editing_an_item_in_place_saves_it(client_as, meeting, member):
    item = meeting.agenda.get(title="Progress")
    url = reverse("meetings:agenda_edit", args=[item.pk])
    form = client_as(member).get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"agenda-{item.pk}")
    assert form.status_code == 200
    assert f'name="item-{item.pk}-title"' in form.content.decode()
    answer = client_as(member).post(
        url,
        {
            f"item-{item.pk}-title": "Progress per workstream",
            f"item-{item.pk}-minutes": "25",
            f"item-{item.pk}-version": item.version,
        },
        **HTMX,
    )
    assert answer.status_code == 200
    item.refresh_from_db()
    assert (item.title, item.minutes, item.version) == ("Progress per workstream", 25, 2)


def test_an_edit_from_an_older_version_answers_409_with_the_current_values(
    client_as, meeting, member, manager
):
    item = meeting.agenda.get(title="Progress")
    services.agenda_item_update(item=item, version=1, by=manager, title="Progress (moved)")
    url = reverse("meetings:agenda_edit", args=[item.pk])
    answer = client_as(member).post(
        url,
        {
            f"item-{item.pk}-title": "Mine",
            f"item-{item.pk}-minutes": "20",
            f"item-{item.pk}-version": "1",
        },
        **HTMX,
    )
    html = answer.content.decode()
    assert answer.status_code == 409
    assert "Someone else changed this while you were editing." in html
    assert 'value="Progress (moved)"' in html
    assert answer["HX-Retarget"] == f"#agenda-{item.pk}"
    item.refresh_from_db()
    assert item.title == "Progress (moved)"


def test_a_version_that_is_not_a_number_is_a_form_error_not_a_crash(client_as, meeting, member):
    item = meeting.agenda.get(title="Progress")
    answer = client_as(member).post(
        reverse("meetings:agenda_edit", args=[item.pk]),
        {
            f"item-{item.pk}-title": "X",
            f"item-{item.pk}-minutes": "5",
            f"item-{item.pk}-version": "abc",
        },
    )
    assert answer.status_code == 400
    assert "The form lacks the version it was opened at" in answer.content.decode()


def test_reordering_puts_the_agenda_in_the_posted_order(client_as, meeting, member):
    first, second = meeting.agenda.order_by("position")
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    answer = client_as(member).post(url, {"order": f"{second.pk},{first.pk}"}, **HTMX)
    assert answer.status_code == 200
    assert agenda_titles(meeting) == ["Planning", "Progress"]
    html = answer.content.decode()
    assert html.index("Planning") < html.index("Progress")
    assert "14:00–14:20" in html


@pytest.mark.parametrize(
    "order",
    ["first-only", "junk,1", "", "1,1", "99999999999999999999999"],
)
def test_a_bad_order_is_refused_and_changes_nothing(client_as, meeting, member, order):
    first, _second = meeting.agenda.order_by("position")
    posted = {
        "first-only": str(first.pk),
        "1,1": f"{first.pk},{first.pk}",
    }.get(order, order)
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    answer = client_as(member).post(url, {"order": posted}, **HTMX)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/plain")
    assert "every agenda item exactly once" in answer.content.decode()
    assert agenda_titles(meeting) == ["Progress", "Planning"]


def test_an_order_naming_another_meetings_item_is_refused(client_as, meeting, member, org, manager):
    other = factories.meeting(org.project, manager, title="Other")
    first, _second = meeting.agenda.order_by("position")
    foreign = other.agenda.order_by("position")[0]
    url = reverse("meetings:agenda_reorder", args=[meeting.pk])
    answer = client_as(member).post(url, {"order": f"{foreign.pk},{first.pk}"}, **HTMX)
    assert answer.status_code == 400
    assert agenda_titles(meeting) == ["Progress", "Planning"]


def test_the_up_button_works_without_javascript(client_as, meeting, member):
    first, second = meeting.agenda.order_by("position")
    page = client_as(member).get(meeting.get_absolute_url()).content.decode()
    # The "up" button of the second item carries the whole new order.
    assert f'name="order" value="{second.pk},{first.pk}"' in page
    answer = client_as(member).post(
        reverse("meetings:agenda_reorder", args=[meeting.pk]), {"order": f"{second.pk},{first.pk}"}
    )
    assert answer.status_code == 302
    assert agenda_titles(meeting) == ["Planning", "Progress"]


def test_an_item_with_captured_outcomes_cannot_be_deleted(client_as, meeting, member, org):
    item = meeting.agenda.get(title="Progress")
    services.meeting_start(meeting=meeting, by=member)
    services.outcome_capture(
        meeting=meeting, agenda_item=item, kind="action", scope=org.project, by=member, title="Call"
    )
    answer = client_as(member).post(reverse("meetings:agenda_delete", args=[item.pk]), **HTMX)
    assert answer.status_code == 422
    assert "Items were captured under this agenda item; it cannot be removed." in (
        answer.content.decode()
    )
    assert meeting.agenda.filter(pk=item.pk).exists()


def test_deleting_an_item_removes_it(client_as, meeting, member):
    item = meeting.agenda.get(title="Planning")
    answer = client_as(member).post(reverse("meetings:agenda_delete", args=[item.pk]), **HTMX)
    assert answer.status_code == 200
    assert agenda_titles(meeting) == ["Progress"]


def test_a_risk_is_linked_by_its_reference_code(client_as, meeting, member, org, manager):
    risk = items.risk(org.project, manager, title="Supplier delivers late")
    item = meeting.agenda.get(title="Progress")
    answer = client_as(member).post(
        reverse("meetings:agenda_link", args=[item.pk]), {"code": f" {risk.ref.lower()} "}, **HTMX
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert risk.ref in html and "Supplier delivers late" in html
    assert AgendaLink.objects.filter(agenda_item=item, item_id=risk.pk).exists()


@pytest.mark.parametrize("code", ["CAR-R1", "ODI-R999", "nonsense", ""])
def test_a_code_that_is_hidden_or_unknown_is_a_field_error(
    client_as, meeting, member, org, manager, code
):
    items.risk(org.other_project, manager, title="Someone else's risk")  # CAR-R1: hidden
    item = meeting.agenda.get(title="Progress")
    answer = client_as(member).post(
        reverse("meetings:agenda_link", args=[item.pk]), {"code": code}, **HTMX
    )
    html = answer.content.decode()
    assert answer.status_code == 422
    assert "No item with this code that you can see." in html or "This field is required." in html
    assert "Someone else&#x27;s risk" not in html and "Someone else's risk" not in html
    assert not AgendaLink.objects.exists()


def test_a_linked_item_is_taken_off_the_agenda(client_as, meeting, member, org, manager):
    risk = items.risk(org.project, manager)
    item = meeting.agenda.get(title="Progress")
    services.agenda_link(item=item, target=risk, by=member)
    answer = client_as(member).post(
        reverse("meetings:agenda_unlink", args=[item.pk, "risk", risk.pk]), **HTMX
    )
    assert answer.status_code == 200
    assert not AgendaLink.objects.exists()


def test_linked_items_the_reader_cannot_see_stay_hidden(client_as, meeting, member, org, manager):
    hidden = items.risk(org.other_project, manager, title="Secret merger")
    item = meeting.agenda.get(title="Progress")
    AgendaLink.objects.create(
        agenda_item=item, item_type=ContentType.objects.get_for_model(Risk), item_id=hidden.pk
    )
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "Secret merger" not in html
    html = client_as(manager).get(meeting.get_absolute_url()).content.decode()
    assert "Secret merger" not in html  # the manager has no role on CAR either


def test_preparing_the_agenda_fills_the_standing_items_and_says_how_many(client_as, org, manager):
    steering = factories.series(org.project, manager, chair=manager)
    first, second = services.series_plan(series=steering, by=manager, count=2)
    services.meeting_start(meeting=first, by=manager)
    services.outcome_capture(
        meeting=first,
        agenda_item=first.agenda.first(),
        kind="action",
        scope=org.project,
        by=manager,
        title="Send the plan",
        due=timezone.localdate() + datetime.timedelta(days=7),
    )
    items.risk(org.project, manager, review_date=timezone.localdate())
    answer = client_as(manager).post(reverse("meetings:agenda_prepare", args=[second.pk]), **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Agenda prepared: 2 items added." in html
    standing = second.agenda.get(standing=Standing.PREVIOUS_ACTIONS)
    sent = Action.objects.get(title="Send the plan")
    assert [link.item_id for link in standing.links.all()] == [sent.pk]
    again = client_as(manager).post(reverse("meetings:agenda_prepare", args=[second.pk]), **HTMX)
    assert "nothing new to add" in again.content.decode()


def test_a_published_meeting_shows_its_agenda_read_only_and_refuses_changes(
    client_as, meeting, member
):
    services.meeting_start(meeting=meeting, by=member)
    services.meeting_end(meeting=meeting, by=member)
    meeting.refresh_from_db()
    minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=member)
    page = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "The minutes are published: the agenda and attendance are read-only." in page
    assert "Add to agenda" not in page
    answer = client_as(member).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), {"add-title": "Late item"}, **HTMX
    )
    assert answer.status_code == 422
    assert agenda_titles(meeting) == ["Progress", "Planning"]


def test_viewers_see_the_agenda_without_controls_and_cannot_post(client_as, meeting, viewer):
    page = client_as(viewer).get(meeting.get_absolute_url()).content.decode()
    assert "Progress" in page
    assert "Add to agenda" not in page
    assert "data-drag-handle" not in page
    answer = client_as(viewer).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), {"add-title": "Sneaky"}
    )
    assert answer.status_code == 403


def test_a_member_who_is_not_chair_may_not_change_the_agenda(client_as, org, manager, member):
    meeting = factories.meeting(org.project, manager)
    answer = client_as(member).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), {"add-title": "Sneaky"}
    )
    assert answer.status_code == 403


def test_hostile_titles_are_escaped_on_the_meeting_page(client_as, meeting, member, org, manager):
    services.agenda_item_add(
        meeting=meeting, by=member, title="<script>alert(1)</script>", description="<img src=x>"
    )
    risk = items.risk(org.project, manager, title="<b>bold risk</b>")
    services.agenda_link(item=meeting.agenda.first(), target=risk, by=member)
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold risk</b>" not in html
    assert "<img src=x>" not in html


def test_outcomes_are_listed_by_register_for_those_who_may_see_them(
    client_as, meeting, member, org, manager
):
    services.meeting_start(meeting=meeting, by=member)
    item = meeting.agenda.first()
    services.outcome_capture(
        meeting=meeting,
        agenda_item=item,
        kind="action",
        scope=org.project,
        by=member,
        title="Write the plan",
        owner=member,
        due=datetime.date(2030, 1, 31),
    )
    services.outcome_capture(
        meeting=meeting,
        agenda_item=item,
        kind="decision",
        scope=org.project,
        by=member,
        title="Go for option B",
    )
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert html.index("Decisions") < html.index("Go for option B") < html.index("Write the plan")
    assert "31 Jan 2030" in html
    assert Outcome.objects.count() == 2
    action = Action.objects.get(title="Write the plan")
    assert action.ref in html


def test_without_javascript_a_bad_code_shows_the_page_with_the_error(client_as, meeting, member):
    item = meeting.agenda.get(title="Progress")
    answer = client_as(member).post(
        reverse("meetings:agenda_link", args=[item.pk]), {"code": "ZZ-R9"}
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "<html" in html
    assert f'id="agenda-link-{item.pk}-error"' in html
    assert "No item with this code that you can see." in html
    assert 'value="ZZ-R9"' in html
