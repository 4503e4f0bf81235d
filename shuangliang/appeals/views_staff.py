"""The handlers' side: the appeal list with its deadlines, one appeal and its steps, the
identity (revealed on request and logged), attachments, the holiday calendar, the inbox."""

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shuangliang.backoffice.views.common import (
    paginate,
    paginate_keys_first,
    require_any_scope,
)
from shuangliang.core.access import can, get_visible_or_404, scope_for, visible
from shuangliang.core.actionlog import history_for, log_action
from shuangliang.register.models import Federation

from . import selectors, services
from .forms import (
    AppealFilterForm,
    CalendarDayForm,
    CloseForm,
    ExtendForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    TransferForm,
)
from .models import Appeal, Attachment, CalendarDay, Category, Notification, Status

DETAIL_RELATED = (
    "category",
    "enterprise",
    "enterprise__union",
    "handling_federation",
    "handling_union",
    "assignee",
    "escalated_to",
)


@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    federations = visible(Federation.objects.all(), request.user).order_by("path").only("name")
    form = AppealFilterForm(
        request.GET or None,
        federations=federations,
        categories=Category.objects.order_by("sort_order", "id"),
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.AppealFilters(
        q=data.get("q") or "",
        federation=data.get("federation"),
        status=data.get("status") or "",
        category=data.get("category"),
        deadline=data.get("deadline") or "",
    )
    queryset = selectors.appeal_list(user=request.user, filters=filters)
    page = paginate_keys_first(request, queryset, rows=selectors.appeal_list_rows())
    dates = selectors.deadline_dates()
    rows = [
        (appeal, selectors.current_due_on(appeal), selectors.deadline_state(appeal, dates))
        for appeal in page.object_list
    ]
    return render(
        request,
        "appeals/staff/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": selectors.appeal_counts(user=request.user),
        },
    )


def _detail_context(request: HttpRequest, appeal: Appeal, appellant=None) -> dict:
    can_change = can(request.user, "change", appeal)
    identity_visible = selectors.appeal_identity_visible(user=request.user, appeal=appeal)
    context = {
        "appeal": appeal,
        "due_on": selectors.current_due_on(appeal),
        "deadline_state": selectors.deadline_state(appeal, selectors.deadline_dates()),
        "appeal_messages": appeal.messages.select_related("author"),
        "attachments": appeal.attachments.all(),
        "history": history_for(appeal)[:100],
        "can_change": can_change,
        "identity_visible": identity_visible,
        "appellant": appellant,
        "contact_notes": selectors.appeal_contact_notes(user=request.user, appeal=appeal),
        "Status": Status,
    }
    if can_change:
        targets = selectors.transfer_targets(user=request.user, appeal=appeal)
        context.update(
            {
                "transfer_form": TransferForm(targets=targets),
                "reason_form": ReasonForm(),
                "reply_form": ReplyForm(),
                "note_form": NoteForm(),
                "extend_form": ExtendForm(),
                "close_form": CloseForm(),
            }
        )
    return context


@require_safe
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_visible_or_404(Appeal.objects.select_related(*DETAIL_RELATED), request.user, pk=pk)
    return render(request, "appeals/staff/detail.html", _detail_context(request, appeal))


@require_POST
def appeal_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the appellant's name and phone, to those who may see them; the view is logged."""
    appeal = get_visible_or_404(Appeal.objects.select_related(*DETAIL_RELATED), request.user, pk=pk)
    appellant = selectors.appeal_identity_reveal(user=request.user, appeal=appeal)
    if appellant is None:
        raise Http404
    return render(request, "appeals/staff/detail.html", _detail_context(request, appeal, appellant))


def _act(request: HttpRequest, appeal: Appeal, action: str) -> str:
    return appeal_step(user=request.user, appeal=appeal, action=action, data=request.POST)


