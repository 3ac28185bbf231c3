"""A whole steering committee in Chromium: prepare the agenda, chair it, capture an action and
a decision, publish the minutes, download them as Word, and find the action in its owner's
"My work" and the decision in the programme's decision log."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from conftest import PASSWORD
from schakel.meetings import services
from schakel.meetings.models import Meeting, MinutesVersion
from schakel.registers.models import Action, Decision
from schakel.registers.tests import factories as items
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_steering_committee_from_agenda_to_published_minutes(
    page, browser, live_server, org, manager, member, mailoutbox
):
    # A steering committee of project ODI, chaired and minuted by the programme manager,
    # with the member invited; a risk is due for review.
    series = services.series_create(
        scope=org.project,
        by=manager,
        invitees=[member],
        kind="steering_committee",
        title="Steering committee ODI",
        chair=manager,
        minute_taker=manager,
        recurrence="monthly_weekday",
        first_date=datetime.date.today(),
        start_time=datetime.time(14, 0),
        duration=60,
        standard_agenda=[
            {"title": "Opening", "minutes": 5},
            {"title": "Risks due for review", "minutes": 15, "standing": "risks_review"},
        ],
    )
    meeting = services.series_plan(series=series, by=manager)[0]
    risk = items.risk(org.project, manager, review_date=datetime.date.today())
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "manager", PASSWORD)
    base = page.base_url

    # Prepare: add an agenda item, then fill the standing items.
    page.goto(base + meeting.get_absolute_url())
    add = page.locator("form.agenda-add")
    add.locator("#id_add-title").fill("Budget 2027")
    add.get_by_role("button", name="Add to agenda").click()
    expect(page.locator("#agenda")).to_contain_text("Budget 2027")
    page.get_by_role("button", name="Prepare agenda").click()
    expect(page.locator("#agenda")).to_contain_text(risk.ref)

    # Chair: start, write notes (autosaved), capture an action and a decision.
    page.get_by_role("link", name="Open chair view").click()
    page.locator("#chair-start").click()
    expect(page.locator("#chair-end")).to_be_visible()
    notes = page.locator("textarea[data-field='notes']:visible")
    notes.fill("Opened at 14:02; the agenda was **agreed**.")
    expect(page.locator("[data-save-state]:visible").first).to_contain_text("Saved")

    capture = page.locator("[data-capture]")
    capture.locator("#capture-tab-action").click()
    action_form = capture.locator("#capture-form-action")
    action_form.get_by_label("Action").fill("Send the budget to finance")
    action_form.get_by_label("Owner").select_option(label=member.display_name)
    due = datetime.date.today() + datetime.timedelta(days=7)
    action_form.get_by_label("Due").fill(due.isoformat())
    action_form.get_by_role("button", name="Add action").click()
    expect(page.locator("#item-" + str(meeting.agenda.get(position=0).pk))).to_contain_text(
        "ODI-A1"
    )
    capture.locator("#capture-tab-decision").click()
    decision_form = capture.locator("#capture-form-decision")
    decision_form.get_by_label("Decision").fill("Budget 2027 approved")
    decision_form.get_by_role("button", name="Add decision").click()
    expect(page.locator(".chair-item:visible")).to_contain_text("ODI-D1")
    action = Action.objects.get(project=org.project)
    decision = Decision.objects.get(project=org.project)
    assert (action.owner, action.title) == (member, "Send the budget to finance")

    # End the meeting and publish the minutes; they are e-mailed with the Word file.
    page.locator("#chair-end").click()
    page.wait_for_url(re.compile(r"/minutes/$"))
    page.locator("#minutes-publish").click()
    expect(page.locator("main")).to_contain_text("Version 1 of the minutes is published")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert MinutesVersion.objects.filter(meeting=meeting, number=1).exists()
    assert {m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mailoutbox} == {
        manager.email,
        member.email,
    }

    # Download the Word document and read it back.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word (DOCX)").click()
    document = Document(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Steering committee ODI" in text
    assert "ODI-A1" in text and "Send the budget to finance" in text
    assert "agreed" in text

    # The decision is in the programme's decision log, with the meeting it came from.
    page.goto(f"{base}/programmes/{org.programme.pk}/decision-log/")
    row = page.locator("tr", has_text=decision.ref)
    expect(row).to_contain_text("Budget 2027 approved")
    expect(row.locator(f"a[href^='{meeting.get_absolute_url()}']")).to_have_count(1)

    # The owner finds the action in "My work", with where it came from on its page.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    owner_page = context.new_page()
    owner_page.base_url = base  # type: ignore[attr-defined]
    login(owner_page, "member", PASSWORD)
    owner_page.goto(base + "/my-work/")
    expect(owner_page.locator("main")).to_contain_text("ODI-A1")
    owner_page.goto(base + action.get_absolute_url())
    expect(owner_page.locator("main")).to_contain_text("Steering committee ODI")
    context.close()
