"""HTTP answers with a meeting's files: the minutes as DOCX or PDF, the invitation as ICS.

The API sends the same files as the pages (`views_minutes.docx`/`pdf`,
`views_calendar.meeting_ics`), chosen the same way: a published version of the minutes
(the latest unless one is named), or the draft as it stands, titled as a draft, for those
who run a meeting that has started. Access is the caller's business: these functions
assume the user may have what they ask for.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from schakel.core.exports.documents import Minutes
from schakel.core.exports.docx import minutes_docx
from schakel.core.exports.ics import invitation
from schakel.core.exports.pdf import minutes_pdf

from .calendar import PRODID, meeting_event
from .minutes import minutes_build, minutes_from_json
from .minutes_doc import DOCX_TYPE, filename
from .models import Meeting

DOCX = DOCX_TYPE
PDF = "application/pdf"
ICS = "text/calendar"


def minutes_for(
    meeting: Meeting, version_number: int | None, *, draft: bool = False
) -> tuple[Minutes, str]:
    """The minutes asked for and the file name's suffix ("v2", "draft").

    `draft` builds them from what the meeting recorded so far (404 before it started);
    otherwise published version `version_number`, or the latest one (404 if none).
    """
    if draft:
        if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.CANCELLED):
            raise Http404
        built = minutes_build(meeting)
        title = _("DRAFT – %(title)s") % {"title": built.title}
        return dataclasses.replace(built, title=title), "draft"
    versions = meeting.minutes_versions.order_by("-number")
    if version_number is not None:
        versions = versions.filter(number=version_number)
    version = versions.first()
    if version is None:
        raise Http404
    return minutes_from_json(version.data), f"v{version.number}"


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    # File names are ASCII letters, digits, hyphens and a dot: never a line break.
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def minutes_docx_response(
    meeting: Meeting, version_number: int | None = None, *, draft: bool = False
) -> HttpResponse:
    """The minutes as a Word document (see `minutes_for` for which minutes)."""
    minutes, suffix = minutes_for(meeting, version_number, draft=draft)
    return _attachment(minutes_docx(minutes), DOCX, filename(minutes, suffix, "docx"))


def minutes_pdf_response(
    meeting: Meeting, version_number: int | None = None, *, draft: bool = False
) -> HttpResponse:
    """The minutes as a PDF (see `minutes_for` for which minutes)."""
    minutes, suffix = minutes_for(meeting, version_number, draft=draft)
    return _attachment(minutes_pdf(minutes), PDF, filename(minutes, suffix, "pdf"))


def meeting_ics_response(meeting: Meeting) -> HttpResponse:
    """The meeting's invitation; once the meeting is cancelled, its cancellation."""
    method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
    body = invitation(meeting_event(meeting), prodid=PRODID, method=method)
    return _attachment(body, f"{ICS}; charset=utf-8; method={method}", f"meeting-{meeting.pk}.ics")
