"""The campaign's objects in the test world (tests/conftest.py `world`): county C1's plan from
the seed template (today in phase two), its first phase, target and task, a work team of C1
with the cadre, the cadre's assignment to E2, a visit by the cadre to E2 with a follow-up
owned by the cadre and a photo (a name only: the photo route answers with a placeholder), and a
published news item of C1 with a photo (a name only as well)."""

import datetime

from django.utils import timezone

from shuangliang.campaign.models import (
    Assignment,
    FollowUp,
    NewsItem,
    NewsPhoto,
    Visit,
    VisitPhoto,
    WorkTeam,
)
from shuangliang.campaign.plan_templates import DOUBLE_BRIGHT_SEED
from shuangliang.campaign.services import campaign_instantiate
from shuangliang.core.months import add_months


def campaign_world_objects(*, c1, e2, cadre) -> dict:
    today = timezone.localdate()
    campaign1 = campaign_instantiate(
        actor=None,
        federation=c1,
        template_code=DOUBLE_BRIGHT_SEED.code,
        starts_on=add_months(today.replace(day=1), -9),
        language="en",
    )
    team1 = WorkTeam.objects.create(federation=c1, name="甲县第一工作队")
    team1.members.add(cadre)
    assignment1 = Assignment.objects.get(cadre=cadre, enterprise=e2)
    visit1 = Visit.objects.create(
        enterprise=e2,
        visitor=cadre,
        visited_on=today - datetime.timedelta(days=3),
        met_union_chair=True,
        workers_raised="夜班补贴",
    )
    follow_up1 = FollowUp.objects.create(
        visit=visit1,
        description="协调工资集体协商",
        owner=cadre,
        due_on=today + datetime.timedelta(days=7),
    )
    visit_photo1 = VisitPhoto.objects.create(visit=visit1, image="visits/world-visit.jpg")
    news1 = NewsItem.objects.create(
        federation=c1,
        title="甲县总工会部署“双亮”活动",
        body="各镇工会逐企业核查工会牌子。\n月底前完成公示栏更新。",
        state=NewsItem.State.PUBLISHED,
        published_on=today - datetime.timedelta(days=1),
    )
    news_photo1 = NewsPhoto.objects.create(item=news1, image="news/world-news.jpg")
    return {
        "campaign1": campaign1,
        "phase1": campaign1.phases.order_by("starts_on", "order", "id").first(),
        "target1": campaign1.targets.order_by("id").first(),
        "task1": campaign1.tasks.order_by("id").first(),
        "team1": team1,
        "assignment1": assignment1,
        "visit1": visit1,
        "follow_up1": follow_up1,
        "visit_photo1": visit_photo1,
        "news1": news1,
        "news_photo1": news_photo1,
    }