def appeal_step(*, user, appeal: Appeal, action: str, data) -> str:
    """Run one handler step with the posted `data` (the page's and the API's one path);
    returns the success message. Raises AppealError or ValueError."""
    if action == "accept":
        services.appeal_accept(appeal=appeal, actor=user)
        return _("The appeal was accepted.")
    if action == "decline":
        form = ReasonForm(data)
        if not form.is_valid():
            raise services.AppealError(_("Give the reason for declining."))
        services.appeal_decline(appeal=appeal, actor=user, reason=form.cleaned_data["reason"])
        return _("The appeal was declined.")
    if action == "start":
        services.appeal_start(appeal=appeal, actor=user)
        return _("Handling has started.")
    if action == "transfer":
        form = TransferForm(data, targets=selectors.transfer_targets(user=user, appeal=appeal))
        if not form.is_valid() or not form.cleaned_data["target"]:
            raise services.AppealError(_("Choose where to send the appeal."))
        services.appeal_transfer(appeal=appeal, actor=user, **form.resolved())
        return _("The appeal was sent on.")
    if action == "reply":
        form = ReplyForm(data)
        if not form.is_valid():
            raise services.AppealError(_("The reply is empty."))
        services.appeal_reply(appeal=appeal, actor=user, **form.cleaned_data)
        return _("The reply was sent; the worker sees it on the tracking page.")
    if action == "note":
        if not selectors.appeal_identity_visible(user=user, appeal=appeal):
            raise services.AppealError(_("Only handlers who may see the worker can add notes."))
        form = NoteForm(data)
        if not form.is_valid():
            raise services.AppealError(_("The note is empty."))
        services.appeal_note_add(appeal=appeal, actor=user, body=form.cleaned_data["body"])
        return _("The phone note was recorded.")
    if action == "extend":
        form = ExtendForm(data)
        if not form.is_valid():
            raise services.AppealError(_("Give the number of days (1 to 30) and a reason."))
        services.appeal_extend(appeal=appeal, actor=user, **form.cleaned_data)
        return _("The deadline was extended.")
    if action == "close":
        form = CloseForm(data)
        satisfaction = form.cleaned_data["satisfaction"] if form.is_valid() else ""
        services.appeal_close(appeal=appeal, actor=user, satisfaction=satisfaction)
        return _("The appeal was closed.")
    raise services.AppealError(_("Unknown step."))


@require_POST
def appeal_act(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_visible_or_404(
        Appeal.objects.select_related(*DETAIL_RELATED), request.user, "change", pk=pk
    )
    try:
        messages.success(request, _act(request, appeal, request.POST.get("action", "")))
    except services.AppealError as exc:
        messages.error(request, str(exc))
    if not visible(Appeal.objects.filter(pk=appeal.pk), request.user).exists():
        return redirect("appeals:list")  # sent out of the user's sight
    return redirect("appeals:detail", pk=appeal.pk)


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, after the access check, as a download that the browser will not run."""
    attachment = get_visible_or_404(
        Attachment.objects.select_related("appeal"), request.user, pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except (OSError, ValueError):
        raise Http404
    log_action(
        attachment.appeal,
        "appeals.appeal.attachment_viewed",
        actor=request.user,
        data={"attachment": attachment.pk},
    )
    extension = "pdf" if attachment.content_type == "application/pdf" else "jpg"
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"appeal-{attachment.appeal_id}-{attachment.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store, private"
    return response


def _require_calendar_editor(request: HttpRequest) -> None:
    if not scope_for(request.user).can_write_register:
        raise Http404


@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The public-holiday table deadlines are counted with; staff add each year's notice."""
    _require_calendar_editor(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = services.calendar_day_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(date)s was saved.") % {"date": day.date.isoformat()})
        return redirect(f"{request.path}?year={day.date.year}")
    days = CalendarDay.objects.filter(
        date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
    )
    return render(
        request,
        "appeals/staff/calendar.html",
        {"form": form, "days": days, "year": year, "years": [year - 1, year, year + 1]},
    )


@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_calendar_editor(request)
    day = CalendarDay.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("The day was removed from the calendar."))
    return redirect(f"{reverse('appeals:calendar')}?year={day.date.year}")


@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The handler's in-app notifications; posting marks them all read."""
    require_any_scope(request)
    mine = Notification.objects.filter(
        recipient=request.user, channel=Notification.ChannelKind.INBOX
    )
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("appeals:inbox")
    page = paginate(request, mine.select_related("appeal").order_by("-created_at", "-id"))
    return render(request, "appeals/staff/inbox.html", {"page": page})


@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    """Received, accepted, on time, median days and satisfaction, by place, enterprise, kind."""
    require_any_scope(request)
    return render(
        request,
        "appeals/staff/figures.html",
        {
            "total": selectors.appeal_figures_for(user=request.user),
            "tables": [
                (
                    _("By handling federation"),
                    selectors.appeal_figures_by(user=request.user, dimension="federation"),
                ),
                (
                    _("By enterprise"),
                    selectors.appeal_figures_by(user=request.user, dimension="enterprise"),
                ),
                (
                    _("By category"),
                    selectors.appeal_figures_by(user=request.user, dimension="category"),
                ),
            ],
        },
    )
