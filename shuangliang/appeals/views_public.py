"""The worker's side (no login): file an appeal, get a tracking code, follow it.

Tracking codes never appear in a URL (QUALITY.md E3): the code is posted, and the appeal it
opens is kept in the worker's session until they forget it. The receipt is the only page that
shows the code, and it is never cached.
"""

import base64
import contextlib

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shuangliang.doublebright import selectors as db_selectors
from shuangliang.public.qr import qr_svg
from shuangliang.register.models import Federation

from . import selectors, services
from .forms import AppealForm, TrackForm, WorkerConfirmForm, WorkerMessageForm
from .models import Appeal, Channel
from .ratelimit import client_key, rate_limit_hit

SESSION_KEY = "appeals_tracking"
RECEIPT_QR_MASK = 0
SEARCH_MAX_LENGTH = 100


def _private(response: HttpResponse) -> HttpResponse:
    """Public appeal pages: never indexed, never stored. (The site's same-origin referrer
    policy stays: with no referrer at all, browsers send `Origin: null` and CSRF refuses.)"""
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


def _intake(
    request: HttpRequest,
    *,
    channel: str,
    heading: str,
    enterprises=(),
    federation: Federation | None = None,
) -> HttpResponse:
    has_union = any(e.union_id for e in enterprises)
    kwargs = {"enterprises": enterprises, "has_union": has_union}
    status = 200
    if request.method == "POST":
        form = AppealForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                repeat = services.appeal_already_submitted(form_key=data["form_key"])
                if repeat is not None:
                    return _receipt(request, *repeat)
                if not rate_limit_hit(client_key(request, "appeal_submit")):
                    form.add_error(
                        None,
                        _(
                            "Too many appeals were sent from this connection. "
                            "Please wait a few minutes and send it again."
                        ),
                    )
                    status = 429
                else:
                    submitted = services.appeal_submit(
                        form_key=data["form_key"],
                        category=data["category"],
                        subject=data["subject"],
                        body=data["body"],
                        channel=channel,
                        enterprise=form.chosen_enterprise(),
                        federation=federation,
                        wants_union=data.get("handler", "federation") == "union",
                        about_union=data.get("about_union", False),
                        anonymous=data["identity"] == "anonymous",
                        name=data["name"],
                        phone=data["phone"],
                        identity_to_union=data.get("identity_to_union", False),
                        files=data["attachments"],
                    )
                    return _receipt(request, submitted.appeal, submitted.tracking_code)
            except services.AppealError as exc:
                form.add_error(None, str(exc))
    else:
        form = AppealForm(initial={"form_key": services.form_key_new()}, **kwargs)
    response = render(
        request,
        "appeals/public/form.html",
        {"form": form, "heading": heading, "has_union": has_union, "indexable": False},
        status=status,
    )
    return _private(response)


def _receipt(request: HttpRequest, appeal: Appeal, code: str) -> HttpResponse:
    # The QR code holds the bare code, not an address: nothing to log on any server. It is
    # drawn on every receipt, for a screen: a fixed mask spares scoring all eight.
    qr = base64.b64encode(qr_svg(code, scale=5, mask=RECEIPT_QR_MASK)).decode()
    response = render(
        request,
        "appeals/public/receipt.html",
        {
            "appeal": appeal,
            "code": code,
            "qr_data_uri": f"data:image/svg+xml;base64,{qr}",
            "indexable": False,
        },
    )
    return _private(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def union_form(request: HttpRequest, token: str) -> HttpResponse:
    """Intake from a union's public page: the union's enterprise(s) are known."""
    enterprises = selectors.union_page_enterprises(token=token)
    if not enterprises:  # no such page, or a union without an enterprise
        raise Http404
    return _intake(
        request,
        channel=Channel.UNION_PAGE,
        heading=enterprises[0].union.name,
        enterprises=enterprises,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def federation_form(request: HttpRequest, division_code: str) -> HttpResponse:
    """Intake from a federation's public page: straight to that federation."""
    try:
        federation = db_selectors.federation_by_division_code(division_code=division_code)
    except Federation.DoesNotExist:
        raise Http404
    return _intake(
        request, channel=Channel.FEDERATION_PAGE, heading=federation.name, federation=federation
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def enterprise_form(request: HttpRequest, credit_code: str) -> HttpResponse:
    """Intake after picking an enterprise on the general page (the credit code is public)."""
    enterprise = selectors.enterprise_by_credit_code(credit_code=credit_code)
    if enterprise is None:
        raise Http404
    return _intake(
        request, channel=Channel.GENERAL, heading=enterprise.name, enterprises=[enterprise]
    )


@login_not_required
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """The general page: find the enterprise the concern is about."""
    q = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    response = render(
        request,
        "appeals/public/start.html",
        {"q": q, "enterprises": selectors.public_enterprises(q=q), "indexable": False},
    )
    return _private(response)


def _tracked(request: HttpRequest) -> Appeal | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return Appeal.objects.select_related("category").filter(pk=pk).first()


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Look an appeal up by its code (posted, never in the address), then show its status."""
    status = 200
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not rate_limit_hit(client_key(request, "appeal_track")):
            form.add_error(
                None, _("Too many attempts from this connection. Please wait a few minutes.")
            )
            status = 429
        else:
            appeal = selectors.appeal_by_tracking_code(code=form.cleaned_data["code"])
            if appeal is not None:
                request.session.cycle_key()
                request.session[SESSION_KEY] = appeal.pk
                return redirect("appeal:track")
            form.add_error("code", _("No appeal has this tracking code. Check it and try again."))
    appeal = _tracked(request) if request.method == "GET" else None
    context = {"form": form, "indexable": False}
    if appeal is not None:
        context.update(
            {
                "view": selectors.appeal_public_view(appeal=appeal),
                "message_form": WorkerMessageForm(),
                "confirm_form": WorkerConfirmForm(),
            }
        )
    return _private(render(request, "appeals/public/track.html", context, status=status))


@login_not_required
@require_POST
def track_reply(request: HttpRequest) -> HttpResponse:
    appeal = _tracked(request)
    if appeal is None:
        return redirect("appeal:track")
    form = WorkerMessageForm(request.POST)
    if form.is_valid():
        with contextlib.suppress(services.AppealError):
            services.appeal_worker_message(appeal=appeal, body=form.cleaned_data["body"])
    return redirect("appeal:track")


@login_not_required
@require_POST
def track_confirm(request: HttpRequest) -> HttpResponse:
    """The worker rates the answer (and the appeal closes), or reopens it with a message."""
    appeal = _tracked(request)
    if appeal is None:
        return redirect("appeal:track")
    try:
        if request.POST.get("action") == "reopen":
            form = WorkerMessageForm(request.POST)
            if form.is_valid():
                services.appeal_worker_reopen(appeal=appeal, body=form.cleaned_data["body"])
        else:
            form = WorkerConfirmForm(request.POST)
            if form.is_valid():
                services.appeal_worker_confirm(
                    appeal=appeal, satisfaction=form.cleaned_data["satisfaction"]
                )
    except services.AppealError:
        pass
    return redirect("appeal:track")


@login_not_required
@require_POST
def track_forget(request: HttpRequest) -> HttpResponse:
    """Forget the tracked appeal on this phone (a shared phone leaves nothing behind)."""
    request.session.pop(SESSION_KEY, None)
    return redirect("appeal:track")
