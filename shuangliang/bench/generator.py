"""A synthetic province for benchmarks and load tests, written fast.

One province → cities → counties → townships and parks; enterprises with a skewed size
(log-normal headcount: many small firms, a few very big ones) spread over skewed townships;
a union for almost every enterprise (small neighbours share a joint union), its officers and
their people, the three contracts, the Double Bright checklist, a public page per union and
a credential per officer in office, plus a few staff accounts. Then two years of activity:
workers' appeals (status by age, deadlines on the working-day calendar, overdue ones
escalated as the daily job does, identities of the named ones, replies and the handlers'
log entries) and inspections against the province's 九有 standard (two published versions,
self, spot, mutual and supervisory checks scored by the app's own scoring rules, and the
rectifications of the failed items).

Rows are built in chunks of enterprises and written with PostgreSQL's COPY (psycopg) or,
on other databases, `bulk_create`; primary keys are assigned here so that related rows and
the federation paths are known before anything is written, and the sequences are reset at
the end. Everything is drawn from one seeded random generator: a scale and a seed always
give the same province.
"""

import datetime
import json
import math
import random
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from shuangliang.appeals import conf
from shuangliang.appeals.models import (
    Appeal,
    Appellant,
    CalendarDay,
    Category,
    Channel,
    Message,
    Route,
    Satisfaction,
    Status,
)
from shuangliang.appeals.selectors import tracking_hash
from shuangliang.appeals.workdays import _is_working as is_working
from shuangliang.core.models import ActionLogEntry, Membership
from shuangliang.core.months import add_months
from shuangliang.core.text import search_key
from shuangliang.doublebright.models import Credential, DoubleBrightStatus, UnionPage
from shuangliang.register import stored_figures
from shuangliang.register.models import (
    PATH_SEGMENT_WIDTH,
    CollectiveContract,
    ContractKind,
    ContractStep,
    Enterprise,
    Federation,
    IndustrySection,
    Officer,
    OperatingStatus,
    Ownership,
    Person,
    Position,
    Union,
    _path_segment,
)
from shuangliang.register.officer_changes import refresh_officers_changed
from shuangliang.register.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from shuangliang.standards import results as standards_results
from shuangliang.standards import scoring
from shuangliang.standards import services as standards_services
from shuangliang.standards.models import (
    Answer,
    Inspection,
    InspectionRound,
    Item,
    Rectification,
    StandardVersion,
)
from shuangliang.statistics import tallies


@dataclass(frozen=True)
class Scale:
    """How big the province is."""

    cities: int
    counties: int
    townships: int
    enterprises: int
    # Share of enterprises covered by a union; small firms may share a joint union.
    union_coverage: float = 0.98
    # Share of the smallest firms (under 25 employees) that join a joint union.
    joint_share: float = 0.25
    # Appeals and inspections; None: the province's 300,000 and 150,000 per 200,000
    # enterprises, scaled down with the enterprises.
    appeals: int | None = None
    inspections: int | None = None

    @property
    def appeal_count(self) -> int:
        return self.appeals if self.appeals is not None else self.enterprises * 3 // 2

    @property
    def inspection_count(self) -> int:
        if self.inspections is not None:
            return self.inspections
        return self.enterprises * 3 // 4


SCALES = {
    "tiny": Scale(cities=2, counties=4, townships=16, enterprises=1_500),
    "small": Scale(cities=4, counties=20, townships=200, enterprises=40_000),
    # The province: 100 counties, 1,000 townships, 200,000 enterprises,
    # about 190,000 unions and 1,000,000 officers.
    "province": Scale(cities=14, counties=100, townships=1_000, enterprises=200_000),
}

PROVINCE_CODE = "990000"  # not a real province: 99 is unused in GB/T 2260
CHUNK = 10_000  # enterprises per chunk of written rows

_BRAND_TEXT = (
    "华盛鑫达宏远永安恒泰金鹏东方新华嘉禾瑞丰汇通中联天成富源明辉长城泰和万通兴业盛世"
    "海纳同创博远卓越信达宝丰正大联创腾飞安康顺发广源德隆荣昌鼎盛福瑞锦程金桥云帆启明"
    "康达凯旋宏达润丰立信华润红星绿源蓝海"
)
BRANDS = tuple(_BRAND_TEXT[i : i + 2] for i in range(0, len(_BRAND_TEXT), 2))  # two characters each
INDUSTRY_WORDS = {
    "A": "农业 林业 养殖 种植 果蔬",
    "B": "矿业 石材 煤业",
    "C": "机械 纺织 电子 食品 化工 建材 服装 家具 塑料 五金 汽配 印刷",
    "D": "电力 燃气 水务 热力",
    "E": "建筑 建设 装饰 路桥 安装",
    "F": "商贸 超市 百货 医药 建材经营 农资",
    "G": "物流 运输 快递 仓储 客运",
    "H": "酒店 餐饮 宾馆 食府",
    "I": "软件 网络 信息 数据 通信",
    "J": "小额贷款 担保 典当",
    "K": "房地产 置业 物业",
    "L": "人力资源 咨询 租赁 广告 保安",
    "M": "检测 设计 科技 研究",
    "N": "环保 园林 环卫",
    "O": "家政 维修 洗涤 美容",
    "P": "培训 职业技术学校 幼儿园",
    "Q": "医院 诊所 养老",
    "R": "文化传媒 体育 影城",
    "S": "协会 商会",
    "T": "代表处",
}
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "厂")
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建红国文辉梅林鹏晓燕志宏")
PLACE_WORDS = list("东南西北中新安平和宁兴福华清河山城湖江桥阳溪石桂龙凤云青松")
TOWNSHIP_SUFFIX = ("镇", "镇", "镇", "乡", "街道")

