"""Reads of the Double Bright status: the coverage list, its counts and rates, the review
queue, and who may review. Every figure here is a database query over the user's scope."""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import Enterprise, Federation, OperatingStatus, Union
from shuangliang.register.selectors import in_subtree, search_q

from .compliance import compliant_q
from .models import DoubleBrightStatus

State = DoubleBrightStatus.State


class Coverage:
    """Where a union stands in the campaign, as the coverage list groups them."""

    COMPLIANT = "compliant"
    OUTDATED = "outdated"  # confirmed once, but an item or the officers changed since
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    DRAFT = "draft"
    NOT_STARTED = "not_started"

    choices = [
        (COMPLIANT, pgettext_lazy("double bright coverage", "Compliant")),
        (OUTDATED, pgettext_lazy("double bright coverage", "Needs updating")),
        (SUBMITTED, pgettext_lazy("double bright coverage", "Awaiting review")),
        (REJECTED, pgettext_lazy("double bright coverage", "Returned")),
        (DRAFT, pgettext_lazy("double bright coverage", "Being filled in")),
        (NOT_STARTED, pgettext_lazy("double bright coverage", "Not started")),
    ]
    values = [value for value, _label in choices]
    labels = dict(choices)


def coverage_case() -> Case:
    """The Coverage value of each union of a Union queryset."""
    prefix = "double_bright_status__"
    return Case(
        When(compliant_q(), then=Value(Coverage.COMPLIANT)),
        When(**{f"{prefix}state": State.CONFIRMED}, then=Value(Coverage.OUTDATED)),
        When(**{f"{prefix}state": State.SUBMITTED}, then=Value(Coverage.SUBMITTED)),
        When(**{f"{prefix}state": State.REJECTED}, then=Value(Coverage.REJECTED)),
        When(**{f"{prefix}state": State.DRAFT}, then=Value(Coverage.DRAFT)),
        default=Value(Coverage.NOT_STARTED),
        output_field=CharField(),
    )


def founded_unions(*, user, federation: int | None = None) -> QuerySet[Union]:
    """The unions the user may see, optionally within one federation's subtree."""
    qs = visible(Union.objects.all(), user)
    if federation:
        qs = in_subtree(qs, federation)
    return qs


COVERAGE_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "township": ("federation__path", "name"),
    "-township": ("-federation__path", "name"),
    "state": ("coverage_rank", "name"),
    "-state": ("-coverage_rank", "name"),
    "submitted": ("double_bright_status__submitted_at", "name"),
    "-submitted": ("-double_bright_status__submitted_at", "name"),
}


def coverage_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    coverage: str = "",
    sort: str = "name",
) -> QuerySet[Union]:
    """The unions in scope with their status and `coverage` (a Coverage value), filtered
    and sorted; one query however many unions there are."""
    qs = founded_unions(user=user, federation=federation)
    if q:
        qs = qs.filter(search_q(q))
    qs = qs.select_related("federation", "double_bright_status").annotate(
        coverage=coverage_case(),
        coverage_rank=Case(
            *[When(coverage=value, then=Value(rank)) for rank, value in enumerate(Coverage.values)]
        ),
    )
    if coverage in Coverage.values:
        qs = qs.filter(coverage=coverage)
    return qs.order_by(*COVERAGE_SORTS.get(sort, ("name",)), "id")


def enterprise_rate_figures() -> dict:
    """The aggregate arguments of the Double Bright rate over an Enterprise queryset: the
    same denominator as the register's coverage figures (enterprises in production covered
    by a union) and, as numerator, those whose union is compliant."""
    founded = Q(union__isnull=False)
    return {
        "db_founded": Count("pk", filter=founded),
        "db_compliant": Count(
            "pk",
            filter=founded
            & compliant_q(prefix="union__double_bright_status__", union_ref="union_id"),
        ),
    }


def rate(compliant: int, founded: int) -> float:
    """Rounded like the register's rates, 0.0 when there is nothing to divide by."""
    return round(compliant / founded, 4) if founded else 0.0


@dataclass(frozen=True)
class PlaceCoverage:
    """One township's (or park's) line of the coverage table."""

    federation: Federation
    unions: int
    counts: dict[str, int]
    enterprises_founded: int
    enterprises_compliant: int

    @property
    def rate(self) -> float:
        return rate(self.enterprises_compliant, self.enterprises_founded)

    @property
    def rate_percent(self) -> float:
        return round(self.rate * 100, 1)


@dataclass(frozen=True)
class CoverageSummary:
    """The totals of a coverage page and its lines per place, all from three queries."""

    counts: dict[str, int]
    places: list[PlaceCoverage]
    enterprises_founded: int
    enterprises_compliant: int

    @property
    def rate(self) -> float:
        return rate(self.enterprises_compliant, self.enterprises_founded)

    @property
    def rate_percent(self) -> float:
        return round(self.rate * 100, 1)


