from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Attendance, EventSession, Meeting, MeetingSeries


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "minutes", "standing"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["user", "name", "email", "invited", "status"]


class SessionInline(admin.TabularInline):
    model = EventSession
    extra = 0
    fields = ["position", "title", "room", "host", "capacity", "start", "end"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "recurrence", "first_date", "chair"]
    list_filter = ["kind", "recurrence"]
    search_fields = ["title"]
    filter_horizontal = ["invitees"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "start", "status", "chair"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "location"]
    date_hierarchy = "start"
    inlines = [AgendaInline, AttendanceInline, SessionInline]
