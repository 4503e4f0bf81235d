"""Rows to model instances: each row's cells become an enterprise, a union, a chair or a
cadre, validated by the model's own full_clean (the one validation path, QUALITY.md B1),
and checked against the rest of the file (duplicates, references, one chair per union).

An import reads its rows twice, and holds only one row's instances at a time, so that its
memory does not grow with the file. The check pass validates each row and records where each
enterprise and union of the file is in `index.FileIndex` (a temporary database on disk) for
the checks across rows; when no row is bad, the write pass builds the same instances again
from the converted rows (kept on disk by the check pass) and hands them to
`database.ChunkWriter`, which writes them a few thousand rows at a time.
"""

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.text import clean_text

from ..models import Enterprise, Federation, Officer, Person, Position, Union
from .checks import (
    CHAIR_UNIQUE_MESSAGE,
    NON_FIELD_COLUMN,
    ConstraintChecker,
    claimed_message,
    duplicate_message,
)
from .columns import (
    ENTERPRISE,
    FIELDS,
    OFFICER,
    REQUIRED_COLUMNS,
    UNION,
    SheetLayout,
    analyse_sheet,
    text_key,
)
from .database import ChunkWriter, Registered
from .index import EntRef, FileIndex, UnionRef
from .townships import TownshipResolver
from .values import CellError, convert

PROGRESS_EVERY = 200
EXAMPLE_PREFIXES = ("示例", "例:", "例：", "样例")


class RowError(NamedTuple):
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import found and (unless there were errors or it was a dry run) wrote."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_rows: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Row:
    layout: SheetLayout
    number: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be converted

    def header(self, key: str) -> str:
        return self.layout.header_for(key)


