"""The appeals' provider: appeals received (by the federation handling them), accepted,
concluded, on time, rated, satisfied, overdue and open; and the median days from acceptance
to conclusion, which is not a count (it does not add up) and so is not a provider's: the
appeals' figures page asks for it with `appeal_figures`."""

import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate

from shuangliang.core.previous import previous_value
from shuangliang.statistics import tallies

from .breakdowns import GroupRow, collect
from .core import (
    ALL,
    CATEGORY,
    ENTERPRISE,
    PLACE,
    Counts,
    Query,
    grouped,
    register_provider,
    scoped,
)
from .definitions import derive

# The group each dimension counts appeals by: the handling federation itself (not rolled up
# to a node's children: the appeals' page lists the handling federations), the enterprise,
# the category.
APPEAL_GROUPS = {
    ALL: None,
    PLACE: "handling_federation_id",
    CATEGORY: "category_id",
    ENTERPRISE: "enterprise_id",
}


def _appeals(query: Query):
    from shuangliang.appeals.models import Appeal

    qs = scoped(Appeal.objects.all(), query, "handling_federation__path")
    if query.as_of is not None:
        qs = qs.filter(submitted_at__date__lte=query.as_of)
    return qs


def _aggregates(as_of=None) -> dict:
    """The counts of appeals that do not depend on the day asked, over appeals annotated
    with `_answered_on` (their answer's local date)."""
    from shuangliang.appeals.models import Satisfaction

    concluded = Q(accepted_at__isnull=False, answered_at__isnull=False)
    accepted = Q(accepted_at__isnull=False)
    if as_of is not None:
        concluded &= Q(_answered_on__lte=as_of)
        accepted &= Q(accepted_at__date__lte=as_of)
    return {
        "appeals_received": Count("pk"),
        "appeals_accepted": Count("pk", filter=accepted),
        "appeals_concluded": Count("pk", filter=concluded),
        "appeals_on_time": Count(
            "pk",
            filter=concluded
            & (Q(conclude_due_on__isnull=True) | Q(_answered_on__lte=F("conclude_due_on"))),
        ),
        "appeals_rated": Count("pk", filter=~Q(satisfaction="")),
        "appeals_satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
    }


def appeal_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Appeals received (by the federation handling them), concluded, on time, overdue, open.

    The rules are those of `appeals.selectors`: concluded means accepted and answered, on
    time means answered (local date) by the conclusion deadline, overdue as `overdue_q`.
    Today's figures of a whole node (by place or in all) are summed from the tallies."""
    from shuangliang.appeals.models import HANDLING_STATES, Status
    from shuangliang.appeals.selectors import overdue_q

    if dimension not in APPEAL_GROUPS:
        return None
    if dimension in TALLY_GROUPS and tallies.usable(query):
        return _from_tallies(query, TALLY_GROUPS[dimension])
    qs = _appeals(query).annotate(_answered_on=TruncDate("answered_at"))
    aggregates = _aggregates(query.as_of)
    past = query.as_of is not None
    if not past:  # a past day's deadlines and states are not kept: None then
        aggregates["appeals_overdue"] = Count("pk", filter=overdue_q(query.day))
        aggregates["appeals_open"] = Count(
            "pk", filter=Q(status__in=[Status.SUBMITTED, *HANDLING_STATES])
        )
    out = grouped(qs, APPEAL_GROUPS[dimension], aggregates)
    if past:
        for counts in out.values():
            counts.update(appeals_overdue=None, appeals_open=None)
    return out


# The tally (statistics.tallies): per handling federation and category, open or not, and the
# day after which an open appeal is overdue (acceptance's deadline while submitted,
# conclusion's while handled: `appeals.selectors.overdue_q`).
TALLY_GROUPS = {ALL: None, PLACE: "federation_id", CATEGORY: "category_id"}
TALLY_COUNTS = {
    "received": "appeals_received",
    "accepted": "appeals_accepted",
    "concluded": "appeals_concluded",
    "on_time": "appeals_on_time",
    "rated": "appeals_rated",
    "satisfied": "appeals_satisfied",
}


def _tally_source(apps):
    return apps.get_model("appeals", "Appeal").objects.annotate(
        _answered_on=TruncDate("answered_at")
    )


def _tally_keys() -> dict:
    from shuangliang.appeals.models import HANDLING_STATES, Status

    return {
        "category_id": F("category_id"),
        "is_open": ExpressionWrapper(
            Q(status__in=[Status.SUBMITTED, *HANDLING_STATES]), output_field=BooleanField()
        ),
        "due_on": Case(
            When(status=Status.SUBMITTED, then=F("accept_due_on")),
            When(status__in=HANDLING_STATES, then=F("conclude_due_on")),
            default=None,
            output_field=DateField(),
        ),
    }


def _tally_counts() -> dict:
    aggregates = _aggregates()
    return {field: aggregates[key] for field, key in TALLY_COUNTS.items()}


APPEAL_TALLY = tallies.TallySpec(
    tally="statistics.AppealTally",
    source=_tally_source,
    federation_field="handling_federation_id",
    key_expressions=_tally_keys,
    counts=_tally_counts,
)


