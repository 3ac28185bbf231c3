from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """The RAID log and the decision log: risks, issues, assumptions, dependencies, actions and
    decisions, sharing one mechanism for codes, owners, comments, links, history and lists."""

    name = "schakel.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from schakel.lib import search, trash

        from .search import search_registers
        from .trash import trashed_items

        search.register(search_registers)
        trash.register(trashed_items)
