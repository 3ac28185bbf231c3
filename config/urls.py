"""The site's URLs: pages per app, the API under /api/v1/, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from schakel.accounts import views as accounts_views
from schakel.lib import views as lib_views

urlpatterns = [
    path("healthz", lib_views.healthz, name="healthz"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("accounts/", include("schakel.accounts.urls")),
    path("", include("schakel.registers.urls")),
    path("", include("schakel.meetings.urls")),
    path("", include("schakel.reporting.urls")),
    path("", include("schakel.planning.urls")),
    path("", include("schakel.portfolio.urls")),
]

handler404 = "schakel.lib.views.not_found"
handler403 = "schakel.lib.views.forbidden"
handler500 = "schakel.lib.views.server_error"
