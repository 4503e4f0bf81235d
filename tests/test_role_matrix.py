"""QUALITY.md A1, A2, A5: every route, every role, every method, as the matrix file says."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from shuangliang.core.models import Membership

from .conftest import ROLES, client_for
from .role_matrix import load_matrix, resolve_args, route_names

MATRIX = load_matrix()


def _request(client: Client, method: str, url: str, *, csrf: bool = True):
    if method == "GET":
        return client.get(url)
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    headers = {"HTTP_X_CSRFTOKEN": secret} if csrf else {}
    return client.post(url, {}, **headers)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=lambda e: f"{e.method} {e.name}")
def test_role_matrix_entry_allows_exactly_the_listed_roles(world, entry, role):
    url = reverse(entry.name, kwargs=resolve_args(world, entry.args))
    response = _request(client_for(world, role), entry.method, url)
    if role in entry.allowed:
        # An API write with the empty body passes the access checks and fails validation.
        api_write = url.startswith("/api/") and entry.method == "POST"
        assert response.status_code in ((200, 302, 400) if api_write else (200, 302)), (
            response.status_code
        )
        assert not _is_login_redirect(response) or entry.name == "logout"
    elif role == "anonymous":
        if url.startswith("/api/"):
            assert response.status_code == 401
        else:
            assert _is_login_redirect(response), response.status_code
    else:
        assert response.status_code == 404, response.status_code


def test_role_matrix_lists_every_route():
    listed = {entry.name for entry in MATRIX}
    assert route_names() - listed == set(), "routes missing from tests/role_matrix.toml"
    assert listed - route_names() == set(), "matrix entries for routes that do not exist"


@pytest.mark.parametrize("entry", [e for e in MATRIX if e.method == "POST"], ids=lambda e: e.name)
def test_role_matrix_post_without_csrf_token_is_refused(world, entry):
    allowed = sorted(entry.allowed - {"anonymous"}) or ["superuser"]
    client = client_for(world, allowed[-1])
    url = reverse(entry.name, kwargs=resolve_args(world, entry.args))
    assert _request(client, "POST", url, csrf=False).status_code == 403


# Public routes (anonymous allowed) are reached by unguessable tokens, not by ids.
OBJECT_ROUTES = [e for e in MATRIX if e.args and e.method == "GET" and "anonymous" not in e.allowed]


@pytest.mark.parametrize("entry", OBJECT_ROUTES, ids=lambda e: e.name)
@pytest.mark.parametrize("offset", [0, -100, 100, 1, -1])
def test_outsider_gets_404_for_ids_around_an_object(world, entry, offset):
    """County C2's staff sees nothing of county C1, whatever id they try (QUALITY.md A2)."""
    kwargs = resolve_args(world, entry.args)
    kwargs = {key: max(1, value + offset) for key, value in kwargs.items()}
    response = client_for(world, "county_c2").get(reverse(entry.name, kwargs=kwargs))
    assert response.status_code == 404


def test_removed_membership_fails_on_the_next_request(world):
    """QUALITY.md A5: revocation is immediate."""
    client = client_for(world, "county_c1")
    url = reverse("backoffice:enterprise_detail", args=[world.e1.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.users["county_c1"]).update(is_active=False)
    assert client.get(url).status_code == 404


def test_deactivated_user_is_logged_out_on_the_next_request(world):
    client = client_for(world, "county_c1")
    url = reverse("backoffice:enterprise_list")
    assert client.get(url).status_code == 200
    user = world.users["county_c1"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _is_login_redirect(client.get(url))


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_superusers_only(world, role):
    response = client_for(world, role).get(reverse("admin:index"))
    if role == "superuser":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
