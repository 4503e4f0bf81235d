"""Staff pages of the Double Bright status: the union's checklist (a phone-sized form), the
review of a submission, the review queue, the coverage list, evidence photos, and the
union's office address and hours.

Every object comes through the access chokepoint: a union outside the user's scope, or a
review by someone who may not review, is a 404.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.backoffice.views.common import paginate, require_any_scope
from shuangliang.backoffice.views.photos import _photo_headers, _placeholder_png
from shuangliang.core.access import can, get_visible_or_404, visible
from shuangliang.core.actionlog import history_for
from shuangliang.core.images import sniff_image_type
from shuangliang.register import services as register_services
from shuangliang.register.models import Federation, Union
from shuangliang.register.selectors import federations_for_filter

from . import services as page_services
from . import status_services
from .compliance import status_officers_changed
from .models import DoubleBrightStatus
from .status_forms import ContactForm, CoverageFilterForm, RejectForm, StatusForm
from .status_selectors import (
    MISSING_ITEM_MESSAGES,
    Coverage,
    can_review,
    coverage_list,
    coverage_summary,
    missing_items,
    review_queue,
    reviewable_statuses,
    union_is_compliant,
    union_status,
)

logger = logging.getLogger(__name__)

State = DoubleBrightStatus.State
PHOTO_ROUTES = {"signboard_photo": "signboard", "notice_board_photo": "notice_board"}


def _union(request: HttpRequest, pk: int, action: str = "view") -> Union:
    return get_visible_or_404(
        Union.objects.select_related("federation"), request.user, action, pk=pk
    )


def checklist(
    union: Union, shown: DoubleBrightStatus, *, saved: bool, officers_changed: bool
) -> list[dict]:
    """The checklist's lines: label, whether the item holds (None: not yet known), detail,
    and the address of its evidence photo."""

    def photo_url(field: str) -> str:
        if saved and getattr(shown, field):
            return reverse(f"dbstatus:{PHOTO_ROUTES[field]}_photo", args=[union.pk])
        return ""

    no_photo = _("No photo yet")
    rows = [
        {
            "label": _("Union signboard hung, matching the enterprise name"),
            "ok": shown.signboard_hung and bool(shown.signboard_photo),
            "detail": "" if shown.signboard_photo else no_photo,
            "photo": photo_url("signboard_photo"),
        },
        {
            "label": _("Cadres' identities posted on the notice board"),
            "ok": shown.identities_posted and bool(shown.notice_board_photo),
            "detail": "" if shown.notice_board_photo else no_photo,
            "photo": photo_url("notice_board_photo"),
        },
        {"label": _("Chair and vice chairs wear their badges"), "ok": shown.badges_worn},
        {
            "label": _("Contact cards handed out"),
            "ok": shown.contact_cards_handed_out >= 1,
            "detail": _("%(count)s cards") % {"count": shown.contact_cards_handed_out},
        },
        {
            "label": _("Office address published"),
            "ok": shown.address_published and bool(union.office_address),
            "detail": union.office_address or _("No office address on record"),
        },
    ]
    if not saved or shown.submitted_on is None:
        updated = {"ok": None, "detail": _("Decided when the status is submitted")}
    elif officers_changed:
        updated = {
            "ok": False,
            "detail": _("The cadres changed after the submission of %(date)s")
            % {"date": shown.submitted_on.isoformat()},
        }
    else:
        updated = {
            "ok": True,
            "detail": _("No change of cadres since the submission of %(date)s")
            % {"date": shown.submitted_on.isoformat()},
        }
    rows.append({"label": _("Details updated after the last change of cadres"), **updated})
    return rows


def status_context(request: HttpRequest, union: Union, status: DoubleBrightStatus | None) -> dict:
    """What the status panel, the form and the review page all show."""
    shown = status or status_services.status_initial(union=union)
    officers_changed = status is not None and status_officers_changed(status)
    return {
        "union": union,
        "status": status,
        "shown": shown,
        "items": checklist(
            union, shown, saved=status is not None, officers_changed=officers_changed
        ),
        "is_compliant": status is not None and union_is_compliant(union=union),
        "officers_changed": officers_changed,
        "missing": [MISSING_ITEM_MESSAGES[key] for key in missing_items(shown)],
        "history": history_for(status)[:20] if status else [],
        "can_change": can(request.user, "change", union),
        "can_review": status is not None and can_review(request.user, status),
    }


@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The union's checklist: tick the items, add photos, save a draft or submit."""
    union = _union(request, pk, "change")
    status = union_status(union=union)
    editable = status is None or status.state in status_services.EDITABLE_STATES
    shown = status or status_services.status_initial(union=union)
    form = StatusForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=StatusForm.initial_for(shown),
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The status is awaiting review and cannot be changed."))
            return redirect("dbstatus:status_edit", pk=union.pk)
        if form.is_valid():
            try:
                status = status_services.status_save(
                    actor=request.user, union=union, items=form.items(), photos=form.photos()
                )
            except ValidationError as error:
                field = next((n for n in StatusForm.PHOTOS if form.cleaned_data.get(n)), None)
                form.add_error(field, error)
            except status_services.StatusError as error:
                messages.error(request, str(error))
                return redirect("dbstatus:status_edit", pk=union.pk)
            else:
                if request.POST.get("action") == "submit":
                    try:
                        status_services.status_submit(actor=request.user, status=status)
                    except status_services.StatusError as error:
                        messages.error(
                            request,
                            _("Saved as a draft, but it cannot be submitted yet: %(problems)s")
                            % {"problems": error},
                        )
                    else:
                        messages.success(request, _("Submitted. The federation will review it."))
                        return redirect("backoffice:union_detail", pk=union.pk)
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("dbstatus:status_edit", pk=union.pk)
    context = status_context(request, union, status)
    context.update({"form": form, "editable": editable})
    return render(request, "doublebright/status/edit.html", context)


