"""Work teams and assignments (掛點) of federation cadres to enterprises."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class WorkTeam(models.Model):
    """A team of federation cadres that goes out to enterprises."""

    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="work_teams",
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="work_teams"
    )

    class Meta:
        verbose_name = _("work team")
        verbose_name_plural = _("work teams")
        ordering = ["federation_id", "name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A federation cadre assigned to an enterprise for a period; open-ended when no end date."""

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    enterprise = models.ForeignKey(
        "register.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    team = models.ForeignKey(
        WorkTeam,
        verbose_name=_("work team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    position_title = models.CharField(_("position"), max_length=100, blank=True)
    public_phone = models.CharField(_("phone published to workers"), max_length=40, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit every (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("The target frequency of visits to this enterprise."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="assignment_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The assignment cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["cadre", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise}"

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


def active_assignment_q(day, prefix: str = "") -> Q:
    """Assignments running on `day` (prefix leads to the assignment)."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )
