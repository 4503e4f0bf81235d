"""The register's long lists (enterprises, unions, officers) page by page: the keys-first
pagination gives exactly the rows and order of slicing the queryset, the sort's tie-break
follows its direction, filters find what a plain reading of the rows finds, and the number
of queries does not grow with the data. Runs the same on SQLite and PostgreSQL."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangliang.backoffice.views.common import KeysFirstPaginator
from shuangliang.bench.generator import Scale, generate_province
from shuangliang.core.text import normalise_query
from shuangliang.register.models import SIGNED_STEPS, ContractKind, Enterprise, Officer
from shuangliang.register.selectors import (
    EnterpriseFilters,
    enterprise_list,
    officer_list,
    union_list,
)

SMALL = Scale(cities=1, counties=2, townships=6, enterprises=260, appeals=0, inspections=0)
PER_PAGE = 25


@pytest.fixture
def province(db):
    return generate_province(scale=SMALL, seed=5)


@pytest.fixture
def staff(province):
    return get_user_model().objects.get(pk=province.users["bench_province"])


def _pages(queryset) -> list[list[int]]:
    paginator = KeysFirstPaginator(queryset, PER_PAGE)
    return [[row.pk for row in paginator.page(n).object_list] for n in paginator.page_range]


def _slices(queryset) -> list[list[int]]:
    ids = list(queryset.values_list("pk", flat=True))
    return [ids[i : i + PER_PAGE] for i in range(0, len(ids), PER_PAGE)]


ENTERPRISE_CASES = [
    ({}, "name"),
    ({}, "-name"),
    ({}, "headcount"),
    ({}, "-headcount"),
    ({}, "-township"),
    ({}, "updated"),
    ({"q": "有限"}, "name"),
    ({"industry": "C", "ownership": "non_public"}, "-headcount"),
    ({"has_union": False}, "name"),
    ({"three_contracts": True}, "name"),
    ({"three_contracts": False}, "-headcount"),
    ({"double_bright": True}, "name"),
    ({"headcount_min": 20, "headcount_max": 300}, "headcount"),
]


@pytest.mark.parametrize(("filters", "sort"), ENTERPRISE_CASES)
def test_enterprise_pages_are_the_slices_of_the_list(staff, filters, sort):
    queryset = enterprise_list(user=staff, filters=EnterpriseFilters(**filters), sort=sort)
    pages = _pages(queryset)
    assert pages == _slices(queryset)
    assert sum(len(page) for page in pages) == queryset.count()


def test_union_and_officer_pages_are_the_slices_of_their_lists(staff):
    for sort in ("name", "-members", "term", "-term"):
        queryset = union_list(user=staff, sort=sort)
        assert _pages(queryset) == _slices(queryset)
    queryset = officer_list(user=staff)
    assert _pages(queryset) == _slices(queryset)


def test_sort_tie_break_follows_the_direction(staff):
    rows = list(
        enterprise_list(user=staff, filters=EnterpriseFilters(), sort="-headcount").values_list(
            "headcount", "pk"
        )
    )
    assert rows == sorted(rows, reverse=True)
    rows = list(
        enterprise_list(user=staff, filters=EnterpriseFilters(), sort="headcount").values_list(
            "headcount", "pk"
        )
    )
    assert rows == sorted(rows)
    assert len({headcount for headcount, _pk in rows}) < len(rows)  # ties were there to break


@pytest.mark.parametrize("query", ["机械", "有限公司", "hs", "91"])
def test_search_finds_what_reading_every_row_finds(staff, query):
    words = normalise_query(query).split()
    expected = {
        pk
        for pk, text in Enterprise.objects.values_list("pk", "search_text")
        if all(word in text for word in words)
    }
    found = set(
        enterprise_list(user=staff, filters=EnterpriseFilters(q=query)).values_list("pk", flat=True)
    )
    assert found == expected
    assert expected or query == "机械"  # the common words do occur


def test_three_contracts_filter_finds_what_reading_every_contract_finds(staff):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    kinds = set(ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    held: dict[int, set] = {}
    for enterprise in Enterprise.objects.exclude(union=None).prefetch_related("union__contracts"):
        for contract in enterprise.union.contracts.all():
            valid = contract.expires_on is None or contract.expires_on >= today
            if contract.step in SIGNED_STEPS and valid and contract.kind_id in kinds:
                held.setdefault(enterprise.pk, set()).add(contract.kind_id)
    expected = {pk for pk, got in held.items() if got == kinds}
    found = set(
        enterprise_list(user=staff, filters=EnterpriseFilters(three_contracts=True)).values_list(
            "pk", flat=True
        )
    )
    assert found == expected
    assert 0 < len(expected) < Enterprise.objects.count()
    assert datetime.date(2000, 1, 1) < today


def _query_counts(client) -> dict[str, int]:
    urls = {
        "enterprises": reverse("backoffice:enterprise_list"),
        "enterprises page 2 by headcount": reverse("backoffice:enterprise_list")
        + "?"
        + urlencode({"page": 2, "sort": "-headcount"}),
        "enterprises filtered": reverse("backoffice:enterprise_list")
        + "?"
        + urlencode({"q": "有限", "industry": "C", "three_contracts": "yes"}),
        "unions page 2": reverse("backoffice:union_list") + "?page=2",
        "officers page 2": reverse("backoffice:officer_list") + "?page=2",
    }
    counts = {}
    for label, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


def test_list_query_counts_do_not_grow_with_the_data(province, staff):
    client = Client()
    client.force_login(staff)
    before = _query_counts(client)
    generate_province(
        scale=Scale(cities=1, counties=2, townships=6, enterprises=520, appeals=0, inspections=0),
        seed=6,
        province_code="980000",
    )
    assert Officer.objects.count() > 0
    assert _query_counts(client) == before


@pytest.mark.parametrize("value", [None, "", 2, "2", "9"])
def test_plain_select_writes_the_markup_of_djangos_select(value):
    import re

    from django import forms
    from django.utils.safestring import mark_safe

    from shuangliang.backoffice.filters import PlainSelect

    choices = [
        ("", "全部"),
        (1, "A&B <x>"),
        (2, "示范县"),
        (3, '"q"'),
        (4, mark_safe("<b>safe</b>")),
        ("组", [(5, "甲"), (6, "乙")]),
    ]
    attrs = {"id": "id_federation", "class": "wide"}
    ours = PlainSelect(choices=choices).render("federation", value, attrs)
    django = forms.Select(choices=choices).render("federation", value, attrs)
    assert ours == re.sub(r">\s+<", "><", str(django))
    assert ("selected" in ours) == (value not in ("9",))
