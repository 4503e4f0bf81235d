"""Reads the staff pages have no list for: collective contracts and contract kinds.

Everything goes through the access chokepoint (core.access.visible); the related rows a
response shows are fetched here, in a fixed number of queries whatever the page size.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from shuangliang.core.access import visible
from shuangliang.core.text import normalise_query
from shuangliang.register.models import SIGNED_STEPS, CollectiveContract, ContractKind
from shuangliang.register.selectors import in_subtree


def contract_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    union: int | None = None,
    kind: str = "",
    step: str = "",
    in_force: bool | None = None,
) -> QuerySet[CollectiveContract]:
    """The collective contracts the user may see; `in_force`: signed and not expired."""
    qs = visible(CollectiveContract.objects.all(), user).select_related("union", "kind")
    for word in normalise_query(q).split():
        qs = qs.filter(union__search_text__contains=word)
    if federation:
        qs = in_subtree(qs, federation, "union__federation__path")
    if union:
        qs = qs.filter(union_id=union)
    if kind:
        qs = qs.filter(kind__code=kind)
    if step:
        qs = qs.filter(step=step)
    if in_force is not None:
        valid = Q(step__in=SIGNED_STEPS) & (
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
        )
        qs = qs.filter(valid) if in_force else qs.exclude(valid)
    return qs.prefetch_related("step_records").order_by(
        "union__name", "union_id", "kind__sort_order", "id"
    )


def contract_kind_list() -> QuerySet[ContractKind]:
    """The kinds of collective contract (reference data, the same for everyone)."""
    return ContractKind.objects.order_by("sort_order", "code")
