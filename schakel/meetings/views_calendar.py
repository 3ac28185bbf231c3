"""Calendars and the decision log: a meeting's `.ics` invitation, the personal feed and its
settings page, and the decision log of a programme or portfolio (with its exports).

The feed is the one page here without a login: calendar programs fetch it with the secret
key in the URL and nothing else. It answers 404 to any key that is unknown, revoked or
belongs to a deactivated account, and it shows only what the key's owner may see at the
moment of the fetch (see `calendar.feed_events`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from schakel.accounts import throttle
from schakel.accounts.models import FeedToken
from schakel.accounts.services import feed_token_revoke, feed_token_rotate, feed_token_user
from schakel.core.exports import ics
from schakel.core.exports.tabular import to_csv, to_xlsx
from schakel.lib.htmx import wants_partial
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme

from . import access, calendar, decision_log, downloads

PAGE_SIZE = 50
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Invitations ---------------------------------------------------------------------------


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as an `.ics` invitation (a cancellation once it is cancelled)."""
    meeting = access.meeting_for_user(request.user, pk)
    return downloads.meeting_ics_response(meeting)


# The personal feed ---------------------------------------------------------------------


@require_safe  # some calendar programs ask with HEAD before they GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """The personal calendar feed of the key's owner; no login, the key is the secret.

    Unknown or revoked keys count towards the caller's token throttle: past its limit the
    feed answers 429 to that address, right keys included, until the window ends.
    """
    limit = throttle.token_failure_limit()
    caller = throttle.client_ip(request)
    wait = throttle.blocked_here(limit, caller)
    user = None if wait else feed_token_user(key)
    if user is None and not wait:
        if throttle.hit(limit, caller):
            raise Http404
        wait = throttle.blocked_here(limit, caller)
    if user is None:
        response = HttpResponse(
            _("Too many requests with an unknown key. Try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    # Calendar programs send no session: speak the owner's language, not the fetcher's.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        name = _("Schakel – %(name)s") % {"name": user.display_name}
        body = ics.feed(calendar.feed_events(user), name=name, prodid=calendar.PRODID)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="schakel.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _feed_url(key: str) -> str:
    return calendar.absolute(reverse("meetings:feed", args=[key]))


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Explain the personal feed, show whether it is on, and create, rotate or revoke it.

    The URL is shown once, in the answer to the POST that made it: only its hash is
    stored, so it cannot be shown again (rotating makes a new one).
    """
    user: Any = request.user
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "rotate":
            _token, key = feed_token_rotate(user=user)
            context["feed_url"] = url = _feed_url(key)
            context["webcal_url"] = "webcal://" + url.split("://", 1)[-1]
        elif action == "revoke":
            if feed_token_revoke(user=user):
                messages.success(
                    request, _("Your calendar feed is off. Calendars that used it stop updating.")
                )
            return redirect("meetings:feed_settings")
        else:
            status = 400
            context["error"] = _("Choose to create, rotate or turn off the feed.")
    context["token"] = FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()
    context["ever"] = context["token"] is not None or FeedToken.objects.filter(user=user).exists()
    response = render(request, "meetings/feed_settings.html", context, status=status)
    if "feed_url" in context:
        # The secret must not stay in a shared cache or the browser's back/forward cache.
        response["Cache-Control"] = "no-store"
    return response


# The decision log ----------------------------------------------------------------------


def _decision_log(
    request: HttpRequest, scope: Programme | Portfolio, scope_kind: str
) -> HttpResponse:
    user = request.user
    base = decision_log.scope_decisions(user, scope)
    form = decision_log.DecisionLogForm(
        request.GET or None,
        series=decision_log.scope_series(user, scope),
        forums=decision_log.forum_texts(base),
    )
    filters = form.applied()
    queryset = decision_log.filter_log(decision_log.log_queryset(user, scope), filters)
    fmt = request.GET.get("export", "")
    if fmt:
        return _export(request, scope, queryset, fmt)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "scope_kind": scope_kind,
        "form": form,
        "filtered": bool(filters),
        "page_obj": page,
        "rows": decision_log.log_rows(user, page.object_list),
        "breadcrumbs": _crumbs(scope),
    }
    if wants_partial(request):
        return render(request, "meetings/decision_log.html#results", context)
    return render(request, "meetings/decision_log.html", context)


def _crumbs(scope: Programme | Portfolio) -> list[tuple[str, str | None]]:
    chain: list[Any] = [scope.portfolio, scope] if isinstance(scope, Programme) else [scope]
    return [(obj.name, obj.get_absolute_url()) for obj in chain] + [(_("Decision log"), None)]


def _export(
    request: HttpRequest, scope: Programme | Portfolio, queryset: Any, fmt: str
) -> HttpResponse:
    """The filtered log, every page of it, as CSV or XLSX."""
    if fmt not in EXPORTS:
        raise Http404
    title = _("Decision log")
    sheet = decision_log.export_sheet(request.user, queryset, str(title))
    if fmt == "csv":
        # Dutch Excel splits CSV on semicolons, as in the registers' exports.
        dutch = (get_language() or "").startswith("nl")
        body = to_csv(sheet, delimiter=";" if dutch else ",")
    else:
        body = to_xlsx([sheet], title=f"{title} – {scope.name}")
    label = getattr(scope, "key", "") or slugify(scope.name) or "scope"
    filename = f"{label}-decision-log-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
@require_GET
@vary_on_headers("HX-Request")
def programme_decision_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The decisions of a programme and its projects, across its meetings."""
    scope = portfolio_access.programme_for_user(request.user, pk)
    return _decision_log(request, scope, "programme")


@login_required
@require_GET
@vary_on_headers("HX-Request")
def portfolio_decision_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The decisions of a portfolio's programmes and projects, across its meetings."""
    scope = portfolio_access.portfolio_for_user(request.user, pk)
    return _decision_log(request, scope, "portfolio")
