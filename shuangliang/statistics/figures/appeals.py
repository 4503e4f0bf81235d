"""The appeals' provider: appeals received (by the federation handling them), concluded, on
time, rated, satisfied, overdue and open."""

from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from .core import ALL, CATEGORY, PLACE, Counts, Query, grouped, register_provider, scoped


def appeal_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Appeals received (by the federation handling them), concluded, on time, overdue, open.

    The rules are those of `appeals.selectors`: concluded means accepted and answered, on
    time means answered (local date) by the conclusion deadline, overdue as `overdue_q`."""
    from shuangliang.appeals.models import HANDLING_STATES, Appeal, Satisfaction, Status
    from shuangliang.appeals.selectors import overdue_q

    group = {ALL: None, PLACE: "handling_federation_id", CATEGORY: "category_id"}
    if dimension not in group:
        return None
    qs = scoped(Appeal.objects.all(), query, "handling_federation__path")
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
    out = grouped(qs, group[dimension], aggregates)
    if past:
        for counts in out.values():
            counts.update(appeals_overdue=None, appeals_open=None)
    return out


def install() -> None:
    """Install the provider(s) of this module in the figure layer."""
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
