"""The register import: enterprises, unions and cadres from an xlsx workbook, all or nothing.

Steps (CONVENTIONS.md 8, QUALITY.md B1, B2, D1): read the file safely (core.xlsx) → find each
sheet's header row and kind, and map its columns by their Chinese names in either script
(columns) → convert the cells (values) → build model instances and validate each with the
model's own `full_clean` and constraints (rows, checks), then check across rows: duplicates
in the file and in the database, township scope (townships), references, one chair per
union → only when no row is bad, write everything in one transaction with `bulk_create` and
one action-log entry per written row (database). Long imports run as an `ImportJob` with
progress (jobs); the downloadable template comes from `template`.

Memory does not grow with the file: the rows are streamed from openpyxl's read-only mode; the
check pass holds one row's instances at a time and keeps only compact references for the
checks across rows, and the converted rows in a temporary file; the write pass builds the
instances again from that file and writes them 2,000 rows at a time (database.ChunkWriter),
all inside the one transaction.

Two layouts are understood: the downloadable template (sheets 企业 / 工会 / 工会干部) and the
roster clerks keep (one sheet, one row per enterprise with its union and chair, title rows
above the header). Errors carry the sheet, the row number as Excel shows it, the column
header as written in the file, and a message for the clerk.
"""

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuangliang.core.xlsx import SpreadsheetError, open_xlsx

from ..models import Federation
from .columns import (
    ENTERPRISE,
    FIELDS,
    OFFICER,
    TEMPLATE_SHEETS,
    UNION,
    SheetLayout,
    field_choices_for,
    inspect_workbook,
)
from .database import (
    ChunkWriter,
    Registered,
    check_registered_codes,
    registered_for,
    statements_unprepared,
)
from .rows import Importer, ImportResult, RowError, RowSpill

__all__ = [
    "ENTERPRISE",
    "FIELDS",
    "OFFICER",
    "TEMPLATE_SHEETS",
    "UNION",
    "ImportResult",
    "RowError",
    "SheetLayout",
    "SpreadsheetError",
    "field_choices_for",
    "inspect_workbook",
    "register_import",
]


def register_import(
    *,
    file: IO[bytes] | str | Path,
    federation: Federation,
    actor=None,
    column_mapping: dict | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    log_data: dict | None = None,
) -> ImportResult:
    """Import a register workbook into `federation`'s subtree: every row is validated first,
    then all rows are written in one transaction — or nothing, when any row is bad.

    `column_mapping` is {sheet title: {column number: field key, or "" to ignore}} for the
    columns the import did not recognise; `log_data` goes into every action-log entry.
    Raises SpreadsheetError when the file itself cannot be read safely.
    """
    with open_xlsx(file) as book, ExitStack() as stack:
        importer = Importer(federation=federation, mapping=column_mapping, progress=progress)
        stack.callback(importer.close)
        plan = importer.analyse(book.sheets)
        planned = {id(sheet) for _layout, sheet in plan}
        book.read_through([sheet for sheet in book.sheets if id(sheet) not in planned])
        has_references = any(layout.kind != ENTERPRISE for layout, _sheet in plan)
        registered = registered_for(federation, plan) if has_references else Registered()
        # The check pass keeps each converted row on disk for the write pass, not in memory.
        spills = (
            {} if dry_run else {id(layout): stack.enter_context(RowSpill()) for layout, _s in plan}
        )
        for layout, sheet in plan:
            for row in importer.rows(layout, sheet):
                importer.process(row, registered)
                if not dry_run:
                    spills[id(layout)].add(row)
        importer.finish_reading()
        check_registered_codes(importer)
        if progress:
            progress(importer.total, importer.total)
        result = ImportResult(
            counts=importer.counts(),
            errors=sorted(importer.errors, key=_error_order(plan)),
            warnings=importer.warnings,
            total_rows=importer.total,
        )
        nothing = not any(
            result.counts[k] for k in ("enterprises", "unions", "officers", "attached")
        )
        if nothing and not result.errors:
            result.errors.append(RowError("", 0, "", _("The file holds no rows to import.")))
        if result.errors or dry_run:
            return result
        try:
            with transaction.atomic():
                check_registered_codes(importer)  # again, now that the rows will be written
                if importer.errors:
                    raise _Abort
                _write(importer, plan, spills, registered, actor=actor, log_data=log_data)
        except _Abort:
            result.errors = importer.errors
            return result
        except IntegrityError:
            result.errors = [
                RowError(
                    "",
                    0,
                    "",
                    _(
                        "Someone changed the register while the file was being imported; "
                        "nothing was written. Please import it again."
                    ),
                )
            ]
            return result
    result.written = True
    return result


def _write(importer: Importer, plan, spills, registered, *, actor, log_data) -> None:
    """The write pass: the checked rows again, union sheets first (the enterprises they cover
    take their keys), then enterprises, then officers, written a chunk at a time."""
    importer.writing = True
    importer.writer = writer = ChunkWriter(
        index=importer.index, actor=actor, log_data=log_data or {"source": "import"}
    )
    order = {UNION: 0, ENTERPRISE: 1, OFFICER: 2}
    with statements_unprepared():
        for layout, _sheet in sorted(plan, key=lambda item: order[item[0].kind]):
            for row in spills[id(layout)].rows(layout):
                importer.process(row, registered)
            writer.flush()
        writer.attach(importer.attach)


class _Abort(Exception):
    """Leaves the transaction without writing."""


def _error_order(plan):
    sheet_order = {layout.title: index for index, (layout, _sheet) in enumerate(plan)}

    def key(error: RowError):
        return (sheet_order.get(error.sheet, -1), error.row)

    return key
