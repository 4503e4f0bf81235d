"""Helpers shared by the back-office views: pagination, sorting and access guards."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

from shuangliang.core.access import scope_for


def paginate(request: HttpRequest, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.LIST_PAGE_SIZE)
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
