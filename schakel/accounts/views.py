"""Account pages: login, password, profile, API tokens, language."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django.views.i18n import set_language as django_set_language

from . import services, throttle
from .forms import PasswordChangeForm, PasswordResetForm, ProfileForm, TokenCreateForm
from .models import ApiToken, User

# The accounts `schakel demo` creates; the login page lists those that exist (DEBUG only).
DEMO_USERNAMES = ("admin", "pmo", "manager", "member", "viewer", "outsider")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a logged-in user's choice is saved on their profile too."""
    code = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and code and check_for_language(code) and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return django_set_language(request)


def demo_logins() -> list[str]:
    """Return the demo accounts that exist, in persona order; none unless DEBUG is on."""
    if not settings.DEBUG:
        return []
    found = set(
        User.objects.filter(username__in=DEMO_USERNAMES, is_active=True).values_list(
            "username", flat=True
        )
    )
    return [name for name in DEMO_USERNAMES if name in found]


def site_url(request: HttpRequest) -> str:
    """Return the scheme and host for links in e-mails: SITE_URL if set, else the request's."""
    configured = getattr(settings, "SITE_URL", "") or ""
    if configured:
        return configured.rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


class LoginView(auth_views.LoginView):
    """Log in; `next` is followed only to this site, logged-in visitors go straight home."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins()
        context["demo_password"] = settings.SCHAKEL_DEMO_PASSWORD
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; wrong old passwords count towards the login throttle."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Send a reset link by e-mail, whether or not the address is known (no account probing)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"
    html_email_template_name = "accounts/password_reset_email.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Counted per address asked for (known or not, so the answer reveals nothing) and per
        # caller: a flood of reset e-mails to one person, or from one place, stops here.
        per_address, per_ip = throttle.reset_limits()
        address = form.cleaned_data["email"].strip().lower()
        allowed = throttle.hit(per_address, address)
        allowed = throttle.hit(per_ip, throttle.client_ip(self.request)) and allowed
        if not allowed:
            form.add_error(
                None,
                _("Too many reset requests. Please wait an hour and try again."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        self.extra_email_context = {"site_url": site_url(self.request)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _render_profile(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: TokenCreateForm | None = None,
    new_key: str = "",
    new_token: ApiToken | None = None,
) -> HttpResponse:
    """Render the profile page, or only its tokens card for an htmx request."""
    context = {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or TokenCreateForm(),
        "tokens": ApiToken.objects.filter(user=cast(User, request.user)),
        "new_key": new_key,
        "new_token": new_token,
        "breadcrumbs": [(_("Profile"), None)],
    }
    template = "accounts/profile.html"
    if getattr(request, "htmx", False):
        template += "#tokens"
    return render(request, template, context)


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save one's name, e-mail, language and time zone, and list one's API tokens."""
    # A separate instance, so invalid input does not leak into the top bar's user.
    form = ProfileForm(
        request.POST or None, instance=User.objects.get(pk=cast(User, request.user).pk)
    )
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        if user.language:
            # Keep the chosen language after logging out too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
    return _render_profile(request, form=form)


@never_cache
@vary_on_headers("HX-Request")
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create an API token and show its key this once; only its hash is kept."""
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, token_form=form)
    token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
    return _render_profile(request, new_key=key, new_token=token)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens; another user's token answers 404 as if missing."""
    token = get_object_or_404(ApiToken.objects.filter(user=cast(User, request.user)), pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:profile")
