"""The life of a meeting through its services: plan, prepare, run, capture, publish."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from schakel.lib.origins import origin_of
from schakel.lib.services import StaleVersionError
from schakel.meetings import minutes as minutes_service
from schakel.meetings import services
from schakel.meetings.models import Attendance, Meeting, Outcome, Standing
from schakel.registers.models import Action, Decision
from schakel.registers.tests import factories as items

from . import factories


def test_a_series_plans_its_next_meetings_with_the_standard_agenda(org, manager, member):
    steering = factories.series(org.programme, manager, chair=manager, minute_taker=member)
    planned = services.series_plan(series=steering, by=manager, count=2)
    assert len(planned) == 2
    first, second = planned
    assert first.start < second.start
    assert timezone.localtime(first.start).time() == datetime.time(14, 0)
    assert first.duration_minutes == 90
    assert [a.title for a in first.agenda.all()][:2] == [
        "Opening and agenda",
        "Actions from the last meeting",
    ]
    invited = {a.user for a in first.attendance.all()}
    assert invited == {manager, member}
    # Planning again continues after the last meeting.
    third = services.series_plan(series=steering, by=manager)[0]
    assert third.start > second.start


def test_actions_captured_in_one_meeting_come_back_in_the_next(org, manager, member):
    org.programme.key = "SUP"
    org.programme.save()
    steering = factories.series(org.programme, manager, chair=manager)
    first, second = services.series_plan(series=steering, by=manager, count=2)
    services.meeting_start(meeting=first, by=manager)
    item = first.agenda.get(position=0)
    action = services.outcome_capture(
        meeting=first,
        agenda_item=item,
        kind="action",
        scope=org.project,
        by=manager,
        title="Send the business case",
        owner=member,
        due=timezone.localdate() + datetime.timedelta(days=14),
    )
    assert isinstance(action, Action)
    assert action.ref == "ODI-A1"
    decision = services.outcome_capture(
        meeting=first,
        agenda_item=item,
        kind="decision",
        scope=org.programme,
        by=manager,
        title="Go for option B",
        status=Decision.Status.APPROVED,
    )
    assert decision.forum == "Steering committee"
    assert services.previous_actions(second) == [action]
    added = services.agenda_prepare(meeting=second, by=manager)
    standing = second.agenda.get(standing=Standing.PREVIOUS_ACTIONS)
    assert added >= 1
    assert [link.item for link in standing.links.all()] == [action]
    # Marked done in the second meeting: recorded as reviewed there, no longer "previous".
    services.meeting_start(meeting=second, by=manager)
    services.action_review(
        meeting=second,
        agenda_item=standing,
        action=action,
        version=action.version,
        by=manager,
        status=Action.Status.DONE,
    )
    assert Outcome.objects.filter(meeting=second, role=Outcome.Role.REVIEWED).count() == 1
    assert services.previous_actions(second) == []
    origin = origin_of(manager, action)
    assert origin is not None
    assert origin.url.startswith(first.get_absolute_url())


def test_the_origin_is_hidden_from_who_cannot_see_the_meeting(org, manager, member):
    # A programme meeting is for the programme's people; a project member sees the action
    # it created in their project, but not the meeting it came from.
    meeting = factories.meeting(org.programme, manager)
    services.meeting_start(meeting=meeting, by=manager)
    action = services.outcome_capture(
        meeting=meeting,
        agenda_item=None,
        kind="action",
        scope=org.project,
        by=manager,
        title="Check the numbers",
    )
    assert origin_of(manager, action) is not None
    assert origin_of(member, action) is None


def test_published_minutes_are_frozen_and_corrections_are_new_versions(org, manager, member):
    meeting = factories.meeting(org.project, manager, chair=manager, minute_taker=member)
    services.meeting_start(meeting=meeting, by=manager)
    first_item = meeting.agenda.get(position=0)
    services.agenda_item_update(
        item=first_item, version=first_item.version, by=member, notes="All **green**."
    )
    row = meeting.attendance.get(user=member)
    services.attendance_set(attendance=row, status=Attendance.Status.PRESENT, by=member)
    action = services.outcome_capture(
        meeting=meeting,
        agenda_item=first_item,
        kind="action",
        scope=org.project,
        by=member,
        title="Book the room",
        owner=member,
    )
    meeting = services.meeting_end(meeting=meeting, by=manager)
    published = minutes_service.minutes_publish(
        meeting=meeting, version=meeting.version, by=manager
    )
    assert published.number == 1
    frozen = minutes_service.minutes_from_json(published.data)
    assert frozen.items[0].notes == "All **green**."
    assert frozen.items[0].outcomes[0].ref == action.ref
    # The minute taker marked herself present; the chair counts as present from the start.
    assert sorted(frozen.attendance.present) == sorted(
        [member.get_full_name(), manager.get_full_name()]
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    # Published: the agenda is read-only until the minutes are reopened.
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, by=manager, title="Late item")
    meeting = minutes_service.minutes_reopen(meeting=meeting, version=meeting.version, by=manager)
    services.agenda_item_add(meeting=meeting, by=manager, title="Correction")
    second = minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    assert second.number == 2
    assert len(minutes_service.minutes_from_json(second.data).items) == 3
    # The first version still says what was sent.
    published.refresh_from_db()
    assert len(minutes_service.minutes_from_json(published.data).items) == 2


def test_a_stale_notes_edit_is_refused(org, manager):
    meeting = factories.meeting(org.project, manager)
    item = meeting.agenda.get(position=0)
    services.agenda_item_update(item=item, version=item.version, by=manager, notes="one")
    with pytest.raises(StaleVersionError):
        services.agenda_item_update(item=item, version=item.version, by=manager, notes="two")


def test_moving_a_meeting_raises_its_calendar_sequence(org, manager):
    meeting = factories.meeting(org.project, manager)
    assert meeting.sequence == 0
    later = meeting.start + datetime.timedelta(hours=1)
    meeting = services.meeting_update(
        meeting=meeting,
        version=meeting.version,
        by=manager,
        start=later,
        end=later + datetime.timedelta(hours=1),
    )
    assert meeting.sequence == 1
    meeting = services.meeting_update(
        meeting=meeting, version=meeting.version, by=manager, title=meeting.title
    )
    assert meeting.sequence == 1
    meeting = services.meeting_cancel(meeting=meeting, by=manager)
    assert meeting.sequence == 2
    assert meeting.status == Meeting.Status.CANCELLED


def test_an_event_session_takes_registrations_up_to_its_capacity(org, manager, member, viewer):
    event = factories.meeting(org.programme, manager, kind="event", title="Workshop afternoon")
    session = services.session_add(meeting=event, by=manager, title="Risk workshop", capacity=1)
    services.session_register(session=session, user=member, by=member)
    # Registering twice is harmless; a second person finds it full.
    services.session_register(session=session, user=member, by=member)
    with pytest.raises(ValidationError):
        services.session_register(session=session, user=viewer, by=viewer)
    services.session_unregister(session=session, user=member, by=member)
    services.session_register(session=session, user=viewer, by=viewer)
    assert [r.user for r in session.registrations.all()] == [viewer]


def test_the_agenda_is_reordered_only_with_every_item_once(org, manager):
    meeting = factories.meeting(org.project, manager)
    first, second = meeting.agenda.all()
    with pytest.raises(ValidationError):
        services.agenda_reorder(meeting=meeting, order=[first.pk], by=manager)
    services.agenda_reorder(meeting=meeting, order=[second.pk, first.pk], by=manager)
    assert list(meeting.agenda.order_by("position")) == [second, first]


def test_capture_refuses_unknown_registers(org, manager):
    meeting = factories.meeting(org.project, manager)
    with pytest.raises(ValidationError):
        services.outcome_capture(
            meeting=meeting,
            agenda_item=None,
            kind="assumption",
            scope=org.project,
            by=manager,
            title="x",
        )


def test_due_risks_fill_the_review_item(org, manager):
    steering = factories.series(org.programme, manager)
    meeting = services.series_plan(series=steering, by=manager)[0]
    due = items.risk(org.project, manager, review_date=timezone.localdate())
    items.risk(
        org.project, manager, review_date=timezone.localdate() + datetime.timedelta(days=400)
    )
    items.risk(org.other_project, manager, review_date=timezone.localdate())
    services.agenda_prepare(meeting=meeting, by=manager)
    review = meeting.agenda.get(standing=Standing.RISKS_REVIEW)
    assert [link.item for link in review.links.all()] == [due]


def test_an_invitee_who_sees_part_of_the_scope_sees_the_meeting(org, manager, member, outsider):
    meeting = factories.meeting(org.programme, manager, title="Steering committee")
    from schakel.meetings import access

    assert not access.visible_meetings(member).filter(pk=meeting.pk).exists()
    services.attendance_invite(meeting=meeting, user=member, by=manager)
    services.attendance_invite(meeting=meeting, user=outsider, by=manager)
    assert access.visible_meetings(member).filter(pk=meeting.pk).exists()
    # Invited but without any role in the programme: still hidden.
    assert not access.visible_meetings(outsider).filter(pk=meeting.pk).exists()
    # Losing the last role in the scope hides it again.
    member.memberships.all().delete()
    from schakel.portfolio.access import forget_roles

    forget_roles(member)
    assert not access.visible_meetings(member).filter(pk=meeting.pk).exists()


def test_a_person_takes_one_of_two_parallel_sessions_but_can_follow_one_after_another(
    org, manager, member
):
    event = factories.meeting(org.programme, manager, kind="event", title="Workshops")
    first = services.session_add(meeting=event, by=manager, title="Risks")
    parallel = services.session_add(meeting=event, by=manager, title="Reports")
    services.session_register(session=first, user=member, by=member)
    with pytest.raises(ValidationError, match="Risks"):
        services.session_register(session=parallel, user=member, by=member)
    # Two rounds: the first session in the first hour, another in the second.
    services.session_update(
        session=first,
        by=manager,
        start=event.start,
        end=event.start + datetime.timedelta(minutes=30),
    )
    services.session_update(
        session=parallel,
        by=manager,
        start=event.start + datetime.timedelta(minutes=30),
        end=event.end,
    )
    first.refresh_from_db()
    parallel.refresh_from_db()
    services.session_register(session=parallel, user=member, by=member)
    assert member.registrations.count() == 2
