"""The campaign plan: list, instantiate a template, the timeline, and adjusting the plan."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuangliang.core.access import can, get_visible_or_404
from shuangliang.core.actionlog import history_for

from .. import services
from ..forms import CampaignCreateForm, CampaignForm, PhaseForm, TargetForm, TaskForm
from ..models import Campaign, Phase, Target, Task
from ..selectors import campaign_list as select_campaigns
from ..selectors import campaign_timeline
from .common import post_data, require_federation_staff, require_plan_reader


def campaign_list(request: HttpRequest) -> HttpResponse:
    require_plan_reader(request)
    campaigns = list(select_campaigns(user=request.user))
    return render(request, "campaign/campaign_list.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    require_federation_staff(request)
    form = CampaignCreateForm(post_data(request), user=request.user)
    if form.is_valid():
        try:
            campaign = services.campaign_instantiate(
                actor=request.user,
                federation=form.cleaned_data["federation"],
                template_code=form.cleaned_data["template"],
                starts_on=form.cleaned_data["starts_on"],
                name=form.cleaned_data["name"],
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign plan was created from the template."))
            return redirect(campaign)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Start a campaign from a plan template")},
    )


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline: phases, today's position, targets against actual per place, tasks."""
    campaign = get_visible_or_404(
        Campaign.objects.select_related("federation"), request.user, pk=pk
    )
    timeline = campaign_timeline(user=request.user, campaign=campaign)
    can_change = can(request.user, "change", campaign)
    return render(
        request,
        "campaign/campaign_detail.html",
        {
            "campaign": campaign,
            "timeline": timeline,
            "can_change": can_change,
            "can_add_task": bool(
                TaskForm(user=request.user, campaign=campaign)
                .fields["federation"]
                .queryset.exists()
            ),
            "changeable_tasks": set(
                Task.objects.filter(campaign=campaign)
                .filter(pk__in=_changeable_task_ids(request.user, campaign))
                .values_list("pk", flat=True)
            ),
            "history": history_for(campaign)[:20] if can_change else [],
        },
    )


def _changeable_task_ids(user, campaign: Campaign):
    from shuangliang.core.access import visible

    return visible(Task.objects.filter(campaign=campaign), user, "change").values("pk")


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, "change", pk=pk)
    form = CampaignForm(post_data(request), instance=campaign)
    if form.is_valid():
        services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect(campaign)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": campaign.name}, "object": campaign},
    )


@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_visible_or_404(
        Phase.objects.select_related("campaign"), request.user, "change", pk=pk
    )
    form = PhaseForm(post_data(request), instance=phase)
    if form.is_valid():
        try:
            services.phase_update(actor=request.user, phase=phase, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(phase.campaign)
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": phase.name},
            "object": phase.campaign,
        },
    )


@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, "change", pk=pk)
    form = TargetForm(post_data(request), campaign=campaign)
    if form.is_valid():
        services.target_save(actor=request.user, campaign=campaign, data=form.cleaned_data)
        messages.success(request, _("The target was added."))
        return redirect(campaign)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Add a target"), "object": campaign},
    )


@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(
        Target.objects.select_related("campaign"), request.user, "change", pk=pk
    )
    form = TargetForm(post_data(request), instance=target, campaign=target.campaign)
    if form.is_valid():
        services.target_save(
            actor=request.user, campaign=target.campaign, target=target, data=form.cleaned_data
        )
        messages.success(request, _("The changes were saved."))
        return redirect(target.campaign)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Edit the target"), "object": target.campaign},
    )


@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(
        Target.objects.select_related("campaign"), request.user, "change", pk=pk
    )
    campaign = target.campaign
    services.target_delete(actor=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect(campaign)


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a task: the campaign's own staff, or a lower federation adding its own."""
    campaign = get_visible_or_404(
        Campaign.objects.select_related("federation"), request.user, pk=pk
    )
    form = TaskForm(post_data(request), user=request.user, campaign=campaign)
    if not form.fields["federation"].queryset.exists():
        # Leaders, and staff of federations outside this campaign's area, add nothing.
        return render(request, "404.html", status=404)
    if form.is_valid():
        try:
            services.task_create(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task was added."))
            return redirect(campaign)
    return render(
        request, "campaign/form.html", {"form": form, "title": _("Add a task"), "object": campaign}
    )


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        Task.objects.select_related("campaign__federation"), request.user, "change", pk=pk
    )
    form = TaskForm(post_data(request), instance=task, user=request.user, campaign=task.campaign)
    if form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(task.campaign)
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Edit the task"), "object": task.campaign},
    )


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the task done, or (with done=0) open it again."""
    task = get_visible_or_404(
        Task.objects.select_related("campaign"), request.user, "change", pk=pk
    )
    done = request.POST.get("done", "1") != "0"
    services.task_set_done(actor=request.user, task=task, done=done)
    messages.success(
        request, _("The task is marked done.") if done else _("The task is open again.")
    )
    return redirect(task.campaign)
