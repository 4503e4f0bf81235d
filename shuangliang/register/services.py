"""Writes to the register. Every write validates through the model, saves and logs, in one
transaction; views, imports, the admin and the API all come through here."""

import datetime

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.core.images import clean_image, sniff_image_type

from .models import (
    CONTRACT_STEP_ORDER,
    CollectiveContract,
    ContractKind,
    ContractStep,
    ContractStepRecord,
    Enterprise,
    Officer,
    Person,
    Union,
)


class RegisterError(Exception):
    """A domain rule refused the write; the message is for the user."""


def _editable_fields(model: type[Model]) -> list[str]:
    return [
        f.attname if f.is_relation else f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _create(model: type[Model], *, actor, data: dict, action: str, exclude_validation=()) -> Model:
    obj = model(**data)
    obj.full_clean(exclude=list(exclude_validation))
    obj.save()
    log_action(obj, action, actor=actor, data={"created": snapshot(obj, _logged_fields(obj))})
    return obj


def _update(obj: Model, *, actor, data: dict, action: str) -> Model:
    fields = _logged_fields(obj)
    # Read the stored row: a ModelForm's validation has already written into `obj`.
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    diff = changes(before, snapshot(obj, fields))
    if not diff:
        return obj
    update_fields = [name for name in data if name in diff or name.endswith("_id")]
    update_fields += [n for n in ("search_text", "updated_at", "expires_on") if hasattr(obj, n)]
    obj.save(update_fields=sorted(set(update_fields)))
    log_action(obj, action, actor=actor, data={"changes": diff})
    return obj


def _logged_fields(obj: Model) -> list[str]:
    return [name for name in _editable_fields(type(obj)) if name != "search_text"]


def _delete(obj: Model, *, actor, action: str) -> None:
    log_action(obj, action, actor=actor, data={"deleted": snapshot(obj, _logged_fields(obj))})
    obj.delete()


@transaction.atomic
def enterprise_create(*, actor, data: dict) -> Enterprise:
    """Register an enterprise; the credit code is validated and unique."""
    return _create(Enterprise, actor=actor, data=data, action="register.enterprise.created")


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: dict) -> Enterprise:
    return _update(enterprise, actor=actor, data=data, action="register.enterprise.changed")


@transaction.atomic
def enterprise_delete(*, actor, enterprise: Enterprise) -> None:
    _delete(enterprise, actor=actor, action="register.enterprise.deleted")


@transaction.atomic
def union_create(*, actor, data: dict, enterprises: list[Enterprise] = ()) -> Union:
    """Found a union and attach the enterprises it covers (several for a joint union)."""
    union = _create(Union, actor=actor, data=data, action="register.union.created")
    for enterprise in enterprises:
        enterprise_attach_union(actor=actor, enterprise=enterprise, union=union)
    return union


@transaction.atomic
def union_update(*, actor, union: Union, data: dict) -> Union:
    return _update(union, actor=actor, data=data, action="register.union.changed")


@transaction.atomic
def union_delete(*, actor, union: Union) -> None:
    for enterprise in union.enterprises.all():
        enterprise_attach_union(actor=actor, enterprise=enterprise, union=None)
    _delete(union, actor=actor, action="register.union.deleted")


def enterprise_attach_union(*, actor, enterprise: Enterprise, union: Union | None) -> Enterprise:
    if enterprise.union_id == (union.pk if union else None):
        return enterprise
    old = str(enterprise.union) if enterprise.union_id else None
    enterprise.union = union
    enterprise.save(update_fields=["union", "updated_at"])
    log_action(
        enterprise,
        "register.enterprise.union_changed",
        actor=actor,
        data={"changes": {"union": [old, str(union) if union else None]}},
    )
    return enterprise


@transaction.atomic
def person_create(*, actor, data: dict) -> Person:
    return _create(Person, actor=actor, data=data, action="register.person.created")


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> Person:
    return _update(person, actor=actor, data=data, action="register.person.changed")


@transaction.atomic
def officer_appoint(*, actor, union: Union, person: Person, data: dict) -> Officer:
    """Put a person in a position. A new chair replaces the chair in office, whose term ends
    the day before, so the published identity always follows the current term."""
    if data.get("position") == "chair":
        current = Officer.objects.select_for_update().filter(
            union=union, position="chair", status=Officer.Status.ACTIVE
        )
        for old in current:
            start = data.get("term_start") or timezone.localdate()
            officer_end(
                actor=actor,
                officer=old,
                status=Officer.Status.REPLACED,
                ended_on=max(old.term_start, start - datetime.timedelta(days=1)),
            )
    return _create(
        Officer,
        actor=actor,
        data={**data, "union": union, "person": person},
        action="register.officer.appointed",
    )


@transaction.atomic
def officer_update(*, actor, officer: Officer, data: dict) -> Officer:
    return _update(officer, actor=actor, data=data, action="register.officer.changed")


@transaction.atomic
def officer_end(
    *,
    actor,
    officer: Officer,
    status: str = Officer.Status.ENDED,
    ended_on: datetime.date | None = None,
) -> Officer:
    """End a term (term ended, replaced or revoked); the person's history is kept."""
    if status == Officer.Status.ACTIVE:
        raise RegisterError(_("An officer cannot be ended into the active state."))
    if officer.status != Officer.Status.ACTIVE:
        raise RegisterError(_("This officer has already left office."))
    ended_on = ended_on or timezone.localdate()
    officer.status = status
    officer.ended_on = ended_on
    if officer.term_end is None or officer.term_end > ended_on:
        officer.term_end = max(ended_on, officer.term_start)
    officer.save(update_fields=["status", "ended_on", "term_end", "updated_at"])
    log_action(
        officer,
        f"register.officer.{status}",
        actor=actor,
        data={"ended_on": ended_on.isoformat()},
    )
    return officer


