"""Cadre photos in the back office (QUALITY.md B4).

Photos are never reachable by a media URL (the project does not serve MEDIA_URL): staff get
them only through `person_photo`, after the same access check as the person's page. Uploads
and removals go through the register services, which clean the image and log the change.
"""

import io
import logging
from functools import cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from shuangliang.core.access import get_visible_or_404
from shuangliang.core.images import sniff_image_type
from shuangliang.register import services
from shuangliang.register.models import Person

logger = logging.getLogger(__name__)

# The response is an image, never a document: it may run nothing and load nothing.
PHOTO_CSP = "default-src 'none'; sandbox"


@cache
def _placeholder_png() -> bytes:
    """A plain grey portrait-shaped image, for a person without a (readable) photo."""
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (221, 221, 221)).save(out, "PNG")
    return out.getvalue()


def _photo_headers(response: HttpResponse) -> HttpResponse:
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = PHOTO_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_GET
def person_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's photo for staff who may see the person; a placeholder when there is none."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    if person.photo:
        try:
            handle = person.photo.storage.open(person.photo.name, "rb")
        except OSError:
            logger.warning("Photo file missing for person %s", person.pk)
        else:
            # The stored file's own bytes decide its type, never its name.
            content_type = sniff_image_type(handle.read(16))
            if content_type is not None:
                handle.seek(0)
                return _photo_headers(FileResponse(handle, content_type=content_type))
            handle.close()
            logger.warning("Photo file of person %s is not a served image type", person.pk)
    return _photo_headers(HttpResponse(_placeholder_png(), content_type="image/png"))


@require_POST
def person_photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the person's photo with a cleaned copy of the uploaded image."""
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.person_set_photo(actor=request.user, person=person, file=upload)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo was saved."))
    return redirect("backoffice:person_detail", pk=person.pk)


@require_POST
def person_photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete the person's photo from the register and from the storage."""
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
    if person.photo:
        services.person_remove_photo(actor=request.user, person=person)
        messages.success(request, _("The photo was removed."))
    else:
        messages.info(request, _("There is no photo to remove."))
    return redirect("backoffice:person_detail", pk=person.pk)
