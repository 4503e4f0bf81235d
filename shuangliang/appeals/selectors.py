"""Reads of appeals: scoped lists, deadline states, identity (checked and logged), figures."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.core.actionlog import log_action
from shuangliang.register.models import Enterprise, Federation

from . import conf
from .models import (
    HANDLING_STATES,
    Appeal,
    Appellant,
    Category,
    ContactNote,
    Message,
    Route,
    Status,
)
from .workdays import add_working_days


def tracking_hash(code: str) -> str:
    """The stored form of a tracking code: SHA-256 of its letters and digits, upper case."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def appeal_by_tracking_code(*, code: str) -> Appeal | None:
    if not code or len(code) > 64:
        return None
    return (
        Appeal.objects.select_related("category").filter(tracking_hash=tracking_hash(code)).first()
    )


def appeal_public_view(*, appeal: Appeal) -> dict:
    """What the tracking page shows: status and replies, never identity or attachments."""
    messages = [
        {"direction": m.direction, "body": m.body, "created_at": m.created_at}
        for m in Message.objects.filter(appeal=appeal).only(
            "direction", "body", "created_at", "appeal_id"
        )
    ]
    return {
        "reference": appeal.reference,
        "subject": appeal.subject,
        "category": appeal.category.name,
        "status": appeal.status,
        "status_label": appeal.get_status_display(),
        "submitted_at": appeal.submitted_at,
        "decline_reason": appeal.decline_reason,
        "satisfaction": appeal.get_satisfaction_display() if appeal.satisfaction else "",
        "can_confirm": appeal.status == Status.ANSWERED,
        "can_reply": appeal.status not in (Status.CLOSED, Status.DECLINED)
        and appeal.purged_at is None,
        "messages": messages,
    }


# Deadlines ------------------------------------------------------------------------------


def current_due_on(appeal: Appeal) -> datetime.date | None:
    """The deadline that runs now: acceptance while submitted, conclusion while handled."""
    if appeal.status == Status.SUBMITTED:
        return appeal.accept_due_on
    if appeal.status in HANDLING_STATES:
        return appeal.conclude_due_on
    return None


@dataclass(frozen=True)
class DeadlineDates:
    today: datetime.date
    warn_until: datetime.date  # due on or before this (and not before today): nearly overdue


def deadline_dates(today: datetime.date | None = None) -> DeadlineDates:
    today = today or timezone.localdate()
    return DeadlineDates(today, add_working_days(today, conf.warning_working_days()))


def overdue_q(today: datetime.date) -> Q:
    return Q(status=Status.SUBMITTED, accept_due_on__lt=today) | Q(
        status__in=HANDLING_STATES, conclude_due_on__lt=today
    )


def nearly_overdue_q(dates: DeadlineDates) -> Q:
    return Q(
        status=Status.SUBMITTED,
        accept_due_on__gte=dates.today,
        accept_due_on__lte=dates.warn_until,
    ) | Q(
        status__in=HANDLING_STATES,
        conclude_due_on__gte=dates.today,
        conclude_due_on__lte=dates.warn_until,
    )


def deadline_state(appeal: Appeal, dates: DeadlineDates) -> str:
    """'overdue', 'soon' or '' for one appeal (no query)."""
    due = current_due_on(appeal)
    if due is None:
        return ""
    if due < dates.today:
        return "overdue"
    if due <= dates.warn_until:
        return "soon"
    return ""


# Lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealFilters:
    q: str = ""
    federation: int | None = None
    status: str = ""
    category: int | None = None
    deadline: str = ""  # "overdue", "soon" or "escalated"


def appeal_list_rows() -> QuerySet[Appeal]:
    """Appeals with what a list row shows (no identity), newest first; unscoped: the page's
    rows once appeal_list has chosen their keys (KeysFirstPaginator's `rows`)."""
    return Appeal.objects.select_related(
        "category", "enterprise", "handling_federation", "handling_union", "assignee"
    ).order_by("-submitted_at", "-id")


