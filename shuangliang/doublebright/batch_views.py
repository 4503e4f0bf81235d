"""Batch printing pages: ask for all badges, cards or signboards of a township or county,
follow the progress bar, download the one PDF.

Batches are for federation staff and leaders. A batch is seen by those whose subtree holds
its federation (core/access.py), so a cached file asked for again by a colleague is theirs
too; everyone else gets a 404 for the batch and its file.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from shuangliang.core.access import get_visible_or_404, visible
from shuangliang.register.models import Federation

from .models import PrintJob
from .print_forms import BatchForm
from .print_jobs import (
    PrintJobError,
    print_job_file_name,
    print_job_is_stale,
    print_job_request,
)
from .print_views import PDF_CACHE_CONTROL, require_federation_scope


def _public_base_url(request: HttpRequest) -> str:
    """Where the batch's QR codes point: the configured public address, else the host the
    user came in on (a background worker has no request to ask)."""
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


@require_http_methods(["GET", "POST"])
def print_batch(request: HttpRequest) -> HttpResponse:
    require_federation_scope(request)
    federations = visible(Federation.objects.all(), request.user)
    initial = {}
    if request.GET.get("federation", "").isdigit():
        initial["federation"] = request.GET["federation"]
    form = BatchForm(
        request.POST if request.method == "POST" else None,
        federations=federations,
        initial=initial,
    )
    if form.is_valid():
        options = {**form.options(), "base_url": _public_base_url(request)}
        try:
            job = print_job_request(
                user=request.user,
                federation=form.cleaned_data["federation"],
                kind=form.cleaned_data["kind"],
                options=options,
                language=translation.get_language(),
            )
        except PrintJobError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("doublebright:print_job", pk=job.pk)
    return render(request, "doublebright/print_batch.html", {"form": form})


def _job(request: HttpRequest, pk: int) -> PrintJob:
    return get_visible_or_404(PrintJob.objects.select_related("federation"), request.user, pk=pk)


@require_GET
def print_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's progress (polled by htmx while it runs), then its download."""
    job = _job(request, pk)
    context = {"job": job, "stale": print_job_is_stale(job)}
    if request.htmx:
        return render(request, "doublebright/print_job_status.html", context)
    return render(request, "doublebright/print_job.html", context)


@require_GET
def print_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        return redirect("doublebright:print_job", pk=job.pk)
    try:
        handle = job.file.open("rb")
    except OSError:
        return redirect("doublebright:print_job", pk=job.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=print_job_file_name(job),
        content_type="application/pdf",
    )
    response["Cache-Control"] = PDF_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
