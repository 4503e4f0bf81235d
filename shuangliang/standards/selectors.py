"""Reads of the standards app: which standard applies where, the form of an inspection,
draws and pairings, and the results that rankings, model units and notices build on.

Results (for other apps: rankings, model units, notices)
--------------------------------------------------------
A union's *result* under a standard for a year is its latest submitted inspection by an
inspector (spot, mutual or supervisory check — never a self-check) of that year under any
version of the standard. `union_results` returns those rows; `grade_distribution` and
`inspected_counts` count them. Each takes `federation` (a subtree), `year`, optionally
`standard`, and optionally `user` (then only what the user may see). Every function is a
fixed number of queries whatever the size of the subtree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import FOCUS_TAGS, Enterprise, Federation, Union

from . import results, sampling
from .models import (
    PASSING_GRADES,
    Answer,
    Grade,
    Inspection,
    InspectionRound,
    Item,
    Rectification,
    Section,
    Standard,
    StandardVersion,
)

INSPECTOR_KINDS = results.INSPECTOR_KINDS


# Standards --------------------------------------------------------------------------------


def standards_visible(*, user) -> QuerySet[Standard]:
    """The standards the user may see (their subtree's and those they inherit)."""
    return visible(Standard.objects.select_related("federation"), user).order_by(
        "federation__path", "name", "pk"
    )


def version_latest_published(*, standard: Standard) -> StandardVersion | None:
    return (
        standard.versions.filter(state=StandardVersion.State.PUBLISHED).order_by("-number").first()
    )


def version_shown(*, standard: Standard) -> StandardVersion | None:
    """The draft when there is one, else the latest published version."""
    return standard.versions.order_by("state", "-number").first()  # "draft" < "published"


def standards_applicable(*, federation: Federation) -> list[Standard]:
    """The standards in force for a federation: its own published standards, or else those
    of the nearest federation above it that has any (a lower federation inherits)."""
    paths = [federation.path[:end] for end in range(len(federation.path), 0, -7)]
    published = StandardVersion.objects.filter(
        standard=OuterRef("pk"), state=StandardVersion.State.PUBLISHED
    )
    standards = list(
        Standard.objects.filter(federation__path__in=paths)
        .filter(Exists(published))
        .select_related("federation")
        .order_by("-federation__depth", "name", "pk")
    )
    if not standards:
        return []
    nearest = standards[0].federation_id
    return [s for s in standards if s.federation_id == nearest]


def versions_applicable(*, union: Union) -> list[StandardVersion]:
    """The latest published version of each standard in force for the union's federation."""
    out = []
    for standard in standards_applicable(federation=union.federation):
        version = version_latest_published(standard=standard)
        if version is not None:
            out.append(version)
    return out


@dataclass
class SectionRows:
    section: Section
    rows: list = field(default_factory=list)


def version_outline(*, version: StandardVersion) -> list[SectionRows]:
    """The version's sections with their items, in order (two queries)."""
    sections = version.sections.prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("position", "pk"))
    )
    return [SectionRows(section, list(section.items.all())) for section in sections]


# Inspections ------------------------------------------------------------------------------


INSPECTION_LIST_ORDER = ("-year", "state", "-updated_at", "-pk")


def inspection_rows() -> QuerySet[Inspection]:
    """Inspections with what their lists show; unscoped: a page's rows once their keys were
    chosen from inspections_visible (KeysFirstPaginator's `rows`)."""
    return Inspection.objects.select_related(
        "union__federation", "version__standard", "inspector", "inspector_union", "round"
    )


def inspections_visible(*, user) -> QuerySet[Inspection]:
    """Inspections the user may see, with what their lists show."""
    return visible(inspection_rows(), user)


def inspections_to_do(*, user) -> QuerySet[Inspection]:
    """Drafts the user is the one to fill in: their own union's self-checks, checks assigned
    to them, and mutual checks their union makes."""
    scope = scope_for(user)
    q = Q(inspector_id=user.pk)
    if scope.union_ids:
        q |= Q(kind=Inspection.Kind.SELF, union_id__in=scope.union_ids)
        q |= Q(inspector_union_id__in=scope.union_ids)
    return inspections_visible(user=user).filter(q, state=Inspection.State.DRAFT)


@dataclass
class FormRow:
    item: Item
    answer: Answer | None
    evidence: list


def inspection_form(*, inspection: Inspection) -> list[SectionRows]:
    """The sections of the inspection's version with each item, its answer and evidence
    (four queries whatever the number of items)."""
    answers = {a.item_id: a for a in inspection.answers.prefetch_related("evidence").order_by("pk")}
    out = []
    for block in version_outline(version=inspection.version):
        rows = []
        for item in block.rows:
            answer = answers.get(item.pk)
            rows.append(FormRow(item, answer, list(answer.evidence.all()) if answer else []))
        out.append(SectionRows(block.section, rows))
    return out


