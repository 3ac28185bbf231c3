"""The column headers of real RAID templates (recorded in ../shared/samples/SOURCES.md) map.

The templates themselves could not be copied, so their headers are read from the notes
and workbooks are built with them, the way the templates lay them out (a title or a
document-control block above the header row).
"""

from __future__ import annotations

import re

import pytest

from schakel.registers import imports

from .test_import_support import SAMPLES, commit, last_job, messages_of, upload, xlsx_bytes

SOURCES = SAMPLES / "SOURCES.md"
pytestmark = pytest.mark.skipif(not SOURCES.exists(), reason="the shared samples are not here")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def recorded_headers() -> dict[str, list[str]]:
    """The header lists of SOURCES.md, by the label in front of them ("Risks", ...)."""
    text = SOURCES.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(
        r"(\*\*[^*`]+\*\*|[A-Z][a-z]+|header on row \d+\*\*):\s*`([^`]+)`", text
    ):
        label = match.group(1).strip("*")
        flat = " ".join(match.group(2).split())
        found[label] = [h.strip() for h in re.split(r",\s*(?![^()]*\))", flat)]
    return found


# (label in SOURCES.md, register, header → field that must be guessed)
EXPECTED = [
    (
        "header on row 2",
        "risk",
        {
            "ID": "ref",
            "Status": "status",
            "Title": "title",
            "Description (If, then statement for risks)": "description",
            "Category": "category",
            "Probability": "probability",
            "Impact": "impact",
            "Value": "score",
            "Action Plan/Notes": "response_plan",
            "Trigger": "cause",
            "Response": "response",
            "Owner": "owner",
            "Due Date": "review_date",
        },
    ),
    (
        "Risks",
        "risk",
        {
            "Risk ID": "ref",
            "Category": "category",
            "Risk Description": "description",
            "Trigger / Cause": "cause",
            "Probability": "probability",
            "Impact": "impact",
            "Risk Rating": "score",
            "Mitigation Plan": "response_plan",
            "Owner": "owner",
            "Review Date": "review_date",
            "Status": "status",
        },
    ),
    (
        "Assumptions",
        "assumption",
        {
            "Assumption ID": "ref",
            "Assumption Description": "description",
            "Owner": "owner",
            "Validation Date": "validated_on",
            "Status": "status",
            "Impact if Wrong": "consequence",
        },
    ),
    (
        "Issues",
        "issue",
        {
            "Issue ID": "ref",
            "Issue Description": "description",
            "Impact": "severity",
            "Priority": "priority",
            "Raised By": "raised_by",
            "Owner": "owner",
            "Date Raised": "raised_on",
            "Target Date": "target_date",
            "Actual Res. Date": "resolved_on",
            "Status": "status",
            "Resolution Action": "resolution",
        },
    ),
    (
        "Dependencies",
        "dependency",
        {
            "Dep. ID": "ref",
            "Dependency Description": "description",
            "Dependent On": "other_project",
            "Owner": "owner",
            "Required By": "need_by",
            "Status": "status",
        },
    ),
    (
        "Risk Register",
        "risk",
        {
            "ID": "ref",
            "Description": "description",
            "Category": "category",
            "Proximity": "proximity",
            "Probability": "probability",
            "Impact": "impact",
            "Exposure": "score",
            "Status": "status",
            "Short Mitigation Brief": "response_plan",
            "Target Date": "review_date",
        },
    ),
    (
        "Issue Register",
        "issue",
        {
            "ID": "ref",
            "Current Status": "status",
            "Type": "type",
            "Priority": "priority",
            "Description": "description",
            "Assigned to Owner": "owner",
            "Expected Resolution Date": "target_date",
            "Date Identified": "raised_on",
            "Entered By": "raised_by",
            "Actual Resolution Date": "resolved_on",
            "Final Resolution and Rational": "resolution",
        },
    ),
    (
        "Change Requests",
        "issue",
        {"ID": "ref", "Title": "title", "Raised by": "raised_by", "Status": "status"},
    ),
]


