"""The practical limit of the stack: one indexed query and a tiny template."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from shuangliang.doublebright.models import UnionPage

from .models import BenchWrite


@login_not_required
def minimal(request: HttpRequest, token: str) -> HttpResponse:
    """The union's name by its page token (a unique index) in a ten-line template."""
    row = UnionPage.objects.filter(token=token).values_list("union__name", flat=True).first()
    if row is None:
        raise Http404
    return render(request, "bench/minimal.html", {"name": row})


@login_not_required
@require_POST
def minimal_write(request: HttpRequest) -> HttpResponse:
    """The write reference: a CSRF-checked form post stored as one row, a tiny template."""
    row = BenchWrite.objects.create(key=request.POST["form_key"], body=request.POST["body"])
    return render(request, "bench/minimal.html", {"name": row.pk})
