"""The import's references across rows, kept in a temporary SQLite file, not in memory.

The checks across rows need, for every enterprise and union of the file, where it is (sheet
and row), its township, and which union an enterprise belongs to; the union and officer
sheets look them up by credit code or name, and the write pass reads them again and records
the keys the unions were written with. Held as Python objects that index cost some 200 bytes
per row (20 MB at 100,000 rows), so an import's memory grew with the file. Here it lives in
a private temporary database (SQLite's empty file name: on disk, deleted when closed) whose
page cache is capped, and each lookup builds the small `EntRef` or `UnionRef` it answers
with. Only this import's thread uses it.
"""

import datetime
import sqlite3
from collections.abc import Iterator

from ..models import Federation, Union
from .columns import SheetLayout

CACHE_KIB = 2048  # SQLite's page cache for the index; the rest stays on disk

_SCHEMA = """
CREATE TABLE file_union (
    id INTEGER PRIMARY KEY,
    sheet INTEGER NOT NULL,
    row INTEGER NOT NULL,
    name TEXT NOT NULL,
    township INTEGER,
    term_start INTEGER,
    pk INTEGER,
    chaired INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX file_union_place ON file_union (sheet, row);
CREATE TABLE file_enterprise (
    code TEXT PRIMARY KEY,
    sheet INTEGER NOT NULL,
    row INTEGER NOT NULL,
    township INTEGER,
    union_id INTEGER
) WITHOUT ROWID;
CREATE TABLE union_code (code TEXT PRIMARY KEY, union_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE union_name (name_key TEXT NOT NULL, union_id INTEGER NOT NULL);
CREATE INDEX union_name_key ON union_name (name_key);
CREATE TABLE claimed (code TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE attached (code TEXT PRIMARY KEY, union_id INTEGER NOT NULL) WITHOUT ROWID;
"""

_UNION_COLUMNS = "u.id, u.name, u.township, u.term_start, u.pk"


class UnionRef:
    """A union of the file, as the checks across rows and the write pass need it."""

    __slots__ = ("federation", "id", "name", "pk", "term_start")

    def __init__(self, id, name, federation, term_start, pk):
        self.id = id  # its row in the index
        self.name = name
        self.federation = federation
        self.term_start = term_start
        self.pk = pk  # once written

    def stand_in(self) -> Union:
        """An unsaved Union carrying the written union's key, for officers that refer to it."""
        return Union(
            pk=self.pk, name=self.name, federation=self.federation, term_start=self.term_start
        )


class EntRef:
    """An enterprise of the file, as the checks across rows and the write pass need it."""

    __slots__ = ("code", "federation", "layout", "number", "union")

    def __init__(self, code, layout, number, federation, union):
        self.code = code
        self.layout = layout
        self.number = number
        self.federation = federation
        self.union: UnionRef | None = union


