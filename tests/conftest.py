"""The standing cast: a small world of two counties under one city, and one user per role.

city ── county C1 ── township T1 ── enterprise E1 (union U1, chair of U1)
    │            └── township T2 ── enterprise E2 (union U2; the assigned cadre's)
    └── county C2 ── township T3 ── enterprise E3 (union U3)
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.test import Client

from shuangliang.core.models import Membership
from shuangliang.register.models import Federation, Position

from .factories import (
    EnterpriseFactory,
    FederationFactory,
    OfficerFactory,
    TownshipFactory,
    UnionFactory,
    UserFactory,
    membership,
)

ROLES = [
    "anonymous",
    "chair_u1",
    "chair_u2",
    "township_t1",
    "county_c1",
    "county_c2",
    "city",
    "cadre",
    "leader_c1",
    "superuser",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a third of a second per user; tests do not need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_in_request(settings):
    """Background tasks run inside the request that starts them (the immediate backend); a
    test of the worker itself switches to the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def default_contract_kinds(transactional_db):
    """A transactional test may run after another one emptied the tables; put back what the
    data migration put there, which the world fixture needs."""
    from django.apps import apps

    migration = importlib.import_module(
        "shuangliang.register.migrations.0002_default_contract_kinds"
    )
    migration.create_kinds(apps, None)


