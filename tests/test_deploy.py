"""The deployment the README describes: gunicorn in production mode against PostgreSQL.

The test collects static files, starts gunicorn with the production settings on a free
loopback port (behind no proxy, so it sends the `X-Forwarded-Proto` header nginx would),
checks the health endpoint, logs in and opens a public union page. It runs on PostgreSQL
(the throw-away server of `make test`); an in-memory SQLite cannot be shared with another
process.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "deploy-test-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Browser:
    """Just enough of a browser: cookies by hand (they are Secure, the socket is plain)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, content


@pytest.fixture
def gunicorn_server(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn needs a database another process can reach: runs on PostgreSQL")
    port = free_port()
    env = {
        **os.environ,
        "SHUANGLIANG_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "SHUANGLIANG_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "TASKS_BACKEND": "database",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "shuangliang.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((tmp_path / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_gunicorn_in_production_mode_serves_health_login_and_a_public_page(
    default_contract_kinds, world, gunicorn_server
):
    from shuangliang.doublebright.selectors import public_path_for

    # The test process hashes with MD5 for speed; the server knows only the real hashers.
    user = world.users["county_c1"]
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "deploytestsalt", iterations=1000)
    user.save()
    browser = Browser(gunicorn_server)

    response, body = browser.request("GET", "/healthz")
    assert response.status == 200 and '"database": "ok"' in body

    # Plain HTTP (no proxy header) is sent to HTTPS, as nginx would have it.
    plain = http.client.HTTPConnection("127.0.0.1", gunicorn_server, timeout=30)
    plain.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
    assert plain.getresponse().status == 301
    plain.close()

    response, body = browser.request("GET", "/accounts/login/")
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={csrf}&username=county_c1&password={PASSWORD}"
    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://127.0.0.1/accounts/login/",
            "Origin": "https://127.0.0.1",
        },
    )
    assert response.status == 302, "login did not go through"
    response, body = browser.request("GET", "/")
    assert response.status == 200
    assert 'action="/accounts/logout/"' in body  # the overview of a logged-in user
    # Static files come from the collected, hashed copies.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)
    assert browser.request("GET", stylesheet)[0].status == 200

    public = Browser(gunicorn_server)
    path = public_path_for(world.u1)
    response, body = public.request("GET", path)
    assert response.status == 200
    assert world.u1.name in body