def self_check_for(*, inspection: Inspection) -> Inspection | None:
    """The union's submitted self-check of the same year under the same standard."""
    if inspection.kind == Inspection.Kind.SELF:
        return None
    return (
        Inspection.objects.filter(
            kind=Inspection.Kind.SELF,
            union_id=inspection.union_id,
            year=inspection.year,
            version__standard_id=inspection.version.standard_id,
            state=Inspection.State.SUBMITTED,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )


def self_check_percent_subquery() -> Subquery:
    """For annotating inspections: the percentage of the union's latest submitted self-check
    of the same year and standard."""
    return Subquery(
        Inspection.objects.filter(
            kind=Inspection.Kind.SELF,
            union_id=OuterRef("union_id"),
            year=OuterRef("year"),
            version__standard_id=OuterRef("version__standard_id"),
            state=Inspection.State.SUBMITTED,
        )
        .order_by("-submitted_at", "-pk")
        .values("percent")[:1]
    )


def with_gap(inspections: list[Inspection]) -> list[Inspection]:
    """Set `.gap` (inspector's percentage minus the self-check's) where both are known."""
    for inspection in inspections:
        own = getattr(inspection, "self_percent", None)
        inspection.gap = (
            inspection.percent - own if own is not None and inspection.percent is not None else None
        )
    return inspections


# Draws and pairings -----------------------------------------------------------------------


def union_candidates(*, federation: Federation) -> list[sampling.Candidate]:
    """Every union of the subtree, with its township and whether it is a focus union (one of
    its enterprises carries a focus tag) or has never had an inspector's check."""
    focus_q = Q()
    for tag in FOCUS_TAGS:
        focus_q |= Q(**{tag: True})
    focus = Enterprise.objects.filter(focus_q, union_id=OuterRef("pk"))
    inspected = Inspection.objects.filter(
        union_id=OuterRef("pk"), kind__in=INSPECTOR_KINDS, state=Inspection.State.SUBMITTED
    )
    rows = (
        Union.objects.filter(federation__path__startswith=federation.path)
        .annotate(_focus=Exists(focus), _inspected=Exists(inspected))
        .values_list("pk", "federation_id", "_focus", "_inspected")
        .order_by("pk")
    )
    return [
        sampling.Candidate(pk, township, bool(is_focus), not was_inspected)
        for pk, township, is_focus, was_inspected in rows
    ]


@dataclass
class Draw:
    union_ids: list[int]
    pairs: list[tuple[int, int]]
    candidates: int


def round_draw(*, federation: Federation, kind: str, seed: str, params: dict) -> Draw:
    """The unions a round would take (or, for a mutual check, its pairs), from the seed and
    the parameters: {"mode": "percent"|"number", "value": …, "weight": …} for a draw,
    {"allow_same_township": bool} for pairing. Raises sampling.PairingError / ValueError."""
    candidates = union_candidates(federation=federation)
    if kind == InspectionRound.Kind.MUTUAL:
        pairs = sampling.pair_unions(
            candidates, seed=seed, allow_same_township=bool(params.get("allow_same_township"))
        )
        return Draw([b for _, b in pairs], pairs, len(candidates))
    value = params.get("value")
    if params.get("mode") == "number":
        drawn = sampling.draw_sample(
            candidates, seed=seed, number=int(value), weight=params.get("weight", "none")
        )
    else:
        drawn = sampling.draw_sample(
            candidates, seed=seed, percent=Decimal(str(value)), weight=params.get("weight", "none")
        )
    return Draw(drawn, [], len(candidates))


def unions_by_id(ids) -> dict[int, Union]:
    return Union.objects.select_related("federation").in_bulk(list(ids))


# Results (the interface for rankings, model units and notices) -------------------------------


def results_queryset(
    *,
    year: int,
    federation: Federation | None = None,
    standard: Standard | None = None,
    user=None,
    as_of: datetime.date | None = None,
) -> QuerySet[Inspection]:
    """The result rows (see the module docstring) as an unevaluated queryset, for callers
    that aggregate further. `as_of` counts only what was submitted by that day."""
    qs = Inspection.objects.filter(
        year=year, kind__in=INSPECTOR_KINDS, state=Inspection.State.SUBMITTED
    )
    if as_of is not None:
        qs = qs.filter(submitted_at__date__lte=as_of)
    if federation is not None:
        qs = qs.filter(union__federation__path__startswith=federation.path)
    if standard is not None:
        qs = qs.filter(version__standard=standard)
    if user is not None:
        qs = visible(qs, user)
    if as_of is None:
        return qs.filter(is_result=True)  # stored (see results)
    return qs.filter(pk=results.latest_result_pk(year, as_of=as_of))


def union_results_queryset(
    *,
    federation: Federation,
    year: int,
    standard: Standard | None = None,
    user=None,
    grade: str | None = None,
) -> QuerySet[Inspection]:
    """The result of each union of the subtree for the year (one per union and standard),
    of one grade when given, best first (percentage, then fewer failed mandatory items, then
    union name). Each row carries `union` (with `federation`), `version` (with `standard`),
    `percent`, `grade`, `mandatory_failed`, `submitted_at` and `self_percent` (its
    self-check, or None); `with_gap` adds the gap to the rows read."""
    qs = results_queryset(year=year, federation=federation, standard=standard, user=user)
    if grade:
        qs = qs.filter(grade=grade)
    return (
        qs.select_related("union__federation", "version__standard")
        .annotate(self_percent=self_check_percent_subquery())
        .order_by("-percent", "mandatory_failed", "union__name", "union_id")
    )


def union_results(
    *,
    federation: Federation,
    year: int,
    standard: Standard | None = None,
    user=None,
) -> list[Inspection]:
    """Every row of `union_results_queryset`, with the gap to the self-check."""
    return with_gap(
        list(union_results_queryset(federation=federation, year=year, standard=standard, user=user))
    )


def grade_distribution(
    *,
    federation: Federation,
    year: int,
    standard: Standard | None = None,
    user=None,
) -> dict[str, int]:
    """{grade: number of results} for every grade (zero included), model first."""
    rows = (
        results_queryset(year=year, federation=federation, standard=standard, user=user)
        .values("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = {row["grade"]: row["n"] for row in rows}
    return {grade: counted.get(grade, 0) for grade in Grade.values}


def inspected_counts(
    *,
    federation: Federation,
    year: int,
    standard: Standard | None = None,
    user=None,
) -> dict[str, int]:
    """{"unions": unions with a result, "results": results, "passing": results graded
    model or qualified, "inspections": submitted inspector's checks, "self_checks":
    submitted self-checks, "unions_in_subtree": unions of the subtree} for the year."""
    base = Inspection.objects.filter(
        year=year,
        state=Inspection.State.SUBMITTED,
        union__federation__path__startswith=federation.path,
    )
    if standard is not None:
        base = base.filter(version__standard=standard)
    if user is not None:
        base = visible(base, user)
    totals = base.aggregate(
        inspections=Count("pk", filter=Q(kind__in=INSPECTOR_KINDS)),
        self_checks=Count("pk", filter=Q(kind=Inspection.Kind.SELF)),
    )
    results = results_queryset(year=year, federation=federation, standard=standard, user=user)
    counted = results.aggregate(
        unions=Count("union_id", distinct=True),
        results=Count("pk"),
        passing=Count("pk", filter=Q(grade__in=PASSING_GRADES)),
    )
    unions = Union.objects.filter(federation__path__startswith=federation.path)
    if user is not None:
        unions = visible(unions, user)
    return {**counted, **totals, "unions_in_subtree": unions.count()}


# Rectifications ---------------------------------------------------------------------------


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(state=Rectification.State.OPEN, deadline__lt=today or timezone.localdate())


RECTIFICATION_LIST_ORDER = ("state", "deadline", "pk")


def rectification_rows() -> QuerySet[Rectification]:
    """Rectifications with what their list shows; unscoped (see inspection_rows)."""
    return Rectification.objects.select_related("union__federation", "item", "inspection")


def rectifications_visible(*, user) -> QuerySet[Rectification]:
    return visible(rectification_rows(), user)


def rectification_counts(*, user, federation: Federation | None = None) -> dict[str, int]:
    qs = visible(Rectification.objects.all(), user)
    if federation is not None:
        qs = qs.filter(union__federation__path__startswith=federation.path)
    return qs.aggregate(
        open=Count("pk", filter=Q(state=Rectification.State.OPEN)),
        overdue=Count("pk", filter=overdue_q()),
        closed=Count("pk", filter=Q(state=Rectification.State.CLOSED)),
        verified=Count("pk", filter=Q(state=Rectification.State.VERIFIED)),
    )


def inspector_choices(*, inspection_round: InspectionRound):
    """People who may be named inspectors of a round: staff and assigned cadres of the
    round's federation, of the federations below it and of those above it."""
    from django.contrib.auth import get_user_model

    from shuangliang.core.models import Membership

    path = inspection_round.federation.path
    ancestors = [path[:end] for end in range(7, len(path) + 1, 7)]
    members = Membership.objects.filter(
        is_active=True,
        role__in=[Membership.Role.FEDERATION_STAFF, Membership.Role.ASSIGNED_CADRE],
    ).filter(Q(federation__path__startswith=path) | Q(federation__path__in=ancestors))
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )
