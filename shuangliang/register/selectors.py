"""Reads of the register: scoped lists, filters and the headline figures.

The headline figures come from the one figure layer, `shuangliang.statistics.figures`.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from shuangliang.core.access import visible
from shuangliang.core.text import normalise_query
from shuangliang.doublebright.compliance import compliant_q as double_bright_compliant_q

from .models import (
    FOCUS_TAGS,
    PUBLIC_OWNERSHIPS,
    SIGNED_STEPS,
    CollectiveContract,
    ContractKind,
    Enterprise,
    Federation,
    Officer,
    Position,
    Union,
)
from .stored_figures import stored_q as stored_three_contracts_q


def valid_contract_exists(kind_id: int, union_ref: str = "pk"):
    """An Exists() for a signed, unexpired contract of one kind for the outer union."""
    today = timezone.localdate()
    return Exists(
        CollectiveContract.objects.filter(
            union_id=OuterRef(union_ref), kind_id=kind_id, step__in=SIGNED_STEPS
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def three_contracts_q(union_ref: str = "pk") -> Q:
    """Q for unions (or, with union_ref='union_id', enterprises) holding every counted contract."""
    kind_ids = list(ContractKind.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    if not kind_ids:
        return Q(pk__in=[])
    q = Q()
    for kind_id in kind_ids:
        q &= Q(valid_contract_exists(kind_id, union_ref))
    return q


def in_subtree(qs: QuerySet, federation_id: int, path_lookup: str = "federation__path") -> QuerySet:
    """Restrict `qs` to one federation's subtree; nothing when that federation does not exist."""
    federation = Federation.objects.filter(pk=federation_id).only("path").first()
    if federation is None:
        return qs.none()
    return qs.filter(**{f"{path_lookup}__startswith": federation.path})


def non_public_q(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}ownership__in": PUBLIC_OWNERSHIPS})


def search_q(query: str) -> Q:
    """Every word must appear in the normalised text (either script) or the pinyin initials."""
    q = Q()
    for word in normalise_query(query).split():
        q &= Q(search_text__contains=word)
    return q


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str = ""
    federation: int | None = None  # a township, park or any federation: its subtree
    industry: str = ""
    ownership: str = ""  # an Ownership value, or "public" / "non_public"
    status: str = ""
    focus: str = ""  # one of FOCUS_TAGS, or "any"
    has_union: bool | None = None
    three_contracts: bool | None = None
    double_bright: bool | None = None  # the union is Double Bright compliant
    headcount_min: int | None = None  # employees, inclusive (the statistics' size bands)
    headcount_max: int | None = None


ENTERPRISE_SORTS = {
    "name": "name",
    "-name": "-name",
    "headcount": "headcount",
    "-headcount": "-headcount",
    "township": "federation__name",
    "-township": "-federation__name",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def enterprise_list(
    *, user, filters: EnterpriseFilters, sort: str = "name"
) -> QuerySet[Enterprise]:
    """The enterprises the user may see, filtered and sorted, ready for a list page or export."""
    qs = visible(Enterprise.objects.all(), user).select_related("federation", "union")
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.federation:
        qs = in_subtree(qs, filters.federation)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.ownership == "non_public":
        qs = qs.filter(non_public_q())
    elif filters.ownership == "public":
        qs = qs.filter(ownership__in=PUBLIC_OWNERSHIPS)
    elif filters.ownership:
        qs = qs.filter(ownership=filters.ownership)
    if filters.status:
        qs = qs.filter(operating_status=filters.status)
    if filters.focus == "any":
        any_focus = Q()
        for name in FOCUS_TAGS:
            any_focus |= Q(**{name: True})
        qs = qs.filter(any_focus)
    elif filters.focus in FOCUS_TAGS:
        qs = qs.filter(**{filters.focus: True})
    if filters.has_union is not None:
        qs = qs.filter(union__isnull=not filters.has_union)
    if filters.three_contracts is not None:
        # The stored values (register.stored_figures), not a lookup per kind and enterprise.
        signed = stored_three_contracts_q()
        qs = qs.filter(signed) if filters.three_contracts else qs.exclude(signed)
    if filters.double_bright is not None:
        compliant = Q(union__isnull=False) & double_bright_compliant_q(
            prefix="union__double_bright_status__", union_ref="union_id"
        )
        qs = qs.filter(compliant) if filters.double_bright else qs.exclude(compliant)
    if filters.headcount_min is not None:
        qs = qs.filter(headcount__gte=filters.headcount_min)
    if filters.headcount_max is not None:
        qs = qs.filter(headcount__lte=filters.headcount_max)
    return qs.order_by(*sorted_by(ENTERPRISE_SORTS.get(sort, "name")))


def sorted_by(key: str) -> tuple[str, str]:
    """A sort key and the id as tie-break in the same direction, so that one btree index on
    (key, id) serves the sort both ways (an index scan instead of sorting every row)."""
    return key, "-id" if key.startswith("-") else "id"


def union_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    kind: str = "",
    reelection: str = "",
    sort: str = "name",
) -> QuerySet[Union]:
    qs = visible(Union.objects.all(), user).select_related("federation")
    if q:
        qs = qs.filter(search_q(q))
    if federation:
        qs = in_subtree(qs, federation)
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(enterprise_count=Count("enterprises", distinct=True))
    sorts = {
        "name": "name",
        "-name": "-name",
        "members": "member_count",
        "-members": "-member_count",
        "term": "term_start",
        "-term": "-term_start",
    }
    chairs = Officer.objects.filter(
        position=Position.CHAIR, status=Officer.Status.ACTIVE
    ).select_related("person")
    # The page and its export show the same chair: `chairs_in_office` on every union.
    qs = qs.prefetch_related(Prefetch("officers", queryset=chairs, to_attr="chairs_in_office"))
    return qs.order_by(*sorted_by(sorts.get(sort, "name")))


