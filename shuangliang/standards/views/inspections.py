"""Inspection rounds (spot, mutual and supervisory checks: draw, confirm, assign), self-checks,
and the one inspection form that every kind uses, on a phone as on a desk."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.backoffice.views.common import (
    paginate,
    paginate_keys_first,
    require_any_scope,
)
from shuangliang.core.access import can, get_visible_or_404, scope_for, visible
from shuangliang.core.actionlog import history_for
from shuangliang.register.models import Union

from .. import sampling, services
from ..forms import RoundForm, parse_answers, parse_photos
from ..models import Evidence, Inspection, InspectionRound, Item, new_seed
from ..selectors import (
    INSPECTION_LIST_ORDER,
    inspection_rows,
    inspections_to_do,
    inspections_visible,
    inspector_choices,
    round_draw,
    self_check_for,
    self_check_percent_subquery,
    unions_by_id,
    versions_applicable,
    with_gap,
)
from ..selectors import (
    inspection_form as build_form,
)
from .common import require_reader, require_staff, serve_photo


def _round(request: HttpRequest, pk: int, action: str = "view") -> InspectionRound:
    return get_visible_or_404(
        InspectionRound.objects.select_related("federation", "version__standard"),
        request.user,
        action,
        pk=pk,
    )


def _inspection(request: HttpRequest, pk: int, action: str = "view") -> Inspection:
    return get_visible_or_404(
        Inspection.objects.select_related(
            "union__federation", "version__standard", "inspector", "inspector_union", "round"
        ),
        request.user,
        action,
        pk=pk,
    )


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    rounds = visible(
        InspectionRound.objects.select_related("federation", "version__standard"), request.user
    )
    return render(request, "standards/round_list.html", {"page": paginate(request, rounds)})


def _preview(draw, kind: str) -> list[dict]:
    """The draw grouped by township, for the page that asks for confirmation."""
    ids = set(draw.union_ids) | {a for a, _ in draw.pairs}
    unions = unions_by_id(ids)
    inspector_of = {b: a for a, b in draw.pairs}
    groups: dict = {}
    for union_id in draw.union_ids:
        union = unions[union_id]
        by = unions.get(inspector_of.get(union_id))
        groups.setdefault(union.federation, []).append({"union": union, "by": by})
    return [
        {"township": township, "rows": rows}
        for township, rows in sorted(groups.items(), key=lambda kv: kv[0].path)
    ]


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    """Step 1 shows the draw (or pairing) made from the seed; step 2 confirms it, making the
    same draw again from the recorded seed, so what was shown is what is created."""
    require_staff(request)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not data.get("seed"):
        data["seed"] = new_seed()
    form = RoundForm(data, user=request.user)
    context: dict = {"form": form}
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        params = form.params()
        try:
            draw = round_draw(
                federation=cleaned["federation"],
                kind=cleaned["kind"],
                seed=cleaned["seed"],
                params=params,
            )
        except (sampling.PairingError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            shown = ",".join(str(i) for i in draw.union_ids)
            if data.get("action") == "confirm" and data.get("drawn") == shown and draw.union_ids:
                inspection_round = services.round_create(
                    actor=request.user,
                    federation=cleaned["federation"],
                    kind=cleaned["kind"],
                    name=cleaned["name"],
                    version=cleaned["version"],
                    year=cleaned["year"],
                    due_on=cleaned["due_on"],
                    seed=cleaned["seed"],
                    params=params,
                )
                messages.success(
                    request,
                    _("The check was created with %(count)s unions; now assign the inspectors.")
                    % {"count": len(draw.union_ids)},
                )
                return redirect("standards:round_detail", pk=inspection_round.pk)
            if data.get("action") == "confirm":
                messages.warning(
                    request, _("The unions changed since the draw was shown: check it again.")
                )
            context.update(
                preview=_preview(draw, cleaned["kind"]),
                drawn=shown,
                draw=draw,
                is_mutual=bool(draw.pairs),
            )
    return render(request, "standards/round_form.html", context)


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection_round = _round(request, pk)
    inspections = with_gap(
        list(
            inspections_visible(user=request.user)
            .filter(round=inspection_round)
            .annotate(self_percent=self_check_percent_subquery())
            .order_by("union__federation__path", "union__name", "pk")
        )
    )
    can_change = can(request.user, "change", inspection_round)
    return render(
        request,
        "standards/round_detail.html",
        {
            "round": inspection_round,
            "inspections": inspections,
            "can_change": can_change,
            "inspectors": list(inspector_choices(inspection_round=inspection_round))
            if can_change
            else [],
            "history": history_for(inspection_round)[:20],
        },
    )


@require_POST
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the inspector of each inspection (fields `inspector-<inspection id>`)."""
    inspection_round = _round(request, pk, "change")
    people = {str(u.pk): u for u in inspector_choices(inspection_round=inspection_round)}
    changed = 0
    for inspection in inspection_round.inspections.filter(state=Inspection.State.DRAFT):
        key = f"inspector-{inspection.pk}"
        if key not in request.POST:
            continue
        value = request.POST[key]
        person = people.get(value)
        if value and person is None:
            continue
        if (person.pk if person else None) != inspection.inspector_id:
            services.inspection_assign(actor=request.user, inspection=inspection, inspector=person)
            changed += 1
    messages.success(request, _("%(count)s inspectors assigned.") % {"count": changed})
    return redirect("standards:round_detail", pk=inspection_round.pk)


