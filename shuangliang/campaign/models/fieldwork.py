"""Field work: visits (走訪) with their follow-ups and photos, and focus-enterprise plans."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import FOCUS_TAGS


class Visit(models.Model):
    """One visit of a cadre to an enterprise: who was met, what workers raised, what was done."""

    enterprise = models.ForeignKey(
        "register.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="campaign_visits",
    )
    visited_on = models.DateField(_("date of visit"))
    met_union_chair = models.BooleanField(_("met the union chair"), default=False)
    met_workers = models.BooleanField(_("met workers"), default=False)
    met_management = models.BooleanField(_("met the management"), default=False)
    people_met = models.CharField(_("who was met"), max_length=200, blank=True)
    workers_raised = models.TextField(_("what workers raised"), blank=True)
    done_on_spot = models.TextField(_("what was done on the spot"), blank=True)
    contact_cards = models.PositiveSmallIntegerField(
        _("contact cards handed out"), default=0, validators=[MaxValueValidator(10000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "visited_on"]),
            models.Index(fields=["visitor", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:visit_detail", args=[self.pk])


class VisitPhoto(models.Model):
    """A photo taken on a visit, stored as a cleaned JPEG (core.images.clean_image)."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="visits/%Y/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.visit} #{self.pk}"


class FollowUp(models.Model):
    """Something promised on a visit, owned by one person and tracked until it is closed."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("what is to be done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="campaign_follow_ups",
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN, editable=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("outcome"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="follow_up_closed_has_date",
                condition=Q(state="open", closed_on__isnull=True)
                | Q(state="closed", closed_on__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("campaign:visit_detail", args=[self.visit_id])

    def is_overdue_on(self, day) -> bool:
        return self.state == self.State.OPEN and self.due_on < day


class FocusPlan(models.Model):
    """The plan for a focus enterprise: who looks after it, how often, what should improve."""

    enterprise = models.OneToOneField(
        "register.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="focus_plan",
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible cadre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_plans",
    )
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit every (days)"), default=14, validators=[MinValueValidator(1)]
    )
    improvements = models.TextField(_("what should improve"))
    progress = models.TextField(_("progress so far"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("focus enterprise plan")
        verbose_name_plural = _("focus enterprise plans")

    def __str__(self) -> str:
        return str(self.enterprise)

    def get_absolute_url(self) -> str:
        return reverse("campaign:focus_detail", args=[self.enterprise_id])


class FocusTagChange(models.Model):
    """A focus tag put on or taken off an enterprise, with the date and the reason."""

    enterprise = models.ForeignKey(
        "register.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="focus_tag_changes",
    )
    tag = models.CharField(_("focus tag"), max_length=40, choices=list(FOCUS_TAGS.items()))
    added = models.BooleanField(_("tag added"))
    changed_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("focus tag change")
        verbose_name_plural = _("focus tag changes")
        ordering = ["-changed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="focus_tag_change_has_reason",
                condition=~Q(reason=""),
                violation_error_message=_("Give a reason for the change."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tag_display()} · {self.changed_on:%Y-%m-%d}"
