"""Import and export pages of the register.

Import: upload (with the target federation) → a column mapping when some headers were not
recognised → a check of every row, with progress → the errors, or the counts and a confirm
button → the write. Only users who may write the register reach these pages; a job is only
visible to the user who started it (everyone else gets a 404).

Export: the enterprise, union and cadre lists as xlsx or CSV, with the list pages' filters
and through the same selectors, so exactly the user's scope.
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl.utils import get_column_letter

from shuangliang.core.access import visible
from shuangliang.core.exports import XLSX_CONTENT_TYPE
from shuangliang.core.models import ImportJob
from shuangliang.register.exporters import EnterpriseExporter, OfficerExporter, UnionExporter
from shuangliang.register.importers import SpreadsheetError, field_choices_for, inspect_workbook
from shuangliang.register.importers.jobs import (
    ImportJobError,
    import_job_confirm,
    import_job_create,
    import_job_get_for_user,
    import_job_is_stale,
    import_job_map,
)
from shuangliang.register.importers.template import template_workbook
from shuangliang.register.models import Federation
from shuangliang.register.selectors import federations_for_filter

from .filters import EnterpriseFilterForm, OfficerFilterForm, UnionFilterForm
from .views.common import require_any_scope, require_register_staff

MAX_ERRORS_SHOWN = 1000


class ImportStartForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml"}
        ),
    )
    federation = forms.ModelChoiceField(
        label=gettext_lazy("Import into"),
        queryset=Federation.objects.none(),
        empty_label=None,  # the user's own federation comes first and is the usual choice
        help_text=gettext_lazy(
            "Rows enter this federation; their township or park must belong to it."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        federations = visible(Federation.objects.all(), user, "change").order_by("path")
        self.fields["federation"].queryset = federations
        depths = [f.depth for f in federations]
        top = min(depths, default=0)
        self.fields["federation"].label_from_instance = lambda f: "　" * (f.depth - top) + f.name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
                % {
                    "size": round(upload.size / 2**20, 1),
                    "limit": round(settings.IMPORT_MAX_BYTES / 2**20, 1),
                }
            )
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per unrecognised column: the field it holds, or ignore it."""

    def __init__(self, *args, unknown: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for entry in unknown:
            taken = set(entry["taken"])
            choices = [("", _("Ignore this column"))] + [
                (key, label) for key, label in field_choices_for(entry["kind"]) if key not in taken
            ]
            self.fields[f"{entry['sheet']}:{entry['column']}"] = forms.ChoiceField(
                label=entry["header"], choices=choices, required=False
            )

    def clean(self):
        data = super().clean()
        chosen: dict[tuple[str, str], str] = {}
        for name, key in data.items():
            if not key:
                continue
            sheet = name.rsplit(":", 1)[0]
            if (sheet, key) in chosen:
                self.add_error(name, _("Another column already holds this field."))
            chosen[(sheet, key)] = name
        return data

    def mapping(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for name, key in self.cleaned_data.items():
            sheet, column = name.rsplit(":", 1)
            out.setdefault(sheet, {})[column] = key
        return out


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    require_register_staff(request)
    job = import_job_get_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return job


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    require_register_staff(request)
    form = ImportStartForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            layouts = inspect_workbook(file=upload)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            if not any(layout.kind for layout in layouts):
                form.add_error(
                    "file",
                    _(
                        "No sheet of this workbook has a header row with the register's "
                        "columns (such as 企业名称 and 统一社会信用代码). Start from the template."
                    ),
                )
            else:
                upload.seek(0)
                job = import_job_create(
                    user=request.user,
                    federation=form.cleaned_data["federation"],
                    upload=upload,
                    layouts=layouts,
                )
                if job.status == ImportJob.Status.MAPPING:
                    return redirect("backoffice:import_map", pk=job.pk)
                return redirect("backoffice:import_status", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user).select_related("federation")[:5]
    return render(request, "backoffice/io/start.html", {"form": form, "recent": recent})


@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    require_register_staff(request)
    name = pgettext("import template file name", "Register import template") + ".xlsx"
    return FileResponse(
        io.BytesIO(template_workbook()),
        as_attachment=True,
        filename=name,
        content_type=XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.status != ImportJob.Status.MAPPING:
        return redirect("backoffice:import_status", pk=job.pk)
    form = ColumnMappingForm(request.POST or None, unknown=job.unknown_columns)
    if form.is_valid():
        try:
            import_job_map(job=job, mapping=form.mapping())
        except ImportJobError as exc:
            messages.error(request, str(exc))
        return redirect("backoffice:import_status", pk=job.pk)
    columns = [
        (
            {**entry, "letter": get_column_letter(entry["column"])},
            form[f"{entry['sheet']}:{entry['column']}"],
        )
        for entry in job.unknown_columns
    ]
    return render(request, "backoffice/io/map.html", {"job": job, "form": form, "columns": columns})


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    context = {
        "job": job,
        "errors": job.errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(job.errors) - MAX_ERRORS_SHOWN),
        "stale": import_job_is_stale(job),
    }
    if request.htmx:
        return render(request, "backoffice/io/_status.html", context)
    return render(request, "backoffice/io/status.html", context)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        import_job_confirm(job=job)
    except ImportJobError as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:import_status", pk=job.pk)


def _export_format(request: HttpRequest) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


def _filter_federations(request: HttpRequest):
    return federations_for_filter(user=request.user).filter(depth__gte=1)


@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    form = EnterpriseFilterForm(request.GET or None, federations=_filter_federations(request))
    exporter = EnterpriseExporter(
        user=request.user, filters=form.to_filters(), sort=request.GET.get("sort", "name")
    )
    return exporter.response(_export_format(request))


@require_GET
def union_export(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    form = UnionFilterForm(request.GET or None, federations=_filter_federations(request))
    exporter = UnionExporter(
        user=request.user, sort=request.GET.get("sort", "name"), **form.to_kwargs()
    )
    return exporter.response(_export_format(request))


@require_GET
def officer_export(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    form = OfficerFilterForm(request.GET or None, federations=_filter_federations(request))
    exporter = OfficerExporter(user=request.user, **form.to_kwargs())
    return exporter.response(_export_format(request))
