"""The standards' provider of the figure layer (shuangliang.statistics.figures), and its
tallies (shuangliang.statistics.tallies).

- standard_assessed: results of the year (see selectors.results_queryset: a union's latest
  inspector's check per standard), counted by the union's federation;
- standard_compliant: those graded model or qualified (standard_compliance_rate is their
  share, derived by the layer);
- standard_model, standard_qualified, standard_basic, standard_not_qualified: those of each
  grade (the dashboard's grade chart, the report's columns);
- rectifications_open / rectifications_overdue: open now, and past their deadline (None for
  a past day: the states of a past day are not kept).

Today's figures of a whole node are summed from two tallies per federation of the union:
results per year and grade, and open rectifications per deadline. Their rows are rewritten
with every save and delete of an inspection (after `results` rewrote the stored result
flags) and of a rectification, and for both federations when a union moves (or for its
federation when it is deleted, with its inspections and rectifications).
"""

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from shuangliang.core.previous import previous_value
from shuangliang.register.models import Union
from shuangliang.statistics import figures as layer
from shuangliang.statistics import tallies

from .models import PASSING_GRADES, Grade, Inspection, Rectification
from .selectors import overdue_q, results_queryset

RESULT_KEYS = ("standard_assessed", "standard_compliant", *layer.GRADE_FIGURE_KEYS)
KEYS = (*RESULT_KEYS, "rectifications_open", "rectifications_overdue")


def _merge(results: dict, tasks: dict) -> dict[Any, dict]:
    out = results
    for key, counts in tasks.items():
        out.setdefault(key, dict.fromkeys(RESULT_KEYS, 0)).update(counts)
    for counts in out.values():
        counts.setdefault("rectifications_open", 0)
        counts.setdefault("rectifications_overdue", 0)
    return out


def _result_counts() -> dict:
    return {
        "standard_assessed": Count("pk"),
        "standard_compliant": Count("pk", filter=Q(grade__in=PASSING_GRADES)),
        **{f"standard_{grade}": Count("pk", filter=Q(grade=grade)) for grade in Grade.values},
    }


def standards_provider(query: layer.Query, dimension: str) -> dict[Any, dict] | None:
    """Results (in all and per grade) and rectifications of the place, grouped by the
    union's federation."""
    if dimension not in (layer.ALL, layer.PLACE):
        return None
    if tallies.usable(query):
        return _from_tallies(query, None if dimension == layer.ALL else "federation_id")
    field = None if dimension == layer.ALL else "union__federation_id"
    out = layer.grouped(_results(query), field, _result_counts())
    if query.as_of is not None:
        for counts in out.values():
            counts.update(rectifications_open=None, rectifications_overdue=None)
        return out
    rectifications = layer.scoped(Rectification.objects.all(), query, "union__federation__path")
    tasks = layer.grouped(
        rectifications,
        field,
        {
            "rectifications_open": Count("pk", filter=Q(state=Rectification.State.OPEN)),
            "rectifications_overdue": Count("pk", filter=overdue_q(query.day)),
        },
    )
    return _merge(out, tasks)


def _results(query: layer.Query):
    return results_queryset(
        year=query.day.year, federation=query.root, user=query.user, as_of=query.as_of
    )


# Tallies ----------------------------------------------------------------------------------

RESULT_TALLY = tallies.TallySpec(
    tally="statistics.ResultTally",
    source=lambda apps: apps.get_model("standards", "Inspection").objects.filter(is_result=True),
    federation_field="union__federation_id",
    key_expressions=lambda: {"year": F("year"), "grade": F("grade")},
    counts=lambda: {
        "assessed": Count("pk"),
        "compliant": Count("pk", filter=Q(grade__in=PASSING_GRADES)),
    },
)
RECTIFICATION_TALLY = tallies.TallySpec(
    tally="statistics.RectificationTally",
    source=lambda apps: apps.get_model("standards", "Rectification").objects.filter(
        state=Rectification.State.OPEN
    ),
    federation_field="union__federation_id",
    key_expressions=lambda: {"deadline": F("deadline")},
    counts=lambda: {"open": Count("pk")},
)