@transaction.atomic
def officer_register(*, actor, officer: Officer, on: datetime.date | None = None) -> Officer:
    """登記入冊: mark an officer as entered in the register."""
    officer.registration = Officer.Registration.REGISTERED
    officer.registered_on = on or timezone.localdate()
    officer.save(update_fields=["registration", "registered_on", "updated_at"])
    log_action(officer, "register.officer.registered", actor=actor)
    return officer


@transaction.atomic
def contract_create(*, actor, union: Union, data: dict) -> CollectiveContract:
    contract = _create(
        CollectiveContract,
        actor=actor,
        data={**data, "union": union},
        action="register.contract.created",
    )
    ContractStepRecord.objects.create(
        contract=contract, step=contract.step, reached_on=contract.signed_on or timezone.localdate()
    )
    return contract


@transaction.atomic
def contract_update(*, actor, contract: CollectiveContract, data: dict) -> CollectiveContract:
    return _update(contract, actor=actor, data=data, action="register.contract.changed")


@transaction.atomic
def contract_advance(
    *, actor, contract: CollectiveContract, step: str, reached_on: datetime.date, note: str = ""
) -> CollectiveContract:
    """Move a contract forward to `step`; steps only go forward, and signing sets the date."""
    if CONTRACT_STEP_ORDER.index(step) <= CONTRACT_STEP_ORDER.index(contract.step):
        raise RegisterError(_("A contract's steps only go forward."))
    old = contract.step
    contract.step = step
    fields = ["step", "updated_at"]
    if step == ContractStep.SIGNED or (
        contract.signed_on is None and step in CONTRACT_STEP_ORDER[3:]
    ):
        contract.signed_on = contract.signed_on or reached_on
        fields += ["signed_on", "expires_on"]
    contract.save(update_fields=fields)
    ContractStepRecord.objects.update_or_create(
        contract=contract, step=step, defaults={"reached_on": reached_on, "note": note}
    )
    log_action(
        contract,
        "register.contract.step",
        actor=actor,
        data={"changes": {"step": [old, step]}, "reached_on": reached_on.isoformat()},
    )
    return contract


@transaction.atomic
def contract_delete(*, actor, contract: CollectiveContract) -> None:
    _delete(contract, actor=actor, action="register.contract.deleted")


_EXTENSION_FOR_TYPE = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def person_set_photo(
    *,
    actor,
    person: Person,
    file: File | None = None,
    image_bytes: bytes | None = None,
) -> Person:
    """Store a cleaned copy (core.images.clean_image) of an image as the person's photo and
    log it; the previous file is deleted once the change is committed. Pass an uploaded
    `file`, or `image_bytes` from trusted code. Raises ValidationError for a refused image,
    leaving the person and the storage untouched."""
    if (file is None) == (image_bytes is None):
        raise TypeError("Pass exactly one of file and image_bytes.")
    if image_bytes is not None:
        # Bytes have no name to check; the extension follows the content, which decides.
        kind = sniff_image_type(image_bytes[:16])
        file = ContentFile(image_bytes, name="image" + _EXTENSION_FOR_TYPE.get(kind, ""))
    # Decode before the transaction: with SQLite's IMMEDIATE mode a transaction holds the
    # write lock from its first statement, and decoding a large photo takes a while.
    content = clean_image(file)
    with transaction.atomic():
        # Lock the row so that two concurrent uploads each delete the file they replace.
        old_name = (
            Person.objects.select_for_update().values_list("photo", flat=True).get(pk=person.pk)
        )
        person.photo.save(content.name, content, save=False)
        new_name = person.photo.name
        try:
            person.save(update_fields=["photo", "updated_at"])
            log_action(
                person,
                "register.person.photo_changed",
                actor=actor,
                data={"changes": changes({"photo": old_name}, {"photo": new_name})},
            )
        except BaseException:
            person.photo.storage.delete(new_name)
            person.photo.name = old_name
            raise
    if old_name:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return person


def person_remove_photo(*, actor, person: Person) -> Person:
    """Clear the person's photo and log it; the file leaves the storage once the change is
    committed. Removing a photo that is not there changes and logs nothing."""
    with transaction.atomic():
        old_name = (
            Person.objects.select_for_update().values_list("photo", flat=True).get(pk=person.pk)
        )
        if not old_name:
            person.photo.name = ""
            return person
        person.photo.name = ""
        person.save(update_fields=["photo", "updated_at"])
        log_action(
            person,
            "register.person.photo_removed",
            actor=actor,
            data={"changes": changes({"photo": old_name}, {"photo": ""})},
        )
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return person


DEFAULT_CONTRACT_KINDS = [
    # code, name, counts towards the three contracts, usual term in months, order
    ("comprehensive", "综合集体合同", True, 36, 1),
    ("wage", "工资专项集体合同", True, 12, 2),
    ("women", "女职工权益保护专项集体合同", True, 36, 3),
    ("safety", "劳动安全卫生专项集体合同", False, 36, 4),
]


def contract_kinds_ensure_defaults() -> None:
    """Create the default contract kinds that are missing; kinds a federation edited stay."""
    for code, name, counts, months, order in DEFAULT_CONTRACT_KINDS:
        ContractKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "counts_for_three": counts,
                "default_term_months": months,
                "sort_order": order,
            },
        )
