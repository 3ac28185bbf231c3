from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meeting series, meetings, agendas, attendance, live minutes and events.

    What a meeting decides and agrees lands in the registers (actions, decisions, risks,
    issues) with the meeting as its origin, so the minutes live on after the meeting."""

    name = "schakel.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from schakel.lib import origins, panels, search, trash

        from .origins import meeting_origins
        from .panels import my_meetings
        from .search import search_meetings
        from .trash import trashed_meetings

        origins.register(meeting_origins)
        panels.register("my_work", my_meetings)
        search.register(search_meetings)
        trash.register(trashed_meetings)
