"""The campaign plan: a period in phases (and their stages), targets and tasks."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """What a target measures; each maps to one figure of `register.selectors.stats_summary`."""

    DOUBLE_BRIGHT = "double_bright", _("Double Bright coverage")
    UNION_FOUNDING = "union_founding", _("Union founding rate")
    THREE_CONTRACTS = "three_contracts", _("Three-contract rate")


class Campaign(models.Model):
    """A federation's campaign plan; its federation's subtree sees and follows it."""

    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    template_code = models.CharField(_("template"), max_length=50, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="campaign_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The campaign cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:campaign_detail", args=[self.pk])

    @property
    def total_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Phase(models.Model):
    """A phase of the campaign, or (with a parent) a stage of a phase."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("phase"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stages",
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goal = models.TextField(_("what this phase should achieve"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign_id", "starts_on", "order", "id"]
        constraints = [
            models.CheckConstraint(
                name="phase_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The phase cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:campaign_detail", args=[self.campaign_id])

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Target(models.Model):
    """A figure to reach by a date, e.g. Double Bright coverage of 50 % by the end of year one;
    the actual value is never stored, it is measured from the register when shown."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.CharField(_("measure"), max_length=32, choices=Metric.choices)
    percent = models.PositiveSmallIntegerField(
        _("target (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    due_on = models.DateField(_("to reach by"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign_id", "due_on", "metric", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "metric", "due_on"],
                name="target_one_per_metric_and_date",
                violation_error_message=_("This measure already has a target on that date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.percent}% · {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:campaign_detail", args=[self.campaign_id])


class Task(models.Model):
    """A piece of work of the plan with a due date; a lower federation may add its own to a
    higher federation's campaign (`federation` is who owns the task)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="tasks"
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("responsible federation"),
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
    )
    title = models.CharField(_("task"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["campaign", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign:campaign_detail", args=[self.campaign_id])

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