def _reviewable(request: HttpRequest, pk: int) -> DoubleBrightStatus:
    """The union's status if the user may review it; a 404 otherwise."""
    union = _union(request, pk)
    status = reviewable_statuses(user=request.user).filter(union=union).select_related("union")
    status = status.first()
    if status is None:
        raise Http404
    status.union = union
    return status


@require_GET
def status_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission as the reviewer sees it: items, photos, history, confirm or return."""
    status = _reviewable(request, pk)
    context = status_context(request, status.union, status)
    context["reject_form"] = RejectForm()
    return render(request, "doublebright/status/review.html", context)


@require_POST
def status_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    status = _reviewable(request, pk)
    try:
        status_services.status_confirm(actor=request.user, status=status)
    except status_services.StatusError as error:
        messages.error(request, str(error))
        return redirect("dbstatus:status_review", pk=pk)
    messages.success(
        request, _("The Double Bright status of %(name)s was confirmed.") % {"name": status.union}
    )
    return redirect("dbstatus:review_queue")


@require_POST
def status_reject(request: HttpRequest, pk: int) -> HttpResponse:
    status = _reviewable(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            status_services.status_reject(
                actor=request.user, status=status, reason=form.cleaned_data["reason"]
            )
        except status_services.StatusError as error:
            messages.error(request, str(error))
            return redirect("dbstatus:status_review", pk=pk)
        messages.success(
            request, _("The status of %(name)s was returned to the union.") % {"name": status.union}
        )
        return redirect("dbstatus:review_queue")
    context = status_context(request, status.union, status)
    context["reject_form"] = form
    return render(request, "doublebright/status/review.html", context, status=200)


def _photo_response(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """An evidence photo, for those who may see the union; never by a public address."""
    union = _union(request, pk)
    status = get_visible_or_404(DoubleBrightStatus.objects.all(), request.user, union=union)
    photo = getattr(status, field)
    if photo:
        try:
            handle = photo.storage.open(photo.name, "rb")
        except OSError:
            logger.warning("Evidence photo missing for Double Bright status %s", status.pk)
        else:
            content_type = sniff_image_type(handle.read(16))
            if content_type is not None:
                handle.seek(0)
                return _photo_headers(FileResponse(handle, content_type=content_type))
            handle.close()
    return _photo_headers(HttpResponse(_placeholder_png(), content_type="image/png"))


@require_GET
def signboard_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_response(request, pk, "signboard_photo")


@require_GET
def notice_board_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_response(request, pk, "notice_board_photo")


@require_http_methods(["GET", "POST"])
def union_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The union's office address and office hours, as its public page shows them."""
    union = _union(request, pk, "change")
    page = page_services.union_page_ensure(union=union, actor=request.user)
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        initial={"office_address": union.office_address, "office_hours": page.office_hours},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            register_services.union_update(
                actor=request.user,
                union=union,
                data={"office_address": form.cleaned_data["office_address"].strip()},
            )
            page_services.union_page_update(
                actor=request.user,
                page=page,
                indexable=page.indexable,
                office_hours=form.cleaned_data["office_hours"],
            )
        messages.success(request, _("The office address and hours were saved."))
        return redirect("backoffice:union_detail", pk=union.pk)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Office address and hours of %(name)s") % {"name": union.name},
            "object": union,
        },
    )


def _filter_places(request: HttpRequest):
    return federations_for_filter(user=request.user).filter(depth__gte=1)


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage of the user's scope: totals, the rate per township, and every union."""
    require_any_scope(request)
    form = CoverageFilterForm(request.GET or None, federations=_filter_places(request))
    sort = request.GET.get("sort", "name")
    filters = form.to_kwargs()
    unions = coverage_list(user=request.user, sort=sort, **filters)
    summary = coverage_summary(user=request.user, federation=filters["federation"])
    reviewable = set(
        reviewable_statuses(user=request.user)
        .filter(state=State.SUBMITTED)
        .values_list("union_id", flat=True)
    )
    return render(
        request,
        "doublebright/status/coverage.html",
        {
            "form": form,
            "page": paginate(request, unions),
            "sort": sort,
            "summary": summary,
            "coverage_labels": Coverage.labels,
            "coverage_values": Coverage.values,
            "reviewable": reviewable,
            "selected_place": visible(
                Federation.objects.filter(pk=filters["federation"] or 0), request.user
            ).first(),
        },
    )


@require_GET
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """Submissions waiting for this user's review, the longest waiting first."""
    require_any_scope(request)
    form = CoverageFilterForm(request.GET or None, federations=_filter_places(request))
    federation = form.to_kwargs()["federation"]
    queue = review_queue(user=request.user, federation=federation)
    return render(
        request,
        "doublebright/status/queue.html",
        {"form": form, "page": paginate(request, queue)},
    )
