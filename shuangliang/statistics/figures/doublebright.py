"""Double Bright: which enterprises count as compliant (the rule is the Double Bright app's,
`doublebright.compliance.compliant_q`); counted by the register's provider in its one query."""

import datetime

from django.db.models import Q


def double_bright_q(as_of: datetime.date | None) -> Q:
    """For enterprises: their union is Double Bright compliant (and was confirmed by `as_of`)."""
    from shuangliang.doublebright.compliance import compliant_q

    q = compliant_q(prefix="union__double_bright_status__", union_ref="union_id")
    if as_of is not None:
        q &= Q(union__double_bright_status__decided_at__date__lte=as_of)
    return q


def double_bright_at_q(as_of: datetime.date) -> Q:
    """For enterprises annotated by `register.history_aliases`: compliant at the end of
    `as_of`, the status's state then rebuilt from its logged transitions (today's state,
    confirmed by that day, where none is logged after it); the checklist, the office
    address and the officers as today."""
    from shuangliang.doublebright.compliance import (
        items_hold_q,
        officers_unchanged_since_submission,
    )
    from shuangliang.doublebright.models import DoubleBrightStatus

    prefix = "union__double_bright_status__"
    return (
        Q(_db_state_at=DoubleBrightStatus.State.CONFIRMED)
        & (Q(_db_logged_after=True) | Q(**{f"{prefix}decided_at__date__lte": as_of}))
        & items_hold_q(prefix)
        & ~Q(union__office_address="")
        & Q(officers_unchanged_since_submission(prefix, "union_id"))
    )
