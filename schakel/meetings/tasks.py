"""Background tasks of the meetings app, run by `schakel worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def send_minutes_task(version_id: int, by_id: int | None = None) -> int:
    """E-mail a published version of the minutes; return how many messages went.

    Runs in the worker so a slow or unreachable mail server never holds up publishing.
    """
    from schakel.accounts.models import User

    from .mail import send_minutes
    from .models import MinutesVersion

    version = MinutesVersion.objects.select_related("meeting").filter(pk=version_id).first()
    if version is None:  # the meeting was deleted in the meantime
        return 0
    by = User.objects.filter(pk=by_id).first() if by_id else None
    return send_minutes(version, by=by)
