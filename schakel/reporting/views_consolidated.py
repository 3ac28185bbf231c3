"""The consolidated report of a cycle's period: the web page, the PMO's key messages and
the PowerPoint, PDF and Excel downloads (made at once when small, by the worker when large).

Everyone who sees the cycle reads the report (with the projects they see); the PMO writes
the key messages. A download is the requester's own: nobody else can fetch it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from schakel.core.charts.rag import rag_distribution_svg, rag_strip_svg
from schakel.core.exports import _report as outline
from schakel.core.exports.report_data import ConsolidatedReport, ProjectReport
from schakel.lib import safe_html
from schakel.lib.services import StaleVersionError

from . import access, consolidated, exports, services
from .consolidated_html import ReportHtml
from .models import ReportExport
from .views_common import chosen_period, crumbs, recent_periods, version_of


def report_url(cycle: Any, period_end: Any = None) -> str:
    url = reverse("reporting:cycle_report", args=[cycle.pk])
    return f"{url}?period={period_end.isoformat()}" if period_end else url


def _strip(
    data: ConsolidatedReport,
    label: str,
    colours: list[str],
    drawn: dict[tuple[str, tuple[str, ...]], str] | None = None,
) -> str:
    """The trend strip of one dimension; `drawn` keeps the strips a page already drew (many
    projects share a label and colours)."""
    key = (label, tuple(colours))
    if drawn is not None and key in drawn:
        return drawn[key]
    words = ", ".join(
        str(getattr(data.labels, c, data.labels.not_reported)) if c else data.labels.not_reported
        for c in colours
    )
    # The chart module escapes every string it is given; its SVG is safe to embed.
    svg = safe_html.chart(rag_strip_svg(colours, label=f"{label}: {words}"))
    if drawn is not None:
        drawn[key] = svg
    return svg


def _project_view(
    data: ConsolidatedReport,
    project: ProjectReport,
    strips: dict[tuple[str, tuple[str, ...]], str] | None = None,
) -> dict[str, Any]:
    rows = [("overall", data.labels.overall, project.overall)]
    rows += outline.dimension_ratings(data, project)
    return {
        "report": project,
        "reported": outline.is_reported(project),
        "ratings": [
            {
                "key": key,
                "label": label,
                "rating": rating,
                "word": getattr(data.labels, rating.rag or "not_reported", rating.rag),
                "strip": _strip(data, label, project.trend.get(key, []), strips),
            }
            for key, label, rating in rows
        ],
        "texts": [
            (data.labels.summary, project.summary),
            (data.labels.achievements, project.achievements),
            (data.labels.next_period, project.next_period),
            (data.labels.tolerances, project.tolerances),
            (data.labels.change_requests, project.change_requests),
        ],
        "registers": [
            (data.labels.risks, project.risks, True),
            (data.labels.issues, project.issues, False),
            (data.labels.overdue_actions, project.overdue_actions, False),
            (data.labels.decisions, project.decisions, False),
        ],
    }


@login_required
@require_GET
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The consolidated report: overview, key messages, escalations, trends, per project."""
    user = request.user
    cycle = access.cycle_for_user(user, pk)
    period = chosen_period(cycle, request.GET.get("period"))
    data, source = consolidated.build(cycle, period, user, language=get_language())
    note = source.note
    strips: dict[tuple[str, tuple[str, ...]], str] = {}
    projects = [_project_view(data, p, strips) for p in data.projects]
    for view, project in zip(projects, source.projects, strict=True):
        view["pk"] = project.pk
        found = source.reports.get(project.pk) or source.pending.get(project.pk)
        view["report_pk"] = found.pk if found is not None else None
    received = sum(1 for p in projects if p["reported"])
    html = ReportHtml(data)
    return render(
        request,
        "reporting/consolidated.html",
        {
            "cycle": cycle,
            "scope": cycle.scope,
            "period": period,
            "periods": recent_periods(cycle),
            "data": data,
            "projects": projects,
            "received": received,
            "overview_rows": html.overview_rows(projects),
            "sections": html.sections(projects),
            # The escalations' texts as sanitised HTML (Markdown, as the filter does).
            "escalations": [
                (project, safe_html.markdown(text))
                for project, text in outline.escalating_projects(data)
            ],
            "distribution": safe_html.chart(
                rag_distribution_svg(data.distribution, labels=data.labels)
            )
            if outline.shows_distribution(data)
            else "",
            "note": note,
            "can_manage": access.can_manage(user, cycle),
            "kinds": ReportExport.Kind.choices,
            "breadcrumbs": crumbs(
                cycle.scope,
                (cycle.name, reverse("reporting:cycle_detail", args=[cycle.pk])),
                _("Consolidated report"),
            ),
        },
    )


@login_required
@require_POST
def key_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the PMO's key messages of a period; a stale edit keeps both texts on the page."""
    user = request.user
    cycle = access.cycle_for_user(user, pk, manage=True)
    period = chosen_period(cycle, request.POST.get("period"))
    text = request.POST.get("key_messages", "")
    try:
        services.key_messages_save(
            cycle=cycle, period_end=period.end, text=text, version=version_of(request), by=user
        )
    except StaleVersionError:
        messages.error(
            request,
            _(
                "Someone else changed the key messages while you were writing. Their text is "
                "shown now; yours was: %(text)s"
            )
            % {"text": text[:2000]},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Key messages saved."))
    return redirect(report_url(cycle, period.end) + "#key-messages")


@login_required
@require_POST
def export_start(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Make a download: straight to the file when it is small, else to its progress page."""
    user = request.user
    cycle = access.cycle_for_user(user, pk)
    if kind not in exports.RENDERERS:
        raise Http404
    period = chosen_period(cycle, request.POST.get("period"))
    export = exports.start(
        cycle=cycle, period=period, kind=kind, user=user, language=get_language() or "en"
    )
    if export.status == ReportExport.Status.DONE:
        return redirect("reporting:export_download", pk=export.pk)
    return redirect("reporting:export_status", pk=export.pk)


def _status_context(export: ReportExport) -> dict[str, Any]:
    return {
        "export": export,
        "cycle": export.cycle,
        "waiting_for_worker": exports.waiting_for_worker(export),
        "back_url": report_url(export.cycle, export.period_end),
    }


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """How far a download is; the page polls this until the file is ready."""
    export = exports.check_task(exports.for_user(request.user, pk))
    context = _status_context(export)
    if request.headers.get("HX-Request"):
        if export.status == ReportExport.Status.DONE:
            return HttpResponseClientRedirect(reverse("reporting:export_download", args=[pk]))
        return render(request, "reporting/export_status.html#progress", context)
    cycle = export.cycle
    context["breadcrumbs"] = crumbs(
        cycle.scope,
        (cycle.name, reverse("reporting:cycle_detail", args=[cycle.pk])),
        (_("Consolidated report"), context["back_url"]),
        _("Download"),
    )
    return render(request, "reporting/export_status.html", context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, to the user who asked for it, while they still see the same projects."""
    export = exports.for_user(request.user, pk)
    if export.status != ReportExport.Status.DONE:
        return redirect("reporting:export_status", pk=export.pk)
    if not exports.is_current(export):
        messages.warning(
            request,
            _("The projects you can see have changed since this file was made; make it again."),
        )
        return redirect(report_url(export.cycle, export.period_end))
    response = HttpResponse(
        exports.content(export), content_type=exports.CONTENT_TYPES[export.kind]
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(export)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