def officer_list(
    *,
    user,
    q: str = "",
    federation: int | None = None,
    position: str = "",
    registration: str = "",
    current_only: bool = True,
) -> QuerySet[Officer]:
    qs = visible(Officer.objects.all(), user).select_related("person", "union", "union__federation")
    if current_only:
        qs = qs.filter(status=Officer.Status.ACTIVE)
    if q:
        words = normalise_query(q).split()
        for word in words:
            qs = qs.filter(
                Q(person__search_text__contains=word) | Q(union__search_text__contains=word)
            )
    if federation:
        qs = in_subtree(qs, federation, "union__federation__path")
    if position:
        qs = qs.filter(position=position)
    if registration:
        qs = qs.filter(registration=registration)
    return qs.annotate(position_rank=position_rank()).order_by(
        "union__federation__path", "union__name", "position_rank", "person__name", "id"
    )


def position_rank() -> Case:
    """Chair first, then vice chairs, committee members, audit and women's committees."""
    return Case(
        *[When(position=value, then=Value(rank)) for rank, value in enumerate(Position.values)],
        output_field=IntegerField(),
    )


def federations_for_filter(*, user) -> QuerySet[Federation]:
    """Federations the user may filter by: their subtree's townships, parks and counties."""
    return visible(Federation.objects.all(), user).order_by("path")


# The register's figures as the API has always answered them; every other figure (appeals,
# visits, standards) is in `statistics.figures.headline_figures`, which computes these too.
REGISTER_FIGURES = (
    "enterprises_operating",
    "unions_founded",
    "three_contracts_signed",
    "non_public_operating",
    "double_bright_compliant",
    "coverage_rate",
    "three_contracts_rate",
    "double_bright_rate",
)
# Appeals (issue 4): received by the federations of the subtree, the share of concluded
# appeals answered by their deadline, and the share of rated answers rated "satisfied".
APPEAL_FIGURES = ("appeals_received", "appeals_on_time_rate", "appeals_satisfaction_rate")

# The standards' figures (issue 5), from the same layer.
STANDARDS_FIGURES = ("standard_compliance_rate", "rectifications_open")


def stats_summary(
    *, user, federation: Federation | None = None, with_campaign: bool = True
) -> dict:
    """The headline figures of the register for the user's scope, optionally one subtree;
    with the campaign's figures unless `with_campaign` is off (the campaign measures its
    targets with this function, per place). Computed by the one figure layer
    (`shuangliang.statistics.figures`), so the API, the dashboard, the reports and the
    campaign's targets read the same numbers."""
    from shuangliang.statistics.figures import headline_figures

    computed = headline_figures(
        user=user, federation=federation, only=("enterprises", "appeals", "standards")
    )
    figures = {key: computed[key] for key in REGISTER_FIGURES + APPEAL_FIGURES + STANDARDS_FIGURES}
    if with_campaign:
        from shuangliang.campaign.selectors import campaign_figures

        figures.update(campaign_figures(user=user, federation=federation, register_figures=figures))
    return figures
