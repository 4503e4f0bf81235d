"""Inspections and rectifications over the API: read-only, scoped as the pages (another
union's chair and another county see nothing), score and grade as scored, filters, read-only
tokens, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuangliang.standards.models import Inspection, Rectification

from .api_clients import token_client
from .conftest import ROLES as ALL_ROLES
from .conftest import client_for

INSPECTIONS = reverse("api:inspection_list")
RECTIFICATIONS = reverse("api:rectification_list")
ROLES = [role for role in ALL_ROLES if role != "anonymous"]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_scope_follows_the_pages(world, role):
    page = client_for(world, role)
    api = token_client(world, role)
    inspections = ids(api.get(INSPECTIONS))
    for inspection in (world.inspection1, world.selfcheck1, world.inspection_done):
        url = reverse("standards:inspection_detail", args=[inspection.pk])
        allowed = page.get(url).status_code == 200
        assert (inspection.pk in inspections) == allowed, (role, inspection)
        api_url = reverse("api:inspection_detail", args=[inspection.pk])
        assert api.get(api_url).status_code == (200 if allowed else 404)
    rectification = world.rectification1
    allowed = (
        page.get(reverse("standards:rectification_detail", args=[rectification.pk])).status_code
        == 200
    )
    assert (rectification.pk in ids(api.get(RECTIFICATIONS))) == allowed
    api_url = reverse("api:rectification_detail", args=[rectification.pk])
    assert api.get(api_url).status_code == (200 if allowed else 404)


def test_another_unions_chair_and_county_see_nothing(world):
    for role in ("chair_u2", "county_c2"):
        api = token_client(world, role)
        assert ids(api.get(INSPECTIONS)) == set()
        assert ids(api.get(RECTIFICATIONS)) == set()
        url = reverse("api:inspection_detail", args=[world.inspection_done.pk])
        assert api.get(url).status_code == 404


def test_score_grade_and_rectifications(world):
    api = token_client(world, "county_c1")
    done = Inspection.objects.get(pk=world.inspection_done.pk)
    body = api.get(reverse("api:inspection_detail", args=[done.pk])).json()
    assert body["state"] == "submitted"
    assert body["grade"] == done.grade and body["grade"]
    assert body["percent"] == str(done.percent)
    assert body["union"]["id"] == world.u1.pk
    assert body["version"]["name"] == world.standard1.name
    assert [r["id"] for r in body["rectifications"]] == [world.rectification1.pk]
    row = api.get(reverse("api:rectification_detail", args=[world.rectification1.pk])).json()
    assert row["inspection"] == done.pk and row["state"] == "open"


def test_filters(world):
    api = token_client(world, "county_c1")
    assert ids(api.get(INSPECTIONS, {"kind": "self"})) == {world.selfcheck1.pk}
    assert ids(api.get(INSPECTIONS, {"state": "submitted"})) == {world.inspection_done.pk}
    grade = Inspection.objects.get(pk=world.inspection_done.pk).grade
    assert ids(api.get(INSPECTIONS, {"grade": grade})) == {world.inspection_done.pk}
    assert ids(api.get(INSPECTIONS, {"union": world.u2.pk})) == set()
    assert world.inspection1.pk in ids(api.get(INSPECTIONS, {"federation": world.t1.pk}))
    assert api.get(INSPECTIONS, {"kind": "bogus"}).status_code == 400
    assert api.get(INSPECTIONS, {"federation": world.t3.pk}).status_code == 400
    assert ids(api.get(RECTIFICATIONS, {"state": "open"})) == {world.rectification1.pk}
    assert ids(api.get(RECTIFICATIONS, {"state": "overdue"})) == set()
    Rectification.objects.filter(pk=world.rectification1.pk).update(deadline="2020-01-01")
    assert ids(api.get(RECTIFICATIONS, {"state": "overdue"})) == {world.rectification1.pk}
    assert api.get(RECTIFICATIONS, {"state": "bogus"}).status_code == 400


def test_read_only_api_refuses_writes(world):
    for can_write in (False, True):
        api = token_client(world, "county_c1", can_write=can_write)
        url = reverse("api:rectification_detail", args=[world.rectification1.pk])
        expected = 403 if not can_write else 405
        assert api.post(url, {}).status_code == expected
        assert api.post(INSPECTIONS, {}).status_code == expected


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, n: int) -> None:
    from .factories import UnionFactory

    done = world.inspection_done
    for _i in range(n):
        union = UnionFactory(federation=world.t1)
        inspection = Inspection.objects.create(
            kind=Inspection.Kind.SPOT,
            union=union,
            version=done.version,
            year=done.year,
            inspector_union=world.u2,
            percent=80,
            grade=done.grade,
            state="submitted",
        )
        Rectification.objects.create(
            inspection=inspection,
            item=world.rectification1.item,
            union=union,
            problem="未公示",
            deadline="2030-01-01",
            responsible="张三",
        )


@pytest.mark.parametrize("url", [INSPECTIONS, RECTIFICATIONS])
def test_list_query_count_is_constant(world, url):
    _grow(world, 2)
    small = _queries(token_client(world, "county_c1"), url)
    _grow(world, 20)
    assert _queries(token_client(world, "county_c1"), url) == small
