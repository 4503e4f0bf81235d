"""Rankings of inspection results, with one stated tie-break (pure functions, no database).

Units are ranked by, in this order:
1. the higher score;
2. then the fewer open rectifications;
3. then the earlier inspection date (whoever reached the score first);
4. then the union's name by Unicode code point (a fixed, locale-independent order);
5. then the union's id, so that even two unions of the same name never share a place.

Every unit therefore has its own place (1, 2, 3, …); there are no shared ranks. Groups (a
township, an industry, an ownership type) are ranked by their average score, then by the
number of units inspected (more first), then by their label's code points.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import IndustrySection, Ownership

TIE_BREAK = (
    _("higher score"),
    _("fewer open rectifications"),
    _("earlier inspection date"),
    _("union name in Unicode code-point order"),
)


@dataclass(frozen=True)
class UnionResult:
    """One union's result in a period: its score and grade, and what breaks ties."""

    union_id: int
    name: str
    township: str
    industry: str  # a GB/T 4754 section letter, "" when unknown
    ownership: str  # an Ownership value, "" when unknown
    score: Decimal
    grade: str
    open_rectifications: int
    inspected_on: datetime.date

    @property
    def industry_label(self) -> str:
        return str(IndustrySection(self.industry).label) if self.industry else "—"

    @property
    def ownership_label(self) -> str:
        return str(Ownership(self.ownership).label) if self.ownership else "—"


@dataclass(frozen=True)
class RankedResult:
    rank: int
    result: UnionResult


@dataclass
class RankedGroup:
    """One township (or industry, or ownership type) with its units in ranking order."""

    rank: int
    label: str
    rows: list[RankedResult] = field(default_factory=list)

    @property
    def inspected(self) -> int:
        return len(self.rows)

    @property
    def average(self) -> Decimal:
        return average_score(row.result for row in self.rows)


def tie_break_key(result: UnionResult) -> tuple:
    """The sort key of the stated tie-break (module docstring)."""
    return (
        -result.score,
        result.open_rectifications,
        result.inspected_on,
        result.name,
        result.union_id,
    )


def rank(results: Iterable[UnionResult]) -> list[RankedResult]:
    """The units in ranking order with their places, 1 first."""
    ordered = sorted(results, key=tie_break_key)
    return [RankedResult(place, result) for place, result in enumerate(ordered, start=1)]


def average_score(results: Iterable[UnionResult]) -> Decimal:
    scores = [result.score for result in results]
    if not scores:
        return Decimal("0.0")
    return (sum(scores) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


DIMENSIONS: dict[str, tuple] = {
    "township": (_("Township"), lambda r: r.township),
    "industry": (_("Industry"), lambda r: r.industry_label),
    "ownership": (_("Ownership"), lambda r: r.ownership_label),
}


def rank_by(results: Iterable[UnionResult], dimension: str) -> list[RankedGroup]:
    """The units grouped by `dimension` (township, industry or ownership), each group
    ranked within, and the groups ranked by average score."""
    label_of: Callable[[UnionResult], str] = DIMENSIONS[dimension][1]
    buckets: dict[str, list[UnionResult]] = {}
    for result in results:
        buckets.setdefault(label_of(result), []).append(result)
    groups = [RankedGroup(0, label, rank(members)) for label, members in buckets.items()]
    groups.sort(key=lambda g: (-g.average, -g.inspected, g.label))
    for place, group in enumerate(groups, start=1):
        group.rank = place
    return groups