def coverage_summary(*, user, federation: int | None = None) -> CoverageSummary:
    """Counts by Coverage value and the Double Bright rate, in total and per place (the
    federation a union or an enterprise belongs to). The rate equals the API's
    `double_bright_rate` for the same scope."""
    unions = founded_unions(user=user, federation=federation).annotate(coverage=coverage_case())
    per_place = unions.values("federation_id").annotate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(coverage=value)) for value in Coverage.values},
    )
    enterprises = visible(Enterprise.objects.all(), user).filter(
        operating_status=OperatingStatus.IN_PRODUCTION
    )
    if federation:
        enterprises = in_subtree(enterprises, federation)
    enterprise_rows = enterprises.values("federation_id").annotate(**enterprise_rate_figures())
    by_place: dict[int, dict] = {}
    for row in per_place.order_by():
        by_place.setdefault(row["federation_id"], {}).update(row)
    for row in enterprise_rows.order_by():
        by_place.setdefault(row["federation_id"], {}).update(row)
    federations = Federation.objects.in_bulk(list(by_place))
    places, totals = [], dict.fromkeys(["total", *Coverage.values], 0)
    founded_total = compliant_total = 0
    for federation_id, row in by_place.items():
        counts = {key: row.get(key, 0) for key in totals}
        for key in totals:
            totals[key] += counts[key]
        founded_total += row.get("db_founded", 0)
        compliant_total += row.get("db_compliant", 0)
        places.append(
            PlaceCoverage(
                federation=federations[federation_id],
                unions=counts["total"],
                counts=counts,
                enterprises_founded=row.get("db_founded", 0),
                enterprises_compliant=row.get("db_compliant", 0),
            )
        )
    places.sort(key=lambda place: place.federation.path)
    return CoverageSummary(
        counts=totals,
        places=places,
        enterprises_founded=founded_total,
        enterprises_compliant=compliant_total,
    )


def reviewable_statuses(*, user) -> QuerySet[DoubleBrightStatus]:
    """Statuses the user may confirm or return: federation staff above the union (and
    superusers). A union's own cadres never review their own status."""
    qs = visible(DoubleBrightStatus.objects.all(), user, "change")
    scope = scope_for(user)
    if scope.is_superuser:
        return qs
    above = Q(pk__in=[])
    for path in scope.staff_paths:
        above |= Q(union__federation__path__startswith=path)
    return qs.filter(above)


def review_queue(*, user, federation: int | None = None) -> QuerySet[DoubleBrightStatus]:
    """Submitted statuses the user may review, the longest waiting first."""
    qs = reviewable_statuses(user=user).filter(state=State.SUBMITTED)
    if federation:
        qs = in_subtree(qs, federation, "union__federation__path")
    return qs.select_related("union", "union__federation", "submitted_by").order_by(
        "submitted_at", "id"
    )


def can_review(user, status: DoubleBrightStatus) -> bool:
    return reviewable_statuses(user=user).filter(pk=status.pk).exists()


def union_status(*, union: Union) -> DoubleBrightStatus | None:
    """The union's status row, or None when the union has not started."""
    return DoubleBrightStatus.objects.filter(union=union).first()


def union_is_compliant(*, union: Union) -> bool:
    return Union.objects.filter(pk=union.pk).filter(compliant_q()).exists()


MISSING_ITEM_MESSAGES = {
    "signboard_hung": _("The union signboard is not marked as hung."),
    "signboard_photo": _("A photo of the signboard is missing."),
    "identities_posted": _("The cadres' identities are not marked as posted."),
    "notice_board_photo": _("A photo of the notice board is missing."),
    "badges_worn": _("The chair and vice chairs are not marked as wearing their badges."),
    "contact_cards_handed_out": _("No contact card is recorded as handed out."),
    "address_published": _("The office address is not marked as published."),
    "office_address": _("The union's office address is not on record."),
}


def missing_items(status: DoubleBrightStatus) -> list[str]:
    """The keys of MISSING_ITEM_MESSAGES that do not hold yet, in checklist order."""
    missing = [
        name
        for name in (
            "signboard_hung",
            "signboard_photo",
            "identities_posted",
            "notice_board_photo",
            "badges_worn",
        )
        if not getattr(status, name)
    ]
    if status.contact_cards_handed_out < 1:
        missing.append("contact_cards_handed_out")
    if not status.address_published:
        missing.append("address_published")
    if not status.union.office_address:
        missing.append("office_address")
    return missing
