"""Helpers of the standards pages."""

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from shuangliang.backoffice.views.photos import _photo_headers, _placeholder_png
from shuangliang.core.access import scope_for
from shuangliang.core.images import sniff_image_type

logger = logging.getLogger(__name__)


def require_reader(request: HttpRequest) -> None:
    """Federation pages: staff and leaders of a federation (and superusers)."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


def require_staff(request: HttpRequest) -> None:
    if not scope_for(request.user).can_write_register:
        raise Http404


def serve_photo(field) -> HttpResponse:
    """A stored evidence photo as an image that can run nothing; a placeholder if missing."""
    if field:
        try:
            handle = field.storage.open(field.name, "rb")
        except OSError:
            logger.warning("Evidence file missing: %s", field.name)
        else:
            content_type = sniff_image_type(handle.read(16))
            if content_type is not None:
                handle.seek(0)
                return _photo_headers(FileResponse(handle, content_type=content_type))
            handle.close()
    return _photo_headers(HttpResponse(_placeholder_png(), content_type="image/png"))
