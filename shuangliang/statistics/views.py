"""Statistics pages: the dashboard of a federation, its statistical and comparison reports
with xlsx and PDF, its open-data setting; and the public open-data page, JSON and CSV."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shuangliang.core.actionlog import log_action
from shuangliang.register.models import Federation

from . import figures as fig
from .exports import ReportExporter, report_note, report_pdf, report_title
from .models import StatisticsSettings
from .reports import comparison_report, open_data, report_months, statistical_report
from .selectors import (
    dashboard as build_dashboard,
)
from .selectors import (
    open_data_enabled,
    statistics_federation_or_404,
    statistics_roots,
)
from .snapshots import parse_month


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's top federation, or a choice when they have several."""
    roots = statistics_roots(user=request.user)
    if not roots:
        raise Http404
    if len(roots) == 1:
        return redirect("statistics:dashboard", pk=roots[0].pk)
    return render(request, "statistics/choose.html", {"federations": roots})


@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    federation = statistics_federation_or_404(user=request.user, pk=pk)
    data = build_dashboard(user=request.user, federation=federation)
    return render(
        request,
        "statistics/dashboard.html",
        {"d": data, "federation": federation, "charts": data.charts},
    )


def _report(request: HttpRequest, pk: int):
    federation = statistics_federation_or_404(user=request.user, pk=pk)
    month = parse_month(request.GET.get("month", ""))
    return federation, statistical_report(user=request.user, federation=federation, month=month)


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    federation, data = _report(request, pk)
    return render(
        request,
        "statistics/report.html",
        {
            "federation": federation,
            "report": data,
            "months": report_months(federation=federation),
            "title": report_title(data),
            "note": report_note(data),
        },
    )


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    _federation, data = _report(request, pk)
    return ReportExporter(data).response("xlsx")


@require_GET
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    federation, data = _report(request, pk)
    response = HttpResponse(report_pdf(data), content_type="application/pdf")
    filename = f"{ReportExporter(data).filename('pdf')}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    federation = statistics_federation_or_404(user=request.user, pk=pk)
    data = comparison_report(user=request.user, federation=federation)
    return render(request, "statistics/comparison.html", {"federation": federation, "c": data})


@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether the federation publishes its open statistics (its staff decide)."""
    federation = statistics_federation_or_404(user=request.user, pk=pk, action="change")
    current = StatisticsSettings.objects.filter(federation=federation).first()
    if request.method == "POST":
        enabled = request.POST.get("open_data") == "on"
        settings_row, _created = StatisticsSettings.objects.get_or_create(federation=federation)
        if settings_row.open_data != enabled:
            settings_row.open_data = enabled
            settings_row.save(update_fields=["open_data", "updated_at"])
            log_action(
                federation,
                "statistics.open_data." + ("published" if enabled else "withdrawn"),
                actor=request.user,
            )
        messages.success(request, _("The statistics settings were saved."))
        return redirect("statistics:settings", pk=federation.pk)
    return render(
        request,
        "statistics/settings.html",
        {"federation": federation, "open_data": bool(current and current.open_data)},
    )


# Open data: no login ------------------------------------------------------------------------


def _open_federation(division_code: str) -> Federation:
    federation = get_object_or_404(Federation, division_code=division_code)
    if not open_data_enabled(federation):
        raise Http404
    return federation


@login_not_required
@require_GET
def open_data_page(request: HttpRequest, division_code: str) -> HttpResponse:
    data = open_data(federation=_open_federation(division_code))
    columns = [fig.FIGURES_BY_KEY[key] for key in data.keys]
    return render(
        request,
        "statistics/open_data.html",
        {"data": data, "columns": columns, "indexable": True},
    )


@login_not_required
@require_GET
def open_data_json(request: HttpRequest, division_code: str) -> HttpResponse:
    data = open_data(federation=_open_federation(division_code))
    return JsonResponse(data.as_json(), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def open_data_csv(request: HttpRequest, division_code: str) -> HttpResponse:
    data = open_data(federation=_open_federation(division_code))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["place", "division_code", *data.keys])
    for name, code, figures in [
        (data.federation.name, data.federation.division_code, data.figures),
        *data.places,
    ]:
        values = ["" if figures[key] is None else figures[key] for key in data.keys]
        writer.writerow([_csv_text(name), code, *values])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"open-data-{data.federation.division_code}-{data.as_of:%Y%m%d}.csv"
    )
    return response


def _csv_text(value: str) -> str:
    from shuangliang.core.exports import escape_text

    return escape_text(value)
