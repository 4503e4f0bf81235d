"""Exports yield rows; one base writes them as xlsx or CSV (CONVENTIONS.md 8, QUALITY.md B3).

Every text cell that a spreadsheet would take for a formula (it starts with = + - @, a tab
or a carriage return) is prefixed with a single quote, in both formats. In xlsx, text cells
are written with the string type, so no data cell carries a formula (`<f>`) element.
"""

import csv
import datetime
import decimal
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def escape_text(text: str) -> str:
    """Neutralise formula injection: a leading trigger character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def export_value(value: Any) -> Any:
    """A cell value as written: numbers and dates stay typed, everything else is safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, Promise):
        value = str(value)
    return escape_text(str(value))


def _csv_text(value: Any) -> str:
    value = export_value(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


class Exporter:
    """A tabular export: subclasses give the headers and yield the rows."""

    #: The file name before the date, e.g. pgettext_lazy("export file name", "Enterprises").
    filename_stem: Any = "export"
    #: The worksheet title in the xlsx file.
    sheet_title: Any = "Sheet1"
    #: Column widths in characters, by position; the rest get `default_width`.
    widths: Sequence[int] = ()
    default_width = 14

    def get_headers(self) -> list[str]:
        raise NotImplementedError

    def iter_rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        return f"{self.filename_stem}-{timezone.localdate():%Y%m%d}.{fmt}"

    def write_xlsx(self, out) -> None:
        """Write the workbook to a binary file object."""
        workbook = Workbook(write_only=True)
        title = _SHEET_TITLE_FORBIDDEN.sub(" ", str(self.sheet_title))[:31] or "Sheet1"
        sheet = workbook.create_sheet(title)
        headers = [str(header) for header in self.get_headers()]
        for index in range(len(headers)):
            width = self.widths[index] if index < len(self.widths) else self.default_width
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        bold = Font(bold=True)
        sheet.append([self._xlsx_cell(sheet, header, font=bold) for header in headers])
        for row in self.iter_rows():
            sheet.append([self._xlsx_cell(sheet, value) for value in row])
        workbook.save(out)

    @staticmethod
    def _xlsx_cell(sheet, value: Any, *, font=None) -> WriteOnlyCell:
        value = export_value(value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never "f", whatever the text looks like
        elif isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        if font is not None:
            cell.font = font
        return cell

    def iter_csv(self) -> Iterator[str]:
        """CSV lines, UTF-8 with a byte-order mark so that Excel reads the Chinese right."""
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow([_csv_text(header) for header in self.get_headers()])
        for row in self.iter_rows():
            yield writer.writerow([_csv_text(value) for value in row])

    def response(self, fmt: str):
        """The export as a download: xlsx from a temporary file, CSV streamed row by row."""
        filename = self.filename(fmt)
        if fmt == "csv":
            response = StreamingHttpResponse(
                self.iter_csv(), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        self.write_xlsx(out)
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )
