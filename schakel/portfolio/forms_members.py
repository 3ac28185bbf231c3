"""Forms of the Members tabs: add a member, change a member's role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role, User


class UserChoiceField(forms.ModelChoiceField):
    """Pick a person by name; the user name tells apart people with the same name."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.get_full_name():
            return f"{obj.get_full_name()} ({obj.username})"
        return obj.username


class MembershipAddForm(forms.Form):
    """Give a person a role on a portfolio, programme or project.

    Every role is offered; the service refuses one above the granter's own, with a
    message on the role field, so the reason is explained rather than hidden.
    """

    user = UserChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        empty_label=_("Choose a person…"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class MembershipRoleForm(forms.Form):
    """Change the role of a membership, starting from the version the editor saw."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
