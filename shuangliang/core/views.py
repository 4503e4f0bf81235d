"""Error pages: short, in the user's language, with a support id instead of details."""

from django.http import HttpRequest, HttpResponse
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 page that shows only the request id a clerk can quote to support."""
    template = loader.get_template("500.html")
    context = {"support_id": getattr(request, "request_id", "-")}
    return HttpResponse(template.render(context), status=500)
