"""Reads of appeals for the API: the staff list's selector (core.access.visible inside) and
one appeal with its replies and attachments, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from shuangliang.appeals import selectors
from shuangliang.appeals.models import Appeal, Attachment, Message
from shuangliang.core.access import get_visible_or_404

DETAIL_RELATED = (
    "category",
    "enterprise",
    "enterprise__union",
    "handling_federation",
    "handling_union",
    "assignee",
    "escalated_to",
)


def appeal_list(*, user, filters: selectors.AppealFilters) -> QuerySet[Appeal]:
    return selectors.appeal_list(user=user, filters=filters)


def appeal_get(*, user, pk, action="view") -> Appeal:
    """One appeal the user may see (404 otherwise), with replies and attachments."""
    qs = Appeal.objects.select_related(*DETAIL_RELATED).prefetch_related(
        Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
    )
    return get_visible_or_404(qs, user, action, pk=pk)
