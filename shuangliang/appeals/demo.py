"""Demo appeals for the demo county: every state of the lifecycle, named and anonymous, routed
to a union and to the federation, some overdue and escalated. Loaded by the demo loader;
a second load changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shuangliang.campaign.models import Assignment
from shuangliang.register.models import Enterprise, Federation
from shuangliang.statistics import tallies
from shuangliang.statistics.figures.appeals import APPEAL_TALLY

from . import services
from .defaults import ensure_defaults
from .models import Appeal, Category, Channel, Satisfaction, Status
from .workdays import add_working_days

DEMO_MARK = "demo"
COUNTY_CODE = "999001"
CHAIR_ENTERPRISE = "示范县城关永兴食品有限公司"

# (days ago, final state, category, union route, anonymous, subject, body, reply, extra)
SPECS = (
    (
        1,
        Status.SUBMITTED,
        "unpaid_wages",
        True,
        False,
        "两个月加班费未结",
        "十月、十一月的加班费一直没有结算，车间二十多人都是这样。",
        "",
        {},
    ),
    (
        2,
        Status.SUBMITTED,
        "suggestion",
        True,
        True,
        "食堂饭菜建议",
        "希望食堂晚班也能供应热饭。",
        "",
        {},
    ),
    (
        30,
        Status.SUBMITTED,
        "safety_health",
        False,
        False,
        "车间粉尘大",
        "打磨车间除尘设备坏了一个月，工人没有发口罩。",
        "",
        {},
    ),
    (
        19,
        Status.SUBMITTED,
        "labour_contract",
        False,
        False,
        "试用期延长",
        "公司把试用期从三个月延长到一年。",
        "",
        {},
    ),
    (
        6,
        Status.ACCEPTED,
        "labour_contract",
        True,
        False,
        "入职半年未签劳动合同",
        "我和几位同事入职半年了，公司一直没有签书面劳动合同。",
        "",
        {},
    ),
    (
        12,
        Status.ASSIGNED,
        "social_insurance",
        False,
        False,
        "社保断缴",
        "公司从今年五月起没有给我们缴纳社保。",
        "",
        {"assign_cadre": True},
    ),
    (
        20,
        Status.IN_PROGRESS,
        "working_hours",
        True,
        False,
        "连续上班不休息",
        "旺季连续三周每天工作12小时，没有休息日。",
        "已与企业人事部门沟通，正在核实排班记录。",
        {},
    ),
    (
        100,
        Status.IN_PROGRESS,
        "unpaid_wages",
        False,
        False,
        "拖欠工资三个月",
        "公司已拖欠全体职工三个月工资，老板说资金周转困难。",
        "县总工会已介入，正在协调。",
        {},
    ),
    (
        95,
        Status.IN_PROGRESS,
        "dismissal",
        False,
        False,
        "孕期被辞退",
        "我怀孕四个月被公司以岗位调整为由辞退。",
        "",
        {"extend": True},
    ),
    (
        25,
        Status.ANSWERED,
        "women_rights",
        True,
        False,
        "女职工卫生费",
        "女职工卫生费去年起就没有发放了。",
        "企业已承诺本月起恢复发放，并补发欠发部分。",
        {},
    ),
    (
        40,
        Status.CLOSED,
        "hardship",
        True,
        False,
        "申请困难帮扶",
        "家里老人重病，希望工会能帮助申请困难补助。",
        "已为您办理困难职工建档，补助金已发放。",
        {"satisfaction": Satisfaction.SATISFIED},
    ),
    (
        50,
        Status.CLOSED,
        "working_hours",
        False,
        False,
        "夜班补贴标准",
        "夜班补贴多年没有调整。",
        "经协商，企业将在工资集体协商中调整夜班补贴。",
        {"satisfaction": Satisfaction.PARTLY},
    ),
    (
        45,
        Status.CLOSED,
        "other",
        True,
        True,
        "厂区道路照明",
        "下夜班时厂区道路太暗。",
        "企业已加装路灯。",
        {"satisfaction": Satisfaction.SATISFIED},
    ),
    (
        35,
        Status.DECLINED,
        "other",
        False,
        True,
        "小区物业纠纷",
        "小区物业费上涨。",
        "",
        {"decline": "此事不属于劳动关系，建议向住建部门反映。"},
    ),
    (
        60,
        Status.IN_PROGRESS,
        "union_affairs",
        False,
        False,
        "工会主席由副总兼任",
        "我们企业的工会主席是分管人事的副总，职工有意见没处说。",
        "已转乡镇工会核实。",
        {"reopened": True},
    ),
)


def demo_appeals_exist(county: Federation) -> bool:
    return Appeal.objects.filter(handling_federation__path__startswith=county.path).exists()


def _set_dates(appeal: Appeal, *, submitted: datetime.datetime, accepted_days: int | None) -> None:
    """Backdate an appeal as if it had been filed `submitted` and accepted some days later."""
    fields = {
        "submitted_at": submitted,
        "accept_due_on": add_working_days(submitted.date(), 15),
    }
    appeal.refresh_from_db()
    if appeal.accepted_at is not None and accepted_days is not None:
        accepted = submitted + datetime.timedelta(days=accepted_days)
        fields["accepted_at"] = accepted
        due = add_working_days(accepted.date(), 60)
        fields["conclude_due_on"] = add_working_days(due, appeal.extension_days)
        if appeal.answered_at is not None:
            fields["answered_at"] = accepted + datetime.timedelta(days=10)
        if appeal.closed_at is not None:
            fields["closed_at"] = accepted + datetime.timedelta(days=14)
    elif appeal.closed_at is not None:
        fields["closed_at"] = submitted + datetime.timedelta(days=5)
    Appeal.objects.filter(pk=appeal.pk).update(**fields)
    # A queryset update sends no signal: recount the federation's appeals for the dashboard.
    tallies.refresh(APPEAL_TALLY, {appeal.handling_federation_id})


@transaction.atomic
def load_demo_appeals() -> int:
    """Create the demo appeals once; returns how many were created (0 when already there)."""
    county = Federation.objects.filter(division_code=COUNTY_CODE).first()
    if county is None or demo_appeals_exist(county):
        return 0
    ensure_defaults()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["county", "township", "cadre", "chair"]
        )
    }
    county_user = users.get("county")
    enterprises = list(
        Enterprise.objects.filter(federation__path__startswith=county.path, union__isnull=False)
        .select_related("union", "federation")
        .order_by("credit_code")
    )
    if not enterprises or county_user is None:
        return 0
    chair_enterprise = next((e for e in enterprises if e.name == CHAIR_ENTERPRISE), enterprises[0])
    cadre_enterprise_ids = set(
        Assignment.objects.filter(cadre__username="cadre").values_list("enterprise_id", flat=True)
    )
    cadre_enterprises = [e for e in enterprises if e.pk in cadre_enterprise_ids] or enterprises
    now = timezone.now()
    categories = {c.code: c for c in Category.objects.all()}
    for index, spec in enumerate(SPECS):
        days, state, code, union_route, anonymous, subject, body, reply, extra = spec
        if union_route:
            enterprise = chair_enterprise
        elif extra.get("assign_cadre"):
            enterprise = cadre_enterprises[0]
        else:
            enterprise = enterprises[(index * 7) % len(enterprises)]
        appeal = services.appeal_submit(
            form_key=services.form_key_new(),
            category=categories[code],
            subject=subject,
            body=body,
            channel=Channel.UNION_PAGE if union_route else Channel.GENERAL,
            enterprise=enterprise,
            wants_union=union_route,
            anonymous=anonymous,
            name="" if anonymous else f"职工{index + 1:02d}",
            phone="" if anonymous else f"139{index + 1:08d}",
            identity_to_union=union_route and index % 2 == 0,
        ).appeal
        handler = users.get("chair") if appeal.route == "union" else county_user
        if state == Status.DECLINED:
            services.appeal_decline(appeal=appeal, actor=county_user, reason=extra["decline"])
        elif state != Status.SUBMITTED:
            services.appeal_accept(appeal=appeal, actor=handler)
            if extra.get("assign_cadre"):
                # To the cadre assigned to the enterprise; to its township when there is none.
                target = (
                    {"cadre": users["cadre"]}
                    if users.get("cadre")
                    else {"federation": enterprise.federation}
                )
                services.appeal_transfer(appeal=appeal, actor=county_user, **target)
            if extra.get("extend"):
                services.appeal_start(appeal=appeal, actor=handler)
                services.appeal_extend(
                    appeal=appeal, actor=handler, days=20, reason="需调取劳动仲裁材料"
                )
            elif state in (Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED):
                services.appeal_start(appeal=appeal, actor=handler)
            if reply:
                final = state in (Status.ANSWERED, Status.CLOSED) or extra.get("reopened")
                services.appeal_reply(appeal=appeal, actor=handler, body=reply, final=bool(final))
            if extra.get("reopened"):
                services.appeal_worker_reopen(appeal=appeal, body="问题没有解决，主席仍在兼任。")
            if state == Status.CLOSED:
                services.appeal_worker_confirm(appeal=appeal, satisfaction=extra["satisfaction"])
        submitted = now - datetime.timedelta(days=days)
        _set_dates(
            appeal, submitted=submitted, accepted_days=None if state == Status.SUBMITTED else 3
        )
    services.appeals_escalate_overdue()
    return len(SPECS)
