"""Reads of inspections and rectifications for the API, through the standards app's own
selectors (core.access.visible inside), in a fixed number of queries whatever the page size."""

from django.db.models import Prefetch, QuerySet

from shuangliang.core.access import get_visible_or_404
from shuangliang.core.text import normalise_query
from shuangliang.register.selectors import in_subtree
from shuangliang.standards import selectors
from shuangliang.standards.models import Inspection, Rectification


def inspection_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    kind: str = "",
    state: str = "",
    grade: str = "",
    year: int | None = None,
    union: int | None = None,
) -> QuerySet[Inspection]:
    """The inspections the user may see, the latest year first, as the staff list orders them."""
    qs = selectors.inspections_visible(user=user)
    for word in normalise_query(q).split():
        qs = qs.filter(union__search_text__contains=word)
    if federation:
        qs = in_subtree(qs, federation, "union__federation__path")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if grade:
        qs = qs.filter(grade=grade)
    if year:
        qs = qs.filter(year=year)
    if union:
        qs = qs.filter(union_id=union)
    return qs.order_by("-year", "state", "-updated_at", "-pk")


def inspection_get(*, user, pk) -> Inspection:
    qs = selectors.inspections_visible(user=user).prefetch_related(
        Prefetch(
            "rectifications",
            queryset=Rectification.objects.select_related("item").order_by("deadline", "pk"),
        )
    )
    return get_visible_or_404(qs, user, pk=pk)


def rectification_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    state: str = "",
    union: int | None = None,
) -> QuerySet[Rectification]:
    """The rectifications the user may see, open ones first, as the staff list orders them."""
    qs = selectors.rectifications_visible(user=user)
    for word in normalise_query(q).split():
        qs = qs.filter(union__search_text__contains=word)
    if federation:
        qs = in_subtree(qs, federation, "union__federation__path")
    if state == "overdue":
        qs = qs.filter(selectors.overdue_q())
    elif state:
        qs = qs.filter(state=state)
    if union:
        qs = qs.filter(union_id=union)
    return qs.order_by("state", "deadline", "pk")


def rectification_get(*, user, pk) -> Rectification:
    return get_visible_or_404(selectors.rectifications_visible(user=user), user, pk=pk)
