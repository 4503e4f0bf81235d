"""Model units (示範單位) and notices of results (通報), with the inbox of the unions named."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangliang.register.validators import validate_plain_text


def validate_paragraphs(value: str) -> None:
    """Like a name (printed in a PDF: no emoji or control codes), but line breaks are kept."""
    validate_plain_text((value or "").replace("\r\n", "").replace("\n", ""))


class Designation(models.Model):
    """A union proposed as a model unit for a year by its township, decided by the county.

    At most one proposal per union and year is open or approved; a refused one may be
    proposed again."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    union = models.ForeignKey(
        "register.Union",
        verbose_name=_("union"),
        on_delete=models.CASCADE,
        related_name="designations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(
        _("why this union is proposed"), max_length=2000, validators=[validate_paragraphs]
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    decision_reason = models.TextField(
        _("reason of the decision"), max_length=2000, blank=True, validators=[validate_paragraphs]
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("model unit designation")
        verbose_name_plural = _("model unit designations")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"],
                condition=~Q(state="refused"),
                name="one_open_or_approved_designation_per_union_and_year",
                violation_error_message=_(
                    "This union is already proposed or approved as a model unit for that year."
                ),
            ),
            models.CheckConstraint(
                name="designation_year_plausible",
                condition=Q(year__gte=2000) & Q(year__lte=2100),
            ),
        ]
        indexes = [models.Index(fields=["union", "state"])]

    def __str__(self) -> str:
        return f"{self.union} {self.year}"


class NoticeSequence(models.Model):
    """The last document number a federation issued in a year (〔2026〕N号)."""

    federation = models.ForeignKey(
        "register.Federation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "year"], name="one_notice_sequence_per_federation_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id} {self.year}: {self.last_number}"


class Notice(models.Model):
    """A notice of inspection results (通報) issued by a federation about its subtree.

    Its figures and tables are frozen when drafted (refreshed on request while a draft), so a
    published notice reads the same whatever happens to the data afterwards. Only a
    published notice has a document number and is public."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        APPROVED = "approved", _("Approved, not yet published")
        PUBLISHED = "published", _("Published")

    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("issuing federation"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    number_prefix = models.CharField(
        _("document number prefix"),
        max_length=20,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Printed before the year, as in 某工通〔2026〕3号."),
    )
    number_year = models.PositiveSmallIntegerField(_("year of the number"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the inspections"))
    standard = models.ForeignKey(
        "standards.Standard",
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    # {"unions", "inspected", "grades": {grade: count}}: the counts the paragraph is made of.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    # [{"union_id", "name", "township", "score", "grade"}] in ranking order.
    commended = models.JSONField(_("units commended"), default=list, blank=True)
    to_improve = models.JSONField(_("units to improve"), default=list, blank=True)
    free_text = models.TextField(
        _("requirements and next steps"),
        max_length=5000,
        blank=True,
        validators=[validate_paragraphs],
        help_text=_("One paragraph per line."),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    review_comment = models.CharField(
        _("review comment"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="one_notice_per_document_number",
            ),
            models.CheckConstraint(
                name="published_notice_has_number",
                condition=~Q(state="published")
                | Q(number__isnull=False, number_year__isnull=False, issued_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["federation", "state", "-issued_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def document_number(self) -> str:
        """某工通〔2026〕3号 once published; empty before."""
        if self.number is None:
            return ""
        return f"{self.number_prefix}〔{self.number_year}〕{self.number}号"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class NoticeDelivery(models.Model):
    """A published notice in the inbox of a union it names (commended or to improve)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    union = models.ForeignKey(
        "register.Union", on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    commended = models.BooleanField(_("commended"), default=False)
    delivered_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "union"], name="one_delivery_per_union")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.union_id}"
