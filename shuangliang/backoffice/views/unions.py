"""Union pages: list, detail (officers, contracts, enterprises, history), edit; contracts."""

from django.contrib import messages
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuangliang.core.access import can, get_visible_or_404, scope_for
from shuangliang.core.actionlog import history_for
from shuangliang.doublebright import status_services
from shuangliang.doublebright.compliance import compliant_q, officers_changed_q
from shuangliang.doublebright.selectors import public_url_for
from shuangliang.doublebright.status_selectors import (
    MISSING_ITEM_MESSAGES,
    missing_items,
    reviewable_statuses,
)
from shuangliang.doublebright.status_views import checklist
from shuangliang.register import services
from shuangliang.register.models import (
    CONTRACT_STEP_ORDER,
    CollectiveContract,
    ContractStep,
    ContractStepRecord,
    Officer,
    Position,
    Union,
)
from shuangliang.register.selectors import federations_for_filter
from shuangliang.register.selectors import union_list as select_unions

from ..filters import UnionFilterForm
from ..forms import ContractAdvanceForm, ContractForm, UnionForm
from .common import (
    paginate_keys_first,
    post_data,
    require_any_scope,
    require_register_staff,
)


def union_list(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1).only("name")
    form = UnionFilterForm(request.GET or None, federations=federations)
    sort = request.GET.get("sort", "name")
    queryset = select_unions(user=request.user, sort=sort, **form.to_kwargs())
    page = paginate_keys_first(request, queryset)
    return render(
        request,
        "backoffice/union_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "can_create": scope_for(request.user).can_write_register,
        },
    )


