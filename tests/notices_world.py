"""Notices and model units of the test world (issue 5): county C1's draft notice and its
published one (naming U1 as commended and U2 as to improve), and U1 proposed by township T1
as a model unit. Everything lives in county C1, so county C2 is an outsider to all of it."""

from shuangliang.notices import services

WORLD_YEAR = 2026


def world_content(*, u1, u2) -> dict:
    """Figures and tables given as data: the test world has no inspection results."""
    return {
        "figures": {
            "unions": 2,
            "inspected": 2,
            "grades": {"model": 1, "qualified": 0, "basic": 0, "not_qualified": 1},
        },
        "commended": [
            {
                "union_id": u1.pk,
                "name": u1.name,
                "township": "甲一镇",
                "score": "95.0",
                "grade": "model",
            }
        ],
        "to_improve": [
            {
                "union_id": u2.pk,
                "name": u2.name,
                "township": "甲二镇",
                "score": "52.5",
                "grade": "not_qualified",
            }
        ],
    }


def notices_world_objects(*, c1, u1, u2, users) -> dict:
    county, leader = users["county_c1"], users["leader_c1"]
    content = world_content(u1=u1, u2=u2)
    draft = services.notice_create(
        actor=county,
        federation=c1,
        title="关于规范化建设检查情况的通报（草稿）",
        year=WORLD_YEAR,
        content=content,
    )
    published = services.notice_create(
        actor=county,
        federation=c1,
        title="关于2026年度工会规范化建设检查情况的通报",
        year=WORLD_YEAR,
        content=content,
    )
    services.notice_transition(actor=county, notice=published, action="submit")
    services.notice_transition(actor=leader, notice=published, action="approve")
    published = services.notice_transition(actor=county, notice=published, action="publish")
    designation = services.designation_propose(
        actor=users["township_t1"], union=u1, year=WORLD_YEAR, reason="职工之家建设成效突出"
    )
    return {
        "notice_draft1": draft,
        "notice_published1": published,
        "designation1": designation,
    }
