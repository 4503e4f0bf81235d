"""Public pages (no login): a union's page, a cadre's verification, a federation's page.

Everything here is reached from a QR code on a wall or a badge, mostly inside WeChat on a
cheap phone: small server-rendered pages, no script. Nothing is cached on the way (browsers
and proxies revalidate); the server reuses a union page's rendered content only while its
version stamps are unchanged (page_cache.py), so a withdrawn consent or a change of chair
shows on the very next request.
"""

import io
import logging
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe
from PIL import Image

from shuangliang.core.images import sniff_image_type
from shuangliang.doublebright import selectors, services
from shuangliang.doublebright.models import Credential, UnionPage
from shuangliang.notices.templatetags.notices_public import model_unit_years
from shuangliang.register.models import Federation

from . import page_cache
from .frame import union_page_frame
from .qr import qr_png, qr_svg

# A photo is an image, never a document: it may run nothing and load nothing.
PHOTO_CSP = "default-src 'none'; sandbox"
QR_TYPES: dict[str, tuple[Callable[[str], bytes], str]] = {
    "svg": (qr_svg, "image/svg+xml"),
    "png": (qr_png, "image/png"),
}
SEARCH_MAX_LENGTH = 100

logger = logging.getLogger(__name__)


@cache
def _placeholder_png() -> bytes:
    """A plain grey portrait-shaped image."""
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (221, 221, 221)).save(out, "PNG")
    return out.getvalue()


def _public(response: HttpResponse, *, indexable: bool = False) -> HttpResponse:
    """Headers of every public response: no stale copies, and no indexing unless opted in."""
    if not indexable:
        response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, no_cache=True)
    return response


@login_not_required
@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """The public pages' language switch: links (?language=…&next=…), so that a public page
    carries no form and therefore no CSRF token or cookie (it is a phone's first request, and
    the same for every reader). Remembers a known language in the same cookie as Django's
    `set_language` (which the staff pages post to) and returns to `next` when it is a page of
    this site, else to the home page."""
    code = request.GET.get("language", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    patch_cache_control(response, no_store=True)
    return response


def _union_page_or_404(token: str) -> UnionPage:
    try:
        return selectors.union_page_by_token(token=token)
    except UnionPage.DoesNotExist:
        raise Http404


def _credential_or_404(token: str) -> Credential:
    try:
        return selectors.credential_by_token(token=token)
    except Credential.DoesNotExist:
        raise Http404


@login_not_required
@require_safe
def union_page(request: HttpRequest, token: str) -> HttpResponse:
    """One query when the content is cached (with the notices app's model-unit years, shown
    outside the cached content), three when it is rendered."""
    try:
        page = selectors.union_page_for_public(token=token)
    except UnionPage.DoesNotExist:
        raise Http404
    union = page.union
    key = page_cache.union_page_key(page=page)
    content = page_cache.get(key)
    if content is None:
        data = selectors.union_public_content(page=page)
        content = render_to_string(
            "public/union_page_content.html",
            {
                "page": page,
                "union": union,
                "enterprises": data.enterprises,
                "cadres": data.cadres,
                "assigned_cadres": data.assigned_cadres,
                "concern": data.concern,
            },
        )
        page_cache.put(key, content)
    # The model-unit years are read with the page (one query), outside the cached content.
    years = model_unit_years(union)
    body = (
        render_to_string("public/union_page_model_units.html", {"years": years}) if years else ""
    ) + content
    # The frame (head, robots meta, language links) is rendered once per language (frame.py).
    html = union_page_frame(indexable=page.indexable).fill(
        title=union.name, here=request.get_full_path(), body=body
    )
    response = HttpResponse(html)
    return _public(response, indexable=page.indexable)


@login_not_required
@require_safe
def credential_verify(request: HttpRequest, token: str) -> HttpResponse:
    """One query (a second, once, to create the union's page when it has none)."""
    try:
        credential = selectors.credential_for_public(token=token)
    except Credential.DoesNotExist:
        raise Http404
    officer = credential.officer
    status = selectors.credential_status(credential=credential)
    page = getattr(officer.union, "public_page", None) or services.union_page_ensure(
        union=officer.union
    )
    person = officer.person
    response = render(
        request,
        "public/credential_verify.html",
        {
            "credential": credential,
            "officer": officer,
            "union": officer.union,
            "person_name": person.name,
            "status": status,
            "show_photo": status.is_valid and person.has_published_photo,
            "union_page": page,
            "indexable": False,
        },
    )
    # A verification page names a person: never indexed, whatever the union chose.
    return _public(response)


@login_not_required
@require_safe
def credential_photo(request: HttpRequest, token: str) -> HttpResponse:
    """The cadre's photo, only while they are in office and consent to its publication;
    a plain placeholder when they consent but no readable photo is on file."""
    person = selectors.credential_photo_holder(token=token)
    if person is None:
        raise Http404
    response = None
    if person.photo:
        try:
            handle = person.photo.storage.open(person.photo.name, "rb")
        except OSError:
            logger.warning("Photo file missing for person %s", person.pk)
        else:
            # The stored bytes decide the type, never the file name (which is not sent).
            content_type = sniff_image_type(handle.read(16))
            if content_type is None:
                handle.close()
            else:
                handle.seek(0)
                response = FileResponse(handle, content_type=content_type)
    if response is None:
        response = HttpResponse(_placeholder_png(), content_type="image/png")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = PHOTO_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _qr_response(request: HttpRequest, path: str, kind: str) -> HttpResponse:
    draw, content_type = QR_TYPES[kind]
    response = HttpResponse(draw(request.build_absolute_uri(path)), content_type=content_type)
    return _public(response)


@login_not_required
@require_safe
def union_qr(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """The QR code of the union's public page (for the signboard and the notice board)."""
    page = _union_page_or_404(token)
    return _qr_response(request, reverse("public:union_page", args=[page.token]), kind)


@login_not_required
@require_safe
def credential_qr(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """The QR code of a cadre's verification page (for the badge and the contact card)."""
    credential = _credential_or_404(token)
    path = reverse("public:credential_verify", args=[credential.token])
    return _qr_response(request, path, kind)


@login_not_required
@require_safe
def federation_page(request: HttpRequest, division_code: str) -> HttpResponse:
    try:
        federation = selectors.federation_by_division_code(division_code=division_code)
    except Federation.DoesNotExist:
        raise Http404
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    unions = selectors.federation_public_unions(federation=federation, q=q)
    page_obj = Paginator(unions, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    # Pages are created for the unions on this page only, in one insert, the first time.
    missing = [union for union in rows if getattr(union, "public_page", None) is None]
    created = services.union_pages_ensure(unions=missing) if missing else {}
    groups: list[tuple[Federation, list[tuple[str, str]]]] = []
    for union in rows:
        page = created.get(union.pk) or union.public_page
        if not groups or groups[-1][0].pk != union.federation_id:
            groups.append((union.federation, []))
        groups[-1][1].append((union.name, page.token))
    response = render(
        request,
        "public/federation_page.html",
        {
            "federation": federation,
            "q": q,
            "groups": groups,
            "page_obj": page_obj,
            "indexable": False,
        },
    )
    return _public(response)
