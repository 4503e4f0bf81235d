"""JSON API, version 1."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import Federation
from shuangliang.register.selectors import stats_summary


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_not_required
@require_GET
def stats_summary_view(request: HttpRequest) -> JsonResponse:
    """Headline figures for the caller's scope; `?federation=<division code>` narrows it."""
    if not request.user.is_authenticated or not scope_for(request.user).is_anything:
        return _error(401, "authentication required")
    federation = None
    code = request.GET.get("federation", "").strip()
    if code:
        federation = visible(Federation.objects.filter(division_code=code), request.user).first()
        if federation is None:
            return _error(404, "no such federation in your scope")
    figures = stats_summary(user=request.user, federation=federation)
    figures["federation"] = federation.division_code if federation else None
    return JsonResponse(figures)
