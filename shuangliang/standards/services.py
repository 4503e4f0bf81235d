"""Writes of the standards app: standards and their versions, inspection rounds, answers,
submission and scoring, and rectifications. Every write is logged (core.actionlog).

Who may act is checked by the views through the access chokepoint; the services check the
rules of the objects themselves (a published version never changes, a submitted inspection
is not edited, a rectification moves only along its transition table).
"""

import datetime
from decimal import Decimal

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.core.images import clean_image
from shuangliang.register.models import Federation, Officer, Position, Union

from . import scoring
from .models import (
    Answer,
    Evidence,
    Inspection,
    InspectionRound,
    Item,
    Rectification,
    Section,
    Standard,
    StandardVersion,
    new_seed,
)
from .template_data import TEMPLATES

RECTIFICATION_DAYS = 30  # default time to put a failed item right
ITEM_FIELDS = [
    "text",
    "guidance",
    "points",
    "mandatory",
    "evidence",
    "judgement",
    "scale_max",
    "pass_level",
    "threshold",
    "unit",
    "allow_na",
]
THRESHOLD_FIELDS = ["threshold_model", "threshold_qualified", "threshold_basic"]


class StandardsError(Exception):
    """A rule refused the action; the message is for the user."""


# Standards --------------------------------------------------------------------------------


def _copy_version(source: StandardVersion, target: StandardVersion) -> None:
    """Copy the sections and items of `source` into the (saved, empty) `target`."""
    for section in source.sections.prefetch_related("items"):
        new_section = Section.objects.create(
            version=target, position=section.position, title=section.title
        )
        Item.objects.bulk_create(
            Item(
                version=target,
                section=new_section,
                position=item.position,
                **{name: getattr(item, name) for name in ITEM_FIELDS},
            )
            for item in section.items.all()
        )


def standard_from_template(*, actor, federation: Federation, code: str) -> Standard:
    """A federation's own standard, version 1 in draft, copied from a shipped template."""
    template = TEMPLATES.get(code)
    if template is None:
        raise StandardsError(_("There is no such template."))
    with transaction.atomic():
        standard = Standard.objects.create(
            federation=federation, name=template.name, template_code=code
        )
        version = StandardVersion.objects.create(standard=standard, number=1)
        for s, (title, items) in enumerate(template.sections, start=1):
            section = Section.objects.create(version=version, position=s, title=title)
            Item.objects.bulk_create(
                Item(
                    version=version,
                    section=section,
                    position=i,
                    text=item.text,
                    guidance=item.guidance,
                    points=Decimal(item.points),
                    mandatory=item.mandatory,
                    evidence=item.evidence,
                    judgement=item.judgement,
                    threshold=item.threshold,
                    unit=item.unit,
                    allow_na=item.allow_na,
                )
                for i, item in enumerate(items, start=1)
            )
        log_action(standard, "standards.standard.created", actor=actor, data={"template": code})
    return standard


def standard_copy(*, actor, federation: Federation, source: Standard) -> Standard:
    """A federation's own copy (version 1, draft) of another standard's latest version."""
    latest = source.versions.order_by("-number").first()
    with transaction.atomic():
        standard = Standard.objects.create(
            federation=federation,
            name=source.name,
            description=source.description,
            template_code=source.template_code,
            copied_from=source,
        )
        version = StandardVersion.objects.create(
            standard=standard,
            number=1,
            **({name: getattr(latest, name) for name in THRESHOLD_FIELDS} if latest else {}),
        )
        if latest is not None:
            _copy_version(latest, version)
        log_action(
            standard, "standards.standard.created", actor=actor, data={"copied_from": source.pk}
        )
    return standard


