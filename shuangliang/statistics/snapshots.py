"""Monthly snapshots: taking this month's, deriving past months', and reading them back.

A snapshot keeps the counts of every federation's subtree (all records: snapshots are the
federation's own figures, read by its staff and leaders, whose scope is that subtree) for a
month; rates are derived when read (`figures.derive`), so a report for a past month shows the
numbers as they were and its rows still add up.

- `snapshots_take()` records the register as it stands, under the current month; running it
  again in the same month replaces that month's row (the last run of a month, normally the
  scheduled one on its last day, closes it). A past month is never overwritten from today's
  register.
- `snapshots_backfill()` derives the months before the first snapshot from the action log
  where it keeps the change, and from the dates the records carry where it does not
  (`figures.history`): an enterprise's operating status and whether it had a union, a
  union's member count and its Double Bright state are those of the month's end, rebuilt
  from the changes logged after it (today's value where none is logged); unions' founding
  dates, contracts' signing and expiry dates, appeals' submission and answer times, visit
  dates are the records' own. An enterprise's entry into the register is not used: the log
  dates its entry into the system, which for an import or the demo is the day of the
  import. Derived months are marked as such, with the source of each count
  (`MonthlySnapshot.sources`), and are never replaced by a later backfill.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from shuangliang.core.months import add_months, month_end, month_start
from shuangliang.register.models import Federation

from .figures import counts_for_every_federation, derive
from .figures.history import SOURCES
from .models import MonthlySnapshot

Source = MonthlySnapshot.Source


def parse_month(value: str) -> datetime.date | None:
    """'2025-03' -> 2025-03-01; None for anything else."""
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
    except (ValueError, AttributeError):
        return None


@transaction.atomic
def snapshots_take(*, today: datetime.date | None = None) -> int:
    """Record every federation's counts as they stand, under the current month; returns the
    number of federations. Idempotent per month: one row per federation and month."""
    today = today or timezone.localdate()
    month = month_start(today)
    counts = counts_for_every_federation()
    existing = {
        snapshot.federation_id: snapshot
        for snapshot in MonthlySnapshot.objects.filter(month=month).select_for_update()
    }
    now = timezone.now()
    new, changed = [], []
    for federation_id, federation_counts in counts.items():
        snapshot = existing.get(federation_id)
        if snapshot is None:
            new.append(
                MonthlySnapshot(
                    federation_id=federation_id,
                    month=month,
                    counts=federation_counts,
                    source=Source.TAKEN,
                )
            )
        else:
            snapshot.counts, snapshot.source, snapshot.taken_at = (
                federation_counts,
                Source.TAKEN,
                now,
            )
            changed.append(snapshot)
    MonthlySnapshot.objects.bulk_create(new, batch_size=500)
    MonthlySnapshot.objects.bulk_update(changed, ["counts", "source", "taken_at"], batch_size=500)
    return len(counts)


@transaction.atomic
def snapshots_backfill(*, months: int = 12, today: datetime.date | None = None) -> int:
    """Derive the `months` months before the current one for every federation that has no
    snapshot of them yet; returns the number of rows written. Running it again adds nothing."""
    today = today or timezone.localdate()
    current = month_start(today)
    written = 0
    federation_ids = set(Federation.objects.values_list("pk", flat=True))
    for back in range(months, 0, -1):
        month = add_months(current, -back)
        have = set(
            MonthlySnapshot.objects.filter(month=month).values_list("federation_id", flat=True)
        )
        missing = federation_ids - have
        if not missing:
            continue
        counts = counts_for_every_federation(as_of=month_end(month))
        rows = []
        for pk in sorted(missing):  # a loop over federations
            federation_counts = counts.get(pk, {})
            sources = {key: SOURCES.get(key, "record_dates") for key in federation_counts}
            rows.append(
                MonthlySnapshot(
                    federation_id=pk,
                    month=month,
                    counts=federation_counts,
                    source=Source.DERIVED,
                    sources=sources,
                )
            )
        MonthlySnapshot.objects.bulk_create(rows, batch_size=500)
        written += len(rows)
    return written


def snapshot_history(
    *, federations: list[Federation], first: datetime.date, last: datetime.date
) -> dict[int, dict[datetime.date, MonthlySnapshot]]:
    """The snapshots of the federations between two months (inclusive), in one query."""
    out: dict[int, dict[datetime.date, MonthlySnapshot]] = {f.pk: {} for f in federations}
    for snapshot in MonthlySnapshot.objects.filter(
        federation__in=federations, month__gte=first, month__lte=last
    ).order_by("month"):
        out[snapshot.federation_id][snapshot.month] = snapshot
    return out


def snapshot_figures(snapshot: MonthlySnapshot | None) -> dict | None:
    return derive(snapshot.counts) if snapshot is not None else None
