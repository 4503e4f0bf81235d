"""Reads of notices and model units: what a user may see and do, the public side, rankings,
and the notice as a document (`notice_document`)."""

from decimal import Decimal

from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.access import scope_for, visible
from shuangliang.register.models import Federation, Union

from .document import NoticeDocument, UnitLine
from .models import Designation, Notice, NoticeDelivery
from .results import grade_label

# Notices -----------------------------------------------------------------------------------


def notices_visible(*, user) -> QuerySet[Notice]:
    """The notices the user may see in the back office (their subtree's federations)."""
    return visible(Notice.objects.select_related("federation", "standard"), user)


def notice_can_change(*, user, notice: Notice) -> bool:
    return visible(Notice.objects.filter(pk=notice.pk), user, "change").exists()


def notice_can_review(*, user, notice: Notice) -> bool:
    """Staff of the issuing federation or above, or one of its leaders — never the person
    who drafted it (a notice is approved by a second pair of eyes)."""
    if user.pk == notice.prepared_by_id:
        return False
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(notice.federation.path.startswith(path) for path in scope.read_paths)


def notice_issuers(*, user) -> QuerySet[Federation]:
    """The federations the user may issue notices for: those they are staff of, and below."""
    return visible(Federation.objects.all(), user, "change").order_by("path")


def ranking_roots(*, user) -> QuerySet[Federation]:
    """The federations whose rankings the user starts from: those they are staff or a leader
    of (for a superuser, the top of the tree)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Federation.objects.filter(parent__isnull=True).order_by("path")
    return Federation.objects.filter(path__in=scope.read_paths).order_by("path")


def notices_published(*, federation: Federation) -> QuerySet[Notice]:
    """A federation's published notices, newest first (for its public page)."""
    return Notice.objects.filter(federation=federation, state=Notice.State.PUBLISHED).order_by(
        "-issued_on", "-number"
    )


def notice_public(*, federation: Federation, pk: int) -> Notice:
    """A published notice of that federation; DoesNotExist for anything else (drafts too)."""
    return Notice.objects.select_related("federation").get(
        federation=federation, pk=pk, state=Notice.State.PUBLISHED
    )


def inbox_for(*, user) -> QuerySet[NoticeDelivery]:
    """The notices delivered to the user's own unions."""
    union_ids = scope_for(user).union_ids
    return (
        NoticeDelivery.objects.filter(union_id__in=union_ids)
        .select_related("notice__federation", "union")
        .order_by("-delivered_at", "-id")
    )


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{Decimal(part * 100) / Decimal(whole):.1f}%"


def figures_paragraph(*, notice: Notice) -> str:
    """The paragraph of figures, in the active language, from the notice's frozen counts."""
    figures = notice.figures or {}
    grades = figures.get("grades", {})
    inspected = figures.get("inspected", 0)
    unions = figures.get("unions", 0)
    passing = grades.get("model", 0) + grades.get("qualified", 0)
    standard = notice.standard.name if notice.standard_id else _("the standard")
    return _(
        "In %(year)s, %(inspected)s of the %(unions)s unions under %(federation)s were "
        "inspected against “%(standard)s” (%(coverage)s). Grades: model %(model)s, "
        "qualified %(qualified)s, basically qualified %(basic)s, not qualified %(failed)s. "
        "The compliance rate (model or qualified) was %(rate)s and the model rate "
        "%(model_rate)s."
    ) % {
        "year": notice.year,
        "inspected": inspected,
        "unions": unions,
        "federation": notice.federation.name,
        "standard": standard,
        "coverage": _percent(inspected, unions),
        "model": grades.get("model", 0),
        "qualified": grades.get("qualified", 0),
        "basic": grades.get("basic", 0),
        "failed": grades.get("not_qualified", 0),
        "rate": _percent(passing, inspected),
        "model_rate": _percent(grades.get("model", 0), inspected),
    }


def _unit_lines(rows: list[dict]) -> list[UnitLine]:
    return [
        UnitLine(
            name=row.get("name", ""),
            township=row.get("township", ""),
            score=str(row.get("score", "")),
            grade=grade_label(row.get("grade", "")),
        )
        for row in rows
    ]


def notice_document(*, notice: Notice) -> NoticeDocument:
    """The notice as the plain data the PDF and the Word document are made from."""
    return NoticeDocument(
        organ=notice.federation.name,
        title=notice.title,
        document_number=notice.document_number,
        issued_on=notice.issued_on,
        figures=figures_paragraph(notice=notice),
        commended=_unit_lines(notice.commended),
        to_improve=_unit_lines(notice.to_improve),
        free_text=notice.free_text,
        is_draft=not notice.is_published,
    )


# Model units -------------------------------------------------------------------------------


def designations_visible(*, user) -> QuerySet[Designation]:
    return visible(
        Designation.objects.select_related("union__federation", "proposed_by", "decided_by"),
        user,
    )


def unions_proposable(*, user) -> QuerySet[Union]:
    """Unions the user may propose as model units: those of a township or park whose staff
    they are (a county decides, it does not propose)."""
    scope = scope_for(user)
    unions = Union.objects.select_related("federation").order_by("federation__path", "name", "pk")
    if scope.is_superuser:
        return unions
    townships = Federation.objects.filter(
        path__in=scope.staff_paths,
        level__in=[Federation.Level.TOWNSHIP, Federation.Level.PARK],
    )
    return unions.filter(federation__in=townships)


def designation_can_decide(*, user, designation: Designation) -> bool:
    """Staff of a federation above the union's township (the county, or higher) decide."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    township_path = designation.union.federation.path
    return any(
        township_path.startswith(path) and len(path) < len(township_path)
        for path in scope.staff_paths
    )


def designations_public(*, union: Union) -> list[Designation]:
    """The union's approved model-unit designations, newest year first (one query)."""
    return list(
        Designation.objects.filter(union=union, state=Designation.State.APPROVED)
        .order_by("-year")
        .only("year")
    )


class _YearList(Aggregate):
    """The years of a group as one comma-separated text, in no particular order."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def model_unit_years_subquery(union_ref: str = "pk") -> Subquery:
    """The years of the union's approved designations as one text column of an outer query
    (`union_ref` names the union's id there), so the union's public page reads them in the
    query that finds the page; `model_unit_years_parse` makes the list."""
    return Subquery(
        Designation.objects.filter(union=OuterRef(union_ref), state=Designation.State.APPROVED)
        .order_by()
        .values("union")
        .annotate(years=_YearList("year"))
        .values("years"),
        output_field=CharField(),
    )


def model_unit_years_parse(value: str | None) -> list[int]:
    """The years read by `model_unit_years_subquery`, newest first (as designations_public)."""
    return sorted((int(year) for year in value.split(",")), reverse=True) if value else []


def current_year() -> int:
    return timezone.localdate().year
