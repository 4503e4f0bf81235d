"""The campaign's provider: visits to enterprises of the place in the 90 days up to the day."""

import datetime
from typing import Any

from django.db.models import Count

from .core import ALL, PLACE, VISIT_WINDOW_DAYS, Counts, Query, grouped, register_provider, scoped


def visit_provider(query: Query, dimension: str) -> dict[Any, Counts] | None:
    """Visits to enterprises of the place in the 90 days up to the day."""
    from shuangliang.campaign.models import Visit

    if dimension not in (ALL, PLACE):
        return None
    day = query.day
    qs = scoped(
        Visit.objects.filter(
            visited_on__gt=day - datetime.timedelta(days=VISIT_WINDOW_DAYS),
            visited_on__lte=day,
        ),
        query,
        "enterprise__federation__path",
    )
    group = None if dimension == ALL else "enterprise__federation_id"
    return grouped(qs, group, {"visits_last_90_days": Count("pk")})


def install() -> None:
    """Install the provider(s) of this module in the figure layer."""
    register_provider("visits", visit_provider, ("visits_last_90_days",))
