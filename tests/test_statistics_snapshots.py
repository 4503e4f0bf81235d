"""Issue 7: the snapshots' backfill rebuilds a past month from the action log where it keeps
the change (a record changed after the month's end shows its month-end value), from the
records' dates where it does not, and says which source each count comes from."""

import datetime

from django.utils import timezone

from shuangliang.core.models import ActionLogEntry
from shuangliang.core.months import add_months, month_end, month_start
from shuangliang.doublebright.models import DoubleBrightStatus
from shuangliang.doublebright.status_services import status_transition
from shuangliang.register import services as register_services
from shuangliang.register.models import OperatingStatus, Union
from shuangliang.statistics import figures as fig
from shuangliang.statistics.models import MonthlySnapshot
from shuangliang.statistics.snapshots import snapshots_backfill, snapshots_take

from .test_double_bright_status import confirmed


def _last_month() -> datetime.date:
    return add_months(month_start(timezone.localdate()), -1)


def _backfilled(federation, month) -> MonthlySnapshot:
    return MonthlySnapshot.objects.get(federation=federation, month=month)


def test_backfill_shows_a_status_changed_after_month_end_as_it_was(world):
    actor = world.users["county_c1"]
    month = _last_month()
    before = fig.counts_for_every_federation(as_of=month_end(month))[world.c1.pk]
    register_services.enterprise_update(
        actor=actor, enterprise=world.e1, data={"operating_status": OperatingStatus.CLOSED}
    )
    snapshots_backfill(months=2)
    snapshots_take()
    past = _backfilled(world.c1, month)
    now = _backfilled(world.c1, month_start(timezone.localdate()))
    assert past.counts["enterprises_operating"] == before["enterprises_operating"]
    assert now.counts["enterprises_operating"] == before["enterprises_operating"] - 1
    assert past.counts["unions_founded"] == before["unions_founded"]
    assert past.source == MonthlySnapshot.Source.DERIVED
    assert past.sources["enterprises_operating"] == "action_log"
    assert past.sources["three_contracts_signed"] == "record_dates"
    assert past.sources["appeals_overdue"] == "not_kept"
    assert now.sources == {}


def test_backfill_shows_a_union_detached_after_month_end_as_attached(world):
    month = _last_month()
    union = world.e1.union
    Union.objects.filter(pk=union.pk).update(founded_on=add_months(month, -6))
    before = fig.counts_for_every_federation(as_of=month_end(month))[world.t1.pk]
    assert before["unions_founded"] >= 1
    register_services.enterprise_attach_union(
        actor=world.users["county_c1"], enterprise=world.e1, union=None
    )
    snapshots_backfill(months=1)
    assert _backfilled(world.t1, month).counts["unions_founded"] == before["unions_founded"]
    assert fig.headline_figures(user=None, federation=world.t1)["unions_founded"] == (
        before["unions_founded"] - 1
    )


def test_backfill_shows_member_counts_of_month_end(world):
    month = _last_month()
    union = world.u1
    Union.objects.filter(pk=union.pk).update(founded_on=add_months(month, -6))
    union.refresh_from_db()
    before = fig.counts_for_every_federation(as_of=month_end(month))[world.t1.pk]
    register_services.union_update(
        actor=world.users["county_c1"], union=union, data={"member_count": union.member_count + 40}
    )
    snapshots_backfill(months=1)
    past = _backfilled(world.t1, month)
    assert past.counts["union_members"] == before["union_members"]
    assert past.sources["union_members"] == "action_log"
    assert fig.headline_figures(user=None, federation=world.t1)["union_members"] == (
        before["union_members"] + 40
    )


def test_backfill_shows_double_bright_confirmed_then_reopened_after_month_end(world):
    month = _last_month()
    union = world.u2
    status = confirmed(world, union)
    long_ago = timezone.now() - datetime.timedelta(days=70)
    # The confirmation (and everything before it) happened two months ago.
    Union.objects.filter(pk=union.pk).update(
        founded_on=long_ago.date() - datetime.timedelta(days=30),
        officers_changed_on=long_ago.date() - datetime.timedelta(days=10),
        officers_changed_at=long_ago - datetime.timedelta(days=10),
    )
    DoubleBrightStatus.objects.filter(pk=status.pk).update(
        submitted_at=long_ago, submitted_on=long_ago.date(), decided_at=long_ago
    )
    ActionLogEntry.objects.filter(action_type__startswith="doublebright.").update(
        timestamp=long_ago
    )
    compliant_then = fig.counts_for_every_federation(as_of=month_end(month))
    assert compliant_then[world.t2.pk]["double_bright_compliant"] == 1
    status.refresh_from_db()
    status_transition(actor=world.users["city"], status=status, to=DoubleBrightStatus.State.DRAFT)
    assert fig.headline_figures(user=None, federation=world.t2)["double_bright_compliant"] == 0
    snapshots_backfill(months=1)
    past = _backfilled(world.t2, month)
    assert past.counts["double_bright_compliant"] == 1
    assert past.sources["double_bright_compliant"] == "action_log"


def test_backfill_without_log_entries_falls_back_to_record_dates(world):
    """Records written without a log (the demo, the generator's bulk paths) count as they
    stand today, dated by their own dates."""
    ActionLogEntry.objects.all().delete()
    month = _last_month()
    now = fig.headline_figures(user=None, federation=world.c1)
    past = fig.counts_for_every_federation(as_of=month_end(month))[world.c1.pk]
    assert past["enterprises_operating"] == now["enterprises_operating"]
    assert past["unions_founded"] <= now["unions_founded"]
