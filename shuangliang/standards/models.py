"""Standards (九有 and others), inspections of four kinds, their answers and evidence, and the
rectifications (整改) of failed items.

A standard is versioned: its sections and items hang on a `StandardVersion`; a published
version is never changed again, and every inspection refers to the exact version it was
scored under, so publishing a new version leaves earlier scores as they were.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import Federation, Union
from shuangliang.register.validators import validate_plain_text

DEFAULT_THRESHOLDS = {"model": 90, "qualified": 75, "basic": 60}


class Grade(models.TextChoices):
    """Grades from best to worst; a failed mandatory item caps the grade at NOT_QUALIFIED."""

    MODEL = "model", _("Model")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    NOT_QUALIFIED = "not_qualified", _("Not qualified")


# Grades that count as meeting the standard (the compliance rate's numerator).
PASSING_GRADES = (Grade.MODEL, Grade.QUALIFIED)


class Standard(models.Model):
    """A federation's checklist; what it asks lives in its versions."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="standards",
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    description = models.TextField(_("description"), blank=True, max_length=2000)
    template_code = models.CharField(_("based on template"), max_length=32, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["federation__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standards:standard_detail", args=[self.pk])


class StandardVersion(models.Model):
    """One version of a standard: a draft being edited, or a published, frozen version."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    threshold_model = models.PositiveSmallIntegerField(
        _("model from (%)"),
        default=DEFAULT_THRESHOLDS["model"],
        validators=[MaxValueValidator(100)],
    )
    threshold_qualified = models.PositiveSmallIntegerField(
        _("qualified from (%)"),
        default=DEFAULT_THRESHOLDS["qualified"],
        validators=[MaxValueValidator(100)],
    )
    threshold_basic = models.PositiveSmallIntegerField(
        _("basically qualified from (%)"),
        default=DEFAULT_THRESHOLDS["basic"],
        validators=[MaxValueValidator(100)],
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_unique"),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(state="draft"),
                name="standard_one_draft",
            ),
            models.CheckConstraint(
                name="standard_thresholds_ordered",
                condition=Q(threshold_basic__lte=models.F("threshold_qualified"))
                & Q(threshold_qualified__lte=models.F("threshold_model")),
                violation_error_message=_(
                    "The thresholds must rise from basically qualified to qualified to model."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.name} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def federation(self) -> Federation:
        """The standard's federation (lets the action log scope entries)."""
        return self.standard.federation


class Section(models.Model):
    """A heading of a version's checklist."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One checked item: points, whether it is mandatory, its evidence and how it is judged."""

    class Evidence(models.TextChoices):
        NONE = "none", _("None")
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")
        NUMBER = "number", _("Number")

    class Judgement(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        SCALE = "scale", _("Scale")
        NUMBER = "number", _("Number against a threshold")

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("item"), max_length=300, validators=[validate_plain_text])
    guidance = models.TextField(_("how to check"), blank=True, max_length=2000)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    mandatory = models.BooleanField(_("mandatory (必備)"), default=False)
    evidence = models.CharField(
        _("evidence"), max_length=12, choices=Evidence.choices, default=Evidence.NONE
    )
    judgement = models.CharField(
        _("judged by"), max_length=12, choices=Judgement.choices, default=Judgement.YES_NO
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest level of the scale"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    pass_level = models.PositiveSmallIntegerField(
        _("level that passes"),
        default=2,
        help_text=_("On a scale, a level below this counts as failed."),
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A number at or above the threshold earns the points."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    allow_na = models.BooleanField(_("may be not applicable"), default=False)

    class Meta:
        ordering = ["section__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_levels(self) -> range:
        return range(0, self.scale_max + 1)


class InspectionRound(models.Model):
    """A spot, mutual or supervisory check run by a federation, with the draw that chose its
    unions (parameters and seed, so the same draw can be made again)."""

    class Kind(models.TextChoices):
        SPOT = "spot", _("Spot check")
        MUTUAL = "mutual", _("Mutual check")
        SUPERVISORY = "supervisory", _("Supervisory check")

    federation = models.ForeignKey(
        Federation, verbose_name=_("federation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, validators=[validate_plain_text])
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    seed = models.CharField(_("seed"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    drawn = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standards:round_detail", args=[self.pk])


def new_seed() -> str:
    return secrets.token_hex(8)


class Inspection(models.Model):
    """One union checked against one exact standard version: its answers and, once
    submitted, its score and grade (kept as scored, whatever later versions say)."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-check")
        SPOT = "spot", _("Spot check")
        MUTUAL = "mutual", _("Mutual check")
        SUPERVISORY = "supervisory", _("Supervisory check")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A union deleted from the register (a mistake put right) takes its inspections with it.
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="inspections"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        InspectionRound,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspections",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    inspector_union = models.ForeignKey(
        Union,
        verbose_name=_("inspecting union"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    earned = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    mandatory_failed = models.BooleanField(default=False)
    # The union's result under the standard for the year (its latest submitted inspector's
    # check), stored and kept exact by standards.results.
    is_result = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "union"],
                condition=Q(round__isnull=False),
                name="inspection_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["union", "version", "year"],
                condition=Q(kind="self"),
                name="self_check_once_per_version_and_year",
            ),
            models.CheckConstraint(
                name="inspection_not_by_itself",
                condition=~Q(inspector_union=models.F("union")),
            ),
        ]
        indexes = [
            models.Index(fields=["union", "kind", "state"]),
            # The inspection list's sort (year, state, last change), id as tie-break.
            models.Index(
                fields=["-year", "state", "-updated_at", "-id"], name="inspection_list_sort"
            ),
            # The results of a year (dashboards, rankings, notices).
            models.Index(
                fields=["year", "union"], condition=Q(is_result=True), name="inspection_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.union.name} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("standards:inspection_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Answer(models.Model):
    """The judgement of one item in one inspection, and what it earned when scored."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    yes = models.BooleanField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    earned = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    failed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item__section__position", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.item_id}"

    @property
    def union(self) -> Union:
        return self.inspection.union

    @property
    def is_answered(self) -> bool:
        return (
            self.not_applicable
            or self.yes is not None
            or self.level is not None
            or self.number is not None
        )


def evidence_upload_to(instance, filename: str) -> str:
    """Evidence keeps the random name `clean_image` gave it, under its own folder."""
    return f"standards/evidence/{filename}"


class Evidence(models.Model):
    """A photo (of the place, or of a document) uploaded for an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    photo = models.ImageField(_("photo"), upload_to=evidence_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.photo.name

    @property
    def union(self) -> Union:
        return self.answer.inspection.union


class Rectification(models.Model):
    """A task to put right a failed item, with its deadline and the person responsible;
    closed by the union with evidence, then verified (re-inspected) or reopened by staff."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed, awaiting re-inspection")
        VERIFIED = "verified", _("Verified")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rectifications"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="rectifications"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    problem = models.CharField(_("problem"), max_length=500)
    deadline = models.DateField(_("deadline"))
    responsible = models.CharField(
        _("responsible person"), max_length=50, validators=[validate_plain_text]
    )
    closing_note = models.CharField(_("what was done"), max_length=1000, blank=True)
    closing_photo = models.ImageField(_("photo"), upload_to=evidence_upload_to, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="rectification_once_per_failed_item"
            )
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.union.name} · {self.problem[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("standards:rectification_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.deadline < timezone.localdate()
