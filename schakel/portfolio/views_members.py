"""Being written: every view answers 404 until its engineer replaces this module."""

from django.http import Http404


def portfolio_members(request, *args, **kwargs):
    raise Http404


def programme_members(request, *args, **kwargs):
    raise Http404


def project_members(request, *args, **kwargs):
    raise Http404


def membership_edit(request, *args, **kwargs):
    raise Http404


def membership_remove(request, *args, **kwargs):
    raise Http404
