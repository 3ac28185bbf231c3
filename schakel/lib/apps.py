from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers: their templates and template tags, and the `__any_of` lookup."""

    name = "schakel.lib"
    label = "schakel_lib"
    verbose_name = "Schakel"

    def ready(self) -> None:
        from . import lookups

        lookups.register()
