"""GET /api/v1/stats/summary: the headline figures for the caller's scope, on the demo county
and on the standing cast of two counties."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shuangliang.campaign.models import Assignment
from shuangliang.register.models import (
    SIGNED_STEPS,
    CollectiveContract,
    ContractKind,
    Enterprise,
    Federation,
    OperatingStatus,
)
from shuangliang.statistics import tallies

from .conftest import client_for
from .factories import EnterpriseFactory
from .test_demo import demo_db  # noqa: F401  (the class-scoped demo fixture)

URL = reverse("api:stats_summary")
KEYS = ("enterprises_operating", "unions_founded", "three_contracts_signed")


def get(client: Client, **params):
    return client.get(URL, params, HTTP_ACCEPT="application/json")


def figures_of(response) -> tuple[int, int, int]:
    assert response.status_code == 200, response.content
    data = response.json()
    return tuple(data[key] for key in KEYS)


def expected_figures(enterprises) -> tuple[int, int, int]:
    """The figures counted the long way round, in Python, without the selector's queries."""
    today = timezone.localdate()
    counted = set(ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    valid: dict[int, set[int]] = {}
    for contract in CollectiveContract.objects.all():
        if contract.step in SIGNED_STEPS and (
            contract.expires_on is None or contract.expires_on >= today
        ):
            valid.setdefault(contract.union_id, set()).add(contract.kind_id)
    operating = [e for e in enterprises if e.operating_status == OperatingStatus.IN_PRODUCTION]
    with_union = [e for e in operating if e.union_id]
    three = [e for e in with_union if counted <= valid.get(e.union_id, set())]
    return len(operating), len(with_union), len(three)


def expected_double_bright(enterprises) -> tuple[int, int]:
    """(enterprises whose union is Double Bright compliant, enterprises with a union), among
    those in production, counted in Python from the rules rather than the selector's query."""
    from shuangliang.doublebright.models import DoubleBrightStatus
    from shuangliang.register.models import Officer

    today = timezone.localdate()
    statuses = {s.union_id: s for s in DoubleBrightStatus.objects.select_related("union")}
    officers: dict[int, list] = {}
    for officer in Officer.objects.all():
        officers.setdefault(officer.union_id, []).append(officer)

    def changed_since(status) -> bool:
        for o in officers.get(status.union_id, []):
            start, ended = o.term_start, o.ended_on if o.status != "active" else None
            if start <= today and (
                start > status.submitted_on
                or (start == status.submitted_on and o.created_at > status.submitted_at)
            ):
                return True
            if (
                ended
                and ended <= today
                and (
                    ended > status.submitted_on
                    or (ended == status.submitted_on and o.updated_at > status.submitted_at)
                )
            ):
                return True
        return False

    def compliant(union_id) -> bool:
        s = statuses.get(union_id)
        return bool(
            s
            and s.state == "confirmed"
            and s.signboard_hung
            and s.signboard_photo
            and s.identities_posted
            and s.notice_board_photo
            and s.badges_worn
            and s.contact_cards_handed_out >= 1
            and s.address_published
            and s.union.office_address
            and not changed_since(s)
        )

    operating = [e for e in enterprises if e.operating_status == OperatingStatus.IN_PRODUCTION]
    with_union = [e for e in operating if e.union_id]
    return sum(1 for e in with_union if compliant(e.union_id)), len(with_union)


def demo_client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.usefixtures("demo_db")
class TestDemoStatsApi:
    def test_stats_county_sees_the_document_figures(self, db):
        response = get(demo_client("county"))
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        assert figures_of(response) == (141, 138, 127)
        assert data["coverage_rate"] == pytest.approx(0.9787, abs=1e-4)
        assert data["federation"] is None

    def test_stats_leader_and_superuser_see_the_county(self, db):
        assert figures_of(get(demo_client("leader"))) == (141, 138, 127)
        assert figures_of(get(demo_client("admin"), federation="999001")) == (141, 138, 127)

    def test_stats_narrowed_to_a_township(self, db):
        response = get(demo_client("county"), federation="999001001")
        township = Enterprise.objects.filter(federation__division_code="999001001")
        assert figures_of(response) == expected_figures(township)
        assert response.json()["federation"] == "999001001"
        assert figures_of(response)[0] < 141

    def test_stats_every_place_adds_up_to_the_county(self, db):
        client = demo_client("county")
        places = [f"999001{n:03d}" for n in range(1, 10)]
        totals = [figures_of(get(client, federation=code)) for code in places]
        assert tuple(map(sum, zip(*totals, strict=True))) == (141, 138, 127)

    @pytest.mark.parametrize("code", ["999000", "990000", "123456", "990101", "abc"])
    def test_stats_federation_outside_scope_is_404(self, db, code):
        response = get(demo_client("county"), federation=code)
        assert response.status_code == 404
        assert "141" not in response.content.decode()

    def test_stats_anonymous_gets_401(self, db):
        response = get(Client())
        assert response.status_code == 401
        assert response.json() == {"error": "authentication required"}

    def test_stats_only_get_is_allowed(self, db):
        assert demo_client("county").post(URL).status_code == 405

    def test_stats_township_sees_only_their_township(self, db):
        client = demo_client("township")
        township = Enterprise.objects.filter(federation__division_code="999001001")
        assert figures_of(get(client)) == expected_figures(township)
        assert figures_of(get(client, federation="999001001")) == expected_figures(township)
        assert get(client, federation="999001002").status_code == 404
        assert get(client, federation="999001").status_code == 404

    def test_stats_chair_sees_only_their_union(self, db):
        user = get_user_model().objects.get(username="chair")
        union = user.memberships.get().union
        own = Enterprise.objects.filter(union=union)
        response = get(demo_client("chair"))
        assert figures_of(response) == expected_figures(own)
        assert figures_of(response)[0] == own.count() >= 1
        assert get(demo_client("chair"), federation="999001").status_code == 404

    def test_stats_cadre_sees_their_assignments(self, db):
        cadre = get_user_model().objects.get(username="cadre")
        assigned = Enterprise.objects.filter(assignments__cadre=cadre)
        assert figures_of(get(demo_client("cadre"))) == expected_figures(assigned)

    def test_stats_county_figures_match_the_long_count(self, db):
        path = Federation.objects.get(division_code="999001").path
        county = Enterprise.objects.filter(federation__path__startswith=path)
        assert expected_figures(county) == (141, 138, 127)

    def test_stats_double_bright_rate_matches_the_long_count(self, db):
        """Double Bright (issue 3): the rate over the same denominator as the coverage rate."""
        path = Federation.objects.get(division_code="999001").path
        county = Enterprise.objects.filter(federation__path__startswith=path)
        compliant, founded = expected_double_bright(county)
        data = get(demo_client("county")).json()
        assert founded == data["unions_founded"] == 138
        assert data["double_bright_compliant"] == compliant
        assert data["double_bright_rate"] == round(compliant / founded, 4)
        assert 0.5 <= data["double_bright_rate"] <= 0.67


def sign_three(union, *, expired_kind: str | None = None) -> None:
    """Give `union` the three counted contracts, one of them expired if asked."""
    today = timezone.localdate()
    for kind in ContractKind.objects.filter(counts_for_three=True):
        signed_on = today - datetime.timedelta(days=30)
        if kind.code == expired_kind:
            signed_on = today - datetime.timedelta(days=5 * 365)
        CollectiveContract.objects.create(
            union=union, kind=kind, step="in_force", signed_on=signed_on, term_months=36
        )


@pytest.fixture
def counted_world(world):
    """The cast with contracts: U1 and U3 hold the three, U2 has one expired; T3 has an
    enterprise without a union and one that is closed."""
    sign_three(world.u1)
    sign_three(world.u2, expired_kind="wage")
    sign_three(world.u3)
    EnterpriseFactory(name="乙一无工会企业有限公司", federation=world.t3)
    EnterpriseFactory(
        name="乙一停产企业有限公司", federation=world.t3, operating_status=OperatingStatus.CLOSED
    )
    return world


def test_stats_counties_disjoint_and_city_sums(counted_world):
    c1 = figures_of(get(client_for(counted_world, "county_c1")))
    c2 = figures_of(get(client_for(counted_world, "county_c2")))
    city = figures_of(get(client_for(counted_world, "city")))
    assert c1 == (2, 2, 1)
    assert c2 == (2, 1, 1)
    assert city == tuple(a + b for a, b in zip(c1, c2, strict=True)) == (4, 3, 2)


def test_stats_counties_cannot_see_each_other(counted_world):
    assert get(client_for(counted_world, "county_c1"), federation="990102").status_code == 404
    assert get(client_for(counted_world, "county_c2"), federation="990101").status_code == 404
    assert get(client_for(counted_world, "county_c1"), federation="990100").status_code == 404
    narrowed = get(client_for(counted_world, "city"), federation="990101")
    assert figures_of(narrowed) == (2, 2, 1)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("township_t1", (1, 1, 1)),
        ("chair_u1", (1, 1, 1)),
        ("chair_u2", (1, 1, 0)),
        ("cadre", (1, 1, 0)),
        ("leader_c1", (2, 2, 1)),
        ("superuser", (4, 3, 2)),
    ],
)
def test_stats_each_role_sees_its_scope(counted_world, role, expected):
    assert figures_of(get(client_for(counted_world, role))) == expected


