"""Worker appeals (職工訴求): intake, handling within deadlines, replies, and the calendar.

The appellant's identity lives in its own table (`Appellant`), never on the appeal row, so
that lists, exports, notifications and the tracking page cannot carry it by accident; it is
read only through `selectors.appeal_identity_reveal`, which checks the right and logs the view.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.register.validators import validate_plain_text

# 16 random bytes → 128 bits; written as 26 base32 characters in groups for reading aloud.
TRACKING_CODE_BYTES = 16


class Category(models.Model):
    """A kind of concern a worker can choose; editable, with its own retention period."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered to workers"), default=True)
    # A concern about the enterprise union itself always goes to the federation.
    concerns_union = models.BooleanField(_("is about the union itself"), default=False)
    retention_days = models.PositiveIntegerField(
        _("retention after closing (days)"),
        default=3 * 365,
        help_text=_("Personal data and attachments are purged this many days after closing."),
    )

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a weekend made a working
    day (調休). Staff keep the table up to date when the State Council publishes the year."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True, validators=[validate_plain_text])

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("appeal status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("appeal status", "Accepted")
    DECLINED = "declined", pgettext_lazy("appeal status", "Declined")
    ASSIGNED = "assigned", pgettext_lazy("appeal status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("appeal status", "In progress")
    ANSWERED = "answered", pgettext_lazy("appeal status", "Answered")
    CLOSED = "closed", pgettext_lazy("appeal status", "Closed")


# States in which the handler still owes the worker something.
OPEN_STATES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
# States in which the 60-day conclusion clock runs.
HANDLING_STATES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)


class Route(models.TextChoices):
    UNION = "union", _("The enterprise union handles it")
    FEDERATION = "federation", _("Straight to the union federation")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    NOT = "not", _("Not satisfied")


class Channel(models.TextChoices):
    UNION_PAGE = "union_page", _("Union public page")
    FEDERATION_PAGE = "federation_page", _("Federation public page")
    GENERAL = "general", _("General appeal page")


def _union_gone(collector, field, sub_objs, using):
    """A deleted union's appeals go to its federation instead of blocking the deletion or
    being lost with it (route first, so the row satisfies its constraint at every step)."""
    collector.add_field_update(field.model._meta.get_field("route"), Route.FEDERATION, sub_objs)
    collector.add_field_update(field, None, sub_objs)


class Appeal(models.Model):
    """One worker's concern, from intake to closing. Holds no identity (see `Appellant`).

    `handling_federation` decides who oversees it (its whole line upwards sees it);
    `handling_union` is set only while the enterprise union handles it."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="appeals"
    )
    subject = models.CharField(_("subject"), max_length=100)
    body = models.TextField(_("what happened"), max_length=5000)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    enterprise = models.ForeignKey(
        "register.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
    )
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    # What the worker chose; a union may take over later only if the worker chose it.
    requested_route = models.CharField(
        _("route chosen by the worker"), max_length=12, choices=Route.choices
    )
    about_union = models.BooleanField(_("about the enterprise union itself"), default=False)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # The worker agreed that the enterprise union may see their name and phone.
    identity_to_union = models.BooleanField(_("identity shared with the union"), default=False)
    handling_federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("handling federation"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    handling_union = models.ForeignKey(
        "register.Union",
        verbose_name=_("handling union"),
        on_delete=_union_gone,
        null=True,
        blank=True,
        related_name="appeals",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_appeals",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    # Deadlines, in working days from the rules in `conf.py`.
    accept_due_on = models.DateField(_("decide acceptance by"))
    conclude_due_on = models.DateField(_("conclude by"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    # 督辦: the federation that chases the case once it is overdue.
    escalated_to = models.ForeignKey(
        "register.Federation",
        verbose_name=_("escalated to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_appeals",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The tracking code itself is never stored, only its SHA-256.
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The hash of the form's one-time key: a second post of the same form finds this appeal.
    submission_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "accept_due_on"]),
            models.Index(fields=["status", "conclude_due_on"]),
            # The staff list's sort, newest first with the id as tie-break (one index scan,
            # no sort of every visible appeal).
            models.Index(fields=["submitted_at", "id"], name="appeal_submitted_id"),
        ]
        constraints = [
            models.CheckConstraint(
                name="appeal_union_route_has_union",
                condition=Q(route="federation") | Q(handling_union__isnull=False),
            ),
            models.CheckConstraint(
                name="appeal_about_union_goes_to_federation",
                condition=Q(about_union=False) | Q(route="federation"),
            ),
            models.CheckConstraint(
                name="appeal_anonymous_shares_nothing",
                condition=Q(is_anonymous=False) | Q(identity_to_union=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"#{self.pk}"


class Appellant(models.Model):
    """The identity of a named appellant, kept apart from the appeal; none for anonymous ones."""

    appeal = models.OneToOneField(
        Appeal, on_delete=models.CASCADE, related_name="appellant", primary_key=True
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    phone = models.CharField(_("phone"), max_length=20)

    class Meta:
        verbose_name = _("appellant")
        verbose_name_plural = _("appellants")

    def __str__(self) -> str:
        return _("Appellant of appeal %(ref)s") % {"ref": self.appeal_id}


def attachment_upload_to(instance, filename: str) -> str:
    """A random name: the worker's file name may carry their name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"appeals/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    """A photo (re-encoded, metadata stripped) or a document checked by content."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["appeal_id", "id"]

    def __str__(self) -> str:
        return _("Attachment %(number)s") % {"number": self.pk}


class Message(models.Model):
    """A reply shown on the tracking page: from the handlers, or from the worker."""

    class Direction(models.TextChoices):
        TO_WORKER = "to_worker", _("Reply to the worker")
        FROM_WORKER = "from_worker", _("From the worker")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=12, choices=Direction.choices)
    body = models.TextField(_("message"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal message")
        verbose_name_plural = _("appeal messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_direction_display()}"


class ContactNote(models.Model):
    """A handler's note of a phone call with a named worker; seen only by those who may see
    the worker's identity."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="contact_notes")
    body = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phone contact note")
        verbose_name_plural = _("phone contact notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.created_at:%Y-%m-%d}"


class Notification(models.Model):
    """The outbox: one message for one handler on one channel, written in the same transaction
    as the change it reports; delivered (and retried) afterwards. Never carries an identity."""

    class ChannelKind(models.TextChoices):
        INBOX = "inbox", _("In-app inbox")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeal_notifications"
    )
    channel = models.CharField(max_length=8, choices=ChannelKind.choices)
    text = models.CharField(_("text"), max_length=300)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "channel"])]

    def __str__(self) -> str:
        return self.text


class RateLimitBucket(models.Model):
    """Recent hits of one client on one public action; the key is a keyed hash, never an IP."""

    key = models.CharField(max_length=64, unique=True)
    hits = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("rate limit bucket")
        verbose_name_plural = _("rate limit buckets")

    def __str__(self) -> str:
        return self.key[:12]
