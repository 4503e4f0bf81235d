"""The demo county's season of standards work (issue 5): a spread of grades, rectifications
in every state, the demo chair's one open rectification, and a county that can run a check."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.register.demo import load_demo
from shuangliang.register.models import Federation
from shuangliang.standards import selectors
from shuangliang.standards.demo import load_demo_standards
from shuangliang.standards.models import Inspection, InspectionRound, Rectification, Standard

from .test_demo import demo_db  # noqa: F401  (the class-scoped demo fixture)


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.usefixtures("demo_db")
class TestStandardsDemo:
    def test_demo_season_has_a_realistic_spread_of_grades(self, db):
        county = Federation.objects.get(division_code="999001")
        year = timezone.localdate().year
        distribution = selectors.grade_distribution(federation=county, year=year)
        assert all(n >= 2 for n in distribution.values()), distribution
        counts = selectors.inspected_counts(federation=county, year=year)
        assert 30 <= counts["unions"] <= 60 and counts["self_checks"] >= 60
        # Stratified: every township with unions has inspected unions.
        townships = set(
            Inspection.objects.filter(round__isnull=False).values_list(
                "union__federation_id", flat=True
            )
        )
        with_unions = set(
            Federation.objects.filter(
                unions__isnull=False, path__startswith=county.path
            ).values_list("pk", flat=True)
        )
        assert townships == with_unions

    def test_demo_rectifications_in_every_state_and_the_chair_has_one_open(self, db):
        today = timezone.localdate()
        states = set(Rectification.objects.values_list("state", flat=True))
        assert states == {"open", "closed", "verified"}
        assert Rectification.objects.filter(state="open", deadline__lt=today).exists()
        chair = _client("chair")
        response = chair.get(reverse("standards:rectification_list"))
        listed = list(response.context["page"])
        assert [r.state for r in listed] == ["open"]
        assert (
            chair.get(reverse("standards:rectification_close", args=[listed[0].pk])).status_code
            == 200
        )

    def test_demo_county_can_run_a_spot_check_and_the_figures_show(self, db):
        county = _client("county")
        response = county.get(reverse("standards:round_create"))
        versions = list(response.context["form"].fields["version"].queryset)
        assert [v.standard.name for v in versions] == ["“九有”基层工会规范化建设标准"]
        summary = county.get(reverse("api:stats_summary"), HTTP_ACCEPT="application/json").json()
        assert 0.3 < summary["standard_compliance_rate"] < 0.9
        assert summary["rectifications_open"] > 0
        dashboard = county.get(reverse("statistics:home"), follow=True)
        cells = {c.figure.key: c.value for c in dashboard.context["d"].headline}
        assert cells["standard_compliance_rate"] == summary["standard_compliance_rate"]

    def test_demo_second_load_adds_no_standards_work(self, db):
        before = (
            Standard.objects.count(),
            Inspection.objects.count(),
            InspectionRound.objects.count(),
        )
        assert load_demo_standards() == 0
        load_demo(photos=False)
        after = (
            Standard.objects.count(),
            Inspection.objects.count(),
            InspectionRound.objects.count(),
        )
        assert before == after
