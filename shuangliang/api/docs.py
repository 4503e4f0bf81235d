"""The OpenAPI schema (/api/v1/schema) and its browsable documentation (/api/v1/docs).

The documentation page is Swagger UI from drf-spectacular-sidecar (no CDN), started by a
static script of ours: no inline script or style, so it runs under the site's CSP.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from shuangliang.core.access import scope_for

from .authentication import ApiSessionAuthentication, ApiTokenAuthentication
from .base import InScope


class SchemaView(SpectacularAPIView):
    """The schema, for any caller with a scope (token or session); JSON unless YAML is asked."""

    authentication_classes = [ApiTokenAuthentication, ApiSessionAuthentication]
    permission_classes = [InScope]
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


@login_not_required
@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for logged-in staff; it calls the API with their session and CSRF token."""
    if not scope_for(request.user).is_anything:
        return JsonResponse({"detail": "authentication required"}, status=401)
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api:schema"),
            "csrf_header": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
        },
    )
