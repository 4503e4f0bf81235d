"""Writes of the Double Bright status: fill in the checklist, submit, confirm, return.

The lifecycle is a small state machine (TRANSITIONS); `status_transition` is the only
function that moves a status, and it saves, logs and checks the move in one transaction.
Who may act is checked by the views through the access chokepoint; the review services
check it once more, since confirming is the act that makes a union count.
"""

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.core.images import clean_image
from shuangliang.register.models import Officer, Position, Union

from .compliance import status_officers_changed
from .models import DoubleBrightStatus
from .status_selectors import MISSING_ITEM_MESSAGES, can_review, missing_items

State = DoubleBrightStatus.State

# state → the states it may move to.
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.SUBMITTED},
    State.SUBMITTED: {State.CONFIRMED, State.REJECTED},
    State.REJECTED: {State.DRAFT, State.SUBMITTED},
    State.CONFIRMED: {State.DRAFT},
}
# The action logged for each move (the target state, or the reopening of a decided status).
ACTIONS = {
    State.SUBMITTED: "doublebright.status.submitted",
    State.CONFIRMED: "doublebright.status.confirmed",
    State.REJECTED: "doublebright.status.rejected",
    State.DRAFT: "doublebright.status.reopened",
}
ITEM_FIELDS = [
    "signboard_hung",
    "identities_posted",
    "badges_worn",
    "contact_cards_handed_out",
    "address_published",
]
PHOTO_FIELDS = ["signboard_photo", "notice_board_photo"]
EDITABLE_STATES = {State.DRAFT, State.REJECTED, State.CONFIRMED}


class StatusError(Exception):
    """A rule of the lifecycle refused the action; the message is for the user."""


def status_transition(
    *, actor, status: DoubleBrightStatus, to: str, fields: dict | None = None, data=None
) -> DoubleBrightStatus:
    """Move the status to `to` if the transition table allows it, setting `fields` too."""
    if to not in TRANSITIONS.get(status.state, set()):
        raise StatusError(
            _("A status that is “%(current)s” cannot become “%(target)s”.")
            % {"current": State(status.state).label, "target": State(to).label}
        )
    with transaction.atomic():
        before = status.state
        status.state = to
        for name, value in (fields or {}).items():
            setattr(status, name, value)
        status.save(update_fields=["state", *(fields or {}), "updated_at"])
        log_action(
            status,
            ACTIONS[to],
            actor=actor,
            data={"from": before, "to": to, **(data or {})},
        )
    return status


def status_initial(*, union: Union) -> DoubleBrightStatus:
    """An unsaved status for a union that has not started, prefilled from the register."""
    return DoubleBrightStatus(union=union, address_published=bool(union.office_address))


def status_save(
    *,
    actor,
    union: Union,
    items: dict,
    photos: dict[str, File] | None = None,
) -> DoubleBrightStatus:
    """Save the checklist as a draft. New photos are checked and re-encoded first (EXIF and
    GPS stripped, core.images.clean_image); a confirmed or returned status goes back to
    draft, since what was reviewed has changed. Raises ValidationError for a refused photo
    (nothing is saved) and StatusError while the status awaits review."""
    unknown = set(items) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Not checklist items: {sorted(unknown)}")
    # Decode outside the transaction: SQLite's IMMEDIATE mode holds the write lock from BEGIN.
    cleaned = {name: clean_image(file) for name, file in (photos or {}).items() if file}
    if set(cleaned) - set(PHOTO_FIELDS):
        raise TypeError("Unknown photo field.")
    replaced: list[str] = []
    written: list[tuple] = []
    try:
        with transaction.atomic():
            status = (
                DoubleBrightStatus.objects.select_for_update()
                .select_related("union")
                .filter(union=union)
                .first()
            )
            created = status is None
            if created:
                status = status_initial(union=union)
            elif status.state not in EDITABLE_STATES:
                raise StatusError(
                    _("The status is awaiting review and cannot be changed until it is reviewed.")
                )
            logged = ITEM_FIELDS + PHOTO_FIELDS
            before = {} if created else snapshot(status, logged)
            for name, value in items.items():
                setattr(status, name, value)
            for name, content in cleaned.items():
                old = getattr(status, name).name
                getattr(status, name).save(content.name, content, save=False)
                written.append((status, name))
                if old:
                    replaced.append(old)
            if created:
                status.save()
                log_action(
                    status,
                    "doublebright.status.created",
                    actor=actor,
                    data={"created": snapshot(status, logged)},
                )
                return status
            diff = changes(before, snapshot(status, logged))
            if not diff:
                return status
            status.save(update_fields=[*ITEM_FIELDS, *PHOTO_FIELDS, "updated_at"])
            log_action(status, "doublebright.status.changed", actor=actor, data={"changes": diff})
            if status.state != State.DRAFT:
                status_transition(actor=actor, status=status, to=State.DRAFT)
    except BaseException:
        for obj, name in written:  # the row was not saved: drop the files written for it
            getattr(obj, name).storage.delete(getattr(obj, name).name)
        raise
    storage = DoubleBrightStatus._meta.get_field("signboard_photo").storage
    for old in replaced:
        transaction.on_commit(lambda old=old: storage.delete(old))
    return status


def status_submit(*, actor, status: DoubleBrightStatus) -> DoubleBrightStatus:
    """Submit the checklist for review. Every item must hold, with both photos, the office
    address must be on record and the union must have a chair in office."""
    problems = [str(MISSING_ITEM_MESSAGES[key]) for key in missing_items(status)]
    today = timezone.localdate()
    has_chair = Officer.objects.filter(
        Officer.current_q(today), union_id=status.union_id, position=Position.CHAIR
    ).exists()
    if not has_chair:
        problems.append(_("The union has no chair in office."))
    if problems:
        raise StatusError(" ".join(problems))
    now = timezone.now()
    return status_transition(
        actor=actor,
        status=status,
        to=State.SUBMITTED,
        fields={
            "submitted_at": now,
            "submitted_on": timezone.localdate(now),
            "submitted_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )


def _check_reviewer(actor, status: DoubleBrightStatus) -> None:
    if not can_review(actor, status):
        raise StatusError(_("Only the federation above this union can review its status."))


def status_confirm(*, actor, status: DoubleBrightStatus) -> DoubleBrightStatus:
    """Confirm a submitted checklist. Refused when officers changed after the submission:
    the evidence then shows the old cadres and the union must submit again."""
    _check_reviewer(actor, status)
    if status.state == State.SUBMITTED and status_officers_changed(status):
        raise StatusError(
            _(
                "The union's cadres changed after this was submitted. Return it so that the "
                "union updates its notice board and submits again."
            )
        )
    return status_transition(
        actor=actor,
        status=status,
        to=State.CONFIRMED,
        fields={"decided_at": timezone.now(), "decided_by": actor, "rejection_reason": ""},
    )


def status_reject(*, actor, status: DoubleBrightStatus, reason: str) -> DoubleBrightStatus:
    """Return a submitted checklist to the union with a reason (required)."""
    _check_reviewer(actor, status)
    reason = (reason or "").strip()
    if not reason:
        raise StatusError(_("Give a reason for returning it, so the union knows what to fix."))
    return status_transition(
        actor=actor,
        status=status,
        to=State.REJECTED,
        fields={"decided_at": timezone.now(), "decided_by": actor, "rejection_reason": reason},
        data={"reason": reason},
    )