def union_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The same queries for every union, whatever it holds (issue 8): nothing is read only
    when something else exists (a contract's steps, a Double Bright status)."""
    union = get_visible_or_404(_union_detail_queryset(request.user), request.user, pk=pk)
    rank = {position: index for index, position in enumerate(Position.values)}
    officers = sorted(
        union.officers.select_related("person"),
        key=lambda o: (rank[o.position], -o.term_start.toordinal(), o.person.name),
    )
    contracts = list(union.contracts.select_related("kind"))
    # Read even when there is no contract (a prefetch would skip the query then).
    steps: dict[int, list[ContractStepRecord]] = {}
    for record in ContractStepRecord.objects.filter(contract__union=union):
        steps.setdefault(record.contract_id, []).append(record)
    for contract in contracts:
        contract.steps = steps.get(contract.pk, [])
    can_change = can(request.user, "change", union)
    page = getattr(union, "public_page", None)
    public_url = (
        request.build_absolute_uri(reverse("public:union_page", kwargs={"token": page.token}))
        if page is not None
        else public_url_for(union, request)  # created once, on the first visit
    )
    return render(
        request,
        "backoffice/union_detail.html",
        {
            "union": union,
            "current_officers": [o for o in officers if o.status == Officer.Status.ACTIVE],
            "past_officers": [o for o in officers if o.status != Officer.Status.ACTIVE],
            "contracts": contracts,
            "enterprises": union.enterprises.select_related("federation"),
            "history": history_for(union)[:50],
            "can_change": can_change,
            "can_delete": can_change and scope_for(request.user).can_write_register,
            "today": timezone.localdate(),
            "public_url": public_url,
            "double_bright_panel": render_to_string(
                "doublebright/status/_panel.html",
                _double_bright_panel(request, union, can_change=can_change),
            ),
        },
    )


def _union_detail_queryset(user) -> QuerySet[Union]:
    """The union with its township, public page and Double Bright status joined, and what
    the status panel would otherwise ask in queries of its own (only when a status exists)."""
    return Union.objects.select_related(
        "federation", "public_page", "double_bright_status__submitted_by"
    ).annotate(
        db_compliant=ExpressionWrapper(compliant_q(), output_field=BooleanField()),
        db_officers_changed=ExpressionWrapper(officers_changed_q(), output_field=BooleanField()),
        db_reviewable=Exists(reviewable_statuses(user=user).filter(union=OuterRef("pk"))),
    )


def _double_bright_panel(request: HttpRequest, union: Union, *, can_change: bool) -> dict:
    """The context of doublebright/status/_panel.html, as `status_views.status_context`
    builds it (a test keeps the keys in step), from the values joined into the union's query;
    the status's history is read even for a union that has not started (it is empty)."""
    status = getattr(union, "double_bright_status", None)
    shown = status or status_services.status_initial(union=union)
    officers_changed = status is not None and status.submitted_at is not None
    officers_changed = officers_changed and union.db_officers_changed
    return {
        "union": union,
        "status": status,
        "shown": shown,
        "items": checklist(
            union, shown, saved=status is not None, officers_changed=officers_changed
        ),
        "is_compliant": status is not None and union.db_compliant,
        "officers_changed": officers_changed,
        "missing": [MISSING_ITEM_MESSAGES[key] for key in missing_items(shown)],
        "history": list(history_for(shown)[:20]),
        "can_change": can_change,
        "can_review": status is not None and union.db_reviewable,
        "request": request,
        "csrf_token": get_token(request),
    }


@require_http_methods(["GET", "POST"])
def union_create(request: HttpRequest) -> HttpResponse:
    require_register_staff(request)
    form = UnionForm(post_data(request), user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        enterprises = list(data.pop("enterprises"))
        union = services.union_create(actor=request.user, data=data, enterprises=enterprises)
        messages.success(request, _("The union %(name)s was registered.") % {"name": union.name})
        return redirect("backoffice:union_detail", pk=union.pk)
    return render(
        request,
        "backoffice/form.html",
        {"form": form, "title": _("Register a union"), "back_url": "backoffice:union_list"},
    )


@require_http_methods(["GET", "POST"])
def union_edit(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
    can_move = scope_for(request.user).can_write_register
    form = UnionForm(post_data(request), instance=union, user=request.user, can_move=can_move)
    if form.is_valid():
        data = dict(form.cleaned_data)
        enterprises = data.pop("enterprises", None)
        with transaction.atomic():
            services.union_update(actor=request.user, union=union, data=data)
            if enterprises is not None:
                keep = {e.pk for e in enterprises}
                for enterprise in union.enterprises.exclude(pk__in=keep):
                    services.enterprise_attach_union(
                        actor=request.user, enterprise=enterprise, union=None
                    )
                for enterprise in enterprises:
                    services.enterprise_attach_union(
                        actor=request.user, enterprise=enterprise, union=union
                    )
        messages.success(request, _("The changes were saved."))
        return redirect("backoffice:union_detail", pk=union.pk)
    return render(
        request,
        "backoffice/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": union.name}, "object": union},
    )


@require_http_methods(["GET", "POST"])
def union_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_register_staff(request)
    union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
    if request.method == "POST":
        services.union_delete(actor=request.user, union=union)
        messages.success(request, _("The union %(name)s was deleted.") % {"name": union.name})
        return redirect("backoffice:union_list")
    return render(request, "backoffice/confirm_delete.html", {"object": union})


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
    form = ContractForm(post_data(request))
    if form.is_valid():
        services.contract_create(actor=request.user, union=union, data=form.cleaned_data)
        messages.success(request, _("The contract was recorded."))
        return redirect("backoffice:union_detail", pk=union.pk)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Record a collective contract for %(name)s") % {"name": union.name},
            "object": union,
        },
    )


@require_http_methods(["GET", "POST"])
def contract_advance(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_visible_or_404(
        CollectiveContract.objects.select_related("union", "kind"), request.user, "change", pk=pk
    )
    later = CONTRACT_STEP_ORDER[CONTRACT_STEP_ORDER.index(contract.step) + 1 :]
    form = ContractAdvanceForm(post_data(request), initial={"reached_on": timezone.localdate()})
    form.fields["step"].choices = [(s, ContractStep(s).label) for s in later]
    if not later:
        messages.info(request, _("This contract has completed every step."))
        return redirect("backoffice:union_detail", pk=contract.union_id)
    if form.is_valid():
        services.contract_advance(actor=request.user, contract=contract, **form.cleaned_data)
        messages.success(request, _("The contract step was recorded."))
        return redirect("backoffice:union_detail", pk=contract.union_id)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Record the next step of %(contract)s") % {"contract": contract},
            "object": contract.union,
        },
    )


@require_POST
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_visible_or_404(CollectiveContract.objects.all(), request.user, "change", pk=pk)
    union_id = contract.union_id
    services.contract_delete(actor=request.user, contract=contract)
    messages.success(request, _("The contract was deleted."))
    return redirect("backoffice:union_detail", pk=union_id)
