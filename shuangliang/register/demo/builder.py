"""Writes the demo county: federations by `save()`, the register by bulk inserts, one
action log entry per created row, and the demo accounts."""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from shuangliang.campaign.demo import build_campaign_demo
from shuangliang.campaign.models import Assignment, WorkTeam
from shuangliang.core.actionlog import build_entry
from shuangliang.core.models import ActionLogEntry, Membership
from shuangliang.core.months import add_months
from shuangliang.core.text import search_key
from shuangliang.register import stored_figures
from shuangliang.register.models import (
    CONTRACT_STEP_ORDER,
    CollectiveContract,
    ContractKind,
    ContractStep,
    ContractStepRecord,
    Enterprise,
    Federation,
    Officer,
    OperatingStatus,
    Person,
    Position,
    Union,
)
from shuangliang.register.officer_changes import refresh_officers_changed
from shuangliang.register.selectors import stats_summary
from shuangliang.register.services import contract_kinds_ensure_defaults

from .avatar import render_avatar
from .data import (
    ACCOUNT_NAMES,
    CHAIR_ENTERPRISE,
    CHAIR_PERSON,
    CHAIR_TOWNSHIP_CODE,
    COUNTED_KINDS,
    COUNTY_CODE,
    DEMO_PASSWORD,
    EXPECTED_FIGURES,
    FEMALE_GIVEN,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    PARK_CODE,
    PLACES,
    SEED,
    SHORTFALLS,
    STEP_OFFSETS,
    SURNAMES,
    UPPER_FEDERATIONS,
)
from .double_bright import build_double_bright
from .plan import FOCUS_FIELDS, EnterprisePlan, credit_code, plan_enterprises

PHOTO_DIR = "photos/demo"
LOG_DATA = {"source": "demo"}
SIGNED_STATES = ("signed", "expired")


@dataclass(frozen=True)
class DemoResult:
    """What a load did: whether it wrote anything, row counts, the county's figures, time."""

    created: bool
    counts: dict
    figures: dict
    seconds: float


def demo_exists() -> bool:
    """True when the demo county already has enterprises, so a load must write nothing."""
    county = Federation.objects.filter(division_code=COUNTY_CODE).only("path").first()
    if county is None:
        return False
    return Enterprise.objects.filter(federation__path__startswith=county.path).exists()


def load_demo(*, photos: bool = True) -> DemoResult:
    """Create the demo county in one transaction, once; later calls change nothing."""
    started = time.monotonic()
    with transaction.atomic():
        created = not demo_exists()
        if created:
            DemoBuilder(photos=photos).build()
            figures = demo_figures()
            wrong = {k: figures[k] for k, v in EXPECTED_FIGURES.items() if figures[k] != v}
            if wrong:  # rolls the whole load back
                raise RuntimeError(f"The demo county's figures came out wrong: {wrong}")
        from shuangliang.appeals.demo import load_demo_appeals

        load_demo_appeals()  # idempotent on its own: a second load adds nothing
        from shuangliang.standards.demo import load_demo_standards

        load_demo_standards()  # the season of self-checks and inspections; idempotent too
        from shuangliang.notices.demo import load_demo_notices

        load_demo_notices()  # a published notice and two model units; idempotent too
        from shuangliang.statistics.demo import load_demo_snapshots

        load_demo_snapshots()  # monthly history for the dashboard; idempotent too
    counts = {
        model.__name__: model.objects.count()
        for model in (Federation, Enterprise, Union, Person, Officer, CollectiveContract)
    }
    return DemoResult(created, counts, demo_figures(), round(time.monotonic() - started, 2))


def demo_figures() -> dict:
    """The headline figures of the demo county, as a superuser sees them."""
    admin = (
        get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )
    return stats_summary(user=admin, federation=Federation.objects.get(division_code=COUNTY_CODE))