# (value, weight) tables: the shares of a typical province's register.
OWNERSHIP_WEIGHTS = (
    (Ownership.PRIVATE, 52),
    (Ownership.LIMITED_LIABILITY, 22),
    (Ownership.INDIVIDUAL, 7),
    (Ownership.JOINT_STOCK, 5),
    (Ownership.FOREIGN_INVESTED, 3),
    (Ownership.HMT_INVESTED, 2),
    (Ownership.STATE_OWNED, 4),
    (Ownership.COLLECTIVE, 2),
    (Ownership.JOINT_STOCK_COOPERATIVE, 2),
    (Ownership.OTHER, 1),
)
INDUSTRY_WEIGHTS = tuple(
    zip(
        IndustrySection.values,
        # A  B  C   D  E   F   G  H  I  J  K  L  M  N  O  P  Q  R  S  T
        (3, 1, 34, 1, 10, 15, 6, 7, 4, 1, 3, 5, 3, 1, 2, 1, 1, 1, 0.5, 0.1),
        strict=True,
    )
)
STATUS_WEIGHTS = (
    (OperatingStatus.IN_PRODUCTION, 90),
    (OperatingStatus.UNDER_CONSTRUCTION, 3),
    (OperatingStatus.SUSPENDED, 4),
    (OperatingStatus.CLOSED, 3),
)
# The officers of a union beyond its chair: one seat each, and one more per so many members.
# (position, members per extra seat, most extra seats); about 5.3 officers per union.
SEATS = (
    (Position.VICE_CHAIR, 500, 3),
    (Position.COMMITTEE_MEMBER, 150, 8),
    (Position.AUDIT_COMMITTEE, 1000, 2),
    (Position.WOMEN_COMMITTEE, 1000, 2),
)

# Staff accounts: (username, role, which federation).
BENCH_USERS = (
    ("bench_province", Membership.Role.FEDERATION_STAFF, "province"),
    ("bench_city", Membership.Role.FEDERATION_STAFF, "city"),
    ("bench_county", Membership.Role.FEDERATION_STAFF, "county"),
    ("bench_township", Membership.Role.FEDERATION_STAFF, "township"),
    ("bench_leader", Membership.Role.LEADER, "province"),
)


@dataclass
class GeneratedProvince:
    """What was written: the province, sample places and staff, counts and timings."""

    province: Federation
    city: Federation
    county: Federation
    township: Federation
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    users: dict[str, int] = field(default_factory=dict)  # username → user id


def credit_code(prefix: str, division: str, serial: int, marker: str = "G") -> str:
    """A valid unified social credit code: prefix, the county's division code, an 8-digit
    serial after a marker letter (so generated codes never meet real or imported ones)."""
    body = f"{prefix}{division}{marker}{serial:08d}"
    assert len(body) == 17 and all(c in CREDIT_CODE_ALPHABET for c in body), body
    return body + credit_code_check_character(body)


@cache
def _person_search(name: str) -> str:
    return search_key(name)


def _weighted(rng: random.Random, table) -> Callable[[], object]:
    values = [value for value, _weight in table]
    cumulative = []
    total = 0.0
    for _value, weight in table:
        total += weight
        cumulative.append(total)

    def draw():
        return rng.choices(values, cum_weights=cumulative, k=1)[0]

    return draw


class RowWriter:
    """Writes rows given as {attname: value} dicts: COPY on PostgreSQL, bulk_create elsewhere.

    Fields a row leaves out get the model's default (auto_now fields: the start time)."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.copy = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def _defaults(self, model: type[models.Model]) -> list[tuple[str, object]]:
        out = []
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = self.now
            elif f.has_default() and callable(f.default):
                default = None  # callers always give these (tokens)
            else:
                default = f.get_default()
            out.append((f.attname, default))
        return out

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        if not rows:
            return
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        if not self.copy:
            # bulk_create stamps auto_now(_add) fields with the time of the call; the rows'
            # own dates (two years of appeals, say) are kept by switching that off meanwhile.
            stamped = [
                f
                for f in model._meta.concrete_fields
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            saved = [(f.auto_now, f.auto_now_add) for f in stamped]
            try:
                for f in stamped:
                    f.auto_now = f.auto_now_add = False
                objs = [model(**row) for row in rows]
                for obj in objs:
                    for f in stamped:
                        if getattr(obj, f.attname) is None:
                            setattr(obj, f.attname, self.now)
                model.objects.bulk_create(objs, batch_size=500)
            finally:
                for f, (auto_now, auto_now_add) in zip(stamped, saved, strict=True):
                    f.auto_now, f.auto_now_add = auto_now, auto_now_add
            return
        defaults = self._defaults(model)
        json_columns = {
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
        }
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name, _d in defaults
        )
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row.get(name, default), ensure_ascii=False)
                        if name in json_columns
                        else row.get(name, default)
                        for name, default in defaults
                    ]
                )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _analyze() -> None:
    """Planner statistics for the rows just copied (PostgreSQL; allowed inside the load's
    transaction): without them the statements that follow a load (the stored figures, the
    services, the staff's public-page stamps) are planned for empty tables, and a join the
    planner takes for a few rows ran for minutes on a few thousand."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate_province(
    *,
    scale: Scale,
    seed: int = 8,
    province_code: str = PROVINCE_CODE,
    today: datetime.date | None = None,
    log: Callable[[str], None] | None = None,
) -> GeneratedProvince:
    """Write a synthetic province of `scale`; refuses if `province_code` is taken."""
    if Federation.objects.filter(division_code=province_code).exists():
        raise ValueError(f"A federation with the division code {province_code} already exists.")
    started = time.perf_counter()
    log = log or (lambda message: None)
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    writer = RowWriter(now)
    kinds = list(ContractKind.objects.filter(counts_for_three=True).order_by("sort_order"))
    with transaction.atomic():
        places = _federations(rng, scale, province_code, writer)
        log(f"federations: {len(places.all)}")
        registered = _register(rng, scale, places, kinds, writer, today, now, log)
        _analyze()
        # COPY sends no signals: each union's newest officer change, from its officers.
        refresh_officers_changed(
            Union.objects.filter(federation__path__startswith=places.province["path"])
            .values_list("pk", flat=True)
            .iterator()
        )
        # And the enterprises' stored figures (three contracts, Double Bright), as the
        # register's signals would.
        stored_figures.refresh(
            Enterprise.objects.filter(federation__path__startswith=places.province["path"])
        )
        _appeals(rng, scale, places, registered, writer, today, now, log)
        # The standards are created through their services, whose log entries take ids
        # from the sequences: past the rows just copied.
        _reset_sequences()
        _inspections(rng, scale, places, registered, writer, today, now, log)
        _reset_sequences()
        _analyze()
        # And each union's result (standards.results), as the inspections' signals would.
        standards_results.refresh(
            Inspection.objects.filter(
                union__federation__path__startswith=places.province["path"],
                kind__in=standards_results.INSPECTOR_KINDS,
                state=Inspection.State.SUBMITTED,
            )
        )
        # And the dashboards' tallies (statistics.tallies), as every save's signals would.
        tallies.rebuild_all()
    users = _staff(places)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # What autovacuum does soon after a load: statistics for the planner, and the
        # visibility map that lets counts read indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    province = Federation.objects.get(pk=places.province["id"])
    result = GeneratedProvince(
        province=province,
        city=Federation.objects.get(pk=places.sample_city),
        county=Federation.objects.get(pk=places.sample_county),
        township=Federation.objects.get(pk=places.sample_township),
        counts=writer.counts,
        seconds=round(time.perf_counter() - started, 1),
        users=users,
    )
    log(f"done in {result.seconds}s: {result.counts}")
    return result


