"""The register's providers: enterprises in production, unions founded, three contracts,
Double Bright (one aggregate query over enterprises per dimension), and union members."""

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from shuangliang.core.prepared import PreparedQuery
from shuangliang.register import stored_figures
from shuangliang.register.models import (
    FOCUS_TAGS,
    PUBLIC_OWNERSHIPS,
    SIGNED_STEPS,
    CollectiveContract,
    ContractKind,
    Enterprise,
    OperatingStatus,
    Union,
)

from .. import tallies
from . import history
from .core import (
    ALL,
    FOCUS,
    INDUSTRY,
    OWNERSHIP,
    PLACE,
    SIZE,
    SIZE_BANDS,
    Counts,
    Query,
    SizeBand,
    count_where,
    grouped,
    register_provider,
    scoped,
)
from .doublebright import double_bright_at_q


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


def enterprise_conditions(
    as_of: datetime.date | None, today: datetime.date | None = None
) -> dict[str, Q]:
    """The enterprise counts and the condition each counts (on enterprises in production;
    for a past day, on enterprises annotated by `history_aliases`). `today` is the day of
    today's counts (default: today)."""
    if as_of is None:
        founded = founded_q(None)
        double_bright = stored_figures.stored_double_bright_q(today)
        # Today's three contracts from the values stored on the enterprise (kept equal to
        # the derived rule, `three_contracts_q`, which the list behind the number filters by).
        three = stored_figures.stored_q(today)
    else:
        # Attached to a union then by the log where it logs a change of the union after the
        # day, else by today's union and its founding date.
        founded = Q(_union_logged_after=True, _union_at__isnull=False) | (
            Q(_union_logged_after=False) & founded_q(as_of)
        )
        double_bright = double_bright_at_q(as_of)
        three = three_contracts_q(as_of)
    return {
        "enterprises_operating": Q(),
        "unions_founded": founded,
        "three_contracts_signed": founded & three,
        "double_bright_compliant": founded & double_bright,
        "non_public_operating": non_public_q(),
    }


def history_aliases(as_of: datetime.date) -> dict:
    """What `enterprise_conditions(as_of)` reads of the action log, as aliases."""
    union_logged, union_at = history.union_change_after(as_of)
    db_logged, db_state = history.double_bright_state_after(as_of)
    return {
        "_status_at": history.value_at(Enterprise, "operating_status", as_of),
        "_union_logged_after": union_logged,
        "_union_at": union_at,
        "_db_logged_after": db_logged,
        "_db_state_at": Coalesce(
            db_state, F("union__double_bright_status__state"), output_field=CharField()
        ),
    }


def operating(query: Query):
    """Enterprises in production (on the query's past day: by their logged status changes)."""
    if query.as_of is None:
        return Enterprise.objects.filter(operating_status=OperatingStatus.IN_PRODUCTION)
    return Enterprise.objects.alias(**history_aliases(query.as_of)).filter(
        _status_at=OperatingStatus.IN_PRODUCTION
    )


def _today_counts(dimension: str, path: str, today: datetime.date):
    """Today's counts of the enterprises in production under `path` (a federation's path;
    "" for all), in one row (ALL) or per federation (PLACE), as a values_list."""
    qs = Enterprise.objects.filter(
        operating_status=OperatingStatus.IN_PRODUCTION, federation__path__startswith=path
    ).order_by()
    conditions = enterprise_conditions(None, today)
    aggregates = {name: count_where(condition) for name, condition in conditions.items()}
    if dimension == ALL:  # grouped by a constant: one row, even of zeros
        qs = qs.annotate(_all=Value(0)).values("_all")
    else:
        qs = qs.values("federation_id")
    return qs.annotate(**aggregates).values_list(
        *([] if dimension == ALL else ["federation_id"]), *aggregates
    )


# Compiled once per process (core.prepared): the placeholders appear nowhere else.
_TODAY_COUNTS = {
    dimension: PreparedQuery(
        lambda path, today, dimension=dimension: _today_counts(dimension, path, today),
        path="placeholder-path/",
        today=datetime.date(1901, 2, 3),
    )
    for dimension in (ALL, PLACE)
}
_CONDITION_NAMES = tuple(enterprise_conditions(None, datetime.date(1901, 2, 3)))


def enterprise_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Enterprises in production, with a union, with the three contracts, Double Bright.
    Today's counts of a whole node (the user sees all of it) run a query compiled once."""
    if dimension in _TODAY_COUNTS and tallies.usable(query):
        rows = _TODAY_COUNTS[dimension].rows(
            path=query.root.path if query.root is not None else "", today=query.day
        )
        if dimension == ALL:
            return {None: dict(zip(_CONDITION_NAMES, rows[0], strict=True))}
        return {row[0]: dict(zip(_CONDITION_NAMES, row[1:], strict=True)) for row in rows}
    qs = scoped(operating(query), query, "federation__path")
    conditions = enterprise_conditions(query.as_of)
    if dimension == FOCUS:
        # Tags overlap, so they are not one grouping: one aggregate per tag and figure.
        aliases, aggregates = {}, {}
        for t, tag in enumerate(FOCUS_TAGS):
            for c, (name, condition) in enumerate(conditions.items()):
                aliases[f"f{t}_{c}"] = (tag, name)
                aggregates[f"f{t}_{c}"] = count_where(Q(**{tag: True}) & condition)
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
    aggregates = {name: count_where(condition) for name, condition in conditions.items()}
    return grouped(qs, group[dimension], aggregates)


def member_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Union members, summed over the unions of the place (a joint union counts once)."""
    if dimension not in (ALL, PLACE):
        return None
    qs = scoped(Union.objects.all(), query, "federation__path")
    if query.as_of is not None:
        qs = qs.filter(founded_q(query.as_of, prefix=""))
    members = (
        Sum("member_count")
        if query.as_of is None
        else Sum(history.int_value_at(Union, "member_count", query.as_of))
    )
    aggregates = {"unions_registered": Count("pk"), "union_members": members}
    out = grouped(qs, None if dimension == ALL else "federation_id", aggregates)
    for counts in out.values():
        counts["union_members"] = counts["union_members"] or 0
    return out


def install() -> None:
    """Install the provider(s) of this module in the figure layer."""
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
