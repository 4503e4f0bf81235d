"""Tallies: a provider's counts kept per federation, so a province's dashboard sums a few
thousand stored rows instead of aggregating hundreds of thousands of appeals or inspections.

A tally model has a `federation` (the federation the counted rows are counted under), key
fields (e.g. the year, or the day after which open rows are overdue: counts that depend on
today are kept per day and summed with a filter) and integer count fields. A `TallySpec`
says how its rows are computed from the counted rows: one grouped aggregate, the same
expressions the live query uses.

Exactness. `refresh(spec, federation_ids)` rewrites the rows of those federations from
their counted rows: it locks the federations' rows (FOR NO KEY UPDATE, in id order: it
does not conflict with the foreign-key checks of inserts), deletes their tally rows and
inserts the grouped aggregate, in the caller's transaction. The apps call it from signal
receivers in the same transaction as every save and delete of a counted row (and of what
moves a counted row to another federation); the bulk paths (generator, migrations) call
`rebuild()`; `manage.py check_stored_figures` compares every tally with a fresh aggregate
(`mismatches()`) and `--repair` rebuilds.

When. `usable(query)`: only for today's figures (a past day is derived from the rows), and
only where the user sees every row under the node (superuser, or staff or leader of the
node or above it; or no user: snapshots and open data). Anyone else, e.g. a cadre who sees
their assigned enterprises only, gets the live aggregate over the rows they may see.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import F, Model, QuerySet

from shuangliang.core.access import scope_for


@dataclass(frozen=True)
class TallySpec:
    tally: str  # "app_label.ModelName" of the tally model
    # The counted rows (unscoped), given an app registry (the global one, or a migration's).
    source: Callable[[Any], QuerySet]
    federation_field: str  # of a counted row: the federation it is counted under
    key_expressions: Callable[[], dict]  # tally key field -> expression over a counted row
    counts: Callable[[], dict]  # tally count field -> aggregate over counted rows

    def model(self, apps=global_apps) -> type[Model]:
        return apps.get_model(self.tally)


SPECS: dict[str, TallySpec] = {}


def register(name: str, spec: TallySpec) -> None:
    SPECS[name] = spec


def usable(query) -> bool:
    """May `query` (a figures.Query) read tallies instead of the counted rows?"""
    if query.as_of is not None:
        return False
    if query.user is None:
        return True
    scope = scope_for(query.user)
    if scope.is_superuser:
        return True
    if query.root is None:
        return False
    return any(query.root.path.startswith(path) for path in scope.read_paths)


def _fresh(spec: TallySpec, federation_ids: Iterable[int] | None, apps) -> QuerySet:
    """The tally rows as a grouped aggregate over the counted rows (a values() queryset
    whose names are the tally's fields)."""
    qs = spec.source(apps)
    if federation_ids is not None:
        qs = qs.filter(**{f"{spec.federation_field}__in": list(federation_ids)})
    keys = spec.key_expressions()
    return (
        qs.annotate(_federation=F(spec.federation_field), **{f"_k_{k}": e for k, e in keys.items()})
        .values("_federation", *(f"_k_{k}" for k in keys))
        .annotate(**spec.counts())
        .order_by()
    )


def _fresh_rows(spec: TallySpec, federation_ids: Iterable[int] | None, apps) -> list[dict]:
    out = []
    for row in _fresh(spec, federation_ids, apps):
        record = {"federation_id": row.pop("_federation")}
        for key in spec.key_expressions():
            record[key] = row.pop(f"_k_{key}")
        record.update(row)
        out.append(record)
    return out


def _insert_fresh(spec: TallySpec, federation_ids: Iterable[int] | None, apps) -> int:
    """INSERT … SELECT: the grouped aggregate goes into the tally inside the database (no row
    passes through Python: an appeal's save rewrites its federation's tally in three
    statements). The columns follow the compiled SELECT's own order."""
    model = spec.model(apps)
    qs = _fresh(spec, federation_ids, apps)
    compiler = qs.query.get_compiler(using=qs.db)
    select_sql, params = compiler.as_sql()
    names = {"_federation": "federation", **{f"_k_{k}": k for k in spec.key_expressions()}}
    columns = [
        model._meta.get_field(names.get(alias, alias).removesuffix("_id")).column
        for _expression, _sql, alias in compiler.select
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"{select_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refresh(spec: TallySpec, federation_ids: Iterable[int | None], *, apps=global_apps) -> None:
    """Rewrite the tally rows of the federations from their counted rows."""
    ids = sorted({pk for pk in federation_ids if pk is not None})
    if not ids:
        return
    model = spec.model(apps)
    federation = apps.get_model("register", "Federation")
    with transaction.atomic():
        if connection.features.has_select_for_update:
            # Serialise refreshes of the same federation: a second waits, then reads the
            # first's committed rows (READ COMMITTED takes a snapshot per statement).
            list(
                federation.objects.select_for_update(no_key=True)
                .filter(pk__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        model.objects.filter(federation_id__in=ids).delete()
        _insert_fresh(spec, ids, apps)


def rebuild(spec: TallySpec, *, apps=global_apps) -> int:
    """Rewrite every tally row of the spec (bulk loads, migrations, repair)."""
    model = spec.model(apps)
    with transaction.atomic():
        model.objects.all().delete()
        return _insert_fresh(spec, None, apps)


def rebuild_all(*, apps=global_apps) -> None:
    for spec in SPECS.values():
        rebuild(spec, apps=apps)


def mismatches(spec: TallySpec) -> int:
    """The number of tally rows that differ from a fresh aggregate (missing, extra or with
    other counts)."""
    model = spec.model()
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]

    def keyed(rows) -> dict:
        key_fields = ["federation_id", *spec.key_expressions()]
        return {tuple(row[f] for f in key_fields): tuple(row[f] for f in fields) for row in rows}

    stored = keyed(model.objects.values(*fields))
    fresh = keyed({f: row.get(f) for f in fields} for row in _fresh_rows(spec, None, global_apps))
    return sum(1 for key in stored.keys() | fresh.keys() if stored.get(key) != fresh.get(key))
