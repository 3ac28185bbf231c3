"""Pages of meetings: lists per scope, series, the meeting with its agenda, the chair view,
minutes, events, calendars and the decision log."""

from django.urls import path

from . import views_calendar, views_live, views_meetings, views_minutes, views_series

app_name = "meetings"

urlpatterns = [
    # Lists
    path("meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("projects/<int:pk>/meetings/", views_meetings.project_meetings, name="project_meetings"),
    path(
        "programmes/<int:pk>/meetings/",
        views_meetings.programme_meetings,
        name="programme_meetings",
    ),
    path(
        "portfolios/<int:pk>/meetings/",
        views_meetings.portfolio_meetings,
        name="portfolio_meetings",
    ),
    # Series
    path(
        "meeting-series/new/<str:scope_kind>/<int:pk>/",
        views_series.series_create,
        name="series_create",
    ),
    path("meeting-series/<int:pk>/", views_series.series_detail, name="series_detail"),
    path("meeting-series/<int:pk>/edit/", views_series.series_edit, name="series_edit"),
    path("meeting-series/<int:pk>/plan/", views_series.series_plan, name="series_plan"),
    path("meeting-series/<int:pk>/delete/", views_series.series_delete, name="series_delete"),
    path("meeting-series/<int:pk>/restore/", views_series.series_restore, name="series_restore"),
    # Meetings
    path(
        "meetings/new/<str:scope_kind>/<int:pk>/",
        views_meetings.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views_meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/delete/", views_meetings.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/restore/", views_meetings.meeting_restore, name="meeting_restore"),
    # Agenda
    path("meetings/<int:pk>/agenda/add/", views_meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/reorder/", views_meetings.agenda_reorder, name="agenda_reorder"),
    path("meetings/<int:pk>/agenda/prepare/", views_meetings.agenda_prepare, name="agenda_prepare"),
    path("agenda-items/<int:pk>/edit/", views_meetings.agenda_edit, name="agenda_edit"),
    path("agenda-items/<int:pk>/delete/", views_meetings.agenda_delete, name="agenda_delete"),
    path("agenda-items/<int:pk>/link/", views_meetings.agenda_link, name="agenda_link"),
    path(
        "agenda-items/<int:pk>/unlink/<slug:kind>/<int:item>/",
        views_meetings.agenda_unlink,
        name="agenda_unlink",
    ),
    # Attendance
    path(
        "meetings/<int:pk>/attendance/invite/",
        views_meetings.attendance_invite,
        name="attendance_invite",
    ),
    path(
        "meetings/<int:pk>/attendance/guest/",
        views_meetings.attendance_guest,
        name="attendance_guest",
    ),
    path("attendance/<int:pk>/", views_meetings.attendance_set, name="attendance_set"),
    path("attendance/<int:pk>/remove/", views_meetings.attendance_remove, name="attendance_remove"),
    # Events: parallel sessions and registrations
    path("meetings/<int:pk>/sessions/add/", views_meetings.session_add, name="session_add"),
    path("sessions/<int:pk>/edit/", views_meetings.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views_meetings.session_delete, name="session_delete"),
    path("sessions/<int:pk>/register/", views_meetings.session_register, name="session_register"),
    path(
        "sessions/<int:pk>/unregister/",
        views_meetings.session_unregister,
        name="session_unregister",
    ),
    # Running the meeting
    path("meetings/<int:pk>/chair/", views_live.chair, name="chair"),
    path("meetings/<int:pk>/state/", views_live.state, name="state"),
    path("meetings/<int:pk>/start/", views_live.start, name="start"),
    path("meetings/<int:pk>/goto/", views_live.goto, name="goto"),
    path("meetings/<int:pk>/end/", views_live.end, name="end"),
    path("meetings/<int:pk>/summary/", views_live.summary_save, name="summary_save"),
    path("agenda-items/<int:pk>/notes/", views_live.notes_save, name="notes_save"),
    path("meetings/<int:pk>/capture/<slug:kind>/", views_live.capture, name="capture"),
    path(
        "meetings/<int:pk>/actions/<int:action>/review/",
        views_live.action_review,
        name="action_review",
    ),
    # Minutes
    path("meetings/<int:pk>/minutes/", views_minutes.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/publish/", views_minutes.publish, name="minutes_publish"),
    path("meetings/<int:pk>/minutes/reopen/", views_minutes.reopen, name="minutes_reopen"),
    path("meetings/<int:pk>/minutes/send/", views_minutes.send, name="minutes_send"),
    path("meetings/<int:pk>/minutes/docx/", views_minutes.docx, name="minutes_docx"),
    path("meetings/<int:pk>/minutes/pdf/", views_minutes.pdf, name="minutes_pdf"),
    # Calendars
    path("meetings/<int:pk>/invite.ics", views_calendar.meeting_ics, name="meeting_ics"),
    path("calendar/", views_calendar.feed_settings, name="feed_settings"),
    path("calendar/feed/<str:key>.ics", views_calendar.feed, name="feed"),
    # Decision log across meetings
    path(
        "programmes/<int:pk>/decision-log/",
        views_calendar.programme_decision_log,
        name="programme_decision_log",
    ),
    path(
        "portfolios/<int:pk>/decision-log/",
        views_calendar.portfolio_decision_log,
        name="portfolio_decision_log",
    ),
]