@dataclass
class _Places:
    province: dict
    all: list[dict]
    townships: list[dict]  # townships and parks, with "county" (the county's row)
    township_weights: list[float]  # cumulative
    sample_city: int = 0
    sample_county: int = 0
    sample_township: int = 0


def _federations(rng: random.Random, scale: Scale, code: str, writer: RowWriter) -> _Places:
    next_id = _next_id(Federation)
    rows: list[dict] = []
    used_names: set[str] = set()

    def node(name: str, level: str, division: str, parent: dict | None, **extra) -> dict:
        nonlocal next_id
        pk = next_id
        next_id += 1
        path = (parent["path"] if parent else "") + _path_segment(pk)
        row = {
            "id": pk,
            "name": name,
            "level": level,
            "division_code": division,
            "parent_id": parent["id"] if parent else None,
            "path": path,
            "depth": len(path) // PATH_SEGMENT_WIDTH,
            "address": f"{name}人民路{rng.randint(1, 300)}号",
            "phone": f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}",
            "search_text": search_key(name),
            **extra,
        }
        rows.append(row)
        return row

    def place_name(suffix: str) -> str:
        for _attempt in range(100):
            name = "".join(rng.sample(PLACE_WORDS, 2)) + suffix
            if name not in used_names:
                used_names.add(name)
                return name
        name = f"{''.join(rng.sample(PLACE_WORDS, 3))}{len(used_names)}{suffix}"
        used_names.add(name)
        return name

    province = node("示范省总工会", Federation.Level.PROVINCE, code, None)
    cities = [
        node(place_name("市总工会"), Federation.Level.CITY, f"{code[:2]}{i + 1:02d}00", province)
        for i in range(scale.cities)
    ]
    counties = []
    for i in range(scale.counties):
        city = cities[i % len(cities)]
        number = i // len(cities) + 1
        counties.append(
            node(
                place_name("县总工会"),
                Federation.Level.COUNTY,
                f"{city['division_code'][:4]}{number:02d}",
                city,
            )
        )
    # Townships over counties: each county at least one, the rest by a skewed weight.
    county_weights = [rng.lognormvariate(0, 0.5) for _ in counties]
    per_county = [1] * len(counties)
    for _ in range(scale.townships - len(counties)):
        per_county[rng.choices(range(len(counties)), weights=county_weights)[0]] += 1
    townships = []
    for county, count in zip(counties, per_county, strict=True):
        for j in range(count):
            is_park = j > 0 and rng.random() < 0.08
            name = place_name("工业园区工会联合会" if is_park else rng.choice(TOWNSHIP_SUFFIX))
            township = node(
                name,
                Federation.Level.PARK if is_park else Federation.Level.TOWNSHIP,
                f"{county['division_code']}{j + 1:03d}",
                county,
            )
            township["county"] = county
            township["short"] = name[:2]
            townships.append(township)
    writer.write(
        Federation, [{k: v for k, v in r.items() if k not in {"county", "short"}} for r in rows]
    )
    # Enterprises over townships: log-normal, so a few townships hold many enterprises.
    weights, total = [], 0.0
    for _ in townships:
        total += rng.lognormvariate(0, 1.0)
        weights.append(total)
    # The sample county for per-county figures: the median county by township count.
    order = sorted(range(len(counties)), key=lambda i: per_county[i])
    sample_county = counties[order[len(order) // 2]]
    sample_township = next(t for t in townships if t["county"] is sample_county)
    return _Places(
        province=province,
        all=rows,
        townships=townships,
        township_weights=weights,
        sample_city=sample_county["parent_id"],
        sample_county=sample_county["id"],
        sample_township=sample_township["id"],
    )


@dataclass
class _Registered:
    """What the activity needs of the register, kept while it is written."""

    enterprises: list[tuple[int, int | None, int]] = field(default_factory=list)  # id, union, place
    unions: list[tuple[int, int]] = field(default_factory=list)  # id, place
    chairs: dict[int, str] = field(default_factory=dict)  # union id → current chair's name


def _register(rng, scale, places, kinds, writer, today, now, log) -> _Registered:
    registered = _Registered()
    ids = {
        model: _next_id(model)
        for model in (
            Enterprise,
            Union,
            Person,
            Officer,
            CollectiveContract,
            UnionPage,
            Credential,
            DoubleBrightStatus,
        )
    }

    def new_id(model) -> int:
        pk = ids[model]
        ids[model] += 1
        return pk

    draw_ownership = _weighted(rng, OWNERSHIP_WEIGHTS)
    draw_industry = _weighted(rng, INDUSTRY_WEIGHTS)
    draw_status = _weighted(rng, STATUS_WEIGHTS)
    words = {k: v.split() for k, v in INDUSTRY_WORDS.items()}
    serial = _next_id(Enterprise) * 3  # codes stay unique when a second province is generated

    def day_between(start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))

    # One chunk's rows, emptied after each write.
    enterprises, unions, people, officers = [], [], [], []
    contracts, pages, credentials, statuses = [], [], [], []
    chunk_rows = (enterprises, unions, people, officers, contracts, pages, credentials, statuses)
    for chunk_start in range(0, scale.enterprises, CHUNK):
        size = min(CHUNK, scale.enterprises - chunk_start)
        joint_waiting: dict[int, list[dict]] = {}  # township id → small firms without a union

        def add_union(members: list[dict], township: dict, kind: str) -> None:
            union_id = new_id(Union)
            first = members[0]
            headcount = sum(e["headcount"] for e in members)
            if kind == Union.Kind.JOINT:
                name = f"{township['name']}{rng.choice(BRANDS)}片区联合工会委员会"
            else:
                name = f"{first['name']}工会委员会"
            code = None
            if rng.random() < 0.92:
                nonlocal serial
                serial += 1
                code = credit_code("81", township["county"]["division_code"], serial)
            members_count = max(1, int(headcount * rng.uniform(0.75, 1.0)))
            women = min(members_count, int(members_count * rng.uniform(0.2, 0.6)))
            founded = day_between(datetime.date(2003, 1, 1), today - datetime.timedelta(days=400))
            term_years = 5 if rng.random() < 0.8 else 3
            # Most terms are running; about 6 % have lapsed (re-election overdue).
            if rng.random() < 0.06:
                term_start = today - datetime.timedelta(days=365 * term_years + rng.randint(1, 500))
            else:
                term_start = today - datetime.timedelta(days=rng.randint(30, 365 * term_years - 30))
            term_start = max(term_start, founded)
            term_end = add_months(term_start, 12 * term_years) - datetime.timedelta(days=1)
            office_address = (
                f"{first['address']}办公楼{rng.randint(1, 9)}0{rng.randint(1, 9)}室"
                if rng.random() < 0.9
                else ""
            )
            unions.append(
                {
                    "id": union_id,
                    "name": name,
                    "kind": kind,
                    "federation_id": township["id"],
                    "founded_on": founded,
                    "credit_code": code,
                    "member_count": members_count,
                    "women_member_count": women,
                    "office_address": office_address,
                    "office_phone": f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}",
                    "term_start": term_start,
                    "term_years": term_years,
                    "has_audit_committee": rng.random() < 0.85,
                    "has_women_committee": women > 0 and rng.random() < 0.75,
                    "search_text": search_key(name, code),
                }
            )
            for enterprise in members:
                enterprise["union_id"] = union_id
            pages.append({"id": new_id(UnionPage), "union_id": union_id, "token": _token()})
            # Officers: a chair always; other seats by size.
            seats = [Position.CHAIR]
            committees = {
                Position.AUDIT_COMMITTEE: unions[-1]["has_audit_committee"],
                Position.WOMEN_COMMITTEE: unions[-1]["has_women_committee"],
            }
            for position, per_seat, most in SEATS:
                if committees.get(position, True):
                    seats += [position] * (1 + min(most, members_count // per_seat))
            latest_start = term_start
            registered.unions.append((union_id, township["id"]))
            for position in seats:
                person_id = new_id(Person)
                surname = rng.choice(SURNAMES)
                pname = surname + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))
                people.append(
                    {
                        "id": person_id,
                        "name": pname,
                        "gender": rng.choice(("female", "male")),
                        "mobile": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                        "office_phone": unions[-1]["office_phone"] if rng.random() < 0.5 else "",
                        "office_address": office_address,
                        "consent_photo": False,
                        "consent_mobile": rng.random() < 0.7,
                        "consent_office_phone": rng.random() < 0.8,
                        "search_text": _person_search(pname),
                    }
                )
                officer_id = new_id(Officer)
                if position == Position.CHAIR and union_id not in registered.chairs:
                    registered.chairs[union_id] = pname
                is_registered = rng.random() < 0.85
                officers.append(
                    {
                        "id": officer_id,
                        "person_id": person_id,
                        "union_id": union_id,
                        "position": position,
                        "term_start": term_start,
                        "term_end": term_end,
                        "is_full_time": members_count > 1000 and position == Position.CHAIR,
                        "registration": "registered" if is_registered else "pending",
                        "registered_on": term_start if is_registered else None,
                        "status": Officer.Status.ACTIVE,
                    }
                )
                if term_end >= today:
                    credentials.append(
                        {"id": new_id(Credential), "officer_id": officer_id, "token": _token()}
                    )
            # One union in ten changed its chair during the term: the old chair's row stays.
            if rng.random() < 0.1 and (today - term_start).days > 60:
                changed = term_start + datetime.timedelta(days=rng.randint(1, 30))
                officers[-len(seats)]["term_start"] = changed  # the current chair since then
                latest_start = changed
                person_id = new_id(Person)
                pname = rng.choice(SURNAMES) + rng.choice(GIVEN)
                people.append(
                    {
                        "id": person_id,
                        "name": pname,
                        "gender": rng.choice(("female", "male")),
                        "mobile": f"139{rng.randint(0, 99999999):08d}",
                        "search_text": _person_search(pname),
                    }
                )
                officers.append(
                    {
                        "id": new_id(Officer),
                        "person_id": person_id,
                        "union_id": union_id,
                        "position": Position.CHAIR,
                        "term_start": term_start,
                        "term_end": changed - datetime.timedelta(days=1),
                        "registration": "registered",
                        "registered_on": term_start,
                        "status": Officer.Status.REPLACED,
                        "ended_on": changed - datetime.timedelta(days=1),
                    }
                )
            contracts.extend(_contracts(rng, kinds, union_id, members_count, today, new_id))
            statuses.append(_status(rng, union_id, latest_start, today, now, new_id))

        for _ in range(size):
            township = rng.choices(places.townships, cum_weights=places.township_weights)[0]
            industry = draw_industry()
            # Log-normal headcount: median about 40, a long tail of big employers.
            headcount = max(3, min(80_000, int(rng.lognormvariate(math.log(40), 1.3))))
            name = (
                f"{township['short']}{rng.choice(BRANDS)}{rng.choice(words[industry])}"
                f"{rng.choice(SUFFIXES)}"
            )
            serial += 1
            code = credit_code("91", township["county"]["division_code"], serial)
            enterprise = {
                "id": new_id(Enterprise),
                "name": name,
                "credit_code": code,
                "ownership": draw_ownership(),
                "industry": industry,
                "headcount": headcount,
                "women_headcount": int(headcount * rng.uniform(0.15, 0.65)),
                "address": f"{township['name']}{rng.choice(PLACE_WORDS)}{rng.choice('路街道')}"
                f"{rng.randint(1, 999)}号",
                "federation_id": township["id"],
                "operating_status": draw_status(),
                "focus_production_difficulty": rng.random() < 0.04,
                "focus_hardship": rng.random() < 0.05,
                "focus_labour_disputes": rng.random() < 0.02,
                "focus_weak_union": rng.random() < 0.06,
                "union_id": None,
                "search_text": search_key(name, code),
            }
            enterprises.append(enterprise)
            if rng.random() >= scale.union_coverage:
                continue
            if headcount < 25 and rng.random() < scale.joint_share:
                waiting = joint_waiting.setdefault(township["id"], [])
                waiting.append(enterprise)
                if len(waiting) >= rng.randint(3, 6):
                    add_union(waiting, township, Union.Kind.JOINT)
                    joint_waiting[township["id"]] = []
                continue
            add_union([enterprise], township, Union.Kind.SINGLE)
        for township_id, waiting in joint_waiting.items():
            if waiting:
                township = next(t for t in places.townships if t["id"] == township_id)
                add_union(waiting, township, Union.Kind.JOINT)

        registered.enterprises.extend(
            (e["id"], e["union_id"], e["federation_id"]) for e in enterprises
        )
        writer.write(Union, unions)
        writer.write(Enterprise, enterprises)
        writer.write(Person, people)
        writer.write(Officer, officers)
        writer.write(CollectiveContract, contracts)
        writer.write(UnionPage, pages)
        writer.write(Credential, credentials)
        writer.write(DoubleBrightStatus, statuses)
        for rows in chunk_rows:
            rows.clear()
        log(f"enterprises {chunk_start + size:,}/{scale.enterprises:,}")
    return registered


