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
