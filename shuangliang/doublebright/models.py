"""Double Bright: the public face of a union (its page) and of its cadres (credentials)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# 9 random bytes → 12 URL-safe characters, 72 bits: short enough for a QR code that
# scans from across a room, far too many to enumerate.
TOKEN_BYTES = 9


def new_token() -> str:
    """A fresh unguessable URL-safe token (never derived from a database id)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class UnionPage(models.Model):
    """The public page of one union, reached at an unguessable token instead of its id."""

    union = models.OneToOneField(
        "register.Union",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        related_name="public_page",
    )
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    indexable = models.BooleanField(
        _("search engines may index this page"),
        default=False,
        help_text=_("Off by default: public pages are excluded from search engines."),
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=100,
        blank=True,
        help_text=_("For example: weekdays 8:30–17:30."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public union page")
        verbose_name_plural = _("public union pages")
        ordering = ["union_id"]

    def __str__(self) -> str:
        return str(self.union)


class Credential(models.Model):
    """The verifiable identity of one officer's term, behind the QR code of a badge or card.

    Validity is never stored: it is derived from the officer's term and status on every
    request, so a replaced or ended officer's printed QR code shows "no longer valid" with
    no extra step. Revoking (a lost badge) keeps the row so the old token still explains
    itself; a new credential for the same term is then issued.
    """

    officer = models.ForeignKey(
        "register.Officer",
        verbose_name=_("officer"),
        on_delete=models.CASCADE,
        related_name="credentials",
    )
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cadre credential")
        verbose_name_plural = _("cadre credentials")
        ordering = ["officer_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_credential_per_officer",
                violation_error_message=_("This officer already has a credential in use."),
            )
        ]

    def __str__(self) -> str:
        return str(self.officer)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def union(self):
        """The officer's union (lets the action log scope entries like the union's)."""
        return self.officer.union


def evidence_upload_to(instance, filename: str) -> str:
    """Evidence photos keep the random name `clean_image` gave them, under their own folder."""
    return f"doublebright/evidence/{filename}"


class DoubleBrightStatus(models.Model):
    """One union's Double Bright checklist (雙亮) and where it stands in review.

    Whether the union counts as compliant is never stored: it is computed in the database
    (`doublebright.compliance.compliant_q`) from the state, the items, the evidence and the
    officers' changes since the last submission, so a change of chair takes it away at once.
    """

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("double bright state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("double bright state", "Awaiting review")
        CONFIRMED = "confirmed", pgettext_lazy("double bright state", "Confirmed")
        REJECTED = "rejected", pgettext_lazy("double bright state", "Returned")

    union = models.OneToOneField(
        "register.Union",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        related_name="double_bright_status",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    signboard_hung = models.BooleanField(_("union signboard hung"), default=False)
    signboard_photo = models.ImageField(
        _("photo of the signboard"), upload_to=evidence_upload_to, blank=True
    )
    identities_posted = models.BooleanField(
        _("cadres' identities posted on the notice board"), default=False
    )
    notice_board_photo = models.ImageField(
        _("photo of the notice board"), upload_to=evidence_upload_to, blank=True
    )
    badges_worn = models.BooleanField(_("chair and vice chairs wear their badges"), default=False)
    contact_cards_handed_out = models.PositiveIntegerField(_("contact cards handed out"), default=0)
    address_published = models.BooleanField(_("office address published"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The local date of `submitted_at`, so officer dates compare with it inside the database.
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Double Bright status")
        verbose_name_plural = _("Double Bright statuses")
        ordering = ["union_id"]
        constraints = [
            models.CheckConstraint(
                name="double_bright_submitted_has_time",
                condition=Q(state="draft")
                | Q(submitted_at__isnull=False, submitted_on__isnull=False),
                violation_error_message=_("A submitted status needs its submission time."),
            ),
            models.CheckConstraint(
                name="double_bright_rejected_has_reason",
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                violation_error_message=_("A returned status needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.union)


def print_job_upload_to(instance, filename: str) -> str:
    """Batch PDFs get a random name: they hold cadres' names and, with consent, phones."""
    return f"print/{secrets.token_hex(16)}.pdf"


class PrintJob(models.Model):
    """One batch of print materials (badges, contact cards or signboards) for a federation's
    subtree, rendered in the background into one PDF.

    `cache_key` fingerprints everything the PDF is made from (kind, options, language,
    federation and the state of the data), so a finished job answers any later request with
    the same key until the data changes.
    """

    class Kind(models.TextChoices):
        BADGES = "badges", _("Badges")
        CARDS = "cards", _("Contact cards")
        SIGNBOARDS = "signboards", _("Signboards")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("materials"), max_length=16, choices=Kind.choices)
    options = models.JSONField(_("options"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=print_job_upload_to, blank=True)
    cache_key = models.CharField(max_length=64, db_index=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.federation} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
