"""Enterprise pages: list with search and filters, detail with history, create, edit, delete."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangliang.core.access import can, get_visible_or_404, scope_for
from shuangliang.core.actionlog import history_for
from shuangliang.register import services
from shuangliang.register.models import Enterprise
from shuangliang.register.selectors import enterprise_list as select_enterprises
from shuangliang.register.selectors import federations_for_filter

from ..filters import EnterpriseFilterForm
from ..forms import EnterpriseForm
from .common import paginate_keys_first, post_data, require_any_scope, require_register_staff


def enterprise_list(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1).only("name")
    form = EnterpriseFilterForm(request.GET or None, federations=federations)
    sort = request.GET.get("sort", "name")
    queryset = select_enterprises(user=request.user, filters=form.to_filters(), sort=sort)
    page = paginate_keys_first(request, queryset)
    return render(
        request,
        "backoffice/enterprise_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "can_create": scope_for(request.user).can_write_register,
        },
    )


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("federation", "union"), request.user, pk=pk
    )
    return render(
        request,
        "backoffice/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "history": history_for(enterprise)[:50],
            "can_change": can(request.user, "change", enterprise),
        },
    )


@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    require_register_staff(request)
    form = EnterpriseForm(post_data(request), user=request.user)
    if form.is_valid():
        enterprise = services.enterprise_create(actor=request.user, data=form.cleaned_data)
        messages.success(
            request, _("The enterprise %(name)s was registered.") % {"name": enterprise.name}
        )
        return redirect("backoffice:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Register an enterprise"),
            "back_url": "backoffice:enterprise_list",
        },
    )


@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, "change", pk=pk)
    form = EnterpriseForm(post_data(request), instance=enterprise, user=request.user)
    if form.is_valid():
        services.enterprise_update(
            actor=request.user, enterprise=enterprise, data=form.cleaned_data
        )
        messages.success(request, _("The changes were saved."))
        return redirect("backoffice:enterprise_detail", pk=enterprise.pk)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": enterprise.name},
            "object": enterprise,
        },
    )


@require_http_methods(["GET", "POST"])
def enterprise_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_register_staff(request)
    enterprise = get_visible_or_404(Enterprise.objects.all(), request.user, "change", pk=pk)
    if request.method == "POST":
        try:
            services.enterprise_delete(actor=request.user, enterprise=enterprise)
        except ProtectedError:
            messages.error(request, _("This enterprise is still referenced and cannot be deleted."))
            return redirect("backoffice:enterprise_detail", pk=pk)
        messages.success(
            request, _("The enterprise %(name)s was deleted.") % {"name": enterprise.name}
        )
        return redirect("backoffice:enterprise_list")
    return render(request, "backoffice/confirm_delete.html", {"object": enterprise})
