"""Reads of publicity: news items for the staff (through the access chokepoint) and for the
public (published items whose date has come, nothing else)."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.core.months import add_months, month_start
from shuangliang.register.models import Federation

from ..models import NewsItem, NewsPhoto

PUBLIC_LATEST = 5
FEED_SIZE = 20


def news_list(*, user, federation: int | None = None, state: str | None = None) -> QuerySet:
    """The news items the user may read, newest first, with their photo counts."""
    qs = visible(NewsItem.objects.all(), user).select_related("federation")
    if federation is not None:
        qs = qs.filter(federation_id=federation)
    if state in NewsItem.State.values:
        qs = qs.filter(state=state)
    return qs.annotate(photo_count=Count("photos")).order_by("-published_on", "-created_at", "-id")


def news_federations(*, user, action: str = "change") -> QuerySet[Federation]:
    """Federations the user may write news for ("change") or read the news of ("view"):
    their own and those under it. A union officer's view of their township is not enough."""
    scope = scope_for(user)
    if not (scope.is_superuser or (scope.staff_paths if action == "change" else scope.read_paths)):
        return Federation.objects.none()
    return visible(Federation.objects.all(), user, action).order_by("path")


def _public(federation: Federation) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(
        federation=federation,
        state=NewsItem.State.PUBLISHED,
        published_on__lte=timezone.localdate(),
    )


def news_public_list(*, federation: Federation) -> QuerySet[NewsItem]:
    """The federation's items the public may read, newest first."""
    return _public(federation).order_by("-published_on", "-id")


def news_public_item(*, federation: Federation, pk) -> NewsItem:
    """One public item of the federation; raises NewsItem.DoesNotExist (also for a draft, a
    withdrawn item, a later date or another federation's item)."""
    return _public(federation).get(pk=pk)


def news_public_photo(*, federation: Federation, item_pk, photo_pk) -> NewsPhoto:
    """A photo of a public item; raises NewsPhoto.DoesNotExist otherwise."""
    return NewsPhoto.objects.get(pk=photo_pk, item__in=_public(federation).filter(pk=item_pk))


def news_month_items(*, federation: Federation, month: datetime.date) -> list[NewsItem]:
    """The federation's items published in the month (as the public sees them), oldest first:
    the news of a monthly bulletin."""
    start = month_start(month)
    return list(
        _public(federation)
        .filter(published_on__gte=start, published_on__lt=add_months(start, 1))
        .order_by("published_on", "id")
    )
