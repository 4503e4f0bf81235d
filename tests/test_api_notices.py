"""Published notices (通報) over the API: read-only, for the staff and leaders of the issuing
federation or above as on the notice pages (others get 404), drafts never, the figures and
the units named as frozen in the notice, and the page's PDF and Word document."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from shuangliang.notices import selectors, services
from shuangliang.notices.models import Notice
from shuangliang.notices.views import DOCX_TYPE

from .api_clients import token_client
from .conftest import ROLES as ALL_ROLES
from .conftest import client_for
from .notices_world import WORLD_YEAR, world_content

NOTICES = reverse("api:notice_list")
ROLES = [role for role in ALL_ROLES if role != "anonymous"]
READERS = {"township_t1", "county_c1", "county_c2", "city", "leader_c1", "superuser"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def detail(notice, name: str = "detail") -> str:
    return reverse(f"api:notice_{name}", args=[notice.pk])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def publish(world, title: str, *, federation=None) -> Notice:
    county, leader = world.users["county_c1"], world.users["leader_c1"]
    notice = services.notice_create(
        actor=county,
        federation=federation or world.c1,
        title=title,
        year=WORLD_YEAR,
        content=world_content(u1=world.u1, u2=world.u2),
    )
    services.notice_transition(actor=county, notice=notice, action="submit")
    services.notice_transition(actor=leader, notice=notice, action="approve")
    return services.notice_transition(actor=county, notice=notice, action="publish")


@pytest.mark.parametrize("role", ROLES)
def test_published_notices_follow_the_pages_scope(world, role):
    notice = world.notice_published1
    page = client_for(world, role)
    api = token_client(world, role)
    listed = api.get(NOTICES)
    if role in READERS:
        expected = set(
            selectors.notices_visible(user=world.users[role])
            .filter(state="published")
            .values_list("pk", flat=True)
        )
        assert ids(listed) == expected
        assert world.notice_draft1.pk not in expected
    else:
        assert listed.status_code == 404
    allowed = page.get(reverse("notices:notice_detail", args=[notice.pk])).status_code == 200
    assert (notice.pk in (ids(listed) if role in READERS else set())) == allowed
    for name in ("detail", "pdf", "docx"):
        assert api.get(detail(notice, name)).status_code == (200 if allowed else 404), name


def test_drafts_stay_on_the_pages(world):
    api = token_client(world, "county_c1")
    draft = world.notice_draft1
    assert draft.pk not in ids(api.get(NOTICES))
    for name in ("detail", "pdf", "docx"):
        assert api.get(detail(draft, name)).status_code == 404
    # The page still shows it to its author.
    page = client_for(world, "county_c1").get(reverse("notices:notice_detail", args=[draft.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("role", ["county_c2", "chair_u1", "chair_u2", "cadre"])
def test_outsiders_get_404_for_ids_around_the_notice(world, role):
    api = token_client(world, role)
    for offset in (0, 1, -1, 100, -100):
        pk = max(1, world.notice_published1.pk + offset)
        for name in ("detail", "pdf", "docx"):
            response = api.get(reverse(f"api:notice_{name}", args=[pk]))
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"


def test_a_token_narrowed_below_the_issuer_sees_none_of_its_notices(world):
    api = token_client(world, "county_c1", federation=world.t1)
    assert ids(api.get(NOTICES)) == set()
    assert api.get(detail(world.notice_published1)).status_code == 404


def test_detail_carries_the_frozen_figures_and_units(world):
    notice = Notice.objects.get(pk=world.notice_published1.pk)
    body = token_client(world, "leader_c1").get(detail(notice)).json()
    assert body["title"] == notice.title
    assert body["document_number"] == notice.document_number and body["document_number"]
    assert body["federation"]["id"] == world.c1.pk
    assert body["year"] == WORLD_YEAR
    assert body["figures"] == {
        "unions": 2,
        "inspected": 2,
        "grades": {"model": 1, "qualified": 0, "basic": 0, "not_qualified": 1},
    }
    assert body["figures_text"] == selectors.figures_paragraph(notice=notice)
    assert "50.0%" in body["figures_text"]
    assert [(u["union"], u["grade"], u["score"]) for u in body["commended"]] == [
        (world.u1.pk, "model", "95.0")
    ]
    assert [(u["union"], u["grade"]) for u in body["to_improve"]] == [
        (world.u2.pk, "not_qualified")
    ]
    assert CJK.search(body["to_improve"][0]["grade_label"])
    assert body["pdf"] == detail(notice, "pdf") and body["docx"] == detail(notice, "docx")


def test_pdf_and_docx_are_the_pages_downloads(world):
    notice = world.notice_published1
    api = token_client(world, "county_c1", can_write=False)
    pdf = api.get(detail(notice, "pdf"), HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in pdf["Cache-Control"]
    docx = api.get(detail(notice, "docx"))
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX_TYPE
    assert docx["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(docx.content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert world.u1.name in cells and world.u2.name in cells
    page = client_for(world, "county_c1").get(reverse("notices:notice_docx", args=[notice.pk]))
    assert page["Content-Disposition"] == docx["Content-Disposition"]


def test_filters(world):
    other = publish(world, "关于职工之家建设情况的通报")
    api = token_client(world, "city")
    both = {world.notice_published1.pk, other.pk}
    assert ids(api.get(NOTICES)) == both
    assert ids(api.get(NOTICES, {"q": "职工之家"})) == {other.pk}
    assert ids(api.get(NOTICES, {"year": WORLD_YEAR})) == both
    assert ids(api.get(NOTICES, {"year": WORLD_YEAR + 1})) == set()
    assert ids(api.get(NOTICES, {"federation": world.c1.pk})) == both
    assert ids(api.get(NOTICES, {"federation": world.c2.pk})) == set()
    bad = api.get(NOTICES, {"year": "今年"})
    assert bad.status_code == 400 and all(CJK.search(m) for m in bad.json()["year"])
    outside = token_client(world, "county_c1").get(NOTICES, {"federation": world.c2.pk})
    assert outside.status_code == 400


def test_newest_first_and_paginated(world):
    for n in range(3):
        publish(world, f"通报{n}")
    api = token_client(world, "county_c1")
    first = api.get(NOTICES, {"page_size": 2}).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]
    rows = api.get(NOTICES).json()["results"]
    numbers = [Notice.objects.get(pk=r["id"]).number for r in rows]
    assert len(rows) == 4 and numbers == sorted(numbers, reverse=True)  # same day: by number


def test_notices_are_read_only(world):
    for can_write, expected in ((False, 403), (True, 405)):
        api = token_client(world, "county_c1", can_write=can_write)
        assert api.post(NOTICES, {"title": "x"}).status_code == expected
        assert api.post(detail(world.notice_published1), {}).status_code == expected
    assert Client().get(NOTICES).status_code == 401
    assert Client().get(detail(world.notice_published1, "pdf")).status_code == 401
