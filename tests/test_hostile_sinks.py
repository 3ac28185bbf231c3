"""One hostile payload through every sink (issue 8, "Hostile input").

`tests/hostile_world.py` fills every user-writable text of an organisation (names and
descriptions, register items of every register, a comment, a meeting with its agenda,
notes, summary, guest and outcomes, published minutes, a status report with every section,
ratings and milestones, key messages, plan tasks, people's names) with script tags, event
handlers, javascript: links, spreadsheet formulas, header and iCalendar line injection,
template syntax, a 20,000-character text and an RTL override. Each sink in `SINKS` renders
that world and `tests/hostile_checks.py` reads the result back with the library of its
format (lxml, json, email, csv, openpyxl, python-docx, python-pptx, pypdf, icalendar).

The world is built once for the module inside a transaction that is rolled back at the end;
each test runs in a savepoint of its own, so sinks that send mail or write cannot disturb
each other. A new sink joins by adding one entry to `SINKS`.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD, Org, client_for
from tests import hostile_checks as check
from tests.hostile_world import PAYLOADS, World, build_world

REGISTERS = {
    "risk": "risks",
    "issue": "issues",
    "assumption": "assumptions",
    "dependency": "dependencies",
    "action": "actions",
    "decision": "decisions",
}
FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "AXES_ENABLED": False,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "LANGUAGE_CODE": "en",
    "SCHAKEL_WARM_REPORT_PAGES": False,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The hostile world, built once; rolled back when the module is done."""
    from schakel.accounts.models import Membership, Role
    from schakel.accounts.tests.factories import UserFactory
    from schakel.portfolio.tests import factories as pf

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(**FAST, MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            portfolio = pf.PortfolioFactory(name="P")
            programme = pf.ProgrammeFactory(portfolio=portfolio, name="S")
            other = pf.ProgrammeFactory(portfolio=portfolio, name="C")
            theme = pf.ThemeFactory(programme=programme, name="T")
            project = pf.ProjectFactory(programme=programme, theme=theme, key="ODI")
            sibling = pf.ProjectFactory(programme=programme, key="POL")
            other_project = pf.ProjectFactory(programme=other, key="CAR")
            org = Org(portfolio, programme, other, theme, project, sibling, other_project)
            people = {}
            for name, role, scope in (
                ("pmo", Role.PMO, {"portfolio": portfolio}),
                ("manager", Role.MANAGER, {"programme": programme}),
                ("member", Role.MEMBER, {"project": project}),
            ):
                people[name] = UserFactory(
                    username=name, password=PASSWORD, email=f"{name}@example.org"
                )
                Membership.objects.create(user=people[name], role=role, **scope)
            sibling.manager = people["manager"]
            sibling.save()
            built = build_world(org, people["pmo"], people["manager"], people["member"])
            built.media = media  # type: ignore[attr-defined]
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def ready(world, db, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = world.media
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        yield world


def _get(user: Any, name: str, *args: Any, query: str = "", status: int = 200) -> Any:
    response = client_for(user).get(reverse(name, args=args) + query)
    assert response.status_code == status, f"{name}: {response.status_code}"
    return response


def page(name: str, args: Callable[[World], tuple], shown: Callable[[World], list[str]], *,
         user: str = "pmo", query: str = "") -> Callable[[World], None]:  # fmt: skip
    """A sink: the HTML page `name`, which must show the values `shown` as text."""

    def render(w: World) -> None:
        response = _get(getattr(w, user), name, *args(w), query=query)
        check.check_html(response.content, shown(w), name)

    return render


def titles(*kinds: str) -> Callable[[World], list[str]]:
    return lambda w: [w.items[k].title for k in kinds]


def names(*attrs: str) -> Callable[[World], list[str]]:
    return lambda w: [getattr(w.org, a).name for a in attrs]


def nothing(w: World) -> list[str]:
    return []


def register_pages(level: str) -> Callable[[World], None]:
    """Every register's list at a level (project, programme, portfolio, all)."""

    def render(w: World) -> None:
        for kind, register in REGISTERS.items():
            if level == "all":
                response = _get(w.pmo, "registers:all_list", register)
            else:
                scope = getattr(w.org, level)
                response = _get(w.pmo, f"registers:{level}_list", scope.pk, register)
            check.check_html(response.content, [w.items[kind].title], f"{level} {register}")

    return render


def register_exports(level: str, fmt: str) -> Callable[[World], None]:
    def render(w: World) -> None:
        for kind, register in REGISTERS.items():
            if level == "all":
                response = _get(w.pmo, "registers:all_export", register, fmt)
            else:
                scope = getattr(w.org, level)
                response = _get(w.pmo, f"registers:{level}_export", scope.pk, register, fmt)
            where = f"{level} {register}.{fmt}"
            reader = check.check_xlsx if fmt == "xlsx" else check.check_csv
            reader(response.content, [w.items[kind].title], where)

    return render


def item_pages(w: World) -> None:
    for kind, item in w.items.items():
        response = _get(w.member, "registers:item_detail", kind, item.pk)
        shown = [item.title, item.project.name]
        check.check_html(response.content, shown, f"{kind} detail")
        response = _get(w.manager, "registers:item_edit", kind, item.pk)
        check.check_html(response.content, [item.title, item.description], f"{kind} edit")


def item_history(w: World) -> None:
    for kind, item in w.items.items():
        response = _get(w.pmo, "registers:item_history", kind, item.pk)
        check.check_html(response.content, [item.title], f"{kind} history")


def org_pages(w: World) -> None:
    for prefix, obj in (
        ("portfolio", w.org.portfolio),
        ("programme", w.org.programme),
        ("theme", w.org.theme),
        ("project", w.org.project),
    ):
        for suffix in ("detail", "history", "edit"):
            response = _get(w.pmo, f"portfolio:{prefix}_{suffix}", obj.pk)
            check.check_html(response.content, [obj.name], f"{prefix}_{suffix}")
        if prefix != "theme":
            response = _get(w.pmo, f"portfolio:{prefix}_members", obj.pk)
            check.check_html(response.content, [], f"{prefix}_members")


def org_lists(w: World) -> None:
    for name in ("portfolio", "programme", "project"):
        response = _get(w.pmo, f"portfolio:{name}_list")
        check.check_html(response.content, [getattr(w.org, name).name], name + "_list")


def search(w: World) -> None:
    for term in (PAYLOADS["script"], PAYLOADS["attribute_break"], "alert"):
        response = _get(w.pmo, "portfolio:search", query="?q=" + _quote(term))
        check.check_html(response.content, [term], f"search {term!r}")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def api(w: World) -> None:
    """The API returns the raw stored value as JSON data; escaping is the client's job."""
    client = client_for(w.pmo)
    cases: list[tuple[str, Any, dict[str, str]]] = [
        (f"{kind}-detail", item.pk, {"title": item.title, "description": item.description})
        for kind, item in w.items.items()
    ]
    org = w.org
    cases += [
        ("portfolio-detail", org.portfolio.pk, {"name": org.portfolio.name}),
        ("programme-detail", org.programme.pk, {"name": org.programme.name}),
        ("theme-detail", org.theme.pk, {"name": org.theme.name}),
        ("project-detail", org.project.pk, {"name": org.project.name}),
        ("meeting-detail", w.meeting.pk, {"title": w.meeting.title}),
        ("status-report-detail", w.report.pk, {"summary": w.report.summary}),
        ("reporting-cycle-detail", w.cycle.pk, {"name": w.cycle.name}),
        ("task-detail", w.tasks[0].pk, {"name": w.tasks[0].name}),
    ]
    agenda = w.meeting.agenda.order_by("position").first()
    cases.append(("agenda-item-detail", agenda.pk, {"title": agenda.title}))
    for name, pk, expect in cases:
        check.check_json(client.get(reverse(name, args=[pk])), expect, name)
    me = client_for(w.member).get(reverse("user-me"))
    check.check_json(me, {"first_name": w.member.first_name}, "user-me")
    comments = client.get(reverse("risk-comments", args=[w.items["risk"].pk]))
    assert comments["Content-Type"].startswith("application/json")
    assert w.comment.body in comments.content.decode("unicode_escape", "ignore") or any(
        c.get("body") == w.comment.body for c in _results(comments.json())
    )


def _results(data: Any) -> list[dict[str, Any]]:
    return data["results"] if isinstance(data, dict) and "results" in data else data


# --------------------------------------------------------------------------- meetings


def meeting_pages(w: World) -> None:
    m = w.meeting
    agenda = [a.title for a in m.agenda.all()]
    for name, user in (
        ("meetings:meeting_detail", w.member),
        ("meetings:chair", w.manager),
        ("meetings:minutes", w.member),
        ("meetings:meeting_edit", w.manager),
    ):
        response = _get(user, name, m.pk)
        shown = [m.title] + (agenda if name in ("meetings:meeting_detail",) else [])
        check.check_html(response.content, shown, name)
    state = _get(w.manager, "meetings:state", m.pk)
    check.check_json(state, {}, "meetings:state")
    for name, args in (
        ("meetings:meeting_list", ()),
        ("meetings:project_meetings", (w.org.project.pk,)),
        ("meetings:programme_meetings", (w.org.programme.pk,)),
        ("meetings:portfolio_meetings", (w.org.portfolio.pk,)),
    ):
        check.check_html(_get(w.pmo, name, *args).content, [m.title], name)
    agenda_item = m.agenda.order_by("position").first()
    response = _get(w.manager, "meetings:agenda_edit", agenda_item.pk)
    check.check_html(response.content, [agenda_item.title], "agenda_edit")


def decision_log(w: World) -> None:
    decision = w.items["decision"]
    for name, scope in (
        ("meetings:programme_decision_log", w.org.programme),
        ("meetings:portfolio_decision_log", w.org.portfolio),
    ):
        check.check_html(_get(w.pmo, name, scope.pk).content, [decision.title], name)
        xlsx = _get(w.pmo, name, scope.pk, query="?export=xlsx")
        check.check_xlsx(xlsx.content, [decision.title], name + " xlsx")
        csv = _get(w.pmo, name, scope.pk, query="?export=csv")
        check.check_csv(csv.content, [decision.title], name + " csv")


def minutes_docx(w: World) -> None:
    response = _get(w.member, "meetings:minutes_docx", w.meeting.pk)
    agenda = [a.title for a in w.meeting.agenda.all()]
    check.check_docx(response.content, [w.meeting.title, *agenda], "minutes docx")


def minutes_pdf(w: World) -> None:
    response = _get(w.member, "meetings:minutes_pdf", w.meeting.pk)
    check.check_pdf(response.content, [w.meeting.title[:60]], "minutes pdf")


def meeting_ics(w: World) -> None:
    response = _get(w.member, "meetings:meeting_ics", w.meeting.pk)
    expect = {"SUMMARY": w.meeting.title, "LOCATION": w.meeting.location}
    check.check_ics(response.content, expect, "meeting ics")


def calendar_feed(w: World) -> None:
    from schakel.accounts.services import feed_token_rotate

    _token, key = feed_token_rotate(user=w.member)
    response = client_for(None).get(reverse("meetings:feed", args=[key]))
    assert response.status_code == 200
    check.check_ics(response.content, {"SUMMARY": w.meeting.title}, "calendar feed")


def minutes_mail(w: World) -> None:
    from schakel.meetings import mail as minutes_mail_module

    minutes_mail_module.send_minutes(w.minutes, by=w.manager)
    assert mail.outbox, "no minutes were mailed"
    addressed = set()
    for message in mail.outbox:
        assert len(message.to) == 1
        ((_name, address),) = email.utils.getaddresses(message.to)
        check.check_mail(message, {address}, [], "minutes mail")
        addressed.add(address)
    assert addressed == {"manager@example.org", "member@example.org", "guest@example.org"}
    for message in mail.outbox:
        for name, content, _kind in message.attachments:
            if name.endswith(".docx"):
                check.check_docx(content, [w.meeting.title], "minutes mail attachment")


def digest_mail(w: World) -> None:
    from schakel.registers import digest

    message = digest.render(digest.build(w.member))
    message.send()
    check.check_mail(
        mail.outbox[0], {"member@example.org"}, [w.items["action"].title], "digest mail"
    )


def reminder_mail(w: World) -> None:
    from schakel.reporting import reminders, services

    period = services.reporting_period(w.cycle)
    sent = reminders.send_manual(cycle=w.cycle, project=w.org.sibling, period=period, by=w.pmo)
    assert sent == 1
    check.check_mail(mail.outbox[0], {"manager@example.org"}, [], "reminder mail")


def password_reset_mail(w: World) -> None:
    response = client_for(None).post(
        reverse("accounts:password_reset"), {"email": "member@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    check.check_mail(mail.outbox[0], {"member@example.org"}, [], "password reset mail")


# --------------------------------------------------------------------------- reporting


def report_pages(w: World) -> None:
    r, c = w.report, w.cycle
    for name, args, shown in (
        ("reporting:report_detail", (r.pk,), [c.name, w.org.project.name]),
        ("reporting:cycle_detail", (c.pk,), [c.name]),
        ("reporting:cycle_report", (c.pk,), [c.name, w.org.project.name]),
        ("reporting:my_reports", (), []),
        ("reporting:project_reports", (w.org.project.pk,), [c.name]),
        ("reporting:programme_reports", (w.org.programme.pk,), [c.name]),
        ("reporting:portfolio_reports", (w.org.portfolio.pk,), []),
        ("reporting:cycle_edit", (c.pk,), [c.name]),
    ):
        check.check_html(_get(w.pmo, name, *args).content, shown, name)


def report_export(kind: str) -> Callable[[World], None]:
    def render(w: World) -> None:
        client = client_for(w.pmo)
        response = client.post(reverse("reporting:export_start", args=[w.cycle.pk, kind]))
        assert response.status_code == 302, response.status_code
        download = client.get(response["Location"])
        assert download.status_code == 200, download.status_code
        assert download["X-Content-Type-Options"] == "nosniff"
        shown = [w.org.project.name]
        reader = {"xlsx": check.check_xlsx, "pptx": check.check_pptx, "pdf": check.check_pdf}
        if kind == "pdf":
            shown = [w.org.project.name[:40]]
        reader[kind](download.content, shown, f"report {kind}")

    return render


# --------------------------------------------------------------------------- planning


def plan_pages(w: World) -> None:
    names_ = [t.name for t in w.tasks]
    check.check_html(_get(w.pmo, "planning:project_plan", w.org.project.pk).content, names_, "plan")
    task = w.tasks[0]
    edit = _get(w.manager, "planning:task_edit", task.pk)
    check.check_html(edit.content, [task.name, task.notes], "task edit")
    for name, scope in (
        ("planning:programme_roadmap", w.org.programme),
        ("planning:portfolio_roadmap", w.org.portfolio),
    ):
        check.check_html(_get(w.pmo, name, scope.pk).content, [], name)


def gantt_pdf(w: World) -> None:
    response = _get(w.pmo, "planning:gantt_download", w.org.project.pk, "pdf")
    check.check_pdf(response.content, [], "gantt pdf")


def plan_xml(w: World) -> None:
    import defusedxml.ElementTree as ET

    response = _get(w.pmo, "planning:plan_export", w.org.project.pk)
    root = ET.fromstring(response.content)
    found = [el.text for el in root.iter() if el.tag.endswith("}Name") or el.tag == "Name"]
    for task in w.tasks:
        assert check.squash(task.name) in map(check.squash, found), (
            f"MS Project XML: {task.name!r} not read back"
        )


# --------------------------------------------------------------------------- errors, redirects


def form_errors(w: World) -> None:
    """A refused form shows the hostile value back escaped, with its error."""
    client = client_for(w.manager)
    value = PAYLOADS["attribute_break"] + PAYLOADS["script"]
    url = reverse("registers:project_item_create", args=[w.org.project.pk, "risks"])
    response = client.post(url, {"title": value, "probability": "<script>", "impact": value})
    assert response.status_code in (200, 400)
    check.check_html(response.content, [value], "item form errors")
    url = reverse("portfolio:project_edit", args=[w.org.project.pk])
    response = client.post(url, {"key": value[:10], "name": value, "version": "0"})
    assert response.status_code in (200, 400, 409)
    check.check_html(response.content, [value], "project form errors")


def redirects(w: World) -> None:
    """`next=` leads only to our own host, whatever it says."""
    client = client_for(None)
    for target in ("javascript:alert(1)", "//evil.example/", "https://evil.example/", "/\\evil"):
        response = client.post(
            reverse("accounts:login") + "?next=" + _quote(target),
            {"username": "member", "password": PASSWORD, "next": target},
        )
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        client = client_for(None)


SINKS: dict[str, Callable[[World], None]] = {
    # HTML pages
    "item detail and edit, every register": item_pages,
    "item history, every register": item_history,
    "register lists, project": register_pages("project"),
    "register lists, programme": register_pages("programme"),
    "register lists, portfolio": register_pages("portfolio"),
    "register lists, all": register_pages("all"),
    "my work": page("registers:my_work", lambda w: (), titles("action", "risk"), user="member"),
    "cockpit": page("registers:cockpit", lambda w: (), names("project")),
    "home": page("registers:home", lambda w: (), nothing, user="member"),
    "portfolio home": page("portfolio:home", lambda w: (), nothing),
    "project heatmap": page("registers:project_heatmap", lambda w: (w.org.project.pk,), nothing),
    "programme heatmap": page(
        "registers:programme_heatmap", lambda w: (w.org.programme.pk,), nothing
    ),
    "portfolio heatmap": page(
        "registers:portfolio_heatmap", lambda w: (w.org.portfolio.pk,), nothing
    ),
    "portfolio, programme, theme and project pages": org_pages,
    "lists of portfolios, programmes and projects": org_lists,
    "profile": page("accounts:profile", lambda w: (), lambda w: [w.pmo.first_name]),
    "search": search,
    "meeting pages (detail, chair, minutes, lists)": meeting_pages,
    "decision log (page, xlsx, csv)": decision_log,
    "report pages (report, cycle, consolidated)": report_pages,
    "plan, task and roadmap pages": plan_pages,
    "form errors": form_errors,
    "login redirects": redirects,
    # API
    "JSON API": api,
    # E-mails
    "minutes e-mail": minutes_mail,
    "digest e-mail": digest_mail,
    "report reminder e-mail": reminder_mail,
    "password reset e-mail": password_reset_mail,
    # Spreadsheets
    "register exports, project, xlsx": register_exports("project", "xlsx"),
    "register exports, project, csv": register_exports("project", "csv"),
    "register exports, programme, xlsx": register_exports("programme", "xlsx"),
    "register exports, portfolio, csv": register_exports("portfolio", "csv"),
    "register exports, all, csv": register_exports("all", "csv"),
    "register exports, all, xlsx": register_exports("all", "xlsx"),
    "report workbook": report_export("xlsx"),
    # Documents
    "report slides": report_export("pptx"),
    "report PDF": report_export("pdf"),
    "minutes DOCX": minutes_docx,
    "minutes PDF": minutes_pdf,
    "Gantt PDF": gantt_pdf,
    "MS Project XML": plan_xml,
    # Calendars
    "meeting iCalendar": meeting_ics,
    "personal calendar feed": calendar_feed,
}


@pytest.mark.parametrize("sink", list(SINKS))
def test_hostile_text_is_inert_in_the_sink(ready, sink):
    SINKS[sink](ready)


def test_every_payload_is_stored_as_is(ready):
    """The world really holds the payloads (nothing cleaned them before the sinks)."""
    risk = ready.items["risk"]
    stored = " ".join(
        [
            risk.title,
            risk.description,
            ready.meeting.title,
            ready.report.summary,
            ready.tasks[0].name,
        ]
    )
    for name, payload in PAYLOADS.items():
        assert payload in stored or payload.replace("\r\n", "\n") in stored, name
