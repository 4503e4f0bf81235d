"""The cadre's enterprises, visits (走訪) logged from a phone, follow-ups, field-work figures."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.backoffice.views.common import paginate
from shuangliang.backoffice.views.photos import _photo_headers, _placeholder_png
from shuangliang.core.access import can, get_visible_or_404, visible
from shuangliang.core.actionlog import history_for
from shuangliang.core.images import sniff_image_type
from shuangliang.register.selectors import federations_for_filter

from .. import selectors, services
from ..forms import FieldworkFilterForm, FollowUpCloseForm, FollowUpForm, VisitForm
from ..models import FollowUp, Visit, VisitPhoto
from .common import int_param, post_data, require_field_user, visitable_enterprises

logger = logging.getLogger(__name__)


def my_enterprises(request: HttpRequest) -> HttpResponse:
    """The enterprises assigned to the user, with what is due at each."""
    require_field_user(request)
    rows = selectors.my_enterprises(user=request.user)
    follow_ups = list(selectors.follow_up_list(user=request.user, state="open", mine=True)[:50])
    return render(
        request,
        "campaign/my_enterprises.html",
        {
            "rows": rows,
            "follow_ups": follow_ups,
            "today": timezone.localdate(),
            # Leaders read the field work; only those who may log a visit get the buttons.
            "can_log": visitable_enterprises(request.user).exists(),
        },
    )


def visit_list(request: HttpRequest) -> HttpResponse:
    require_field_user(request)
    federation = int_param(request, "federation")
    mine = request.GET.get("mine") == "1"
    visits = selectors.visit_list(user=request.user, federation=federation, mine=mine)
    return render(
        request,
        "campaign/visit_list.html",
        {
            "page": paginate(request, visits),
            "federations": federations_for_filter(user=request.user).filter(depth__gte=1),
            "federation": federation,
            "mine": mine,
            "can_log": visitable_enterprises(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    """Log a visit: made for a phone, one column, the follow-up and photos on the same form."""
    enterprises = visitable_enterprises(request.user)
    if not enterprises.exists():
        return render(request, "404.html", status=404)
    chosen_id = request.POST.get("enterprise") or request.GET.get("enterprise")
    chosen = None
    if chosen_id:
        chosen = enterprises.filter(pk=chosen_id).first() if str(chosen_id).isdigit() else None
    form = VisitForm(
        post_data(request),
        request.FILES or None,
        user=request.user,
        enterprises=enterprises,
        enterprise=chosen,
    )
    if form.is_valid():
        try:
            visit = services.visit_log(
                actor=request.user,
                enterprise=form.cleaned_data["enterprise"],
                data=form.visit_data(),
                follow_ups=form.follow_ups(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_error("photos", error)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visit was logged."))
            return redirect(visit)
    return render(request, "campaign/visit_form.html", {"form": form, "enterprise": chosen})


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visible_or_404(
        Visit.objects.select_related("enterprise__federation", "visitor"), request.user, pk=pk
    )
    follow_ups = list(
        visible(visit.follow_ups.all(), request.user).select_related("owner").order_by("due_on")
    )
    changeable = set(
        visible(visit.follow_ups.all(), request.user, "change").values_list("pk", flat=True)
    )
    return render(
        request,
        "campaign/visit_detail.html",
        {
            "visit": visit,
            "photos": list(visit.photos.all()),
            "follow_ups": follow_ups,
            "changeable": changeable,
            "can_change": can(request.user, "change", visit),
            "today": timezone.localdate(),
            "history": history_for(visit)[:20],
        },
    )


@require_GET
def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit's photo, for those who may see the visit (never by a media URL)."""
    photo = get_visible_or_404(VisitPhoto.objects.all(), request.user, pk=pk)
    try:
        handle = photo.image.storage.open(photo.image.name, "rb")
    except OSError:
        logger.warning("Visit photo file missing: %s", photo.pk)
    else:
        content_type = sniff_image_type(handle.read(16))
        if content_type is not None:
            handle.seek(0)
            return _photo_headers(FileResponse(handle, content_type=content_type))
        handle.close()
    return _photo_headers(HttpResponse(_placeholder_png(), content_type="image/png"))


@require_http_methods(["GET", "POST"])
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visible_or_404(
        Visit.objects.select_related("enterprise__federation"), request.user, "change", pk=pk
    )
    form = FollowUpForm(post_data(request), user=request.user, enterprise=visit.enterprise)
    if form.is_valid():
        services.follow_up_add(actor=request.user, visit=visit, data=form.cleaned_data)
        messages.success(request, _("The follow-up was added."))
        return redirect(visit)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Add a follow-up"), "object": visit},
    )


def follow_up_list(request: HttpRequest) -> HttpResponse:
    require_field_user(request)
    state = request.GET.get("state", "open")
    mine = request.GET.get("mine") == "1"
    federation = int_param(request, "federation")
    qs = selectors.follow_up_list(user=request.user, state=state, mine=mine, federation=federation)
    return render(
        request,
        "campaign/follow_up_list.html",
        {
            "page": paginate(request, qs),
            "state": state,
            "mine": mine,
            "federation": federation,
            "federations": federations_for_filter(user=request.user).filter(depth__gte=1),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_visible_or_404(
        FollowUp.objects.select_related("visit__enterprise"), request.user, "change", pk=pk
    )
    form = FollowUpCloseForm(post_data(request))
    if form.is_valid():
        try:
            services.follow_up_transition(
                actor=request.user,
                follow_up=follow_up,
                to=FollowUp.State.CLOSED,
                outcome=form.cleaned_data["outcome"],
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The follow-up was closed."))
        return redirect(follow_up.visit)
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Close the follow-up: %(description)s")
            % {"description": follow_up.description},
            "object": follow_up.visit,
        },
    )


@require_POST
def follow_up_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_visible_or_404(
        FollowUp.objects.select_related("visit"), request.user, "change", pk=pk
    )
    try:
        services.follow_up_transition(
            actor=request.user, follow_up=follow_up, to=FollowUp.State.OPEN
        )
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The follow-up is open again."))
    return redirect(follow_up.visit)


def fieldwork(request: HttpRequest) -> HttpResponse:
    """Per cadre, team and township: visits against the target frequency, enterprises not
    visited in the period, follow-ups open and overdue."""
    require_field_user(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1)
    form = FieldworkFilterForm(request.GET or None, federations=federations)
    data = form.cleaned_data if form.is_valid() else {}
    figures = selectors.fieldwork_figures(
        user=request.user, federation=data.get("federation"), days=data.get("days") or 90
    )
    return render(request, "campaign/fieldwork.html", {"form": form, "figures": figures})
