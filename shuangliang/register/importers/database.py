"""What an import reads from and writes to the database: the registered records that rows
refer to (one query per kind of reference), credit codes already taken, and the bulk write
with its action-log entries (QUALITY.md D1)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from django.db import connection
from django.db.models import Model, Q
from django.utils import timezone

from shuangliang.core.actionlog import MASKED_FIELDS, build_entry, snapshot
from shuangliang.core.bulk import insert_rows
from shuangliang.core.models import ActionLogEntry
from shuangliang.core.text import clean_text, normalise_query, search_key
from shuangliang.core.xlsx import Formula

from .. import stored_figures
from ..models import Enterprise, Federation, Officer, Person, Position, Union
from ..officer_changes import refresh_officers_changed
from ..validators import normalise_credit_code
from .columns import ENTERPRISE, text_key
from .index import FileIndex, UnionRef
from .values import CODE_SPLIT

DB_CHUNK = 2000
# Rows built by the write pass before they are written (each with its action-log entries).
CHUNK_ROWS = 2000


def unique_message(model: type[Model]) -> str:
    """The model's own message for a credit code that is already registered."""
    return str(model._meta.get_field("credit_code").error_messages["unique"])


@dataclass
class Registered:
    """Registered records in scope that rows of union and officer sheets refer to."""

    enterprises: dict[str, Enterprise] = field(default_factory=dict)  # by credit code
    unions: dict[str, Union] = field(default_factory=dict)  # by credit code
    unions_by_name: dict[str, list[Union]] = field(default_factory=dict)  # by text_key(name)
    union_of_enterprise: dict[str, Union] = field(default_factory=dict)  # in scope only
    chaired: set[int] = field(default_factory=set)  # unions with a chair in office


def registered_for(federation: Federation, plan) -> Registered:
    """One query per kind of reference, for every row of the union and officer sheets."""
    enterprise_codes, union_codes, union_names = set(), set(), set()
    for layout, sheet in plan:
        if layout.kind == ENTERPRISE:
            continue
        columns = {key: column for column, key in layout.columns.items()}
        for number, cells in sheet.rows:
            if number <= layout.header_row:
                continue

            def cell(key, cells=cells, columns=columns):
                column = columns.get(key)
                value = cells[column - 1] if column and column <= len(cells) else None
                return None if value is None or isinstance(value, Formula) else clean_text(value)

            for key in ("union.enterprises", "officer.enterprise_code"):
                if cell(key):
                    enterprise_codes.update(
                        normalise_credit_code(p) for p in CODE_SPLIT.split(cell(key)) if p
                    )
            if cell("officer.union_code"):
                union_codes.add(normalise_credit_code(cell("officer.union_code")))
            if cell("officer.union_name"):
                union_names.add(cell("officer.union_name"))
    found = Registered()
    in_scope = {"federation__path__startswith": federation.path}
    codes = sorted(enterprise_codes)
    for start in range(0, len(codes), DB_CHUNK):
        for enterprise in Enterprise.objects.filter(
            credit_code__in=codes[start : start + DB_CHUNK], **in_scope
        ).select_related("federation"):
            found.enterprises[enterprise.credit_code] = enterprise
    union_ids = {e.union_id for e in found.enterprises.values() if e.union_id}
    wanted = Q(pk__in=sorted(union_ids))
    if union_codes:
        wanted |= Q(credit_code__in=sorted(union_codes))
    for name in union_names:  # either script: search_text starts with the normalised name
        wanted |= Q(search_text__startswith=normalise_query(name))
    unions = list(Union.objects.filter(**in_scope).filter(wanted).select_related("federation"))
    by_pk = {union.pk: union for union in unions}
    for union in unions:
        if union.credit_code:
            found.unions[union.credit_code] = union
        found.unions_by_name.setdefault(text_key(union.name), []).append(union)
    for code, enterprise in found.enterprises.items():
        if enterprise.union_id in by_pk:  # a union outside the scope is never written to
            found.union_of_enterprise[code] = by_pk[enterprise.union_id]
    found.chaired = set(
        Officer.objects.filter(
            union__in=[u.pk for u in unions],
            position=Position.CHAIR,
            status=Officer.Status.ACTIVE,
        ).values_list("union_id", flat=True)
    )
    return found


def check_registered_codes(importer) -> None:
    """Report credit codes already registered (anywhere: the codes are unique nationwide)."""
    index = importer.index
    for model, codes, key, where in (
        (Enterprise, index.enterprise_codes(), "ent.credit_code", index.enterprise_place),
        (Union, index.union_codes(), "union.credit_code", index.union_place),
    ):
        taken = []
        for chunk in _chunks(codes, DB_CHUNK):
            taken += model.objects.filter(credit_code__in=chunk).values_list(
                "credit_code", flat=True
            )
        for code in sorted(taken):
            layout, number = where(code)
            importer.error_at(layout, number, key, unique_message(model))


