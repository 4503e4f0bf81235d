"""A past day's values rebuilt from the action log, for the snapshots' backfill.

The log keeps each change of a record with its old and new values (`core.actionlog.changes`)
and each transition of a Double Bright status with its "from" state. A field's value at the
end of a past day is therefore the *old* value of the first change logged after that day,
and today's value when nothing is logged after it: one correlated subquery per field, read
through the log's (content type, object id, time) index, never a loop over rows. Where the
log keeps nothing (a contract's signing, a union's founding, an appeal's answer) the
record's own dates are used (`register.founded_q`, `register.three_contracts_q`, ...).

`SOURCES` says, per count, where a backfilled month's value comes from; the snapshot stores
it next to the counts.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

ACTION_LOG, RECORD_DATES, NOT_KEPT = "action_log", "record_dates", "not_kept"

# Per count: rebuilt from the log's changes where it has them (today's value otherwise),
# from the records' dates, or not kept for a past day (None in the snapshot).
SOURCES = {
    "enterprises_operating": ACTION_LOG,  # operating status at month end
    "non_public_operating": ACTION_LOG,
    "unions_founded": ACTION_LOG,  # attached to a union at month end; founding dates
    "three_contracts_signed": RECORD_DATES,  # signing and expiry dates
    "double_bright_compliant": ACTION_LOG,  # status at month end (confirmed, reopened)
    "unions_registered": RECORD_DATES,
    "union_members": ACTION_LOG,  # member counts at month end
    "appeals_received": RECORD_DATES,
    "appeals_accepted": RECORD_DATES,
    "appeals_concluded": RECORD_DATES,
    "appeals_on_time": RECORD_DATES,
    "appeals_rated": RECORD_DATES,
    "appeals_satisfied": RECORD_DATES,
    "appeals_overdue": NOT_KEPT,
    "appeals_open": NOT_KEPT,
    "visits_last_90_days": RECORD_DATES,
    "standard_assessed": RECORD_DATES,
    "standard_compliant": RECORD_DATES,
    "standard_model": RECORD_DATES,  # results by grade: submission dates
    "standard_qualified": RECORD_DATES,
    "standard_basic": RECORD_DATES,
    "standard_not_qualified": RECORD_DATES,
    "rectifications_open": NOT_KEPT,
    "rectifications_overdue": NOT_KEPT,
}


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the current time zone: changes logged from then on
    happened after the day."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def _entries_after(model, day: datetime.date, ref: str, condition: Q):
    from shuangliang.core.models import ActionLogEntry

    return ActionLogEntry.objects.filter(
        condition,
        content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef(ref), CharField()),
        timestamp__gte=end_of(day),
    ).order_by("timestamp", "id")


def logged_old_value(model, field: str, day: datetime.date, ref: str = "pk") -> Subquery:
    """The old value (as text) of `field` in the first logged change of the record after
    `day`; NULL when no change of the field is logged after it."""
    entries = _entries_after(model, day, ref, Q(data__changes__has_key=field))
    return Subquery(entries.annotate(_old=KT(f"data__changes__{field}__0")).values("_old")[:1])


def value_at(model, field: str, day: datetime.date, *, ref: str = "pk", current: str = ""):
    """`field` of the record at the end of `day`: the logged old value, else today's."""
    return Coalesce(
        logged_old_value(model, field, day, ref),
        Cast(F(current or field), CharField()),
        output_field=CharField(),
    )


def union_change_after(day: datetime.date) -> tuple[Exists, Subquery]:
    """For enterprises: whether a change of their union is logged after `day`, and the
    first such change's old value (the union's name, NULL when the enterprise had none)."""
    from shuangliang.register.models import Enterprise

    entries = _entries_after(
        Enterprise, day, "pk", Q(action_type="register.enterprise.union_changed")
    )
    old = Subquery(entries.annotate(_old=KT("data__changes__union__0")).values("_old")[:1])
    return Exists(entries), old


def double_bright_state_after(day: datetime.date) -> tuple[Exists, Subquery]:
    """For enterprises: whether a transition of their union's Double Bright status is logged
    after `day`, and the first one's "from" state (the state at the end of `day`)."""
    from shuangliang.doublebright.models import DoubleBrightStatus

    entries = _entries_after(
        DoubleBrightStatus, day, "union__double_bright_status__pk", Q(data__has_key="from")
    )
    return Exists(entries), Subquery(entries.annotate(_from=KT("data__from")).values("_from")[:1])


def int_value_at(model, field: str, day: datetime.date, *, ref: str = "pk"):
    """An integer field's value at the end of `day` (see `value_at`)."""
    return Cast(value_at(model, field, day, ref=ref), IntegerField())
