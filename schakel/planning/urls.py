"""Pages of project plans."""

from django.urls import path

from . import views, views_dependencies, views_roadmap

app_name = "planning"

urlpatterns = [
    path("programmes/<int:pk>/roadmap/", views_roadmap.programme_roadmap, name="programme_roadmap"),
    path("portfolios/<int:pk>/roadmap/", views_roadmap.portfolio_roadmap, name="portfolio_roadmap"),
    path("projects/<int:pk>/plan/", views.project_plan, name="project_plan"),
    path("projects/<int:pk>/plan/tasks/new/", views.task_create, name="task_create"),
    path("projects/<int:pk>/plan/calendar/", views.plan_settings, name="plan_settings"),
    path("projects/<int:pk>/plan/baselines/", views.baseline_create, name="baseline_create"),
    path("projects/<int:pk>/plan/import/", views.plan_import, name="plan_import"),
    path("projects/<int:pk>/plan/export.xml", views.plan_export, name="plan_export"),
    path("projects/<int:pk>/plan/gantt.<str:kind>", views.gantt_download, name="gantt_download"),
    path("tasks/<int:pk>/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/indent/", views.task_indent, name="task_indent"),
    path("tasks/<int:pk>/outdent/", views.task_outdent, name="task_outdent"),
    path("tasks/<int:pk>/move/<str:direction>/", views.task_move, name="task_move"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/links/", views.link_create, name="link_create"),
    path("tasks/<int:pk>/link-options/", views.link_options, name="link_options"),
    path("task-links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("calendar-exceptions/<int:pk>/delete/", views.exception_delete, name="exception_delete"),
    path(
        "dependencies/<int:pk>/connect/",
        views_dependencies.dependency_connect,
        name="dependency_connect",
    ),
]
