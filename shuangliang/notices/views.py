"""Staff pages of notices (通報), rankings and model units (示範單位), and the unions' inbox.

Objects are fetched through the access chokepoint only (an object out of scope is a 404);
each write is one service call whose refusals become messages.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shuangliang.backoffice.views.common import paginate, require_any_scope
from shuangliang.core.access import get_visible_or_404, scope_for
from shuangliang.core.actionlog import history_for
from shuangliang.register.models import Federation

from . import selectors, services
from .document import notice_docx, notice_pdf
from .forms import DesignationDecideForm, DesignationProposeForm, NoticeCreateForm, NoticeEditForm
from .models import Designation, Notice
from .ranking import DIMENSIONS, TIE_BREAK, rank_by

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_reader(request: HttpRequest) -> None:
    """Federation staff, leaders and superusers: the back-office side of notices."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


# Notices -----------------------------------------------------------------------------------


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    notices = selectors.notices_visible(user=request.user)
    state = request.GET.get("state", "")
    if state in Notice.State.values:
        notices = notices.filter(state=state)
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": paginate(request, notices),
            "state": state,
            "states": Notice.State.choices,
            "can_create": selectors.notice_issuers(user=request.user).exists(),
            "ranking_roots": selectors.ranking_roots(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    federations = selectors.notice_issuers(user=request.user)
    if not federations.exists():
        raise Http404
    form = NoticeCreateForm(
        request.POST or None,
        federations=federations,
        initial={"year": selectors.current_year(), "federation": federations.first()},
    )
    if request.method == "POST" and form.is_valid():
        notice = services.notice_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The draft notice was made from the results."))
        return redirect("notices:notice_detail", pk=notice.pk)
    return render(request, "notices/notice_create.html", {"form": form})


def _notice(request: HttpRequest, pk: int, action: str = "view") -> Notice:
    return get_visible_or_404(
        Notice.objects.select_related("federation", "standard", "prepared_by", "reviewed_by"),
        request.user,
        action,
        pk=pk,
    )


@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    user = request.user
    can_change = selectors.notice_can_change(user=user, notice=notice)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "document": selectors.notice_document(notice=notice),
            "can_change": can_change,
            "can_review": selectors.notice_can_review(user=user, notice=notice),
            "history": history_for(notice)[:30],
        },
    )


@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "change")
    if notice.state != Notice.State.DRAFT:
        messages.error(request, _("Only a draft can be changed; return it to draft first."))
        return redirect("notices:notice_detail", pk=notice.pk)
    form = NoticeEditForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(
                actor=request.user,
                notice=notice,
                **{name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS},
            )
        except services.NoticeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The draft was saved."))
        return redirect("notices:notice_detail", pk=notice.pk)
    return render(request, "notices/notice_edit.html", {"form": form, "notice": notice})


@require_POST
def notice_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "change")
    try:
        services.notice_refresh(actor=request.user, notice=notice)
    except services.NoticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The figures and tables were made again from the results."))
    return redirect("notices:notice_detail", pk=notice.pk)


