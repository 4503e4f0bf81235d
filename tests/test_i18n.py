"""The interface speaks Simplified Chinese by default, Traditional and English on request."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_every_interface_string_is_translated_and_compiled():
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [(None, "登录"), ("zh-hans", "登录"), ("zh-hant", "登錄"), ("en", "Log in")],
)
def test_login_page_speaks_the_chosen_language(client, db, language, expected):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("login")).content.decode()
    assert f"<h1>{expected}</h1>" in html


def test_language_switch_sets_cookie_and_returns(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
