"""Pages of the registers; lists nest under the scope they are shown for."""

from django.urls import path

from . import views_import, views_items, views_lists, views_overview

app_name = "registers"

urlpatterns = [
    # Overviews
    path("", views_overview.home, name="home"),
    path("my-work/", views_overview.my_work, name="my_work"),
    path("cockpit/", views_overview.cockpit, name="cockpit"),
    path("projects/<int:pk>/heatmap/", views_overview.project_heatmap, name="project_heatmap"),
    path(
        "programmes/<int:pk>/heatmap/",
        views_overview.programme_heatmap,
        name="programme_heatmap",
    ),
    path(
        "portfolios/<int:pk>/heatmap/",
        views_overview.portfolio_heatmap,
        name="portfolio_heatmap",
    ),
    # Lists at every level, their exports, quick add and bulk changes
    path("registers/<slug:register>/", views_lists.all_list, name="all_list"),
    path(
        "registers/<slug:register>/export/<str:fmt>/",
        views_lists.all_export,
        name="all_export",
    ),
    path("registers/<slug:register>/bulk/", views_lists.bulk, name="bulk"),
    path(
        "projects/<int:pk>/registers/<slug:register>/",
        views_lists.project_list,
        name="project_list",
    ),
    path(
        "projects/<int:pk>/registers/<slug:register>/export/<str:fmt>/",
        views_lists.project_export,
        name="project_export",
    ),
    path(
        "programmes/<int:pk>/registers/<slug:register>/",
        views_lists.programme_list,
        name="programme_list",
    ),
    path(
        "programmes/<int:pk>/registers/<slug:register>/export/<str:fmt>/",
        views_lists.programme_export,
        name="programme_export",
    ),
    path(
        "portfolios/<int:pk>/registers/<slug:register>/",
        views_lists.portfolio_list,
        name="portfolio_list",
    ),
    path(
        "portfolios/<int:pk>/registers/<slug:register>/export/<str:fmt>/",
        views_lists.portfolio_export,
        name="portfolio_export",
    ),
    # Creating items (full form, modal, or the one-line quick add)
    path(
        "projects/<int:pk>/registers/<slug:register>/new/",
        views_items.project_item_create,
        name="project_item_create",
    ),
    path(
        "programmes/<int:pk>/registers/<slug:register>/new/",
        views_items.programme_item_create,
        name="programme_item_create",
    ),
    # One item
    path("items/<str:kind>/<int:pk>/", views_items.item_detail, name="item_detail"),
    path("items/<str:kind>/<int:pk>/edit/", views_items.item_edit, name="item_edit"),
    path("items/<str:kind>/<int:pk>/inline/", views_items.item_inline, name="item_inline"),
    path("items/<str:kind>/<int:pk>/delete/", views_items.item_delete, name="item_delete"),
    path("items/<str:kind>/<int:pk>/history/", views_items.item_history, name="item_history"),
    path("items/<str:kind>/<int:pk>/comments/", views_items.comment_add, name="comment_add"),
    path("items/<str:kind>/<int:pk>/links/", views_items.link_add, name="link_add"),
    path(
        "items/<str:kind>/<int:pk>/links/<str:other_kind>/<int:other_pk>/remove/",
        views_items.link_remove,
        name="link_remove",
    ),
    path("items/<str:kind>/<int:pk>/occurred/", views_items.risk_occurred, name="risk_occurred"),
    path(
        "items/<str:kind>/<int:pk>/invalidate/",
        views_items.assumption_invalidate,
        name="assumption_invalidate",
    ),
    # Import from Excel and CSV
    path("projects/<int:pk>/import/", views_import.import_start, name="import_start"),
    path("imports/<int:pk>/", views_import.import_review, name="import_review"),
    path("imports/<int:pk>/commit/", views_import.import_commit, name="import_commit"),
]
