"""The demo county's notice and model units: the county's published notice on the year's
spot check (drafted from the standards' demo results, approved by the leader, numbered and
delivered), and two model units of the demo township, proposed by `township` and approved by
`county`. Loaded by the demo loader after the standards' season; a second load finds them and
writes nothing. Nothing here touches the register, so the county's figures stay as they are."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shuangliang.register.demo.data import CHAIR_TOWNSHIP_CODE, COUNTY_CODE
from shuangliang.register.models import Federation, Union

from . import results, services
from .models import Designation, Notice
from .ranking import rank

FREE_TEXT = (
    "各乡镇（街道）工会、园区工会联合会要对照“九有”标准，督促被抽查单位逐项整改，"
    "整改情况于本年度12月底前书面报县总工会。\n"
    "希望受表扬单位珍惜荣誉、再接再厉，发挥示范带动作用；其他单位要以先进为榜样，"
    "推动基层工会建起来、转起来、活起来、强起来。"
)


def load_demo_notices() -> int:
    """Write the notice and the model units once; returns the number of objects written."""
    county = Federation.objects.filter(division_code=COUNTY_CODE).first()
    township = Federation.objects.filter(division_code=CHAIR_TOWNSHIP_CODE).first()
    users = get_user_model().objects.in_bulk(
        ["county", "leader", "township"], field_name="username"
    )
    if county is None or township is None or len(users) < 3:
        return 0
    if (
        Notice.objects.filter(federation=county).exists()
        or Designation.objects.filter(union__federation__path__startswith=county.path).exists()
    ):
        return 0
    year = timezone.localdate().year
    standard = results.default_standard(federation=county)
    if standard is None:  # the standards' season is not loaded: nothing to report on
        return 0
    staff, leader = users["county"], users["leader"]
    with transaction.atomic():
        notice = services.notice_create(
            actor=staff,
            federation=county,
            title=f"关于{year}年度基层工会“九有”规范化建设抽查情况的通报",
            year=year,
            standard=standard,
        )
        services.notice_update(actor=staff, notice=notice, free_text=FREE_TEXT)
        services.notice_transition(actor=staff, notice=notice, action="submit")
        services.notice_transition(
            actor=leader, notice=notice, action="approve", comment="同意发布"
        )
        services.notice_transition(actor=staff, notice=notice, action="publish")
        # The two best-ranked unions of the demo township, else its first two by name.
        ranked = [
            row.result.union_id
            for row in rank(
                results.union_results(federation=township, year=year, standard=standard)
            )
        ]
        unions = list(Union.objects.filter(federation=township).order_by("name", "pk"))
        unions.sort(key=lambda u: ranked.index(u.pk) if u.pk in ranked else len(ranked))
        for union in unions[:2]:
            designation = services.designation_propose(
                actor=users["township"],
                union=union,
                year=year,
                reason="职工之家阵地完善，厂务公开和集体协商制度落实，职工满意度高。",
            )
            services.designation_decide(
                actor=staff, designation=designation, approve=True, reason="经县总工会审核同意"
            )
    return 1 + min(2, len(unions))