def appeal_list(*, user, filters: AppealFilters = AppealFilters()) -> QuerySet[Appeal]:
    """The appeals the user may see, newest first, with what a list row shows (no identity)."""
    qs = visible(appeal_list_rows(), user)
    if filters.q:
        q = Q(subject__icontains=filters.q) | Q(enterprise__name__icontains=filters.q)
        if filters.q.lstrip("#").isdigit():
            q |= Q(pk=int(filters.q.lstrip("#")))
        qs = qs.filter(q)
    if filters.federation:
        federation = Federation.objects.filter(pk=filters.federation).only("path").first()
        qs = (
            qs.filter(handling_federation__path__startswith=federation.path)
            if federation
            else qs.none()
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.deadline == "overdue":
        qs = qs.filter(overdue_q(timezone.localdate()))
    elif filters.deadline == "soon":
        qs = qs.filter(nearly_overdue_q(deadline_dates()))
    elif filters.deadline == "escalated":
        qs = qs.filter(escalated_at__isnull=False).exclude(
            status__in=[Status.CLOSED, Status.DECLINED, Status.ANSWERED]
        )
    return qs.order_by("-submitted_at", "-id")


def appeal_counts(*, user) -> dict:
    """Overdue, nearly overdue and escalated open appeals in the user's scope, in one query."""
    dates = deadline_dates()
    # Every figure counts open appeals only: the status index leaves out the closed past.
    qs = visible(Appeal.objects.all(), user).filter(status__in=[Status.SUBMITTED, *HANDLING_STATES])
    return qs.aggregate(
        open=Count("pk", filter=Q(status__in=[Status.SUBMITTED, *HANDLING_STATES])),
        overdue=Count("pk", filter=overdue_q(dates.today)),
        soon=Count("pk", filter=nearly_overdue_q(dates)),
        escalated=Count(
            "pk",
            filter=Q(escalated_at__isnull=False, status__in=[Status.SUBMITTED, *HANDLING_STATES]),
        ),
    )


# Identity -------------------------------------------------------------------------------


def appeal_identity_visible(*, user, appeal: Appeal) -> bool:
    """Whether the user may see the appellant's name and phone (QUALITY.md C3).

    Handlers at the federation (staff of the handling federation's line, the assigned cadre),
    and the enterprise union only while it handles the appeal and the worker consented.
    Leaders (read-only) and the enterprise side never do."""
    if appeal.is_anonymous or appeal.purged_at is not None:
        return False
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    path = appeal.handling_federation.path
    if any(path.startswith(staff_path) for staff_path in scope.staff_paths):
        return True
    if scope.is_assigned_cadre and appeal.assignee_id == scope.user_id:
        return True
    return bool(
        appeal.route == Route.UNION
        and appeal.identity_to_union
        and appeal.handling_union_id in scope.union_ids
    )


def appeal_identity_reveal(*, user, appeal: Appeal) -> Appellant | None:
    """The appellant, for a user who may see it; every reveal is logged (QUALITY.md D1)."""
    if not appeal_identity_visible(user=user, appeal=appeal):
        return None
    appellant = Appellant.objects.filter(appeal=appeal).first()
    if appellant is not None:
        log_action(appeal, "appeals.appeal.identity_viewed", actor=user)
    return appellant


def appeal_contact_notes(*, user, appeal: Appeal) -> list[ContactNote]:
    """Phone notes name the worker's situation: only for those who may see the identity."""
    if not appeal_identity_visible(user=user, appeal=appeal):
        return []
    return list(ContactNote.objects.filter(appeal=appeal).select_related("author"))


# Choices for handlers -------------------------------------------------------------------


def transfer_targets(*, user, appeal: Appeal) -> dict:
    """Where the user may send the appeal: the enterprise union (only if the worker chose it
    and the concern is not about the union), an assigned cadre of the enterprise, a federation
    in the user's own scope, or the federation one level up."""
    from django.contrib.auth import get_user_model

    from shuangliang.campaign.models import Assignment

    union = None
    if (
        appeal.requested_route == Route.UNION
        and not appeal.about_union
        and appeal.enterprise_id
        and appeal.enterprise.union_id
    ):
        union = appeal.enterprise.union
    today = timezone.localdate()
    cadres = get_user_model().objects.none()
    if appeal.enterprise_id:
        cadre_ids = (
            Assignment.objects.filter(enterprise_id=appeal.enterprise_id, starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("cadre_id")
        )
        cadres = get_user_model().objects.filter(pk__in=cadre_ids, is_active=True)
    federations = visible(Federation.objects.all(), user, "change")
    parent_id = appeal.handling_federation.parent_id
    if parent_id:
        federations = federations | Federation.objects.filter(pk=parent_id)
    return {
        "union": union,
        "cadres": list(cadres.order_by("pk")),
        "federations": list(federations.distinct().order_by("path")),
    }


# Public pickers -------------------------------------------------------------------------


def public_enterprises(*, q: str, limit: int = 30) -> list[Enterprise]:
    """Enterprises a worker can pick on the general page (names are public anyway)."""
    from shuangliang.register.selectors import search_q

    if not q.strip():
        return []
    return list(
        Enterprise.objects.filter(search_q(q))
        .select_related("federation")
        .order_by("name", "id")[:limit]
    )


def enterprise_by_credit_code(*, credit_code: str) -> Enterprise | None:
    return (
        Enterprise.objects.select_related("union", "federation")
        .filter(credit_code=credit_code.upper())
        .first()
    )


def union_page_enterprises(*, token: str) -> list[Enterprise]:
    """The enterprises of the union behind a public page token, with what the intake needs
    of their union and townships (routing, the log's scope), in one query; empty for an
    unknown token."""
    return list(
        Enterprise.objects.filter(union__public_page__token=token)
        .select_related("union__federation", "federation")
        .only(
            "name",
            "union__name",
            "union__federation__level",
            "union__federation__path",
            "federation__level",
            "federation__path",
        )
        .order_by("name", "id")
    )


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort_order", "id")


# Figures --------------------------------------------------------------------------------


def appeal_figures_for(*, user, federation: Federation | None = None) -> dict:
    """Received, accepted, on-time rate, median days to conclusion and satisfaction rate of
    the user's appeals (under `federation`): the figure layer's, as on every other page."""
    from shuangliang.statistics import figures as fig

    return fig.appeal_figures(user=user, federation=federation)[0].figures


def appeal_figures_by(*, user, dimension: str, limit: int = 50) -> list:
    """The same figures per handling federation, enterprise or category (the `limit` groups
    with most appeals), as the figure layer's rows (label, figures)."""
    from shuangliang.statistics import figures as fig

    layer_dimension = {
        "federation": fig.PLACE,
        "enterprise": fig.ENTERPRISE,
        "category": fig.CATEGORY,
    }[dimension]
    return fig.appeal_figures(user=user, dimension=layer_dimension, limit=limit)


def public_count(count: int) -> int | None:
    """A count safe to publish: None (shown as "fewer than 5") below the threshold (C6)."""
    return count if count >= conf.public_min_count() else None
