"""The demo county's campaign: the seed's plan shifted so that today falls in phase two (the
full push), a second work team, visits by `cadre` with follow-ups (some overdue), focus
plans and a record of focus tags taken off. Called once by the register's demo loader; it
changes no register row, so the county's figures (141/138/127) stay as they are."""

import datetime
import random

from django.utils import timezone

from shuangliang.core.actionlog import build_entry
from shuangliang.core.months import add_months, month_start
from shuangliang.register.models import FOCUS_TAGS, Federation

from .models import (
    Assignment,
    FocusPlan,
    FocusTagChange,
    FollowUp,
    NewsItem,
    Task,
    Visit,
    WorkTeam,
)
from .plan_templates import DOUBLE_BRIGHT_SEED
from .services import campaign_instantiate

SEED = 20120601
LOG_DATA = {"source": "demo"}
# Month of the campaign that today falls in: 10 is in phase two's full push (months 8-13).
TODAY_IN_MONTH = 10
OPEN_PAST_TASKS = 2  # tasks already due that the county has not finished: shown overdue

RAISED = [
    "夜班补贴标准多年未调整，职工希望工会出面协商。",
    "食堂伙食价格上涨，希望增加补贴。",
    "部分新入职职工尚未签订劳动合同。",
    "车间夏季高温，防暑降温措施不足。",
    "希望工会组织职工技能培训。",
]
DONE = [
    "当场向企业负责人转达职工意见，约定下周协商。",
    "发放服务职工联络卡，讲解工会维权渠道。",
    "现场解答劳动合同相关政策问题。",
    "协助工会主席更新公示栏干部信息。",
]
FOLLOW_UPS = [
    "协调企业召开工资集体协商会议",
    "督促企业为新职工补签劳动合同",
    "落实防暑降温物资发放",
    "联系县职工服务中心安排技能培训",
]


