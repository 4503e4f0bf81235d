"""Safe reading of uploaded xlsx files (QUALITY.md B2).

An upload is checked before openpyxl sees it: its size, its magic bytes (a renamed .xls or
anything that is not a zip is refused), the zip directory (encrypted members, macros, and
declared uncompressed sizes, so a zip bomb is refused before anything is inflated). openpyxl
then reads it in read-only mode with defusedxml underneath, which refuses entity
declarations (billion laughs) and external entities (XXE). Formula cells are not evaluated:
they come back as `Formula` markers, which the importer refuses as values.
"""

import datetime
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import defusedxml  # noqa: F401  (openpyxl parses with defusedxml only when it is importable)
import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx files
# Columns read per row: a cell in column XFD must not make every row 16,384 cells wide.
MAX_COLUMNS = 100
MAX_ZIP_MEMBERS = 2_000
MAX_BLANK_ROWS = 1_000


class SpreadsheetError(Exception):
    """The file cannot be read as an xlsx workbook; the message is for the user."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (or an Excel error value): refused, never evaluated."""

    text: str


@dataclass
class Sheet:
    """One worksheet: its title and its non-empty rows as (Excel row number, values)."""

    title: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


def _max_uncompressed_bytes() -> int:
    default = 10 * settings.IMPORT_MAX_BYTES
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", default)


