from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers; an app only so that its templates and template tags are found."""

    name = "schakel.lib"
    label = "schakel_lib"
    verbose_name = "Schakel"
