"""The overview page a user lands on after logging in."""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import Union
from shuangliang.register.selectors import stats_summary


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    figures = stats_summary(user=request.user) if scope.is_anything else None
    today = timezone.localdate()
    warn_until = today + datetime.timedelta(days=settings.REELECTION_WARNING_DAYS)
    # Re-election due: term_start + term_years <= warn_until; filtered in Python over a
    # bounded, indexed slice because the date arithmetic differs between databases.
    candidates = (
        visible(Union.objects.all(), request.user)
        .filter(
            term_start__isnull=False,
            term_start__lte=warn_until - datetime.timedelta(days=3 * 365 - 3),
        )
        .select_related("federation")
        .order_by("term_start")[:200]
    )
    due = [u for u in candidates if u.reelection_state in {"lapsed", "due_soon"}]
    reelections = sorted(due, key=lambda union: union.reelection_due_on)[:20]
    return render(
        request,
        "backoffice/home.html",
        {"figures": figures, "reelections": reelections, "today": today},
    )
