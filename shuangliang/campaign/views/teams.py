"""Work teams and assignments (掛點) of federation cadres to enterprises."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shuangliang.backoffice.views.common import paginate
from shuangliang.core.access import get_visible_or_404, scope_for, visible
from shuangliang.core.actionlog import history_for
from shuangliang.register.selectors import federations_for_filter, in_subtree

from .. import services
from ..forms import AssignmentForm, DateInput, WorkTeamForm
from ..models import Assignment, WorkTeam
from ..models.teams import active_assignment_q
from .common import int_param, post_data, require_federation_staff, require_field_user


def team_list(request: HttpRequest) -> HttpResponse:
    require_field_user(request)
    teams = (
        visible(WorkTeam.objects.all(), request.user)
        .select_related("federation")
        .annotate(
            active_assignments=Count(
                "assignments",
                filter=active_assignment_q(timezone.localdate(), "assignments__"),
                distinct=True,
            )
        )
        .prefetch_related("members")
        .order_by("federation__path", "name", "id")
    )
    return render(
        request,
        "campaign/team_list.html",
        {
            "page": paginate(request, teams),
            "can_create": scope_for(request.user).can_write_register,
        },
    )


@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    require_federation_staff(request)
    form = WorkTeamForm(post_data(request), user=request.user)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "federation")}
        services.work_team_save(actor=request.user, data=data, members=form.cleaned_data["members"])
        messages.success(request, _("The work team was created."))
        return redirect("campaign:team_list")
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("New work team"), "back_url": "campaign:team_list"},
    )


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(WorkTeam.objects.all(), request.user, "change", pk=pk)
    form = WorkTeamForm(post_data(request), instance=team, user=request.user)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "federation")}
        services.work_team_save(
            actor=request.user, team=team, data=data, members=form.cleaned_data["members"]
        )
        messages.success(request, _("The changes were saved."))
        return redirect("campaign:team_list")
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": team.name},
            "back_url": "campaign:team_list",
            "history": history_for(team)[:20],
        },
    )


def assignment_list(request: HttpRequest) -> HttpResponse:
    require_field_user(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1)
    federation = int_param(request, "federation")
    current_only = request.GET.get("all") != "1"
    qs = visible(Assignment.objects.all(), request.user).select_related(
        "cadre", "enterprise", "enterprise__federation", "team"
    )
    if federation:
        qs = in_subtree(qs, federation, "enterprise__federation__path")
    if current_only:
        qs = qs.filter(active_assignment_q(timezone.localdate()))
    qs = qs.order_by("enterprise__federation__path", "enterprise__name", "-starts_on", "id")
    return render(
        request,
        "campaign/assignment_list.html",
        {
            "page": paginate(request, qs),
            "federations": federations,
            "federation": federation,
            "current_only": current_only,
            "can_create": scope_for(request.user).can_write_register,
            "changeable": set(
                visible(Assignment.objects.all(), request.user, "change").values_list(
                    "pk", flat=True
                )
            )
            if scope_for(request.user).can_write_register
            else set(),
        },
    )


@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest) -> HttpResponse:
    require_federation_staff(request)
    form = AssignmentForm(post_data(request), user=request.user)
    if form.is_valid():
        try:
            services.assignment_save(actor=request.user, data=form.cleaned_data)
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cadre was assigned."))
            return redirect("campaign:assignment_list")
    return render(
        request,
        "campaign/form.html",
        {"form": form, "title": _("Assign a cadre"), "back_url": "campaign:assignment_list"},
    )


@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(
        Assignment.objects.select_related("enterprise__federation", "cadre"),
        request.user,
        "change",
        pk=pk,
    )
    form = AssignmentForm(post_data(request), instance=assignment, user=request.user)
    if form.is_valid():
        try:
            services.assignment_save(
                actor=request.user, assignment=assignment, data=form.cleaned_data
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("campaign:assignment_list")
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("Edit the assignment: %(assignment)s") % {"assignment": assignment},
            "back_url": "campaign:assignment_list",
            "history": history_for(assignment)[:20],
        },
    )


class EndForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput())


@require_http_methods(["GET", "POST"])
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(Assignment.objects.all(), request.user, "change", pk=pk)
    form = EndForm(post_data(request), initial={"ends_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.assignment_end(
                actor=request.user, assignment=assignment, on=form.cleaned_data["ends_on"]
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The assignment was ended."))
            return redirect("campaign:assignment_list")
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "title": _("End the assignment: %(assignment)s") % {"assignment": assignment},
            "back_url": "campaign:assignment_list",
        },
    )
