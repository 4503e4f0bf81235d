"""The staff appeal list, the inspection list and the rectification list page by page: the
keys-first pagination (keys chosen in the user's scope, rows read by those keys) gives
exactly the rows and order of slicing the scoped queryset for every filter, a viewer's pages
hold nothing outside their scope, and the number of queries does not grow with the data.
Runs the same on SQLite and PostgreSQL."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangliang.appeals import selectors as appeal_selectors
from shuangliang.appeals.models import Appeal, Category
from shuangliang.bench.generator import Scale, generate_province
from shuangliang.core.access import visible
from shuangliang.register.models import Federation
from shuangliang.standards.models import Inspection, Rectification
from shuangliang.standards.selectors import (
    INSPECTION_LIST_ORDER,
    RECTIFICATION_LIST_ORDER,
    inspections_visible,
    rectifications_visible,
)

SMALL = Scale(cities=1, counties=2, townships=6, enterprises=200, appeals=260, inspections=140)
PER_PAGE = 20


@pytest.fixture
def province(db, settings):
    settings.LIST_PAGE_SIZE = PER_PAGE
    return generate_province(scale=SMALL, seed=5)


def _user(province, name):
    return get_user_model().objects.get(pk=province.users[name])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _view_pages(client, url: str, params: dict) -> list[list[int]]:
    """Every page of the list as the view shows it (the ids of each page's rows)."""
    pages, number = [], 1
    while True:
        response = client.get(url + "?" + urlencode({**params, "page": number}))
        assert response.status_code == 200
        page = response.context["page"]
        pages.append([row.pk for row in page.object_list])
        if not page.has_next():
            return pages
        number += 1


def _slices(queryset) -> list[list[int]]:
    ids = list(queryset.values_list("pk", flat=True))
    return [ids[i : i + PER_PAGE] for i in range(0, len(ids), PER_PAGE)] or [[]]


def _appeal_cases(province):
    category = Category.objects.order_by("pk").first()
    township = Federation.objects.get(pk=province.township.pk)
    return [
        {},
        {"status": "closed"},
        {"status": "submitted"},
        {"category": category.pk},
        {"deadline": "overdue"},
        {"deadline": "soon"},
        {"deadline": "escalated"},
        {"federation": province.county.pk},
        {"federation": township.pk, "status": "closed"},
        {"q": "工资"},
    ]


def _appeal_filters(params: dict) -> appeal_selectors.AppealFilters:
    return appeal_selectors.AppealFilters(
        q=params.get("q", ""),
        federation=params.get("federation"),
        status=params.get("status", ""),
        category=params.get("category"),
        deadline=params.get("deadline", ""),
    )


@pytest.mark.parametrize("viewer", ["bench_province", "bench_county", "bench_township"])
def test_appeal_pages_are_the_slices_of_the_list(province, viewer):
    user = _user(province, viewer)
    client = _client(user)
    url = reverse("appeals:list")
    assert Appeal.objects.count() >= 200
    nonempty = 0
    for params in _appeal_cases(province):
        queryset = appeal_selectors.appeal_list(user=user, filters=_appeal_filters(params))
        pages = _view_pages(client, url, params)
        assert pages == _slices(queryset), params
        nonempty += bool(pages[0])
    assert nonempty >= 6  # the cases are not all empty


@pytest.mark.parametrize("viewer", ["bench_county", "bench_township"])
def test_appeal_pages_hold_nothing_outside_the_viewers_scope(province, viewer):
    """The page's rows are read unscoped by their keys: the keys must carry the scope."""
    user = _user(province, viewer)
    place = Federation.objects.get(
        pk=province.county.pk if viewer == "bench_county" else province.township.pk
    )
    shown = {pk for page in _view_pages(_client(user), reverse("appeals:list"), {}) for pk in page}
    inside = set(
        Appeal.objects.filter(handling_federation__path__startswith=place.path).values_list(
            "pk", flat=True
        )
    )
    assert shown == set(visible(Appeal.objects.all(), user).values_list("pk", flat=True))
    assert shown <= inside
    assert Appeal.objects.exclude(pk__in=inside).exists()  # there was something to leave out


def test_inspection_and_rectification_pages_are_the_slices_of_their_lists(province):
    for viewer in ("bench_province", "bench_township"):
        user = _user(province, viewer)
        client = _client(user)
        for kind in ("", *Inspection.Kind.values):
            queryset = inspections_visible(user=user).order_by(*INSPECTION_LIST_ORDER)
            if kind:
                queryset = queryset.filter(kind=kind)
            params = {"kind": kind} if kind else {}
            pages = _view_pages(client, reverse("standards:inspection_list"), params)
            assert pages == _slices(queryset), (viewer, kind)
        for state in ("", "overdue", *Rectification.State.values):
            params = {"state": state} if state else {}
            pages = _view_pages(client, reverse("standards:rectification_list"), params)
            queryset = rectifications_visible(user=user).order_by(*RECTIFICATION_LIST_ORDER)
            if state == "overdue":
                from shuangliang.standards.selectors import overdue_q

                queryset = queryset.filter(overdue_q())
            elif state:
                queryset = queryset.filter(state=state)
            assert pages == _slices(queryset), (viewer, state)
    assert Inspection.objects.count() > PER_PAGE
    assert Rectification.objects.exists()


def test_inspection_pages_hold_nothing_outside_the_viewers_scope(province):
    user = _user(province, "bench_township")
    township = Federation.objects.get(pk=province.township.pk)
    shown = {
        pk
        for page in _view_pages(_client(user), reverse("standards:inspection_list"), {})
        for pk in page
    }
    inside = set(
        Inspection.objects.filter(union__federation__path__startswith=township.path).values_list(
            "pk", flat=True
        )
    )
    assert shown <= inside
    assert Inspection.objects.exclude(pk__in=inside).exists()


def test_an_account_without_a_role_sees_no_list(province):
    client = _client(get_user_model().objects.create_user("nobody", password="x"))
    for name in ("appeals:list", "standards:inspection_list", "standards:rectification_list"):
        response = client.get(reverse(name))
        assert response.status_code in (403, 404), name


def _query_counts(client, province) -> dict[str, int]:
    urls = {
        "appeals": reverse("appeals:list"),
        "appeals page 2": reverse("appeals:list") + "?page=2",
        "appeals overdue": reverse("appeals:list") + "?deadline=overdue",
        "appeals by federation": reverse("appeals:list")
        + "?"
        + urlencode({"federation": province.county.pk, "status": "closed"}),
        "inspections page 2": reverse("standards:inspection_list") + "?page=2",
        "inspections of a kind": reverse("standards:inspection_list") + "?kind=self",
        "rectifications": reverse("standards:rectification_list"),
    }
    counts = {}
    for label, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


def test_list_query_counts_do_not_grow_with_the_data(province):
    client = _client(_user(province, "bench_province"))
    before = _query_counts(client, province)
    appeals, inspections = Appeal.objects.count(), Inspection.objects.count()
    generate_province(
        scale=Scale(
            cities=1, counties=2, townships=6, enterprises=400, appeals=520, inspections=280
        ),
        seed=6,
        province_code="980000",
    )
    assert Appeal.objects.count() > appeals and Inspection.objects.count() > inspections
    assert _query_counts(client, province) == before
