"""Forms of the account pages: password change, password reset, profile and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User, time_zone_choices
from .tasks import send_password_reset_task


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change one's password; the old password is checked through the login throttle.

    Django's form calls `check_password`, which django-axes does not see; checking the old
    password with `authenticate` makes every wrong guess count towards the lockout, so this
    page cannot be used to guess a password without limit.
    """

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(
            request=self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Have the worker send the reset link, in the language the recipient chose.

    Only the user, the address and the template names are queued; the worker makes the
    link (`send_password_reset_task`), so no usable link is ever stored in the task queue.
    The worker retries while the mail server is down: the page never waits for, or fails
    on, the mail server.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        send_password_reset_task.enqueue(
            context["user"].pk,
            to_email,
            context.get("site_url") or settings.SITE_URL,
            [subject_template_name, email_template_name, html_email_template_name or ""],
            from_email,
            translation.get_language(),
        )


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Browser setting")), *settings.LANGUAGES]


def _time_zone_choices() -> list[tuple[str, Any]]:
    default = _("Site default (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", default), *time_zone_choices()]


class ProfileForm(forms.ModelForm):
    """A user's own name, e-mail address, language and time zone."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        required=False,
        help_text=_("The language of pages and e-mails; empty follows the browser."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        required=False,
        help_text=_("Times are shown in this zone."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "time_zone", "digest"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class TokenCreateForm(forms.ModelForm):
    """Name a new API token, so its owner can tell their tokens apart."""

    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Token name")}
        help_texts = {"name": _("What the token is for, e.g. “reporting script”.")}
