"""The demo county's snapshot history: the last twelve months derived from the dates on the
demo records (founding, signing, confirmation, appeals, visits) and this month taken from the
register, so "coverage over time" and "change since last month" have something to show."""

from shuangliang.core.months import month_start
from shuangliang.register.demo.data import COUNTY_CODE
from shuangliang.register.models import Federation

from .models import MonthlySnapshot
from .snapshots import snapshots_backfill, snapshots_take

DEMO_MONTHS = 12


def load_demo_snapshots(*, today=None) -> int:
    """Write the history once; a second load finds the county's snapshots and writes nothing.
    Returns the number of rows written."""
    from django.utils import timezone

    county = Federation.objects.filter(division_code=COUNTY_CODE).first()
    if county is None or MonthlySnapshot.objects.filter(federation=county).exists():
        return 0
    today = today or timezone.localdate()
    written = snapshots_backfill(months=DEMO_MONTHS, today=today)
    if not MonthlySnapshot.objects.filter(federation=county, month=month_start(today)).exists():
        written += snapshots_take(today=today)
    return written
