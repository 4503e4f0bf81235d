"""Core models: who may act where (memberships) and what was done (the action log)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
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
