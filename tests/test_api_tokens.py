"""API tokens: scope narrowing, read-only, expiry and revocation, hashing, the staff page
and the admin; every write made with a token is logged with its name."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shuangliang.api.models import ApiToken
from shuangliang.api.tokens import hash_secret
from shuangliang.core.models import ActionLogEntry, Membership
from shuangliang.register.models import Enterprise

from .api_clients import bearer_client, issue_token, token_client
from .conftest import client_for

ENTERPRISES = reverse("api:enterprise_list")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def detail(name: str, pk: int) -> str:
    return reverse(f"api:{name}_detail", args=[pk])


# Narrowing (the token sees its subtree only, never more than its user).


@pytest.mark.parametrize("role", ["county_c1", "city", "superuser"])
def test_token_narrowed_to_t1_sees_nothing_of_t2_or_c2(world, role):
    client = token_client(world, role, federation=world.t1)
    assert ids(client.get(ENTERPRISES)) == {world.e1.pk}
    assert ids(client.get(reverse("api:union_list"))) == {world.u1.pk}
    assert ids(client.get(reverse("api:officer_list"))) == {world.chair1.pk}
    assert client.get(detail("enterprise", world.e1.pk)).status_code == 200
    for name, obj in [
        ("enterprise", world.e2),
        ("enterprise", world.e3),
        ("union", world.u2),
        ("union", world.u3),
        ("officer", world.chair2),
        ("officer", world.chair3),
    ]:
        assert client.get(detail(name, obj.pk)).status_code == 404, (name, obj)
    stats = client.get(reverse("api:stats_summary"))
    assert stats.json()["enterprises_operating"] == 1
    assert client.get(reverse("api:stats_summary"), {"federation": "990101002"}).status_code == 404
    assert client.get(reverse("api:stats_summary"), {"federation": "990102"}).status_code == 404


def test_token_narrowed_cannot_write_outside_its_subtree(world):
    client = token_client(world, "county_c1", federation=world.t1)
    response = client.patch(
        detail("enterprise", world.e2.pk), {"headcount": 500}, content_type="application/json"
    )
    assert response.status_code == 404
    body = {
        "name": "甲二新企业有限公司",
        "credit_code": "91350100M000100Y43",
        "federation": world.t2.pk,
        "ownership": "private",
        "industry": "C",
        "operating_status": "in_production",
        "headcount": 10,
        "women_headcount": 1,
    }
    response = client.post(ENTERPRISES, body, content_type="application/json")
    assert response.status_code == 400 and "federation" in response.json()


def test_token_cannot_widen_beyond_its_user(world):
    """A token limited to county C1 for a township T1 clerk still sees T1 only, even if the
    row was written around the service's check."""
    token, secret = issue_token(world.users["township_t1"])
    token.federation = world.c1
    token.save(update_fields=["federation"])
    client = bearer_client(secret)
    assert ids(client.get(ENTERPRISES)) == {world.e1.pk}
    assert client.get(detail("enterprise", world.e2.pk)).status_code == 404
    # And a token limited to a place outside the user's scope sees nothing at all.
    token.federation = world.c2
    token.save(update_fields=["federation"])
    assert client.get(ENTERPRISES).status_code == 401


def test_token_service_refuses_a_place_the_user_cannot_see(world):
    with pytest.raises(ValidationError):
        issue_token(world.users["township_t1"], federation=world.c1)
    with pytest.raises(ValidationError):
        issue_token(world.users["county_c1"], federation=world.c2)
    with pytest.raises(ValidationError):
        issue_token(world.users["county_c1"], days=400)


def test_token_narrowed_chair_keeps_their_union(world):
    client = token_client(world, "chair_u1", federation=world.t1)
    assert ids(client.get(ENTERPRISES)) == {world.e1.pk}


def test_token_of_cadre_sees_the_assignment(world):
    assert ids(token_client(world, "cadre").get(ENTERPRISES)) == {world.e2.pk}


# Read-only tokens.


