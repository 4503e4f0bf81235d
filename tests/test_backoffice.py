"""Back-office behaviour a clerk would notice: search, filters, validation, history, scope."""

import re

import pytest
from django.urls import reverse

from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import Enterprise, Officer, Union

from .conftest import client_for
from .factories import EnterpriseFactory, OfficerFactory, make_credit_code


def _ids_in(response, route: str) -> set[int]:
    pattern = re.escape(reverse(route, args=[0])).replace("0", r"(\d+)", 1)
    return {int(pk) for pk in re.findall(pattern, response.content.decode())}


def _post(client, url, data):
    from django.conf import settings
    from django.utils.crypto import get_random_string

    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client.post(url, data, HTTP_X_CSRFTOKEN=secret)


def test_enterprise_search_traditional_query_finds_simplified_name(world):
    response = client_for(world, "county_c1").get(
        reverse("backoffice:enterprise_list"), {"q": "紡織"}
    )
    assert _ids_in(response, "backoffice:enterprise_detail") == {world.e2.pk}


def test_enterprise_search_simplified_query_finds_traditional_name(world):
    e = EnterpriseFactory(name="華豐電子有限公司", federation=world.t1)
    response = client_for(world, "county_c1").get(
        reverse("backoffice:enterprise_list"), {"q": "华丰电子"}
    )
    assert _ids_in(response, "backoffice:enterprise_detail") == {e.pk}


def test_enterprise_search_pinyin_initials_find_name(world):
    # 甲二纺织 → jefz
    response = client_for(world, "county_c1").get(
        reverse("backoffice:enterprise_list"), {"q": "jefz"}
    )
    assert _ids_in(response, "backoffice:enterprise_detail") == {world.e2.pk}


def test_enterprise_search_by_credit_code(world):
    response = client_for(world, "county_c1").get(
        reverse("backoffice:enterprise_list"), {"q": world.e1.credit_code.lower()}
    )
    assert _ids_in(response, "backoffice:enterprise_detail") == {world.e1.pk}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("county_c1", {"e1", "e2"}),
        ("county_c2", {"e3"}),
        ("city", {"e1", "e2", "e3"}),
        ("township_t1", {"e1"}),
        ("chair_u1", {"e1"}),
        ("cadre", {"e2"}),
        ("leader_c1", {"e1", "e2"}),
        ("superuser", {"e1", "e2", "e3"}),
    ],
)
def test_enterprise_list_shows_exactly_the_scope(world, role, expected):
    """QUALITY.md A3: the list is exactly the in-scope set."""
    response = client_for(world, role).get(reverse("backoffice:enterprise_list"))
    assert _ids_in(response, "backoffice:enterprise_detail") == {
        getattr(world, n).pk for n in expected
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [("county_c1", {"u1", "u2"}), ("chair_u2", {"u2"}), ("cadre", {"u2"}), ("county_c2", {"u3"})],
)
def test_union_list_shows_exactly_the_scope(world, role, expected):
    response = client_for(world, role).get(reverse("backoffice:union_list"))
    assert _ids_in(response, "backoffice:union_detail") == {getattr(world, n).pk for n in expected}


def test_enterprise_list_filters_by_union_and_township(world):
    lone = EnterpriseFactory(name="无工会企业", federation=world.t2)
    client = client_for(world, "county_c1")
    url = reverse("backoffice:enterprise_list")
    assert _ids_in(client.get(url, {"has_union": "no"}), "backoffice:enterprise_detail") == {
        lone.pk
    }
    by_township = client.get(url, {"federation": world.t2.pk})
    assert _ids_in(by_township, "backoffice:enterprise_detail") == {world.e2.pk, lone.pk}


def test_enterprise_create_with_bad_check_character_shows_error_and_writes_nothing(world):
    code = make_credit_code()
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    before = Enterprise.objects.count()
    response = _post(
        client_for(world, "county_c1"),
        reverse("backoffice:enterprise_create"),
        {
            "name": "新企业",
            "credit_code": bad,
            "federation": world.t1.pk,
            "ownership": "private",
            "industry": "C",
            "operating_status": "in_production",
            "headcount": 10,
            "women_headcount": 2,
        },
    )
    assert response.status_code == 200
    assert "check character" in response.content.decode() or "校验" in response.content.decode()
    assert Enterprise.objects.count() == before


def test_enterprise_create_writes_one_row_and_one_log_entry(world):
    code = make_credit_code()
    response = _post(
        client_for(world, "county_c1"),
        reverse("backoffice:enterprise_create"),
        {
            "name": "新企业有限公司",
            "credit_code": f" {code.lower()} ",
            "federation": world.t1.pk,
            "ownership": "private",
            "industry": "C",
            "operating_status": "in_production",
            "headcount": 10,
            "women_headcount": 2,
        },
    )
    enterprise = Enterprise.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:enterprise_detail", args=[enterprise.pk])
    entries = ActionLogEntry.objects.filter(
        object_id=str(enterprise.pk), action_type="register.enterprise.created"
    )
    assert entries.count() == 1
    assert entries.get().actor == world.users["county_c1"]


