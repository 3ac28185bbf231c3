"""Throttles beyond the login's: password reset e-mails, unknown API and calendar feed tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from schakel.accounts import services, throttle
from schakel.accounts.models import ThrottleCounter
from schakel.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
API = "/api/v1/"


@pytest.fixture(autouse=True)
def _clean_process_memory():
    throttle.forget_local()
    yield
    throttle.forget_local()


def _reset(address: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(RESET, {"email": address})


def _page(response) -> str:
    """The page without its CSRF tokens, which differ per client."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def _api(key: str, ip: str = "10.0.0.1"):
    headers = {"Accept": "application/json", "Authorization": f"Token {key}"}
    return Client(REMOTE_ADDR=ip).get(API, headers=headers)


def _feed(key: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).get(reverse("meetings:feed", args=[key]))


class TestPasswordReset:
    def test_one_address_gets_at_most_the_limit_of_e_mails_an_hour(self, settings):
        settings.PASSWORD_RESET_PER_ADDRESS = 3
        UserFactory(email="anna@example.org")
        answers = [_reset("anna@example.org", ip=f"10.0.0.{n}").status_code for n in range(5)]
        assert answers == [302, 302, 302, 429, 429]
        assert len(mail.outbox) == 3
        # The address is counted however it is typed.
        assert _reset("  ANNA@example.org ").status_code == 429

    def test_the_refusal_is_a_form_error_and_the_same_for_unknown_addresses(self, settings):
        settings.PASSWORD_RESET_PER_ADDRESS = 1
        UserFactory(email="known@example.org")
        known = [_reset("known@example.org", ip="10.0.0.2") for _ in range(2)]
        unknown = [_reset("nobody@example.org", ip="10.0.0.3") for _ in range(2)]
        assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302, 429]
        assert "Too many reset requests" in known[1].content.decode()
        assert _page(known[1]).replace("known", "nobody") == _page(unknown[1])

    def test_one_caller_is_limited_across_addresses(self, settings):
        settings.PASSWORD_RESET_PER_IP = 2
        answers = [_reset(f"p{n}@example.org", ip="10.9.9.9").status_code for n in range(3)]
        assert answers == [302, 302, 429]
        assert _reset("p9@example.org", ip="10.9.9.8").status_code == 302

    def test_the_window_ends(self, settings):
        settings.PASSWORD_RESET_PER_ADDRESS = 1
        assert _reset("late@example.org").status_code == 302
        assert _reset("late@example.org").status_code == 429
        ThrottleCounter.objects.update(window_started=throttle.timezone.now() - timedelta(hours=2))
        assert _reset("late@example.org").status_code == 302

    def test_counters_keep_no_addresses(self):
        _reset("private@example.org", ip="192.0.2.44")
        stored = list(ThrottleCounter.objects.values_list("key_hash", flat=True))
        assert len(stored) == 2
        assert all(len(h) == 64 and "private" not in h and "192.0.2" not in h for h in stored)


class TestApiTokens:
    def test_bad_tokens_from_one_address_are_answered_429_past_the_limit(self, settings):
        settings.TOKEN_FAILURES_PER_IP = 3
        answers = [_api(f"wrong-{n}").status_code for n in range(4)]
        assert answers == [401, 401, 401, 429]
        refused = _api("wrong-again")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 15 * 60

    def test_a_blocked_address_is_refused_even_with_a_right_token(self, settings, outsider):
        settings.TOKEN_FAILURES_PER_IP = 2
        _token, key = services.token_create(user=outsider, name="ci")
        assert _api(key).status_code == 200
        for n in range(3):
            _api(f"guess-{n}")
        assert _api(key).status_code == 429
        # Another address is not affected, and good requests never count.
        assert _api(key, ip="10.0.0.77").status_code == 200
        assert all(_api(key, ip="10.0.0.78").status_code == 200 for _ in range(5))

    def test_other_processes_learn_of_the_block_from_the_database(self, settings):
        settings.TOKEN_FAILURES_PER_IP = 2
        for n in range(3):
            _api(f"guess-{n}")
        throttle.forget_local()  # as a fresh web process would be
        assert _api("guess-3").status_code == 429


class TestCalendarFeed:
    def test_unknown_keys_answer_404_then_429_even_for_a_right_key(self, settings, outsider):
        settings.TOKEN_FAILURES_PER_IP = 2
        _token, key = services.feed_token_rotate(user=outsider)
        assert _feed(key).status_code == 200
        assert [_feed(f"nope{n}").status_code for n in range(3)] == [404, 404, 429]
        blocked = _feed(key)
        assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
        assert _feed(key, ip="10.0.0.5").status_code == 200


def test_a_limit_counts_per_scope_and_key():
    first = throttle.Limit("a", 2, timedelta(minutes=1))
    other = throttle.Limit("b", 2, timedelta(minutes=1))
    assert [throttle.hit(first, "k") for _ in range(3)] == [True, True, False]
    assert throttle.blocked_here(first, "k") > 0
    assert throttle.hit(other, "k") and throttle.hit(first, "k2")
    assert not throttle.blocked_here(other, "k")
