"""Pages of one register item, the same six times over.

Create and edit (a modal for htmx, a page without JavaScript), the detail page with its
actions, links, comments and history, delete with undo, "occurred → issue" for risks,
"invalid → issue" for assumptions, and the inline edits of a list row. Every view checks
access through `access`, parses input with a form, calls a service and renders.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from schakel.core.charts import HeatmapScale, render_heatmap, render_trend_sparkline
from schakel.lib import safe_html
from schakel.lib.forms import add_service_errors, save_versioned
from schakel.lib.history import object_history
from schakel.lib.htmx import targets, wants_partial, with_messages
from schakel.lib.markdown import render_markdown
from schakel.lib.origins import origin_of
from schakel.lib.services import StaleVersionError
from schakel.portfolio.models import Programme, Project
from schakel.portfolio.services import tags_from_names
from schakel.portfolio.views_history import object_breadcrumbs

from . import access, registry, services
from .forms import CommentForm, ItemForm, LinkForm, form_for
from .models import (
    Action,
    Assumption,
    Comment,
    Issue,
    Link,
    RegisterItem,
    Risk,
    RiskScaleLevel,
    ScaleAxis,
)
from .registry import Register

# Fields a list row edits in place; "due" is each register's own due date.
INLINE_FIELDS = ("status", "owner", "due")
TREND_POINTS = 20


# Helpers --------------------------------------------------------------------------------


def _closed_modal(request: HttpRequest) -> HttpResponse:
    """Empty the modal and tell lists and pages to refresh.

    The flash message stays stored: the region that refreshes (a list's results, this
    page) shows it with its own answer, which would otherwise replace it with none.
    """
    response = HttpResponse("")
    response["HX-Trigger"] = "registers:changed"
    return response


def _item(
    request: HttpRequest, kind: str, pk: int, need: str | None = None
) -> tuple[Register, RegisterItem]:
    register = registry.register_for_kind(kind)
    return register, access.item_for_user(request.user, register.model, pk, need=need)


def _read_only(scope: Project | Programme) -> bool:
    return getattr(scope, "archived_at", None) is not None


def _refuse_read_only(request: HttpRequest, url: str) -> HttpResponse:
    messages.warning(request, _("This is archived and read-only; unarchive it to change it."))
    if wants_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def list_url(register: Register, scope: Project | Programme) -> str:
    """The register's list in the item's project or programme."""
    name = "registers:project_list" if isinstance(scope, Project) else "registers:programme_list"
    return reverse(name, kwargs={"pk": scope.pk, "register": register.slug})


def create_url(register: Register, scope: Project | Programme) -> str:
    name = (
        "registers:project_item_create"
        if isinstance(scope, Project)
        else "registers:programme_item_create"
    )
    return reverse(name, kwargs={"pk": scope.pk, "register": register.slug})


def _crumbs(
    register: Register, scope: Project | Programme, *tail: Any
) -> list[tuple[str, str | None]]:
    """Portfolio › Programme › Project › <Register> › ..."""
    return object_breadcrumbs(scope, (str(register.title), list_url(register, scope)), *tail)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


# Creating and editing ---------------------------------------------------------------


def _source(request: HttpRequest) -> RegisterItem | None:
    """The visible item named by `?source=<kind>:<pk>` (an action's risk, say), if any."""
    raw = request.GET.get("source", "")
    if not raw:
        return None
    kind, _sep, pk = raw.partition(":")
    model = access.model_for_kind(kind)
    return access.item_for_user(request.user, model, pk)


def _render_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = (
        "registers/item_form_modal.html" if wants_partial(request) else "registers/item_form.html"
    )
    return render(request, template, context, status=status)


def _create(request: HttpRequest, scope: Project | Programme, slug: str) -> HttpResponse:
    user = request.user
    register = registry.register_for_slug(slug)
    if not access.can_contribute_to(user, scope):
        raise PermissionDenied
    if _read_only(scope):
        return _refuse_read_only(request, scope.get_absolute_url())
    source = _source(request)
    initial: dict[str, Any] = {"owner": user.pk}
    if register.model is Issue:
        initial["raised_by"] = user.pk
    form = form_for(register.model)(request.POST or None, scope=scope, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                model=register.model,
                scope=scope,
                by=user,
                tags=tags_from_names(form.tag_names()),
                source=source,
                **form.changes(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                format_html(
                    _('{name} <a href="{url}">{ref}</a> was added.'),
                    name=capfirst(str(register.item_name)),
                    url=item.get_absolute_url(),
                    ref=item.ref,
                ),
            )
            if wants_partial(request):
                return _closed_modal(request)
            return redirect(item)
    heading = _("New %(item)s") % {"item": register.item_name}
    return _render_form(
        request,
        {
            "form": form,
            "register": register,
            "scope": scope,
            "source": source,
            "needs_key": isinstance(scope, Programme) and not scope.key,
            "heading": heading,
            "submit_label": _("Add %(item)s") % {"item": register.item_name},
            "cancel_url": list_url(register, scope),
            "breadcrumbs": _crumbs(register, scope, heading),
        },
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def project_item_create(request: HttpRequest, pk: int, register: str) -> HttpResponse:
    """Add an item to a project's register (members and above)."""
    return _create(request, access.scope_for_user(request.user, "project", pk), register)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def programme_item_create(request: HttpRequest, pk: int, register: str) -> HttpResponse:
    """Add a programme-level item (members and above on the programme itself)."""
    return _create(request, access.scope_for_user(request.user, "programme", pk), register)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Edit an item in a modal (htmx) or on its own page; a stale version answers 409."""
    user = request.user
    register, item = _item(request, kind, pk, need=access.CONTRIBUTE)
    if _read_only(item.scope):
        return _refuse_read_only(request, item.get_absolute_url())
    form_class = form_for(register.model)
    form: ItemForm = form_class(request.POST or None, instance=item, scope=item.scope, user=user)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        result = save_versioned(
            form,
            lambda: services.item_update(
                item=item,
                version=form.cleaned_data["version"],
                by=user,
                tags=tags_from_names(form.tag_names()),
                **form.changes(),
            ),
        )
        if result.saved is not None:
            messages.success(request, _("%(ref)s saved.") % {"ref": result.saved.ref})
            if wants_partial(request):
                return _closed_modal(request)
            return redirect(result.saved)
        status, conflict = result.status, result.conflict
        if status == 409:
            # A fresh form on the stored row, with this user's choices of people and projects.
            form = form_class(instance=result.form.instance, scope=item.scope, user=user)
        else:
            form = result.form
    heading = _("Edit %(ref)s") % {"ref": item.ref}
    return _render_form(
        request,
        {
            "form": form,
            "register": register,
            "scope": item.scope,
            "item": item,
            "conflict": conflict,
            "heading": heading,
            "submit_label": _("Save"),
            "cancel_url": item.get_absolute_url(),
            "breadcrumbs": _crumbs(
                register, item.scope, (item.ref, item.get_absolute_url()), _("Edit")
            ),
        },
        status=status,
    )


# The detail page ----------------------------------------------------------------------


@dataclass
class CommentView:
    """A comment ready for the page: its body as safe HTML with mentions marked."""

    comment: Comment
    html: SafeString


def _mark_mentions(body: str, usernames: set[str]) -> SafeString:
    """The comment's Markdown as sanitised HTML, with @username of the people actually
    mentioned wrapped, in text only (never in markup)."""
    if not usernames:
        return safe_html.markdown(body)
    html = render_markdown(body)
    pattern = re.compile(
        r"(?<![\w@.])@("
        + "|".join(re.escape(n) for n in sorted(usernames, key=len, reverse=True))
        + r")(?![\w@+-])"
    )
    parts = re.split(r"(<[^>]*>)", html)
    out = []
    for part in parts:
        if part.startswith("<"):
            out.append(part)
        else:
            # A username matches only as itself, and usernames hold no markup characters
            # (letters, digits and @.+-_), so the span adds nothing the sanitiser would refuse.
            out.append(pattern.sub(r'<span class="mention">@\1</span>', part))
    return safe_html.built(out)


def _comments(item: RegisterItem) -> list[CommentView]:
    comments = (
        Comment.objects.filter(item_type=ContentType.objects.get_for_model(item), item_id=item.pk)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )
    return [_comment_view(c) for c in comments]


def _comment_view(comment: Comment) -> CommentView:
    names = {u.username for u in comment.mentions.all()}
    return CommentView(comment, _mark_mentions(comment.body, names))


def _visible_links(user: Any, item: RegisterItem) -> list[RegisterItem]:
    """The live items linked to `item` (either way) that the user may see, by reference."""
    item_type = ContentType.objects.get_for_model(item)
    rows = Link.objects.filter(
        Q(from_type=item_type, from_id=item.pk) | Q(to_type=item_type, to_id=item.pk)
    ).values_list("from_type_id", "from_id", "to_type_id", "to_id")
    wanted: dict[int, set[int]] = defaultdict(set)
    for from_type, from_id, to_type, to_id in rows:
        if from_type == item_type.pk and from_id == item.pk:
            wanted[to_type].add(to_id)
        else:
            wanted[from_type].add(from_id)
    found: list[RegisterItem] = []
    for type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not issubclass(model, RegisterItem):
            continue
        found += list(
            access.visible_items(user, model)
            .filter(pk__in=pks)
            .select_related("project", "programme", "owner")
        )
    order = {m.KIND: n for n, m in enumerate(r.model for r in registry.REGISTERS)}
    return sorted(found, key=lambda i: (order.get(i.KIND, 99), i.ref))


def _source_of(user: Any, action: Action) -> RegisterItem | None:
    """The visible item an action came from."""
    if not action.source_type_id or not action.source_id:
        return None
    model = ContentType.objects.get_for_id(action.source_type_id).model_class()
    if model is None or not issubclass(model, RegisterItem):
        return None
    return (
        access.visible_items(user, model)
        .filter(pk=action.source_id)
        .select_related("project", "programme")
        .first()
    )


def _scale() -> tuple[HeatmapScale | None, dict[str, dict[int, str]]]:
    labels: dict[str, dict[int, str]] = {ScaleAxis.PROBABILITY: {}, ScaleAxis.IMPACT: {}}
    for level in RiskScaleLevel.objects.all():
        labels[level.axis][level.value] = level.label
    probability = [labels[ScaleAxis.PROBABILITY][v] for v in sorted(labels[ScaleAxis.PROBABILITY])]
    impact = [labels[ScaleAxis.IMPACT][v] for v in sorted(labels[ScaleAxis.IMPACT])]
    try:
        return HeatmapScale(probability_labels=probability, impact_labels=impact), labels
    except ValueError:  # a scale set up with too few or too many levels: no picture
        return None, labels


def _risk_pictures(risk: Risk) -> dict[str, Any]:
    """The risk's place on the heatmap (inherent and residual) and its score over time."""
    scale, labels = _scale()

    def level(axis: str, value: int | None) -> str:
        if value is None:
            return ""
        name = labels[axis].get(value)
        return f"{value} – {name}" if name else str(value)

    context: dict[str, Any] = {
        "probability_label": level(ScaleAxis.PROBABILITY, risk.probability),
        "impact_label": level(ScaleAxis.IMPACT, risk.impact),
        "residual_probability_label": level(ScaleAxis.PROBABILITY, risk.residual_probability),
        "residual_impact_label": level(ScaleAxis.IMPACT, risk.residual_impact),
    }
    if scale is not None:

        def cell_label(p: int, i: int, count: int) -> str:
            text = _("Probability %(p)s, impact %(i)s") % {"p": p, "i": i}
            return text + (" · " + _("this risk") if count else "")

        def draw(p: int | None, i: int | None, title: str, svg_id: str) -> SafeString | None:
            if p is None or i is None or not scale.contains(p, i):
                return None
            return safe_html.chart(
                render_heatmap(
                    {(p, i): 1},
                    scale,
                    title=title,
                    axis_probability=_("Probability"),
                    axis_impact=_("Impact"),
                    cell_label=cell_label,
                    description=_("Probability %(p)s, impact %(i)s: score %(score)s")
                    % {"p": p, "i": i, "score": p * i},
                    size=220,
                    svg_id=svg_id,
                )
            )

        context["inherent_svg"] = draw(
            risk.probability, risk.impact, _("Inherent"), f"risk-{risk.pk}-inherent"
        )
        context["residual_svg"] = draw(
            risk.residual_probability,
            risk.residual_impact,
            _("Residual"),
            f"risk-{risk.pk}-residual",
        )
        context["band"] = scale.band_for_score(risk.current_score).key
    scores = list(
        risk.history.order_by("-history_date", "-history_id").values_list(  # type: ignore[attr-defined]
            "score", "residual_score"
        )[:TREND_POINTS]
    )
    values = [residual if residual is not None else score for score, residual in reversed(scores)]
    # Keep one point per change of score, so a risk edited often still shows its movement.
    points = [v for n, v in enumerate(values) if n == 0 or v != values[n - 1]]
    if len(points) >= 2:
        maximum = scale.max_score if scale is not None else max(points)
        context["trend_svg"] = safe_html.chart(
            render_trend_sparkline(
                points,
                label=_("Score over time: %(scores)s")
                % {"scores": " → ".join(str(p) for p in points)},
                width=160,
                height=32,
                minimum=1,
                maximum=maximum,
            )
        )
    context["scores"] = points
    return context


def _detail_context(
    request: HttpRequest,
    register: Register,
    item: RegisterItem,
    *,
    comment_form: CommentForm | None = None,
    link_form: LinkForm | None = None,
) -> dict[str, Any]:
    user = request.user
    scope = item.scope
    writable = not _read_only(scope)
    can_edit = writable and access.can_item(user, item, access.CONTRIBUTE)
    context: dict[str, Any] = {
        "item": item,
        "kind": item.KIND,
        "register": register,
        "scope": scope,
        "list_url": list_url(register, scope),
        "can_edit": can_edit,
        "read_only": not writable,
        "edit_url": reverse("registers:item_edit", args=[item.KIND, item.pk]),
        "due_label": capfirst(str(item._meta.get_field(item.DUE_FIELD).verbose_name))  # type: ignore[union-attr]
        if item.DUE_FIELD
        else "",
        "can_delete": access.can_item(user, item, access.DELETE),
        "tags": list(item.tags.all()),
        "links": _visible_links(user, item),
        "comments": _comments(item),
        "comment_form": comment_form or CommentForm(),
        "link_form": link_form or LinkForm(user=user, item=item),
        "breadcrumbs": _crumbs(register, scope, item.ref),
        # Where it was born (a meeting and agenda item), if the user may see that place.
        "origin": origin_of(user, item),
    }
    if not isinstance(item, Action):
        actions_register = registry.register_for_kind(Action.KIND)
        context["actions"] = list(
            access.visible_items(user, Action)
            .filter(source_type=ContentType.objects.get_for_model(item), source_id=item.pk)
            .select_related("owner", "project", "programme")
            .order_by(F("due").asc(nulls_last=True), "number")
        )
        context["add_action_url"] = (
            create_url(actions_register, scope) + f"?source={item.KIND}:{item.pk}"
        )
    if isinstance(item, Action):
        context["source"] = _source_of(user, item)
    if isinstance(item, Risk):
        context.update(_risk_pictures(item))
        context["can_occur"] = can_edit and item.status == Risk.Status.OPEN
    if isinstance(item, Assumption):
        context["can_invalidate"] = can_edit and item.status == Assumption.Status.UNVALIDATED
    return context


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET"])
def item_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Show an item: its facts, actions, links, comments; its page refreshes after an edit."""
    register, item = _item(request, kind, pk)
    context = _detail_context(request, register, item)
    if targets(request, "item-page"):
        # Redrawn after an edit in the modal: bring the message of that edit along.
        return with_messages(request, render(request, "registers/item_detail.html#page", context))
    return render(request, "registers/item_detail.html", context)


@login_required
@require_http_methods(["GET"])
def item_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Show who changed what on an item, and when."""
    register, item = _item(request, kind, pk)
    page_obj, entries = object_history(item, request.GET.get("page"))
    return render(
        request,
        "registers/item_history.html",
        {
            "item": item,
            "register": register,
            "page_obj": page_obj,
            "entries": entries,
            "breadcrumbs": _crumbs(
                register, item.scope, (item.ref, item.get_absolute_url()), _("History")
            ),
        },
    )


# Delete and restore -------------------------------------------------------------------


def _undo_form(request: HttpRequest, item: RegisterItem) -> SafeString:
    return format_html(
        '<form method="post" action="{}?restore=1" class="inline-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="btn btn-link btn-sm">{}</button></form>',
        reverse("registers:item_delete", args=[item.KIND, item.pk]),
        get_token(request),
        _("Undo"),
    )


def _restore(request: HttpRequest, register: Register, pk: int) -> HttpResponse:
    user = request.user
    try:
        item = (
            access.visible_items(user, register.model, include_trashed=True)
            .select_related("project__programme__portfolio", "programme__portfolio")
            .get(pk=pk)
        )
    except register.model.DoesNotExist as exc:
        raise Http404 from exc
    if not access.can_item(user, item, access.DELETE):
        raise PermissionDenied
    if item.deleted_at is not None:
        services.item_restore(item=item, by=user)
        messages.success(request, _("%(ref)s is back.") % {"ref": item.ref})
    return redirect(item)


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Confirm, then move an item to the trash (managers and above); `?restore=1` undoes it."""
    register = registry.register_for_kind(kind)
    if request.method == "POST" and request.GET.get("restore"):
        return _restore(request, register, pk)
    item = access.item_for_user(request.user, register.model, pk, need=access.DELETE)
    if request.method == "POST":
        services.item_trash(item=item, by=request.user)
        messages.success(
            request,
            format_html(
                _("{ref} “{title}” was moved to the trash. {undo}"),
                ref=item.ref,
                title=item.title,
                undo=_undo_form(request, item),
            ),
        )
        return redirect(list_url(register, item.scope))
    return render(
        request,
        "registers/item_delete.html",
        {
            "item": item,
            "register": register,
            "breadcrumbs": _crumbs(
                register, item.scope, (item.ref, item.get_absolute_url()), _("Move to trash")
            ),
        },
    )


# Risk occurred, assumption invalid ------------------------------------------------------


def _stale(request: HttpRequest, register: Register, item: RegisterItem) -> HttpResponse:
    """Show the page again at the stored version, saying nothing was done (409)."""
    current = access.item_for_user(request.user, register.model, item.pk)
    context = _detail_context(request, register, current)
    context["stale"] = True
    return render(request, "registers/item_detail.html", context, status=409)


@login_required
@require_POST
def risk_occurred(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Mark an open risk as occurred and raise an issue for it, then open that issue."""
    if kind != Risk.KIND:
        raise Http404
    register, risk = _item(request, kind, pk, need=access.CONTRIBUTE)
    assert isinstance(risk, Risk)
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(_("The form lacks the version it was opened at."))
    if _read_only(risk.scope):
        return _refuse_read_only(request, risk.get_absolute_url())
    if risk.status == Risk.Status.CLOSED:
        messages.warning(request, _("A closed risk cannot occur; reopen it first."))
        return redirect(risk)
    try:
        issue = services.risk_occurred(risk=risk, version=version, by=request.user)
    except StaleVersionError:
        return _stale(request, register, risk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(risk)
    messages.success(
        request,
        _("Risk %(risk)s occurred: issue %(issue)s was raised.")
        % {"risk": risk.ref, "issue": issue.ref},
    )
    return redirect(issue)


@login_required
@require_POST
def assumption_invalidate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Mark an assumption invalid and raise an issue for its consequence, then open it."""
    if kind != Assumption.KIND:
        raise Http404
    register, assumption = _item(request, kind, pk, need=access.CONTRIBUTE)
    assert isinstance(assumption, Assumption)
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(_("The form lacks the version it was opened at."))
    if _read_only(assumption.scope):
        return _refuse_read_only(request, assumption.get_absolute_url())
    if assumption.status == Assumption.Status.VALID:
        messages.warning(request, _("This assumption was found valid; set it back first."))
        return redirect(assumption)
    try:
        issue = services.assumption_invalidate(
            assumption=assumption, version=version, by=request.user
        )
    except StaleVersionError:
        return _stale(request, register, assumption)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(assumption)
    messages.success(
        request,
        _("Assumption %(ref)s is invalid: issue %(issue)s was raised.")
        % {"ref": assumption.ref, "issue": issue.ref},
    )
    return redirect(issue)


# Comments -----------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Add a comment (members and above); htmx appends it to the list."""
    register, item = _item(request, kind, pk, need=access.CONTRIBUTE)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                item=item,
                body=form.cleaned_data["body"],
                by=request.user,
                mention_pool=access.mention_pool(item),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if wants_partial(request):
                comment = (
                    Comment.objects.select_related("author")
                    .prefetch_related("mentions")
                    .get(pk=comment.pk)
                )
                return render(
                    request,
                    "registers/_item_comment_added.html",
                    {
                        "entry": _comment_view(comment),
                        "item": item,
                        "comment_form": CommentForm(),
                        "can_edit": True,
                        "comment_count": Comment.objects.filter(
                            item_type=comment.item_type, item_id=item.pk
                        ).count(),
                    },
                )
            messages.success(request, _("Comment added."))
            return redirect(item.get_absolute_url() + "#comments")
    if wants_partial(request):
        response = render(
            request,
            "registers/item_detail.html#comment-form",
            {"item": item, "comment_form": form, "can_edit": True},
        )
        response["HX-Retarget"] = "#comment-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    context = _detail_context(request, register, item, comment_form=form)
    return render(request, "registers/item_detail.html", context)


# Links --------------------------------------------------------------------------------


def _links_response(
    request: HttpRequest, register: Register, item: RegisterItem, form: LinkForm | None = None
) -> HttpResponse:
    context = {
        "item": item,
        "links": _visible_links(request.user, item),
        "link_form": form or LinkForm(user=request.user, item=item),
        "can_edit": True,
    }
    return with_messages(request, render(request, "registers/item_detail.html#links", context))


@login_required
@require_POST
def link_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Link another visible item by its reference code (members and above)."""
    register, item = _item(request, kind, pk, need=access.CONTRIBUTE)
    form = LinkForm(request.POST, user=request.user, item=item)
    if form.is_valid() and form.target is not None:
        try:
            services.link_add(a=item, b=form.target, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s is now linked to %(other)s.")
                % {"ref": item.ref, "other": form.target.ref},
            )
            if wants_partial(request):
                return _links_response(request, register, item)
            return redirect(item.get_absolute_url() + "#links")
    if wants_partial(request):
        return _links_response(request, register, item, form)
    context = _detail_context(request, register, item, link_form=form)
    return render(request, "registers/item_detail.html", context)


@login_required
@require_POST
def link_remove(
    request: HttpRequest, kind: str, pk: int, other_kind: str, other_pk: int
) -> HttpResponse:
    """Remove the link between this item and another visible one (members and above)."""
    register, item = _item(request, kind, pk, need=access.CONTRIBUTE)
    other = access.item_for_user(request.user, access.model_for_kind(other_kind), other_pk)
    services.link_remove(a=item, b=other)
    messages.success(
        request,
        _("%(ref)s is no longer linked to %(other)s.") % {"ref": item.ref, "other": other.ref},
    )
    if wants_partial(request):
        return _links_response(request, register, item)
    return redirect(item.get_absolute_url() + "#links")


# Inline edits of a list row ---------------------------------------------------------------


def _row(
    request: HttpRequest, register: Register, item: RegisterItem, **extra: Any
) -> HttpResponse:
    from . import views_lists  # the list pages own the row; imported late to avoid a cycle

    return views_lists.render_row(request, register, item, **extra)


def _back(request: HttpRequest, item: RegisterItem) -> HttpResponse:
    """Without JavaScript an inline edit is a plain form: go back to the list it came from."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect(item)


@login_required
@require_POST
def item_inline(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Change an item's status, owner or due date from its list row; answer with the row.

    The value goes through the register's own form field, so the choices and formats are
    those of the edit form. A stale version answers 409 with the row at its stored values
    and a note; an invalid value 400 with the message as text (the list shows it in the
    row). Without htmx the answer is a redirect back to the list, with a message.
    """
    register, item = _item(request, kind, pk, need=access.CONTRIBUTE)
    htmx = wants_partial(request)
    name = request.POST.get("field", "")
    version = _version(request)
    error = None
    form_field: Any = None
    if name not in INLINE_FIELDS:
        error = _("This field cannot be changed in the list.")
    elif version is None:
        error = _("The form lacks the version it was opened at.")
    elif _read_only(item.scope):
        error = _("This is archived and read-only; unarchive it to change it.")
    else:
        if name == "due":
            name = register.model.DUE_FIELD
        form_field = form_for(register.model)(
            instance=item, scope=item.scope, user=request.user
        ).fields[name]
        try:
            value = form_field.clean(request.POST.get("value", ""))
            services.item_update(item=item, version=version, by=request.user, **{name: value})
        except StaleVersionError:
            if not htmx:
                messages.warning(
                    request,
                    _("%(ref)s was changed by someone else meanwhile; nothing was saved.")
                    % {"ref": item.ref},
                )
                return _back(request, item)
            current = access.item_for_user(request.user, register.model, pk)
            return _row(request, register, current, conflict=True, status=409)
        except ValidationError as exc:
            error = _("%(field)s: %(message)s") % {
                "field": capfirst(str(form_field.label)),
                "message": " ".join(exc.messages),
            }
    if error is not None:
        if not htmx:
            messages.error(
                request, _("%(field)s: %(message)s") % {"field": item.ref, "message": error}
            )
            return _back(request, item)
        # Plain text: the list puts it in the row with textContent, never as markup.
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if not htmx:
        messages.success(request, _("%(ref)s saved.") % {"ref": item.ref})
        return _back(request, item)
    updated = access.item_for_user(request.user, register.model, pk)
    return _row(request, register, updated)
