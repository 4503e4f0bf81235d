"""Figures stored on the enterprise for the dashboard's counts, kept exact.

Derived per enterprise, the three contracts (三項合同: a lookup per counted kind) and Double
Bright compliance (the union, its status and its officers' newest change) were most of a
province dashboard's time. So both are stored on the enterprise, each as a flag and the day
it stops holding without any write:
- `three_contracts_signed` (every counted kind signed and in force on the day written) and
  `three_contracts_until` (per kind the latest expiry of its contracts in force, the
  earliest of those; None when none expires); counted while until >= today;
- `double_bright_compliant` (`doublebright.compliance.compliant_q` on the day written) and
  `double_bright_changes_on` (the earliest officer change dated after that day: once in
  effect it always counts against the submission); counted while changes_on > today.
So a later day counts exactly as the derived rules (and the lists behind the numbers) do,
and expiry or a future-dated officer change needs no job.

They are written by `refresh()`, one UPDATE over the enterprises concerned, never a loop
over rows:
- in the same transaction as every save or delete of a contract, a contract kind, an
  enterprise (its union may have changed), a union (office address; its enterprises are
  detached when it is deleted), an officer and a Double Bright status, by the signal
  receivers connected in `connect()` (after `officer_changes`' own, which run first);
- by the bulk paths that skip signals (import, demo, generator) at their end;
- by `manage.py check_stored_figures --repair`, which first counts the enterprises whose
  stored values count otherwise than the derived ones (`mismatches()`).
A queryset `.update()` of those rows skips signals too: nothing in the application writes
them that way.
"""

import datetime

from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from shuangliang.core.previous import previous_value

from .models import SIGNED_STEPS, CollectiveContract, ContractKind, Enterprise, Union

NO_EXPIRY = datetime.date(9999, 12, 31)


def _in_force(kind_id: int, day: datetime.date, contracts=CollectiveContract) -> QuerySet:
    return contracts.objects.filter(
        union_id=OuterRef("union_id"), kind_id=kind_id, step__in=SIGNED_STEPS
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))


def derived(
    day: datetime.date | None = None, *, contracts=CollectiveContract, kinds=ContractKind
) -> dict:
    """The stored values as expressions over enterprises, derived from the contracts (the
    models can be a migration's historical ones)."""
    day = day or timezone.localdate()
    kind_ids = list(kinds.objects.filter(counts_for_three=True).values_list("pk", flat=True))
    if not kind_ids:
        return {"three_contracts_signed": Value(False), "three_contracts_until": Value(None)}
    signed = Q()
    lasts = []
    for kind_id in kind_ids:
        signed &= Q(Exists(_in_force(kind_id, day, contracts)))
        # The latest expiry of the kind's contracts in force (no expiry counts as the latest).
        lasts.append(
            Subquery(
                _in_force(kind_id, day, contracts)
                .annotate(_last=Coalesce("expires_on", Value(NO_EXPIRY)))
                .order_by("-_last")
                .values("_last")[:1],
                output_field=DateField(),
            )
        )
    until = lasts[0] if len(lasts) == 1 else Least(*lasts)
    return {
        "three_contracts_signed": signed,
        "three_contracts_until": NullIf(Coalesce(until, Value(NO_EXPIRY)), Value(NO_EXPIRY)),
    }


def derived_double_bright(day: datetime.date | None = None) -> dict:
    """Double Bright compliance as expressions over enterprises (`compliant_q`, the rule of
    the coverage list), and the day the earliest officer change dated after `day` takes
    effect: the only way compliance changes without a write (a change in effect after the
    submission always counts, so it can only end it)."""
    from shuangliang.doublebright.compliance import compliant_q

    from .models import Officer

    day = day or timezone.localdate()
    compliant = Exists(Union.objects.filter(pk=OuterRef("union_id")).filter(compliant_q()))
    officers = Officer.objects.filter(union_id=OuterRef("union_id"))
    appointed = officers.filter(term_start__gt=day).order_by("term_start").values("term_start")[:1]
    left = (
        officers.filter(ended_on__gt=day)
        .exclude(status=Officer.Status.ACTIVE)
        .order_by("ended_on")
        .values("ended_on")[:1]
    )
    first = Least(
        Coalesce(Subquery(appointed, output_field=DateField()), Value(NO_EXPIRY)),
        Coalesce(Subquery(left, output_field=DateField()), Value(NO_EXPIRY)),
    )
    return {
        "double_bright_compliant": compliant,
        "double_bright_changes_on": NullIf(first, Value(NO_EXPIRY)),
    }


def refresh(enterprises: QuerySet | None = None, *, double_bright: bool = True, **models) -> int:
    """Write the stored values of `enterprises` (all when None); one UPDATE. A migration
    passes its historical models and leaves Double Bright to its own migration."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    values = derived(**models)
    if double_bright:
        values.update(derived_double_bright())
    return qs.update(**values)


def stored_double_bright_q(day: datetime.date | None = None) -> Q:
    """For enterprises: the union is Double Bright compliant on `day` (today), by the
    stored values."""
    day = day or timezone.localdate()
    return Q(double_bright_compliant=True) & (
        Q(double_bright_changes_on__isnull=True) | Q(double_bright_changes_on__gt=day)
    )


def stored_q(day: datetime.date | None = None, prefix: str = "") -> Q:
    """For enterprises: the union holds the three contracts on `day` (today), by the stored
    values."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}three_contracts_signed": True}) & (
        Q(**{f"{prefix}three_contracts_until__isnull": True})
        | Q(**{f"{prefix}three_contracts_until__gte": day})
    )


