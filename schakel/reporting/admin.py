from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DimensionRating, ReportingCycle, StatusReport


@admin.register(ReportingCycle)
class ReportingCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "frequency", "due_after", "active"]
    list_filter = ["frequency", "active"]
    search_fields = ["name"]
    filter_horizontal = ["projects"]


class RatingInline(admin.TabularInline):
    model = DimensionRating
    extra = 0


@admin.register(StatusReport)
class StatusReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "period_end", "revision", "status", "overall", "due"]
    list_filter = ["status", "overall"]
    search_fields = ["project__key", "project__name"]
    inlines = [RatingInline]