def test_stats_expired_assignment_sees_nothing(counted_world):
    Assignment.objects.filter(cadre=counted_world.users["cadre"]).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert figures_of(get(client_for(counted_world, "cadre"))) == (0, 0, 0)


def test_stats_double_bright_rate_by_scope(counted_world):
    """U1 confirmed and compliant: one of C1's two enterprises with a union, none of C2's."""
    from shuangliang.doublebright.models import DoubleBrightStatus

    world = counted_world
    world.u1.office_address = "甲一镇机械路1号"
    world.u1.save()
    # Saved (not a queryset update): the enterprises' stored compliance follows every save.
    status = DoubleBrightStatus.objects.get(pk=world.db_status.pk)
    status.state = "confirmed"
    status.save()
    rates = {
        role: get(client_for(world, role)).json()["double_bright_rate"]
        for role in ("county_c1", "county_c2", "city", "chair_u1", "chair_u2", "township_t1")
    }
    assert rates == {
        "county_c1": 0.5,
        "county_c2": 0.0,
        "city": round(1 / 3, 4),
        "chair_u1": 1.0,
        "chair_u2": 0.0,
        "township_t1": 1.0,
    }
    assert expected_double_bright(Enterprise.objects.all()) == (1, 3)
    # A new chair after the confirmation: U1 no longer counts.
    from shuangliang.register.services import officer_appoint

    from .factories import PersonFactory

    officer_appoint(
        actor=None,
        union=world.u1,
        person=PersonFactory(),
        data={"position": "chair", "term_start": timezone.localdate()},
    )
    assert get(client_for(world, "county_c1")).json()["double_bright_rate"] == 0.0
    assert expected_double_bright(Enterprise.objects.all()) == (0, 3)


