from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """Portfolios, programmes, themes and projects."""

    name = "schakel.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")
