"""Site administrators reach the registers, the risk scale and the categories in the admin."""

import pytest
from django.urls import reverse

from schakel.registers.models import REGISTER_MODELS, Comment, RiskCategory, RiskScaleLevel
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [*REGISTER_MODELS, RiskScaleLevel, RiskCategory, Comment])
def test_each_register_and_list_has_an_admin_page(admin_user, client_as, model):
    url = reverse(f"admin:registers_{model._meta.model_name}_changelist")
    assert client_as(admin_user).get(url).status_code == 200


def test_an_item_opens_in_the_admin_and_others_may_not(org, pmo, admin_user, client_as):
    risk = factories.risk(org.project, pmo)
    url = reverse("admin:registers_risk_change", args=[risk.pk])
    assert client_as(admin_user).get(url).status_code == 200
    assert client_as(pmo).get(url).status_code == 302  # not staff: the admin login