def _token() -> str:
    return secrets.token_urlsafe(9)


def _contracts(rng, kinds, union_id, members, today, new_id) -> list[dict]:
    """Most unions hold every counted contract in force; the rest are somewhere on the way."""
    out = []
    complete = rng.random() < 0.88
    for kind in kinds:
        if complete:
            step = rng.choice((ContractStep.IN_FORCE, ContractStep.FILED, ContractStep.SIGNED))
        elif rng.random() < 0.5:
            step = rng.choice(list(ContractStep.values))
        else:
            continue
        signed = step in {ContractStep.SIGNED, ContractStep.SUBMITTED, ContractStep.REVIEWED}
        signed = signed or step in {ContractStep.IN_FORCE, ContractStep.FILED}
        months = kind.default_term_months
        signed_on = today - datetime.timedelta(days=rng.randint(10, 30 * months - 20))
        out.append(
            {
                "id": new_id(CollectiveContract),
                "union_id": union_id,
                "kind_id": kind.pk,
                "step": step,
                "signed_on": signed_on if signed else None,
                "term_months": months,
                "expires_on": add_months(signed_on, months) if signed else None,
                "workers_covered": members,
            }
        )
    return out


def _status(rng, union_id, latest_start, today, now, new_id) -> dict:
    """The Double Bright checklist: over half confirmed, the rest on the way."""
    roll = rng.random()
    state = (
        DoubleBrightStatus.State.CONFIRMED
        if roll < 0.58
        else DoubleBrightStatus.State.SUBMITTED
        if roll < 0.70
        else DoubleBrightStatus.State.REJECTED
        if roll < 0.75
        else DoubleBrightStatus.State.DRAFT
    )
    done = state != DoubleBrightStatus.State.DRAFT or rng.random() < 0.3
    row = {
        "id": new_id(DoubleBrightStatus),
        "union_id": union_id,
        "state": state,
        "signboard_hung": done,
        "signboard_photo": f"doublebright/evidence/sb{union_id}.jpg" if done else "",
        "identities_posted": done,
        "notice_board_photo": f"doublebright/evidence/nb{union_id}.jpg" if done else "",
        "badges_worn": done,
        "contact_cards_handed_out": rng.randint(5, 200) if done else 0,
        "address_published": done,
    }
    if state != DoubleBrightStatus.State.DRAFT:
        # Submitted after the latest change of officers, so a confirmed one counts.
        earliest = min(today, latest_start + datetime.timedelta(days=1))
        submitted_on = earliest + datetime.timedelta(
            days=rng.randint(0, max(0, (today - earliest).days))
        )
        submitted_at = timezone.make_aware(
            datetime.datetime.combine(submitted_on, datetime.time(10, 0))
        )
        row.update(submitted_at=min(submitted_at, now), submitted_on=submitted_on)
        if state in {DoubleBrightStatus.State.CONFIRMED, DoubleBrightStatus.State.REJECTED}:
            row["decided_at"] = min(submitted_at + datetime.timedelta(days=3), now)
        if state == DoubleBrightStatus.State.REJECTED:
            row["rejection_reason"] = "公示栏照片不清晰，请重新上传。"
    return row