def _from_tallies(query: Query, group: str | None) -> dict[Any, Counts]:
    from shuangliang.statistics.models import AppealTally

    qs = AppealTally.objects.all()
    if query.root is not None:
        qs = qs.filter(federation__path__startswith=query.root.path)
    aggregates = {key: Coalesce(Sum(field), 0) for field, key in TALLY_COUNTS.items()}
    aggregates["appeals_open"] = Coalesce(Sum("received", filter=Q(is_open=True)), 0)
    aggregates["appeals_overdue"] = Coalesce(
        Sum("received", filter=Q(is_open=True, due_on__lt=query.day)), 0
    )
    return grouped(qs, group, aggregates)


def _appeal_saving(sender, instance, **kwargs) -> None:
    instance._tally_old_federation_id = previous_value(instance, "handling_federation_id")


def _appeal_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    old = getattr(instance, "_tally_old_federation_id", None)
    tallies.refresh(APPEAL_TALLY, {instance.handling_federation_id, old})


def median_days_to_conclusion(query: Query, dimension: str) -> dict[Any, float | None]:
    """Per group, the median of the days from acceptance to answer of the concluded appeals,
    to one place; one query whatever the number of groups, the same SQL on SQLite and
    PostgreSQL: each concluded appeal is numbered within its group by duration, and only the
    middle one (odd count) or two (even count) rows come back, whose mean is the median."""
    group = APPEAL_GROUPS[dimension]
    qs = _appeals(query).filter(accepted_at__isnull=False, answered_at__isnull=False)
    if query.as_of is not None:
        qs = qs.filter(answered_at__date__lte=query.as_of)
    partition = [F(group)] if group is not None else []
    duration = ExpressionWrapper(F("answered_at") - F("accepted_at"), output_field=DurationField())
    rows = (
        qs.annotate(
            _duration=duration,
            _n=Window(Count("pk"), partition_by=partition),
            _rank=Window(
                RowNumber(), partition_by=partition, order_by=[duration.asc(), F("pk").asc()]
            ),
        )
        # Integer division on both databases: ranks (n+1)/2 and n/2+1 are the middle rows.
        .filter(Q(_rank=(F("_n") + 1) / 2) | Q(_rank=F("_n") / 2 + 1))
        .values_list(group or "pk", "_duration")
        .order_by()
    )
    middles: dict[Any, list[datetime.timedelta]] = {}
    for key, duration_value in rows:  # at most two rows per group
        middles.setdefault(key if group is not None else None, []).append(duration_value)
    return {
        key: round(sum(d.total_seconds() for d in values) / len(values) / 86400, 1)
        for key, values in middles.items()
    }


def appeal_figures(
    *, user, federation=None, dimension: str = ALL, limit: int | None = None
) -> list[GroupRow]:
    """The appeals' figures page: received, accepted, on-time and satisfaction rates (the
    appeals provider's counts, as everywhere) and the median days to conclusion, for the
    user's scope (under `federation`), as one row (ALL) or per handling federation,
    enterprise or category, most appeals first (the first `limit` groups). Three queries
    per call, whatever the number of appeals and groups."""
    from shuangliang.appeals.models import Category
    from shuangliang.register.models import Enterprise, Federation

    query = Query(user=user, root=federation)
    counts = collect(query, dimension, only=("appeals",))
    medians = median_days_to_conclusion(query, dimension)
    if dimension == ALL:
        figures = derive(counts[None])
        figures["appeals_median_days_to_conclusion"] = medians.get(None)
        return [GroupRow(None, "", figures, {})]
    model = {PLACE: Federation, ENTERPRISE: Enterprise, CATEGORY: Category}[dimension]
    names = dict(model.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    keys = sorted(counts, key=lambda key: (-counts[key]["appeals_received"], names.get(key, "")))
    rows = []
    for key in keys[:limit]:  # a loop over groups, not over appeals
        figures = derive(counts[key])
        figures["appeals_median_days_to_conclusion"] = medians.get(key)
        param = {PLACE: "federation", ENTERPRISE: "enterprise", CATEGORY: "category"}[dimension]
        rows.append(GroupRow(key, names.get(key) or "—", figures, {param: key}))
    return rows


def install() -> None:
    """Install the provider(s) of this module in the figure layer, and keep its tally."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from shuangliang.appeals.models import Appeal

    tallies.register("appeals", APPEAL_TALLY)
    uid = "statistics.tallies.appeals"
    pre_save.connect(_appeal_saving, sender=Appeal, dispatch_uid=f"{uid}.0")
    post_save.connect(_appeal_changed, sender=Appeal, dispatch_uid=f"{uid}.1")
    post_delete.connect(_appeal_changed, sender=Appeal, dispatch_uid=f"{uid}.2")
    register_provider(
        "appeals",
        appeal_provider,
        (
            "appeals_received",
            "appeals_accepted",
            "appeals_concluded",
            "appeals_on_time",
            "appeals_overdue",
            "appeals_open",
        ),
    )
