"""Being written: every view answers 404 until its engineer replaces this module."""

from django.http import Http404


def home(request, *args, **kwargs):
    raise Http404


def search(request, *args, **kwargs):
    raise Http404


def portfolio_list(request, *args, **kwargs):
    raise Http404


def portfolio_create(request, *args, **kwargs):
    raise Http404


def portfolio_detail(request, *args, **kwargs):
    raise Http404


def portfolio_edit(request, *args, **kwargs):
    raise Http404


def programme_create(request, *args, **kwargs):
    raise Http404


def programme_list(request, *args, **kwargs):
    raise Http404


def programme_detail(request, *args, **kwargs):
    raise Http404


def programme_edit(request, *args, **kwargs):
    raise Http404


def programme_archive(request, *args, **kwargs):
    raise Http404


def theme_create(request, *args, **kwargs):
    raise Http404


def project_create(request, *args, **kwargs):
    raise Http404


def theme_detail(request, *args, **kwargs):
    raise Http404


def theme_edit(request, *args, **kwargs):
    raise Http404


def project_list(request, *args, **kwargs):
    raise Http404


def project_create_any(request, *args, **kwargs):
    raise Http404


def project_detail(request, *args, **kwargs):
    raise Http404


def project_edit(request, *args, **kwargs):
    raise Http404


def project_archive(request, *args, **kwargs):
    raise Http404


def project_move(request, *args, **kwargs):
    raise Http404