def _file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def _check_container(file: IO[bytes]) -> None:
    """Refuse before parsing: too big, not a zip, an old .xls, a zip bomb, macros."""
    max_bytes = settings.IMPORT_MAX_BYTES
    size = _file_size(file)
    if size > max_bytes:
        raise SpreadsheetError(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {"size": round(size / 2**20, 1), "limit": round(max_bytes / 2**20, 1)}
        )
    file.seek(0)
    magic = file.read(8)
    file.seek(0)
    if magic.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "This is an old Excel (.xls) file or a password-protected workbook. Open it "
                "in Excel, remove any password and save it as an Excel workbook (.xlsx)."
            )
        )
    if not magic.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            _("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx.")
        )
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError(_("The file is damaged and cannot be read as an xlsx workbook."))
    finally:
        file.seek(0)
    names = {member.filename for member in members}
    if len(members) > MAX_ZIP_MEMBERS:
        raise SpreadsheetError(_("The workbook has too many parts to be read safely."))
    declared = sum(member.file_size for member in members)
    if declared > _max_uncompressed_bytes():
        raise SpreadsheetError(
            _(
                "The workbook would unpack to %(size)s MB, more than can be read safely. "
                "Split it into smaller files."
            )
            % {"size": round(declared / 2**20)}
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise SpreadsheetError(_("The workbook is encrypted; save it without a password."))
    if "[Content_Types].xml" not in names:
        raise SpreadsheetError(
            _("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx.")
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise SpreadsheetError(
            _("The workbook contains macros; save it as a plain Excel workbook (.xlsx).")
        )


def _cell_value(cell) -> Any:
    if cell.data_type in ("f", "e"):  # formula, or an error such as #N/A
        return Formula(str(cell.value))
    return cell.value


def _iter_rows(worksheet, *, last_row: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows with their numbers; SpreadsheetError past `last_row`.

    The stored dimension may be wrong or hostile (A1:XFD1048576), so it is ignored; row
    numbers are limited too, as one far-away cell makes every blank row before it a row.
    """
    worksheet.reset_dimensions()
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > last_row:
            raise SpreadsheetError(
                _("The workbook has more than %(limit)s rows; split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_ROWS}
            )
        values = [_cell_value(cell) for cell in cells]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if values:
            yield number, tuple(values)


def read_xlsx(file: IO[bytes] | str | Path, *, scan_rows: int | None = None) -> list[Sheet]:
    """Every worksheet of an uploaded workbook, or SpreadsheetError with a clear message.

    `scan_rows` reads only the first rows of each sheet (to find headers quickly).
    More than settings.IMPORT_MAX_ROWS non-empty rows in all is refused. The rows are held
    in memory; `open_xlsx` streams them instead.
    """
    with open_xlsx(file) as book:
        sheets = []
        for streamed in book.sheets:
            sheet = Sheet(title=streamed.title)
            for number, values in streamed.rows:
                if scan_rows is not None and number > scan_rows:
                    break
                sheet.rows.append((number, values))
            sheets.append(sheet)
    return sheets


class StreamedSheet:
    """A worksheet whose rows are read from the file each time they are iterated, so that
    no more than one row is held at a time. `rows` yields (Excel row number, values) for the
    non-empty rows, like Sheet.rows."""

    def __init__(self, book: "StreamedWorkbook", worksheet):
        self.book = book
        self.worksheet = worksheet
        self.title = clean_title(worksheet.title)
        try:  # before reading: _iter_rows resets the declared dimension
            self.declared_rows = int(worksheet.max_row or 0)
        except (TypeError, ValueError):
            self.declared_rows = 0

    @property
    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        return self.book._rows(self)

    def __bool__(self) -> bool:
        return True

    def has_rows(self) -> bool:
        return next(iter(self.rows), None) is not None

    def estimated_rows(self) -> int:
        """The row count the file declares (its dimension), at most the import limit: for
        progress only, as the declared dimension may be wrong."""
        return max(0, min(self.declared_rows, settings.IMPORT_MAX_ROWS))


class StreamedWorkbook:
    """An opened workbook (after the container checks); see `open_xlsx`."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.sheets = [StreamedSheet(self, worksheet) for worksheet in workbook.worksheets]
        self._counted: dict[str, int] = {}  # non-empty rows seen per sheet

    def read_through(self, sheets: list[StreamedSheet]) -> None:
        """Read `sheets` to the end, only for the row limits (SpreadsheetError past them)."""
        for sheet in sheets:
            for _row in sheet.rows:
                pass

    def _rows(self, sheet: StreamedSheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
        max_rows = settings.IMPORT_MAX_ROWS
        others = sum(n for title, n in self._counted.items() if title != sheet.title)
        seen = 0
        with _reading():
            for number, values in _iter_rows(sheet.worksheet, last_row=max_rows + MAX_BLANK_ROWS):
                seen += 1
                if seen > self._counted.get(sheet.title, 0):
                    self._counted[sheet.title] = seen
                if others + seen > max_rows:
                    raise SpreadsheetError(
                        _("The workbook has more than %(limit)s rows; split it into smaller files.")
                        % {"limit": max_rows}
                    )
                yield number, values


class _Worksheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet, but its declared size is looked for only in the
    sheet's head, where the format puts it (before <sheetData>).

    openpyxl stops its search at the *end* of <sheetData>, so for a file that declares no
    size (openpyxl's own write-only output, many generators) opening the workbook parsed
    every row once before any was read, holding an emptied element per row: 3 s and 8 MB
    for 100,000 rows.
    """

    def _get_size(self):
        source = self._get_source()
        try:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension.from_tree(element).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                    return
                if element.tag == DATA_TAG:
                    return
        finally:
            source.close()


class _Reader(ExcelReader):
    """openpyxl's workbook reader in read-only mode, with `_Worksheet` for the sheets."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _load_workbook(file: IO[bytes]):
    """openpyxl.load_workbook(file, read_only=True, data_only=False, keep_links=False), with
    the head-only size search of `_Worksheet`."""
    reader = _Reader(file, read_only=True, data_only=False, keep_links=False)
    reader.read()
    return reader.wb


@contextmanager
def open_xlsx(file: IO[bytes] | str | Path) -> Iterator[StreamedWorkbook]:
    """An uploaded workbook whose sheets are read row by row (openpyxl's read-only mode), or
    SpreadsheetError with a clear message — also while its rows are being read.

    More than settings.IMPORT_MAX_ROWS non-empty rows in all is refused.
    """
    if not openpyxl.DEFUSEDXML or openpyxl.LXML:
        raise ImproperlyConfigured(
            "openpyxl must parse with defusedxml, not lxml (OPENPYXL_DEFUSEDXML, OPENPYXL_LXML)."
        )
    if isinstance(file, str | Path):
        with open(file, "rb") as handle, open_xlsx(handle) as book:
            yield book
        return
    _check_container(file)
    workbook = None
    try:
        with _reading():
            workbook = _load_workbook(file)
            book = StreamedWorkbook(workbook)
            if not any(sheet.has_rows() for sheet in book.sheets):
                raise SpreadsheetError(_("The workbook is empty."))
        yield book
    finally:
        if workbook is not None:
            workbook.close()
        file.seek(0)


@contextmanager
def _reading() -> Iterator[None]:
    """openpyxl's many exceptions on damaged or hostile files as SpreadsheetError."""
    try:
        yield
    except SpreadsheetError:
        raise
    except (MemoryError, RecursionError):
        raise SpreadsheetError(_("The workbook is too complex to be read safely."))
    except GeneratorExit:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files; none may crash
        if _caused_by(exc, DefusedXmlException):  # openpyxl wraps it in a ValueError
            raise SpreadsheetError(
                _(
                    "The workbook contains XML entity declarations, which are refused for "
                    "safety. Open it in Excel and save it again as .xlsx."
                )
            )
        raise SpreadsheetError(_("The file is damaged and cannot be read as an xlsx workbook."))


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def clean_title(title: str) -> str:
    return " ".join(str(title).split())


def excel_serial_to_date(value: float) -> datetime.date | None:
    """An Excel date serial (1900 system) as a date, or None when out of any sane range."""
    if isinstance(value, bool) or not 1 <= value <= 2_958_465:
        return None
    from openpyxl.utils.datetime import from_excel

    try:
        result = from_excel(value)
    except (ValueError, OverflowError):
        return None
    return result.date() if isinstance(result, datetime.datetime) else result
