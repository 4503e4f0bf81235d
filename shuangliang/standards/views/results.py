"""Results (scores and grades per union, the self-check beside the inspector's score) and
rectifications (整改): the list with overdue ones flagged, closing with a photo, re-inspection."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.backoffice.views.common import paginate, paginate_keys_first, require_any_scope
from shuangliang.core.access import can, get_visible_or_404, visible
from shuangliang.core.actionlog import history_for
from shuangliang.register.models import Federation
from shuangliang.statistics import figures as fig

from .. import services
from ..forms import RectificationCloseForm, RectificationUpdateForm, ReopenForm
from ..models import Grade, Rectification, Standard
from ..permissions import is_staff_over
from ..selectors import (
    RECTIFICATION_LIST_ORDER,
    grade_distribution,
    inspected_counts,
    overdue_q,
    rectification_rows,
    rectifications_visible,
    union_results_queryset,
    with_gap,
)
from .common import require_reader, serve_photo


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """Each union's result for a year (and standard) in a federation's subtree."""
    require_reader(request)
    federations = visible(Federation.objects.all(), request.user).order_by("path")
    federation = None
    if request.GET.get("federation", "").isdigit():
        federation = federations.filter(pk=request.GET["federation"]).first()
    federation = federation or federations.first()
    if federation is None:
        raise Http404
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    year = year or timezone.localdate().year
    standards = visible(Standard.objects.all(), request.user)
    standard = None
    if request.GET.get("standard", "").isdigit():
        standard = standards.filter(pk=request.GET["standard"]).first()
    kwargs = {"federation": federation, "year": year, "standard": standard, "user": request.user}
    distribution = grade_distribution(**kwargs)
    grade = request.GET.get("grade", "")
    grade = grade if grade in Grade.values else ""
    page = paginate(request, union_results_queryset(**kwargs, grade=grade))
    rows = with_gap(list(page.object_list))
    return render(
        request,
        "standards/results.html",
        {
            "federation": federation,
            "federations": federations[:500],
            "year": year,
            "standard": standard,
            "standards": standards,
            "grade": grade,
            "grades": Grade.choices,
            "page": page,
            "rows": rows,
            "distribution": [(g, Grade(g).label, n) for g, n in distribution.items()],
            "counts": inspected_counts(**kwargs),
            # Per township (or lower federation): this year's figures of the figure layer.
            "places": fig.figures_by(user=request.user, federation=federation, dimension=fig.PLACE)
            if year == timezone.localdate().year and standard is None
            else [],
        },
    )


@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    qs = rectifications_visible(user=request.user)
    state = request.GET.get("state", "")
    if state == "overdue":
        qs = qs.filter(overdue_q())
    elif state in Rectification.State.values:
        qs = qs.filter(state=state)
    if request.GET.get("federation", "").isdigit():
        federation = (
            visible(Federation.objects.all(), request.user)
            .filter(pk=request.GET["federation"])
            .first()
        )
        if federation is None:
            qs = qs.none()
        else:
            qs = qs.filter(union__federation__path__startswith=federation.path)
    qs = qs.order_by(*RECTIFICATION_LIST_ORDER)
    return render(
        request,
        "standards/rectification_list.html",
        {
            "page": paginate_keys_first(
                request, qs, rows=rectification_rows().order_by(*RECTIFICATION_LIST_ORDER)
            ),
            "state": state,
            "states": [*Rectification.State.choices, ("overdue", _("Overdue"))],
            "today": timezone.localdate(),
        },
    )


def _rectification(request: HttpRequest, pk: int, action: str = "view") -> Rectification:
    return get_visible_or_404(
        Rectification.objects.select_related(
            "union__federation", "item", "inspection__version__standard", "closed_by"
        ),
        request.user,
        action,
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The task, its evidence and history; staff change the deadline or the person here."""
    rectification = _rectification(request, pk)
    is_staff = is_staff_over(request.user, rectification)
    if request.method == "POST" and not is_staff:
        raise Http404
    form = RectificationUpdateForm(
        request.POST or None,
        initial={"deadline": rectification.deadline, "responsible": rectification.responsible},
    )
    if request.method == "POST" and form.is_valid():
        services.rectification_update(
            actor=request.user, rectification=rectification, **form.cleaned_data
        )
        messages.success(request, _("The rectification was saved."))
        return redirect("standards:rectification_detail", pk=rectification.pk)
    return render(
        request,
        "standards/rectification_detail.html",
        {
            "r": rectification,
            "form": form,
            "is_staff": is_staff,
            "can_close": rectification.state == Rectification.State.OPEN
            and can(request.user, "change", rectification),
            "reopen_form": ReopenForm(),
            "history": history_for(rectification)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def rectification_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The union (or staff) reports the item put right, with a photo."""
    rectification = _rectification(request, pk, "change")
    form = RectificationCloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_close(
                actor=request.user,
                rectification=rectification,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            form.add_error("photo", error)
        except services.StandardsError as error:
            messages.error(request, str(error))
            return redirect("standards:rectification_detail", pk=rectification.pk)
        else:
            messages.success(request, _("The rectification is closed and waits for re-inspection."))
            return redirect("standards:rectification_detail", pk=rectification.pk)
    return render(request, "standards/rectification_close.html", {"r": rectification, "form": form})


def _staff_rectification(request: HttpRequest, pk: int) -> Rectification:
    rectification = _rectification(request, pk, "change")
    if not is_staff_over(request.user, rectification):
        raise Http404  # the union closes its tasks; re-inspection is the federation's
    return rectification


@require_POST
def rectification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _staff_rectification(request, pk)
    try:
        services.rectification_verify(actor=request.user, rectification=rectification)
    except services.StandardsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Re-inspection recorded: the item is put right."))
    return redirect("standards:rectification_detail", pk=rectification.pk)


@require_POST
def rectification_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _staff_rectification(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is still wrong."))
    else:
        try:
            services.rectification_reopen(
                actor=request.user, rectification=rectification, reason=form.cleaned_data["reason"]
            )
        except services.StandardsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The rectification is open again."))
    return redirect("standards:rectification_detail", pk=rectification.pk)


@require_GET
def rectification_photo(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _rectification(request, pk)
    return serve_photo(rectification.closing_photo)
