"""Monthly snapshots of the figures per federation, and each federation's statistics settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlySnapshot(models.Model):
    """The counts of one federation's subtree for one month (rates are derived from them);
    one row per federation and month, whoever takes it how often."""

    class Source(models.TextChoices):
        TAKEN = "taken", _("Taken from the register")
        DERIVED = "derived", _("Derived from record dates and the action log")

    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="monthly_snapshots",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    counts = models.JSONField(_("counts"), default=dict)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # A derived month: per count, where its value comes from ("action_log": rebuilt from the
    # logged changes where there are any, "record_dates", "not_kept"); empty when taken.
    sources = models.JSONField(_("sources per count"), default=dict, blank=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly snapshot")
        verbose_name_plural = _("monthly snapshots")
        ordering = ["federation_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "month"], name="one_snapshot_per_federation_and_month"
            ),
            models.CheckConstraint(
                name="snapshot_month_is_first_day", condition=models.Q(month__day=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.federation_id} {self.month:%Y-%m}"


class StatisticsSettings(models.Model):
    """A federation's choices about its statistics: whether its open-data page is public."""

    federation = models.OneToOneField(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="statistics_settings",
    )
    open_data = models.BooleanField(
        _("publish open statistics"),
        default=False,
        help_text=_(
            "Anyone may then read this federation's aggregate figures, without logging in. "
            "Appeal counts below the threshold are never shown."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("statistics settings")
        verbose_name_plural = _("statistics settings")

    def __str__(self) -> str:
        return str(self.federation_id)


# Tallies (statistics.tallies): counts kept per federation for the dashboards -----------------


class AppealTally(models.Model):
    """The appeals handled by a federation, counted per category (statistics.figures.appeals):
    one row for those no longer open, one per due day for the open ones (overdue: due
    before today)."""

    federation = models.ForeignKey(
        "register.Federation", on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey("appeals.Category", on_delete=models.CASCADE, related_name="+")
    is_open = models.BooleanField()
    due_on = models.DateField(null=True)
    received = models.PositiveIntegerField()
    accepted = models.PositiveIntegerField()
    concluded = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()
    rated = models.PositiveIntegerField()
    satisfied = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["federation", "is_open", "due_on"])]

    def __str__(self) -> str:
        return f"{self.federation_id} · {self.due_on or '-'} · {self.received}"


class ResultTally(models.Model):
    """The inspection results of a year of the unions of a federation, per grade
    (standards.figures)."""

    federation = models.ForeignKey(
        "register.Federation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=16)  # standards.models.Grade
    assessed = models.PositiveIntegerField()
    compliant = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["federation", "year"])]

    def __str__(self) -> str:
        return f"{self.federation_id} · {self.year} · {self.assessed}"


class RectificationTally(models.Model):
    """The open rectifications of the unions of a federation, per deadline
    (standards.tallies; overdue: deadline before today)."""

    federation = models.ForeignKey(
        "register.Federation", on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField()
    open = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["federation", "deadline"])]

    def __str__(self) -> str:
        return f"{self.federation_id} · {self.deadline} · {self.open}"
