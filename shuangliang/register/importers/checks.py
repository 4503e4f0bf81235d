"""The checks a row goes through besides each field's own validators: the models' check
constraints (evaluated once per distinct set of values), and the messages of the checks
across rows (duplicates in the file, enterprises claimed twice, one chair per union)."""

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Model, Q
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
    set of values is evaluated once (Django asks the database each time, which costs about a
    millisecond per row and constraint).
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
