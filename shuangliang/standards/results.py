"""Which inspection is a union's result, stored on the inspection and kept exact.

A union's *result* under a standard for a year is its latest submitted inspector's check of
that year under any version of the standard (see `selectors`). Found per row, with a
correlated subquery evaluated for every submitted inspection of the year, it was most of a
province dashboard's time. So each inspection stores `is_result`:

- written by `refresh()`, one UPDATE over the inspections of the groups (union, standard,
  year) concerned, never a loop over rows;
- in the same transaction as every save and every delete of a submitted inspector's check
  (deleting the result makes the previous check of its group the result), by the receivers
  connected in `connect()`;
- by the bulk paths that skip signals (demo, generator) at their end;
- by `manage.py check_stored_figures --repair`, which first counts the inspections whose
  stored flag differs from the derived one (`mismatches()`).

A result as of a past day is still derived (`latest_result_pk(..., as_of=day)`): snapshots
and backfills ask for it, never a page.
"""

import datetime

from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.signals import post_delete, post_save

from .models import Inspection

INSPECTOR_KINDS = (
    Inspection.Kind.SPOT,
    Inspection.Kind.MUTUAL,
    Inspection.Kind.SUPERVISORY,
)


def _candidates(year_ref) -> QuerySet:
    """The submitted inspector's checks of the outer row's union, standard and year. The
    standard is reached through the outer row's version id (not a join of the outer row), so
    the same subquery serves an UPDATE, which may not join."""
    return Inspection.objects.filter(
        union_id=OuterRef("union_id"),
        version__standard__versions=OuterRef("version_id"),
        year=year_ref,
        kind__in=INSPECTOR_KINDS,
        state=Inspection.State.SUBMITTED,
    )


def latest_result_pk(year_ref, *, as_of: datetime.date | None = None) -> Subquery:
    """For filtering inspections: the pk of the result of the outer row's union and standard
    for the year `year_ref` (a value or an OuterRef), as of a day when given."""
    qs = _candidates(year_ref)
    if as_of is not None:
        qs = qs.filter(submitted_at__date__lte=as_of)
    return Subquery(qs.order_by("-submitted_at", "-pk").values("pk")[:1])


def derived_q() -> Q:
    """Is the row its group's result, derived from the inspections."""
    return Q(
        kind__in=INSPECTOR_KINDS,
        state=Inspection.State.SUBMITTED,
        pk=latest_result_pk(OuterRef("year")),
    )


def refresh(inspections: QuerySet | None = None) -> int:
    """Rewrite the stored flag of `inspections` (default: all) from the derived rule. Rows
    not passed keep theirs: after a change, pass every row whose flag it may have changed
    (the rows of the changed inspection's group)."""
    qs = Inspection.objects.all() if inspections is None else inspections
    return qs.update(
        is_result=Case(
            When(derived_q(), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def group_of(inspection: Inspection) -> QuerySet:
    """The inspections of the same union, standard and year."""
    return Inspection.objects.filter(
        union_id=inspection.union_id,
        year=inspection.year,
        version__standard__versions=inspection.version_id,
    )


def mismatches(inspections: QuerySet | None = None) -> QuerySet:
    """The inspections whose stored flag differs from the derived one."""
    qs = Inspection.objects.all() if inspections is None else inspections
    derived = derived_q()
    return qs.filter((Q(is_result=True) & ~derived) | (Q(is_result=False) & derived))


# Signal receivers -----------------------------------------------------------------------


def _counts(instance: Inspection) -> bool:
    """Can the inspection be (or have been) its group's result? (Its in-memory flag may be
    stale: the receivers write with UPDATE.)"""
    return instance.kind in INSPECTOR_KINDS and instance.state == Inspection.State.SUBMITTED


def _inspection_saved(sender, instance: Inspection, **kwargs) -> None:
    if not kwargs.get("raw") and _counts(instance):
        refresh(group_of(instance))


def _inspection_deleted(sender, instance: Inspection, **kwargs) -> None:
    if _counts(instance):
        refresh(group_of(instance))


def connect() -> None:
    uid = "standards.results"
    post_save.connect(_inspection_saved, sender=Inspection, dispatch_uid=f"{uid}.s")
    post_delete.connect(_inspection_deleted, sender=Inspection, dispatch_uid=f"{uid}.d")
