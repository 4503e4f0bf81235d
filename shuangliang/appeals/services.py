"""Writes to appeals. One function per step; each checks the move against the transition
table, saves with `update_fields`, logs who and when, and queues notifications in the same
transaction (the outbox), so a failing mail server never loses an appeal."""

import base64
import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import log_action
from shuangliang.core.models import Membership
from shuangliang.register.models import Enterprise, Federation, Union

from . import conf
from .models import (
    HANDLING_STATES,
    OPEN_STATES,
    TRACKING_CODE_BYTES,
    Appeal,
    Appellant,
    Attachment,
    CalendarDay,
    Category,
    ContactNote,
    Message,
    Notification,
    RateLimitBucket,
    Route,
    Satisfaction,
    Status,
)
from .selectors import overdue_q, tracking_hash
from .workdays import add_working_days

logger = logging.getLogger(__name__)

FORM_KEY_SALT = "shuangliang.appeals.form-key"
FORM_KEY_MAX_AGE = 2 * 24 * 3600
UPPER_LEVELS = (
    Federation.Level.COUNTY,
    Federation.Level.CITY,
    Federation.Level.PROVINCE,
    Federation.Level.NATIONAL,
)

TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED},
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.ANSWERED},
    Status.ANSWERED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.DECLINED: set(),
    Status.CLOSED: set(),
}


class AppealError(Exception):
    """A rule refused the step; the message is for the user."""


# Intake ---------------------------------------------------------------------------------


def form_key_new() -> str:
    """A signed one-time key for an intake form: 128 random bits the server issued."""
    return signing.dumps(secrets.token_urlsafe(16), salt=FORM_KEY_SALT, compress=False)


def _form_nonce(form_key: str) -> str:
    try:
        return signing.loads(form_key, salt=FORM_KEY_SALT, max_age=FORM_KEY_MAX_AGE)
    except signing.BadSignature as exc:
        raise AppealError(
            _("This form has expired. Please reload the page and submit it again.")
        ) from exc


def _submission_hash(nonce: str) -> str:
    return hashlib.sha256(f"submission:{nonce}".encode()).hexdigest()


def _tracking_code(nonce: str) -> str:
    """The tracking code of a form's submission: 128 bits keyed from the form's own random key,
    so the same form posted twice shows the same code, while only its hash is stored."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"tracking:{nonce}".encode(), "sha256")
    raw = base64.b32encode(digest.digest()[:TRACKING_CODE_BYTES]).decode().rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def appeal_already_submitted(*, form_key: str) -> tuple[Appeal, str] | None:
    """The appeal a form key already made, with its tracking code (a repeated post)."""
    nonce = _form_nonce(form_key)
    appeal = Appeal.objects.filter(submission_hash=_submission_hash(nonce)).first()
    return (appeal, _tracking_code(nonce)) if appeal else None


def county_for(federation: Federation) -> Federation:
    """The nearest federation at county level or above (the one that handles petitions)."""
    if federation.level in UPPER_LEVELS:
        return federation
    for ancestor in reversed(list(federation.ancestors())):
        if ancestor.level in UPPER_LEVELS:
            return ancestor
    return federation


@dataclass(frozen=True)
class Routing:
    route: str
    about_union: bool
    handling_federation: Federation
    handling_union: Union | None


def appeal_routing(
    *,
    category: Category,
    enterprise: Enterprise | None,
    federation: Federation | None,
    wants_union: bool,
    about_union: bool,
) -> Routing:
    """Where a new appeal goes. The union handles it only if the worker asked for that, the
    enterprise has a union, and the concern is not about that union."""
    about_union = about_union or category.concerns_union
    union = enterprise.union if enterprise is not None else None
    if wants_union and union is not None and not about_union:
        return Routing(Route.UNION, False, union.federation, union)
    place = enterprise.federation if enterprise is not None else federation
    if place is None:
        raise AppealError(_("Choose the enterprise or the federation the concern is about."))
    target = county_for(place) if enterprise is not None else place
    return Routing(Route.FEDERATION, about_union, target, None)


@dataclass(frozen=True)
class Submitted:
    appeal: Appeal
    tracking_code: str
    created: bool


def appeal_submit(
    *,
    form_key: str,
    category: Category,
    subject: str,
    body: str,
    channel: str,
    enterprise: Enterprise | None = None,
    federation: Federation | None = None,
    wants_union: bool = False,
    about_union: bool = False,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    identity_to_union: bool = False,
    files: list[ContentFile] = (),
) -> Submitted:
    """File a worker's appeal; the same form key never makes a second one (QUALITY.md D3).

    An anonymous appeal stores no name, no phone and nothing of the client's address."""
    nonce = _form_nonce(form_key)
    submission_hash = _submission_hash(nonce)
    code = _tracking_code(nonce)
    if not anonymous and not (name.strip() and phone.strip()):
        raise AppealError(_("A named appeal needs your name and phone number."))
    routing = appeal_routing(
        category=category,
        enterprise=enterprise,
        federation=federation,
        wants_union=wants_union,
        about_union=about_union,
    )
    try:
        with transaction.atomic():
            appeal = Appeal(
                category=category,
                subject=subject,
                body=body,
                channel=channel,
                enterprise=enterprise,
                route=routing.route,
                requested_route=Route.UNION if wants_union else Route.FEDERATION,
                about_union=routing.about_union,
                is_anonymous=anonymous,
                identity_to_union=bool(
                    not anonymous and identity_to_union and routing.route == Route.UNION
                ),
                handling_federation=routing.handling_federation,
                handling_union=routing.handling_union,
                accept_due_on=add_working_days(timezone.localdate(), conf.accept_working_days()),
                tracking_hash=tracking_hash(code),
                submission_hash=submission_hash,
            )
            appeal.save()
            if not anonymous:
                Appellant.objects.create(appeal=appeal, name=name.strip(), phone=phone.strip())
            for content in files:
                Attachment.objects.create(
                    appeal=appeal,
                    file=content,
                    content_type=getattr(content, "content_type", "application/octet-stream"),
                    size=content.size,
                )
            log_action(
                appeal,
                "appeals.appeal.submitted",
                data={
                    "route": appeal.route,
                    "anonymous": anonymous,
                    "channel": channel,
                    "attachments": len(files),
                },
            )
            _notify_handlers(appeal, _("New appeal %(ref)s: %(category)s"))
    except IntegrityError:
        existing = Appeal.objects.filter(submission_hash=submission_hash).first()
        if existing is None:
            raise
        return Submitted(existing, code, False)
    return Submitted(appeal, code, True)


