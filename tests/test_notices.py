"""Notices (通報), model units (示範單位) and rankings (issue 5): the lifecycles through their
services and pages, the public side, the inbox, escaping, and the ranking's tie-break."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from shuangliang.core.models import ActionLogEntry
from shuangliang.notices import services
from shuangliang.notices.models import Designation, Notice, NoticeDelivery
from shuangliang.notices.ranking import UnionResult, rank, rank_by

from .conftest import client_for
from .notices_world import WORLD_YEAR, world_content

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _notice(world, **kwargs) -> Notice:
    return services.notice_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        title=kwargs.pop("title", "关于检查情况的通报"),
        year=WORLD_YEAR,
        content=kwargs.pop("content", world_content(u1=world.u1, u2=world.u2)),
    )


def _client(world, role):
    client = client_for(world, role)
    client.handler.enforce_csrf_checks = False
    return client


# Lifecycle ---------------------------------------------------------------------------------


def test_notice_lifecycle_numbers_delivers_and_logs(world):
    county, leader = world.users["county_c1"], world.users["leader_c1"]
    notice = _notice(world)
    assert notice.state == "draft" and notice.document_number == ""
    services.notice_transition(actor=county, notice=notice, action="submit")
    with pytest.raises(services.NoticeError):  # its author does not approve it
        services.notice_transition(actor=county, notice=notice, action="approve")
    with pytest.raises(services.NoticeError):  # nor is it published before approval
        services.notice_transition(actor=county, notice=notice, action="publish")
    services.notice_transition(actor=leader, notice=notice, action="approve", comment="同意")
    notice = services.notice_transition(actor=county, notice=notice, action="publish")
    # The world already published notice 1 of the year for C1: this one is number 2.
    year = notice.issued_on.year
    assert notice.document_number == f"甲县工通〔{year}〕2号"
    assert world.notice_published1.document_number == f"甲县工通〔{year}〕1号"
    assert set(notice.deliveries.values_list("union_id", "commended")) == {
        (world.u1.pk, True),
        (world.u2.pk, False),
    }
    actions = list(
        ActionLogEntry.objects.filter(object_id=str(notice.pk), action_type__startswith="notices.")
        .order_by("id")
        .values_list("action_type", flat=True)
    )
    assert actions == [
        "notices.notice.drafted",
        "notices.notice.submit",
        "notices.notice.approve",
        "notices.notice.publish",
    ]
    with pytest.raises(services.NoticeError):
        services.notice_update(actor=county, notice=notice, title="改")


def test_notice_second_staff_member_may_approve_and_return(world):
    notice = _notice(world)
    services.notice_transition(actor=world.users["county_c1"], notice=notice, action="submit")
    services.notice_transition(actor=world.users["city"], notice=notice, action="return")
    notice.refresh_from_db()
    assert notice.state == "draft" and notice.reviewed_by == world.users["city"]


def test_notice_pages_walk_the_lifecycle(world):
    county, leader = _client(world, "county_c1"), _client(world, "leader_c1")
    response = county.post(
        reverse("notices:notice_create"),
        {"federation": world.c1.pk, "title": "关于2026年度检查情况的通报", "year": 2026},
    )
    notice = Notice.objects.get(title="关于2026年度检查情况的通报")
    assert response.status_code == 302
    county.post(
        reverse("notices:notice_edit", args=[notice.pk]),
        {"title": notice.title, "number_prefix": "甲工通", "free_text": "第一段\n第二段"},
    )
    url = reverse("notices:notice_transition", args=[notice.pk])
    county.post(url, {"action": "submit"})
    # A leader may not submit or publish, only review.
    leader.post(url, {"action": "publish"})
    leader.post(url, {"action": "approve"})
    notice.refresh_from_db()
    assert notice.state == "approved" and notice.free_text == "第一段\n第二段"
    county.post(url, {"action": "publish"})
    notice.refresh_from_db()
    assert notice.state == "published" and notice.document_number.startswith("甲工通〔")
    detail = county.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert notice.document_number in detail and "notices.notice.publish" in detail


def test_notice_edit_ignores_extra_fields(world):
    notice = world.notice_draft1
    _client(world, "county_c1").post(
        reverse("notices:notice_edit", args=[notice.pk]),
        {
            "title": "新标题",
            "number_prefix": "甲工通",
            "free_text": "",
            "state": "published",
            "number": "9",
            "federation": world.c2.pk,
            "commended": "[]",
        },
    )
    notice.refresh_from_db()
    assert (notice.title, notice.state, notice.number, notice.federation_id) == (
        "新标题",
        "draft",
        None,
        world.c1.pk,
    )
    assert len(notice.commended) == 1


# Public side -------------------------------------------------------------------------------


def _public_urls(notice):
    code = notice.federation.division_code
    return [
        reverse(name, args=[code, notice.pk])
        for name in (
            "notices_public:notice",
            "notices_public:notice_pdf",
            "notices_public:notice_docx",
        )
    ]


@pytest.mark.parametrize("state", ["draft", "in_review", "approved"])
def test_unpublished_notice_is_not_public(world, client, state):
    notice = world.notice_draft1
    Notice.objects.filter(pk=notice.pk).update(state=state)
    for url in _public_urls(notice):
        assert client.get(url).status_code == 404


def test_published_notice_is_public_only_under_its_federation(world, client):
    notice = world.notice_published1
    for url in _public_urls(notice):
        assert client.get(url).status_code == 200
    wrong = reverse("notices_public:notice", args=[world.c2.division_code, notice.pk])
    assert client.get(wrong).status_code == 404


def test_federation_page_lists_published_notices_only(world, client):
    page = client.get(reverse("public:federation_page", args=[world.c1.division_code]))
    html = page.content.decode()
    assert world.notice_published1.title in html
    assert world.notice_published1.document_number in html
    assert world.notice_draft1.title not in html
    assert "<script" not in html.split("</head>")[1]  # mobile page without script


def test_public_notice_pdf_and_docx_carry_names_and_figures(world, client, tmp_path):
    notice = world.notice_published1
    page_url, pdf_url, docx_url = _public_urls(notice)
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf.content)
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert world.u1.name in text and world.u2.name in text and notice.document_number in text
    assert "95.0" in text and "50.0%" in text  # the compliance rate: 1 of 2
    docx = client.get(docx_url)
    doc = Document(io.BytesIO(docx.content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert world.u1.name in cells and world.u2.name in cells
    assert "attachment" in docx["Content-Disposition"]


def test_markup_in_free_text_and_union_name_is_escaped_on_pages(world, client):
    county = world.users["county_c1"]
    world.u1.name = f"甲一{XSS}工会"
    world.u1.save()
    notice = _notice(world, content=world_content(u1=world.u1, u2=world.u2))
    services.notice_update(actor=county, notice=notice, free_text=f"要求{XSS}")
    staff = _client(world, "county_c1").get(reverse("notices:notice_detail", args=[notice.pk]))
    services.notice_transition(actor=county, notice=notice, action="submit")
    services.notice_transition(actor=world.users["leader_c1"], notice=notice, action="approve")
    services.notice_transition(actor=county, notice=notice, action="publish")
    public = client.get(_public_urls(notice)[0])
    for response in (staff, public):
        html = response.content.decode()
        assert XSS not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    docx = client.get(_public_urls(notice)[2])
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"要求{XSS}" in text


# Inbox -------------------------------------------------------------------------------------


def test_inbox_shows_notices_naming_the_union_only(world):
    chair1 = _client(world, "chair_u1")
    html = chair1.get(reverse("notices:inbox")).content.decode()
    assert world.notice_published1.title in html
    assert world.notice_draft1.title not in html
    other = _client(world, "county_c2").get(reverse("notices:inbox")).content.decode()
    assert world.notice_published1.title not in other
    chair1.post(reverse("notices:inbox"))
    assert not NoticeDelivery.objects.filter(union=world.u1, read_at__isnull=True).exists()
    assert NoticeDelivery.objects.filter(union=world.u2, read_at__isnull=True).exists()
    assert ActionLogEntry.objects.filter(action_type="notices.delivery.read").count() == 1


# Model units -------------------------------------------------------------------------------


def test_model_unit_proposed_by_township_and_approved_by_county(world, client):
    designation = world.designation1
    page_url = reverse("public:union_page", args=[world.union_page.token])
    assert 'id="model-unit"' not in client.get(page_url).content.decode()
    # A township does not decide; the county does.
    with pytest.raises(services.NoticeError):
        services.designation_decide(
            actor=world.users["township_t1"], designation=designation, approve=True
        )
    response = _client(world, "county_c1").post(
        reverse("notices:designation_decide", args=[designation.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.state == "approved" and designation.decided_by == world.users["county_c1"]
    html = client.get(page_url).content.decode()
    assert 'id="model-unit"' in html and str(WORLD_YEAR) in html


def test_model_unit_refusal_needs_a_reason_and_may_be_proposed_again(world):
    county = _client(world, "county_c1")
    url = reverse("notices:designation_decide", args=[world.designation1.pk])
    assert county.post(url, {"decision": "refuse", "reason": ""}).status_code == 200
    assert Designation.objects.get(pk=world.designation1.pk).state == "proposed"
    county.post(url, {"decision": "refuse", "reason": "台账不完整"})
    refused = Designation.objects.get(pk=world.designation1.pk)
    assert (refused.state, refused.decision_reason) == ("refused", "台账不完整")
    again = services.designation_propose(
        actor=world.users["township_t1"], union=world.u1, year=WORLD_YEAR, reason="已整改"
    )
    assert again.state == "proposed"
    with pytest.raises(services.NoticeError):
        services.designation_propose(
            actor=world.users["township_t1"], union=world.u1, year=WORLD_YEAR, reason="重复"
        )


def test_model_unit_only_for_unions_of_the_proposers_township(world):
    township = _client(world, "township_t1")
    response = township.post(
        reverse("notices:designation_propose"),
        {"union": world.u2.pk, "year": WORLD_YEAR, "reason": "好"},
    )
    assert response.status_code == 200  # U2 is in township T2: not a choice
    assert not Designation.objects.filter(union=world.u2).exists()
    with pytest.raises(services.NoticeError):
        services.designation_propose(
            actor=world.users["county_c1"], union=world.u1, year=2025, reason="县里提名"
        )


def test_union_page_model_unit_costs_one_query(world, client):
    services.designation_decide(
        actor=world.users["county_c1"], designation=world.designation1, approve=True
    )
    page_url = reverse("public:union_page", args=[world.union_page.token])
    client.get(page_url)  # warm the content cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(page_url)
    notices_queries = [q for q in queries.captured_queries if "notices_designation" in q["sql"]]
    assert len(notices_queries) == 1


# Rankings ----------------------------------------------------------------------------------


def _result(
    union_id,
    name,
    score,
    open_rect=0,
    day=1,
    township="甲一镇",
    industry="C",
    ownership="private",
    grade="qualified",
):
    return UnionResult(
        union_id=union_id,
        name=name,
        township=township,
        industry=industry,
        ownership=ownership,
        score=Decimal(score),
        grade=grade,
        open_rectifications=open_rect,
        inspected_on=datetime.date(2026, 5, day),
    )


def test_ranking_tie_break_score_then_rectifications_then_date_then_name():
    results = [
        _result(1, "乙", "90.0", open_rect=1, day=1),
        _result(2, "甲", "90.0", open_rect=0, day=9),
        _result(3, "丙", "90.0", open_rect=0, day=3),
        _result(4, "丁", "95.0", open_rect=5, day=20),
        _result(5, "乙", "90.0", open_rect=1, day=1),  # identical to 1 but a later id
        _result(6, "一", "90.0", open_rect=1, day=1),
    ]
    order = [(row.rank, row.result.union_id) for row in rank(results)]
    # 95 first; then no open rectification (3 inspected before 2); then 一 < 乙 by code point.
    assert order == [(1, 4), (2, 3), (3, 2), (4, 6), (5, 1), (6, 5)]
    assert "一" < "乙"


def test_rankings_by_township_industry_and_ownership():
    results = [
        _result(1, "甲", "80.0", township="甲一镇", industry="C", ownership="private"),
        _result(2, "乙", "90.0", township="甲一镇", industry="F", ownership="state_owned"),
        _result(3, "丙", "95.0", township="甲二镇", industry="C", ownership="private"),
    ]
    townships = rank_by(results, "township")
    assert [(g.rank, g.label, g.average) for g in townships] == [
        (1, "甲二镇", Decimal("95.0")),
        (2, "甲一镇", Decimal("85.0")),
    ]
    assert [row.result.union_id for row in townships[1].rows] == [2, 1]
    industries = rank_by(results, "industry")
    assert [g.inspected for g in industries] == [1, 2]  # F: 90; C: 87.5
    ownership = rank_by(results, "ownership")
    assert [len(g.rows) for g in ownership] == [1, 2]  # state-owned 90.0, private 87.5


# Query counts (CONVENTIONS.md 11) ------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_notices_and_designations(world, n: int) -> None:
    from .factories import UnionFactory

    for _ in range(n):
        notice = _notice(world)
        services.notice_transition(actor=world.users["county_c1"], notice=notice, action="submit")
        services.notice_transition(actor=world.users["leader_c1"], notice=notice, action="approve")
        services.notice_transition(actor=world.users["county_c1"], notice=notice, action="publish")
        union = UnionFactory(federation=world.t1)
        services.designation_propose(
            actor=world.users["township_t1"], union=union, year=WORLD_YEAR, reason="好"
        )


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("county_c1", "notices:notice_list"),
        ("county_c1", "notices:designation_list"),
        ("township_t1", "notices:designation_list"),
        ("chair_u1", "notices:inbox"),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(world, role, name):
    client = client_for(world, role)
    url = reverse(name)
    _more_notices_and_designations(world, 2)
    small = _queries(client, url)
    _more_notices_and_designations(world, 12)
    assert _queries(client, url) == small


def test_federation_page_notices_cost_one_query(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("public:federation_page", args=[world.c1.division_code])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len([q for q in queries.captured_queries if "notices_notice" in q["sql"]]) == 1
