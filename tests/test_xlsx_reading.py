"""Reading uploaded workbooks (core.xlsx): the declared size is looked for in the sheet's head
only, so a workbook that declares none is not parsed through once before its rows are read."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from shuangliang.core.xlsx import SpreadsheetError, open_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def _saved(workbook: Workbook) -> io.BytesIO:
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    return file


def _replace(file: io.BytesIO, name: str, data: bytes) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            target.writestr(member, data if member == name else source.read(member))
    out.seek(0)
    return out


def test_the_declared_size_is_read_from_the_sheet_head():
    workbook = Workbook()
    for n in range(1, 38):
        workbook.active.append([f"企业{n}", n])
    file = _saved(workbook)
    with zipfile.ZipFile(file) as archive:
        assert b'<dimension ref="A1:B37"' in archive.read(SHEET)
    with open_xlsx(file) as book:
        (sheet,) = book.sheets
        assert sheet.estimated_rows() == 37
        assert [number for number, _values in sheet.rows] == list(range(1, 38))


def test_a_workbook_without_a_declared_size_opens_without_reading_its_rows():
    """openpyxl's write-only output declares no size. Its rows are read only when the import
    reads them: here the sheet is cut off after the second row, and the workbook still
    opens and shows its first rows (the import's preview); reading on says it is damaged."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    for n in range(1, 2001):
        sheet.append([f"企业{n}", n])
    file = _saved(workbook)
    with zipfile.ZipFile(file) as archive:
        xml = archive.read(SHEET)
    assert b"<dimension" not in xml
    cut = xml.index(b'<row r="3"')
    damaged = _replace(file, SHEET, xml[:cut] + b'<row r="3"><c r="A3" t="inlineStr"><is><t>')

    with open_xlsx(damaged) as book:
        (sheet,) = book.sheets
        assert sheet.estimated_rows() == 0
        rows = iter(sheet.rows)
        assert next(rows) == (1, ("企业1", 1))
        assert next(rows) == (2, ("企业2", 2))
        with pytest.raises(SpreadsheetError, match="已损坏"):
            next(rows)

    with open_xlsx(_replace(file, SHEET, xml)) as book:  # the whole file reads through
        assert sum(1 for _row in book.sheets[0].rows) == 2000
