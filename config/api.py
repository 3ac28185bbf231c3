"""The REST API under /api/v1/: one router for every app, plus the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from schakel.accounts import api as accounts_api
from schakel.meetings import api as meetings_api
from schakel.planning import api as planning_api
from schakel.portfolio import api as portfolio_api
from schakel.registers import api as registers_api
from schakel.reporting import api as reporting_api

router = DefaultRouter()
accounts_api.register(router)
portfolio_api.register(router)
registers_api.register(router)
meetings_api.register(router)
reporting_api.register(router)
planning_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
