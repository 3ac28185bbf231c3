"""Being written: every view answers 404 until its engineer replaces this module."""

from django.http import Http404


def portfolio_history(request, *args, **kwargs):
    raise Http404


def programme_history(request, *args, **kwargs):
    raise Http404


def theme_history(request, *args, **kwargs):
    raise Http404


def project_history(request, *args, **kwargs):
    raise Http404
