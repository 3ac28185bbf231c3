"""Settings with DEBUG off: refuse a weak secret key, and pass `check --deploy` when set well.

Settings are read once per process, so each case runs Django in a subprocess with its own
environment.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Variables a developer's shell or CI may set that would change what these cases test.
CLEARED = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    # Set by the browser tests for the live server; a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def good_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SCHAKEL_VAR_DIR=str(tmp_path),
        DEBUG="false",
        **env,
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(tmp_path, "check", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_public_development_key(tmp_path):
    from config.settings import DEVELOPMENT_SECRET_KEY

    result = manage(
        tmp_path, "check", SECRET_KEY=DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS="example.org"
    )

    assert result.returncode != 0
    assert "public default" in result.stderr


@pytest.mark.parametrize("key", ["short-key", "a" * 60], ids=["short", "one-character"])
def test_it_refuses_a_weak_key(tmp_path, key):
    result = manage(tmp_path, "check", SECRET_KEY=key, ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage(tmp_path, "check", SECRET_KEY=good_key())

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_the_deployment_check_reports_nothing_with_a_good_key(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=good_key(),
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
