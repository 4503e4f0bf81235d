"""Worker appeals over the API, the handlers' side: scope per role (the pages' rules), no
identity in lists or details (QUALITY.md C3), the identity only through the logged operation
and refused where the page refuses it, the handling steps through the pages' forms and
services (B1), read-only tokens, and constant query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangliang.appeals.forms import ReasonForm
from shuangliang.appeals.models import Appeal, Message, Route, Status
from shuangliang.core.models import ActionLogEntry

from .api_clients import token_client
from .appeals_world import submit
from .conftest import ROLES as ALL_ROLES
from .conftest import client_for

APPEALS = reverse("api:appeal_list")
NAME, PHONE = "陈小明", "13912345678"
ROLES = [role for role in ALL_ROLES if role != "anonymous"]


def detail(appeal) -> str:
    return reverse("api:appeal_detail", args=[appeal.pk])


def step(appeal, name: str) -> str:
    return reverse(f"api:appeal_{name}", args=[appeal.pk])


def identity(appeal) -> str:
    return reverse("api:appeal_identity", args=[appeal.pk])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def anonymous_appeal(world) -> Appeal:
    appeal = submit(enterprise=world.e1, wants_union=False, anonymous=True, name="", phone="")
    assert appeal.is_anonymous and appeal.route == Route.FEDERATION
    return appeal


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_follow_the_pages_scope(world, role):
    page_client = client_for(world, role)
    api = token_client(world, role)
    seen = ids(api.get(APPEALS))
    for appeal in (world.appeal_u1, world.appeal_c1):
        page = page_client.get(reverse("appeals:detail", args=[appeal.pk])).status_code
        assert (appeal.pk in seen) == (page == 200), (role, appeal)
        assert api.get(detail(appeal)).status_code == page


def test_chair_of_u2_cannot_see_u1s_appeal(world):
    api = token_client(world, "chair_u2")
    assert world.appeal_u1.pk not in ids(api.get(APPEALS))
    assert api.get(detail(world.appeal_u1)).status_code == 404
    assert api.post(identity(world.appeal_u1)).status_code == 404
    assert api.post(step(world.appeal_u1, "accept")).status_code == 404
    assert Appeal.objects.get(pk=world.appeal_u1.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_no_identity_in_lists_or_details(world, role):
    anonymous = anonymous_appeal(world)
    api = token_client(world, role)
    responses = [api.get(APPEALS), api.get(APPEALS, {"page_size": 200})]
    responses += [api.get(detail(a)) for a in (world.appeal_u1, world.appeal_c1, anonymous)]
    for response in responses:
        assert NAME.encode() not in response.content
        assert PHONE.encode() not in response.content
        assert b"13912345678" not in response.content
    body = api.get(detail(world.appeal_u1))
    if body.status_code == 200:
        assert not {"name", "phone", "appellant"} & set(body.json())


def test_anonymous_appeal_has_no_identity_for_anyone(world):
    anonymous = anonymous_appeal(world)
    for role in ("county_c1", "city", "superuser"):
        api = token_client(world, role)
        assert api.get(detail(anonymous)).json()["identity_available"] is False
        assert api.post(identity(anonymous)).status_code == 404
    assert not ActionLogEntry.objects.filter(
        action_type="appeals.appeal.identity_viewed", object_id=str(anonymous.pk)
    ).exists()


def _page_identity_status(world, role, appeal) -> int:
    client = Client()
    client.force_login(world.users[role])
    return client.post(reverse("appeals:identity", args=[appeal.pk])).status_code


@pytest.mark.parametrize("role", ROLES)
def test_identity_refused_exactly_where_the_page_refuses_it(world, role):
    api = token_client(world, role)
    for appeal in (world.appeal_u1, world.appeal_c1):
        page = _page_identity_status(world, role, appeal)
        response = api.post(identity(appeal))
        assert response.status_code == (200 if page == 200 else 404), (role, appeal, page)
        if response.status_code == 200:
            assert response.json() == {"appeal": appeal.pk, "name": NAME, "phone": PHONE}


def test_identity_is_logged_with_the_token_and_refused_to_the_leader(world):
    appeal = world.appeal_u1
    log = ActionLogEntry.objects.filter(
        action_type="appeals.appeal.identity_viewed", object_id=str(appeal.pk)
    )
    assert token_client(world, "leader_c1").post(identity(appeal)).status_code == 404
    assert not log.exists()
    response = token_client(world, "county_c1", name="信访系统").post(identity(appeal))
    assert response.status_code == 200
    entry = log.get()
    assert entry.actor == world.users["county_c1"]
    assert entry.data["api_token"] == "信访系统" and entry.data["via"] == "api"
    # The chair of U1 sees it because the worker shared it with the union; not appeal_c1.
    chair = token_client(world, "chair_u1")
    assert chair.post(identity(appeal)).status_code == 200
    assert chair.post(identity(world.appeal_c1)).status_code == 404


def test_read_only_token_cannot_act_or_reveal(world):
    api = token_client(world, "county_c1", can_write=False)
    assert api.get(detail(world.appeal_u1)).status_code == 200
    for name in ("accept", "decline", "start", "reply", "close"):
        response = api.post(step(world.appeal_u1, name), {"reason": "x", "body": "x"})
        assert response.status_code == 403
    assert api.post(identity(world.appeal_u1)).status_code == 403
    assert Appeal.objects.get(pk=world.appeal_u1.pk).status == Status.SUBMITTED


def test_leader_cannot_act(world):
    api = token_client(world, "leader_c1")
    assert api.get(detail(world.appeal_c1)).status_code == 200
    assert api.post(step(world.appeal_c1, "accept")).status_code == 404
    assert Appeal.objects.get(pk=world.appeal_c1.pk).status == Status.SUBMITTED


def test_handling_steps_go_through_the_pages_forms_and_services(world):
    api = token_client(world, "county_c1", name="信访系统")
    appeal = world.appeal_c1
    # Decline without a reason: the page's form's own message (one validation path, B1).
    response = api.post(step(appeal, "decline"), {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["reason"] == ReasonForm(data={}).errors["reason"]
    # Accept, reply (final), close.
    response = api.post(step(appeal, "accept"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ACCEPTED
    assert response.json()["conclude_due_on"]
    reply = {"body": "已联系企业补发。", "final": True}
    response = api.post(step(appeal, "reply"), reply, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ANSWERED
    assert [m["body"] for m in response.json()["messages"]] == ["已联系企业补发。"]
    assert Message.objects.filter(appeal=appeal, direction="to_worker").count() == 1
    response = api.post(step(appeal, "close"), {"satisfaction": "satisfied"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CLOSED
    assert response.json()["satisfaction"] == "satisfied"
    entries = ActionLogEntry.objects.filter(object_id=str(appeal.pk), data__api_token="信访系统")
    assert entries.count() >= 3
    # A step the state does not allow any more: the service's refusal, as a 400.
    response = api.post(step(appeal, "accept"))
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_decline_with_reason_and_bad_extend(world):
    api = token_client(world, "chair_u1")
    appeal = world.appeal_u1
    response = api.post(step(appeal, "extend"), {"days": 99, "reason": "x"})
    assert response.status_code == 400 and "days" in response.json()
    response = api.post(step(appeal, "decline"), {"reason": "不属于工会受理范围"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.DECLINED
    assert response.json()["decline_reason"] == "不属于工会受理范围"


def test_filters(world):
    api = token_client(world, "county_c1")
    assert ids(api.get(APPEALS, {"status": "submitted"})) == {
        world.appeal_u1.pk,
        world.appeal_c1.pk,
    }
    assert ids(api.get(APPEALS, {"status": "closed"})) == set()
    assert ids(api.get(APPEALS, {"deadline": "overdue"})) == set()
    category = world.appeal_u1.category_id
    assert world.appeal_u1.pk in ids(api.get(APPEALS, {"category": category}))
    assert api.get(APPEALS, {"federation": world.t3.pk}).status_code == 400  # not in scope
    assert world.appeal_c1.pk in ids(api.get(APPEALS, {"federation": world.c1.pk}))
    assert api.get(APPEALS, {"status": "nonsense"}).status_code == 400
    assert api.get(APPEALS, {"deadline": "later"}).status_code == 400


def test_deadline_filter_overdue(world):
    Appeal.objects.filter(pk=world.appeal_c1.pk).update(accept_due_on="2020-01-01")
    api = token_client(world, "county_c1")
    assert ids(api.get(APPEALS, {"deadline": "overdue"})) == {world.appeal_c1.pk}
    row = next(r for r in api.get(APPEALS).json()["results"] if r["id"] == world.appeal_c1.pk)
    assert row["deadline_state"] == "overdue"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["county_c1", "chair_u1"])
def test_list_query_count_is_constant(world, role):
    def grow(n):
        for i in range(n):
            submit(enterprise=world.e1, wants_union=bool(i % 2), identity_to_union=bool(i % 2))

    grow(2)
    small = _queries(token_client(world, role), APPEALS)
    grow(20)
    assert _queries(token_client(world, role), APPEALS) == small


def test_the_page_runs_the_same_step(world):
    """The staff page's step goes through the same function the API calls (appeal_step)."""
    client = Client()
    client.force_login(world.users["county_c1"])
    url = reverse("appeals:act", args=[world.appeal_c1.pk])
    response = client.post(url, {"action": "decline"})
    assert response.status_code == 302
    assert Appeal.objects.get(pk=world.appeal_c1.pk).status == Status.SUBMITTED
    response = client.post(url, {"action": "decline", "reason": "重复提交"})
    assert response.status_code == 302
    appeal = Appeal.objects.get(pk=world.appeal_c1.pk)
    assert appeal.status == Status.DECLINED and appeal.decline_reason == "重复提交"