# Activity: two years of appeals and inspections ---------------------------------------------

# (category code, weight, what workers write about); unknown codes (edited categories) take
# the weight of "other".
APPEAL_TOPICS = {
    "unpaid_wages": (25, ("拖欠三个月工资", "工资发放不及时", "克扣绩效工资", "年终奖金未兑现")),
    "social_insurance": (12, ("未缴纳社会保险", "社保缴费基数偏低", "住房公积金未缴纳")),
    "labour_contract": (10, ("未签订书面劳动合同", "劳动合同到期未续签", "试用期约定过长")),
    "working_hours": (12, ("长期加班无加班费", "周末加班未安排调休", "每天工作超过十小时")),
    "safety_health": (8, ("车间粉尘大无防护", "未发放劳动防护用品", "职业病体检未安排")),
    "dismissal": (10, ("被无故辞退", "解除劳动合同未支付补偿", "调岗降薪后被迫离职")),
    "women_rights": (4, ("孕期被调岗降薪", "产假工资未发放", "哺乳时间未落实")),
    "hardship": (5, ("家庭困难申请帮扶", "子女上学困难", "大病医疗救助")),
    "union_affairs": (4, ("工会换届未按期进行", "工会经费使用不公开", "会员意见无人回应")),
    "suggestion": (5, ("建议增设职工食堂", "建议开展技能培训", "建议改善宿舍条件")),
    "other": (5, ("咨询劳动法律问题", "反映通勤班车问题", "其他劳动权益问题")),
}
SATISFACTION_WEIGHTS = (
    (Satisfaction.SATISFIED, 72),
    (Satisfaction.PARTLY, 16),
    (Satisfaction.NOT, 7),
    ("", 5),
)
DECLINE_REASON = "所反映问题已进入劳动仲裁程序，不属于工会受理范围，请关注仲裁结果。"
EXTENSION_REASON = "案情复杂，涉及多名职工，需进一步调查核实。"
REPLY = "经调查核实，已督促企业整改，相关款项将于本月底前补发到位。如有疑问请继续留言。"


