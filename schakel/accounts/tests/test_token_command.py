"""`schakel token create|list|revoke` on the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from schakel.accounts import services
from schakel.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_the_key_which_authenticates(outsider):
    out, err = _run("create", "outsider", "--name", "backup script")

    key = out.strip()
    assert out == key + "\n"
    assert " " not in key and len(key) >= 40
    token = ApiToken.objects.get(user=outsider)
    assert token.name == "backup script"
    assert token.key_hash == hash_token(key)
    assert "cannot be shown again" in err


def test_create_without_a_name_uses_a_default(outsider):
    _run("create", "outsider")

    assert ApiToken.objects.get(user=outsider).name == "CLI"


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user with the user name 'nobody'"):
        _run("create", "nobody")
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(outsider):
    outsider.is_active = False
    outsider.save()

    with pytest.raises(CommandError, match="not active"):
        _run("create", "outsider")


def test_list_shows_the_users_tokens_without_keys(outsider, viewer):
    active, key = services.token_create(user=outsider, name="one")
    revoked, _ = services.token_create(user=outsider, name="two")
    services.token_revoke(token=revoked)
    services.token_create(user=viewer, name="someone else's")

    out, _ = _run("list", "outsider")

    lines = out.splitlines()
    assert len(lines) == 3
    assert any(str(active.pk) in line and "active" in line and "one" in line for line in lines)
    assert any(str(revoked.pk) in line and "revoked" in line for line in lines)
    assert key not in out
    assert "someone else" not in out


def test_revoke_revokes_by_id(outsider):
    token, _ = services.token_create(user=outsider, name="one")

    out, _ = _run("revoke", str(token.pk))

    assert f"Revoked token {token.pk}" in out
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_an_unknown_id_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No API token with id 999"):
        _run("revoke", "999")


def test_a_subcommand_is_required(db):
    with pytest.raises(CommandError):
        _run()
