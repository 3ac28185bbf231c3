"""Pages of progress reporting: the Reports tabs, cycles with their compliance view, and
the highlight report with its workflow."""

from django.urls import path

from . import views_consolidated, views_cycles, views_reports

app_name = "reporting"

urlpatterns = [
    # Reports tabs
    path("reports/", views_cycles.my_reports, name="my_reports"),
    path("projects/<int:pk>/reports/", views_cycles.project_reports, name="project_reports"),
    path("programmes/<int:pk>/reports/", views_cycles.programme_reports, name="programme_reports"),
    path("portfolios/<int:pk>/reports/", views_cycles.portfolio_reports, name="portfolio_reports"),
    # Cycles
    path(
        "reporting-cycles/new/<str:scope_kind>/<int:pk>/",
        views_cycles.cycle_create,
        name="cycle_create",
    ),
    path("reporting-cycles/<int:pk>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("reporting-cycles/<int:pk>/edit/", views_cycles.cycle_edit, name="cycle_edit"),
    path("reporting-cycles/<int:pk>/publish/", views_cycles.cycle_publish, name="cycle_publish"),
    path(
        "reporting-cycles/<int:pk>/start/<int:project>/",
        views_cycles.report_start,
        name="report_start",
    ),
    path(
        "reporting-cycles/<int:pk>/remind/<int:project>/",
        views_cycles.cycle_remind,
        name="cycle_remind",
    ),
    # The consolidated report and its downloads
    path("reporting-cycles/<int:pk>/report/", views_consolidated.cycle_report, name="cycle_report"),
    path(
        "reporting-cycles/<int:pk>/key-messages/",
        views_consolidated.key_messages,
        name="key_messages",
    ),
    path(
        "reporting-cycles/<int:pk>/export/<str:kind>/",
        views_consolidated.export_start,
        name="export_start",
    ),
    path("report-exports/<int:pk>/", views_consolidated.export_status, name="export_status"),
    path(
        "report-exports/<int:pk>/download/",
        views_consolidated.export_download,
        name="export_download",
    ),
    # Reports
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views_reports.report_edit, name="report_edit"),
    path(
        "reports/<int:pk>/milestones-from-plan/",
        views_reports.report_milestones_from_plan,
        name="report_milestones_from_plan",
    ),
    path("reports/<int:pk>/submit/", views_reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/return/", views_reports.report_return, name="report_return"),
    path("reports/<int:pk>/approve/", views_reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/publish/", views_reports.report_publish, name="report_publish"),
    path("reports/<int:pk>/correct/", views_reports.report_correct, name="report_correct"),
]
