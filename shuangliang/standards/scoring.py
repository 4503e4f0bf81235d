"""The scoring rules, as pure functions: what an answer earns, whether it fails, and the
grade of an inspection. No database access, so the rules are tested on their own.

- yes/no: yes earns the points, no earns nothing and fails;
- scale: level / highest level of the points; below the pass level fails;
- number: at or above the threshold earns the points, below earns nothing and fails;
- not applicable: the item leaves both the points earned and the points possible;
- the percentage is earned / possible × 100, rounded to one decimal;
- grades by the version's thresholds; a failed mandatory item caps the grade at
  "not qualified" whatever the percentage.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Grade, Item

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


@dataclass(frozen=True)
class Judged:
    """What one answer earned (None: not applicable) and whether the item failed."""

    earned: Decimal | None
    failed: bool


def judge(
    item: Item,
    *,
    not_applicable: bool = False,
    yes: bool | None = None,
    level: int | None = None,
    number: Decimal | None = None,
) -> Judged | None:
    """The judgement of one answer; None when the item is not answered yet."""
    points = Decimal(item.points)
    if not_applicable:
        return Judged(None, False) if item.allow_na else None
    if item.judgement == Item.Judgement.YES_NO:
        if yes is None:
            return None
        return Judged(points if yes else Decimal(0), not yes)
    if item.judgement == Item.Judgement.SCALE:
        if level is None:
            return None
        level = max(0, min(int(level), item.scale_max))
        earned = (points * level / item.scale_max).quantize(TWO_DECIMALS, ROUND_HALF_UP)
        return Judged(earned, level < item.pass_level)
    if number is None:
        return None
    passed = item.threshold is None or Decimal(number) >= Decimal(item.threshold)
    return Judged(points if passed else Decimal(0), not passed)


@dataclass(frozen=True)
class Result:
    earned: Decimal
    possible: Decimal
    percent: Decimal | None
    grade: str
    mandatory_failed: bool


def grade_for(percent: Decimal | None, thresholds: tuple[int, int, int], capped: bool) -> str:
    """The grade for a percentage under (model, qualified, basic) thresholds."""
    model, qualified, basic = thresholds
    if capped or percent is None:
        return Grade.NOT_QUALIFIED
    if percent >= model:
        return Grade.MODEL
    if percent >= qualified:
        return Grade.QUALIFIED
    if percent >= basic:
        return Grade.BASIC
    return Grade.NOT_QUALIFIED


def score(judged: list[tuple[Item, Judged]], thresholds: tuple[int, int, int]) -> Result:
    """The result of a complete set of judgements (one per item of the version)."""
    earned = possible = Decimal(0)
    mandatory_failed = False
    for item, judgement in judged:
        if judgement.earned is None:  # not applicable: out of the denominator
            continue
        earned += judgement.earned
        possible += Decimal(item.points)
        if item.mandatory and judgement.failed:
            mandatory_failed = True
    percent = (earned * 100 / possible).quantize(ONE_DECIMAL, ROUND_HALF_UP) if possible else None
    return Result(
        earned=earned,
        possible=possible,
        percent=percent,
        grade=grade_for(percent, thresholds, mandatory_failed),
        mandatory_failed=mandatory_failed,
    )