class RowSpill:
    """The converted rows of one sheet, pickled to a temporary file by the check pass and
    read back one at a time by the write pass (only this process writes the file)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)

    def __enter__(self) -> "RowSpill":
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def add(self, row: Row) -> None:
        # One pickle per row: a shared Unpickler would keep every object it read (its memo).
        data = pickle.dumps((row.number, row.values), protocol=pickle.HIGHEST_PROTOCOL)
        self.file.write(len(data).to_bytes(4, "little"))
        self.file.write(data)

    def rows(self, layout: SheetLayout) -> Iterator[Row]:
        self.file.flush()
        self.file.seek(0)
        while size := self.file.read(4):
            number, values = pickle.loads(self.file.read(int.from_bytes(size, "little")))
            yield Row(layout=layout, number=number, values=values)


def _is_example(cells: tuple, column: int) -> bool:
    value = cells[column - 1] if column <= len(cells) else None
    return isinstance(value, str) and clean_text(value).startswith(EXAMPLE_PREFIXES)


class Importer:
    """One import's state: the index of the rows read so far, and the errors.

    `writing` is False during the check pass and True during the write pass, which runs only
    when the check pass found no error and reuses its references.
    """

    def __init__(self, *, federation: Federation, mapping: dict, progress: Callable | None):
        self.federation = federation
        self.mapping = mapping or {}
        self.progress = progress
        self.townships = TownshipResolver(federation)
        self.constraints = ConstraintChecker()
        self.today = timezone.localdate()
        self.errors: list[RowError] = []
        self.warnings: list[str] = []
        self.total = 0  # data rows: an estimate until the check pass has read them all
        self.processed = 0
        self.writing = False
        self.writer: ChunkWriter | None = None
        self.tally = dict.fromkeys(("enterprises", "unions", "officers", "people", "attached"), 0)
        # What the union sheets give to enterprises already registered.
        self.attach: list[tuple[Enterprise, UnionRef]] = []
        # The enterprises and unions of the file, off the heap (see index.py).
        self.index = FileIndex()
        self.chaired: set[int] = set()  # registered unions given a chair by the file

    def close(self) -> None:
        self.index.close()

    # -- reporting ------------------------------------------------------------------------
    def error(self, row: Row, key: str | None, message: str) -> None:
        self.error_at(row.layout, row.number, key, message)

    def error_at(self, layout: SheetLayout, number: int, key: str | None, message: str) -> None:
        if self.writing:  # pragma: no cover - the check pass found every error
            raise AssertionError(f"An error in the write pass: {message}")
        column = layout.header_for(key) if key else ""
        self.errors.append(RowError(layout.title, number, column, str(message)))

    def tick(self) -> None:
        self.processed += 1
        if self.progress and self.processed % PROGRESS_EVERY == 0:
            self.progress(self.processed, max(self.total, self.processed))

    # -- reading ----------------------------------------------------------------------------
    def analyse(self, sheets) -> list[tuple[SheetLayout, Any]]:
        plan = []
        for sheet in sheets:
            layout = analyse_sheet(sheet, self.mapping.get(sheet.title))
            if layout.kind is None:
                if _has_rows(sheet):
                    self.warnings.append(
                        _("The sheet %(sheet)s has no recognisable header row and was skipped.")
                        % {"sheet": sheet.title}
                    )
                continue
            for _column, header in layout.unknown:
                self.warnings.append(
                    _(
                        "The column “%(header)s” on sheet %(sheet)s was not recognised and was "
                        "ignored."
                    )
                    % {"header": header, "sheet": sheet.title}
                )
            for _column, header in layout.duplicates:
                self.warnings.append(
                    _(
                        "The column “%(header)s” on sheet %(sheet)s repeats another column and "
                        "was ignored."
                    )
                    % {"header": header, "sheet": sheet.title}
                )
            missing = [key for key in REQUIRED_COLUMNS[layout.kind] if not layout.column_of(key)]
            if layout.kind == ENTERPRISE and not self.federation.is_grassroots_level:
                missing += [] if layout.column_of("ent.federation") else ["ent.federation"]
            if layout.kind == OFFICER and not any(
                layout.column_of(k)
                for k in ("officer.union_code", "officer.enterprise_code", "officer.union_name")
            ):
                missing.append("officer.union_name")
            if missing:
                for key in missing:
                    self.errors.append(
                        RowError(
                            sheet.title,
                            layout.header_row,
                            "",
                            _("The sheet has no column for %(field)s.")
                            % {"field": FIELDS[key].label},
                        )
                    )
                continue
            plan.append((layout, sheet))
            self.total += _estimated_rows(sheet, layout.header_row)
        order = {ENTERPRISE: 0, UNION: 1, OFFICER: 2}
        return sorted(plan, key=lambda item: order[item[0].kind])

    def rows(self, layout: SheetLayout, sheet) -> Iterable[Row]:
        """The sheet's data rows with their cells converted; conversion errors are reported."""
        name_column = next(
            filter(None, (layout.column_of(k) for k in ("ent.name", "union.name", "cadre.name"))),
            None,
        )
        columns = [(column, key, FIELDS[key]) for column, key in layout.columns.items()]
        for number, cells in sheet.rows:
            if number <= layout.header_row:
                continue
            self.tick()
            if name_column and _is_example(cells, name_column):
                self.warnings.append(
                    _("Row %(row)s on sheet %(sheet)s is the template's example and was skipped.")
                    % {"row": number, "sheet": layout.title}
                )
                continue
            row = Row(layout=layout, number=number, values={})
            width = len(cells)
            for column, key, spec in columns:
                raw = cells[column - 1] if column <= width else None
                try:
                    value = convert(spec, raw)
                except CellError as exc:
                    self.error(row, key, str(exc))
                    row.failed.add(key)
                    continue
                if value is not None:
                    row.values[key] = value
            if row.values or row.failed:
                yield row

    def finish_reading(self) -> None:
        """The exact number of data rows, once the check pass has read them all."""
        self.total = self.processed

    def process(self, row: Row, registered: Registered) -> None:
        """One row, in either pass."""
        kind = row.layout.kind
        if kind == ENTERPRISE:
            self.enterprise_row(row)
        elif kind == UNION:
            self.union_sheet_row(row, registered.enterprises)
        else:
            self.officer_sheet_row(row, registered)

    # -- validation through the model ------------------------------------------------------
    def validate(self, obj: Model, row: Row, prefix: str, exclude: list[str]) -> set[str]:
        """Validate through the model's own full_clean and constraints; report the errors and
        return the failed fields. The write pass does not validate again.

        Uniqueness is checked for the whole file at once (check_registered_codes), not row by
        row; check constraints go through `self.constraints`, which evaluates each distinct
        set of values once.
        """
        if self.writing:
            return set()
        errors: dict[str, list[str]] = {}
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.message_dict
        for message in self.constraints.check(obj, exclude={*exclude, *errors}):
            errors.setdefault(NON_FIELD_ERRORS, []).append(message)
        failed = set()
        for name, messages in errors.items():
            if name == NON_FIELD_ERRORS:
                name = NON_FIELD_COLUMN[type(obj)]
            key = f"{prefix}.{name}" if f"{prefix}.{name}" in FIELDS else None
            failed.add(key or name)
            if key in row.failed:  # the cell did not convert; that error is reported
                continue
            for message in messages:
                self.error(row, key, message)
        return failed

    @staticmethod
    def _pick(row: Row, prefix: str, model: type[Model]) -> dict[str, Any]:
        """The row's values for the model's own (non-relation) fields, as keyword arguments."""
        names = _plain_fields(model)
        picked = {}
        for key, value in row.values.items():
            group, _dot, name = key.partition(".")
            if group == prefix and name in names:
                picked[name] = value
        return picked

    def _township(self, row: Row, key: str) -> Federation | None:
        try:
            return self.townships.resolve(row.values.get(key))
        except CellError as exc:
            self.error(row, key, str(exc))
            return None

    # -- enterprise rows (template enterprise sheet, or the clerks' one-sheet roster) --------
    def enterprise_row(self, row: Row) -> None:
        township = self._township(row, "ent.federation")
        enterprise = Enterprise(**self._pick(row, "ent", Enterprise))
        enterprise.federation = township
        failed = self.validate(enterprise, row, "ent", ["federation", "union"])
        code = enterprise.credit_code
        if self.writing:
            found = self.union_from_row(row, township)
            if found is not None:
                enterprise.union = found[0]
            elif code and (ref := self.index.enterprise(code)) and ref.union is not None:
                enterprise.union = ref.union.stand_in()  # given to it on a union sheet
            self.writer.add_enterprise(enterprise)
            return
        new = False
        if code and "ent.credit_code" not in failed:
            other = self.index.enterprise(code)
            if other is not None:
                self.error(
                    row,
                    "ent.credit_code",
                    duplicate_message(code, other.layout.title, other.number),
                )
            else:
                new = True
        if township is not None:
            self.tally["enterprises"] += 1
        found = self.union_from_row(row, township)
        if new:
            union = found[1] if found is not None else None
            self.index.add_enterprise(code, row.layout, row.number, township, union)

    def union_from_row(
        self, row: Row, township: Federation | None
    ) -> tuple[Union, UnionRef] | None:
        """The row's union and its reference, or None when the row has none."""
        has_union_data = any(
            key.startswith("union.")
            and key not in {"union.federation", "union.enterprises"}
            and value not in (None, "", False)
            for key, value in row.values.items()
        ) or any(key.startswith("chair.") for key in row.values)
        if not has_union_data:
            return None
        if "union.name" not in row.values:
            self.error(
                row,
                "union.name",
                _("The union's name is missing, but other union details are filled in."),
            )
            return None
        data = self._pick(row, "union", Union)
        data["credit_code"] = data.get("credit_code") or None
        union = Union(**data)
        union.federation = township
        failed = self.validate(union, row, "union", ["federation"])
        if self.writing:
            ref = self.index.union_at(row.layout, row.number)
            self.writer.add_union(union, ref)
            self.chair_from_row(row, union, ref)
            return union, ref
        ref = self.index.add_union(row.layout, row.number, union, township)
        if union.credit_code and "union.credit_code" not in failed:
            place = self.index.union_place(union.credit_code)
            if place is not None:
                layout, number = place
                self.error(
                    row,
                    "union.credit_code",
                    duplicate_message(union.credit_code, layout.title, number),
                )
            else:
                self.index.add_union_code(union.credit_code, ref)
        if township is not None:
            self.tally["unions"] += 1
            self.index.add_union_name(text_key(union.name), ref)
        self.chair_from_row(row, union, ref)
        return union, ref

    def chair_from_row(self, row: Row, union: Union, ref: UnionRef) -> None:
        if not any(key.startswith("chair.") for key in row.values):
            return
        if "chair.name" not in row.values:
            self.error(
                row,
                "chair.name",
                _("The chair's name is missing, but other chair details are filled in."),
            )
            return
        person = Person(**self._pick(row, "chair", Person))
        officer = Officer(
            position=Position.CHAIR,
            status=Officer.Status.ACTIVE,
            term_start=union.term_start or self.today,
        )
        person_failed = self.validate(person, row, "chair", [])
        officer_failed = self.validate(officer, row, "union", ["person", "union"])
        if self.writing:
            officer.person, officer.union = person, union
            self.writer.add_officer(person, officer)
        elif not person_failed and not officer_failed:
            self.tally["people"] += 1
            self.tally["officers"] += 1
            self.index.take_chair(ref)

    # -- union sheet rows ---------------------------------------------------------------------
    def union_sheet_row(self, row: Row, registered: dict[str, Enterprise]) -> None:
        if self.writing:
            self._write_union_sheet_row(row, registered)
            return
        if "union.name" not in row.values:
            if "union.name" not in row.failed:
                self.error(row, "union.name", _("Enter the union's name."))
            return
        covered_file: list[EntRef] = []
        covered_db: list[Enterprise] = []
        for code in row.values.get("union.enterprises", []):
            claimed_on = self.index.claim(code, row.number)
            if claimed_on is not None:
                self.error(row, "union.enterprises", claimed_message(code, claimed_on))
            elif (in_file := self.index.enterprise(code)) is not None:
                if in_file.union is not None:
                    self.error(row, "union.enterprises", claimed_message(code, None))
                else:
                    covered_file.append(in_file)
            elif code in registered:
                enterprise = registered[code]
                if enterprise.union_id:
                    self.error(
                        row,
                        "union.enterprises",
                        _("The enterprise %(code)s is already registered with a union.")
                        % {"code": code},
                    )
                else:
                    covered_db.append(enterprise)
            else:
                self.error(
                    row,
                    "union.enterprises",
                    _(
                        "No enterprise with the credit code %(code)s is in this file or in "
                        "%(federation)s."
                    )
                    % {"code": code, "federation": self.federation.name},
                )
        covered = [e for e in [*covered_file, *covered_db] if e.federation is not None]
        if "union.federation" in row.values:
            township = self._township(row, "union.federation")
        elif covered:  # the union sits where the (first) enterprise it covers is
            township = covered[0].federation
        elif row.values.get("union.enterprises"):
            return  # the enterprises' errors are reported; the township would follow from them
        else:
            township = self._township(row, "union.federation")
        if township is None:
            return
        found = self.union_from_row(row, township)
        if found is None:
            return
        ref = found[1]
        for enterprise in covered_file:
            self.index.give_union(enterprise, ref)
        for enterprise in covered_db:
            self.attach.append((enterprise, ref))
            self.index.attach(enterprise.credit_code, ref)
            self.tally["attached"] += 1

    def _write_union_sheet_row(self, row: Row, registered: dict[str, Enterprise]) -> None:
        """The union of a checked union-sheet row; its enterprises take it when written."""
        if "union.federation" in row.values:
            township = self._township(row, "union.federation")
        else:
            codes = row.values.get("union.enterprises", [])
            found = (self.index.enterprise(code) or registered.get(code) for code in codes)
            township = next((e.federation for e in found if e.federation is not None), None)
            if township is None:
                township = self._township(row, "union.federation")
        self.union_from_row(row, township)

    # -- officer sheet rows -------------------------------------------------------------------
    def officer_sheet_row(self, row: Row, lookups: Registered) -> None:
        union = self.officer_union(row, lookups)
        data = self._pick(row, "officer", Officer)
        person = Person(**self._pick(row, "cadre", Person))
        if union is not None and "term_start" not in data:
            data["term_start"] = union.term_start or self.today
        data.setdefault("term_start", self.today)
        officer = Officer(status=Officer.Status.ACTIVE, **data)
        person_failed = self.validate(person, row, "cadre", [])
        officer_failed = self.validate(officer, row, "officer", ["person", "union"])
        if self.writing:
            officer.person = person
            officer.union = union.stand_in() if isinstance(union, UnionRef) else union
            self.writer.add_officer(person, officer)
            return
        if union is None or person_failed or officer_failed:
            return
        if officer.position == Position.CHAIR:
            if isinstance(union, Union):
                taken = union.pk in self.chaired or union.pk in lookups.chaired
                self.chaired.add(union.pk)
            else:
                taken = not self.index.take_chair(union)
            if taken:
                self.error(row, "officer.position", CHAIR_UNIQUE_MESSAGE)
                return
        self.tally["people"] += 1
        self.tally["officers"] += 1

    def officer_union(self, row: Row, lookups: Registered) -> UnionRef | Union | None:
        values = row.values
        if "officer.union_code" in values:
            code = values["officer.union_code"]
            found = self.index.union_by_code(code) or lookups.unions.get(code)
            if found is None:
                self.error(
                    row,
                    "officer.union_code",
                    _(
                        "No union with the credit code %(code)s is in this file or in "
                        "%(federation)s."
                    )
                    % {"code": code, "federation": self.federation.name},
                )
            return found
        if "officer.enterprise_code" in values:
            code = values["officer.enterprise_code"]
            in_file = self.index.enterprise(code)
            union = self.index.attached(code) or (
                in_file.union if in_file is not None else lookups.union_of_enterprise.get(code)
            )
            if union is None:
                self.error(
                    row,
                    "officer.enterprise_code",
                    _(
                        "No union of an enterprise with the credit code %(code)s is in this "
                        "file or in %(federation)s."
                    )
                    % {"code": code, "federation": self.federation.name},
                )
            return union
        if "officer.union_name" in values:
            name = values["officer.union_name"]
            candidates = self.index.unions_named(text_key(name)) or lookups.unions_by_name.get(
                text_key(name), []
            )
            if len(candidates) == 1:
                return candidates[0]
            message = (
                _("Several unions are called “%(name)s”; give the union's credit code instead.")
                if candidates
                else _("No union called “%(name)s” is in this file or in %(federation)s.")
            )
            self.error(
                row,
                "officer.union_name",
                message % {"name": name[:60], "federation": self.federation.name},
            )
            return None
        self.error(
            row,
            None,
            _("Give the union's credit code, the enterprise's credit code or the union's name."),
        )
        return None

    def counts(self) -> dict[str, int]:
        return dict(self.tally)


@cache
def _plain_fields(model: type[Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if not f.is_relation)


def _has_rows(sheet) -> bool:
    has_rows = getattr(sheet, "has_rows", None)
    return has_rows() if has_rows else bool(sheet.rows)


def _estimated_rows(sheet, header_row: int) -> int:
    estimated = getattr(sheet, "estimated_rows", None)
    if estimated is None:
        return sum(1 for number, _values in sheet.rows if number > header_row)
    return max(0, estimated() - header_row)