def test_stats_campaign_visits_and_target_progress(world):
    """Issue 6: visits of the last 90 days and the campaign's targets against actual."""
    data = get(client_for(world, "county_c1")).json()
    assert data["visits_last_90_days"] == 1  # the cadre's visit to E2
    (plan,) = data["campaign_target_progress"]
    assert plan["campaign"] == world.campaign1.pk and plan["federation"] == "990101"
    actual = {t["metric"]: t["actual_percent"] for t in plan["targets"]}
    assert actual["union_founding"] == round(data["coverage_rate"] * 100, 2)
    assert actual["three_contracts"] == round(data["three_contracts_rate"] * 100, 2)
    assert actual["double_bright"] == round(data["double_bright_rate"] * 100, 2)
    other = get(client_for(world, "county_c2")).json()
    assert (other["visits_last_90_days"], other["campaign_target_progress"]) == (0, [])


@pytest.mark.parametrize("role", ["county_c1", "county_c2", "city", "leader_c1", "township_t1"])
def test_stats_appeal_figures_agree_with_the_appeals_app(world, role):
    """Issue 4's figures in the summary: the figure layer's counts equal the appeals app's own
    computation for the same scope."""
    from shuangliang.appeals.models import Appeal
    from shuangliang.appeals.selectors import appeal_figures_for

    # One answered and rated appeal, so the rates have something to measure.
    appeal = Appeal.objects.filter(handling_federation=world.c1).first()
    if appeal is not None:
        Appeal.objects.filter(pk=appeal.pk).update(
            accepted_at=timezone.now() - datetime.timedelta(days=3),
            answered_at=timezone.now(),
            satisfaction="satisfied",
        )
        tallies.rebuild_all()  # a queryset update sends no signal to the dashboard's tallies
    data = get(client_for(world, role)).json()
    own = appeal_figures_for(user=world.users[role])
    for key in ("appeals_received", "appeals_on_time_rate", "appeals_satisfaction_rate"):
        assert data[key] == own[key], key
    if role in ("county_c1", "city"):
        assert data["appeals_received"] > 0 and data["appeals_satisfaction_rate"] == 1.0
