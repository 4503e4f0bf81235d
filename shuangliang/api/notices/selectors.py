"""Reads of notices for the API: the published ones among those the staff pages show the
caller (notices.selectors.notices_visible, core.access.visible inside)."""

from django.db.models import QuerySet

from shuangliang.core.access import get_visible_or_404
from shuangliang.notices import selectors
from shuangliang.notices.models import Notice
from shuangliang.register.selectors import in_subtree


def notices_published_visible(*, user) -> QuerySet[Notice]:
    return selectors.notices_visible(user=user).filter(state=Notice.State.PUBLISHED)


def notice_list(
    *, user, q: str = "", federation: int | None = None, year: int | None = None
) -> QuerySet[Notice]:
    """Published notices in scope, the latest issued first."""
    qs = notices_published_visible(user=user)
    for word in q.split():
        qs = qs.filter(title__contains=word)
    if federation:
        qs = in_subtree(qs, federation, "federation__path")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-issued_on", "-number_year", "-number", "-pk")


def notice_get(*, user, pk) -> Notice:
    """A published notice in scope; a draft, or one out of scope, is a 404."""
    return get_visible_or_404(notices_published_visible(user=user), user, pk=pk)
