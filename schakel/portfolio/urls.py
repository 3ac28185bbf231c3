"""Pages of the portfolio tree; URLs nest under their owner."""

from django.urls import path

from . import views, views_history, views_members, views_trash

app_name = "portfolio"

urlpatterns = [
    path("overview/", views.home, name="home"),
    path("search/", views.search, name="search"),
    # Portfolios
    path("portfolios/", views.portfolio_list, name="portfolio_list"),
    path("portfolios/new/", views.portfolio_create, name="portfolio_create"),
    path("portfolios/<int:pk>/", views.portfolio_detail, name="portfolio_detail"),
    path("portfolios/<int:pk>/edit/", views.portfolio_edit, name="portfolio_edit"),
    path("portfolios/<int:pk>/delete/", views_trash.portfolio_delete, name="portfolio_delete"),
    path("portfolios/<int:pk>/history/", views_history.portfolio_history, name="portfolio_history"),
    path("portfolios/<int:pk>/members/", views_members.portfolio_members, name="portfolio_members"),
    path("portfolios/<int:pk>/programmes/new/", views.programme_create, name="programme_create"),
    # Programmes
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/archive/", views.programme_archive, name="programme_archive"),
    path("programmes/<int:pk>/delete/", views_trash.programme_delete, name="programme_delete"),
    path("programmes/<int:pk>/history/", views_history.programme_history, name="programme_history"),
    path("programmes/<int:pk>/members/", views_members.programme_members, name="programme_members"),
    path("programmes/<int:pk>/themes/new/", views.theme_create, name="theme_create"),
    path("programmes/<int:pk>/projects/new/", views.project_create, name="project_create"),
    # Themes
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/delete/", views_trash.theme_delete, name="theme_delete"),
    path("themes/<int:pk>/history/", views_history.theme_history, name="theme_history"),
    # Projects
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create_any, name="project_create_any"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/archive/", views.project_archive, name="project_archive"),
    path("projects/<int:pk>/move/", views.project_move, name="project_move"),
    path("projects/<int:pk>/delete/", views_trash.project_delete, name="project_delete"),
    path("projects/<int:pk>/history/", views_history.project_history, name="project_history"),
    path("projects/<int:pk>/members/", views_members.project_members, name="project_members"),
    # Memberships (edit and remove one)
    path("memberships/<int:pk>/edit/", views_members.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/remove/", views_members.membership_remove, name="membership_remove"),
    # Trash
    path("trash/", views_trash.trash_list, name="trash"),
    path("trash/<str:kind>/<int:pk>/restore/", views_trash.trash_restore, name="trash_restore"),
]
