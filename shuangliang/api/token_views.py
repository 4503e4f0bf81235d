"""The staff page "API tokens": each user lists, creates and revokes their own tokens."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shuangliang.core.access import scope_for

from .models import ApiToken
from .token_forms import ApiTokenForm
from .tokens import api_token_issue, api_token_list, api_token_revoke


def _require_scope(request: HttpRequest) -> None:
    if not scope_for(request.user).is_anything:
        raise Http404


@require_safe
def token_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    return render(request, "api/token_list.html", {"tokens": api_token_list(user=request.user)})


@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    form = ApiTokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        secret = api_token_issue(actor=request.user, token=form.instance)
        # Rendered, not redirected: the secret is on this one response and nowhere else
        # (the page is not cached: see SecurityHeadersMiddleware).
        return render(request, "api/token_created.html", {"token": form.instance, "secret": secret})
    return render(request, "api/token_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_scope(request)
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    if request.method == "POST":
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
