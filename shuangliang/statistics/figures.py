"""The figure layer: every figure of a federation's subtree, counted by the database.

One place computes each figure; the dashboard, the statistical reports, the open-data page,
the snapshots, the API (through `register.selectors.stats_summary`) and the campaign's targets
all read it, so the same question always gets the same number.

Figures come from *providers*, each one grouped aggregate query over one table (enterprises,
unions, appeals, visits) per dimension, never a loop over rows. A provider returns counts per
group; rates are derived from counts (`derive`), so counts add up over townships and over
months, and a snapshot only needs to store counts. Grouping "by place" groups by the row's own
federation and rolls the counts up to the children of the node asked about, a loop over
federations, not over enterprises.

A figure whose provider is not installed yet (the standards and inspections of issue 5) is
"not yet measured": its value is None everywhere, and the provider arrives with
`register_provider()`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangliang.core.access import visible
from shuangliang.register.models import (
    FOCUS_TAGS,
    PATH_SEGMENT_WIDTH,
    PUBLIC_OWNERSHIPS,
    SIGNED_STEPS,
    CollectiveContract,
    ContractKind,
    Enterprise,
    Federation,
    IndustrySection,
    OperatingStatus,
    Union,
)

PLACE, INDUSTRY, OWNERSHIP, SIZE, FOCUS, CATEGORY, ALL = (
    "place",
    "industry",
    "ownership",
    "size",
    "focus",
    "category",
    "all",
)
# The drill-downs of the dashboard (CATEGORY is the appeals' own breakdown).
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


def _scoped(qs: QuerySet, query: Query, path_field: str) -> QuerySet:
    if query.user is not None:
        qs = visible(qs, query.user)
    if query.root is not None:
        qs = qs.filter(**{f"{path_field}__startswith": query.root.path})
    return qs


def _grouped(qs: QuerySet, group: Any, aggregates: dict) -> dict[Any, Counts]:
    """One query: the aggregates per value of `group` (a field name or an expression)."""
    if group is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.annotate(_group=group).values("_group").annotate(**aggregates).order_by()
    return {row.pop("_group"): row for row in rows}


# Enterprises ------------------------------------------------------------------------------


def founded_q(as_of: datetime.date | None, prefix: str = "union__") -> Q:
    """The enterprise has a union (founded by `as_of`, when given)."""
    q = Q(**{f"{prefix[:-2]}__isnull": False}) if prefix else Q()
    if as_of is not None:
        q &= Q(**{f"{prefix}founded_on__lte": as_of}) | Q(
            **{f"{prefix}founded_on__isnull": True, f"{prefix}created_at__date__lte": as_of}
        )
    return q


def three_contracts_q(as_of: datetime.date | None, union_ref: str = "union_id") -> Q:
    """Every contract kind counted for 三項合同 signed and in force (on `as_of`, or today);
    the same rule as `register.selectors.three_contracts_q`, with a date."""
    kind_ids = list(ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    if not kind_ids:
        return Q(pk__in=[])
    day = as_of or timezone.localdate()
    q = Q()
    for kind_id in kind_ids:
        contracts = CollectiveContract.objects.filter(
            union_id=OuterRef(union_ref), kind_id=kind_id, step__in=SIGNED_STEPS
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        if as_of is not None:
            contracts = contracts.filter(
                Q(signed_on__lte=as_of) | Q(signed_on__isnull=True, created_at__date__lte=as_of)
            )
        q &= Q(Exists(contracts))
    return q


def double_bright_q(as_of: datetime.date | None) -> Q:
    """For enterprises: their union is Double Bright compliant (and was confirmed by `as_of`)."""
    from shuangliang.doublebright.compliance import compliant_q

    q = compliant_q(prefix="union__double_bright_status__", union_ref="union_id")
    if as_of is not None:
        q &= Q(union__double_bright_status__decided_at__date__lte=as_of)
    return q


def non_public_q() -> Q:
    return ~Q(ownership__in=PUBLIC_OWNERSHIPS)


def size_band_q(band: SizeBand) -> Q:
    q = Q(headcount__gte=band.low)
    if band.high is not None:
        q &= Q(headcount__lte=band.high)
    return q


def _size_case() -> Case:
    return Case(
        *[When(size_band_q(band), then=Value(band.code)) for band in SIZE_BANDS],
        output_field=CharField(),
    )


def _ownership_case() -> Case:
    return Case(
        When(ownership__in=PUBLIC_OWNERSHIPS, then=Value("public")),
        default=Value("non_public"),
        output_field=CharField(),
    )


def _enterprise_conditions(as_of: datetime.date | None) -> dict[str, Q]:
    founded = founded_q(as_of)
    return {
        "enterprises_operating": Q(),
        "unions_founded": founded,
        "three_contracts_signed": founded & three_contracts_q(as_of),
        "double_bright_compliant": founded & double_bright_q(as_of),
        "non_public_operating": non_public_q(),
    }


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition or None)


def enterprise_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Enterprises in production, with a union, with the three contracts, Double Bright."""
    qs = _scoped(
        Enterprise.objects.filter(operating_status=OperatingStatus.IN_PRODUCTION),
        query,
        "federation__path",
    )
    conditions = _enterprise_conditions(query.as_of)
    if dimension == FOCUS:
        # Tags overlap, so they are not one grouping: one aggregate per tag and figure.
        aliases, aggregates = {}, {}
        for t, tag in enumerate(FOCUS_TAGS):
            for c, (name, condition) in enumerate(conditions.items()):
                aliases[f"f{t}_{c}"] = (tag, name)
                aggregates[f"f{t}_{c}"] = _count(Q(**{tag: True}) & condition)
        row = qs.aggregate(**aggregates)
        out: dict[Any, Counts] = {tag: {} for tag in FOCUS_TAGS}
        for alias, (tag, name) in aliases.items():
            out[tag][name] = row[alias]
        return out
    group = {
        ALL: None,
        PLACE: "federation_id",
        INDUSTRY: "industry",
        OWNERSHIP: _ownership_case(),
        SIZE: _size_case(),
    }
    if dimension not in group:
        return None
    aggregates = {name: _count(condition) for name, condition in conditions.items()}
    if isinstance(group[dimension], str):
        rows = qs.values(group[dimension]).annotate(**aggregates).order_by()
        return {row.pop(group[dimension]): row for row in rows}
    return _grouped(qs, group[dimension], aggregates)