def _at(rng: random.Random, day: datetime.date, first_hour: int = 8, last_hour: int = 21):
    """An aware time on `day` between the given hours, in the project's time zone."""
    moment = datetime.time(rng.randint(first_hour, last_hour), rng.randint(0, 59))
    return datetime.datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def _appeals(rng, scale, places, registered, writer, today, now, log) -> None:
    """Appeals submitted over the last two years, each as far along as its age allows."""
    count = scale.appeal_count
    if not count or not registered.enterprises:
        return
    federations = {row["id"]: row for row in places.all}
    categories = list(Category.objects.order_by("sort_order", "id"))
    draw_category = _weighted(
        rng,
        [(c, APPEAL_TOPICS.get(c.code, APPEAL_TOPICS["other"])[0]) for c in categories],
    )
    draw_satisfaction = _weighted(rng, SATISFACTION_WEIGHTS)
    content_type_id = ContentType.objects.get_for_model(Appeal).pk
    accept_days, conclude_days = conf.accept_working_days(), conf.conclude_working_days()
    # appeals.workdays.add_working_days without a query per date: the calendar's exceptions
    # read once, the same rule for each day.
    calendar = dict(CalendarDay.objects.values_list("date", "kind"))
    due_cache: dict[tuple[datetime.date, int], datetime.date] = {}

    def due(day: datetime.date, days: int) -> datetime.date:
        key = (day, days)
        if key not in due_cache:
            end, counted = day, 0
            while counted < days:
                end += datetime.timedelta(days=1)
                counted += is_working(end, calendar)
            due_cache[key] = end
        return due_cache[key]

    zone = timezone.get_default_timezone()

    def day_of(moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(zone).date()

    next_appeal, next_message, next_entry = (
        _next_id(Appeal),
        _next_id(Message),
        _next_id(ActionLogEntry),
    )
    appeals, appellants, messages, entries = [], [], [], []
    for n in range(count):
        appeal_id = next_appeal
        next_appeal += 1
        category = draw_category()
        topic = rng.choice(APPEAL_TOPICS.get(category.code, APPEAL_TOPICS["other"])[1])
        # Intake: most concern an enterprise; the rest name only the place.
        enterprise_id = union_id = None
        if rng.random() < 0.92:
            enterprise_id, union_id, place_id = rng.choice(registered.enterprises)
        else:
            place_id = rng.choice(places.townships)["id"]
        place = federations[place_id]
        if union_id is not None:
            channel = rng.choices(
                (Channel.UNION_PAGE, Channel.FEDERATION_PAGE, Channel.GENERAL), (55, 25, 20)
            )[0]
        else:
            channel = rng.choice((Channel.FEDERATION_PAGE, Channel.GENERAL))
        wants_union = union_id is not None and rng.random() < (
            0.7 if channel == Channel.UNION_PAGE else 0.15
        )
        about_union = category.concerns_union or (union_id is not None and rng.random() < 0.02)
        if wants_union and not about_union:
            route, handling_federation, handling_union = Route.UNION, place_id, union_id
        else:
            # appeals.services.appeal_routing: an enterprise's concern goes to its county,
            # a concern about a place to that place.
            route, handling_union = Route.FEDERATION, None
            handling_federation = place["parent_id"] if enterprise_id is not None else place_id
        anonymous = rng.random() < 0.35
        # Two years, more of them lately.
        age = int(730 * rng.random() ** 1.4)
        submitted_at = _at(rng, today - datetime.timedelta(days=age))
        submitted_at = min(submitted_at, now - datetime.timedelta(minutes=1))
        submitted_on = day_of(submitted_at)
        row = {
            "id": appeal_id,
            "category_id": category.pk,
            "subject": f"{category.name}：{topic}"[:100],
            "body": f"本人在单位工作，{topic}，多次向单位反映未果，请工会帮助协调解决。",
            "channel": channel,
            "enterprise_id": enterprise_id,
            "route": route,
            "requested_route": Route.UNION if wants_union else Route.FEDERATION,
            "about_union": about_union,
            "is_anonymous": anonymous,
            "identity_to_union": bool(
                not anonymous and route == Route.UNION and rng.random() < 0.6
            ),
            "handling_federation_id": handling_federation,
            "handling_union_id": handling_union,
            "status": Status.SUBMITTED,
            "accept_due_on": due(submitted_on, accept_days),
            "submitted_at": submitted_at,
            "tracking_hash": tracking_hash(secrets.token_hex(16)),
        }
        scope_path = place["path"] if enterprise_id is not None else ""
        events: list[tuple[datetime.datetime, str, dict]] = [
            (
                submitted_at,
                "appeals.appeal.submitted",
                {"route": route, "anonymous": anonymous, "channel": channel, "attachments": 0},
            )
        ]

        def escalate(due_on, handled_on, row=row, events=events):
            _escalate(rng, row, events, federations, due_on, handled_on, today, now)

        # A few lie untouched or get stuck in handling: the overdue ones.
        stuck = rng.random()
        decided_at = submitted_at + datetime.timedelta(
            days=rng.randint(30, 400) if stuck < 0.01 else rng.randint(0, 24),
            hours=rng.randint(1, 8),
        )
        if decided_at >= now:
            escalate(row["accept_due_on"], None)
        elif rng.random() < 0.05:
            row.update(status=Status.DECLINED, decline_reason=DECLINE_REASON, closed_at=decided_at)
            escalate(row["accept_due_on"], day_of(decided_at))
            events.append(
                (
                    decided_at,
                    "appeals.appeal.declined",
                    {"from": "submitted", "to": "declined", "reason": DECLINE_REASON},
                )
            )
        else:
            escalate(row["accept_due_on"], day_of(decided_at))
            conclude_due = due(day_of(decided_at), conclude_days)
            row.update(status=Status.ACCEPTED, accepted_at=decided_at)
            events.append(
                (decided_at, "appeals.appeal.accepted", {"from": "submitted", "to": "accepted"})
            )
            started_at = decided_at + datetime.timedelta(hours=rng.randint(2, 120))
            handling_days = (
                rng.uniform(90, 500)
                if stuck > 0.96
                else min(150, rng.lognormvariate(math.log(20), 0.8))
            )
            answered_at = started_at + datetime.timedelta(
                days=handling_days, hours=rng.randint(0, 6)
            )
            # One in twenty is extended once, halfway through and before its deadline.
            extended_at = started_at + (answered_at - started_at) / 2
            if rng.random() < 0.05 and extended_at < now and day_of(extended_at) <= conclude_due:
                days = rng.randint(5, conf.max_extension_working_days())
                extended = due(conclude_due, days)
                row.update(extension_days=days, extension_reason=EXTENSION_REASON)
                change = {"conclude_due_on": [conclude_due.isoformat(), extended.isoformat()]}
                events.append((extended_at, "appeals.appeal.extended", {"changes": change}))
                conclude_due = extended
            row["conclude_due_on"] = conclude_due
            if started_at < now:
                row["status"] = Status.IN_PROGRESS
                events.append(
                    (
                        started_at,
                        "appeals.appeal.in_progress",
                        {"from": "accepted", "to": "in_progress"},
                    )
                )
            if answered_at >= now:
                escalate(conclude_due, None)
            else:
                escalate(conclude_due, day_of(answered_at))
                row.update(status=Status.ANSWERED, answered_at=answered_at)
                messages.append(
                    {
                        "id": next_message,
                        "appeal_id": appeal_id,
                        "direction": Message.Direction.TO_WORKER,
                        "body": REPLY,
                        "created_at": answered_at,
                    }
                )
                next_message += 1
                events.append(
                    (
                        answered_at,
                        "appeals.appeal.answered",
                        {"from": "in_progress", "to": "answered"},
                    )
                )
                closed_at = answered_at + datetime.timedelta(days=rng.randint(1, 20), hours=2)
                if closed_at < now:
                    satisfaction = draw_satisfaction()
                    by_worker = bool(satisfaction) and rng.random() < 0.4
                    row.update(status=Status.CLOSED, closed_at=closed_at, satisfaction=satisfaction)
                    events.append(
                        (
                            closed_at,
                            "appeals.appeal.closed",
                            {
                                "from": "answered",
                                "to": "closed",
                                "satisfaction": satisfaction,
                                "by": "worker" if by_worker else "handler",
                            },
                        )
                    )
        if not anonymous:
            appellants.append(
                {
                    "appeal_id": appeal_id,
                    "name": rng.choice(SURNAMES)
                    + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    "phone": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                }
            )
        events.sort(key=lambda event: event[0])
        row["updated_at"] = events[-1][0]
        appeals.append(row)
        object_repr = f"#{appeal_id} {row['subject']}"[:200]
        for at, action_type, data in events:
            entries.append(
                {
                    "id": next_entry,
                    "content_type_id": content_type_id,
                    "object_id": str(appeal_id),
                    "object_repr": object_repr,
                    "action_type": action_type,
                    "scope_path": scope_path,
                    "timestamp": at,
                    "data": data,
                }
            )
            next_entry += 1
        if len(appeals) >= CHUNK * 2 or n == count - 1:
            writer.write(Appeal, appeals)
            writer.write(Appellant, appellants)
            writer.write(Message, messages)
            writer.write(ActionLogEntry, entries)
            for rows in (appeals, appellants, messages, entries):
                rows.clear()
            log(f"appeals {n + 1:,}/{count:,}")


def _escalate(rng, row, events, federations, due_on, handled_on, today, now) -> None:
    """What the daily job (appeals_escalate_overdue) does the day after a deadline passed
    while the appeal was still open: escalate it once, to the next federation up."""
    if row.get("escalated_at") or due_on >= (handled_on or today):
        return
    on = due_on + datetime.timedelta(days=1)
    at = min(_at(rng, on, 2, 2), now)
    handling = row["handling_federation_id"]
    parent = federations[handling]["parent_id"] or handling
    row.update(escalated_to_id=parent, escalated_at=at)
    events.append(
        (at, "appeals.appeal.escalated", {"to": federations[parent]["name"], "on": on.isoformat()})
    )


# (share of unions, quality): the spread of grades an honest season shows.
QUALITY_TIERS = ((0.2, 0.97), (0.4, 0.86), (0.25, 0.72), (0.15, 0.55))


def _inspections(rng, scale, places, registered, writer, today, now, log) -> None:
    """Last year's and this year's checks of the unions against the province's 九有
    standard: version 1 last year, version 2 (a stricter "qualified") this year."""
    count = min(scale.inspection_count, 5 * len(registered.unions))
    if not count:
        return
    province = Federation.objects.get(pk=places.province["id"])
    standard = standards_services.standard_from_template(
        actor=None, federation=province, code="nine_haves"
    )
    versions = {}
    for year, number in ((today.year - 1, 1), (today.year, 2)):
        if number > 1:
            draft = standards_services.standard_draft(actor=None, standard=standard)
            draft.threshold_qualified = 80
            draft.save(update_fields=["threshold_qualified"])
        version = standards_services.standard_publish(actor=None, standard=standard)
        published_at = min(now, _at(rng, datetime.date(year, 1, 10), 10, 10))
        StandardVersion.objects.filter(pk=version.pk).update(
            published_at=published_at, created_at=published_at
        )
        items = list(version.items.order_by("section__position", "position", "pk"))
        thresholds = (version.threshold_model, version.threshold_qualified, version.threshold_basic)
        versions[year] = (version, items, thresholds)
    federations = {row["id"]: row for row in places.all}
    by_place: dict[int, list[int]] = {}
    for union_id, place_id in registered.unions:
        by_place.setdefault(place_id, []).append(union_id)
    quality = {}
    for union_id, _place in registered.unions:
        roll = rng.random()
        for share, level in QUALITY_TIERS:
            quality[union_id] = level
            if roll < share:
                break
            roll -= share

    def check_day(year: int) -> datetime.date:
        start = datetime.date(year, 3, 1)
        end = min(datetime.date(year, 12, 20), today - datetime.timedelta(days=1))
        if end < start:
            start = datetime.date(year, 1, 1)
        day = start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))
        return min(day, today)

    ids = {model: _next_id(model) for model in (InspectionRound, Inspection, Answer, Rectification)}

    def new_id(model) -> int:
        pk = ids[model]
        ids[model] += 1
        return pk

    rounds: dict[tuple[int, int, str], dict] = {}  # (county, year, kind) → row

    def round_for(county: dict, year: int, kind: str) -> dict:
        key = (county["id"], year, kind)
        if key not in rounds:
            label = "抽查" if kind == InspectionRound.Kind.SPOT else "互查"
            created = min(now, _at(rng, datetime.date(year, 2, 20), 9, 17))
            rounds[key] = {
                "id": new_id(InspectionRound),
                "federation_id": county["id"],
                "kind": kind,
                "name": f"{year}年度{county['name'][:-3]}“九有”规范化建设{label}",
                "version_id": versions[year][0].pk,
                "year": year,
                "due_on": datetime.date(year, 11, 30),
                "seed": f"{rng.getrandbits(64):016x}",
                "params": {},
                "drawn": [],
                "created_at": created,
            }
        return rounds[key]

    def answer(item, level_of_quality: float) -> dict:
        odds = min(1.0, level_of_quality + 0.2) if item.mandatory else level_of_quality
        passed = rng.random() < odds
        row = {"not_applicable": False, "yes": None, "level": None, "number": None, "note": ""}
        if item.allow_na and rng.random() < 0.1:
            row["not_applicable"] = True
        elif item.judgement == Item.Judgement.YES_NO:
            row["yes"] = passed
        elif item.judgement == Item.Judgement.SCALE:
            row["level"] = item.scale_max if passed else rng.randint(0, item.pass_level - 1)
        else:
            threshold = item.threshold or Decimal(0)
            delta = Decimal(rng.randint(1, 15))
            row["number"] = threshold + delta if passed else max(Decimal(0), threshold - delta)
        if not passed:
            row["note"] = "现场查看未达标"
        return row

    inspections, answers, rectifications = [], [], []

    def flush() -> None:
        writer.write(Inspection, inspections)
        writer.write(Answer, answers)
        writer.write(Rectification, rectifications)
        for rows in (inspections, answers, rectifications):
            rows.clear()

    # Five slots per union, drawn without replacement: self-checks and spot checks of both
    # years, and a mutual (this year) or supervisory (last year) check.
    unions = registered.unions
    slots = sorted(rng.sample(range(5 * len(unions)), count))
    this_year, last_year = today.year, today.year - 1
    for n, slot in enumerate(slots):
        index, kind_slot = divmod(slot, 5)
        union_id, place_id = unions[index]
        county = federations[federations[place_id]["parent_id"]]
        year = (last_year, this_year, last_year, this_year, None)[kind_slot]
        kind = (
            Inspection.Kind.SELF,
            Inspection.Kind.SELF,
            Inspection.Kind.SPOT,
            Inspection.Kind.SPOT,
            None,
        )[kind_slot]
        inspector_union = None
        if kind is None:
            neighbours = by_place[place_id]
            if index % 2 == 0 and len(neighbours) > 1:
                kind, year = Inspection.Kind.MUTUAL, this_year
                inspector_union = neighbours[(neighbours.index(union_id) + 1) % len(neighbours)]
            else:
                kind, year = Inspection.Kind.SUPERVISORY, last_year
        version, items, thresholds = versions[year]
        row = {
            "id": new_id(Inspection),
            "kind": kind,
            "union_id": union_id,
            "version_id": version.pk,
            "round_id": None,
            "year": year,
            "state": Inspection.State.DRAFT,
            "inspector_union_id": inspector_union,
            "grade": "",
            "mandatory_failed": False,
        }
        if kind in (Inspection.Kind.SPOT, Inspection.Kind.MUTUAL):
            inspection_round = round_for(county, year, kind)
            row["round_id"] = inspection_round["id"]
            inspection_round["drawn"].append(
                [inspector_union, union_id] if inspector_union else union_id
            )
        day = check_day(year)
        submitted = year == last_year or rng.random() < (0.9 if kind == "self" else 0.8)
        submitted_at = min(now, _at(rng, day, 9, 17))
        created_at = min(submitted_at, _at(rng, day - datetime.timedelta(days=rng.randint(1, 20))))
        row.update(created_at=created_at, updated_at=submitted_at if submitted else created_at)
        if submitted:
            judged = []
            own = min(1.0, quality[union_id] + (0.1 if kind == Inspection.Kind.SELF else 0))
            for item in items:
                given = answer(item, own)
                result = scoring.judge(
                    item,
                    not_applicable=given["not_applicable"],
                    yes=given["yes"],
                    level=given["level"],
                    number=given["number"],
                )
                judged.append((item, result))
                answers.append(
                    {
                        "id": new_id(Answer),
                        "inspection_id": row["id"],
                        "item_id": item.pk,
                        **given,
                        "earned": result.earned,
                        "failed": result.failed,
                        "updated_at": submitted_at,
                    }
                )
                if result.failed and kind != Inspection.Kind.SELF:
                    rectifications.append(
                        _rectification(
                            rng,
                            row["id"],
                            item,
                            union_id,
                            given["note"],
                            day,
                            today,
                            now,
                            registered.chairs.get(union_id, "工会主席"),
                            new_id,
                        )
                    )
            result = scoring.score(judged, thresholds)
            row.update(
                state=Inspection.State.SUBMITTED,
                submitted_at=submitted_at,
                earned=result.earned,
                possible=result.possible,
                percent=result.percent,
                grade=result.grade,
                mandatory_failed=result.mandatory_failed,
            )
        inspections.append(row)
        if len(inspections) >= CHUNK:
            flush()
            log(f"inspections {n + 1:,}/{count:,}")
    writer.write(InspectionRound, list(rounds.values()))
    flush()


