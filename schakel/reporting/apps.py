from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Reporting cycles and highlight reports with RAG per dimension, reviewed by the PMO."""

    name = "schakel.reporting"
    label = "reporting"
    verbose_name = _("Reporting")
