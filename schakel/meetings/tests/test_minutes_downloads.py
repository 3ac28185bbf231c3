"""Downloading the minutes as Word and PDF, and the e-mail in the reader's language."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from conftest import client_for
from schakel.meetings import mail as minutes_mail
from schakel.meetings import minutes as minutes_service
from schakel.meetings import services
from schakel.meetings.models import Meeting

from . import factories


@pytest.fixture
def published(org, manager, member):
    meeting = factories.meeting(
        org.project, manager, chair=manager, minute_taker=member, title="Stuurgroep Ørsted"
    )
    first = meeting.agenda.order_by("position")[0]
    services.agenda_item_update(item=first, version=first.version, by=manager, notes="On track")
    services.outcome_capture(
        meeting=meeting,
        agenda_item=first,
        kind="decision",
        scope=org.project,
        by=manager,
        title="Go for option B",
        status="approved",
    )
    meeting = services.meeting_end(meeting=meeting, by=manager)
    minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    meeting.refresh_from_db()
    return meeting


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _url(name: str, meeting: Meeting, query: str = "") -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk]) + query


def test_the_published_minutes_download_as_word(org, viewer, published):
    response = client_for(viewer).get(_url("minutes_docx", published))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="minutes-stuurgroep-rsted-')
    assert disposition.endswith('-v1.docx"') and disposition.isascii()
    text = _docx_text(response.content)
    assert "Stuurgroep Ørsted" in text
    assert "Go for option B" in text and "ODI-D1" in text
    assert "On track" in text


def test_the_published_minutes_download_as_pdf(org, viewer, published):
    response = client_for(viewer).get(_url("minutes_pdf", published, "?version=1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-v1.pdf"')
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Go for option B" in text and "ODI-D1" in text


def test_unknown_versions_and_unpublished_minutes_answer_404(org, manager, viewer, published):
    client = client_for(viewer)
    assert client.get(_url("minutes_docx", published, "?version=2")).status_code == 404
    assert client.get(_url("minutes_docx", published, "?version=v1")).status_code == 404
    planned = factories.meeting(org.project, manager)
    assert client.get(_url("minutes_docx", planned)).status_code == 404
    assert client.get(_url("minutes_pdf", planned)).status_code == 404


def test_the_draft_downloads_marked_as_draft_for_those_who_run_the_meeting(
    org, manager, viewer, published
):
    meeting = minutes_service.minutes_reopen(
        meeting=published, version=published.version, by=manager
    )
    response = client_for(manager).get(_url("minutes_docx", meeting, "?version=draft"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-draft.docx"')
    assert "DRAFT – Stuurgroep Ørsted" in _docx_text(response.content)
    refused = client_for(viewer).get(_url("minutes_docx", meeting, "?version=draft"))
    assert refused.status_code == 403


def test_the_e_mail_is_written_in_each_readers_language(
    org, manager, member, published, django_capture_on_commit_callbacks
):
    member.language = "nl"
    member.save()
    version = published.minutes_versions.get()
    assert minutes_mail.send_minutes(version, by=manager) == 2
    by_address = {
        m.to[0].split("<")[-1].rstrip(">"): m
        for m in mail.outbox
        if isinstance(m, EmailMultiAlternatives)
    }
    dutch = str(by_address[member.email].alternatives[0][0])
    english = str(by_address[manager.email].alternatives[0][0])
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    assert by_address[member.email].reply_to == [manager.email]


def test_header_values_lose_every_control_character():
    assert minutes_mail.clean_header("A\r\nB\tC\x00D\u2028E") == "A B C D E"
    assert minutes_mail.clean_header("  spaced   out ") == "spaced out"
