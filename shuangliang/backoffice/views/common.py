"""Helpers shared by the back-office views: pagination, sorting and access guards."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Func, Subquery
from django.http import Http404, HttpRequest

from shuangliang.core.access import scope_for


def paginate(request: HttpRequest, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.LIST_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class PkInKeys(Func):
    """`pk IN (keys)`, written `pk = ANY(ARRAY(keys))` on PostgreSQL: the array is computed
    once and read through the primary key's index. PostgreSQL planned `IN (subquery with a
    LIMIT)` over a list's joins as a hash semi-join of every row of the table."""

    output_field = BooleanField()

    def __init__(self, keys):
        super().__init__(F("pk"), Subquery(keys))

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        keys_sql, keys_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"{pk_sql} = ANY(ARRAY{keys_sql})", (*pk_params, *keys_params)
        return f"{pk_sql} IN {keys_sql}", (*pk_params, *keys_params)


class KeysFirstPaginator(Paginator):
    """Pages a long, filtered list in two steps inside one query: the page's primary keys
    (the filter and the sort walk the base table and its indexes only, so a deep OFFSET
    skips bare index entries), then the page's rows with their joins for those keys alone.
    Same rows and order as slicing the queryset; the query count does not change.

    `rows`, if given, is the unscoped queryset (same joins and order) the page's rows are
    read from, by the keys alone (PkInKeys): with the scope's filter repeated around the
    keys, PostgreSQL joined every visible row before it looked at the page's keys."""

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        keys = queryset.select_related(None).values("pk")[bottom:top]
        if self.rows is None:
            return self._get_page(queryset.filter(pk__in=keys), number, self)
        return self._get_page(self.rows.filter(PkInKeys(keys)), number, self)


def paginate_keys_first(request: HttpRequest, queryset, per_page: int | None = None, rows=None):
    """`paginate` for the long register lists (see KeysFirstPaginator)."""
    paginator = KeysFirstPaginator(queryset, per_page or settings.LIST_PAGE_SIZE, rows=rows)
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
