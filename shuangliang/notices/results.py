"""Inspection results of the standards app, read for rankings and notices.

The one place this app reads the standards app: a union's result is what
`standards.selectors` says it is (its latest inspector's check of the year under a
standard); here it becomes a `ranking.UnionResult` with the tie-break's facts added — open
rectifications and the date of the check — and the industry and ownership of the union's
first enterprise (by name; a joint union covers several).
"""

from django.db.models import Count
from django.utils import timezone

from shuangliang.core.access import visible
from shuangliang.register.models import Enterprise, Federation
from shuangliang.standards import selectors as standards
from shuangliang.standards.models import PASSING_GRADES, Grade, Rectification, Standard

from .ranking import UnionResult

GRADES = tuple(Grade)


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else "—"


def standards_choosable(*, user):
    """The standards a ranking may be made under: those the user may see."""
    return standards.standards_visible(user=user)


def default_standard(*, federation: Federation) -> Standard | None:
    """The standard in force for the federation (its own, or the nearest one above)."""
    applicable = standards.standards_applicable(federation=federation)
    return applicable[0] if applicable else None


def union_results(
    *, federation: Federation, year: int, standard: Standard | None, user=None
) -> list[UnionResult]:
    """The results of the subtree for the year under `standard`, in no particular order
    (three queries)."""
    rows = standards.union_results(federation=federation, year=year, standard=standard, user=user)
    union_ids = [row.union_id for row in rows]
    rectifications = Rectification.objects.filter(
        union_id__in=union_ids, state=Rectification.State.OPEN
    )
    if user is not None:
        rectifications = visible(rectifications, user)
    open_counts = dict(
        rectifications.values("union_id").annotate(n=Count("pk")).values_list("union_id", "n")
    )
    first_enterprise: dict[int, tuple[str, str]] = {}
    enterprises = (
        Enterprise.objects.filter(union_id__in=union_ids)
        .order_by("union_id", "name", "pk")
        .values_list("union_id", "industry", "ownership")
    )
    for union_id, industry, ownership in enterprises:
        first_enterprise.setdefault(union_id, (industry, ownership))
    out = []
    for row in rows:
        industry, ownership = first_enterprise.get(row.union_id, ("", ""))
        out.append(
            UnionResult(
                union_id=row.union_id,
                name=row.union.name,
                township=row.union.federation.name,
                industry=industry,
                ownership=ownership,
                score=row.percent,
                grade=row.grade,
                open_rectifications=open_counts.get(row.union_id, 0),
                inspected_on=timezone.localdate(row.submitted_at),
            )
        )
    return out


def results_figures(*, federation: Federation, year: int, standard: Standard | None, user=None):
    """{"unions": unions of the subtree, "inspected": unions with a result, "grades":
    {grade: count}} for the notice's paragraph of figures."""
    counts = standards.inspected_counts(
        federation=federation, year=year, standard=standard, user=user
    )
    grades = standards.grade_distribution(
        federation=federation, year=year, standard=standard, user=user
    )
    return {
        "unions": counts["unions_in_subtree"],
        "inspected": sum(grades.values()),
        "grades": {str(grade): grades.get(grade, 0) for grade in Grade.values},
    }


def is_passing(grade: str) -> bool:
    return grade in PASSING_GRADES
