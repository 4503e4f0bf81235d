"""Issue 7 on the demo county: the leader's dashboard shows the source document's figures,
the snapshot history is there (and a second load adds nothing), a township drill-down."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.core.months import add_months, month_start
from shuangliang.statistics.models import MonthlySnapshot

from .test_demo import county, demo_db  # noqa: F401  (the class-scoped demo fixture)


def leader_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader"))
    return client


@pytest.mark.usefixtures("demo_db")
class TestDemoStatistics:
    def test_leader_sees_the_documents_figures_on_the_county_dashboard(self, db):
        response = leader_client().get(reverse("statistics:dashboard", args=[county().pk]))
        assert response.status_code == 200
        cells = {c.figure.key: c.value for c in response.context["d"].headline}
        assert (
            cells["enterprises_operating"],
            cells["unions_founded"],
            cells["three_contracts_signed"],
        ) == (141, 138, 127)

    def test_demo_has_twelve_months_of_history_and_this_month(self, db):
        this_month = month_start(timezone.localdate())
        months = list(
            MonthlySnapshot.objects.filter(federation=county())
            .order_by("month")
            .values_list("month", flat=True)
        )
        assert months == [add_months(this_month, -n) for n in range(12, -1, -1)]
        history = leader_client().get(reverse("statistics:dashboard", args=[county().pk]))
        series = {s["key"]: s["data"] for s in history.context["charts"]["history"]["series"]}
        bright = series["double_bright_rate"]
        # Double Bright coverage grew over the demo's year; the last point is this month's.
        assert len(bright) == 13 and bright[0] < bright[-3] < bright[-1]
        assert series["coverage_rate"][-1] == round(138 / 141 * 100, 1)

    def test_demo_second_load_adds_no_snapshot(self, db):
        from shuangliang.register.demo.builder import load_demo

        before = MonthlySnapshot.objects.count()
        load_demo(photos=False)
        assert MonthlySnapshot.objects.count() == before

    def test_leader_drills_into_a_township_and_its_report_adds_up(self, db):
        client = leader_client()
        township = county().children.order_by("division_code").first()
        assert client.get(reverse("statistics:dashboard", args=[township.pk])).status_code == 200
        report = client.get(reverse("statistics:report", args=[county().pk])).context["report"]
        assert report.total.figures["enterprises_operating"] == 141
        assert sum(r.figures["enterprises_operating"] for r in report.rows) == 141
