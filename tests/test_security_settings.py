"""QUALITY.md F1, F2 and D4: deployment checks, security headers, secure defaults, faults.

The production checks run `manage.py` in a subprocess with the environment of a deployment,
because settings.py reads it once at start-up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.crypto import get_random_string

from shuangliang.register.models import Enterprise

from .conftest import client_for
from .factories import make_credit_code

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest, never in a deployment.
        if key
        not in {"SECRET_KEY", "SHUANGLIANG_PRODUCTION", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "SHUANGLIANG_PRODUCTION": "1",
    "ALLOWED_HOSTS": "union.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://union.example.cn",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [None, "", "django-insecure-change-me", "changeme", "secret", "x" * 20],
    ids=["missing", "empty", "django-placeholder", "changeme", "secret", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = dict(PRODUCTION)
    if key is not None:
        env["SECRET_KEY"] = key
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
)
def test_security_headers_and_cookies_of_a_logged_in_page(world):
    # A fresh client builds its middleware with the overridden settings.
    client = Client()
    page = client.get(reverse("login"), secure=True)
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    world.users["county_c1"].set_password("pw-for-the-header-test")
    world.users["county_c1"].save()
    login = client.post(
        reverse("login"),
        {
            "username": "county_c1",
            "password": "pw-for-the-header-test",
        },
        secure=True,
    )
    assert login.status_code == 302
    session = login.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    private = client.get(reverse("backoffice:enterprise_list"), secure=True)
    assert private.status_code == 200
    assert "no-store" in private["Cache-Control"]
    assert "private" in private["Cache-Control"]


def test_no_account_and_no_permission_exists_after_migrating(db):
    """F2: migrations create no (default admin) account and grant nothing to any group."""
    assert get_user_model().objects.count() == 0
    assert Group.objects.count() == 0
    assert Permission.objects.filter(group__isnull=False).count() == 0


def test_public_roles_hold_no_django_permission(world):
    """F2: roles come from memberships; nobody but the superuser holds a model permission."""
    for role, user in world.users.items():
        if role == "superuser":
            continue
        assert not user.is_staff and not user.is_superuser
        assert user.get_all_permissions() == set()


def test_database_down_gives_a_503_page_with_a_support_id(world, monkeypatch):
    """D4: a database that cannot be reached is a 503 with a support id, not a stack trace."""

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    client = client_for(world, "county_c1")
    client.raise_request_exception = False
    monkeypatch.setattr("shuangliang.backoffice.views.enterprises.select_enterprises", unreachable)
    response = client.get(reverse("backoffice:enterprise_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert response["X-Request-ID"] in body
    assert "Connection refused" not in body and "Traceback" not in body


def test_a_write_cut_off_by_the_database_leaves_no_partial_rows(world, monkeypatch):
    """D4: a failure half-way through a service rolls back what it had written."""
    from shuangliang.core import actionlog

    client = client_for(world, "county_c1")
    client.raise_request_exception = False
    before = Enterprise.objects.count()

    def fail_on_log(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The enterprise row is written first, then its audit entry fails.
    monkeypatch.setattr(actionlog.ActionLogEntry, "save", fail_on_log)
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(
        reverse("backoffice:enterprise_create"),
        {
            "name": "断线测试有限公司",
            "credit_code": make_credit_code(),
            "federation": world.t1.pk,
            "ownership": "private",
            "industry": "C",
            "operating_status": "in_production",
            "headcount": 10,
            "women_headcount": 2,
        },
        HTTP_X_CSRFTOKEN=secret,
    )
    assert response.status_code == 503
    assert Enterprise.objects.count() == before


def test_production_serves_static_files_from_the_collected_index_only():
    """Whitenoise's development modes (finders, re-reading files per request) are off in
    production: it serves the collected, hashed files it indexed at start-up."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.WHITENOISE_USE_FINDERS, settings.WHITENOISE_AUTOREFRESH)",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["False", "False"]


def test_a_static_file_edited_while_the_development_server_runs_is_served_whole():
    """Outside production a static file is looked at again on each request: an edit made
    while the server runs is served whole, not cut to the length it had at start-up."""
    folder = ROOT / "shuangliang" / "static" / "shuangliang"
    name = f"autorefresh-{get_random_string(12)}.js"
    path = folder / name
    try:
        client = Client()
        for content in (b"var a = 1;\n", b"var a = 1;\nvar b = 2;\n"):
            path.write_bytes(content)
            response = client.get(f"/static/shuangliang/{name}")
            # A browser reads as many bytes as Content-Length says.
            assert response["Content-Length"] == str(len(content))
            assert b"".join(response.streaming_content) == content
    finally:
        path.unlink(missing_ok=True)
