"""Rows to model instances: each row's cells become an enterprise, a union, a chair or a
cadre, validated by the model's own full_clean (the one validation path, QUALITY.md B1),
and checked against the rest of the file (duplicates, references, one chair per union)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.text import clean_text
from shuangliang.core.xlsx import Sheet

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
from .database import Registered
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


def _is_example(cells: tuple, column: int) -> bool:
    value = cells[column - 1] if column <= len(cells) else None
    return isinstance(value, str) and clean_text(value).startswith(EXAMPLE_PREFIXES)


class Importer:
    """One import's state: the rows read so far, what they will write, and the errors."""

    def __init__(self, *, federation: Federation, mapping: dict, progress: Callable | None):
        self.federation = federation
        self.mapping = mapping or {}
        self.progress = progress
        self.townships = TownshipResolver(federation)
        self.constraints = ConstraintChecker()
        self.today = timezone.localdate()
        self.errors: list[RowError] = []
        self.warnings: list[str] = []
        self.total = 0
        self.processed = 0
        # What will be written, each with the row it came from.
        self.enterprises: list[tuple[Enterprise, Row]] = []
        self.unions: list[tuple[Union, Row]] = []
        self.people: list[Person] = []
        self.officers: list[Officer] = []
        self.attach: list[tuple[Enterprise, Union, Row]] = []  # registered enterprises
        # Lookups within the file.
        self.enterprise_by_code: dict[str, tuple[Enterprise, Row]] = {}
        self.union_by_code: dict[str, tuple[Union, Row]] = {}
        self.unions_by_name: dict[str, list[Union]] = defaultdict(list)
        self.chair_rows: dict[int, Row] = {}  # id(union) or registered union pk → row
        self.claimed: dict[str, Row] = {}  # enterprise codes given to a union on a union sheet
        self.attached_by_code: dict[str, Union] = {}

    # -- reporting ------------------------------------------------------------------------
    def error(self, row: Row, key: str | None, message: str) -> None:
        column = row.header(key) if key else ""
        self.errors.append(RowError(row.layout.title, row.number, column, str(message)))

    def tick(self) -> None:
        self.processed += 1
        if self.progress and self.processed % PROGRESS_EVERY == 0:
            self.progress(self.processed, self.total)

    # -- reading ----------------------------------------------------------------------------
    def analyse(self, sheets: list[Sheet]) -> list[tuple[SheetLayout, Sheet]]:
        plan = []
        for sheet in sheets:
            layout = analyse_sheet(sheet, self.mapping.get(sheet.title))
            if layout.kind is None:
                if sheet.rows:
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
            self.total += sum(1 for number, _values in sheet.rows if number > layout.header_row)
        order = {ENTERPRISE: 0, UNION: 1, OFFICER: 2}
        return sorted(plan, key=lambda item: order[item[0].kind])

    def rows(self, layout: SheetLayout, sheet: Sheet) -> Iterable[Row]:
        """The sheet's data rows with their cells converted; conversion errors are reported."""
        name_column = next(
            filter(None, (layout.column_of(k) for k in ("ent.name", "union.name", "cadre.name"))),
            None,
        )
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
            for column, key in layout.columns.items():
                raw = cells[column - 1] if column <= len(cells) else None
                try:
                    value = convert(FIELDS[key], raw)
                except CellError as exc:
                    self.error(row, key, str(exc))
                    row.failed.add(key)
                    continue
                if value is not None:
                    row.values[key] = value
            if row.values or row.failed:
                yield row

    # -- validation through the model ------------------------------------------------------
    def validate(self, obj: Model, row: Row, prefix: str, exclude: list[str]) -> set[str]:
        """Validate through the model's own full_clean and constraints; report the errors and
        return the failed fields.

        Uniqueness is checked for the whole file at once (check_registered_codes), not row by
        row; check constraints go through `self.constraints`, which evaluates each distinct
        set of values once.
        """
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
        names = {f.name for f in model._meta.concrete_fields if not f.is_relation}
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
        data = self._pick(row, "ent", Enterprise)
        enterprise = Enterprise(**data)
        enterprise.federation = township
        failed = self.validate(enterprise, row, "ent", ["federation", "union"])
        code = enterprise.credit_code
        if code and "ent.credit_code" not in failed:
            if code in self.enterprise_by_code:
                other = self.enterprise_by_code[code][1]
                self.error(
                    row,
                    "ent.credit_code",
                    duplicate_message(code, other.layout.title, other.number),
                )
            else:
                self.enterprise_by_code[code] = (enterprise, row)
        if township is not None:
            self.enterprises.append((enterprise, row))
        union = self.union_from_row(row, township)
        if union is not None:
            enterprise.union = union

    def union_from_row(self, row: Row, township: Federation | None) -> Union | None:
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
        if union.credit_code and "union.credit_code" not in failed:
            if union.credit_code in self.union_by_code:
                other = self.union_by_code[union.credit_code][1]
                self.error(
                    row,
                    "union.credit_code",
                    duplicate_message(union.credit_code, other.layout.title, other.number),
                )
            else:
                self.union_by_code[union.credit_code] = (union, row)
        if township is not None:
            self.unions.append((union, row))
            self.unions_by_name[text_key(union.name)].append(union)
        self.chair_from_row(row, union)
        return union

    def chair_from_row(self, row: Row, union: Union) -> None:
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
        if not person_failed and not officer_failed:
            officer.person, officer.union = person, union
            self.people.append(person)
            self.officers.append(officer)
            self.chair_rows[id(union)] = row

    # -- union sheet rows ---------------------------------------------------------------------
    def union_sheet_row(self, row: Row, registered: dict[str, Enterprise]) -> None:
        if "union.name" not in row.values:
            if "union.name" not in row.failed:
                self.error(row, "union.name", _("Enter the union's name."))
            return
        covered_file: list[Enterprise] = []
        covered_db: list[Enterprise] = []
        for code in row.values.get("union.enterprises", []):
            if code in self.claimed:
                self.error(
                    row, "union.enterprises", claimed_message(code, self.claimed[code].number)
                )
            elif code in self.enterprise_by_code:
                enterprise = self.enterprise_by_code[code][0]
                if enterprise.union is not None:
                    self.error(row, "union.enterprises", claimed_message(code, None))
                else:
                    covered_file.append(enterprise)
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
            self.claimed.setdefault(code, row)
        covered = [e for e in covered_file + covered_db if e.federation_id]
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
        union = self.union_from_row(row, township)
        for enterprise in covered_file:
            enterprise.union = union
        for enterprise in covered_db:
            self.attach.append((enterprise, union, row))
            self.attached_by_code[enterprise.credit_code] = union

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
        if union is None or person_failed or officer_failed:
            return
        if officer.position == Position.CHAIR:
            slot = union.pk if union.pk else id(union)
            if slot in self.chair_rows or (union.pk and union.pk in lookups.chaired):
                self.error(row, "officer.position", CHAIR_UNIQUE_MESSAGE)
                return
            self.chair_rows[slot] = row
        officer.person, officer.union = person, union
        self.people.append(person)
        self.officers.append(officer)

    def officer_union(self, row: Row, lookups: Registered) -> Union | None:
        values = row.values
        if "officer.union_code" in values:
            code = values["officer.union_code"]
            found = self.union_by_code.get(code, (None,))[0] or lookups.unions.get(code)
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
            in_file = self.enterprise_by_code.get(code, (None,))[0]
            union = self.attached_by_code.get(code) or (
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
            candidates = self.unions_by_name.get(text_key(name)) or lookups.unions_by_name.get(
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
        return {
            "enterprises": len(self.enterprises),
            "unions": len(self.unions),
            "officers": len(self.officers),
            "people": len(self.people),
            "attached": len(self.attach),
        }
