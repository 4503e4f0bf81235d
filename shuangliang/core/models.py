"""Core models: who may act where (memberships) and what was done (the action log)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Membership(models.Model):
    """A user's role at one place in the tree; a user may hold several.

    Scope follows from the role: staff and leaders see their federation's subtree,
    a union officer sees their own union, an assigned cadre sees their assignments.
    """

    class Role(models.TextChoices):
        FEDERATION_STAFF = "federation_staff", _("Federation staff")
        LEADER = "leader", _("Leader (read-only)")
        ASSIGNED_CADRE = "assigned_cadre", _("Assigned cadre")
        UNION_OFFICER = "union_officer", _("Union chair or cadre")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    union = models.ForeignKey(
        "register.Union",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_place_matches_role",
                condition=(
                    models.Q(role="union_officer", union__isnull=False, federation__isnull=True)
                    | (
                        ~models.Q(role="union_officer")
                        & models.Q(federation__isnull=False, union__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.federation or self.union}"


class ActionLogEntry(models.Model):
    """One change or sensitive view of one object, kept forever; never edited."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200)
    action_type = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The federation path the object lived under, so the log can be scoped like the data.
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log entries")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action_type} {self.object_repr}"


def import_upload_to(instance, filename: str) -> str:
    """Uploaded workbooks get a random name: the original one may carry personal data."""
    import uuid

    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """One uploaded register workbook: its column mapping, progress, errors and outcome.

    Only its creator sees it. The file is deleted once the job has reached an end state.
    """

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking the rows")
        INVALID = "invalid", _("Errors found, nothing imported")
        READY = "ready", _("Checked, ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed, nothing imported")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=import_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    # {sheet title: {column number: field key, or "" to ignore}}, chosen in the mapping step.
    column_mapping = models.JSONField(default=dict, blank=True)
    # [{"sheet", "column", "header"}]: headers the importer did not recognise.
    unknown_columns = models.JSONField(default=list, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # [[sheet, row, column, message]]
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.IMPORTING}


class LoginFailure(models.Model):
    """A failed login for an account name; enough of them lock the account for a while.

    Keyed by the account name, not the client address, so a forged X-Forwarded-For header
    cannot reset the count. No address or password is stored. Rows older than the lockout
    window are deleted as new failures arrive, and all of an account's rows on a successful
    login.
    """

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} · {self.at:%Y-%m-%d %H:%M}"
