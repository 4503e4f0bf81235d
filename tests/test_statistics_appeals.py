"""Issue 7: the appeals' figures page reads the figure layer (database aggregates only, the
median by the same SQL on SQLite and PostgreSQL), and agrees with the dashboard and the API."""

import datetime
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shuangliang.appeals.models import Appeal, Category
from shuangliang.appeals.selectors import appeal_figures_by, appeal_figures_for
from shuangliang.statistics import figures as fig
from shuangliang.statistics import tallies

from .appeals_world import submit
from .conftest import client_for


def _conclude(appeal: Appeal, *, hours: float, late: bool = False, satisfaction: str = "") -> None:
    """Accept and answer `appeal`, `hours` apart (answered now), on time or late."""
    now = timezone.now()
    today = timezone.localdate()
    Appeal.objects.filter(pk=appeal.pk).update(
        accepted_at=now - datetime.timedelta(hours=hours),
        answered_at=now,
        conclude_due_on=today - datetime.timedelta(days=1) if late else today,
        satisfaction=satisfaction,
    )
    tallies.rebuild_all()  # a queryset update sends no signal to the dashboard's tallies


def _python_figures(appeals) -> dict:
    """What the page used to compute by looping over the rows: the reference."""
    rows = list(appeals)
    concluded = [a for a in rows if a.accepted_at and a.answered_at]
    days = [(a.answered_at - a.accepted_at).total_seconds() / 86400 for a in concluded]
    on_time = [
        a
        for a in concluded
        if a.conclude_due_on is None
        or timezone.localtime(a.answered_at).date() <= a.conclude_due_on
    ]
    rated = [a for a in rows if a.satisfaction]
    return {
        "appeals_received": len(rows),
        "appeals_accepted": len([a for a in rows if a.accepted_at]),
        "appeals_on_time_rate": round(len(on_time) / len(concluded), 4) if concluded else None,
        "appeals_median_days_to_conclusion": round(statistics.median(days), 1) if days else None,
        "appeals_satisfaction_rate": (
            round(len([a for a in rated if a.satisfaction == "satisfied"]) / len(rated), 4)
            if rated
            else None
        ),
    }


KEYS = (
    "appeals_received",
    "appeals_accepted",
    "appeals_on_time_rate",
    "appeals_median_days_to_conclusion",
    "appeals_satisfaction_rate",
)


@pytest.fixture
def concluded(world):
    """Five appeals handled by C1, four of them concluded after 10, 30, 50 and 200 hours (an
    even count: the median is the mean of the middle two), one late, two rated."""
    appeals = [submit(enterprise=world.e1, wants_union=False) for _ in range(5)]
    _conclude(appeals[0], hours=10, satisfaction="satisfied")
    _conclude(appeals[1], hours=30, late=True, satisfaction="dissatisfied")
    _conclude(appeals[2], hours=50)
    _conclude(appeals[3], hours=200)
    return world


def test_median_of_an_even_and_an_odd_count_equals_pythons(concluded):
    world = concluded
    user = world.users["county_c1"]
    ours = appeal_figures_for(user=user, federation=world.c1)
    assert ours["appeals_median_days_to_conclusion"] == round(40 / 24, 1)
    # One more, making the count odd: the middle one alone.
    appeal = Appeal.objects.filter(accepted_at__isnull=True, handling_federation=world.c1).first()
    _conclude(appeal, hours=45)
    ours = appeal_figures_for(user=user, federation=world.c1)
    assert ours["appeals_median_days_to_conclusion"] == round(45 / 24, 1)


@pytest.mark.parametrize("role", ["county_c1", "city", "township_t1", "leader_c1"])
def test_page_figures_equal_a_count_in_python_per_scope(concluded, role):
    world = concluded
    user = world.users[role]
    from shuangliang.core.access import visible

    theirs = _python_figures(visible(Appeal.objects.all(), user))
    ours = appeal_figures_for(user=user)
    assert {k: ours[k] for k in KEYS} == theirs
    for row in appeal_figures_by(user=user, dimension="federation"):
        scope = visible(Appeal.objects.all(), user).filter(handling_federation_id=row.key)
        assert {k: row.figures[k] for k in KEYS} == _python_figures(scope), row.label
    for row in appeal_figures_by(user=user, dimension="category"):
        scope = visible(Appeal.objects.all(), user).filter(category_id=row.key)
        assert {k: row.figures[k] for k in KEYS} == _python_figures(scope), row.label


def test_page_groups_most_appeals_first_with_names(concluded):
    world = concluded
    rows = appeal_figures_by(user=world.users["city"], dimension="federation")
    received = [row.figures["appeals_received"] for row in rows]
    assert received == sorted(received, reverse=True) and received[0] >= 5
    assert rows[0].label == world.c1.name
    rows = appeal_figures_by(user=world.users["city"], dimension="enterprise")
    assert rows[0].label == world.e1.name
    categories = appeal_figures_by(user=world.users["city"], dimension="category")
    assert categories[0].label == Category.objects.get(code="unpaid_wages").name
    assert len(appeal_figures_by(user=world.users["city"], dimension="category", limit=0)) == 0


def test_page_and_dashboard_agree(concluded):
    world = concluded
    user = world.users["county_c1"]
    page = appeal_figures_for(user=user, federation=world.c1)
    dashboard = fig.headline_figures(user=user, federation=world.c1)
    for key in ("appeals_received", "appeals_on_time_rate", "appeals_satisfaction_rate"):
        assert page[key] == dashboard[key], key
    assert page["appeals_on_time_rate"] == round(3 / 4, 4)
    assert page["appeals_satisfaction_rate"] == 0.5


def test_page_shows_the_figures_and_its_query_count_does_not_grow(concluded):
    world = concluded
    client = client_for(world, "city")
    url = reverse("appeals:figures")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert world.c1.name in text and world.e1.name in text
    for _ in range(4):
        appeal = submit(
            enterprise=world.e2 if hasattr(world, "e2") else world.e1, wants_union=False
        )
        _conclude(appeal, hours=5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_page_of_a_union_chair_counts_only_their_appeals_and_is_not_public(concluded):
    world = concluded
    from django.test import Client

    from shuangliang.core.access import visible

    url = reverse("appeals:figures")
    chair = world.users["chair_u1"]
    mine = visible(Appeal.objects.all(), chair)
    ours = appeal_figures_for(user=chair)
    assert ours["appeals_received"] == mine.count()
    assert (
        ours["appeals_received"] < appeal_figures_for(user=world.users["city"])["appeals_received"]
    )
    assert client_for(world, "chair_u1").get(url).status_code == 200
    assert Client().get(url).status_code in (302, 403, 404)
