"""The OpenAPI schema, the documentation page under our CSP, and schemathesis per role
(QUALITY.md B7): generated requests never get a 5xx and every answer matches the schema."""

from html.parser import HTMLParser

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shuangliang.core.middleware import CONTENT_SECURITY_POLICY

from .api_clients import bearer_client, issue_token
from .conftest import client_for

SCHEMA = reverse("api:schema")
DOCS = reverse("api:docs")
EXAMPLES_PER_OPERATION = 4


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every warning of the generator into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_schema_served_to_tokens_and_staff_not_to_anonymous(world):
    _token, secret = issue_token(world.users["chair_u1"], can_write=False)
    response = bearer_client(secret).get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/enterprises" in schema["paths"]
    assert {"apiToken", "session"} <= set(schema["components"]["securitySchemes"])
    assert client_for(world, "county_c1").get(SCHEMA).status_code == 200
    assert Client().get(SCHEMA).status_code == 401


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.inline, self.style_attrs = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attrs.append(tag)
        if tag == "script":
            (self.scripts if attrs.get("src") else self.inline).append(attrs.get("src") or tag)
        if tag == "style":
            self.inline.append(tag)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])


def test_docs_page_for_staff_ships_its_assets_and_nothing_inline(world):
    response = client_for(world, "leader_c1").get(DOCS)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assets = _Assets()
    assets.feed(response.content.decode())
    assert assets.inline == [] and assets.style_attrs == []
    assert len(assets.scripts) == 2 and len(assets.styles) == 2
    for url in assets.scripts + assets.styles:
        assert url.startswith("/static/"), url  # same origin: no CDN
        assert finders.find(url.removeprefix("/static/")), url
    assert 'data-schema-url="/api/v1/schema"' in response.content.decode()


def test_docs_page_is_not_for_anonymous_or_tokens(world):
    assert Client().get(DOCS).status_code == 401
    _token, secret = issue_token(world.users["county_c1"])
    assert bearer_client(secret).get(DOCS).status_code == 401


# Schemathesis, in process, against the WSGI application.


@pytest.fixture
def wsgi_app():
    """The application as a server runs it, inside the test's transaction: Django's test
    client does the same, keeping the connection open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(world):
    client = client_for(world, "superuser")
    schema = schemathesis.openapi.from_dict(client.get(SCHEMA).json())
    return [result.ok() for result in schema.get_all_operations()]


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _run(operation, app, headers: dict, examples: int) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()


# Transactional: on PostgreSQL a request made through the WSGI application found the test's
# connection closed when it ran inside the test's transaction; committed data and a fresh
# connection per request are also closer to what a server does.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["county_c1", "chair_u1"])
def test_schemathesis_per_role(world, wsgi_app, role):
    """A read-write token of the role: no 5xx and schema-conformant answers everywhere."""
    _token, secret = issue_token(world.users[role])
    headers = {"Authorization": f"Bearer {secret}"}
    operations = _operations(world)
    assert len(operations) >= 20
    for operation in operations:
        _run(operation, wsgi_app, headers, EXAMPLES_PER_OPERATION)


def _run_anonymous(operation, app) -> None:
    is_public = operation.path.startswith("/api/v1/public/")

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=2,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(app=app)
        if is_public:
            assert response.status_code in (200, 404), response.status_code
        else:
            assert response.status_code == 401, (case.method, case.path)
            assert response.headers["www-authenticate"][0].startswith("Bearer")

    check()


@pytest.mark.django_db(transaction=True)
def test_schemathesis_anonymous_gets_401_on_every_staff_operation(world, wsgi_app):
    """Auth is enforced on every operation but the public ones."""
    for operation in _operations(world):
        _run_anonymous(operation, wsgi_app)


def test_schema_as_yaml_on_request(world):
    response = client_for(world, "county_c1").get(SCHEMA, HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_staff_navigation_links_to_api_tokens(world):
    page = client_for(world, "chair_u1").get(reverse("backoffice:home")).content.decode()
    assert f'href="{reverse("api_tokens:list")}"' in page
