"""What every provider shares: the dimensions, the query (whose records, under which node, on
which day), the registry of providers, and the grouped aggregate every provider runs."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangliang.core.access import visible
from shuangliang.register.models import Federation

PLACE, INDUSTRY, OWNERSHIP, SIZE, FOCUS, CATEGORY, ENTERPRISE, ALL = (
    "place",
    "industry",
    "ownership",
    "size",
    "focus",
    "category",
    "enterprise",
    "all",
)
# The drill-downs of the dashboard (CATEGORY and ENTERPRISE are the appeals' own breakdowns).
DIMENSIONS = {
    PLACE: _("Township or park"),
    INDUSTRY: _("Industry section"),
    OWNERSHIP: _("Ownership"),
    SIZE: _("Size"),
    FOCUS: _("Focus tag"),
}
VISIT_WINDOW_DAYS = 90  # the campaign's own window (campaign.selectors.VISIT_WINDOW_DAYS)


@dataclass(frozen=True)
class SizeBand:
    code: str
    label: Promise
    low: int
    high: int | None  # inclusive; None: no upper bound


# 25 employees is where the Trade Union Law requires a union committee.
SIZE_BANDS = (
    SizeBand("lt25", _("Fewer than 25 employees"), 0, 24),
    SizeBand("25_99", _("25 to 99 employees"), 25, 99),
    SizeBand("100_299", _("100 to 299 employees"), 100, 299),
    SizeBand("300_999", _("300 to 999 employees"), 300, 999),
    SizeBand("1000", _("1,000 employees or more"), 1000, None),
)
OWNERSHIP_CLASSES = {"public": _("Public"), "non_public": _("Non-public")}


@dataclass(frozen=True)
class Query:
    """What is counted: the records `user` may see (all records when None: snapshots and
    open data, which publish aggregates only) under `root`, as they stood on `as_of`."""

    user: Any = None
    root: Federation | None = None
    as_of: datetime.date | None = None  # None: now

    @property
    def day(self) -> datetime.date:
        return self.as_of or timezone.localdate()


Counts = dict[str, int | None]
Provider = Callable[[Query, str], dict[Any, Counts] | None]
PROVIDERS: dict[str, tuple[Provider, tuple[str, ...]]] = {}


def register_provider(name: str, provider: Provider, keys: tuple[str, ...]) -> None:
    """Install a provider (e.g. the standards app in its AppConfig.ready()). It takes a Query
    and a dimension and returns {group key: counts}, or None for a dimension it does not
    break down by; for PLACE the key is the federation id of the counted rows, for ALL None.
    `keys` are the counts it gives: a group it has no row for counts zero of each."""
    PROVIDERS[name] = (provider, keys)


def scoped(qs: QuerySet, query: Query, path_field: str) -> QuerySet:
    """The rows of `qs` the query's user may see, under the query's root."""
    if query.user is not None:
        qs = visible(qs, query.user)
    if query.root is not None:
        qs = qs.filter(**{f"{path_field}__startswith": query.root.path})
    return qs


def grouped(qs: QuerySet, group: Any, aggregates: dict) -> dict[Any, Counts]:
    """One query: the aggregates per value of `group` (None: one group, a field name, or an
    expression)."""
    if group is None:
        return {None: qs.aggregate(**aggregates)}
    if isinstance(group, str):
        rows = qs.values(group).annotate(**aggregates).order_by()
        return {row.pop(group): row for row in rows}
    rows = qs.annotate(_group=group).values("_group").annotate(**aggregates).order_by()
    return {row.pop("_group"): row for row in rows}


def count_where(condition: Q) -> Count:
    """COUNT(*) FILTER (WHERE condition); an empty condition counts every row."""
    return Count("pk", filter=condition or None)
