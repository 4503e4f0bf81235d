"""Focus enterprises: their plan (cadre, visit frequency, what should improve) and the
record of focus tags put on and taken off, with reasons and dates."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangliang.backoffice.views.common import paginate
from shuangliang.core.access import can, get_visible_or_404
from shuangliang.register.models import Enterprise
from shuangliang.register.selectors import federations_for_filter

from .. import selectors, services
from ..forms import FocusPlanForm, FocusTagChangeForm
from ..models import FocusPlan
from .common import int_param, post_data, require_field_user


def focus_list(request: HttpRequest) -> HttpResponse:
    require_field_user(request)
    federation = int_param(request, "federation")
    qs = selectors.focus_enterprise_list(user=request.user, federation=federation)
    return render(
        request,
        "campaign/focus_list.html",
        {
            "page": paginate(request, qs),
            "federation": federation,
            "federations": federations_for_filter(user=request.user).filter(depth__gte=1),
        },
    )


def focus_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("federation", "union"), request.user, pk=pk
    )
    require_field_user(request)
    plan = FocusPlan.objects.filter(enterprise=enterprise).select_related("cadre").first()
    return render(
        request,
        "campaign/focus_detail.html",
        {
            "enterprise": enterprise,
            "plan": plan,
            "changes": list(selectors.focus_history(user=request.user, enterprise=enterprise)),
            "visits": list(selectors.visit_list(user=request.user, enterprise=enterprise.pk)[:20]),
            "can_change": can(request.user, "change", enterprise),
        },
    )


@require_http_methods(["GET", "POST"])
def focus_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, "change", pk=pk)
    plan = FocusPlan.objects.filter(enterprise=enterprise).first()
    form = FocusPlanForm(post_data(request), instance=plan, user=request.user)
    if form.is_valid():
        services.focus_plan_save(actor=request.user, enterprise=enterprise, data=form.cleaned_data)
        messages.success(request, _("The focus plan was saved."))
        return redirect("campaign:focus_detail", pk=enterprise.pk)
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Focus plan of %(name)s") % {"name": enterprise.name},
            "back": ("campaign:focus_detail", enterprise.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def focus_tag_change(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, "change", pk=pk)
    form = FocusTagChangeForm(post_data(request))
    if form.is_valid():
        try:
            services.focus_tag_change(
                actor=request.user,
                enterprise=enterprise,
                **{
                    "tag": form.cleaned_data["tag"],
                    "added": form.cleaned_data["added"],
                    "on": form.cleaned_data["changed_on"],
                    "reason": form.cleaned_data["reason"],
                },
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The focus tag change was recorded."))
            return redirect("campaign:focus_detail", pk=enterprise.pk)
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Change a focus tag of %(name)s") % {"name": enterprise.name},
            "back": ("campaign:focus_detail", enterprise.pk),
        },
    )