def member_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Union members, summed over the unions of the place (a joint union counts once)."""
    if dimension not in (ALL, PLACE):
        return None
    qs = _scoped(Union.objects.all(), query, "federation__path")
    if query.as_of is not None:
        qs = qs.filter(founded_q(query.as_of, prefix=""))
    aggregates = {"unions_registered": Count("pk"), "union_members": Sum("member_count")}
    if dimension == ALL:
        out = _grouped(qs, None, aggregates)
    else:
        out = {
            row.pop("federation_id"): row
            for row in qs.values("federation_id").annotate(**aggregates).order_by()
        }
    for counts in out.values():
        counts["union_members"] = counts["union_members"] or 0
    return out


def appeal_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Appeals received (by the federation handling them), concluded, on time, overdue, open.

    The rules are those of `appeals.selectors`: concluded means accepted and answered, on
    time means answered (local date) by the conclusion deadline, overdue as `overdue_q`."""
    from shuangliang.appeals.models import HANDLING_STATES, Appeal, Satisfaction, Status
    from shuangliang.appeals.selectors import overdue_q

    group = {ALL: None, PLACE: "handling_federation_id", CATEGORY: "category_id"}
    if dimension not in group:
        return None
    qs = _scoped(Appeal.objects.all(), query, "handling_federation__path")
    qs = qs.annotate(_answered_on=TruncDate("answered_at"))
    concluded = Q(accepted_at__isnull=False, answered_at__isnull=False)
    if query.as_of is not None:
        qs = qs.filter(submitted_at__date__lte=query.as_of)
        concluded &= Q(_answered_on__lte=query.as_of)
    aggregates = {
        "appeals_received": Count("pk"),
        "appeals_concluded": Count("pk", filter=concluded),
        "appeals_on_time": Count(
            "pk",
            filter=concluded
            & (Q(conclude_due_on__isnull=True) | Q(_answered_on__lte=F("conclude_due_on"))),
        ),
        "appeals_rated": Count("pk", filter=~Q(satisfaction="")),
        "appeals_satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
    }
    past = query.as_of is not None
    if not past:  # a past day's deadlines and states are not kept: None then
        aggregates["appeals_overdue"] = Count("pk", filter=overdue_q(query.day))
        aggregates["appeals_open"] = Count(
            "pk", filter=Q(status__in=[Status.SUBMITTED, *HANDLING_STATES])
        )
    if group[dimension] is None:
        out = _grouped(qs, None, aggregates)
    else:
        rows = qs.values(group[dimension]).annotate(**aggregates).order_by()
        out = {row.pop(group[dimension]): row for row in rows}
    if past:
        for counts in out.values():
            counts.update(appeals_overdue=None, appeals_open=None)
    return out


