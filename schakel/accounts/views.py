"""Account pages: login, password, profile, API tokens, language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a logged-in user's choice is saved on their profile too."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code and check_for_language(code):
        if request.user.language != code:
            request.user.language = code
            request.user.save(update_fields=["language"])
    return django_set_language(request)