# Handling -------------------------------------------------------------------------------


def _locked(appeal: Appeal) -> Appeal:
    """Re-read the row under a lock, so two handlers cannot make conflicting moves."""
    return (
        Appeal.objects.select_for_update().select_related("handling_federation").get(pk=appeal.pk)
    )


def appeal_transition(
    *, appeal: Appeal, to: str, actor, data: dict | None = None, fields: dict | None = None
) -> Appeal:
    """Move the appeal to `to` if the table allows it; save, log and notify in one go."""
    locked = _locked(appeal)
    if to not in TRANSITIONS[locked.status]:
        raise AppealError(
            _("An appeal that is %(status)s cannot be moved to %(target)s.")
            % {"status": locked.get_status_display(), "target": Status(to).label}
        )
    before = locked.status
    now = timezone.now()
    changed = {"status": to, **(fields or {})}
    if to == Status.ACCEPTED:
        changed["accepted_at"] = now
        changed["conclude_due_on"] = add_working_days(
            timezone.localdate(), conf.conclude_working_days()
        )
    elif to == Status.ANSWERED:
        changed["answered_at"] = now
    elif to in (Status.CLOSED, Status.DECLINED):
        changed["closed_at"] = now
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*changed, "updated_at"])
    log_action(
        locked,
        f"appeals.appeal.{to}" if to != before else "appeals.appeal.transferred",
        actor=actor,
        data={"from": before, "to": to, **(data or {})},
    )
    appeal.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def appeal_accept(*, appeal: Appeal, actor) -> Appeal:
    """受理: the 60-working-day clock starts."""
    return appeal_transition(appeal=appeal, to=Status.ACCEPTED, actor=actor)