@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    """What the user is to fill in, then every inspection they may see."""
    require_any_scope(request)
    qs = inspections_visible(user=request.user).order_by(*INSPECTION_LIST_ORDER)
    kind = request.GET.get("kind", "")
    if kind in Inspection.Kind.values:
        qs = qs.filter(kind=kind)
    scope = scope_for(request.user)
    own_unions = list(Union.objects.filter(pk__in=scope.union_ids).select_related("federation"))
    return render(
        request,
        "standards/inspection_list.html",
        {
            "to_do": list(inspections_to_do(user=request.user)[:50]),
            "page": paginate_keys_first(
                request, qs, rows=inspection_rows().order_by(*INSPECTION_LIST_ORDER)
            ),
            "kind": kind,
            "kinds": Inspection.Kind.choices,
            "own_unions": [(u, versions_applicable(union=u)) for u in own_unions],
        },
    )


@require_POST
def selfcheck_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A union's chair (or cadre) starts, or goes back to, this year's self-check."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or pk in scope.union_ids):
        raise Http404
    union = get_visible_or_404(Union.objects.select_related("federation"), request.user, pk=pk)
    versions = versions_applicable(union=union)
    version = next((v for v in versions if str(v.pk) == request.POST.get("version")), None)
    version = version or (versions[0] if versions else None)
    if version is None:
        messages.error(request, _("No standard is in force for this union yet."))
        return redirect("standards:inspection_list")
    inspection = services.self_check_start(actor=request.user, union=union, version=version)
    return redirect("standards:inspection_form", pk=inspection.pk)


@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    own = self_check_for(inspection=inspection)
    gap = (
        inspection.percent - own.percent
        if own is not None and own.percent is not None and inspection.percent is not None
        else None
    )
    sections = build_form(inspection=inspection)
    if own is not None:  # matched by the item's text: the self-check may use another version
        own_answers = {a.item.text: a for a in own.answers.select_related("item")}
        for block in sections:
            for row in block.rows:
                row.own = own_answers.get(row.item.text)
    return render(
        request,
        "standards/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": sections,
            "own": own,
            "gap": gap,
            "can_change": inspection.is_draft and can(request.user, "change", inspection),
            # A chair sees the inspection of their union, not the round it belongs to.
            "round_visible": inspection.round_id is not None
            and can(request.user, "view", inspection.round),
            "rectifications": list(inspection.rectifications.select_related("item")),
            # The inspector sees what they found but follows up only where they may.
            "rectifications_visible": set(
                visible(inspection.rectifications.all(), request.user, "view").values_list(
                    "pk", flat=True
                )
            ),
            "history": history_for(inspection)[:30],
        },
    )


@require_http_methods(["GET", "POST"])
def inspection_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The one form of every kind of inspection. Posting saves a draft; `submit` scores it.
    The small script (static/standards/inspection.js) posts each answer as it is given, with
    `action=autosave`, and keeps unsent answers on the phone until the connection returns."""
    inspection = _inspection(request, pk, "change")
    autosave = request.POST.get("action") == "autosave"
    if not inspection.is_draft:
        if autosave:
            return JsonResponse({"saved": [], "submitted": True})
        if request.method == "POST":
            messages.error(
                request, _("This inspection has been submitted and can no longer change.")
            )
        return redirect("standards:inspection_detail", pk=inspection.pk)
    if request.method == "POST":
        items = list(Item.objects.filter(version_id=inspection.version_id))
        answers, errors = parse_answers(items, request.POST)
        photos = {} if autosave else parse_photos(items, request.FILES)
        try:
            saved = services.inspection_save_answers(
                actor=request.user, inspection=inspection, answers=answers, photos=photos
            )
        except ValidationError as error:
            if autosave:
                return JsonResponse({"saved": [], "errors": {"photo": error.messages}})
            messages.error(request, " ".join(error.messages))
            return redirect("standards:inspection_form", pk=inspection.pk)
        if autosave:
            return JsonResponse({"saved": saved, "errors": errors})
        for message in errors.values():
            messages.error(request, message)
        if request.POST.get("action") == "submit" and not errors:
            try:
                services.inspection_submit(actor=request.user, inspection=inspection)
            except services.StandardsError as error:
                messages.error(request, str(error))
                return redirect("standards:inspection_form", pk=inspection.pk)
            messages.success(request, _("The inspection was submitted and scored."))
            return redirect("standards:inspection_detail", pk=inspection.pk)
        messages.success(request, _("The draft was saved."))
        return redirect("standards:inspection_form", pk=inspection.pk)
    return render(
        request,
        "standards/inspection_form.html",
        {"inspection": inspection, "sections": build_form(inspection=inspection)},
    )


@require_GET
def evidence_photo(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_visible_or_404(Evidence.objects.all(), request.user, pk=pk)
    return serve_photo(evidence.photo)
