"""Error pages (short, in the user's language, with a support id) and the health check."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 page that shows only the request id a clerk can quote to support.

    When the database could not be reached (the request's transaction, if any, was rolled
    back), a 503 page says so and asks the client to come back: QUALITY.md D4.
    """
    context = {"support_id": getattr(request, "request_id", "-")}
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "60"
        return response
    template = loader.get_template("500.html")
    return HttpResponse(template.render(context), status=500)


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not.

    It also tells how long the oldest background task has waited, so a stopped worker shows.
    Nothing here names a user, a union or a setting.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    waited = int((now - oldest).total_seconds()) if oldest else 0
    return JsonResponse(
        {"status": "ok", "database": "ok", "oldest_queued_task_seconds": max(waited, 0)}
    )