@transaction.atomic
def appeal_decline(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Decline in writing, with a reason the worker reads on the tracking page."""
    if not reason.strip():
        raise AppealError(_("Give the reason for declining; the worker will read it."))
    return appeal_transition(
        appeal=appeal,
        to=Status.DECLINED,
        actor=actor,
        data={"reason": reason},
        fields={"decline_reason": reason.strip()},
    )


@transaction.atomic
def appeal_start(*, appeal: Appeal, actor) -> Appeal:
    return appeal_transition(appeal=appeal, to=Status.IN_PROGRESS, actor=actor)


@transaction.atomic
def appeal_transfer(
    *,
    appeal: Appeal,
    actor,
    union: Union | None = None,
    cadre=None,
    federation: Federation | None = None,
) -> Appeal:
    """Assign or transfer: to the enterprise union, an assigned cadre, or a federation.

    Sending to a union never hands it the worker's identity unless the worker agreed."""
    if sum(x is not None for x in (union, cadre, federation)) != 1:
        raise AppealError(_("Choose exactly one place to send the appeal to."))
    locked = _locked(appeal)
    if locked.status not in OPEN_STATES:
        raise AppealError(_("Only an open appeal can be assigned or transferred."))
    if union is not None:
        if locked.about_union or locked.requested_route != Route.UNION:
            raise AppealError(
                _("This appeal may not go to the enterprise union: the worker chose otherwise.")
            )
        fields = {
            "route": Route.UNION,
            "handling_union": union,
            "handling_federation": union.federation,
            "assignee": None,
        }
        target = str(union)
    elif cadre is not None:
        fields = {"route": Route.FEDERATION, "handling_union": None, "assignee": cadre}
        target = str(cadre)
    else:
        fields = {
            "route": Route.FEDERATION,
            "handling_union": None,
            "handling_federation": federation,
            "assignee": None,
        }
        target = str(federation)
    if locked.route == Route.FEDERATION and fields["route"] == Route.UNION:
        fields["identity_to_union"] = False
    to = Status.SUBMITTED if locked.status == Status.SUBMITTED else Status.ASSIGNED
    if to == Status.SUBMITTED:
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*fields, "updated_at"])
        log_action(locked, "appeals.appeal.transferred", actor=actor, data={"to": target})
        appeal.__dict__.update(locked.__dict__)
    else:
        appeal_transition(
            appeal=appeal, to=to, actor=actor, data={"assigned_to": target}, fields=fields
        )
        locked = appeal
    _notify_handlers(locked, _("Appeal %(ref)s was sent to you: %(category)s"))
    return locked


@transaction.atomic
def appeal_reply(*, appeal: Appeal, actor, body: str, final: bool = False) -> Message:
    """A reply the worker reads on the tracking page; `final` marks the appeal answered."""
    if not body.strip():
        raise AppealError(_("The reply is empty."))
    if appeal.status in (Status.CLOSED, Status.DECLINED, Status.SUBMITTED):
        raise AppealError(_("Accept the appeal before replying."))
    message = Message.objects.create(
        appeal=appeal, direction=Message.Direction.TO_WORKER, body=body.strip(), author=actor
    )
    if final:
        appeal_transition(appeal=appeal, to=Status.ANSWERED, actor=actor)
    else:
        log_action(appeal, "appeals.appeal.replied", actor=actor)
    return message


@transaction.atomic
def appeal_note_add(*, appeal: Appeal, actor, body: str) -> ContactNote:
    """Record a phone call with a named worker."""
    if appeal.is_anonymous:
        raise AppealError(_("An anonymous worker cannot be called."))
    if not body.strip():
        raise AppealError(_("The note is empty."))
    note = ContactNote.objects.create(appeal=appeal, body=body.strip(), author=actor)
    log_action(appeal, "appeals.appeal.phone_note_added", actor=actor)
    return note


@transaction.atomic
def appeal_extend(*, appeal: Appeal, actor, days: int, reason: str) -> Appeal:
    """The one extension of the conclusion deadline, with a reason."""
    locked = _locked(appeal)
    if locked.status not in HANDLING_STATES or locked.conclude_due_on is None:
        raise AppealError(_("Only an accepted appeal that is being handled can be extended."))
    if locked.extension_days:
        raise AppealError(_("This appeal has already been extended once."))
    limit = conf.max_extension_working_days()
    if not 1 <= days <= limit:
        raise AppealError(_("An extension is 1 to %(limit)s working days.") % {"limit": limit})
    if not reason.strip():
        raise AppealError(_("Give the reason for the extension."))
    old = locked.conclude_due_on
    locked.conclude_due_on = add_working_days(old, days)
    locked.extension_days = days
    locked.extension_reason = reason.strip()
    locked.save(
        update_fields=["conclude_due_on", "extension_days", "extension_reason", "updated_at"]
    )
    log_action(
        locked,
        "appeals.appeal.extended",
        actor=actor,
        data={
            "changes": {"conclude_due_on": [old.isoformat(), locked.conclude_due_on.isoformat()]}
        },
    )
    appeal.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def appeal_close(*, appeal: Appeal, actor, satisfaction: str = "") -> Appeal:
    """Close after the call back (回訪), recording the satisfaction the worker gave."""
    if satisfaction and satisfaction not in Satisfaction.values:
        raise AppealError(_("Unknown satisfaction value."))
    fields = {"satisfaction": satisfaction} if satisfaction else {}
    return appeal_transition(
        appeal=appeal,
        to=Status.CLOSED,
        actor=actor,
        data={"satisfaction": satisfaction, "by": "handler"},
        fields=fields,
    )