def test_the_notes_record_every_template_we_expect():
    assert {label for label, _kind, _fields in EXPECTED} <= set(recorded_headers())


@pytest.mark.parametrize(("label", "kind", "expected"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_the_recorded_headers_of_each_template_map_to_our_fields(label, kind, expected):
    headers = recorded_headers()[label]

    guessed = dict(zip(headers, imports._guess(headers, kind), strict=True))

    assert {h: guessed[h] for h in expected} == expected
    unexpected = {h: f for h, f in guessed.items() if f and h not in expected}
    assert unexpected == {}


def cells_for(headers, values):
    return [values.get(header, "") for header in headers]


def test_the_red_hat_raid_log_imports_with_its_title_row_and_fractions(client_as, org, member):
    headers = recorded_headers()["header on row 2"]
    row = {
        "ID": "RAID-01",
        "Type": "Risk",
        "Status": "Open",
        "Title": "Vendor delays hardware",
        "Description (If, then statement for risks)": "If the vendor is late, then go-live slips",
        "Category": "Suppliers",
        "Probability": 0.75,
        "Impact": 4,
        "Value": 3,
        "Response": "Mitigate",
        "Owner": "member",
        "Due Date": "2026-03-01",
    }
    data = xlsx_bytes({"RAID Log": [["Project RAID Log"], headers, cells_for(headers, row)]})
    client = client_as(member)

    upload(client, org.project, data, name="Project_Dashboard.xlsx")
    job = last_job()
    commit(client, job)

    assert job.sheets[0]["header_row"] == 2
    assert messages_of(job) == []
    risk = org.project.risk_items.get()
    assert (risk.title, risk.probability, risk.impact, risk.response) == (
        "Vendor delays hardware",
        4,
        4,
        "reduce",
    )


def test_the_pmo_raid_log_imports_from_row_11_with_text_dates_and_ratings(client_as, org, manager):
    workbook = {}
    above = [["PMO RAID Log"], ["Document control"], ["Version", "1.0"], ["Owner", "PMO"], []]
    above += [["Open risks", 3, "High", 1]] + [[]] * 4
    samples = {
        "Risks": {
            "Risk ID": "R-001",
            "Category": "IT and data",
            "Risk Description": "Data migration loses records\nSee the migration plan.",
            "Probability": "HIGH",
            "Impact": "MEDIUM",
            "Risk Rating": "HIGH",
            "Owner": "manager",
            "Date Raised": "01/02/26",
            "Review Date": "15/03/26",
            "Status": "Open",
        },
        "Assumptions": {
            "Assumption ID": "A-001",
            "Assumption Description": "Budget stays the same",
            "Validation Date": "01/04/26",
            "Status": "Open",
        },
        "Issues": {
            "Issue ID": "I-001",
            "Issue Description": "Test server down",
            "Impact": "High",
            "Priority": "Medium",
            "Target Date": "20/03/26",
            "Status": "Open",
        },
        "Dependencies": {
            "Dep. ID": "D-001",
            "Dependency Description": "Policy approved first",
            "Dependent On": "POL",
            "Required By": "30/04/26",
            "Status": "Open",
        },
    }
    recorded = recorded_headers()
    for sheet, values in samples.items():
        headers = recorded[sheet]
        workbook[sheet] = [*above, headers, cells_for(headers, values)]
    client = client_as(manager)

    upload(client, org.project, xlsx_bytes(workbook), name="PMO_RAID_Log.xlsx", register="raid")
    job = last_job()
    commit(client, job)

    assert [s["header_row"] for s in job.sheets] == [11, 11, 11, 11]
    assert messages_of(job) == []
    job.refresh_from_db()
    assert job.result["created"] == {"risk": 1, "issue": 1, "assumption": 1, "dependency": 1}
    risk = org.project.risk_items.get()
    assert (risk.title, risk.probability, risk.impact) == ("Data migration loses records", 4, 3)
    assert str(risk.review_date) == "2026-03-15"
    assert org.project.dependency_items.get().other_project == org.sibling