def visit_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Visits to enterprises of the place in the 90 days up to the day."""
    from shuangliang.campaign.models import Visit

    if dimension not in (ALL, PLACE):
        return None
    day = query.day
    qs = _scoped(
        Visit.objects.filter(
            visited_on__gt=day - datetime.timedelta(days=VISIT_WINDOW_DAYS),
            visited_on__lte=day,
        ),
        query,
        "enterprise__federation__path",
    )
    aggregates = {"visits_last_90_days": Count("pk")}
    if dimension == ALL:
        return _grouped(qs, None, aggregates)
    return {
        row.pop("enterprise__federation_id"): row
        for row in qs.values("enterprise__federation_id").annotate(**aggregates).order_by()
    }


register_provider(
    "enterprises",
    enterprise_provider,
    (
        "enterprises_operating",
        "unions_founded",
        "three_contracts_signed",
        "double_bright_compliant",
        "non_public_operating",
    ),
)
register_provider("members", member_provider, ("unions_registered", "union_members"))
register_provider(
    "appeals",
    appeal_provider,
    (
        "appeals_received",
        "appeals_concluded",
        "appeals_on_time",
        "appeals_overdue",
        "appeals_open",
    ),
)
register_provider("visits", visit_provider, ("visits_last_90_days",))


# Figures and rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as shown: its key in the figures dict, label, kind, and where its list is."""

    key: str
    label: Promise
    kind: str  # "count" or "rate"
    provider: str
    numerator: str = ""  # rates: counts they are made of
    denominator: str = ""
    headline: bool = True
    # The list page behind the number, and its filter query parameters.
    list_route: str = ""
    list_params: dict = field(default_factory=dict)
    # Open data: counts of this figure are suppressed below the threshold (QUALITY.md C6).
    suppress_small: bool = False


ENTERPRISES = "backoffice:enterprise_list"
OPERATING = {"status": OperatingStatus.IN_PRODUCTION.value}

FIGURES: tuple[Figure, ...] = (
    Figure(
        "enterprises_operating",
        _("Enterprises in production"),
        "count",
        "enterprises",
        list_route=ENTERPRISES,
        list_params=OPERATING,
    ),
    Figure(
        "unions_founded",
        _("Unions founded"),
        "count",
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "has_union": "yes"},
    ),
    Figure(
        "coverage_rate",
        _("Union founding rate"),
        "rate",
        "enterprises",
        numerator="unions_founded",
        denominator="enterprises_operating",
    ),
    Figure(
        "enterprises_without_union",
        _("Enterprises without a union"),
        "count",
        "enterprises",
        headline=False,
        list_route=ENTERPRISES,
        list_params={**OPERATING, "has_union": "no"},
    ),
    Figure(
        "three_contracts_signed",
        _("Three contracts signed"),
        "count",
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "three_contracts": "yes"},
    ),
    Figure(
        "three_contracts_rate",
        _("Three-contract rate"),
        "rate",
        "enterprises",
        numerator="three_contracts_signed",
        denominator="unions_founded",
    ),
    Figure(
        "double_bright_compliant",
        _("Double Bright compliant"),
        "count",
        "enterprises",
        list_route=ENTERPRISES,
        list_params={**OPERATING, "double_bright": "yes"},
    ),
    Figure(
        "double_bright_rate",
        _("Double Bright coverage"),
        "rate",
        "enterprises",
        numerator="double_bright_compliant",
        denominator="unions_founded",
    ),
    Figure(
        "non_public_operating",
        _("Non-public enterprises in production"),
        "count",
        "enterprises",
        headline=False,
        list_route=ENTERPRISES,
        list_params={**OPERATING, "ownership": "non_public"},
    ),
    Figure(
        "union_members",
        _("Union members"),
        "count",
        "members",
        headline=False,
        list_route="backoffice:union_list",
    ),
    Figure(
        "standard_compliance_rate",
        _("Standard compliance"),
        "rate",
        "standards",
        numerator="standard_compliant",
        denominator="standard_assessed",
    ),
    Figure(
        "rectifications_open",
        _("Rectifications open"),
        "count",
        "standards",
        list_route="standards:rectification_list",
        list_params={"state": "open"},
    ),
    Figure(
        "appeals_received",
        _("Appeals received"),
        "count",
        "appeals",
        list_route="appeals:list",
        suppress_small=True,
    ),
    Figure(
        "appeals_on_time_rate",
        _("Appeals concluded on time"),
        "rate",
        "appeals",
        numerator="appeals_on_time",
        denominator="appeals_concluded",
    ),
    Figure(
        "appeals_satisfaction_rate",
        _("Workers satisfied with the answer"),
        "rate",
        "appeals",
        numerator="appeals_satisfied",
        denominator="appeals_rated",
        headline=False,
    ),
    Figure(
        "appeals_overdue",
        _("Appeals overdue"),
        "count",
        "appeals",
        list_route="appeals:list",
        list_params={"deadline": "overdue"},
        suppress_small=True,
    ),
    Figure("visits_last_90_days", _("Visits in the last 90 days"), "count", "visits"),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}