# The worker, through the tracking page --------------------------------------------------


@transaction.atomic
def appeal_worker_message(*, appeal: Appeal, body: str) -> Message:
    if appeal.status in (Status.CLOSED, Status.DECLINED) or appeal.purged_at:
        raise AppealError(_("This appeal is closed."))
    if not body.strip():
        raise AppealError(_("The message is empty."))
    message = Message.objects.create(
        appeal=appeal, direction=Message.Direction.FROM_WORKER, body=body.strip()
    )
    log_action(appeal, "appeals.appeal.worker_replied")
    _notify_handlers(appeal, _("The worker wrote on appeal %(ref)s"))
    return message


@transaction.atomic
def appeal_worker_confirm(*, appeal: Appeal, satisfaction: str) -> Appeal:
    """The worker rates the answer; the appeal closes."""
    if satisfaction not in Satisfaction.values:
        raise AppealError(_("Choose how satisfied you are."))
    return appeal_transition(
        appeal=appeal,
        to=Status.CLOSED,
        actor=None,
        data={"satisfaction": satisfaction, "by": "worker"},
        fields={"satisfaction": satisfaction},
    )


@transaction.atomic
def appeal_worker_reopen(*, appeal: Appeal, body: str) -> Appeal:
    """The worker is not satisfied with the answer: handling resumes."""
    if not body.strip():
        raise AppealError(_("Tell the handlers what is still unresolved."))
    locked = appeal_transition(
        appeal=appeal,
        to=Status.IN_PROGRESS,
        actor=None,
        data={"by": "worker", "reopened": True},
        fields={"reopen_count": appeal.reopen_count + 1},
    )
    Message.objects.create(
        appeal=appeal, direction=Message.Direction.FROM_WORKER, body=body.strip()
    )
    _notify_handlers(appeal, _("The worker reopened appeal %(ref)s"))
    return locked


# Deadlines and escalation (督辦) ---------------------------------------------------------


def appeals_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Escalate every overdue open appeal not yet escalated to the next federation up."""
    today = today or timezone.localdate()
    count = 0
    overdue = Appeal.objects.filter(overdue_q(today), escalated_at__isnull=True).select_related(
        "handling_federation"
    )
    for appeal in overdue:
        with transaction.atomic():
            locked = _locked(appeal)
            if locked.escalated_at is not None:
                continue
            parent_id = locked.handling_federation.parent_id
            locked.escalated_to_id = parent_id or locked.handling_federation_id
            locked.escalated_at = timezone.now()
            locked.save(update_fields=["escalated_to", "escalated_at", "updated_at"])
            log_action(
                locked,
                "appeals.appeal.escalated",
                data={"to": str(locked.escalated_to), "on": today.isoformat()},
            )
            _notify(
                locked,
                _staff_of(locked.escalated_to_id),
                _("Appeal %(ref)s is overdue and escalated to you (督办): %(category)s"),
            )
        count += 1
    return count


# Retention (QUALITY.md C5) --------------------------------------------------------------


def appeals_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the personal data of appeals closed longer ago than their category keeps it:
    identity, text, replies, notes and attachments. The bare row stays for the figures."""
    now = now or timezone.now()
    purged = 0
    candidates = Appeal.objects.filter(
        status__in=[Status.CLOSED, Status.DECLINED],
        closed_at__isnull=False,
        purged_at__isnull=True,
    ).select_related("category")
    for appeal in candidates:
        if appeal.closed_at >= now - datetime.timedelta(days=appeal.category.retention_days):
            continue
        with transaction.atomic():
            for attachment in appeal.attachments.all():
                attachment.file.delete(save=False)
            appeal.attachments.all().delete()
            Appellant.objects.filter(appeal=appeal).delete()
            appeal.messages.all().delete()
            appeal.contact_notes.all().delete()
            appeal.subject = ""
            appeal.body = ""
            appeal.decline_reason = ""
            appeal.extension_reason = ""
            appeal.purged_at = now
            appeal.save(
                update_fields=[
                    "subject",
                    "body",
                    "decline_reason",
                    "extension_reason",
                    "purged_at",
                    "updated_at",
                ]
            )
            log_action(appeal, "appeals.appeal.purged")
        purged += 1
    _window = conf.rate_limit()[1]
    RateLimitBucket.objects.filter(
        updated_at__lt=now - datetime.timedelta(seconds=_window)
    ).delete()
    return purged


