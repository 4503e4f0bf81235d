"""The demo's enterprises and who shares which union, planned in memory before any write.

Planning draws only from the seeded generator, never from the date, so names, codes and
the union layout are the same on every load.
"""

import random
from dataclasses import dataclass, field

from shuangliang.register.models import OperatingStatus, Ownership
from shuangliang.register.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

from .data import (
    ANCHORS,
    BRANDS,
    COUNTY_CODE,
    OWNERSHIPS,
    PARK_CODE,
    PARK_SECTIONS,
    PLACES,
    TOWNSHIP_SECTIONS,
    TRADES,
)

FOCUS_FIELDS = (
    "focus_production_difficulty",
    "focus_hardship",
    "focus_labour_disputes",
    "focus_weak_union",
)
# Enterprises in production without a union, and the joint unions: (key, place, size).
NO_UNION_PLACES = ("999001003", "999001006", "999001007")
JOINT_UNIONS = (("joint-east", "999001002", 3), ("joint-west", "999001003", 2))


@dataclass
class EnterprisePlan:
    """One enterprise to create; plans with the same `union_key` share one union."""

    place: str
    name: str
    credit_code: str
    ownership: str
    industry: str
    headcount: int
    women_share: float
    address: str
    status: str = OperatingStatus.IN_PRODUCTION
    women: int = 0
    focus: set[str] = field(default_factory=set)
    union_key: str | None = None
    anchor: bool = False


def weighted(rng: random.Random, pairs) -> object:
    """One value of (value, weight) pairs, drawn by weight."""
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def credit_code(prefix: str, serial: int, rng: random.Random) -> str:
    """A valid code: prefix, the county's division code, two letters, a serial, check char."""
    letters = "".join(rng.choice(CREDIT_CODE_ALPHABET[10:]) for _ in range(2))
    body = f"{prefix}{COUNTY_CODE}{letters}{serial:07d}"
    return body + credit_code_check_character(body)


def company_name(rng: random.Random, short: str, ownership: str, trade: str, used: set) -> str:
    """A plausible Simplified-script company name not yet in `used` (and now added to it)."""
    while True:
        brand = rng.choice(BRANDS)
        if ownership in (Ownership.FOREIGN_INVESTED, Ownership.HMT_INVESTED):
            name = f"{brand}{trade}（示范）有限公司"
        elif ownership == Ownership.COLLECTIVE:
            name = f"{short or '示范县'}{brand}{trade}厂"
        elif ownership == Ownership.STATE_OWNED:
            name = f"示范县{brand}{trade}有限责任公司"
        else:
            suffix = "股份有限公司" if ownership == Ownership.JOINT_STOCK else "有限公司"
            prefix = rng.choice(("示范县", short, f"示范县{short}", "")) if short else "示范县"
            name = f"{prefix}{brand}{trade}{suffix}"
        if name not in used:
            used.add(name)
            return name


def plan_enterprises(rng: random.Random) -> list[EnterprisePlan]:
    """Every enterprise of the county, with union keys and focus tags decided."""
    used_names = {name for _, name, *_ in ANCHORS}
    idle_pool = [OperatingStatus.UNDER_CONSTRUCTION] * 5 + [OperatingStatus.SUSPENDED] * 5
    idle_pool += [OperatingStatus.CLOSED] * 4
    rng.shuffle(idle_pool)
    plans: list[EnterprisePlan] = []
    for code, _name, place_name, short, operating, idle, roads in PLACES:
        anchors = [anchor for anchor in ANCHORS if anchor[0] == code]
        statuses = [OperatingStatus.IN_PRODUCTION] * operating
        statuses += [idle_pool.pop() for _ in range(idle)]
        for index, status in enumerate(statuses):
            address = f"示范县{place_name}{rng.choice(roads)}{rng.randint(1, 320)}号"
            code_ = credit_code("91", 1_000_000 + 7 * (len(plans) + 1), rng)
            if index < len(anchors):
                _, name, ownership, section, headcount = anchors[index]
                share = next((s for trade, s in TRADES[section] if trade in name), 0.45)
                plan = EnterprisePlan(code, name, code_, ownership, section, headcount, share,
                                      address, anchor=True)  # fmt: skip
            else:
                section = weighted(rng, PARK_SECTIONS if code == PARK_CODE else TOWNSHIP_SECTIONS)
                ownership = weighted(rng, OWNERSHIPS)
                trade, share = rng.choice(TRADES[section])
                name = company_name(rng, short, ownership, trade, used_names)
                if code == PARK_CODE:  # bigger employers in the park
                    headcount = 40 + int(rng.lognormvariate(4.6, 0.6))
                else:
                    headcount = 20 + int(rng.lognormvariate(3.5, 0.7))
                if status == OperatingStatus.CLOSED:
                    headcount = rng.randint(0, 30)
                plan = EnterprisePlan(code, name, code_, ownership, section, min(headcount, 900),
                                      share, address, status)  # fmt: skip
            plans.append(plan)
    park = [
        p for p in plans if p.place == PARK_CODE and not p.anchor and p.status == "in_production"
    ]
    for plan in rng.sample(park, 3):  # a few more large employers in the park
        plan.headcount = rng.randint(500, 1100)
    _plan_unions(rng, plans)
    for plan in plans:
        share = plan.women_share * rng.uniform(0.8, 1.2)
        plan.women = min(plan.headcount, round(plan.headcount * share))
    return plans


def _plan_unions(rng: random.Random, plans: list[EnterprisePlan]) -> None:
    """Three enterprises in production without a union, two joint unions, singles for the
    rest in production or suspended; then focus tags on about fifteen enterprises."""

    def pick(place: str, count: int) -> list[EnterprisePlan]:
        free = [
            p
            for p in plans
            if p.place == place and not p.anchor and p.union_key is None
            and p.status == OperatingStatus.IN_PRODUCTION
        ]  # fmt: skip
        chosen = rng.sample(free, count)
        for plan in chosen:
            plan.union_key = "taken"
        return chosen

    without = [plan for place in NO_UNION_PLACES for plan in pick(place, 1)]
    for plan in without:
        plan.headcount = rng.randint(12, 30)
        plan.focus.add("focus_weak_union")
    for key, place, count in JOINT_UNIONS:
        for plan in pick(place, count):
            plan.union_key = key
            plan.headcount = rng.randint(8, 24)
    without_ids = {id(plan) for plan in without}
    for index, plan in enumerate(plans):
        if id(plan) in without_ids:
            plan.union_key = None
        elif plan.union_key is None and plan.status in (
            OperatingStatus.IN_PRODUCTION,
            OperatingStatus.SUSPENDED,
        ):
            plan.union_key = f"single-{index}"
    operating = [p for p in plans if p.status == OperatingStatus.IN_PRODUCTION]
    for plan in rng.sample(operating, 13):
        plan.focus.add(rng.choice(FOCUS_FIELDS))
        if rng.random() < 0.3:
            plan.focus.add("focus_hardship")
