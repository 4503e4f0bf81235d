"""Querysets compiled once per process and run with each request's values.

The public union page runs the same few small queries on every scan of a QR code. Building
and compiling a Django queryset took more CPU than PostgreSQL took to run the indexed query
(about 1.5 ms of Python against 0.15 ms in the database, measured with py-spy under the
benchmark's load), so the hot queries are compiled once, with placeholder values, and then
executed with the request's values through the same cursor and the same value converters
the ORM would use. The SQL is Django's own, so it stays correct on SQLite and PostgreSQL.
The dashboard's headline counts do the same (statistics.figures.register): building their
aggregate of conditional counts cost twice what a county's counting does.
"""

import datetime
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per parameter: (name of the value it takes from the call, its form: "" as given,
    # "date" the database's form of a date, "prefix" a LIKE pattern of a `__startswith`), or
    # None for a constant.
    slots: tuple[tuple[str, str] | None, ...]
    constants: tuple
    converters: tuple  # (position, converter functions, expression)


class PreparedQuery:
    """`build(**placeholders)` returns a `values_list()` queryset; `rows(**values)` runs it
    with the given values in the placeholders' places.

    Placeholders are strings, integers or dates that appear nowhere else in the query's
    parameters; the values passed at run time must be of the same kind. Compiled parameters
    are substituted one for one, so a lookup may not transform a placeholder, other than the
    database's own form of a date and the pattern of `__startswith` (escaped, then "%")."""

    def __init__(self, build: Callable[..., QuerySet], **placeholders):
        self.build = build
        self.placeholders = placeholders
        # One compilation per database connection object: a converter may refer to the
        # connection that compiled it, and each thread has its own.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, connection) -> _Compiled:
        queryset = self.build(**self.placeholders)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = tuple(self._slot(param, connection) for param in params)
        missing = set(self.placeholders) - {slot[0] for slot in slots if slot}
        if missing:
            raise ValueError(f"Placeholders not found among the parameters: {sorted(missing)}")
        expressions = [column for column, _sql, _alias in compiler.select]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(expressions).items()
        )
        return _Compiled(sql=sql, slots=slots, constants=tuple(params), converters=converters)

    def _slot(self, param, connection) -> tuple[str, str] | None:
        """(placeholder name, the form it takes in the query), or None."""
        for name, value in self.placeholders.items():
            if type(param) is type(value) and param == value:
                return name, ""
            if isinstance(value, datetime.date):
                adapted = connection.ops.adapt_datefield_value(value)
                if type(param) is type(adapted) and param == adapted:
                    return name, "date"
            if isinstance(value, str) and param == _prefix_pattern(value, connection):
                return name, "prefix"
        return None

    def rows(self, *, using: str = "default", **values) -> list[list]:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = list(compiled.constants)
        for position, slot in enumerate(compiled.slots):
            if slot is not None:
                name, form = slot
                value = values[name]
                if form == "date":
                    value = connection.ops.adapt_datefield_value(value)
                elif form == "prefix":
                    value = _prefix_pattern(value, connection)
                params[position] = value
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for position, functions, expression in compiled.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        return rows


def _prefix_pattern(value: str, connection) -> str:
    """The parameter Django passes for `field__startswith=value` (lookups.StartsWith)."""
    return f"{connection.ops.prep_for_like_query(value)}%"


def _cursor(connection):
    """A cursor of `connection`, logged as Django's own. On PostgreSQL with psycopg 3 and
    prepared statements enabled (OPTIONS["prepare_threshold"], see settings.py), one that
    binds parameters on the server, so that psycopg prepares a statement run that many times
    on the connection and PostgreSQL stops planning it: planning the page's query took four
    times as long as running it. Django's own cursors bind on the client and are never
    prepared."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql import base

    server_binding = getattr(base, "ServerBindingCursor", None)  # psycopg 3 only
    connection.ensure_connection()
    if server_binding is None or connection.connection.prepare_threshold is None:
        return connection.cursor()
    connection.validate_thread_sharing()
    raw = server_binding(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)
