from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, memberships with roles, and API tokens."""

    name = "schakel.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
