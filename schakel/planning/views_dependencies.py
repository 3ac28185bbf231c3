"""Connect a dependency of the registers to the plan, from the dependency's page.

The item's page (a registers page) shows the form through the template tag
`planning_dependencies`; the link is made by `services.link_create`, the one place that
says who may make a task wait for another.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.registers import access as register_access
from schakel.registers.models import Dependency

from . import access, dependencies, services
from .forms import ConnectForm


@login_required
@require_POST
def dependency_connect(request: HttpRequest, pk: int) -> HttpResponse:
    """Link our task and their task for an existing dependency item; its direction says
    which one waits. Those who shape neither plan get 403; who may not shape the waiting
    plan is told so."""
    user = request.user
    item = register_access.item_for_user(user, Dependency, pk)
    if item.project is None:
        messages.error(request, _("Only a dependency of a project can be connected to a plan."))
        return redirect(item)
    other = item.other_project
    if not (access.can_edit_plan(user, item.project) or access.can_edit_plan(user, other)):
        raise PermissionDenied
    if item.project.archived_at is not None or other.archived_at is not None:
        messages.error(request, _("This is archived and read-only; unarchive it to change it."))
        return redirect(item)
    ours, theirs = dependencies.connect_tasks(user, item)
    form = ConnectForm(request.POST, ours=ours, theirs=theirs)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label}: {message}"
            for name, field_errors in form.errors.items()
            for message in field_errors
        ]
        messages.error(request, " ".join(errors))
        return redirect(item)
    our, their = form.cleaned_data["ours"], form.cleaned_data["theirs"]
    inbound = item.direction == Dependency.Direction.INBOUND
    try:
        services.link_create(
            predecessor=their if inbound else our,
            successor=our if inbound else their,
            type=form.cleaned_data["type"],
            lag=form.cleaned_data["lag"],
            by=user,
            dependency=item,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(ref)s is in the plan now; its date follows the plan.") % {"ref": item.ref}
        )
    return redirect(item)
