"""Background tasks of the meetings app, run by `schakel worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def send_minutes_task(
    version_id: int,
    by_id: int | None = None,
    only: list[str] | None = None,
    attempt: int = 1,
) -> int:
    """E-mail a published version of the minutes; return how many messages went.

    Runs in the worker so a slow or unreachable mail server never holds up publishing.
    When no message could go out (the mail server is down) the task queues itself again
    with a growing wait; the minutes page says "Not sent (yet)" until one attempt succeeds.
    When the mail server goes away halfway, the next attempt goes to the recipients still
    waiting (`only`), so nobody gets the minutes twice and nobody is left out.
    """
    from schakel.accounts.models import User
    from schakel.lib.tasks import retry_mail_later

    from .mail import MinutesPartlySent, send_minutes
    from .models import MinutesVersion

    version = MinutesVersion.objects.select_related("meeting").filter(pk=version_id).first()
    if version is None:  # the meeting was deleted in the meantime
        return 0
    by = User.objects.filter(pk=by_id).first() if by_id else None
    what = f"the minutes of meeting {version.meeting_id} (version {version.number})"
    try:
        return send_minutes(version, by=by, only=only)
    except MinutesPartlySent as partly:
        retry_mail_later(
            send_minutes_task,
            [version_id, by_id, partly.pending],
            attempt=attempt,
            error=partly.cause,
            what=f"{what} to {len(partly.pending)} recipient(s)",
        )
        raise
    except OSError as error:
        retry_mail_later(
            send_minutes_task,
            [version_id, by_id, only],
            attempt=attempt,
            error=error,
            what=what,
        )
        raise
