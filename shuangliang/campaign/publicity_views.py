"""Staff pages of publicity: news items (write, correct, publish, withdraw), their photos, the
monthly bulletin PDF and a union's embeddable card code.

News is for federation staff of the item's federation or above (leaders read); union
officers and assigned cadres have no part in it, and get a 404 like any outsider.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.backoffice.views.common import paginate
from shuangliang.backoffice.views.photos import _photo_headers, _placeholder_png
from shuangliang.core.access import can, get_visible_or_404, scope_for
from shuangliang.core.actionlog import history_for
from shuangliang.core.images import sniff_image_type
from shuangliang.doublebright.print_views import pdf_response
from shuangliang.doublebright.services import union_page_ensure
from shuangliang.register.models import Union

from . import bulletin
from .models import NewsItem, NewsPhoto
from .publicity_forms import BulletinForm, NewsItemForm
from .publicity_services import news_item_create, news_item_transition, news_item_update
from .selectors.publicity import news_federations, news_list
from .services import CampaignError
from .views.common import int_param, post_data, require_federation_staff, require_plan_reader

logger = logging.getLogger(__name__)

EMBED_WIDTH, EMBED_HEIGHT = 360, 240  # CSS pixels of the suggested <iframe>


def _public_url(request: HttpRequest, item: NewsItem) -> str | None:
    if not item.is_public_on(timezone.localdate()):
        return None
    return request.build_absolute_uri(
        reverse("public:news_detail", args=[item.federation.division_code, item.pk])
    )


@require_GET
def news_list_view(request: HttpRequest) -> HttpResponse:
    require_plan_reader(request)
    federation = int_param(request, "federation")
    state = request.GET.get("state") or None
    return render(
        request,
        "campaign/news_list.html",
        {
            "page": paginate(
                request, news_list(user=request.user, federation=federation, state=state)
            ),
            "federation": federation,
            "state": state,
            "states": NewsItem.State.choices,
            "federations": news_federations(user=request.user, action="view"),
            "can_write": news_federations(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def news_create(request: HttpRequest) -> HttpResponse:
    require_federation_staff(request)
    form = NewsItemForm(post_data(request), request.FILES or None, user=request.user)
    if form.is_valid():
        try:
            item = news_item_create(
                actor=request.user,
                federation=form.cleaned_data["federation"],
                data=form.item_data(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_error("photos", error)
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The news item was saved as a draft."))
            return redirect(item)
    return render(
        request, "campaign/news_form.html", {"form": form, "title": _("Write a news item")}
    )


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(NewsItem.objects.select_related("federation"), request.user, pk=pk)
    return render(
        request,
        "campaign/news_detail.html",
        {
            "item": item,
            "photos": list(item.photos.all()),
            "can_change": can(request.user, "change", item),
            "public_url": _public_url(request, item),
            "history": history_for(item)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(
        NewsItem.objects.select_related("federation"), request.user, "change", pk=pk
    )
    form = NewsItemForm(post_data(request), request.FILES or None, instance=item, user=request.user)
    if form.is_valid():
        try:
            news_item_update(
                actor=request.user,
                item=item,
                data=form.item_data(),
                photos=form.cleaned_data["photos"],
                remove_photos=form.cleaned_data.get("remove_photos") or (),
            )
        except ValidationError as error:
            form.add_error("photos", error)
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The news item was saved."))
            return redirect(item)
    return render(
        request,
        "campaign/news_form.html",
        {"form": form, "title": _("Edit the news item"), "item": item},
    )


def _transition(request: HttpRequest, pk: int, to: str, done: str) -> HttpResponse:
    item = get_visible_or_404(NewsItem.objects.all(), request.user, "change", pk=pk)
    try:
        news_item_transition(actor=request.user, item=item, to=to)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(item)


@require_POST
def news_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, NewsItem.State.PUBLISHED, _("The news item was published."))


@require_POST
def news_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, NewsItem.State.WITHDRAWN, _("The news item was withdrawn."))


@require_GET
def news_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A news item's photo for the staff who may read the item, whatever its state."""
    photo = get_visible_or_404(NewsPhoto.objects.all(), request.user, pk=pk)
    return photo_response(photo, headers=_photo_headers)


def photo_response(photo: NewsPhoto, *, headers) -> HttpResponse:
    """The stored photo (its own bytes decide the type), or a placeholder when the file is
    missing or unreadable; `headers` adds the caller's response headers."""
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except (OSError, ValueError):
        logger.warning("News photo file missing: %s", photo.pk)
    else:
        content_type = sniff_image_type(handle.read(16))
        if content_type is not None:
            handle.seek(0)
            return headers(FileResponse(handle, content_type=content_type))
        handle.close()
    return headers(HttpResponse(_placeholder_png(), content_type="image/png"))


@require_GET
def news_bulletin(request: HttpRequest) -> HttpResponse:
    """Pick a federation and a month for the printable bulletin."""
    require_plan_reader(request)
    form = BulletinForm(None, user=request.user)
    return render(request, "campaign/news_bulletin.html", {"form": form})


@require_GET
def news_bulletin_pdf(request: HttpRequest) -> HttpResponse:
    require_plan_reader(request)
    form = BulletinForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "campaign/news_bulletin.html", {"form": form})
    federation, month = form.cleaned_data["federation"], form.cleaned_data["month"]
    data = bulletin.news_bulletin_pdf(user=request.user, federation=federation, month=month)
    filename = _("%(federation)s bulletin %(month)s.pdf") % {
        "federation": federation.name,
        "month": month.strftime("%Y-%m"),
    }
    return pdf_response(data, filename)


@require_GET
def union_embed_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The <iframe> code that shows the union's card on an enterprise's intranet."""
    union = get_visible_or_404(Union.objects.select_related("federation"), request.user, pk=pk)
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths or pk in scope.union_ids):
        # An assigned cadre sees the union, but its publicity is for its staff and chair.
        raise Http404
    page = union_page_ensure(union=union)
    embed_url = request.build_absolute_uri(reverse("public:union_embed", args=[page.token]))
    # Escaped once for the copied HTML; the template escapes it again to show it as text.
    code = format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'referrerpolicy="no-referrer"></iframe>',
        embed_url,
        union.name,
        EMBED_WIDTH,
        EMBED_HEIGHT,
    )
    return render(
        request,
        "campaign/embed_code.html",
        {
            "union": union,
            "code": code,
            "embed_url": embed_url,
            "width": EMBED_WIDTH,
            "height": EMBED_HEIGHT,
            "public_url": request.build_absolute_uri(
                reverse("public:union_page", args=[page.token])
            ),
        },
    )
