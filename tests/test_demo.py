"""The demo county: the document's figures, idempotence, accounts and the validity of its data."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from shuangliang.campaign.models import Assignment
from shuangliang.core.access import visible
from shuangliang.core.models import ActionLogEntry, Membership
from shuangliang.register.demo import DEMO_PASSWORD, DEMO_USERNAMES, load_demo
from shuangliang.register.demo.avatar import render_avatar
from shuangliang.register.models import (
    CollectiveContract,
    Enterprise,
    Federation,
    Officer,
    OperatingStatus,
    Person,
    Position,
    Union,
)
from shuangliang.register.selectors import EnterpriseFilters, enterprise_list, stats_summary
from shuangliang.register.validators import validate_credit_code, validate_union_credit_code

FIGURES = {"enterprises_operating": 141, "unions_founded": 138, "three_contracts_signed": 127}
TOWNSHIPS = ["城關鎮", "東湖鎮", "西山鄉", "南港鎮", "北橋鎮", "青石鎮", "白沙鄉", "河口街道"]


@pytest.fixture(scope="class")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a class of tests, rolled back after the last of them."""
    media = tmp_path_factory.mktemp("media")
    # The same fast hasher as conftest's autouse fixture, which runs only per test.
    fast = override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def county() -> Federation:
    return Federation.objects.get(division_code="999001")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.usefixtures("demo_db")
