"""When a union is "Double Bright compliant", as one database expression.

A union is compliant when its status has been confirmed by the federation, every item of
the checklist holds (with its photo evidence), its office address is on record, and no
officer of the union was appointed or left office after the status was submitted. No
verdict is stored: the page, the API and the coverage figures all filter with `compliant_q`,
so a change of chair makes the union non-compliant on the next request, without a job. What
is stored is each union's newest officer change (`register.officer_changes`, refreshed in the
writer's transaction), so that the check compares columns instead of reading every officer.

This module imports only models, so `register.selectors` can use it without a cycle.
"""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from shuangliang.register.models import Officer

from .models import DoubleBrightStatus

State = DoubleBrightStatus.State

# The checklist's items, each with the condition that makes it hold (on the status row).
# Every item is required; none can be marked "not applicable".
ITEM_FIELDS = (
    "signboard_hung",
    "signboard_photo",
    "identities_posted",
    "notice_board_photo",
    "badges_worn",
    "contact_cards_handed_out",
    "address_published",
)


def items_hold_q(prefix: str = "") -> Q:
    """Every item of the checklist holds, photos included (prefix leads to the status)."""
    return (
        Q(
            **{
                f"{prefix}signboard_hung": True,
                f"{prefix}identities_posted": True,
                f"{prefix}badges_worn": True,
                f"{prefix}address_published": True,
                f"{prefix}contact_cards_handed_out__gte": 1,
            }
        )
        & ~Q(**{f"{prefix}signboard_photo": ""})
        & ~Q(**{f"{prefix}notice_board_photo": ""})
    )


def officer_changed_after_q(
    *, at_ref, on_ref, today: datetime.date | None = None, union_ref="union_id"
) -> Exists:
    """An officer of the union took or left office after the moment `at_ref` (on `on_ref`).

    A change counts by the date it takes effect: an appointment or departure dated after the
    submission day, once that day has come. On the submission day itself the time it was
    recorded decides, so a chair replaced an hour after the submission still counts.
    Back-dated records of earlier changes do not: the submission was made after them.
    """
    changed = changed_after_q(at=at_ref, on=on_ref, today=today or timezone.localdate())
    return Exists(Officer.objects.filter(changed, union_id=OuterRef(union_ref)))


def changed_after_q(*, at, on, today: datetime.date) -> Q:
    """For Officer querysets: the officer's appointment or departure counts as a change
    after the moment `at` on the day `on` (the rule of `officer_changed_after_q`)."""
    appointed = Q(term_start__lte=today) & (
        Q(term_start__gt=on) | Q(term_start=on, created_at__gt=at)
    )
    left = (
        Q(ended_on__isnull=False, ended_on__lte=today)
        & ~Q(status=Officer.Status.ACTIVE)
        & (Q(ended_on__gt=on) | Q(ended_on=on, updated_at__gt=at))
    )
    return appointed | left


def officers_changed_q(prefix: str = "double_bright_status__") -> Q:
    """For Union querysets: officers changed after the union's last submission."""
    return Q(
        officer_changed_after_q(
            at_ref=OuterRef(f"{prefix}submitted_at"),
            on_ref=OuterRef(f"{prefix}submitted_on"),
            union_ref="pk",
        )
    )


def _future_changed_unions(today: datetime.date):
    """Unions whose newest officer change is dated after today and which have a change that
    counts after their submission (`officer_changed_after_q`, read from the officers): one
    set, built once, over the few unions with a future-dated change (an indexed column)."""
    status = "union__double_bright_status__"
    return (
        Officer.objects.filter(union__officers_changed_on__gt=today)
        .filter(
            changed_after_q(
                at=F(f"{status}submitted_at"), on=F(f"{status}submitted_on"), today=today
            )
        )
        .values("union_id")
    )


def officers_unchanged_since_submission(
    prefix: str = "double_bright_status__", union_ref: str = "pk"
) -> Case:
    """True when no officer change counts after the submission: `officer_changed_after_q`
    negated, read from the union's newest officer change (`Union.officers_changed_on/_at`,
    kept by `register.officer_changes`) instead of from every officer.

    The newest change (latest date, then latest recording time) is after the submission
    exactly when some change is, as long as it has taken effect; only when it is dated in
    the future are the officers themselves asked (rare: a term starting next month), as
    one set of unions rather than a lookup per row."""
    union_prefix = prefix.removesuffix("double_bright_status__")
    on, at = F(f"{prefix}submitted_on"), F(f"{prefix}submitted_at")
    changed_on = f"{union_prefix}officers_changed_on"
    changed_at = f"{union_prefix}officers_changed_at"
    today = timezone.localdate()
    return Case(
        When(Q(**{f"{changed_on}__isnull": True}), then=Value(True)),
        When(
            Q(**{f"{changed_on}__gt": today}),
            then=ExpressionWrapper(
                ~Q(**{f"{union_ref}__in": _future_changed_unions(today)}),
                output_field=BooleanField(),
            ),
        ),
        When(Q(**{f"{changed_on}__gt": on}), then=Value(False)),
        When(Q(**{changed_on: on, f"{changed_at}__gt": at}), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def compliant_q(prefix: str = "double_bright_status__", union_ref: str = "pk") -> Q:
    """For Union querysets (or, with prefix 'union__double_bright_status__' and union_ref
    'union_id', Enterprise querysets): the union is Double Bright compliant."""
    union_prefix = prefix.removesuffix("double_bright_status__")
    return (
        Q(**{f"{prefix}state": State.CONFIRMED})
        & items_hold_q(prefix)
        & ~Q(**{f"{union_prefix}office_address": ""})
        & Q(officers_unchanged_since_submission(prefix, union_ref))
    )


def status_officers_changed(status: DoubleBrightStatus) -> bool:
    """For one status row: officers changed after its submission (False if never submitted)."""
    if status.submitted_at is None:
        return False
    return (
        DoubleBrightStatus.objects.filter(pk=status.pk)
        .filter(
            officer_changed_after_q(
                at_ref=OuterRef("submitted_at"), on_ref=OuterRef("submitted_on")
            )
        )
        .exists()
    )
