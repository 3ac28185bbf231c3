"""The minutes of a meeting: check and publish the draft, read, download and send them.

While the minutes are a draft (the meeting is running or has ended) the people who run the
meeting see them as they will be published, with the notes and the summary editable in
place (the same autosave as the chair view). Publishing freezes a numbered version and
e-mails it; a correction reopens the draft and publishes the next version, the earlier
ones stay readable. Everyone who sees the meeting reads the published versions and
downloads them as Word or PDF.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schakel.lib.services import StaleVersionError

from . import access, downloads, mail
from .minutes import minutes_build, minutes_from_json, minutes_publish, minutes_reopen
from .minutes_doc import document
from .models import Meeting, MinutesVersion
from .views_live import js_strings, meeting_crumbs


def _number(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    conflict: bool = False,
    error: str = "",
) -> HttpResponse:
    user = request.user
    can_run = access.can_run(user, meeting)
    versions = list(meeting.minutes_versions.order_by("-number").select_related("published_by"))
    requested = request.GET.get("version")
    shown: MinutesVersion | None = None
    if requested:
        number = _number(requested)
        shown = next((v for v in versions if v.number == number), None)
        if shown is None:
            raise Http404
    draft = can_run and meeting.minutes_editable and shown is None
    context: dict[str, Any] = {
        "meeting": meeting,
        "can_run": can_run,
        "versions": versions,
        "draft": draft,
        "conflict": conflict,
        "error": error,
        "breadcrumbs": meeting_crumbs(meeting, _("Minutes")),
    }
    if draft:
        agenda = list(meeting.agenda.order_by("position", "pk"))
        context.update(document(minutes_build(meeting), agenda))
        context["recipients"] = len(mail.recipients(meeting))
        context["strings"] = js_strings()
    else:
        shown = shown or (versions[0] if versions else None)
        if shown is not None:
            context.update(document(minutes_from_json(shown.data)))
    context["shown"] = shown
    return render(request, "meetings/minutes.html", context, status=status)


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft (for those who run the meeting) or a published version (`?version=N`)."""
    meeting = access.meeting_for_user(request.user, pk)
    return _page(request, meeting)


def _version(request: HttpRequest) -> int | None:
    return _number(request.POST.get("version"))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the minutes as the next version and (by default) e-mail them to everyone."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    version = _version(request)
    if version is None:
        return _page(request, meeting, status=400, error=_("Reload the page and try again."))
    try:
        published = minutes_publish(meeting=meeting, version=version, by=user)
    except StaleVersionError:
        meeting = access.meeting_for_user(user, pk, run=True)
        return _page(request, meeting, status=409, conflict=True)
    except ValidationError as error:
        return _page(request, meeting, status=400, error=" ".join(error.messages))
    text = _("Version %(n)s of the minutes is published.") % {"n": published.number}
    if request.POST.get("send"):
        count = mail.queue_minutes(published, by=user)
        text += " " + _("It is being sent to %(n)s people.") % {"n": count}
    messages.success(request, text)
    return redirect(reverse("meetings:minutes", args=[meeting.pk]))


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen published minutes for a correction; the published versions stay readable."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    version = _version(request)
    if version is None:
        return _page(request, meeting, status=400, error=_("Reload the page and try again."))
    try:
        minutes_reopen(meeting=meeting, version=version, by=user)
    except StaleVersionError:
        meeting = access.meeting_for_user(user, pk, run=True)
        return _page(request, meeting, status=409, conflict=True)
    except ValidationError as error:
        return _page(request, meeting, status=400, error=" ".join(error.messages))
    messages.success(
        request, _("The minutes are open for correction. Publish again to send the new version.")
    )
    return redirect(reverse("meetings:minutes", args=[meeting.pk]))


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the latest published version again (to everyone invited or present)."""
    user = request.user
    meeting = access.meeting_for_user(user, pk, run=True)
    latest = meeting.minutes_versions.order_by("-number").first()
    if latest is None:
        return _page(request, meeting, status=400, error=_("Publish the minutes first."))
    count = mail.queue_minutes(latest, by=user)
    messages.success(
        request,
        _("Version %(v)s of the minutes is being sent to %(n)s people.")
        % {"v": latest.number, "n": count},
    )
    return redirect(reverse("meetings:minutes", args=[meeting.pk]))


# Downloads ----------------------------------------------------------------------------------


def _download(request: HttpRequest, meeting: Meeting) -> tuple[int | None, bool]:
    """Which minutes a download asks for: a version number (None: the latest) or the draft.

    The draft is for those who run the meeting (403 for others); a version that is not a
    number answers 404 like a missing one.
    """
    requested = request.GET.get("version", "")
    if requested == "draft":
        if not access.can_run(request.user, meeting):
            raise PermissionDenied
        return None, True
    if not requested:
        return None, False
    number = _number(requested)
    if number is None:
        raise Http404
    return number, False


@login_required
@require_GET
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a Word document (`?version=N`, default the latest; `draft`)."""
    meeting = access.meeting_for_user(request.user, pk)
    number, draft = _download(request, meeting)
    return downloads.minutes_docx_response(meeting, number, draft=draft)


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a PDF (`?version=N`, default the latest; `draft`)."""
    meeting = access.meeting_for_user(request.user, pk)
    number, draft = _download(request, meeting)
    return downloads.minutes_pdf_response(meeting, number, draft=draft)
