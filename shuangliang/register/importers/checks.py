"""The checks a row goes through besides each field's own validators: the models' check
constraints (evaluated once per distinct set of values), and the messages of the checks
across rows (duplicates in the file, enterprises claimed twice, one chair per union)."""

import datetime
import decimal
import operator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import CheckConstraint, F, Model, Q
from django.utils.translation import gettext as _

from ..models import Enterprise, Officer, Person, Union

# Model errors not tied to one field (the check constraints) point at this column.
NON_FIELD_COLUMN = {
    Enterprise: "women_headcount",
    Union: "women_member_count",
    Officer: "term_end",
    Person: "name",
}
CHAIR_UNIQUE_MESSAGE = next(
    c.violation_error_message
    for c in Officer._meta.constraints
    if c.name == "one_active_chair_per_union"
)


class ConstraintChecker:
    """The models' Meta.constraints, as full_clean would check them.

    A check constraint depends only on the values of the fields it names, so each distinct
    set of values is evaluated once. Django asks the database each time (about a millisecond
    per row and constraint); conditions made only of comparisons between fields and values
    (`python_check`) are evaluated here instead, with the database's rule that a comparison
    with NULL does not violate a CHECK; any other condition still goes to the database.
    """

    def __init__(self):
        self.results: dict[tuple, list[str]] = {}

    def check(self, obj: Model, *, exclude: set[str]) -> list[str]:
        messages: list[str] = []
        for model, constraints in obj.get_constraints():
            for constraint in constraints:
                key = None
                if isinstance(constraint, CheckConstraint):
                    names = sorted(Q(constraint.condition).referenced_base_fields)
                    if exclude.intersection(names):
                        continue
                    verdict = python_check(constraint.condition, obj)
                    if verdict is not UNKNOWN:
                        messages += [] if verdict is not False else _violation(constraint)
                        continue
                    values = tuple(getattr(obj, model._meta.get_field(n).attname) for n in names)
                    key = (model, constraint.name, values)
                    if key in self.results:
                        messages += self.results[key]
                        continue
                try:
                    constraint.validate(model, obj, exclude=exclude)
                    found = []
                except ValidationError as exc:
                    found = exc.messages
                if key is not None:
                    self.results[key] = found
                messages += found
        return messages


UNKNOWN = object()  # a condition python_check cannot evaluate
_COMPARE = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def python_check(condition, obj: Model):
    """True, False or None (NULL, which a CHECK constraint lets through) for a Q made of
    `field__lookup=value or F("field")` terms with exact/lt/lte/gt/gte/isnull; UNKNOWN for
    anything else."""
    if not isinstance(condition, Q):
        return UNKNOWN
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = python_check(child, obj)
        elif isinstance(child, tuple) and len(child) == 2:
            result = _term(child[0], child[1], obj)
        else:
            return UNKNOWN
        if result is UNKNOWN:
            return UNKNOWN
        results.append(result)
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        return UNKNOWN
    if condition.negated:
        value = None if value is None else not value
    return value


def _term(lookup: str, expected, obj: Model):
    name, _sep, operation = lookup.rpartition("__")
    if not name or "__" in name:
        return UNKNOWN
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return UNKNOWN
    if field.is_relation:
        return UNKNOWN
    value = getattr(obj, field.attname)
    if operation == "isnull":
        return (value is None) == bool(expected) if isinstance(expected, bool) else UNKNOWN
    if operation not in _COMPARE:
        return UNKNOWN
    if isinstance(expected, F):
        try:
            other = obj._meta.get_field(expected.name)
        except FieldDoesNotExist:
            return UNKNOWN
        if other.is_relation or "__" in expected.name:
            return UNKNOWN
        expected = getattr(obj, other.attname)
    elif hasattr(expected, "resolve_expression"):
        return UNKNOWN
    if value is None or expected is None:
        return None
    if not _comparable(value, expected):
        return UNKNOWN
    return _COMPARE[operation](value, expected)


def _comparable(a, b) -> bool:
    numbers = (int, float, decimal.Decimal)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return True
    return type(a) is type(b) and isinstance(a, str | datetime.date | datetime.datetime)


def _violation(constraint) -> list[str]:
    return ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    ).messages


def duplicate_message(code: str, sheet: str, row: int) -> str:
    return _("The credit code %(code)s also appears on sheet %(sheet)s, row %(row)s.") % {
        "code": code,
        "sheet": sheet,
        "row": row,
    }


def claimed_message(code: str, row: int | None) -> str:
    if row is None:
        return _("The enterprise %(code)s already has a union in this file.") % {"code": code}
    return _("The enterprise %(code)s is already given to the union in row %(row)s.") % {
        "code": code,
        "row": row,
    }