def mismatches(enterprises: QuerySet | None = None) -> QuerySet:
    """The enterprises whose stored values count otherwise than the derived ones today, or
    would on a later day (held by both, but until a different day)."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    values = {**derived(), **derived_double_bright()}
    qs = qs.alias(
        _signed=ExpressionWrapper(values["three_contracts_signed"], output_field=BooleanField()),
        _until=values["three_contracts_until"],
        _bright=ExpressionWrapper(values["double_bright_compliant"], output_field=BooleanField()),
        _changes_on=values["double_bright_changes_on"],
    )

    def differ(field: str, alias: str) -> Q:
        return (
            Q(**{f"{field}__isnull": True, f"{alias}__isnull": False})
            | Q(**{f"{field}__isnull": False, f"{alias}__isnull": True})
            | (
                Q(**{f"{field}__isnull": False, f"{alias}__isnull": False})
                & ~Q(**{field: F(alias)})
            )
        )

    three, bright = stored_q(), stored_double_bright_q()
    return qs.filter(
        (three & Q(_signed=False))
        | (~three & Q(_signed=True))
        | (three & differ("three_contracts_until", "_until"))
        | (bright & Q(_bright=False))
        | (~bright & Q(_bright=True))
        | (bright & differ("double_bright_changes_on", "_changes_on"))
    )


# Signal receivers -----------------------------------------------------------------------


def _contract_saving(sender, instance: CollectiveContract, **kwargs) -> None:
    instance._stored_old_union_id = previous_value(instance, "union_id")


def _contract_changed(sender, instance: CollectiveContract, **kwargs) -> None:
    union_ids = {instance.union_id, getattr(instance, "_stored_old_union_id", None)} - {None}
    refresh(Enterprise.objects.filter(union_id__in=union_ids))


def _kind_changed(sender, instance: ContractKind, **kwargs) -> None:
    refresh()  # which kinds count changed (rare: the admin)


def _enterprise_saved(sender, instance: Enterprise, created: bool = False, **kwargs) -> None:
    """An enterprise saved with its union possibly changed: its own stored values."""
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"union", "union_id"} & set(update_fields):
        return
    if created and instance.union_id is None:
        return
    refresh(Enterprise.objects.filter(pk=instance.pk))


def _union_deleted(sender, instance: Union, **kwargs) -> None:
    # Its enterprises were detached (SET NULL, without signals).
    refresh(
        Enterprise.objects.filter(union_id__isnull=True).filter(
            Q(three_contracts_signed=True) | Q(double_bright_compliant=True)
        )
    )


def _union_saved(sender, instance: Union, **kwargs) -> None:
    """Its office address (and what else compliance reads of the union) may have changed."""
    if kwargs.get("raw") or kwargs.get("created"):
        return
    refresh(Enterprise.objects.filter(union_id=instance.pk))


def _of_union_saving(sender, instance, **kwargs) -> None:
    instance._stored_old_union_id = previous_value(instance, "union_id")


def _of_union_changed(sender, instance, **kwargs) -> None:
    """A Double Bright status or an officer written: the enterprises of its union (and of
    the union it left)."""
    if kwargs.get("raw"):
        return
    union_ids = {instance.union_id, getattr(instance, "_stored_old_union_id", None)} - {None}
    refresh(Enterprise.objects.filter(union_id__in=union_ids))


def connect() -> None:
    uid = "register.stored_figures"
    pre_save.connect(_contract_saving, sender=CollectiveContract, dispatch_uid=f"{uid}.c0")
    post_save.connect(_contract_changed, sender=CollectiveContract, dispatch_uid=f"{uid}.c1")
    post_delete.connect(_contract_changed, sender=CollectiveContract, dispatch_uid=f"{uid}.c2")
    post_save.connect(_kind_changed, sender=ContractKind, dispatch_uid=f"{uid}.k1")
    post_delete.connect(_kind_changed, sender=ContractKind, dispatch_uid=f"{uid}.k2")
    post_save.connect(_enterprise_saved, sender=Enterprise, dispatch_uid=f"{uid}.e1")
    post_delete.connect(_union_deleted, sender=Union, dispatch_uid=f"{uid}.u1")
    post_save.connect(_union_saved, sender=Union, dispatch_uid=f"{uid}.u2")
    from shuangliang.doublebright.models import DoubleBrightStatus

    from .models import Officer

    for model, name in ((DoubleBrightStatus, "s"), (Officer, "o")):
        # Connected after register.officer_changes, whose receivers keep the union's newest
        # officer change that compliance reads: they run first.
        pre_save.connect(_of_union_saving, sender=model, dispatch_uid=f"{uid}.{name}0")
        post_save.connect(_of_union_changed, sender=model, dispatch_uid=f"{uid}.{name}1")
        post_delete.connect(_of_union_changed, sender=model, dispatch_uid=f"{uid}.{name}2")