def _results_from_tally(query: layer.Query, group: str | None) -> dict[Any, dict]:
    from shuangliang.statistics.models import ResultTally

    results = ResultTally.objects.filter(year=query.day.year)
    if query.root is not None:
        results = results.filter(federation__path__startswith=query.root.path)
    return layer.grouped(
        results,
        group,
        {
            "standard_assessed": Coalesce(Sum("assessed"), 0),
            "standard_compliant": Coalesce(Sum("compliant"), 0),
            **{
                f"standard_{grade}": Coalesce(Sum("assessed", filter=Q(grade=grade)), 0)
                for grade in Grade.values
            },
        },
    )


def _from_tallies(query: layer.Query, group: str | None) -> dict[Any, dict]:
    from shuangliang.statistics.models import RectificationTally

    tasks = RectificationTally.objects.all()
    if query.root is not None:
        tasks = tasks.filter(federation__path__startswith=query.root.path)
    out = _results_from_tally(query, group)
    counted = layer.grouped(
        tasks,
        group,
        {
            "rectifications_open": Coalesce(Sum("open"), 0),
            "rectifications_overdue": Coalesce(Sum("open", filter=Q(deadline__lt=query.day)), 0),
        },
    )
    return _merge(out, counted)


def _federations_of(union_ids) -> set[int]:
    return set(Union.objects.filter(pk__in=union_ids).values_list("federation_id", flat=True))


def _inspection_changed(sender, instance: Inspection, **kwargs) -> None:
    # Connected after results' receivers: the stored result flags are already rewritten.
    if kwargs.get("raw") or instance.kind == Inspection.Kind.SELF:
        return
    if instance.state == Inspection.State.SUBMITTED:
        tallies.refresh(RESULT_TALLY, _federations_of([instance.union_id]))


def _rectification_changed(sender, instance: Rectification, **kwargs) -> None:
    if not kwargs.get("raw"):
        tallies.refresh(RECTIFICATION_TALLY, _federations_of([instance.union_id]))


def _union_saving(sender, instance: Union, **kwargs) -> None:
    instance._tally_old_federation_id = previous_value(instance, "federation_id")


def _union_saved(sender, instance: Union, created: bool = False, **kwargs) -> None:
    old = getattr(instance, "_tally_old_federation_id", None)
    if kwargs.get("raw") or created or old == instance.federation_id:
        return
    for spec in (RESULT_TALLY, RECTIFICATION_TALLY):
        tallies.refresh(spec, {old, instance.federation_id})


def _union_deleted(sender, instance: Union, **kwargs) -> None:
    for spec in (RESULT_TALLY, RECTIFICATION_TALLY):
        tallies.refresh(spec, {instance.federation_id})


def install() -> None:
    layer.register_provider("standards", standards_provider, KEYS)
    tallies.register("results", RESULT_TALLY)
    tallies.register("rectifications", RECTIFICATION_TALLY)
    uid = "standards.tallies"
    post_save.connect(_inspection_changed, sender=Inspection, dispatch_uid=f"{uid}.i1")
    post_delete.connect(_inspection_changed, sender=Inspection, dispatch_uid=f"{uid}.i2")
    post_save.connect(_rectification_changed, sender=Rectification, dispatch_uid=f"{uid}.r1")
    post_delete.connect(_rectification_changed, sender=Rectification, dispatch_uid=f"{uid}.r2")
    pre_save.connect(_union_saving, sender=Union, dispatch_uid=f"{uid}.u0")
    post_save.connect(_union_saved, sender=Union, dispatch_uid=f"{uid}.u1")
    post_delete.connect(_union_deleted, sender=Union, dispatch_uid=f"{uid}.u2")
