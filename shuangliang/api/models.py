"""API tokens: secrets that integrations use to act as one user, within limits of their own."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.register.validators import validate_plain_text


class ApiToken(models.Model):
    """A bearer secret acting as its user: never more than the user may, narrowed to one
    federation's subtree and to reading when so set. Only a SHA-256 hash of the secret is
    stored; the secret itself is shown once, when the token is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validate_plain_text],
        help_text=_("What the token is for, such as the name of the system that uses it."),
    )
    key_prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("limited to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for everything you may see; otherwise this subtree only."),
    )
    can_write = models.BooleanField(
        _("may change data"),
        default=False,
        help_text=_("Off: the token may only read."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        """Neither revoked nor expired (the user's own state is checked on each use)."""
        return self.revoked_at is None and not self.is_expired
