"""The register over the API: scope per role (A2, A3), one validation path with the pages
(B1), no mass assignment (A4), masking (C2), the action log (D1), and constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from shuangliang.backoffice.forms import EnterpriseForm
from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import (
    CollectiveContract,
    ContractKind,
    Enterprise,
    Officer,
    Person,
    Union,
)

from .api_clients import token_client
from .conftest import client_for
from .factories import EnterpriseFactory, OfficerFactory, UnionFactory, make_credit_code

ENTERPRISES = reverse("api:enterprise_list")
UNIONS = reverse("api:union_list")
OFFICERS = reverse("api:officer_list")
CONTRACTS = reverse("api:contract_list")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def enterprise_body(world, **overrides) -> dict:
    body = {
        "name": "甲一新材料有限公司",
        "credit_code": make_credit_code(),
        "federation": world.t1.pk,
        "ownership": "private",
        "industry": "C",
        "operating_status": "in_production",
        "headcount": 120,
        "women_headcount": 50,
        "address": "甲一镇工业路 8 号",
    }
    return {**body, **overrides}


# Scope: every role sees exactly its own records (QUALITY.md A3).


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("chair_u1", {"e1"}),
        ("chair_u2", {"e2"}),
        ("township_t1", {"e1"}),
        ("county_c1", {"e1", "e2"}),
        ("county_c2", {"e3"}),
        ("city", {"e1", "e2", "e3"}),
        ("cadre", {"e2"}),
        ("leader_c1", {"e1", "e2"}),
        ("superuser", {"e1", "e2", "e3"}),
    ],
)
def test_api_enterprise_list_is_exactly_the_scope(world, role, expected):
    want = {getattr(world, name).pk for name in expected}
    assert ids(client_for(world, role).get(ENTERPRISES)) == want
    assert ids(token_client(world, role).get(ENTERPRISES)) == want


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (UNIONS, {"u1", "u2"}),
        (OFFICERS, {"chair1", "chair2"}),
        (CONTRACTS, {"contract1"}),
    ],
)
def test_api_lists_of_county_c1_hold_only_c1(world, url, expected):
    want = {getattr(world, name).pk for name in expected}
    assert ids(token_client(world, "county_c1").get(url)) == want


def test_api_enterprise_list_filters_and_searches_like_the_staff_list(world):
    client = token_client(world, "city")
    assert ids(client.get(ENTERPRISES, {"federation": world.t3.pk})) == {world.e3.pk}
    assert ids(client.get(ENTERPRISES, {"q": "纺织"})) == {world.e2.pk}
    # Either script finds the other (the register's search_text).
    assert ids(client.get(ENTERPRISES, {"q": "紡織"})) == {world.e2.pk}
    assert ids(client.get(ENTERPRISES, {"has_union": "no"})) == set()
    names = [row["name"] for row in client.get(ENTERPRISES, {"sort": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)


def test_api_bad_filter_is_a_400_not_ignored(world):
    client = token_client(world, "county_c1")
    response = client.get(ENTERPRISES, {"federation": world.t3.pk})  # not one of C1's places
    assert response.status_code == 400
    assert "federation" in response.json()
    assert client.get(ENTERPRISES, {"sort": "credit_code"}).status_code == 400


def test_api_pagination(world):
    for _ in range(7):
        EnterpriseFactory(federation=world.t1)
    client = token_client(world, "county_c1")
    first = client.get(ENTERPRISES, {"page_size": 5}).json()
    assert first["count"] == 9 and len(first["results"]) == 5 and first["next"]
    second = client.get(ENTERPRISES, {"page_size": 5, "page": 2}).json()
    assert len(second["results"]) == 4 and second["next"] is None
    assert client.get(ENTERPRISES, {"page": 9}).status_code == 404


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("api:enterprise_detail", "e1.pk"),
        ("api:union_detail", "u1.pk"),
        ("api:officer_detail", "chair1.pk"),
        ("api:person_detail", "chair1.person_id"),
        ("api:contract_detail", "contract1.pk"),
    ],
)
@pytest.mark.parametrize("role", ["county_c2", "chair_u2", "cadre"])
def test_api_detail_outside_scope_is_404(world, name, attr, role):
    obj, field = attr.split(".")
    pk = getattr(getattr(world, obj), field)
    for offset in (0, 100, -100):
        url = reverse(name, args=[max(1, pk + offset)])
        assert token_client(world, role).get(url).status_code == 404


# Writes: the forms' validation, the services, the action log.


def test_api_create_enterprise_lands_in_the_action_log(world):
    client = token_client(world, "county_c1", name="人社数据交换")
    response = client.post(ENTERPRISES, enterprise_body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    enterprise = Enterprise.objects.get(pk=response.json()["id"])
    assert enterprise.federation == world.t1
    entry = ActionLogEntry.objects.get(
        action_type="register.enterprise.created", object_id=str(enterprise.pk)
    )
    assert entry.actor == world.users["county_c1"]
    assert entry.data["api_token"] == "人社数据交换"
    assert entry.data["via"] == "api"


def test_api_bad_credit_code_gets_the_forms_message(world):
    """QUALITY.md B1: the same message, in Chinese, from the API as from the page's form."""
    good = make_credit_code()
    wrong_check = "1" if good[17] != "1" else "2"
    body = enterprise_body(world, credit_code=good[:17] + wrong_check)
    with translation.override("zh-hans"):
        form = EnterpriseForm(data=body, user=world.users["county_c1"])
        assert not form.is_valid()
        expected = [str(m) for m in form.errors["credit_code"]]
    client = token_client(world, "county_c1")
    response = client.post(
        ENTERPRISES, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert response.json()["credit_code"] == expected
    assert "check character" in expected[0] or "校验" in expected[0]
    assert not Enterprise.objects.filter(name=body["name"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("credit_code", "91999001ABC"),
        ("name", "企业😀"),
        ("headcount", -1),
        ("ownership", "mystery"),
        ("federation", 10**6),
    ],
)
def test_api_bad_values_give_the_form_messages(world, field, value):
    body = enterprise_body(world, **{field: value})
    form = EnterpriseForm(data=body, user=world.users["county_c1"])
    assert not form.is_valid()
    response = token_client(world, "county_c1").post(
        ENTERPRISES, body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [str(m) for m in form.errors[field]]


def test_api_duplicate_credit_code_is_refused(world):
    body = enterprise_body(world, credit_code=world.e1.credit_code)
    response = token_client(world, "county_c1").post(
        ENTERPRISES, body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["credit_code"] == [
        str(Enterprise._meta.get_field("credit_code").error_messages["unique"])
    ]


def test_api_women_above_headcount_is_the_models_constraint_message(world):
    body = enterprise_body(world, headcount=10, women_headcount=11)
    response = token_client(world, "county_c1").post(
        ENTERPRISES, body, content_type="application/json"
    )
    assert response.status_code == 400
    form = EnterpriseForm(data=body, user=world.users["county_c1"])
    assert not form.is_valid()
    assert response.json()["non_field_errors"] == [str(m) for m in form.non_field_errors()]


def test_api_wrong_type_and_non_object_body_are_400(world):
    client = token_client(world, "county_c1")
    body = enterprise_body(world, name={"zh": "甲"})
    assert client.post(ENTERPRISES, body, content_type="application/json").status_code == 400
    assert client.post(ENTERPRISES, [1, 2], content_type="application/json").status_code == 400
    assert client.post(ENTERPRISES, "[", content_type="application/json").status_code == 400


def test_api_patch_keeps_absent_fields_and_logs_the_change(world):
    client = token_client(world, "county_c1", name="同步")
    url = reverse("api:enterprise_detail", args=[world.e1.pk])
    before = Enterprise.objects.get(pk=world.e1.pk)
    response = client.patch(url, {"headcount": 321}, content_type="application/json")
    assert response.status_code == 200, response.content
    after = Enterprise.objects.get(pk=world.e1.pk)
    assert after.headcount == 321
    assert (after.name, after.credit_code, after.federation_id, after.women_headcount) == (
        before.name,
        before.credit_code,
        before.federation_id,
        before.women_headcount,
    )
    entry = ActionLogEntry.objects.get(action_type="register.enterprise.changed")
    assert entry.data["changes"] == {"headcount": [before.headcount, 321]}
    assert entry.data["api_token"] == "同步"


def test_api_no_mass_assignment(world):
    """QUALITY.md A4: fields outside the form change nothing."""
    client = token_client(world, "chair_u1")
    url = reverse("api:union_detail", args=[world.u1.pk])
    response = client.patch(
        url,
        {
            "member_count": 99,
            "federation": world.t3.pk,
            "enterprises": [world.e3.pk],
            "id": 999,
            "is_staff": True,
            "search_text": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    union = Union.objects.get(pk=world.u1.pk)
    assert union.member_count == 99
    assert union.federation == world.t1  # a chair cannot move the union
    assert Enterprise.objects.get(pk=world.e3.pk).union == world.u3


def test_api_cannot_move_a_record_into_a_scope_without_rights(world):
    client = token_client(world, "county_c1")
    url = reverse("api:enterprise_detail", args=[world.e1.pk])
    response = client.patch(url, {"federation": world.t3.pk}, content_type="application/json")
    assert response.status_code == 400
    assert Enterprise.objects.get(pk=world.e1.pk).federation == world.t1


@pytest.mark.parametrize("role", ["chair_u1", "leader_c1", "cadre"])
def test_api_create_and_delete_are_for_federation_staff(world, role):
    client = token_client(world, role)
    assert (
        client.post(
            ENTERPRISES, enterprise_body(world), content_type="application/json"
        ).status_code
        == 404
    )
    url = reverse("api:enterprise_detail", args=[world.e1.pk])
    assert client.delete(url).status_code == 404
    assert Enterprise.objects.filter(pk=world.e1.pk).exists()


def test_api_leader_cannot_change(world):
    client = token_client(world, "leader_c1")
    url = reverse("api:enterprise_detail", args=[world.e1.pk])
    assert client.patch(url, {"headcount": 1}, content_type="application/json").status_code == 404


def test_api_delete_enterprise(world):
    enterprise = EnterpriseFactory(federation=world.t1)
    client = token_client(world, "township_t1")
    response = client.delete(reverse("api:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 204
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert ActionLogEntry.objects.filter(
        action_type="register.enterprise.deleted", object_id=str(enterprise.pk)
    ).exists()


def test_api_union_create_with_its_enterprises(world):
    firm = EnterpriseFactory(federation=world.t1)
    body = {
        "name": "甲一联合工会",
        "kind": "joint",
        "federation": world.t1.pk,
        "member_count": 30,
        "women_member_count": 10,
        "term_years": 3,
        "enterprises": [firm.pk],
    }
    response = token_client(world, "county_c1").post(UNIONS, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["enterprise_count"] == 1
    assert Enterprise.objects.get(pk=firm.pk).union_id == response.json()["id"]


def test_api_appoint_a_new_chair_replaces_the_old_one(world):
    client = token_client(world, "chair_u1", name="小程序后台")
    body = {
        "union": world.u1.pk,
        "position": "chair",
        "term_start": datetime.date.today().isoformat(),
        "person": {"name": "陈静", "gender": "female", "mobile": "13900001111"},
    }
    response = client.post(OFFICERS, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["person"]["mobile"] == "139****1111"
    assert Officer.objects.get(pk=world.chair1.pk).status == Officer.Status.REPLACED
    actions = set(
        ActionLogEntry.objects.filter(data__api_token="小程序后台").values_list(
            "action_type", flat=True
        )
    )
    assert {"register.person.created", "register.officer.appointed"} <= actions


def test_api_appoint_in_another_union_is_404(world):
    body = {"union": world.u3.pk, "position": "vice_chair", "term_start": "2024-01-01"}
    body["person"] = {"name": "周平"}
    response = token_client(world, "chair_u1").post(OFFICERS, body, content_type="application/json")
    assert response.status_code == 404


def test_api_appoint_with_a_bad_mobile_gets_the_forms_message(world):
    body = {
        "union": world.u1.pk,
        "position": "vice_chair",
        "term_start": "2024-01-01",
        "person": {"name": "周平", "mobile": "12345"},
    }
    response = token_client(world, "county_c1").post(
        OFFICERS, body, content_type="application/json"
    )
    assert response.status_code == 400
    from shuangliang.backoffice.forms import PersonForm

    form = PersonForm(data=body["person"])
    assert not form.is_valid()
    assert response.json()["person"]["mobile"] == [str(m) for m in form.errors["mobile"]]
    assert not Person.objects.filter(name="周平").exists()


def test_api_end_and_register_an_officer(world):
    officer = OfficerFactory(union=world.u1, position="vice_chair")
    client = token_client(world, "township_t1")
    url = reverse("api:officer_register", args=[officer.pk])
    assert client.post(url, content_type="application/json").json()["registration"] == (
        "registered"
    )
    url = reverse("api:officer_end", args=[officer.pk])
    body = {"status": "ended", "ended_on": "2025-01-31"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400


def test_api_phones_masked_and_unmasking_is_logged(world):
    person = world.chair1.person
    person.mobile, person.office_phone = "13812345678", "0771-5551234"
    person.save()
    client = token_client(world, "county_c1")
    data = client.get(reverse("api:person_detail", args=[person.pk])).json()
    assert data["mobile"] == "138****5678"
    assert data["phones_masked"] is True
    listing = client.get(OFFICERS).content.decode()
    assert "13812345678" not in listing and "5551234" not in listing
    response = client.post(reverse("api:person_unmask", args=[person.pk]))
    assert response.json()["mobile"] == "13812345678"
    assert (
        ActionLogEntry.objects.filter(
            action_type="register.person.unmasked", object_id=str(person.pk)
        ).count()
        == 1
    )
    # A leader may read the person but not unmask: 404, as on the pages.
    leader = token_client(world, "leader_c1")
    assert leader.post(reverse("api:person_unmask", args=[person.pk])).status_code == 404


def test_api_contract_create_advance_and_delete(world):
    client = token_client(world, "chair_u1")
    kind = ContractKind.objects.get(code="comprehensive")
    body = {"union": world.u1.pk, "kind": kind.pk, "step": "signed", "workers_covered": 80}
    response = client.post(CONTRACTS, body, content_type="application/json")
    assert response.status_code == 400  # the form: a signed contract needs its date
    assert "signed_on" in response.json()
    body["signed_on"] = "2025-03-01"
    response = client.post(CONTRACTS, body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["expires_on"] == "2028-03-01"
    advance = reverse("api:contract_advance", args=[pk])
    back = client.post(
        advance, {"step": "talks", "reached_on": "2025-03-02"}, content_type="application/json"
    )
    assert back.status_code == 400
    ahead = client.post(
        advance, {"step": "submitted", "reached_on": "2025-03-05"}, content_type="application/json"
    )
    assert ahead.status_code == 200, ahead.content
    assert [s["step"] for s in ahead.json()["steps"]] == ["signed", "submitted"]
    assert client.delete(reverse("api:contract_detail", args=[pk])).status_code == 204
    assert not CollectiveContract.objects.filter(pk=pk).exists()


def test_api_contract_filters(world):
    client = token_client(world, "county_c1")
    assert ids(client.get(CONTRACTS, {"kind": "wage"})) == {world.contract1.pk}
    assert ids(client.get(CONTRACTS, {"in_force": "yes"})) == set()
    assert ids(client.get(CONTRACTS, {"step": "talks", "union": world.u1.pk})) == {
        world.contract1.pk
    }


def test_api_session_writes_need_csrf(world):
    client = client_for(world, "county_c1")
    url = reverse("api:enterprise_detail", args=[world.e1.pk])
    assert client.patch(url, {"headcount": 500}, content_type="application/json").status_code == 403
    client.get(reverse("backoffice:home"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        url, {"headcount": 500}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    entry = ActionLogEntry.objects.get(action_type="register.enterprise.changed")
    assert entry.data["via"] == "api" and "api_token" not in entry.data


# Query counts: constant whatever the number of rows (CONVENTIONS 11).


def _grow(world, n: int) -> None:
    for i in range(n):
        union = UnionFactory(federation=world.t1)
        EnterpriseFactory(federation=world.t1, union=union)
        OfficerFactory(union=union, position="chair")
        CollectiveContract.objects.create(
            union=union,
            kind=ContractKind.objects.get(code="wage"),
            step="signed" if i % 2 else "talks",
            signed_on=datetime.date(2025, 1, 1),
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [ENTERPRISES, UNIONS, OFFICERS, CONTRACTS])
@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_list_query_count_is_constant(world, url, auth):
    def client():
        if auth == "session":
            return client_for(world, "county_c1")
        return token_client(world, "county_c1")

    _grow(world, 2)
    small = _queries(client(), url)
    _grow(world, 20)
    assert _queries(client(), url) == small


def test_api_accepts_form_encoded_bodies(world):
    firm = EnterpriseFactory(federation=world.t1)
    body = {
        "name": "甲一表单工会",
        "kind": "single",
        "federation": world.t1.pk,
        "member_count": 12,
        "women_member_count": 2,
        "term_years": 5,
        "enterprises": firm.pk,
    }
    response = token_client(world, "county_c1").post(UNIONS, body)
    assert response.status_code == 201, response.content
    assert Enterprise.objects.get(pk=firm.pk).union_id == response.json()["id"]