class TestDemoCounty:
    def test_demo_figures_match_the_document(self, db):
        admin = get_user_model().objects.get(username="admin")
        figures = stats_summary(user=admin, federation=county())
        assert {key: figures[key] for key in FIGURES} == FIGURES
        assert figures["coverage_rate"] == pytest.approx(138 / 141, abs=1e-4)

    def test_demo_command_prints_the_figures(self, db, demo_db):
        assert "141" in demo_db and "138" in demo_db and "127" in demo_db
        assert "shuangliang-demo" in demo_db

    def test_demo_second_load_changes_nothing(self, db):
        before = row_counts()
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert "already loaded" in out.getvalue()
        assert row_counts() == before

    def test_demo_hierarchy_and_places(self, db):
        place = county()
        assert place.name == "示範縣總工會" and place.level == Federation.Level.COUNTY
        assert place.parent.division_code == "999000"
        assert place.parent.parent.division_code == "990000"
        children = place.children.order_by("division_code")
        assert [c.name for c in children] == [*TOWNSHIPS, "示範縣工業園區"]
        assert [c.division_code for c in children] == [f"999001{n:03d}" for n in range(1, 10)]
        assert children.last().level == Federation.Level.PARK
        assert all(c.path.startswith(place.path) for c in children)
        operating = Enterprise.objects.filter(operating_status=OperatingStatus.IN_PRODUCTION)
        per_place = {c.name: operating.filter(federation=c).count() for c in children}
        assert max(per_place, key=per_place.get) == "示範縣工業園區"

    def test_demo_enterprises_in_and_out_of_production(self, db):
        assert (
            Enterprise.objects.filter(operating_status=OperatingStatus.IN_PRODUCTION).count() == 141
        )
        idle = Enterprise.objects.exclude(operating_status=OperatingStatus.IN_PRODUCTION)
        assert 10 <= idle.count() <= 20
        assert set(idle.values_list("operating_status", flat=True)) == {
            OperatingStatus.UNDER_CONSTRUCTION,
            OperatingStatus.SUSPENDED,
            OperatingStatus.CLOSED,
        }

    def test_demo_credit_codes_are_valid_and_unique(self, db):
        codes = list(Enterprise.objects.values_list("credit_code", flat=True))
        for code in codes:
            validate_credit_code(code)
            assert code.startswith("91999001")
        assert len(set(codes)) == len(codes)
        union_codes = Union.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
        assert union_codes.count() >= Union.objects.count() * 0.8
        for code in union_codes:
            validate_union_credit_code(code)

    def test_demo_rows_pass_model_validation(self, db):
        for model in (Federation, Enterprise, Union, Person, CollectiveContract):
            for obj in model.objects.all():
                obj.full_clean()
        for officer in Officer.objects.filter(position=Position.CHAIR):
            officer.full_clean()

    def test_demo_joint_unions_cover_small_enterprises(self, db):
        joint = Union.objects.filter(kind=Union.Kind.JOINT)
        assert 1 <= joint.count() <= 2
        for union in joint:
            assert 2 <= union.enterprises.count() <= 4

    def test_demo_every_union_has_one_chair_in_office_and_a_committee(self, db):
        for union in Union.objects.prefetch_related("officers"):
            active = [o for o in union.officers.all() if o.status == Officer.Status.ACTIVE]
            positions = [o.position for o in active]
            assert positions.count(Position.CHAIR) == 1, union
            assert 1 <= positions.count(Position.VICE_CHAIR) <= 2
            assert 2 <= positions.count(Position.COMMITTEE_MEMBER) <= 5
        replaced = Officer.objects.filter(position=Position.CHAIR, status=Officer.Status.REPLACED)
        assert replaced.count() >= 3

    def test_demo_chairs_have_photos(self, db):
        chairs = Person.objects.filter(officers__position=Position.CHAIR, officers__status="active")
        assert chairs.count() == Union.objects.count()
        assert not chairs.filter(photo="").exists()
        chair = chairs.first()
        with chair.photo.open("rb") as photo:
            assert photo.read(3) == b"\xff\xd8\xff"  # JPEG

    def test_demo_reelections_lapsed_and_due(self, db):
        states = [union.reelection_state for union in Union.objects.all()]
        assert 1 <= states.count("lapsed") <= 10
        assert 1 <= states.count("due_soon") <= 10

    def test_demo_traditional_search_finds_simplified_name(self, db):
        admin = get_user_model().objects.get(username="admin")
        found = enterprise_list(user=admin, filters=EnterpriseFilters(q="宏達機械製造"))
        assert "示范县宏达机械制造有限公司" in [e.name for e in found]
        found = enterprise_list(user=admin, filters=EnterpriseFilters(q="東湖紡織"))
        assert "东湖纺织有限公司" in [e.name for e in found]

    def test_demo_focus_enterprises(self, db):
        tagged = (
            Enterprise.objects.filter(focus_production_difficulty=True)
            | Enterprise.objects.filter(focus_hardship=True)
            | Enterprise.objects.filter(focus_labour_disputes=True)
            | Enterprise.objects.filter(focus_weak_union=True)
        )
        assert 10 <= tagged.distinct().count() <= 20

    def test_demo_every_created_row_is_logged(self, db):
        for model in (Federation, Enterprise, Union, Person, Officer, CollectiveContract):
            entries = ActionLogEntry.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                data__source="demo",
            )
            assert entries.count() == model.objects.count(), model
            logged = set(entries.values_list("object_id", flat=True))
            assert logged == {str(pk) for pk in model.objects.values_list("pk", flat=True)}

    def test_demo_users_log_in_with_their_roles(self, db):
        User = get_user_model()
        for username in DEMO_USERNAMES:
            assert Client().login(username=username, password=DEMO_PASSWORD), username
            assert User.objects.get(username=username).get_full_name()
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        township = Federation.objects.get(division_code="999001001")
        expected = {
            "county": (Membership.Role.FEDERATION_STAFF, county(), None),
            "leader": (Membership.Role.LEADER, county(), None),
            "township": (Membership.Role.FEDERATION_STAFF, township, None),
            "cadre": (Membership.Role.ASSIGNED_CADRE, county(), None),
        }
        for username, (role, federation, union) in expected.items():
            memberships = Membership.objects.filter(user__username=username)
            assert [(m.role, m.federation, m.union) for m in memberships] == [
                (role, federation, union)
            ]
        assert not Membership.objects.filter(user=admin).exists()

    def test_demo_chair_account_matches_the_chair(self, db):
        user = get_user_model().objects.get(username="chair")
        membership = Membership.objects.get(user=user)
        assert membership.role == Membership.Role.UNION_OFFICER
        union = membership.union
        assert union.federation.division_code == "999001001"
        chair = union.officers.get(position=Position.CHAIR, status=Officer.Status.ACTIVE)
        assert chair.person.name == user.last_name + user.first_name

    def test_demo_cadre_is_assigned_to_focus_enterprises(self, db):
        cadre = get_user_model().objects.get(username="cadre")
        assignments = Assignment.objects.filter(cadre=cadre).select_related("team", "enterprise")
        assert 6 <= assignments.count() <= 10
        assert {a.team.name for a in assignments} == {"第一工作队"}
        assert all(a.ends_on is None and a.starts_on < timezone.localdate() for a in assignments)
        assert any(a.enterprise.focus_tags for a in assignments)
        seen = set(visible(Enterprise.objects.all(), cadre).values_list("pk", flat=True))
        assert seen == {a.enterprise_id for a in assignments}

    def test_demo_figures_hold_three_months_later(self, db, monkeypatch):
        later = timezone.localdate() + datetime.timedelta(days=90)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
        admin = get_user_model().objects.get(username="admin")
        figures = stats_summary(user=admin, federation=county())
        assert {key: figures[key] for key in FIGURES} == FIGURES

    # Double Bright status (issue 3): realistic coverage, varied by township.
    def test_demo_double_bright_rate_is_realistic_and_the_api_agrees(self, db):
        from shuangliang.doublebright.status_selectors import coverage_summary

        admin = get_user_model().objects.get(username="admin")
        rate = stats_summary(user=admin, federation=county())["double_bright_rate"]
        assert 0.5 <= rate <= 0.67
        client = Client()
        client.force_login(get_user_model().objects.get(username="county"))
        assert client.get("/api/v1/stats/summary").json()["double_bright_rate"] == rate
        assert coverage_summary(user=admin, federation=county().pk).rate == rate

    def test_demo_double_bright_states_vary_by_township(self, db):
        from shuangliang.doublebright.models import DoubleBrightStatus
        from shuangliang.doublebright.status_selectors import coverage_summary

        admin = get_user_model().objects.get(username="admin")
        summary = coverage_summary(user=admin, federation=county().pk)
        counts = summary.counts
        assert counts["total"] == Union.objects.count()
        assert 3 <= counts["submitted"] <= 6
        assert counts["rejected"] == 2
        assert counts["outdated"] >= 1 and counts["draft"] >= 1 and counts["not_started"] >= 5
        rates = [place.rate for place in summary.places]
        assert len(summary.places) == 9 and len(set(rates)) >= 5
        assert min(rates) < 0.5 < max(rates)
        rejected = DoubleBrightStatus.objects.filter(state="rejected")
        assert all(status.rejection_reason for status in rejected)
        chair_union = Membership.objects.get(user__username="chair").union
        assert chair_union.double_bright_status.state == "rejected"

    def test_demo_double_bright_evidence_and_history(self, db):
        from shuangliang.doublebright.models import DoubleBrightStatus

        statuses = DoubleBrightStatus.objects.exclude(state="draft")
        assert not statuses.filter(signboard_photo="").exists()
        assert not statuses.filter(notice_board_photo="").exists()
        with statuses.first().notice_board_photo.open("rb") as photo:
            assert photo.read(3) == b"\xff\xd8\xff"
        entries = ActionLogEntry.objects.filter(
            content_type__model="doublebrightstatus", data__source="demo"
        )
        created = entries.filter(action_type="doublebright.status.created")
        assert created.count() == DoubleBrightStatus.objects.count()
        assert entries.filter(action_type="doublebright.status.confirmed").count() == (
            DoubleBrightStatus.objects.filter(state="confirmed").count()
        )


@pytest.mark.parametrize("day", [datetime.date(2025, 1, 15), datetime.date(2028, 2, 29)])
def test_demo_figures_hold_whatever_the_day(db, settings, tmp_path, monkeypatch, day):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    result = load_demo(photos=False)
    assert result.created
    assert {key: result.figures[key] for key in FIGURES} == FIGURES


def test_demo_same_register_whatever_the_day(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    snapshots = []
    for day in (datetime.date(2025, 3, 1), datetime.date(2026, 11, 30)):
        monkeypatch.setattr(timezone, "localdate", lambda *args, _day=day, **kwargs: _day)
        with transaction.atomic():
            load_demo(photos=False)
            snapshots.append(
                (
                    list(
                        Enterprise.objects.order_by("credit_code").values_list(
                            "name", "credit_code"
                        )
                    ),
                    list(Union.objects.order_by("name").values_list("name", "credit_code")),
                    list(Person.objects.order_by("pk").values_list("name", "mobile")),
                )
            )
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]


def test_demo_avatar_without_a_font_is_a_silhouette():
    with_font = render_avatar("李", 0)
    without = render_avatar("李", 0, use_font=False)
    assert with_font[:3] == without[:3] == b"\xff\xd8\xff"
    assert with_font != without
