"""The newest change to a union's officers, kept on the union (`Union.officers_changed_on`
and `Union.officers_changed_at`) so that Double Bright compliance is a comparison of columns
instead of a look at every officer of every union.

A change is an appointment, dated by the term's start and recorded at the row's creation,
or a departure (an officer who left office, with `ended_on`), dated by `ended_on` and
recorded at the row's last update. The union keeps the newest of them: latest date first,
then latest recording time, future-dated ones included. `doublebright.compliance` reads it
and falls back to the officers themselves only when that newest change lies in the future.

It is refreshed from the officers in the writer's transaction:
- by the receivers below on every save and delete of an officer (the register services,
  the staff pages, the admin, cascades);
- by the bulk paths, which send no signals, calling `refresh_officers_changed` themselves
  (the register import, the demo, the benchmark's generator);
- by the migration that added the columns.
A queryset `update()` of officers bypasses all of this and must call it too.
"""

from collections.abc import Iterable

from django.db.models import Case, F, OuterRef, Q, Subquery, When
from django.db.models.signals import post_delete, post_save


def _newest_change(officer_model):
    """Officers of the union `OuterRef('pk')`, newest change first, with its date and time."""
    departed = Q(ended_on__isnull=False) & ~Q(status="active")
    departure_newer = departed & (
        Q(ended_on__gt=F("term_start"))
        | Q(ended_on=F("term_start"), updated_at__gt=F("created_at"))
    )
    return (
        officer_model._base_manager.filter(union_id=OuterRef("pk"))
        .annotate(
            _changed_on=Case(When(departure_newer, then=F("ended_on")), default=F("term_start")),
            _changed_at=Case(When(departure_newer, then=F("updated_at")), default=F("created_at")),
        )
        .order_by("-_changed_on", "-_changed_at")
    )


def refresh_officers_changed(
    union_ids: Iterable[int] | None = None, *, union_model=None, officer_model=None
) -> int:
    """Recompute the newest officer change of the unions (all unions when None), in one
    UPDATE per 1,000 unions. The models can be given (a migration's historical ones)."""
    if union_model is None or officer_model is None:
        from .models import Officer, Union

        union_model, officer_model = union_model or Union, officer_model or Officer
    newest = _newest_change(officer_model)
    values = {
        "officers_changed_on": Subquery(newest.values("_changed_on")[:1]),
        "officers_changed_at": Subquery(newest.values("_changed_at")[:1]),
    }
    unions = union_model._base_manager.all()
    if union_ids is None:
        return unions.update(**values)
    ids = sorted({pk for pk in union_ids if pk is not None})
    updated = 0
    for start in range(0, len(ids), 1000):
        updated += unions.filter(pk__in=ids[start : start + 1000]).update(**values)
    return updated


def _officer_written(sender, instance, **kwargs) -> None:
    # The union it was loaded with too: the admin can move an officer to another union.
    refresh_officers_changed({instance.union_id, getattr(instance, "_loaded_union_id", None)})


def connect() -> None:
    from .models import Officer

    post_save.connect(_officer_written, sender=Officer, dispatch_uid="officers_changed_save")
    post_delete.connect(_officer_written, sender=Officer, dispatch_uid="officers_changed_delete")
