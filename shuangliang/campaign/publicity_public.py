"""Public publicity routes (no login): a federation's news item page, its photos and Atom
feed, and a union's embeddable card.

Only published items whose date has come are shown; a draft, a withdrawn item or another
federation's item is a 404 whatever the address. Titles and bodies are plain text, escaped
by the templates and by the feed writer (QUALITY.md B6).

The embeddable card is the one route that other sites may frame: it drops our
`X-Frame-Options: DENY` and sends its own Content-Security-Policy whose `frame-ancestors`
allows EMBED_FRAME_ANCESTORS (default any site). It sets no cookie: the template takes no
CSRF token and nothing touches the session.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, get_tag_uri
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from shuangliang.doublebright import selectors as public_selectors
from shuangliang.doublebright import services as public_services
from shuangliang.doublebright.models import UnionPage
from shuangliang.register.models import Federation, Position

from .models import NewsItem, NewsPhoto
from .publicity_views import photo_response
from .selectors.publicity import (
    FEED_SIZE,
    news_public_item,
    news_public_list,
    news_public_photo,
)

# A photo is an image, never a document: it may run nothing and load nothing.
PHOTO_CSP = "default-src 'none'; sandbox"


def embed_csp() -> str:
    """The card's policy: our own stylesheet and images, nothing else; framed by anyone
    (or by the hosts in settings.EMBED_FRAME_ANCESTORS)."""
    ancestors = getattr(settings, "EMBED_FRAME_ANCESTORS", "*")
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )


def _public(response: HttpResponse) -> HttpResponse:
    """No stale copies on the way (a withdrawn item disappears at once), no indexing."""
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, no_cache=True)
    return response


def _federation_or_404(division_code: str) -> Federation:
    try:
        return public_selectors.federation_by_division_code(division_code=division_code)
    except Federation.DoesNotExist:
        raise Http404 from None


def _item_path(item: NewsItem, federation: Federation) -> str:
    return reverse("public:news_detail", args=[federation.division_code, item.pk])


@login_not_required
@require_safe
def news_detail(request: HttpRequest, division_code: str, pk: int) -> HttpResponse:
    federation = _federation_or_404(division_code)
    try:
        item = news_public_item(federation=federation, pk=pk)
    except NewsItem.DoesNotExist:
        raise Http404 from None
    response = render(
        request,
        "campaign/news_public_item.html",
        {
            "federation": federation,
            "item": item,
            "photo_ids": list(item.photos.values_list("pk", flat=True)),
            "indexable": False,
        },
    )
    return _public(response)


def _public_photo_headers(response: HttpResponse) -> HttpResponse:
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PHOTO_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return _public(response)


@login_not_required
@require_safe
def news_photo(request: HttpRequest, division_code: str, pk: int, photo: int) -> HttpResponse:
    """A photo of a published item; a 404 for any other item's photo."""
    federation = _federation_or_404(division_code)
    try:
        news_photo_obj = news_public_photo(federation=federation, item_pk=pk, photo_pk=photo)
    except NewsPhoto.DoesNotExist:
        raise Http404 from None
    return photo_response(news_photo_obj, headers=_public_photo_headers)


def _paragraphs_html(item: NewsItem) -> str:
    # The feed's summary is of type "html": readers render it, so the plain text is
    # escaped here (and the XML writer escapes the result once more).
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in item.paragraphs)


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_not_required
@require_safe
def news_feed(request: HttpRequest, division_code: str) -> HttpResponse:
    """The federation's published news as an Atom feed, newest first."""
    federation = _federation_or_404(division_code)
    page_url = request.build_absolute_uri(
        reverse("public:federation_page", args=[federation.division_code])
    )
    feed = Atom1Feed(
        title=_("News of %(federation)s") % {"federation": federation.name},
        link=page_url,
        description="",
        language=get_language(),
        feed_url=request.build_absolute_uri(),
        author_name=federation.name,
    )
    for item in news_public_list(federation=federation)[:FEED_SIZE]:
        link = request.build_absolute_uri(_item_path(item, federation))
        published = _as_datetime(item.published_on)
        feed.add_item(
            title=item.title,
            link=link,
            description=_paragraphs_html(item),
            unique_id=get_tag_uri(link, published),
            pubdate=published,
            updateddate=max(item.updated_at, published),
            author_name=federation.name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return _public(response)


@login_not_required
@require_safe
@xframe_options_exempt
def union_embed(request: HttpRequest, token: str) -> HttpResponse:
    """A small card of the union for another site to frame: its name, its chair as on the
    public page (phones and photo only with consent: doublebright.selectors), and a link
    to the public page."""
    try:
        page = public_selectors.union_page_by_token(token=token)
    except UnionPage.DoesNotExist:
        raise Http404 from None
    union = page.union
    chairs = [
        officer
        for officer in public_selectors.union_current_officers(union=union)
        if officer.position == Position.CHAIR
    ]
    credentials = public_services.credentials_ensure(officers=chairs)
    response = render(
        request,
        "campaign/union_embed.html",
        {
            "union": union,
            "page": page,
            "chairs": public_selectors.public_cadres(officers=chairs, credentials=credentials),
        },
    )
    response["Content-Security-Policy"] = embed_csp()
    return _public(response)
