"""Issue 6 on the demo county: the seed's plan with today in phase two, the cadre's field work."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.campaign import selectors
from shuangliang.campaign.models import Campaign, FollowUp, Visit
from shuangliang.register.models import Federation
from shuangliang.register.selectors import stats_summary

from .test_demo import demo_db  # noqa: F401  (the class-scoped demo fixture)


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.mark.usefixtures("demo_db")
class TestDemoCampaign:
    def test_demo_county_runs_the_seed_plan_in_phase_two(self, db):
        county = Federation.objects.get(division_code="999001")
        campaign = Campaign.objects.get(federation=county)
        timeline = selectors.campaign_timeline(user=user("county"), campaign=campaign)
        assert timeline.current_phase == campaign.phases.filter(parent__isnull=True).last()
        assert len(timeline.overdue) == 2  # two tasks of phase one left undone
        # Targets against actual, per township: eight townships and a park under the county.
        places = [row.federation for row in timeline.places[1:]]
        assert len(places) == Federation.objects.filter(parent=county).count() >= 8
        for row in timeline.places:
            figures = stats_summary(user=user("county"), federation=row.federation or county)
            actual = {item.metric: item.actual for item in row.progress}
            assert actual["union_founding"] == round(figures["coverage_rate"] * 100, 2)

    def test_demo_timeline_page_shows_targets_per_township(self, db):
        client = Client()
        client.force_login(user("county"))
        campaign = Campaign.objects.get(federation__division_code="999001")
        body = client.get(campaign.get_absolute_url()).content.decode()
        assert (
            body.count("data-place=")
            == len(selectors.lower_federations(user=user("county"), campaign=campaign)) + 1
        )
        assert "<meter" in body and 'aria-current="date"' in body

    def test_demo_cadre_has_enterprises_with_visits_due_and_follow_ups_overdue(self, db):
        cadre = user("cadre")
        rows = selectors.my_enterprises(user=cadre)
        assert len(rows) == 8
        assert any(row.visit_overdue for row in rows)
        assert sum(row.overdue_follow_ups for row in rows) >= 1
        today = timezone.localdate()
        assert FollowUp.objects.filter(owner=cadre, state="open", due_on__lt=today).exists()
        assert FollowUp.objects.filter(owner=cadre, state="closed").exists()
        client = Client()
        client.force_login(cadre)
        response = client.get(reverse("campaign:my_enterprises"))
        assert response.status_code == 200
        assert response.content.decode().count("data-enterprise=") == 8

    def test_demo_api_has_visits_and_target_progress(self, db):
        figures = stats_summary(user=user("county"))
        assert (
            figures["visits_last_90_days"]
            == Visit.objects.filter(
                visited_on__gte=timezone.localdate() - datetime.timedelta(days=89)
            ).count()
            > 0
        )
        (plan,) = figures["campaign_target_progress"]
        assert {t["metric"] for t in plan["targets"]} == {
            "double_bright",
            "union_founding",
            "three_contracts",
        }
