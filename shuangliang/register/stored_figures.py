"""Figures stored on the enterprise for the dashboard's counts, kept exact.

Whether an enterprise's union holds every counted contract kind (三項合同) signed and in force
is a lookup per kind and enterprise when derived (`selectors.three_contracts_q`); over a
province that is most of the dashboard's time. So it is stored on the enterprise:
`three_contracts_signed` (all kinds in force on the day written) and `three_contracts_until`
(the last day they all stay in force: per kind the latest expiry of its contracts in force,
the earliest of those; None when none expires). Counted today: signed and until >= today,
which equals the derived rule on every later day until the next change, so expiry needs no
job.

They are written by `refresh()`, one UPDATE over the enterprises concerned, never a loop
over rows:
- in the same transaction as every save or delete of a contract, a contract kind, an
  enterprise (its union may have changed) and a union (its enterprises are detached), by
  the signal receivers connected in `connect()`;
- by the bulk paths that skip signals (import, demo, generator) at their end;
- by `manage.py check_stored_figures --repair`, which first counts the enterprises whose
  stored values differ from the derived ones (`mismatches()`).
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


def refresh(enterprises: QuerySet | None = None, **models) -> int:
    """Write the stored values of `enterprises` (all when None); one UPDATE."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    values = derived(**models)
    return qs.update(
        three_contracts_signed=values["three_contracts_signed"],
        three_contracts_until=values["three_contracts_until"],
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
    """The enterprises whose stored values differ from those derived today."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    values = derived()
    qs = qs.alias(
        _signed=ExpressionWrapper(values["three_contracts_signed"], output_field=BooleanField()),
        _until=values["three_contracts_until"],
    )
    until_differs = (
        Q(three_contracts_until__isnull=True, _until__isnull=False)
        | Q(three_contracts_until__isnull=False, _until__isnull=True)
        | ~Q(three_contracts_until=F("_until"))
    )
    return qs.filter(
        Q(three_contracts_signed=True, _signed=False)
        | Q(three_contracts_signed=False, _signed=True)
        | (Q(_signed=True) & until_differs)
    )


# Signal receivers -----------------------------------------------------------------------


def _contract_saving(sender, instance: CollectiveContract, **kwargs) -> None:
    instance._stored_old_union_id = (
        CollectiveContract.objects.filter(pk=instance.pk).values_list("union_id", flat=True).first()
        if instance.pk
        else None
    )


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
    refresh(Enterprise.objects.filter(union_id__isnull=True, three_contracts_signed=True))


def connect() -> None:
    uid = "register.stored_figures"
    pre_save.connect(_contract_saving, sender=CollectiveContract, dispatch_uid=f"{uid}.c0")
    post_save.connect(_contract_changed, sender=CollectiveContract, dispatch_uid=f"{uid}.c1")
    post_delete.connect(_contract_changed, sender=CollectiveContract, dispatch_uid=f"{uid}.c2")
    post_save.connect(_kind_changed, sender=ContractKind, dispatch_uid=f"{uid}.k1")
    post_delete.connect(_kind_changed, sender=ContractKind, dispatch_uid=f"{uid}.k2")
    post_save.connect(_enterprise_saved, sender=Enterprise, dispatch_uid=f"{uid}.e1")
    post_delete.connect(_union_deleted, sender=Union, dispatch_uid=f"{uid}.u1")
