"""Issue 7: the figure layer, the dashboard and its click-through, snapshots, reports, open
data, access per role and query counts."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangliang.appeals.models import Appeal
from shuangliang.appeals.selectors import appeal_figures_for
from shuangliang.core.months import add_months, month_start
from shuangliang.register.models import (
    CollectiveContract,
    ContractKind,
    Enterprise,
    Federation,
    OperatingStatus,
)
from shuangliang.statistics import figures as fig
from shuangliang.statistics.models import MonthlySnapshot, StatisticsSettings
from shuangliang.statistics.reports import REPORT_COLUMNS, statistical_report
from shuangliang.statistics.snapshots import snapshots_backfill, snapshots_take

from .appeals_world import submit
from .conftest import client_for
from .factories import EnterpriseFactory, TownshipFactory, UnionFactory

COUNT_KEYS = (
    "enterprises_operating",
    "unions_founded",
    "three_contracts_signed",
    "double_bright_compliant",
    "non_public_operating",
    "union_members",
    "appeals_received",
    "appeals_concluded",
    "appeals_on_time",
    "visits_last_90_days",
)


def dashboard_url(federation) -> str:
    return reverse("statistics:dashboard", args=[federation.pk])


def sign_three_contracts(union) -> None:
    today = timezone.localdate()
    for kind in ContractKind.objects.filter(counts_for_three=True):
        CollectiveContract.objects.create(
            union=union, kind=kind, step="in_force", signed_on=today - datetime.timedelta(days=5)
        )


@pytest.fixture
def richer(world):
    """The world with a few more enterprises in C1: without union, out of production,
    public, large, tagged, with the three contracts."""
    sign_three_contracts(world.u1)
    EnterpriseFactory(
        federation=world.t1, union=None, headcount=10, women_headcount=2, ownership="private"
    )
    EnterpriseFactory(
        federation=world.t2, union=None, headcount=400, ownership="state_owned", focus_hardship=True
    )
    EnterpriseFactory(federation=world.t2, operating_status=OperatingStatus.CLOSED)
    EnterpriseFactory(federation=world.t1, union=world.u1, headcount=1200, ownership="collective")
    return world


# The figure layer ---------------------------------------------------------------------------


def test_figures_headline_counts_by_sql_match_a_count_in_python(richer):
    world = richer
    figures = fig.headline_figures(user=world.users["county_c1"], federation=world.c1)
    operating = [
        e
        for e in Enterprise.objects.filter(federation__path__startswith=world.c1.path)
        if e.operating_status == OperatingStatus.IN_PRODUCTION
    ]
    assert figures["enterprises_operating"] == len(operating) == 5
    assert figures["unions_founded"] == len([e for e in operating if e.union_id]) == 3
    assert figures["three_contracts_signed"] == 2  # E1 and the big one, both under U1
    assert figures["coverage_rate"] == round(3 / 5, 4)
    assert figures["three_contracts_rate"] == round(2 / 3, 4)
    assert figures["non_public_operating"] == 3
    # Issue 5: the test world's one result (U1's supervisory check) is not qualified.
    assert figures["standard_compliance_rate"] == 0.0


def test_figures_breakdowns_add_up_to_the_headline(richer):
    world = richer
    user = world.users["city"]
    headline = fig.headline_figures(user=user, federation=world.city)
    for dimension in (fig.PLACE, fig.INDUSTRY, fig.OWNERSHIP, fig.SIZE):
        rows = fig.figures_by(user=user, federation=world.city, dimension=dimension)
        total = fig.totals(rows)
        for key in ("enterprises_operating", "unions_founded", "three_contracts_signed"):
            assert total[key] == headline[key], (dimension, key)
    places = fig.figures_by(user=user, federation=world.c1, dimension=fig.PLACE)
    # Appeal C1 is handled by the county itself: a row of what sits directly under it.
    assert [row.label for row in places][:2] == ["甲一镇", "甲二镇"] and len(places) == 3
    assert [row.figures["enterprises_operating"] for row in places] == [3, 2, 0]
    assert places[-1].is_remainder and places[-1].figures["appeals_received"] == 1
    focus = {r.key: r for r in fig.figures_by(user=user, federation=world.c1, dimension=fig.FOCUS)}
    assert focus["focus_hardship"].figures["enterprises_operating"] == 1


def test_figures_appeals_equal_the_appeals_apps_figures(world):
    for role in ("county_c1", "city", "leader_c1", "township_t1"):
        user = world.users[role]
        ours = fig.headline_figures(user=user, federation=None)
        theirs = appeal_figures_for(user=user)
        assert ours["appeals_received"] == theirs["appeals_received"]
        assert ours["appeals_on_time_rate"] == theirs["appeals_on_time_rate"]


def test_figures_equal_the_api_for_every_federation_role(richer):
    world = richer
    for role in ("county_c1", "county_c2", "city", "leader_c1", "township_t1", "superuser"):
        for place in (None, world.c1, world.t1):
            params = {"federation": place.division_code} if place else {}
            response = client_for(world, role).get(reverse("api:stats_summary"), params)
            if response.status_code == 404:
                continue
            api = response.json()
            ours = fig.headline_figures(user=world.users[role], federation=place)
            for key in (
                "enterprises_operating",
                "unions_founded",
                "three_contracts_signed",
                "double_bright_compliant",
                "coverage_rate",
                "three_contracts_rate",
                "double_bright_rate",
            ):
                assert api[key] == ours[key], (role, place, key)


def test_figures_for_a_user_count_only_their_scope(richer):
    world = richer
    # County C2's staff asking about the city counts only C2's enterprises.
    figures = fig.headline_figures(user=world.users["county_c2"], federation=world.city)
    assert figures["enterprises_operating"] == 1


# Dashboard, access and click-through ---------------------------------------------------------


@pytest.mark.parametrize("role", ["county_c1", "city", "leader_c1", "superuser"])
def test_dashboard_of_county_c1_opens_for_its_staff_and_leader(world, role):
    response = client_for(world, role).get(dashboard_url(world.c1))
    assert response.status_code == 200
    assert b'id="chart-data"' in response.content
    assert b"echarts.min.js" in response.content


@pytest.mark.parametrize(
    "route", ["dashboard", "report", "report_xlsx", "report_pdf", "comparison", "settings"]
)
@pytest.mark.parametrize("role", ["county_c2", "township_t1", "chair_u1", "cadre"])
def test_statistics_of_county_c1_are_404_outside_its_subtree(world, route, role):
    response = client_for(world, role).get(reverse(f"statistics:{route}", args=[world.c1.pk]))
    assert response.status_code == 404


def test_statistics_settings_are_not_for_the_leader(world):
    client = client_for(world, "leader_c1")
    assert client.get(reverse("statistics:settings", args=[world.c1.pk])).status_code == 404


def test_statistics_home_opens_the_users_top_federation(world):
    response = client_for(world, "leader_c1").get(reverse("statistics:home"))
    assert response.status_code == 302 and response["Location"] == dashboard_url(world.c1)


def _count_behind(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_dashboard_every_number_equals_the_count_of_its_list(richer):
    world = richer
    submit(enterprise=world.e2, wants_union=False, subject="另一件事")
    client = client_for(world, "county_c1")
    response = client.get(dashboard_url(world.c1))
    data = response.context["d"]
    checked = 0
    cells = list(data.headline)
    for breakdown in data.breakdowns:
        for _row, row_cells in breakdown.rows:
            cells.extend(row_cells)
        cells.extend(breakdown.total or [])
    for cell in cells:
        if not cell.url or cell.figure.key == "union_members":
            continue
        assert cell.figure.kind == "count"
        assert _count_behind(client, cell.url) == cell.value, (cell.figure.key, cell.url)
        checked += 1
    assert checked > 60
    # The page links the numbers.
    assert response.content.count(b'class="figure-link"') >= checked


def test_dashboard_drills_into_a_township(world):
    client = client_for(world, "leader_c1")
    response = client.get(dashboard_url(world.c1))
    assert dashboard_url(world.t1).encode() in response.content
    assert client.get(dashboard_url(world.t1)).status_code == 200


def test_dashboard_shows_targets_of_the_campaign_plan(world):
    response = client_for(world, "county_c1").get(dashboard_url(world.c1))
    targets = response.context["d"].targets
    assert targets and targets[0][0] == world.campaign1
    assert b'id="targets"' in response.content


def test_dashboard_change_since_last_month_reads_last_months_snapshot(world):
    today = timezone.localdate()
    snapshots_take(today=add_months(month_start(today), -1))
    EnterpriseFactory(federation=world.t1, union=None)
    EnterpriseFactory(federation=world.t1, union=None)
    response = client_for(world, "county_c1").get(dashboard_url(world.c1))
    cells = {c.figure.key: c for c in response.context["d"].headline}
    assert cells["enterprises_operating"].change == 2
    assert cells["coverage_rate"].change == round((2 / 4 - 1) * 100, 1)
    assert cells["standard_compliance_rate"].value == 0.0  # issue 5: U1's one result


def _grow(world, n: int) -> None:
    """More of everything in C1: townships, enterprises, unions, appeals."""
    for i in range(n):
        township = TownshipFactory(parent=world.c1, division_code=f"990101{100 + i:03d}")
        union = UnionFactory(federation=township)
        EnterpriseFactory(federation=township, union=union)
        EnterpriseFactory(federation=township, union=None, focus_weak_union=True)
        submit(enterprise=world.e1, wants_union=False)


def test_dashboard_query_count_does_not_grow_with_the_data(world):
    client = client_for(world, "county_c1")
    client.get(dashboard_url(world.c1))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(dashboard_url(world.c1)).status_code == 200
    _grow(world, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(dashboard_url(world.c1)).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


# Snapshots ------------------------------------------------------------------------------------


def test_take_snapshots_is_idempotent_per_month(world):
    call_command("take_snapshots", stdout=io.StringIO())
    first = MonthlySnapshot.objects.count()
    assert first == Federation.objects.count()
    EnterpriseFactory(federation=world.t1, union=None)
    call_command("take_snapshots", stdout=io.StringIO())
    assert MonthlySnapshot.objects.count() == first
    snapshot = MonthlySnapshot.objects.get(
        federation=world.c1, month=month_start(timezone.localdate())
    )
    assert snapshot.counts["enterprises_operating"] == 3  # the last run of the month wins
    city = MonthlySnapshot.objects.get(federation=world.city, month=snapshot.month)
    assert city.counts["enterprises_operating"] == 4
    assert city.source == MonthlySnapshot.Source.TAKEN


def test_backfill_derives_past_months_from_record_dates_and_never_overwrites(world):
    today = timezone.localdate()
    world.u1.founded_on = add_months(month_start(today), -3)
    world.u1.save()
    written = snapshots_backfill(months=6, today=today)
    assert written == 6 * Federation.objects.count()
    assert snapshots_backfill(months=6, today=today) == 0
    months = {
        s.month: s.counts
        for s in MonthlySnapshot.objects.filter(federation=world.t1).order_by("month")
    }
    four_back = add_months(month_start(today), -4)
    two_back = add_months(month_start(today), -2)
    assert months[four_back]["unions_founded"] == 0  # U1 founded three months ago
    assert months[two_back]["unions_founded"] == 1
    assert all(s.source == "derived" for s in MonthlySnapshot.objects.filter(federation=world.t1))


def test_report_for_a_past_month_shows_the_numbers_as_they_were(world):
    today = timezone.localdate()
    last_month = add_months(month_start(today), -1)
    snapshots_take(today=last_month)
    for _ in range(3):
        EnterpriseFactory(federation=world.t2, union=None)
    client = client_for(world, "county_c1")
    past = client.get(
        reverse("statistics:report", args=[world.c1.pk]), {"month": f"{last_month:%Y-%m}"}
    ).context["report"]
    now = client.get(reverse("statistics:report", args=[world.c1.pk])).context["report"]
    assert past.total.figures["enterprises_operating"] == 2
    assert now.total.figures["enterprises_operating"] == 5


# Reports ---------------------------------------------------------------------------------------


def _sum_rows(report, key):
    return sum(row.figures[key] for row in report.rows)


def test_report_total_is_the_sum_of_the_rows_and_the_headline(richer):
    world = richer
    report = statistical_report(user=world.users["city"], federation=world.city)
    headline = fig.headline_figures(user=world.users["city"], federation=world.city)
    assert [row.label for row in report.rows] == ["甲县总工会", "乙县总工会"]
    for key in REPORT_COLUMNS:
        if fig.FIGURES_BY_KEY[key].kind == "count":
            assert report.total.figures[key] == _sum_rows(report, key) == headline[key], key


def test_report_xlsx_rows_add_up(richer):
    world = richer
    response = client_for(world, "county_c1").get(
        reverse("statistics:report_xlsx", args=[world.c1.pk])
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert [r[0] for r in body][:2] == ["甲一镇", "甲二镇"]
    for column, expected in ((1, 5), (2, 3), (len(header) - 1, 2)):  # enterprises, unions, appeals
        assert total[column] == sum(r[column] for r in body) == expected
    assert len(header) == 1 + len(REPORT_COLUMNS)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_report_pdf_text_has_the_rows_and_a_total_that_adds_up(richer, tmp_path):
    world = richer
    response = client_for(world, "leader_c1").get(
        reverse("statistics:report_pdf", args=[world.c1.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    assert "甲一镇" in lines and "甲二镇" in lines
    total_label = next(label for label in lines if label in ("合计", "Total", "總計", "总计"))
    rows = [lines["甲一镇"], lines["甲二镇"]]
    for column in (0, 1, 2):  # enterprises, unions founded, members
        assert int(lines[total_label][column]) == sum(int(r[column]) for r in rows)


def test_comparison_report_has_the_county_against_the_city_and_each_township(world):
    response = client_for(world, "county_c1").get(
        reverse("statistics:comparison", args=[world.c1.pk])
    )
    assert response.status_code == 200
    c = response.context["c"]
    assert c.parent == world.city and c.sibling_count == 2
    assert [row.label for row in c.children][:2] == ["甲一镇", "甲二镇"]
    assert "乙县总工会".encode() not in response.content  # no other county by name


# Open data ------------------------------------------------------------------------------------


def test_open_data_is_public_only_when_the_federation_opts_in(world):
    anonymous = client_for(world, "anonymous")
    assert anonymous.get(reverse("opendata:json", args=[world.c1.division_code])).status_code == 200
    assert anonymous.get(reverse("opendata:json", args=[world.c2.division_code])).status_code == 404
    StatisticsSettings.objects.filter(federation=world.c1).update(open_data=False)
    assert anonymous.get(reverse("opendata:page", args=[world.c1.division_code])).status_code == 404


def test_open_data_hides_appeal_counts_below_five(world):
    anonymous = client_for(world, "anonymous")
    url = reverse("opendata:json", args=[world.c1.division_code])
    data = anonymous.get(url).json()
    assert Appeal.objects.count() == 2
    assert data["figures"]["appeals_received"] is None
    assert all(p["figures"]["appeals_received"] is None for p in data["places"])
    assert data["figures"]["enterprises_operating"] == 2
    page = anonymous.get(reverse("opendata:page", args=[world.c1.division_code]))
    assert "少于 5".encode() in page.content or b"fewer than 5" in page.content
    for _ in range(5):
        submit(enterprise=world.e1, wants_union=False)
    data = anonymous.get(url).json()
    assert data["figures"]["appeals_received"] == 7
    csv_text = anonymous.get(reverse("opendata:csv", args=[world.c1.division_code])).content
    assert "甲县总工会".encode() in csv_text and "陈小明".encode() not in csv_text


def test_open_data_suppresses_a_second_place_when_only_one_is_small(world):
    for _ in range(6):
        submit(enterprise=world.e1, wants_union=False)
    # C1 handles 7 appeals itself (no township) and T1 one (routed to U1): T1 is hidden, and
    # the remainder row too, or the total would give T1 away.
    data = (
        client_for(world, "anonymous")
        .get(reverse("opendata:json", args=[world.c1.division_code]))
        .json()
    )
    assert data["figures"]["appeals_received"] == 8
    assert [p["figures"]["appeals_received"] for p in data["places"]].count(None) >= 2


def test_open_data_setting_is_changed_by_staff_and_logged(world):
    from shuangliang.core.models import ActionLogEntry

    client = client_for(world, "city")
    client.get(reverse("statistics:settings", args=[world.city.pk]))
    response = client.post(
        reverse("statistics:settings", args=[world.city.pk]),
        {"open_data": "on", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 302
    assert StatisticsSettings.objects.get(federation=world.city).open_data
    assert ActionLogEntry.objects.filter(action_type="statistics.open_data.published").count() == 1


def test_grade_figures_are_the_standards_grades():
    """The layer's per-grade counts name the standards app's grades, best first, with its
    labels; the dashboard's chart and the report's columns follow this order."""
    from shuangliang.standards.models import Grade

    assert [grade for grade, _label in fig.GRADES] == list(Grade.values)
    assert [str(label) for _grade, label in fig.GRADES] == [str(label) for label in Grade.labels]
    assert all(fig.FIGURES_BY_KEY[key].kind == "count" for key in fig.GRADE_FIGURE_KEYS)
    assert set(fig.GRADE_FIGURE_KEYS) <= set(REPORT_COLUMNS)


def test_report_counts_each_townships_results_per_grade(world):
    """A report row's grade columns are the township's results of each grade, and add up to
    its results in all."""
    from shuangliang.standards import selectors as standards_selectors

    report = statistical_report(federation=world.c1, user=world.users["county_c1"])
    year = timezone.localdate().year
    for row in report.rows:
        # Townships only: the row of what sits directly under the county counts no township.
        if row.federation is None or row.federation == world.c1 or row.figures is None:
            continue
        expected = standards_selectors.grade_distribution(federation=row.federation, year=year)
        assert {g: row.figures[f"standard_{g}"] for g in expected} == expected
        assert sum(expected.values()) == row.figures["standard_assessed"]
    assert report.total.figures["standard_not_qualified"] == 1  # the world's failed check