@pytest.fixture
def world(db):
    city = FederationFactory(
        name="测试市总工会", level=Federation.Level.CITY, division_code="990100"
    )
    c1 = FederationFactory(name="甲县总工会", parent=city, division_code="990101")
    c2 = FederationFactory(name="乙县总工会", parent=city, division_code="990102")
    t1 = TownshipFactory(name="甲一镇", parent=c1, division_code="990101001")
    t2 = TownshipFactory(name="甲二镇", parent=c1, division_code="990101002")
    t3 = TownshipFactory(name="乙一镇", parent=c2, division_code="990102001")
    u1 = UnionFactory(name="甲一机械有限公司工会委员会", federation=t1)
    u2 = UnionFactory(name="甲二纺织有限公司工会委员会", federation=t2)
    u3 = UnionFactory(name="乙一电子有限公司工会委员会", federation=t3)
    e1 = EnterpriseFactory(name="甲一机械有限公司", federation=t1, union=u1)
    e2 = EnterpriseFactory(name="甲二纺织有限公司", federation=t2, union=u2)
    e3 = EnterpriseFactory(name="乙一电子有限公司", federation=t3, union=u3)
    chair1 = OfficerFactory(union=u1, position=Position.CHAIR, person__name="王芳")
    chair2 = OfficerFactory(union=u2, position=Position.CHAIR, person__name="李强")
    chair3 = OfficerFactory(union=u3, position=Position.CHAIR, person__name="赵敏")

    users = {}
    users["chair_u1"] = UserFactory(username="chair_u1")
    membership(users["chair_u1"], Membership.Role.UNION_OFFICER, union=u1)
    users["chair_u2"] = UserFactory(username="chair_u2")
    membership(users["chair_u2"], Membership.Role.UNION_OFFICER, union=u2)
    users["township_t1"] = UserFactory(username="township_t1")
    membership(users["township_t1"], Membership.Role.FEDERATION_STAFF, federation=t1)
    users["county_c1"] = UserFactory(username="county_c1")
    membership(users["county_c1"], Membership.Role.FEDERATION_STAFF, federation=c1)
    users["county_c2"] = UserFactory(username="county_c2")
    membership(users["county_c2"], Membership.Role.FEDERATION_STAFF, federation=c2)
    users["city"] = UserFactory(username="city")
    membership(users["city"], Membership.Role.FEDERATION_STAFF, federation=city)
    users["cadre"] = UserFactory(username="cadre")
    membership(users["cadre"], Membership.Role.ASSIGNED_CADRE, federation=c1)
    users["leader_c1"] = UserFactory(username="leader_c1")
    membership(users["leader_c1"], Membership.Role.LEADER, federation=c1)
    users["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)

    from shuangliang.campaign.models import Assignment
    from shuangliang.core.models import ImportJob
    from shuangliang.register.models import CollectiveContract, ContractKind

    import_job = ImportJob.objects.create(
        created_by=users["county_c1"],
        federation=c1,
        original_name="花名册.xlsx",
        status=ImportJob.Status.INVALID,
        errors=[["花名册", 3, "统一社会信用代码", "校验码错误"]],
    )
    # A transactional test before this one may have emptied the table the migration filled.
    from shuangliang.register.services import contract_kinds_ensure_defaults

    contract_kinds_ensure_defaults()
    contract1 = CollectiveContract.objects.create(
        union=u1, kind=ContractKind.objects.get(code="wage"), step="talks"
    )

    Assignment.objects.create(
        cadre=users["cadre"], enterprise=e2, starts_on=datetime.date(2024, 1, 1)
    )
    from shuangliang.doublebright.services import credential_ensure, union_page_ensure

    # Public pages (issue 3): U1's page and chair 3's badge credential. Chair 3 consents to a
    # published photo, so the public photo route answers (a placeholder: no file on disk).
    chair3.person.consent_photo = True
    chair3.person.save()
    union_page = union_page_ensure(union=u1)
    credential = credential_ensure(officer=chair3)
    # Double Bright status (issue 3): U1's checklist, submitted and awaiting review (its
    # evidence photos are names only: the photo routes answer with a placeholder).
    from django.utils import timezone

    from shuangliang.doublebright.models import DoubleBrightStatus

    db_status = DoubleBrightStatus.objects.create(
        union=u1,
        state=DoubleBrightStatus.State.SUBMITTED,
        signboard_hung=True,
        signboard_photo="doublebright/evidence/world-signboard.jpg",
        identities_posted=True,
        notice_board_photo="doublebright/evidence/world-notice-board.jpg",
        badges_worn=True,
        contact_cards_handed_out=20,
        address_published=True,
        submitted_at=timezone.now(),
        submitted_on=timezone.localdate(),
    )
    # Print materials (issue 3): a batch of T1's badges asked for by county C1's staff, still
    # waiting for a worker (its download leads back to its progress page).
    from shuangliang.doublebright.models import PrintJob

    print_job = PrintJob.objects.create(
        created_by=users["county_c1"],
        federation=t1,
        kind=PrintJob.Kind.BADGES,
        options={"positions": "leaders", "sheet": "a4"},
        language="zh-hans",
        cache_key="world",
        progress_total=1,
    )
    # Appeals (issue 4): one routed to U1, one straight to county C1, an attachment, a holiday.
    from .appeals_world import appeal_world_objects

    appeals = appeal_world_objects(u1=u1, e1=e1, c1=c1)
    # Campaign (issue 6): C1's plan, a work team, a visit by the cadre to E2 with a follow-up.
    from .campaign_world import campaign_world_objects

    campaign = campaign_world_objects(c1=c1, e2=e2, cadre=users["cadre"])
    # API tokens (issue 9): county C1's read-write token of an integration (its secret is not
    # needed by the matrix, which revokes it through the staff page).
    from shuangliang.api.models import ApiToken

    api_token = ApiToken.objects.create(
        user=users["county_c1"],
        name="区县对接系统",
        key_prefix="slk_world0",
        key_hash="0" * 64,
        can_write=True,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    # Statistics (issue 7): county C1 publishes its open statistics.
    from shuangliang.statistics.models import StatisticsSettings

    StatisticsSettings.objects.create(federation=c1, open_data=True)
    return SimpleNamespace(
        city=city,
        c1=c1,
        c2=c2,
        t1=t1,
        t2=t2,
        t3=t3,
        u1=u1,
        u2=u2,
        u3=u3,
        e1=e1,
        e2=e2,
        e3=e3,
        chair1=chair1,
        chair2=chair2,
        chair3=chair3,
        contract1=contract1,
        import_job=import_job,
        union_page=union_page,
        credential=credential,
        print_job=print_job,
        db_status=db_status,
        users=users,
        api_token=api_token,
        **appeals,
        **campaign,
        **importlib.import_module(".notices_world", __package__).notices_world_objects(
            c1=c1, u1=u1, u2=u2, users=users
        ),
        **importlib.import_module(".standards_world", __package__).standards_world_objects(
            c1=c1, u1=u1, users=users
        ),
    )


def client_for(world, role: str) -> Client:
    """A client logged in as the role (CSRF checks on, as in a browser)."""
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.fixture
def as_role(world):
    return lambda role: client_for(world, role)