def test_enterprise_create_in_another_county_is_refused(world):
    """QUALITY.md A4: a record cannot be placed outside the user's scope."""
    code = make_credit_code()
    response = _post(
        client_for(world, "county_c1"),
        reverse("backoffice:enterprise_create"),
        {
            "name": "越界企业",
            "credit_code": code,
            "federation": world.t3.pk,
            "ownership": "private",
            "industry": "C",
            "operating_status": "in_production",
            "headcount": 10,
            "women_headcount": 2,
        },
    )
    assert response.status_code == 200
    assert not Enterprise.objects.filter(credit_code=code).exists()


def test_union_edit_by_chair_ignores_posted_federation_and_enterprises(world):
    """QUALITY.md A4: extra fields posted by a chair change nothing they may not change."""
    client = client_for(world, "chair_u1")
    response = _post(
        client,
        reverse("backoffice:union_edit", args=[world.u1.pk]),
        {
            "name": world.u1.name,
            "kind": "single",
            "federation": world.t3.pk,
            "enterprises": [world.e3.pk],
            "member_count": 90,
            "women_member_count": 30,
            "term_years": 5,
            "office_phone": "0771-1234567",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    world.u1.refresh_from_db()
    world.e3.refresh_from_db()
    assert world.u1.federation == world.t1
    assert world.u1.member_count == 90
    assert world.e3.union == world.u3
    assert not world.users["chair_u1"].__class__.objects.get(pk=world.users["chair_u1"].pk).is_staff


def test_union_detail_shows_history_of_changes(world):
    client = client_for(world, "county_c1")
    _post(
        client,
        reverse("backoffice:union_edit", args=[world.u1.pk]),
        {
            "name": world.u1.name,
            "kind": "single",
            "federation": world.t1.pk,
            "enterprises": [world.e1.pk],
            "member_count": 123,
            "women_member_count": 30,
            "term_years": 5,
        },
    )
    page = client.get(reverse("backoffice:union_detail", args=[world.u1.pk])).content.decode()
    assert "member_count: 80 → 123" in page


def test_appointing_a_new_chair_replaces_the_old_one(world):
    client = client_for(world, "chair_u1")
    response = _post(
        client,
        reverse("backoffice:officer_appoint", args=[world.u1.pk]),
        {
            "person-name": "陈新",
            "person-gender": "male",
            "person-mobile": "13912345678",
            "officer-position": "chair",
            "officer-term_start": "2025-06-01",
            "officer-term_end": "2030-05-31",
        },
    )
    assert response.status_code == 302
    world.chair1.refresh_from_db()
    assert world.chair1.status == Officer.Status.REPLACED
    current = Officer.objects.get(union=world.u1, position="chair", status="active")
    assert current.person.name == "陈新"


def test_appoint_with_bad_mobile_shows_error(world):
    response = _post(
        client_for(world, "chair_u1"),
        reverse("backoffice:officer_appoint", args=[world.u1.pk]),
        {
            "person-name": "陈新",
            "person-mobile": "12345",
            "officer-position": "committee_member",
            "officer-term_start": "2025-06-01",
        },
    )
    assert response.status_code == 200
    assert Officer.objects.filter(union=world.u1).count() == 1


def test_mobile_is_masked_and_unmasking_is_logged(world):
    client = client_for(world, "county_c1")
    person = world.chair1.person
    page = client.get(reverse("backoffice:person_detail", args=[person.pk])).content.decode()
    assert person.mobile not in page
    assert person.masked_mobile in page
    unmasked = _post(
        client, reverse("backoffice:person_unmask", args=[person.pk]), {}
    ).content.decode()
    assert person.mobile in unmasked
    assert (
        ActionLogEntry.objects.filter(
            action_type="register.person.unmasked", object_id=str(person.pk)
        ).count()
        == 1
    )


def test_leader_sees_masked_mobile_and_no_unmask_button(world):
    person = world.chair1.person
    page = client_for(world, "leader_c1").get(reverse("backoffice:person_detail", args=[person.pk]))
    html = page.content.decode()
    assert person.mobile not in html
    assert reverse("backoffice:person_unmask", args=[person.pk]) not in html


def test_union_delete_detaches_enterprises_and_logs(world):
    client = client_for(world, "county_c1")
    response = _post(client, reverse("backoffice:union_delete", args=[world.u2.pk]), {})
    assert response.status_code == 302
    assert not Union.objects.filter(pk=world.u2.pk).exists()
    world.e2.refresh_from_db()
    assert world.e2.union is None
    assert ActionLogEntry.objects.filter(action_type="register.union.deleted").count() == 1


def test_contract_advance_records_step_and_date(world):
    client = client_for(world, "chair_u1")
    response = _post(
        client,
        reverse("backoffice:contract_advance", args=[world.contract1.pk]),
        {"step": "signed", "reached_on": "2025-03-01"},
    )
    assert response.status_code == 302
    world.contract1.refresh_from_db()
    assert world.contract1.step == "signed"
    assert str(world.contract1.signed_on) == "2025-03-01"
    assert str(world.contract1.expires_on) == "2026-03-01"


def _add_enterprises(world, count: int) -> None:
    for _ in range(count):
        e = EnterpriseFactory(federation=world.t1)
        from .factories import UnionFactory

        union = UnionFactory(federation=world.t1)
        e.union = union
        e.save(update_fields=["union"])
        OfficerFactory(union=union, position="chair")


@pytest.mark.parametrize(
    "route",
    [
        "backoffice:enterprise_list",
        "backoffice:union_list",
        "backoffice:officer_list",
        "backoffice:cadre_register",
        "backoffice:home",
    ],
)
def test_list_page_query_count_does_not_grow_with_data(world, route, django_assert_num_queries):
    client = client_for(world, "county_c1")
    url = reverse(route)
    client.get(url)  # warm caches (content types, sessions)
    _add_enterprises(world, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_enterprises(world, 30)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_union_detail_query_count_does_not_depend_on_the_union(world, settings, tmp_path):
    """A bare union (no cadre, contract, status or history of its own) against one with a
    replaced chair, contracts and their steps, a confirmed Double Bright status whose cadres
    changed since (the warning, its history, a reviewer looking): the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from shuangliang.register.services import contract_create, officer_appoint

    from .factories import PersonFactory, UnionFactory
    from .test_double_bright_status import confirmed

    settings.MEDIA_ROOT = tmp_path
    bare = UnionFactory(federation=world.t2)
    full = world.u2
    confirmed(world, full)
    officer_appoint(
        actor=world.users["county_c1"],
        union=full,
        person=PersonFactory(name="新任主席"),
        data={"position": "chair", "term_start": timezone.localdate()},
    )
    for kind in ("wage", "women"):
        from shuangliang.register.models import ContractKind

        contract_create(
            actor=world.users["county_c1"],
            union=full,
            data={"kind": ContractKind.objects.get(code=kind), "step": "talks"},
        )
    client = client_for(world, "city")  # above both: may review the status
    counts = {}
    for name, union in (("bare", bare), ("full", full)):
        url = reverse("backoffice:union_detail", args=[union.pk])
        client.get(url)  # the first visit creates the union's public page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(queries)
        page = response.content.decode()
        assert 'id="double-bright"' in page
    assert "新任主席" in page and "dbstatus/union" not in page
    assert reverse("dbstatus:status_review", args=[full.pk]) not in page  # confirmed already
    assert counts["bare"] == counts["full"]


def test_union_detail_status_panel_has_the_status_pages_context(world, rf):
    """The union page builds the Double Bright panel from its own query; it must hand the
    panel template what the status pages hand it."""
    from shuangliang.backoffice.views.unions import _double_bright_panel, _union_detail_queryset
    from shuangliang.doublebright.status_selectors import union_status
    from shuangliang.doublebright.status_views import status_context

    request = rf.get("/")
    request.user = world.users["county_c1"]
    union = _union_detail_queryset(request.user).get(pk=world.u1.pk)
    ours = _double_bright_panel(request, union, can_change=True)
    theirs = status_context(request, world.u1, union_status(union=world.u1))
    assert set(ours) - {"request", "csrf_token"} == set(theirs)
    for key in ("status", "is_compliant", "officers_changed", "missing", "can_review"):
        assert ours[key] == theirs[key]


def test_enterprise_edit_leaves_focus_tags_to_the_focus_page(world):
    """Focus tags change only where the change is recorded with a date and a reason."""
    from shuangliang.campaign.models import FocusTagChange

    world.e1.focus_hardship = True
    world.e1.save()
    client = client_for(world, "county_c1")
    page = client.get(reverse("backoffice:enterprise_edit", args=[world.e1.pk])).content.decode()
    assert 'name="focus_hardship"' not in page
    detail = client.get(reverse("backoffice:enterprise_detail", args=[world.e1.pk]))
    assert reverse("campaign:focus_detail", args=[world.e1.pk]) in detail.content.decode()
    response = _post(
        client,
        reverse("backoffice:enterprise_edit", args=[world.e1.pk]),
        {
            "name": world.e1.name,
            "credit_code": world.e1.credit_code,
            "federation": world.t1.pk,
            "ownership": world.e1.ownership,
            "industry": world.e1.industry,
            "operating_status": world.e1.operating_status,
            "headcount": world.e1.headcount,
            "women_headcount": world.e1.women_headcount,
            "focus_hardship": "",  # unticked: would take the tag off without a reason
        },
    )
    assert response.status_code == 302
    world.e1.refresh_from_db()
    assert world.e1.focus_hardship is True
    assert not FocusTagChange.objects.filter(enterprise=world.e1).exists()