# Notifications (the outbox) -------------------------------------------------------------


def _staff_of(federation_id: int | None) -> list:
    from django.contrib.auth import get_user_model

    if federation_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Membership.Role.FEDERATION_STAFF,
            memberships__federation_id=federation_id,
        )
        .distinct()
    )


def _handlers(appeal: Appeal) -> list:
    from django.contrib.auth import get_user_model

    q = Q(
        memberships__role=Membership.Role.FEDERATION_STAFF,
        memberships__federation_id=appeal.handling_federation_id,
    )
    if appeal.route == Route.UNION and appeal.handling_union_id:
        q |= Q(
            memberships__role=Membership.Role.UNION_OFFICER,
            memberships__union_id=appeal.handling_union_id,
        )
    users = get_user_model().objects.filter(q, is_active=True, memberships__is_active=True)
    if appeal.assignee_id:
        users = users | get_user_model().objects.filter(pk=appeal.assignee_id, is_active=True)
    return list(users.distinct())


def _notify_handlers(appeal: Appeal, template: str) -> None:
    _notify(appeal, _handlers(appeal), template)


def _notify(appeal: Appeal, users: list, template: str) -> None:
    """Queue an inbox entry (and an e-mail where the user has an address) for each user.
    The text names the appeal's number and category only: never the worker, never the text."""
    text = template % {"ref": appeal.reference, "category": appeal.category.name}
    rows = []
    now = timezone.now()
    for user in users:
        rows.append(
            Notification(
                appeal=appeal,
                recipient=user,
                channel=Notification.ChannelKind.INBOX,
                text=text,
                state=Notification.State.SENT,
                sent_at=now,
            )
        )
        if user.email:
            rows.append(
                Notification(
                    appeal=appeal,
                    recipient=user,
                    channel=Notification.ChannelKind.EMAIL,
                    text=text,
                )
            )
    Notification.objects.bulk_create(rows)
    if any(row.channel != Notification.ChannelKind.INBOX for row in rows):
        transaction.on_commit(_deliver_quietly)


def _deliver_quietly() -> None:
    try:
        notifications_deliver()
    except Exception:  # delivery retries later; the appeal is already committed
        logger.exception("Appeal notifications could not be delivered now")


MAX_ATTEMPTS = 5


def notifications_deliver(*, limit: int = 200) -> int:
    """Send pending e-mails and SMS; a failure counts an attempt and is retried next run."""
    from .sms import send_sms

    sent = 0
    pending = Notification.objects.filter(state=Notification.State.PENDING).select_related(
        "recipient"
    )[:limit]
    for note in pending:
        try:
            if note.channel == Notification.ChannelKind.EMAIL:
                send_mail(
                    subject=note.text,
                    message=note.text,
                    from_email=None,
                    recipient_list=[note.recipient.email],
                )
            elif note.channel == Notification.ChannelKind.SMS:
                send_sms(recipient=note.recipient, text=note.text)
        except Exception as exc:
            note.attempts += 1
            note.last_error = str(exc)[:300]
            if note.attempts >= MAX_ATTEMPTS:
                note.state = Notification.State.FAILED
            note.save(update_fields=["attempts", "last_error", "state"])
            continue
        note.state = Notification.State.SENT
        note.sent_at = timezone.now()
        note.attempts += 1
        note.save(update_fields=["state", "sent_at", "attempts"])
        sent += 1
    return sent


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(
        pk=notification_id, recipient=user, channel=Notification.ChannelKind.INBOX
    ).update(read_at=timezone.now())


# The holiday calendar ---------------------------------------------------------------------


@transaction.atomic
def calendar_day_save(*, actor, date: datetime.date, kind: str, name: str) -> CalendarDay:
    """Add or change one day; deadlines already set are not moved."""
    day, created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name}
    )
    log_action(
        day,
        "appeals.calendar_day.created" if created else "appeals.calendar_day.changed",
        actor=actor,
        data={"date": date.isoformat(), "kind": kind, "name": name},
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    log_action(day, "appeals.calendar_day.deleted", actor=actor, data={"date": str(day.date)})
    day.delete()