@require_POST
def notice_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit, return, approve or publish: staff submit and publish; reviewers (staff or a
    leader, not the author) return and approve."""
    notice = _notice(request, pk)
    user = request.user
    can_change = selectors.notice_can_change(user=user, notice=notice)
    if not can_change and not selectors.notice_can_review(user=user, notice=notice):
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action in {"submit", "publish"} and not can_change:
            raise services.NoticeError(_("Only the federation's staff may do that."))
        moved = services.notice_transition(
            actor=user, notice=notice, action=action, comment=request.POST.get("comment", "")
        )
    except services.NoticeError as exc:
        messages.error(request, str(exc))
    else:
        state = moved.get_state_display()
        messages.success(request, _("The notice is now “%(state)s”.") % {"state": state})
    return redirect("notices:notice_detail", pk=notice.pk)


def _download(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def notice_filename(notice: Notice, extension: str) -> str:
    return f"{notice.document_number or notice.title}.{extension}"


@require_safe
def notice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    document = selectors.notice_document(notice=notice)
    response = _download(
        notice_pdf(document), "application/pdf", notice_filename(notice, "pdf"), inline=True
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def notice_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    document = selectors.notice_document(notice=notice)
    response = _download(
        notice_docx(document), DOCX_TYPE, notice_filename(notice, "docx"), inline=False
    )
    response["Cache-Control"] = "no-store"
    return response


# Inbox -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The notices that name the user's unions; posting marks them all read."""
    require_any_scope(request)
    deliveries = selectors.inbox_for(user=request.user)
    if request.method == "POST":
        services.inbox_mark_read(actor=request.user, deliveries=deliveries)
        return redirect("notices:inbox")
    return render(request, "notices/inbox.html", {"page": paginate(request, deliveries)})


# Rankings ----------------------------------------------------------------------------------


@require_safe
def rankings(request: HttpRequest, pk: int) -> HttpResponse:
    """Units of a federation's subtree ranked by township, industry or ownership, for a
    year and a standard, with the tie-break stated on the page."""
    from . import results

    federation = get_visible_or_404(Federation.objects.all(), request.user, pk=pk)
    _require_reader(request)
    dimension = request.GET.get("by", "township")
    if dimension not in DIMENSIONS:
        dimension = "township"
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = selectors.current_year()
    standards = list(results.standards_choosable(user=request.user))
    standard = next(
        (s for s in standards if str(s.pk) == request.GET.get("standard", "")),
        results.default_standard(federation=federation),
    )
    rows = results.union_results(
        federation=federation, year=year, standard=standard, user=request.user
    )
    return render(
        request,
        "notices/rankings.html",
        {
            "federation": federation,
            "groups": rank_by(rows, dimension),
            "dimension": dimension,
            "dimensions": [(key, label) for key, (label, _getter) in DIMENSIONS.items()],
            "year": year,
            "standard": standard,
            "standards": standards,
            "tie_break": TIE_BREAK,
        },
    )


# Model units -------------------------------------------------------------------------------


@require_safe
def designation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths or scope.union_ids):
        raise Http404
    designations = selectors.designations_visible(user=request.user)
    state = request.GET.get("state", "")
    if state in Designation.State.values:
        designations = designations.filter(state=state)
    page = paginate(request, designations)
    decidable = {
        d.pk
        for d in page.object_list
        if d.state == Designation.State.PROPOSED
        and selectors.designation_can_decide(user=request.user, designation=d)
    }
    return render(
        request,
        "notices/designation_list.html",
        {
            "page": page,
            "decidable": decidable,
            "state": state,
            "states": Designation.State.choices,
            "can_propose": selectors.unions_proposable(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def designation_propose(request: HttpRequest) -> HttpResponse:
    unions = selectors.unions_proposable(user=request.user)
    if not unions.exists():
        raise Http404
    form = DesignationProposeForm(
        request.POST or None, unions=unions, initial={"year": selectors.current_year()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_propose(
                actor=request.user,
                union=form.cleaned_data["union"],
                year=form.cleaned_data["year"],
                reason=form.cleaned_data["reason"],
            )
        except services.NoticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The union was proposed as a model unit."))
            return redirect("notices:designation_list")
    return render(request, "notices/designation_propose.html", {"form": form})


@require_http_methods(["GET", "POST"])
def designation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_visible_or_404(
        selectors.designations_visible(user=request.user), request.user, "change", pk=pk
    )
    if not selectors.designation_can_decide(user=request.user, designation=designation):
        raise Http404
    form = DesignationDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_decide(
                actor=request.user,
                designation=designation,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except services.NoticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("notices:designation_list")
    return render(
        request,
        "notices/designation_decide.html",
        {
            "form": form,
            "designation": designation,
            "history": history_for(designation)[:20],
        },
    )
