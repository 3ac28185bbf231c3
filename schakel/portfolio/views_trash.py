"""Being written: every view answers 404 until its engineer replaces this module."""

from django.http import Http404


def portfolio_delete(request, *args, **kwargs):
    raise Http404


def programme_delete(request, *args, **kwargs):
    raise Http404


def theme_delete(request, *args, **kwargs):
    raise Http404


def project_delete(request, *args, **kwargs):
    raise Http404


def trash_list(request, *args, **kwargs):
    raise Http404


def trash_restore(request, *args, **kwargs):
    raise Http404