class FileIndex:
    """Enterprises and unions of the file by credit code, row and name; see the module."""

    def __init__(self):
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")  # one transaction: nothing here outlives the import
        self.layouts: list[SheetLayout] = []
        self.sheet_of: dict[int, int] = {}  # id(layout) → its number here
        self.townships: dict[int, Federation] = {}

    def close(self) -> None:
        self.db.close()

    # -- values in and out ------------------------------------------------------------------
    def _sheet(self, layout: SheetLayout) -> int:
        number = self.sheet_of.get(id(layout))
        if number is None:
            number = self.sheet_of[id(layout)] = len(self.layouts)
            self.layouts.append(layout)
        return number

    def _township(self, township: Federation | None) -> int | None:
        if township is None:
            return None
        self.townships.setdefault(township.pk, township)
        return township.pk

    def _union(self, id, name, township, term_start, pk) -> UnionRef:
        return UnionRef(
            id,
            name,
            self.townships.get(township),
            None if term_start is None else datetime.date.fromordinal(term_start),
            pk,
        )

    def _one(self, sql: str, params) -> tuple | None:
        return self.db.execute(sql, params).fetchone()

    def _find_union(self, joins_and_where: str, params) -> UnionRef | None:
        """The union (`u`) that the rest of the statement finds, if any."""
        found = self._one(f"SELECT {_UNION_COLUMNS} FROM {joins_and_where}", params)
        return None if found is None else self._union(*found)

    # -- enterprises --------------------------------------------------------------------------
    def add_enterprise(self, code: str, layout, number: int, township, union: "UnionRef | None"):
        self.db.execute(
            "INSERT INTO file_enterprise VALUES (?, ?, ?, ?, ?)",
            (code, self._sheet(layout), number, self._township(township), union and union.id),
        )

    def enterprise(self, code: str) -> EntRef | None:
        found = self._one(
            "SELECT e.sheet, e.row, e.township, " + _UNION_COLUMNS + " FROM file_enterprise e "
            "LEFT JOIN file_union u ON u.id = e.union_id WHERE e.code = ?",
            (code,),
        )
        if found is None:
            return None
        sheet, number, township, union_id, *union = found
        return EntRef(
            code,
            self.layouts[sheet],
            number,
            self.townships.get(township),
            None if union_id is None else self._union(union_id, *union),
        )

    def enterprise_place(self, code: str) -> tuple[SheetLayout, int]:
        """The sheet and row of the enterprise of the file with this credit code."""
        sheet, number = self._one("SELECT sheet, row FROM file_enterprise WHERE code = ?", (code,))
        return self.layouts[sheet], number

    def give_union(self, enterprise: EntRef, union: UnionRef) -> None:
        self.db.execute(
            "UPDATE file_enterprise SET union_id = ? WHERE code = ?", (union.id, enterprise.code)
        )
        enterprise.union = union

    def enterprise_codes(self) -> Iterator[str]:
        """The credit codes of the enterprises that will be written (they have a township)."""
        yield from _column(
            self.db.execute("SELECT code FROM file_enterprise WHERE township IS NOT NULL")
        )

    # -- unions -------------------------------------------------------------------------------
    def add_union(self, layout, number: int, union: Union, township) -> UnionRef:
        term_start = union.term_start
        cursor = self.db.execute(
            "INSERT INTO file_union (sheet, row, name, township, term_start) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                self._sheet(layout),
                number,
                union.name,
                self._township(township),
                term_start.toordinal() if isinstance(term_start, datetime.date) else None,
            ),
        )
        return UnionRef(cursor.lastrowid, union.name, township, term_start, None)

    def union(self, id: int) -> UnionRef:
        """The union again, with the key it has been written with since."""
        return self._find_union("file_union u WHERE u.id = ?", (id,))

    def union_at(self, layout, number: int) -> UnionRef | None:
        return self._find_union(
            "file_union u WHERE u.sheet = ? AND u.row = ?", (self._sheet(layout), number)
        )

    def written(self, union: UnionRef, pk: int) -> None:
        """The union was written with this key."""
        self.db.execute("UPDATE file_union SET pk = ? WHERE id = ?", (pk, union.id))
        union.pk = pk

    def take_chair(self, union: UnionRef) -> bool:
        """Mark the union as chaired; False when it already was."""
        cursor = self.db.execute(
            "UPDATE file_union SET chaired = 1 WHERE id = ? AND chaired = 0", (union.id,)
        )
        return cursor.rowcount == 1

    def add_union_code(self, code: str, union: UnionRef) -> None:
        self.db.execute("INSERT INTO union_code VALUES (?, ?)", (code, union.id))

    def union_by_code(self, code: str) -> UnionRef | None:
        return self._find_union(
            "union_code c JOIN file_union u ON u.id = c.union_id WHERE c.code = ?", (code,)
        )

    def union_place(self, code: str) -> tuple[SheetLayout, int] | None:
        """The sheet and row of the union of the file with this credit code."""
        found = self._one(
            "SELECT u.sheet, u.row FROM union_code c JOIN file_union u ON u.id = c.union_id "
            "WHERE c.code = ?",
            (code,),
        )
        return None if found is None else (self.layouts[found[0]], found[1])

    def union_codes(self) -> Iterator[str]:
        """The credit codes of the unions that will be written (they have a township)."""
        yield from _column(
            self.db.execute(
                "SELECT c.code FROM union_code c JOIN file_union u ON u.id = c.union_id "
                "WHERE u.township IS NOT NULL"
            )
        )

    def add_union_name(self, name_key: str, union: UnionRef) -> None:
        self.db.execute("INSERT INTO union_name VALUES (?, ?)", (name_key, union.id))

    def unions_named(self, name_key: str) -> list[UnionRef]:
        return [
            self._union(*found)
            for found in self.db.execute(
                "SELECT " + _UNION_COLUMNS + " FROM union_name n "
                "JOIN file_union u ON u.id = n.union_id WHERE n.name_key = ? ORDER BY u.id",
                (name_key,),
            )
        ]

    # -- enterprises named on union sheets ------------------------------------------------------
    def claim(self, code: str, number: int) -> int | None:
        """Record that the union on row `number` covers the enterprise; the row of an earlier
        union that covers it, if any (that one keeps it)."""
        found = self._one("SELECT row FROM claimed WHERE code = ?", (code,))
        if found is not None:
            return found[0]
        self.db.execute("INSERT INTO claimed VALUES (?, ?)", (code, number))
        return None

    def attach(self, code: str, union: UnionRef) -> None:
        """A registered enterprise is given a union of the file."""
        self.db.execute("INSERT OR REPLACE INTO attached VALUES (?, ?)", (code, union.id))

    def attached(self, code: str) -> UnionRef | None:
        return self._find_union(
            "attached a JOIN file_union u ON u.id = a.union_id WHERE a.code = ?", (code,)
        )


def _column(cursor) -> Iterator:
    while batch := cursor.fetchmany(1000):
        for (value,) in batch:
            yield value