@pytest.mark.parametrize("role", ["county_c1", "superuser", "chair_u1"])
def test_read_only_token_cannot_write(world, role):
    client = token_client(world, role, can_write=False)
    assert client.get(detail("enterprise", world.e1.pk)).status_code == 200
    assert (
        client.patch(
            detail("enterprise", world.e1.pk), {"headcount": 500}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.delete(detail("enterprise", world.e1.pk)).status_code == 403
    assert client.post(ENTERPRISES, {}, content_type="application/json").status_code == 403
    person = world.chair1.person_id
    assert client.post(reverse("api:person_unmask", args=[person])).status_code == 403
    assert Enterprise.objects.get(pk=world.e1.pk).headcount != 500


# Expiry, revocation, the user's own state: refused at once.


def test_expired_token_is_401_at_once(world):
    token, secret = issue_token(world.users["county_c1"])
    client = bearer_client(secret)
    assert client.get(ENTERPRISES).status_code == 200
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    response = client.get(ENTERPRISES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401_on_the_next_request(world):
    token, secret = issue_token(world.users["county_c1"])
    client = bearer_client(secret)
    assert client.get(ENTERPRISES).status_code == 200
    page = client_for(world, "county_c1")
    page.get(reverse("api_tokens:list"))
    csrf = page.cookies["csrftoken"].value
    response = page.post(reverse("api_tokens:revoke", args=[token.pk]), HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 302
    assert client.get(ENTERPRISES).status_code == 401
    assert ActionLogEntry.objects.filter(
        action_type="api.token.revoked", object_id=str(token.pk)
    ).exists()


def test_token_fails_when_the_user_loses_the_role(world):
    _token, secret = issue_token(world.users["county_c1"])
    client = bearer_client(secret)
    assert client.get(ENTERPRISES).status_code == 200
    Membership.objects.filter(user=world.users["county_c1"]).update(is_active=False)
    assert client.get(ENTERPRISES).status_code == 401
    Membership.objects.filter(user=world.users["county_c1"]).update(is_active=True)
    user = world.users["county_c1"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(ENTERPRISES).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer slk_nottherightone", "Bearer", "Bearer a b", "Bearer " + "x" * 200, "Bearer 令牌"],
)
def test_unknown_or_malformed_token_is_401(world, header):
    response = bearer_client("unused").get(ENTERPRISES, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_only_the_hash_is_stored_and_last_use_recorded(world):
    token, secret = issue_token(world.users["county_c1"])
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_secret(secret) != secret
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert stored.last_used_at is None
    bearer_client(secret).get(ENTERPRISES)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    entry = ActionLogEntry.objects.get(action_type="api.token.created", object_id=str(token.pk))
    assert secret not in str(entry.data)


def test_token_write_is_logged_with_the_token_name(world):
    client = token_client(world, "county_c1", name="统计局数据对接")
    client.patch(
        detail("union", world.u1.pk), {"member_count": 77}, content_type="application/json"
    )
    entry = ActionLogEntry.objects.get(action_type="register.union.changed")
    assert entry.data["api_token"] == "统计局数据对接"
    assert entry.actor == world.users["county_c1"]


def test_token_needs_no_csrf_and_ignores_a_session(world):
    _token, secret = issue_token(world.users["county_c1"])
    client = client_for(world, "county_c2")  # a session of someone else entirely
    response = client.patch(
        detail("union", world.u1.pk),
        {"member_count": 66},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200


# The staff page.


def test_token_page_creates_shows_the_secret_once_and_lists(world):
    client = client_for(world, "county_c1")
    client.get(reverse("api_tokens:create"))
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        reverse("api_tokens:create"),
        {"name": "乡镇报表", "federation": world.t1.pk, "can_write": "", "expires_in": "90"},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    secret = response.context["secret"]
    assert secret.startswith("slk_") and secret in response.content.decode()
    token = ApiToken.objects.get(name="乡镇报表")
    assert token.user == world.users["county_c1"]
    assert token.federation == world.t1 and not token.can_write
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "乡镇报表" in listing and token.key_prefix in listing and secret not in listing
    assert ids(bearer_client(secret).get(ENTERPRISES)) == {world.e1.pk}


def test_token_page_refuses_a_place_outside_the_users_scope(world):
    client = client_for(world, "township_t1")
    client.get(reverse("api_tokens:create"))
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        reverse("api_tokens:create"),
        {"name": "越权", "federation": world.c1.pk, "expires_in": "30"},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200
    assert "federation" in response.context["form"].errors
    assert not ApiToken.objects.filter(name="越权").exists()


def test_token_page_revoke_asks_first_and_is_only_for_the_owner(world):
    token, _secret = issue_token(world.users["county_c1"])
    url = reverse("api_tokens:revoke", args=[token.pk])
    page = client_for(world, "county_c1").get(url)
    assert page.status_code == 200 and token.name in page.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client_for(world, "superuser").get(url).status_code == 404
    assert client_for(world, "city").get(url).status_code == 404


def test_admin_creates_a_token_and_shows_the_secret_once(world):
    client = client_for(world, "superuser")
    client.get(reverse("admin:api_apitoken_add"))
    csrf = client.cookies["csrftoken"].value
    expires = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "user": world.users["leader_c1"].pk,
            "name": "领导驾驶舱",
            "federation": world.c1.pk,
            "expires_at_0": expires[:10],
            "expires_at_1": expires[11:],
        },
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200, response.content[:2000]
    secret = response.context["secret"]
    token = ApiToken.objects.get(name="领导驾驶舱")
    assert token.key_hash == hash_secret(secret)
    assert ids(bearer_client(secret).get(ENTERPRISES)) == {world.e1.pk, world.e2.pk}
    # Revoking from the admin list.
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 302
    assert bearer_client(secret).get(ENTERPRISES).status_code == 401


def test_admin_refuses_a_token_wider_than_its_user(world):
    client = client_for(world, "superuser")
    client.get(reverse("admin:api_apitoken_add"))
    csrf = client.cookies["csrftoken"].value
    expires = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "user": world.users["township_t1"].pk,
            "name": "越权",
            "federation": world.c2.pk,
            "expires_at_0": expires[:10],
            "expires_at_1": expires[11:],
        },
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200
    assert not ApiToken.objects.filter(name="越权").exists()