class DemoBuilder:
    """Builds the county in memory, then writes it with a handful of bulk inserts."""

    def __init__(self, *, photos: bool = True):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.photos = photos
        self.log: list[ActionLogEntry] = []
        self.places: dict[str, Federation] = {}
        self.groups: dict[str, list[EnterprisePlan]] = {}

    def build(self) -> None:
        """Write federations, unions, enterprises, officers, contracts, accounts and the log."""
        county = self._federations()
        plans = plan_enterprises(self.rng)
        unions = self._unions(plans)
        enterprises = self._enterprises(plans, unions)
        self._officers(unions)
        self._contracts(unions)
        self._accounts(county, enterprises, unions)
        build_double_bright(self, unions)
        ActionLogEntry.objects.bulk_create(self.log, batch_size=500)

    def _logged(self, objects, action: str) -> None:
        """Queue one action log entry per object; they are written last, in bulk."""
        self.log.extend(build_entry(obj, action, data=LOG_DATA) for obj in objects)

    def _days_ago(self, days: int) -> datetime.date:
        """The date `days` before the day of loading."""
        return self.today - datetime.timedelta(days=days)

    def _federations(self) -> Federation:
        """The province, city and county above the townships and the park; existing rows
        (by division code) are kept as they are."""
        tree = list(UPPER_FEDERATIONS)
        for code, name, *_ in PLACES:
            tree.append((code, name, "park" if code == PARK_CODE else "township", COUNTY_CODE))
        by_code: dict[str, Federation] = {}
        for code, name, level, parent_code in tree:
            federation = Federation.objects.filter(division_code=code).first()
            if federation is None:
                federation = Federation(
                    name=name,
                    level=level,
                    division_code=code,
                    parent=by_code.get(parent_code),
                    phone=f"0999-{2100001 + len(by_code)}" if parent_code else "",
                )
                federation.save()  # computes the materialised path
                self._logged([federation], "register.federation.created")
            by_code[code] = federation
        self.places = {code: by_code[code] for code, *_ in PLACES}
        return by_code[COUNTY_CODE]

    def _unions(self, plans: list[EnterprisePlan]) -> dict[str, Union]:
        """One union per union key; a few re-elections lapsed or due within six months."""
        rng = self.rng
        for plan in plans:
            if plan.union_key:
                self.groups.setdefault(plan.union_key, []).append(plan)
        keys = list(self.groups)
        lapsed = set(rng.sample(keys, 4))
        due_soon = set(rng.sample([key for key in keys if key not in lapsed], 6))
        place_names = {code: name for code, _, name, *_ in PLACES}
        unions: dict[str, Union] = {}
        for serial, key in enumerate(keys, start=1):
            members = self.groups[key]
            first = members[0]
            if key.startswith("joint"):
                name, kind = f"{place_names[first.place]}小微企业联合工会委员会", Union.Kind.JOINT
            else:
                name, kind = f"{first.name}工会委员会", Union.Kind.SINGLE
            term_years = rng.choice((3, 5, 5))
            days = rng.randint(200, term_years * 365 - 40)
            if key in lapsed:
                days = -rng.randint(30, 300)
            elif key in due_soon:
                days = rng.randint(15, 170)
            due = self.today + datetime.timedelta(days=days)
            term_start = due.replace(year=due.year - term_years, day=min(due.day, 28))
            # A fraction, not a day count: the number of draws must not depend on the date.
            latest = min(term_start, datetime.date(2024, 12, 31))
            span = (latest - datetime.date(2008, 1, 1)).days
            founded = latest - datetime.timedelta(days=int(rng.random() * span))
            headcount = sum(p.headcount for p in members)
            member_count = max(1, round(headcount * rng.uniform(0.82, 1.0)))
            women = min(member_count, sum(p.women for p in members))
            code = credit_code("81", 2_000_000 + 11 * serial, rng)
            union = Union(
                name=name,
                kind=kind,
                federation=self.places[first.place],
                founded_on=founded,
                credit_code=code if rng.random() < 0.9 else None,
                member_count=member_count,
                women_member_count=round(women * rng.uniform(0.85, 1.0)),
                office_address=f"{first.address}综合楼{rng.randint(1, 4)}楼",
                office_phone=f"0999-{rng.randint(2200000, 8899999)}",
                term_start=term_start,
                term_years=term_years,
                has_audit_committee=rng.random() < 0.8,
                has_women_committee=rng.random() < 0.85 and women >= 10,
            )
            union.search_text = search_key(union.name, union.credit_code)
            unions[key] = union
        Union.objects.bulk_create(unions.values(), batch_size=500)
        self._logged(unions.values(), "register.union.created")
        return unions

    def _enterprises(self, plans: list[EnterprisePlan], unions: dict) -> list[Enterprise]:
        """Every planned enterprise, attached to its union."""
        rows = []
        for plan in plans:
            enterprise = Enterprise(
                name=plan.name,
                credit_code=plan.credit_code,
                ownership=plan.ownership,
                industry=plan.industry,
                headcount=plan.headcount,
                women_headcount=plan.women,
                address=plan.address,
                federation=self.places[plan.place],
                operating_status=plan.status,
                union=unions.get(plan.union_key),
                **dict.fromkeys(plan.focus, True),
            )
            enterprise.search_text = enterprise.build_search_text()
            rows.append(enterprise)
        Enterprise.objects.bulk_create(rows, batch_size=500)
        self._logged(rows, "register.enterprise.created")
        return rows

    def _person(self, gender: str | None = None, name: tuple | None = None) -> Person:
        """An unsaved person with a well-formed mobile and office phone and mixed consents."""
        rng = self.rng
        if name is None:
            gender = gender or rng.choice((Person.Gender.MALE, Person.Gender.FEMALE))
            given = FEMALE_GIVEN if gender == Person.Gender.FEMALE else MALE_GIVEN
            name = (rng.choice(SURNAMES), rng.choice(given), gender)
        surname, given_name, gender = name
        person = Person(
            name=surname + given_name,
            gender=gender,
            mobile=rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
            office_phone=f"0999-{rng.randint(2200000, 8899999)}",
            consent_photo=rng.random() < 0.6,
            consent_mobile=rng.random() < 0.5,
            consent_office_phone=rng.random() < 0.75,
        )
        person.search_text = search_key(person.name)
        return person

    def _committee(self, union: Union) -> list[tuple[str, str | None]]:
        """The positions of a union's committee in office, each with a gender or None."""
        rng = self.rng
        chair_gender = Person.Gender.FEMALE if rng.random() < 0.35 else Person.Gender.MALE
        positions = [(Position.CHAIR, chair_gender)]
        positions += [(Position.VICE_CHAIR, None)] * rng.randint(1, 2)
        positions += [(Position.COMMITTEE_MEMBER, None)] * rng.randint(2, 5)
        if union.has_audit_committee:
            positions += [(Position.AUDIT_COMMITTEE, None)] * rng.randint(1, 2)
        if union.has_women_committee:
            positions += [(Position.WOMEN_COMMITTEE, Person.Gender.FEMALE)] * rng.randint(1, 2)
        return positions

    def _officers(self, unions: dict[str, Union]) -> None:
        """Committees in office for every union and, for ten, the chair they replaced; the
        chairs in office get a photo."""
        rng = self.rng
        persons: list[Person] = []
        rows: list[tuple[Person, Union, dict]] = []  # officers wait for their person's pk
        photos = 0
        with_history = set(rng.sample(list(unions), 10))
        for key, union in unions.items():
            headcount = sum(plan.headcount for plan in self.groups[key])
            is_demo_chair = any(plan.name == CHAIR_ENTERPRISE for plan in self.groups[key])
            for position, gender in self._committee(union):
                is_chair = position == Position.CHAIR
                person = self._person(gender, CHAIR_PERSON if is_chair and is_demo_chair else None)
                person.office_address = union.office_address
                registered = rng.random() < (0.9 if is_chair else 0.75)
                registered_on = union.term_start + datetime.timedelta(days=rng.randint(5, 60))
                persons.append(person)
                data = {
                    "position": position,
                    "term_start": union.term_start,
                    "term_end": union.reelection_due_on - datetime.timedelta(days=1),
                    "is_full_time": is_chair and headcount >= 500,
                    "registration": "registered" if registered else "pending",
                    "registered_on": min(self.today, registered_on) if registered else None,
                }
                rows.append((person, union, data))
                if is_chair and self.photos:
                    photos += 1
                    self._photo(person, photos)
            if key in with_history:  # the previous term's chair, replaced at the election
                person = self._person()
                persons.append(person)
                start = union.term_start.replace(year=union.term_start.year - union.term_years)
                ended = union.term_start - datetime.timedelta(days=1)
                data = {
                    "position": Position.CHAIR,
                    "term_start": start,
                    "term_end": ended,
                    "status": Officer.Status.REPLACED,
                    "ended_on": ended,
                    "registration": "registered",
                    "registered_on": start,
                }
                rows.append((person, union, data))
        Person.objects.bulk_create(persons, batch_size=500)
        officers = [Officer(person=person, union=union, **data) for person, union, data in rows]
        Officer.objects.bulk_create(officers, batch_size=500)
        refresh_officers_changed(officer.union_id for officer in officers)
        self._logged(persons, "register.person.created")
        self._logged(officers, "register.officer.appointed")

    def _photo(self, person: Person, serial: int) -> None:
        """Draw the person's portrait into MEDIA_ROOT under a fixed name and point to it."""
        path = f"{PHOTO_DIR}/chair-{serial:04d}.jpg"
        if default_storage.exists(path):  # a reload into a fresh database keeps the name
            default_storage.delete(path)
        content = ContentFile(render_avatar(person.name[0], serial))
        person.photo.name = default_storage.save(path, content)

    def _contracts(self, unions: dict[str, Union]) -> None:
        """Three signed contracts for the unions that count, shortfalls for eleven, and
        lapsed ones for the unions of enterprises not in production."""
        rng = self.rng
        contract_kinds_ensure_defaults()  # a flushed test database has lost the migration rows
        kinds = {kind.code: kind for kind in ContractKind.objects.filter(code__in=COUNTED_KINDS)}
        singles = [
            key
            for key in unions
            if key.startswith("single")
            and not self.groups[key][0].anchor
            and self.groups[key][0].status == OperatingStatus.IN_PRODUCTION
        ]
        short = rng.sample(singles, 9)
        holdings = {key: SHORTFALLS[i % len(SHORTFALLS)] for i, key in enumerate(short)}
        holdings["joint-west"] = SHORTFALLS[1]
        contracts: list[CollectiveContract] = []
        for key, union in unions.items():
            if self.groups[key][0].status != OperatingStatus.IN_PRODUCTION:
                holding = {"comprehensive": "expired", "wage": "expired"}
            else:
                holding = holdings.get(key, dict.fromkeys(COUNTED_KINDS, "signed"))
            for code in COUNTED_KINDS:
                # Every kind draws the same numbers, so the sequence does not depend on holdings.
                draws = (rng.randint(20, 900), rng.randint(10, 270), rng.random(), rng.random())
                if code in holding:
                    contracts += self._contract(union, kinds[code], holding[code], draws)
        for contract in contracts:  # bulk_create skips save(), which derives the expiry
            if contract.signed_on:
                contract.expires_on = add_months(contract.signed_on, contract.term_months)
        CollectiveContract.objects.bulk_create(contracts, batch_size=500)
        # bulk_create sends no signals: the enterprises' stored three-contract values.
        stored_figures.refresh(Enterprise.objects.filter(union__in=list(unions.values())))
        self._logged(contracts, "register.contract.created")
        records = []
        for contract in contracts:
            if contract.signed_on:
                signed_on = contract.signed_on
            else:  # the last step reached was twenty days ago
                signed_on = self._days_ago(20 + STEP_OFFSETS[contract.step])
            for step in CONTRACT_STEP_ORDER[: CONTRACT_STEP_ORDER.index(contract.step) + 1]:
                day = signed_on + datetime.timedelta(days=STEP_OFFSETS[step])
                records.append(ContractStepRecord(contract=contract, step=step, reached_on=day))
        ContractStepRecord.objects.bulk_create(records, batch_size=1000)

    def _contract(self, union: Union, kind: ContractKind, state: str, draws: tuple) -> list:
        """The contract of one kind in `state`, with last year's wage contract for some.

        Signed contracts are at most 900 (or, for wages, 270) days old, so the figures
        hold for at least three months after loading."""
        months = 12 if kind.code == "wage" else 36
        contract = CollectiveContract(
            union=union, kind=kind, term_months=months, workers_covered=union.member_count
        )
        if state not in SIGNED_STATES:  # still being negotiated
            contract.step = state
            return [contract]
        days_ago = draws[1] if kind.code == "wage" else draws[0]
        if state == "expired":
            days_ago = months * 31 + 20 + draws[1] % 90
        contract.signed_on = self._days_ago(days_ago)
        contract.step = self._reached(
            contract.signed_on, ContractStep.FILED if draws[2] < 0.6 else ContractStep.IN_FORCE
        )
        if kind.code != "wage" or state != "signed" or draws[3] >= 0.4:
            return [contract]
        previous = CollectiveContract(
            union=union,
            kind=kind,
            term_months=12,
            step=ContractStep.FILED,
            signed_on=add_months(contract.signed_on, -12),
            workers_covered=union.member_count,
        )
        return [previous, contract]

    def _reached(self, signed_on: datetime.date, final: str) -> str:
        """The furthest step up to `final` whose date is not in the future."""
        reached = ContractStep.SIGNED
        for step in CONTRACT_STEP_ORDER[CONTRACT_STEP_ORDER.index(ContractStep.SIGNED) :]:
            if signed_on + datetime.timedelta(days=STEP_OFFSETS[step]) <= self.today:
                reached = step
            if step == final:
                break
        return reached

    def _accounts(self, county, enterprises, unions) -> None:
        """The six demo accounts with their roles, and the cadre's work team and assignments.

        An account that already exists keeps its password and names."""
        chair_key = next(
            key
            for key, plans in self.groups.items()
            if any(plan.name == CHAIR_ENTERPRISE for plan in plans)
        )
        roles = {
            "county": (Membership.Role.FEDERATION_STAFF, county),
            "leader": (Membership.Role.LEADER, county),
            "township": (Membership.Role.FEDERATION_STAFF, self.places[CHAIR_TOWNSHIP_CODE]),
            "cadre": (Membership.Role.ASSIGNED_CADRE, county),
            "chair": (Membership.Role.UNION_OFFICER, unions[chair_key]),
        }
        password = make_password(DEMO_PASSWORD)  # hashed once: six hashes take seconds
        users = {}
        for username, (first_name, last_name) in ACCOUNT_NAMES.items():
            is_admin = username == "admin"
            users[username], _ = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "password": password,
                    "is_superuser": is_admin,
                    "is_staff": is_admin,
                },
            )
            if username in roles:
                role, place = roles[username]
                where = {"union" if isinstance(place, Union) else "federation": place}
                Membership.objects.get_or_create(user=users[username], role=role, **where)
        team = WorkTeam.objects.create(federation=county, name="第一工作队")
        team.members.add(users["cadre"])
        operating = [e for e in enterprises if e.operating_status == OperatingStatus.IN_PRODUCTION]
        focus = [e for e in operating if any(getattr(e, name) for name in FOCUS_FIELDS)]
        others = [e for e in operating if e not in focus]
        assignments = [
            Assignment(
                cadre=users["cadre"],
                enterprise=enterprise,
                team=team,
                position_title="县总工会挂点干部",
                public_phone="0999-2106688",
                starts_on=self._days_ago(120),
            )
            for enterprise in self.rng.sample(focus, 4) + self.rng.sample(others, 4)
        ]
        Assignment.objects.bulk_create(assignments)
        self._logged([team], "campaign.work_team.created")
        self._logged(assignments, "campaign.assignment.created")
        build_campaign_demo(
            county=county, users=users, team=team, assignments=assignments, log=self.log
        )
