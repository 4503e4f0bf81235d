"""A synthetic province for benchmarks and load tests, written fast.

One province → cities → counties → townships and parks; enterprises with a skewed size
(log-normal headcount: many small firms, a few very big ones) spread over skewed townships;
a union for almost every enterprise (small neighbours share a joint union), its officers and
their people, the three contracts, the Double Bright checklist, a public page per union and
a credential per officer in office, plus a few staff accounts.

Rows are built in chunks of enterprises and written with PostgreSQL's COPY (psycopg) or,
on other databases, `bulk_create`; primary keys are assigned here so that related rows and
the federation paths are known before anything is written, and the sequences are reset at
the end. Everything is drawn from one seeded random generator: a scale and a seed always
give the same province.
"""

import datetime
import math
import random
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from shuangliang.core.models import Membership
from shuangliang.core.text import search_key
from shuangliang.doublebright.models import Credential, DoubleBrightStatus, UnionPage
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
    add_months,
)
from shuangliang.register.officer_changes import refresh_officers_changed
from shuangliang.register.validators import CREDIT_CODE_ALPHABET, credit_code_check_character


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
            model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
            return
        defaults = self._defaults(model)
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name, _d in defaults
        )
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row.get(name, default) for name, default in defaults])


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


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
        _register(rng, scale, places, kinds, writer, today, now, log)
        # COPY sends no signals: each union's newest officer change, from its officers.
        refresh_officers_changed(
            Union.objects.filter(federation__path__startswith=places.province["path"])
            .values_list("pk", flat=True)
            .iterator()
        )
        _reset_sequences()
    users = _staff(places)
    if connection.vendor == "postgresql":
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


def _register(rng, scale, places, kinds, writer, today, now, log) -> None:
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
                registered = rng.random() < 0.85
                officers.append(
                    {
                        "id": officer_id,
                        "person_id": person_id,
                        "union_id": union_id,
                        "position": position,
                        "term_start": term_start,
                        "term_end": term_end,
                        "is_full_time": members_count > 1000 and position == Position.CHAIR,
                        "registration": "registered" if registered else "pending",
                        "registered_on": term_start if registered else None,
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
