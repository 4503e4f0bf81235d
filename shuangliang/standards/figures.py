"""The standards' provider of the figure layer (shuangliang.statistics.figures).

- standard_assessed: results of the year (see selectors.results_queryset: a union's latest
  inspector's check per standard), counted by the union's federation;
- standard_compliant: those graded model or qualified (standard_compliance_rate is their
  share, derived by the layer);
- rectifications_open / rectifications_overdue: open now, and past their deadline (None for
  a past day: the states of a past day are not kept).
"""

from typing import Any

from django.db.models import Count, Q

from shuangliang.statistics import figures as layer

from .models import PASSING_GRADES, Rectification
from .selectors import overdue_q, results_queryset

KEYS = ("standard_assessed", "standard_compliant", "rectifications_open", "rectifications_overdue")


def _grouped(qs, field: str | None, aggregates: dict) -> dict[Any, dict]:
    if field is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.values(field).annotate(**aggregates).order_by()
    return {row.pop(field): row for row in rows}


def standards_provider(query: layer.Query, dimension: str) -> dict[Any, dict] | None:
    """Results and rectifications of the place, grouped by the union's federation."""
    if dimension not in (layer.ALL, layer.PLACE):
        return None
    field = None if dimension == layer.ALL else "union__federation_id"
    results = results_queryset(
        year=query.day.year, federation=query.root, user=query.user, as_of=query.as_of
    )
    out = _grouped(
        results,
        field,
        {
            "standard_assessed": Count("pk"),
            "standard_compliant": Count("pk", filter=Q(grade__in=PASSING_GRADES)),
        },
    )
    if query.as_of is not None:
        for counts in out.values():
            counts.update(rectifications_open=None, rectifications_overdue=None)
        return out
    rectifications = layer._scoped(Rectification.objects.all(), query, "union__federation__path")
    tasks = _grouped(
        rectifications,
        field,
        {
            "rectifications_open": Count("pk", filter=Q(state=Rectification.State.OPEN)),
            "rectifications_overdue": Count("pk", filter=overdue_q(query.day)),
        },
    )
    for key, counts in tasks.items():
        out.setdefault(key, {"standard_assessed": 0, "standard_compliant": 0}).update(counts)
    for counts in out.values():
        counts.setdefault("rectifications_open", 0)
        counts.setdefault("rectifications_overdue", 0)
    return out


def install() -> None:
    layer.register_provider("standards", standards_provider, KEYS)