@contextmanager
def statements_unprepared():
    """Run the write pass without server-side prepared statements (settings' prepare_threshold
    on PostgreSQL): with them, the client's memory grew by about 1 KB per written row (2 MB
    per chunk, measured at 100,000 rows); without them it stays flat."""
    raw = getattr(connection, "connection", None)
    if connection.vendor != "postgresql" or raw is None or not hasattr(raw, "prepare_threshold"):
        yield
        return
    threshold = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def _chunks(values: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(values, size)):
        yield chunk


class ChunkWriter:
    """Writes what the write pass builds, CHUNK_ROWS rows at a time, in bulk, with one
    action-log entry per written row (QUALITY.md D1); call `close` at the end of each sheet
    and of the import. Runs inside the import's transaction.

    bulk_create skips save(), so search_text is set here the way each model's save() does.
    """

    def __init__(self, *, index: FileIndex, actor, log_data: dict, progress=None):
        self.index = index  # told the keys the unions were written with
        self.actor = actor
        self.log_data = log_data
        self.progress = progress
        self.written = 0
        self.unions: list[tuple[Union, UnionRef]] = []  # with the reference that takes its key
        self.enterprises: list[Enterprise] = []
        self.people: list[Person] = []
        self.officers: list[Officer] = []
        self.pending = 0

    def add_union(self, union: Union, ref) -> None:
        self.unions.append((union, ref))
        self._added()

    def add_enterprise(self, enterprise: Enterprise) -> None:
        self.enterprises.append(enterprise)
        self._added()

    def add_officer(self, person: Person, officer: Officer) -> None:
        self.people.append(person)
        self.officers.append(officer)
        self._added()

    def _added(self) -> None:
        self.pending += 1
        if self.pending >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        unions = [union for union, _ref in self.unions]
        for union in unions:
            union.search_text = search_key(union.name, union.credit_code)
        for enterprise in self.enterprises:
            enterprise.search_text = enterprise.build_search_text()
        for person in self.people:
            person.search_text = search_key(person.name)
        bulk_create_with_keys(Union, unions)
        for union, ref in self.unions:
            self.index.written(ref, union.pk)
        bulk_create_with_keys(Enterprise, self.enterprises)
        bulk_create_with_keys(Person, self.people)
        bulk_create_with_keys(Officer, self.officers)
        if self.officers:
            refresh_officers_changed({officer.union_id for officer in self.officers})
        # bulk_create sends no signals: the stored three-contract values of the enterprises
        # that came with a union.
        stored_figures.refresh(
            Enterprise.objects.filter(
                Q(pk__in=[e.pk for e in self.enterprises if e.union_id])
                | Q(union_id__in={officer.union_id for officer in self.officers})
            )
        )
        entries = []
        for action, objects in (
            ("register.union.imported", unions),
            ("register.enterprise.imported", self.enterprises),
            ("register.person.imported", self.people),
            ("register.officer.imported", self.officers),
        ):
            entries += [
                build_entry(
                    obj, action, actor=self.actor, data={**self.log_data, "created": _created(obj)}
                )
                for obj in objects
            ]
        insert_rows(ActionLogEntry, entries)
        self.written += self.pending
        if self.progress and self.pending:
            self.progress(self.written)
        self.unions, self.enterprises, self.people, self.officers = [], [], [], []
        self.pending = 0

    def attach(self, attach) -> None:
        """Give registered enterprises the unions of the file that cover them."""
        self.flush()
        now = timezone.now()
        attached = []
        for enterprise, ref in attach:
            union = self.index.union(ref.id).stand_in()  # written since the check pass
            enterprise.union, enterprise.updated_at = union, now
            attached.append(enterprise)
        Enterprise.objects.bulk_update(attached, ["union", "updated_at"], batch_size=DB_CHUNK)
        stored_figures.refresh(Enterprise.objects.filter(pk__in=[e.pk for e in attached]))
        entries = [
            build_entry(
                enterprise,
                "register.enterprise.union_changed",
                actor=self.actor,
                data={**self.log_data, "changes": {"union": [None, enterprise.union.name]}},
            )
            for enterprise in attached
        ]
        insert_rows(ActionLogEntry, entries)


@cache
def _created_names(model: type[Model]) -> tuple[str, ...]:
    return tuple(
        f.attname if f.is_relation else f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name != "search_text"
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    )


def _created(obj: Model) -> dict:
    data = snapshot(obj, _created_names(type(obj)))
    return {k: ("***" if k in MASKED_FIELDS and v else v) for k, v in data.items()}


def bulk_create_with_keys(model: type[Model], objects: list[Model]) -> None:
    """Insert the new rows and set their primary keys (core.bulk: COPY on PostgreSQL)."""
    insert_rows(model, objects)
