"""Helpers shared by the back-office views: pagination, sorting and access guards."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from shuangliang.core.access import scope_for


def paginate(request: HttpRequest, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.LIST_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class KeysFirstPaginator(Paginator):
    """Pages a long, filtered list in two steps inside one query: the page's primary keys
    (the filter and the sort walk the base table and its indexes only, so a deep OFFSET
    skips bare index entries), then the page's rows with their joins for those keys alone.
    Same rows and order as slicing the queryset; the query count does not change."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        keys = queryset.select_related(None).values("pk")[bottom:top]
        return self._get_page(queryset.filter(pk__in=keys), number, self)


def paginate_keys_first(request: HttpRequest, queryset, per_page: int | None = None):
    """`paginate` for the long register lists (see KeysFirstPaginator)."""
    paginator = KeysFirstPaginator(queryset, per_page or settings.LIST_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def require_register_staff(request: HttpRequest) -> None:
    """Creating and deleting register records is for federation staff (and superusers)."""
    if not scope_for(request.user).can_write_register:
        raise Http404


def require_any_scope(request: HttpRequest) -> None:
    if not scope_for(request.user).is_anything:
        raise Http404


def post_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None
