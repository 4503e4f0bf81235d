"""Guards and helpers shared by the campaign's views. Objects are fetched only through
core.access; a page the role has no part in is a 404, as everywhere."""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from shuangliang.core.access import _assigned_enterprise_ids, scope_for, visible
from shuangliang.register.models import Enterprise


def require_plan_reader(request: HttpRequest) -> None:
    """Campaign plans are for federation staff and leaders (and superusers)."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


def require_federation_staff(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.staff_paths):
        raise Http404


def require_field_user(request: HttpRequest) -> None:
    """Field work pages: federation staff, leaders and assigned cadres (not union officers:
    a visit records what workers raised about their employer)."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths or scope.is_assigned_cadre):
        raise Http404


def visitable_enterprises(user) -> QuerySet[Enterprise]:
    """Enterprises the user may log a visit to: those they may change (staff) and those
    assigned to them today (cadres). Leaders read only."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Enterprise.objects.select_related("federation")
    q = Q(pk__in=visible(Enterprise.objects.all(), user, "change").values("pk"))
    if scope.is_assigned_cadre:
        q |= Q(pk__in=_assigned_enterprise_ids(scope))
    return Enterprise.objects.filter(q).select_related("federation").order_by("name", "id")


def post_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def int_param(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None