def standard_draft(*, actor, standard: Standard) -> StandardVersion:
    """The standard's draft version, started from its latest published version if needed."""
    with transaction.atomic():
        draft = standard.versions.filter(state=StandardVersion.State.DRAFT).first()
        if draft is not None:
            return draft
        latest = standard.versions.order_by("-number").first()
        number = (standard.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        draft = StandardVersion.objects.create(
            standard=standard,
            number=number,
            **({name: getattr(latest, name) for name in THRESHOLD_FIELDS} if latest else {}),
        )
        if latest is not None:
            _copy_version(latest, draft)
        log_action(draft, "standards.version.drafted", actor=actor, data={"number": number})
    return draft


def standard_update(
    *, actor, standard: Standard, name: str, description: str, thresholds: dict
) -> Standard:
    """Change the name and description, and the thresholds of the draft version."""
    with transaction.atomic():
        before = snapshot(standard, ["name", "description"])
        standard.name, standard.description = name, description
        standard.save(update_fields=["name", "description", "updated_at"])
        draft = standard_draft(actor=actor, standard=standard)
        before_t = snapshot(draft, THRESHOLD_FIELDS)
        for key, value in thresholds.items():
            setattr(draft, key, value)
        draft.save(update_fields=THRESHOLD_FIELDS)
        diff = changes(
            {**before, **before_t},
            {**snapshot(standard, ["name", "description"]), **snapshot(draft, THRESHOLD_FIELDS)},
        )
        if diff:
            log_action(standard, "standards.standard.changed", actor=actor, data={"changes": diff})
    return standard


def _require_draft(version: StandardVersion) -> None:
    if version.is_published:
        raise StandardsError(_("A published version cannot be changed; start a new version."))


def section_create(*, actor, standard: Standard, title: str) -> Section:
    """A new section at the end of the draft version."""
    with transaction.atomic():
        draft = standard_draft(actor=actor, standard=standard)
        position = (draft.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section.objects.create(version=draft, position=position, title=title)
        log_action(draft, "standards.section.created", actor=actor, data={"title": title})
    return section


def item_save(*, actor, section: Section, item: Item | None, fields: dict) -> Item:
    """Create or change an item of a draft version."""
    _require_draft(section.version)
    with transaction.atomic():
        if item is None:
            position = (section.items.aggregate(m=Max("position"))["m"] or 0) + 1
            item = Item(version=section.version, section=section, position=position, **fields)
            item.save()
            log_action(
                section.version,
                "standards.item.created",
                actor=actor,
                data={"item": item.pk, "text": item.text},
            )
            return item
        _require_draft(item.version)
        before = snapshot(item, ITEM_FIELDS + ["section_id"])
        for name, value in fields.items():
            setattr(item, name, value)
        item.section = section
        item.save(update_fields=[*fields, "section"])
        diff = changes(before, snapshot(item, ITEM_FIELDS + ["section_id"]))
        if diff:
            log_action(
                item.version,
                "standards.item.changed",
                actor=actor,
                data={"item": item.pk, "changes": diff},
            )
    return item


def item_delete(*, actor, item: Item) -> None:
    _require_draft(item.version)
    with transaction.atomic():
        log_action(
            item.version,
            "standards.item.deleted",
            actor=actor,
            data={"item": item.pk, "text": item.text},
        )
        item.delete()


def standard_publish(*, actor, standard: Standard) -> StandardVersion:
    """Publish the draft: from now on it is frozen, and new inspections use it. Inspections
    already scored keep the version they were scored under."""
    with transaction.atomic():
        draft = standard.versions.select_for_update().filter(state="draft").first()
        if draft is None:
            raise StandardsError(_("There is no draft to publish."))
        if not draft.items.exists():
            raise StandardsError(_("A standard needs at least one item before it is published."))
        draft.state = StandardVersion.State.PUBLISHED
        draft.published_at = timezone.now()
        draft.save(update_fields=["state", "published_at"])
        log_action(draft, "standards.version.published", actor=actor, data={"number": draft.number})
    return draft


# Rounds: spot, mutual and supervisory checks ----------------------------------------------


def round_create(
    *,
    actor,
    federation: Federation,
    kind: str,
    name: str,
    version: StandardVersion,
    year: int,
    due_on: datetime.date | None,
    seed: str,
    params: dict,
) -> InspectionRound:
    """Make the draw again from the recorded seed and parameters (so what was shown is what
    is confirmed) and create one draft inspection per drawn union (or pair)."""
    from .selectors import round_draw

    if not version.is_published:
        raise StandardsError(_("Only a published version can be used for inspections."))
    seed = seed or new_seed()
    draw = round_draw(federation=federation, kind=kind, seed=seed, params=params)
    with transaction.atomic():
        inspection_round = InspectionRound.objects.create(
            federation=federation,
            kind=kind,
            name=name,
            version=version,
            year=year,
            due_on=due_on,
            seed=seed,
            params=params,
            drawn=[list(pair) for pair in draw.pairs] if draw.pairs else draw.union_ids,
            created_by=actor,
        )
        if draw.pairs:
            inspections = [
                Inspection(
                    kind=kind,
                    union_id=inspected,
                    inspector_union_id=inspecting,
                    version=version,
                    round=inspection_round,
                    year=year,
                )
                for inspecting, inspected in draw.pairs
            ]
        else:
            inspections = [
                Inspection(
                    kind=kind, union_id=union_id, version=version, round=inspection_round, year=year
                )
                for union_id in draw.union_ids
            ]
        Inspection.objects.bulk_create(inspections)
        log_action(
            inspection_round,
            "standards.round.created",
            actor=actor,
            data={"kind": kind, "seed": seed, "params": params, "count": len(inspections)},
        )
    return inspection_round


def inspection_assign(*, actor, inspection: Inspection, inspector) -> Inspection:
    """Name the person who inspects (None: nobody yet)."""
    if not inspection.is_draft:
        raise StandardsError(_("A submitted inspection keeps its inspector."))
    before = inspection.inspector_id
    inspection.inspector = inspector
    inspection.save(update_fields=["inspector", "updated_at"])
    log_action(
        inspection,
        "standards.inspection.assigned",
        actor=actor,
        data={"from": before, "to": inspector.pk if inspector else None},
    )
    return inspection


def self_check_start(*, actor, union: Union, version: StandardVersion) -> Inspection:
    """The union's self-check against `version` for this year, started if needed."""
    if not version.is_published:
        raise StandardsError(_("Only a published version can be used for inspections."))
    year = timezone.localdate().year
    with transaction.atomic():
        inspection, created = Inspection.objects.get_or_create(
            kind=Inspection.Kind.SELF, union=union, version=version, year=year
        )
        if created:
            log_action(inspection, "standards.inspection.created", actor=actor, data={"year": year})
    return inspection


# Answers and scoring ----------------------------------------------------------------------


ANSWER_FIELDS = ["not_applicable", "yes", "level", "number", "note"]


def inspection_save_answers(
    *,
    actor,
    inspection: Inspection,
    answers: dict[int, dict],
    photos: dict[int, list[File]] | None = None,
) -> list[int]:
    """Save the given answers of a draft (item id → fields) and new evidence photos (item id
    → files, cleaned and re-encoded first). Returns the ids of the items that changed.
    Raises ValidationError for a refused photo (nothing is saved)."""
    if not inspection.is_draft:
        raise StandardsError(_("This inspection has been submitted and can no longer change."))
    items = {item.pk: item for item in Item.objects.filter(version_id=inspection.version_id)}
    if set(answers) - set(items) or set(photos or {}) - set(items):
        raise StandardsError(_("An answer is for an item of another standard."))
    cleaned = {
        item_id: [clean_image(f) for f in files if f] for item_id, files in (photos or {}).items()
    }
    written: list[Evidence] = []
    changed: list[int] = []
    try:
        with transaction.atomic():
            existing = {a.item_id: a for a in inspection.answers.select_for_update()}
            for item_id in sorted(set(answers) | {k for k, v in cleaned.items() if v}):
                answer = existing.get(item_id) or Answer(inspection=inspection, item_id=item_id)
                before = snapshot(answer, ANSWER_FIELDS)
                for name, value in answers.get(item_id, {}).items():
                    setattr(answer, name, value)
                if answer.not_applicable and not items[item_id].allow_na:
                    answer.not_applicable = False
                if before != snapshot(answer, ANSWER_FIELDS) or answer.pk is None:
                    answer.save()
                    changed.append(item_id)
                for content in cleaned.get(item_id, []):
                    evidence = Evidence(answer=answer, uploaded_by=actor)
                    evidence.photo.save(content.name, content, save=False)
                    written.append(evidence)
                    evidence.save()
                    if item_id not in changed:
                        changed.append(item_id)
            if changed:
                log_action(
                    inspection,
                    "standards.inspection.answers_saved",
                    actor=actor,
                    data={"items": changed, "photos": len(written)},
                )
    except BaseException:
        for evidence in written:
            evidence.photo.storage.delete(evidence.photo.name)
        raise
    return changed


def missing_answers(inspection: Inspection) -> list[Item]:
    """The items of the version not answered yet."""
    answered = {a.item_id for a in inspection.answers.all() if a.is_answered}
    return [
        item
        for item in Item.objects.filter(version_id=inspection.version_id).select_related("section")
        if item.pk not in answered
    ]


def _current_chair_name(union: Union) -> str:
    officer = (
        Officer.objects.filter(union=union, position=Position.CHAIR)
        .filter(Officer.current_q(timezone.localdate()))
        .select_related("person")
        .first()
    )
    return officer.person.name if officer else _("Union chair")


def inspection_submit(*, actor, inspection: Inspection) -> Inspection:
    """Score a complete draft and submit it. The score, grade and each answer's points are
    stored as scored under the inspection's version. An inspector's check (not a self-check)
    opens a rectification for each failed item."""
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if not inspection.is_draft:
            raise StandardsError(_("This inspection has already been submitted."))
        missing = missing_answers(inspection)
        if missing:
            raise StandardsError(
                _("%(count)s items are not answered yet: %(items)s")
                % {"count": len(missing), "items": "；".join(item.text for item in missing[:5])}
            )
        version = inspection.version
        answers = list(inspection.answers.select_related("item"))
        judged = []
        for answer in answers:
            result = scoring.judge(
                answer.item,
                not_applicable=answer.not_applicable,
                yes=answer.yes,
                level=answer.level,
                number=answer.number,
            )
            answer.earned, answer.failed = result.earned, result.failed
            judged.append((answer.item, result))
        Answer.objects.bulk_update(answers, ["earned", "failed"])
        result = scoring.score(
            judged,
            (version.threshold_model, version.threshold_qualified, version.threshold_basic),
        )
        inspection.state = Inspection.State.SUBMITTED
        inspection.submitted_at = timezone.now()
        inspection.submitted_by = actor
        inspection.earned, inspection.possible = result.earned, result.possible
        inspection.percent, inspection.grade = result.percent, result.grade
        inspection.mandatory_failed = result.mandatory_failed
        inspection.save(
            update_fields=[
                "state",
                "submitted_at",
                "submitted_by",
                "earned",
                "possible",
                "percent",
                "grade",
                "mandatory_failed",
                "updated_at",
            ]
        )
        log_action(
            inspection,
            "standards.inspection.submitted",
            actor=actor,
            data={"percent": str(result.percent), "grade": result.grade},
        )
        if inspection.kind != Inspection.Kind.SELF:
            _open_rectifications(actor=actor, inspection=inspection, answers=answers)
    return inspection


def _open_rectifications(*, actor, inspection: Inspection, answers: list[Answer]) -> None:
    failed = [a for a in answers if a.failed]
    if not failed:
        return
    deadline = timezone.localdate() + datetime.timedelta(days=RECTIFICATION_DAYS)
    responsible = _current_chair_name(inspection.union)
    for answer in failed:
        rectification = Rectification.objects.create(
            inspection=inspection,
            item=answer.item,
            union=inspection.union,
            problem=(answer.note or answer.item.text)[:500],
            deadline=deadline,
            responsible=responsible,
        )
        log_action(
            rectification,
            "standards.rectification.opened",
            actor=actor,
            data={"deadline": deadline.isoformat(), "item": answer.item.text},
        )


# Rectifications ---------------------------------------------------------------------------

RState = Rectification.State
TRANSITIONS: dict[str, set[str]] = {
    RState.OPEN: {RState.CLOSED},
    RState.CLOSED: {RState.VERIFIED, RState.OPEN},
    RState.VERIFIED: set(),
}
ACTIONS = {
    RState.CLOSED: "standards.rectification.closed",
    RState.VERIFIED: "standards.rectification.verified",
    RState.OPEN: "standards.rectification.reopened",
}


def rectification_transition(
    *, actor, rectification: Rectification, to: str, fields: dict | None = None, data=None
) -> Rectification:
    """Move the rectification to `to` if the transition table allows it."""
    if to not in TRANSITIONS[rectification.state]:
        raise StandardsError(
            _("A rectification that is “%(current)s” cannot become “%(target)s”.")
            % {"current": RState(rectification.state).label, "target": RState(to).label}
        )
    with transaction.atomic():
        before = rectification.state
        rectification.state = to
        for name, value in (fields or {}).items():
            setattr(rectification, name, value)
        rectification.save(update_fields=["state", *(fields or {}), "updated_at"])
        log_action(
            rectification, ACTIONS[to], actor=actor, data={"from": before, "to": to, **(data or {})}
        )
    return rectification


def rectification_close(
    *, actor, rectification: Rectification, note: str, photo: File
) -> Rectification:
    """The union reports the item put right, with a photo of it (cleaned first)."""
    if photo is None:
        raise StandardsError(_("Add a photo that shows the item put right."))
    content = clean_image(photo)
    rectification.closing_photo.save(content.name, content, save=False)
    try:
        return rectification_transition(
            actor=actor,
            rectification=rectification,
            to=RState.CLOSED,
            fields={
                "closing_note": note,
                "closing_photo": rectification.closing_photo,
                "closed_at": timezone.now(),
                "closed_by": actor,
            },
        )
    except BaseException:
        rectification.closing_photo.storage.delete(rectification.closing_photo.name)
        raise


def rectification_verify(*, actor, rectification: Rectification) -> Rectification:
    """Re-inspection found the item put right."""
    return rectification_transition(
        actor=actor,
        rectification=rectification,
        to=RState.VERIFIED,
        fields={"verified_at": timezone.now(), "verified_by": actor},
    )


def rectification_reopen(*, actor, rectification: Rectification, reason: str) -> Rectification:
    """Re-inspection found the item still wrong: open again, with the reason."""
    return rectification_transition(
        actor=actor, rectification=rectification, to=RState.OPEN, data={"reason": reason}
    )


def rectification_update(
    *, actor, rectification: Rectification, deadline: datetime.date, responsible: str
) -> Rectification:
    """Change the deadline or the person responsible."""
    fields = ["deadline", "responsible"]
    before = snapshot(rectification, fields)
    rectification.deadline, rectification.responsible = deadline, responsible
    diff = changes(before, snapshot(rectification, fields))
    if diff:
        with transaction.atomic():
            rectification.save(update_fields=[*fields, "updated_at"])
            log_action(
                rectification,
                "standards.rectification.changed",
                actor=actor,
                data={"changes": diff},
            )
    return rectification