def build_campaign_demo(
    *, county: Federation, users: dict, team: WorkTeam, assignments: list[Assignment], log: list
) -> None:
    """Write the county's campaign and field work; action log entries go into `log`."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    starts_on = add_months(month_start(today), -(TODAY_IN_MONTH - 1))
    campaign = campaign_instantiate(
        actor=users["county"],
        federation=county,
        template_code=DOUBLE_BRIGHT_SEED.code,
        starts_on=starts_on,
        name="示範縣“雙亮”活動實施方案",
        language="zh-hans",
    )
    tasks = list(campaign.tasks.order_by("due_on", "id"))
    past = [task for task in tasks if task.due_on < today]
    for task in past[: len(past) - OPEN_PAST_TASKS]:
        task.done_on = task.due_on - datetime.timedelta(days=rng.randint(0, 10))
        task.done_by = users["county"]
    Task.objects.bulk_update(past, ["done_on", "done_by"])

    # The township follows the county's plan and adds a task of its own.
    township = users["township"].memberships.get().federation
    township_task = Task.objects.create(
        campaign=campaign,
        phase=campaign.phases.filter(parent__isnull=False, starts_on__lte=today)
        .order_by("-starts_on")
        .first(),
        federation=township,
        title="鎮總工會逐企業核查公示欄幹部信息",
        due_on=today + datetime.timedelta(days=20),
    )
    log.append(build_entry(township_task, "campaign.task.added", data=LOG_DATA))

    second = WorkTeam.objects.create(federation=county, name="第二工作队")
    second.members.add(users["county"])
    log.append(build_entry(second, "campaign.work_team.created", data=LOG_DATA))

    _visits(rng, today, users, assignments, log)
    _focus(rng, today, users, assignments, log)
    _news(today, county, users, log)


def _visits(rng: random.Random, today, users, assignments, log) -> None:
    cadre = users["cadre"]
    visits = []
    for index, assignment in enumerate(assignments):
        # The last two enterprises have not been visited for over two months: due again.
        last = rng.randint(65, 80) if index >= len(assignments) - 2 else rng.randint(3, 25)
        days = sorted({last, *(rng.randint(last + 10, 115) for _ in range(rng.randint(1, 3)))})
        for days_ago in days:
            visits.append(
                Visit(
                    enterprise_id=assignment.enterprise_id,
                    visitor=cadre,
                    visited_on=today - datetime.timedelta(days=days_ago),
                    met_union_chair=True,
                    met_workers=rng.random() < 0.8,
                    met_management=rng.random() < 0.5,
                    people_met="工会主席、车间职工代表",
                    workers_raised=rng.choice(RAISED),
                    done_on_spot=rng.choice(DONE),
                    contact_cards=rng.randint(5, 40),
                )
            )
    Visit.objects.bulk_create(visits)
    log.extend(build_entry(v, "campaign.visit.logged", data=LOG_DATA) for v in visits)
    follow_ups = []
    for number, visit in enumerate(visits[::2]):
        due = visit.visited_on + datetime.timedelta(days=rng.randint(14, 30))
        closed = number % 3 == 0
        follow_ups.append(
            FollowUp(
                visit=visit,
                description=FOLLOW_UPS[number % len(FOLLOW_UPS)],
                owner=cadre,
                due_on=due,
                state=FollowUp.State.CLOSED if closed else FollowUp.State.OPEN,
                closed_on=min(due, today) if closed else None,
                outcome="已办结，职工表示满意。" if closed else "",
            )
        )
    FollowUp.objects.bulk_create(follow_ups)
    log.extend(build_entry(f, "campaign.follow_up.opened", data=LOG_DATA) for f in follow_ups)


def _focus(rng: random.Random, today, users, assignments, log) -> None:
    enterprises = [a.enterprise for a in assignments]
    focus = [e for e in enterprises if any(getattr(e, tag) for tag in FOCUS_TAGS)]
    plans = [
        FocusPlan(
            enterprise=enterprise,
            cadre=users["cadre"],
            visit_every_days=14,
            improvements="帮助企业稳定生产，按时足额发放工资；推动工资集体协商；健全工会组织。",
            progress="已建立联系制度，每两周走访一次。",
        )
        for enterprise in focus
    ]
    FocusPlan.objects.bulk_create(plans)
    log.extend(build_entry(p, "campaign.focus_plan.created", data=LOG_DATA) for p in plans)
    # A tag put on last year and taken off since: what the campaign changed for them.
    changes = []
    for enterprise in [e for e in enterprises if e not in focus][:2]:
        tag = next(iter(FOCUS_TAGS))
        changes += [
            FocusTagChange(
                enterprise=enterprise,
                tag=tag,
                added=True,
                changed_on=today - datetime.timedelta(days=300),
                reason="订单下滑，停产两个月。",
                actor=users["county"],
            ),
            FocusTagChange(
                enterprise=enterprise,
                tag=tag,
                added=False,
                changed_on=today - datetime.timedelta(days=rng.randint(20, 60)),
                reason="恢复满负荷生产，工资按时发放。",
                actor=users["county"],
            ),
        ]
    FocusTagChange.objects.bulk_create(changes)
    log.extend(build_entry(c, "campaign.focus_tag.changed", data=LOG_DATA) for c in changes)


NEWS = [
    (
        40,
        "縣總工會召開“雙亮”活動推進會",
        "縣總工會召開全縣“雙亮”活動推進會，通報第一階段工作進展，部署全面推進階段任務。\n"
        "會議要求各鎮（街道）工會逐企業核查工會牌子懸掛和幹部信息公示情況，月底前完成整改。",
    ),
    (
        12,
        "第一工作隊走訪重點企業",
        "第一工作隊深入轄區重點企業開展“面對面、心貼心、實打實”服務，"
        "向職工發放服務聯絡卡，現場解答勞動合同相關問題。\n"
        "對職工反映的夜班補貼問題，工作隊已協調企業啟動工資集體協商。",
    ),
    (
        3,
        "全縣企業工會主席亮身份情況公示",
        "截至本月，全縣已建會企業工會主席均已通過公示欄、聯絡卡等方式亮明身份。\n"
        "職工可掃描企業公示欄上的二維碼，查看本企業工會幹部和聯繫方式。",
    ),
]


def _news(today, county: Federation, users, log) -> None:
    """A few published news items of the county: last month and this month."""
    items = NewsItem.objects.bulk_create(
        NewsItem(
            federation=county,
            title=title,
            body=body,
            state=NewsItem.State.PUBLISHED,
            published_on=today - datetime.timedelta(days=days_ago),
            created_by=users["county"],
        )
        for days_ago, title, body in NEWS
    )
    log.extend(build_entry(item, "campaign.news.published", data=LOG_DATA) for item in items)