HEADLINE = tuple(figure for figure in FIGURES if figure.headline)


def _rate(part: int | None, whole: int | None, *, empty: float | None) -> float | None:
    if part is None or whole is None:
        return None
    return round(part / whole, 4) if whole else empty


def derive(counts: Counts) -> dict:
    """Counts and the figures derived from them. The register's rates are 0.0 over nothing
    (as the API has always answered); the others are None then (nothing to measure)."""
    out: dict = dict(counts)
    if "enterprises_operating" in counts:
        out["enterprises_without_union"] = counts["enterprises_operating"] - counts.get(
            "unions_founded", 0
        )
    for figure in FIGURES:
        if figure.kind != "rate":
            continue
        register = figure.provider == "enterprises"
        out[figure.key] = _rate(
            counts.get(figure.numerator),
            counts.get(figure.denominator),
            empty=0.0 if register else None,
        )
    for figure in FIGURES:
        out.setdefault(figure.key, None)
    return out


def _add(total: Counts, counts: Counts) -> None:
    for key, value in counts.items():
        if value is None or total.get(key, 0) is None:
            total[key] = None
        else:
            total[key] = total.get(key, 0) + value


class _Merged(dict):
    """Counts per group; a group without rows counts zero of each count that applies."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys_applying: set[str] = set()

    def __missing__(self, key):
        return dict.fromkeys(self.keys_applying, 0)


def _collect(
    query: Query, dimension: str, only: tuple[str, ...] | None = None
) -> dict[Any, Counts]:
    """Every installed provider's counts (or those named in `only`) for the dimension,
    merged per group; a provider that does not break down by the dimension leaves its counts
    out (None: not applicable)."""
    merged: dict[Any, Counts] = _Merged()
    for name, (provider, keys) in PROVIDERS.items():
        if only is not None and name not in only:
            continue
        groups = provider(query, dimension)
        if groups is None:
            continue
        merged.keys_applying.update(keys)
        for key, counts in groups.items():
            dict.setdefault(merged, key, {}).update(counts)
    for key in list(merged):
        merged[key] = {**dict.fromkeys(merged.keys_applying, 0), **merged[key]}
    return merged


def headline_figures(
    *,
    user,
    federation: Federation | None = None,
    as_of: datetime.date | None = None,
    only: tuple[str, ...] | None = None,
) -> dict:
    """Every figure of the subtree (or the user's whole scope), as far as the user sees it:
    one aggregate query per provider (only those named in `only`, when given)."""
    query = Query(user=user, root=federation, as_of=as_of)
    return derive(_collect(query, ALL, only)[None])


# Breakdowns -------------------------------------------------------------------------------


@dataclass
class GroupRow:
    """One row of a breakdown: the group, its figures, and the filters of its lists."""

    key: Any
    label: str
    figures: dict
    params: dict  # query parameters that narrow a list page to this group
    federation: Federation | None = None
    is_remainder: bool = False  # records directly under the node, not under a child


def children_of(federation: Federation) -> list[Federation]:
    return list(
        Federation.objects.filter(
            path__startswith=federation.path, depth=federation.depth + 1
        ).order_by("division_code", "pk")
    )


def roll_up(
    leaf_counts: dict[Any, Counts], paths: dict[int, str], targets: dict[str, Any]
) -> dict[Any, Counts]:
    """Sum counts kept per federation id into `targets` ({path prefix: target key}): each
    federation adds to the target whose path is the longest prefix of its own."""
    out: dict[Any, Counts] = {}
    lengths = sorted({len(prefix) for prefix in targets}, reverse=True)
    for federation_id, counts in leaf_counts.items():
        path = paths.get(federation_id)
        if path is None:
            continue
        for length in lengths:
            key = targets.get(path[:length])
            if key is not None:
                _add(out.setdefault(key, {}), counts)
                break
    return out


def figures_by(*, user, federation: Federation, dimension: str) -> list[GroupRow]:
    """The subtree's figures broken down by place (its child federations, plus what sits
    directly under it), industry, ownership, size band or focus tag; a constant number of
    queries whatever the size of the subtree."""
    query = Query(user=user, root=federation)
    groups = _collect(query, dimension)
    if dimension == PLACE:
        return _place_rows(federation, groups)
    rows = []
    if dimension == INDUSTRY:
        for value, label in IndustrySection.choices:
            if value in groups:
                rows.append(GroupRow(value, str(label), derive(groups[value]), {"industry": value}))
    elif dimension == OWNERSHIP:
        for value, label in OWNERSHIP_CLASSES.items():
            rows.append(GroupRow(value, str(label), derive(groups[value]), {"ownership": value}))
    elif dimension == SIZE:
        for band in SIZE_BANDS:
            params = {"headcount_min": band.low}
            if band.high is not None:
                params["headcount_max"] = band.high
            rows.append(GroupRow(band.code, str(band.label), derive(groups[band.code]), params))
    elif dimension == FOCUS:
        for tag, label in FOCUS_TAGS.items():
            rows.append(GroupRow(tag, str(label), derive(groups[tag]), {"focus": tag}))
    elif dimension == CATEGORY:
        from shuangliang.appeals.models import Category

        names = dict(Category.objects.filter(pk__in=list(groups)).values_list("pk", "name"))
        for key, counts in sorted(groups.items(), key=lambda item: -item[1]["appeals_received"]):
            rows.append(GroupRow(key, names.get(key, "—"), derive(counts), {"category": key}))
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    return rows


def _place_rows(federation: Federation, groups: dict[Any, Counts]) -> list[GroupRow]:
    paths = dict(
        Federation.objects.filter(path__startswith=federation.path).values_list("pk", "path")
    )
    children = children_of(federation)
    targets: dict[str, Any] = {child.path: child.pk for child in children}
    targets[federation.path] = "self"
    rolled = _Merged(roll_up(groups, paths, targets))
    rolled.keys_applying = groups.keys_applying
    rows = [
        GroupRow(
            child.pk,
            child.name,
            derive(rolled[child.pk]),
            {"federation": child.pk},
            federation=child,
        )
        for child in children
    ]
    if "self" in rolled:
        rows.append(
            GroupRow(
                "self",
                str(_("Directly under %(name)s") % {"name": federation.name}),
                derive(rolled["self"]),
                {},
                federation=federation,
                is_remainder=True,
            )
        )
    return rows


def totals(rows: list[GroupRow]) -> dict:
    """The sum of the rows' counts with rates derived from the sums (a partition's rows
    add up to the node's headline figures)."""
    total: Counts = {}
    for row in rows:
        _add(total, {k: v for k, v in row.figures.items() if _is_count(k)})
    return derive(total)


def _is_count(key: str) -> bool:
    figure = FIGURES_BY_KEY.get(key)
    if figure is not None:
        return figure.kind == "count" and key != "enterprises_without_union"
    return not key.endswith("_rate")


# Snapshots: every federation at once -------------------------------------------------------


def counts_for_every_federation(*, as_of: datetime.date | None = None) -> dict[int, Counts]:
    """The counts of every federation's subtree (all records), for snapshots: one grouped
    query per provider, rolled up the tree in Python (a loop over federations)."""
    query = Query(user=None, root=None, as_of=as_of)
    leaf = _collect(query, PLACE)
    paths = dict(Federation.objects.values_list("pk", "path"))
    out: dict[int, Counts] = {pk: dict.fromkeys(leaf.keys_applying, 0) for pk in paths}
    by_path = {path: pk for pk, path in paths.items()}
    for federation_id, counts in leaf.items():
        path = paths.get(federation_id)
        if path is None:
            continue
        for end in range(len(path), 0, -PATH_SEGMENT_WIDTH):
            ancestor = by_path.get(path[:end])
            if ancestor is not None:
                _add(out[ancestor], counts)
    return out