def _rectification(
    rng, inspection_id, item, union_id, note, day, today, now, responsible, new_id
) -> dict:
    """The task a failed item opens (standards.services), as far along as its age allows."""
    deadline = day + datetime.timedelta(days=standards_services.RECTIFICATION_DAYS)
    row = {
        "id": new_id(Rectification),
        "inspection_id": inspection_id,
        "item_id": item.pk,
        "union_id": union_id,
        "state": Rectification.State.OPEN,
        "problem": (note or item.text)[:500],
        "deadline": deadline,
        "responsible": responsible,
        "created_at": min(now, _at(rng, day, 17, 17)),
    }
    closed_at = _at(rng, day + datetime.timedelta(days=rng.randint(5, 45)), 9, 17)
    verified_at = closed_at + datetime.timedelta(days=rng.randint(3, 20))
    roll = rng.random()
    if closed_at < now and roll < 0.85:
        row.update(
            state=Rectification.State.CLOSED,
            closing_note="已按要求整改到位，附整改前后对比。",
            closed_at=closed_at,
        )
        if verified_at < now and roll < 0.6:
            row.update(state=Rectification.State.VERIFIED, verified_at=verified_at)
    row["updated_at"] = max(
        v for v in (row["created_at"], row.get("closed_at"), row.get("verified_at")) if v
    )
    return row


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(
        no_style(),
        [
            Federation,
            Enterprise,
            Union,
            Person,
            Officer,
            CollectiveContract,
            UnionPage,
            Credential,
            DoubleBrightStatus,
            Appeal,
            Message,
            ActionLogEntry,
            InspectionRound,
            Inspection,
            Answer,
            Rectification,
        ],
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _staff(places: _Places) -> dict[str, int]:
    """A staff account at each level, without a usable password (tests and the bench log
    them in directly); existing accounts of the same name are reused."""
    User = get_user_model()
    where = {
        "province": places.province["id"],
        "city": places.sample_city,
        "county": places.sample_county,
        "township": places.sample_township,
    }
    users = {}
    for username, role, place in BENCH_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, role=role, federation_id=where[place])
        users[username] = user.pk
    return users


def public_page_tokens(limit: int | None = None) -> Iterable[str]:
    """Tokens of public union pages, in id order (for load tests)."""
    qs = UnionPage.objects.order_by("id").values_list("token", flat=True)
    return qs[:limit] if limit else qs
