"""The register (登記入冊): federations, enterprises, unions, officers and contracts."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.core.months import add_months
from shuangliang.core.text import search_key

from .validators import (
    validate_credit_code,
    validate_division_code,
    validate_mobile,
    validate_office_phone,
    validate_plain_text,
    validate_union_credit_code,
)

PATH_SEGMENT_WIDTH = 7  # six base-36 digits and a separator: two billion nodes per path step


def _path_segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while pk:
        pk, rem = divmod(pk, 36)
        out = digits[rem] + out
    return out.rjust(PATH_SEGMENT_WIDTH - 1, "0") + "/"


class Federation(models.Model):
    """A node of the federation tree; `path` makes any subtree one indexed prefix query."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National federation")
        PROVINCE = "province", _("Province federation")
        CITY = "city", _("City federation")
        COUNTY = "county", _("County federation")
        TOWNSHIP = "township", _("Township or street union")
        PARK = "park", _("Industrial park union federation")

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    division_code = models.CharField(
        _("administrative division code"),
        max_length=9,
        unique=True,
        validators=[validate_division_code],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, blank=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    search_text = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name)
        super().save(*args, **kwargs)
        if not self.path:
            prefix = self.parent.path if self.parent_id else ""
            self.path = prefix + _path_segment(self.pk)
            self.depth = len(self.path) // PATH_SEGMENT_WIDTH
            Federation.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    @property
    def is_grassroots_level(self) -> bool:
        return self.level in {self.Level.TOWNSHIP, self.Level.PARK}

    def subtree(self) -> models.QuerySet["Federation"]:
        return Federation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet["Federation"]:
        prefixes = [
            self.path[:end] for end in range(PATH_SEGMENT_WIDTH, len(self.path), PATH_SEGMENT_WIDTH)
        ]
        return Federation.objects.filter(path__in=prefixes).order_by("depth")


class Ownership(models.TextChoices):
    """Registration types; everything but state-owned and collective is non-public (非公)."""

    STATE_OWNED = "state_owned", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    JOINT_STOCK_COOPERATIVE = "joint_stock_cooperative", _("Joint-stock cooperative")
    LIMITED_LIABILITY = "limited_liability", _("Limited liability company")
    JOINT_STOCK = "joint_stock", _("Joint-stock company")
    PRIVATE = "private", _("Private enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    HMT_INVESTED = "hmt_invested", _("Hong Kong, Macao or Taiwan invested")
    FOREIGN_INVESTED = "foreign_invested", _("Foreign invested")
    OTHER = "other", _("Other")


PUBLIC_OWNERSHIPS = (Ownership.STATE_OWNED, Ownership.COLLECTIVE)


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class OperatingStatus(models.TextChoices):
    IN_PRODUCTION = "in_production", _("In production")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


FOCUS_TAGS = {
    "focus_production_difficulty": _("Production difficulties"),
    "focus_hardship": _("Many workers in hardship"),
    "focus_labour_disputes": _("Prominent labour disputes"),
    "focus_weak_union": _("Weak union work"),
}


class Enterprise(models.Model):
    """An employer in a township or park; `union` is the union that covers it, if any."""

    name = models.CharField(_("enterprise name"), max_length=200, validators=[validate_plain_text])
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this credit code is already registered.")},
    )
    ownership = models.CharField(_("ownership type"), max_length=32, choices=Ownership.choices)
    industry = models.CharField(
        _("industry section"), max_length=1, choices=IndustrySection.choices
    )
    headcount = models.PositiveIntegerField(_("employees"), default=0)
    women_headcount = models.PositiveIntegerField(_("women employees"), default=0)
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("township or park"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    operating_status = models.CharField(
        _("operating status"),
        max_length=24,
        choices=OperatingStatus.choices,
        default=OperatingStatus.IN_PRODUCTION,
    )
    focus_production_difficulty = models.BooleanField(
        FOCUS_TAGS["focus_production_difficulty"], default=False
    )
    focus_hardship = models.BooleanField(FOCUS_TAGS["focus_hardship"], default=False)
    focus_labour_disputes = models.BooleanField(FOCUS_TAGS["focus_labour_disputes"], default=False)
    focus_weak_union = models.BooleanField(FOCUS_TAGS["focus_weak_union"], default=False)
    union = models.ForeignKey(
        "Union",
        verbose_name=_("union"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    # Stored for the dashboard's counts (register.stored_figures keeps them, in the same
    # transaction as every change of the union's contracts, the kinds or the attachment):
    # the union held every counted contract kind signed and in force when last written, and
    # the last day all of them stay in force (None: no expiry).
    three_contracts_signed = models.BooleanField(default=False, editable=False)
    three_contracts_until = models.DateField(null=True, blank=True, editable=False)
    # Likewise Double Bright compliance when last written, and the day the earliest officer
    # change dated in the future takes effect (it ends the compliance; None: none).
    double_bright_compliant = models.BooleanField(default=False, editable=False)
    double_bright_changes_on = models.DateField(null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_women_not_above_headcount",
                condition=Q(women_headcount__lte=F("headcount")),
                violation_error_message=_("Women employees cannot exceed all employees."),
            ),
        ]
        indexes = [
            # The dashboard's counts of a place (statistics.figures.register): on PostgreSQL
            # they read this index alone (an index-only scan), not the wide rows; elsewhere
            # it is the plain index of its two fields.
            models.Index(
                fields=["federation", "operating_status"],
                include=[
                    "id",
                    "union",
                    "three_contracts_signed",
                    "three_contracts_until",
                    "double_bright_compliant",
                    "double_bright_changes_on",
                    "ownership",
                    "headcount",
                    "industry",
                    *FOCUS_TAGS,
                ],
                name="enterprise_figures",
            ),
            models.Index(fields=["operating_status", "union"]),
            # The list's sorts, with the id as tie-break (register.selectors.sorted_by).
            models.Index(fields=["name", "id"], name="enterprise_name_id"),
            models.Index(fields=["headcount", "id"], name="enterprise_headcount_id"),
            models.Index(fields=["updated_at", "id"], name="enterprise_updated_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("backoffice:enterprise_detail", args=[self.pk])

    def build_search_text(self) -> str:
        return search_key(self.name, self.credit_code)

    @property
    def is_non_public(self) -> bool:
        return self.ownership not in PUBLIC_OWNERSHIPS

    @property
    def focus_tags(self) -> list[str]:
        return [str(label) for field, label in FOCUS_TAGS.items() if getattr(self, field)]


OFFICER_CHANGE_FIELDS = ("officers_changed_on", "officers_changed_at")


class Union(models.Model):
    """A grassroots union; one union may cover several small enterprises (a joint union)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Enterprise union")
        JOINT = "joint", _("Joint grassroots union")
        PARK = "park", _("Park union")
        INDUSTRY = "industry", _("Industry union")

    class TermYears(models.IntegerChoices):
        THREE = 3, _("3 years")
        FIVE = 5, _("5 years")

    name = models.CharField(_("union name"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("township or park"),
        on_delete=models.PROTECT,
        related_name="unions",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    credit_code = models.CharField(
        _("union credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_union_credit_code],
        error_messages={"unique": _("A union with this credit code is already registered.")},
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    women_member_count = models.PositiveIntegerField(_("women members"), default=0)
    office_address = models.CharField(
        _("office address"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    office_phone = models.CharField(
        _("office phone"), max_length=40, blank=True, validators=[validate_office_phone]
    )
    term_start = models.DateField(_("term started on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term length"), choices=TermYears.choices, default=TermYears.FIVE
    )
    has_audit_committee = models.BooleanField(_("audit committee formed"), default=False)
    has_women_committee = models.BooleanField(_("women workers' committee formed"), default=False)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    # The newest change to its officers (register.officer_changes keeps them; only that
    # module writes them): the date it takes effect, and when it was recorded.
    officers_changed_on = models.DateField(null=True, blank=True, editable=False)
    officers_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                name="union_women_not_above_members",
                condition=Q(women_member_count__lte=F("member_count")),
                violation_error_message=_("Women members cannot exceed all members."),
            ),
        ]
        indexes = [
            # Compliance asks for the few unions whose newest officer change is still ahead.
            models.Index(fields=["officers_changed_on"]),
            # The dashboard's unions and members of a place, from the index alone (PostgreSQL).
            models.Index(
                fields=["federation"], include=["id", "member_count"], name="union_members_of_place"
            ),
            # The list's sorts, with the id as tie-break (register.selectors.sorted_by).
            models.Index(fields=["name", "id"], name="union_name_id"),
            models.Index(fields=["member_count", "id"], name="union_members_id"),
            models.Index(fields=["term_start", "id"], name="union_term_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name, self.credit_code)
        if (
            not self._state.adding
            and self.pk is not None
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
            and not args
        ):
            # Never write back the officers' newest change as this instance read it: an
            # officer may have changed since (register.officer_changes keeps them).
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in OFFICER_CHANGE_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("backoffice:union_detail", args=[self.pk])

    @property
    def reelection_due_on(self) -> datetime.date | None:
        """The day the committee's term ends and re-election (換屆) is due."""
        if not self.term_start:
            return None
        start = self.term_start
        try:
            return start.replace(year=start.year + self.term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.term_years, day=28)

    @property
    def reelection_state(self) -> str:
        """'lapsed', 'due_soon', 'ok', or 'unknown' when no term is recorded."""
        due = self.reelection_due_on
        if due is None:
            return "unknown"
        today = timezone.localdate()
        if due < today:
            return "lapsed"
        if (due - today).days <= settings.REELECTION_WARNING_DAYS:
            return "due_soon"
        return "ok"


class Person(models.Model):
    """A union cadre as a person; positions held over the years are `Officer` rows."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    office_phone = models.CharField(
        _("office phone"), max_length=40, blank=True, validators=[validate_office_phone]
    )
    office_address = models.CharField(
        _("office address"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    # Publication consent per field (PIPL): the name is public by office, the rest is opt-in.
    consent_photo = models.BooleanField(_("photo may be published"), default=False)
    consent_mobile = models.BooleanField(_("mobile may be published"), default=False)
    consent_office_phone = models.BooleanField(_("office phone may be published"), default=False)
    search_text = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("backoffice:person_detail", args=[self.pk])

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    # What may be published (QUALITY.md C1): public pages, print materials and the public
    # API read these, never the raw fields, so consent is decided in one place.
    @property
    def published_mobile(self) -> str:
        return self.mobile if self.consent_mobile else ""

    @property
    def published_office_phone(self) -> str:
        return self.office_phone if self.consent_office_phone else ""

    @property
    def has_published_photo(self) -> bool:
        return bool(self.consent_photo and self.photo)


def mask_phone(value: str) -> str:
    """138****1234: enough to recognise a number, not to dial it."""
    if not value:
        return ""
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    AUDIT_COMMITTEE = "audit_committee", _("Audit committee member")
    WOMEN_COMMITTEE = "women_committee", _("Women's committee member")


class Officer(models.Model):
    """A person holding one position in one union for one term."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("officer status", "In office")
        ENDED = "ended", pgettext_lazy("officer status", "Term ended")
        REPLACED = "replaced", pgettext_lazy("officer status", "Replaced")
        REVOKED = "revoked", pgettext_lazy("officer status", "Revoked")

    class Registration(models.TextChoices):
        PENDING = "pending", _("Not yet registered")
        REGISTERED = "registered", _("Registered")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="officers"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="officers"
    )
    position = models.CharField(_("position"), max_length=24, choices=Position.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_full_time = models.BooleanField(_("full-time"), default=False)
    registration = models.CharField(
        _("registration status"),
        max_length=16,
        choices=Registration.choices,
        default=Registration.PENDING,
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("left office on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["union_id", "position", "term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["union"],
                condition=Q(position="chair", status="active"),
                name="one_active_chair_per_union",
                violation_error_message=_("This union already has a chair in office."),
            ),
            models.CheckConstraint(
                name="officer_term_ends_after_start",
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["union", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.union} · {self.get_position_display()} · {self.person}"

    @classmethod
    def from_db(cls, db, field_names, values):
        officer = super().from_db(db, field_names, values)
        # The union it was read with, refreshed too if the officer moves (officer_changes).
        officer._loaded_union_id = officer.__dict__.get("union_id")
        return officer

    @staticmethod
    def current_q(today: datetime.date, prefix: str = "") -> Q:
        """The database form of `is_current`: in office on `today`."""
        return Q(
            **{f"{prefix}status": Officer.Status.ACTIVE, f"{prefix}term_start__lte": today}
        ) & (Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": today}))

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.term_start <= today
            and (self.term_end is None or self.term_end >= today)
        )


class ContractKind(models.Model):
    """A kind of collective contract; the kinds that count towards 三項合同 are configurable."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    counts_for_three = models.BooleanField(_("counts towards the three contracts"), default=True)
    default_term_months = models.PositiveSmallIntegerField(_("usual term (months)"), default=36)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contract kind")
        verbose_name_plural = _("contract kinds")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ContractStep(models.TextChoices):
    """The steps of a collective contract, in order."""

    OFFER = "offer", _("Offer to negotiate")
    TALKS = "talks", _("Negotiation")
    CONGRESS_APPROVED = "congress_approved", _("Approved by the workers' congress")
    SIGNED = "signed", _("Signed")
    SUBMITTED = "submitted", _("Submitted to the labour department")
    REVIEWED = "reviewed", _("Reviewed")
    IN_FORCE = "in_force", _("In force")
    FILED = "filed", _("Filed with the higher union")


CONTRACT_STEP_ORDER = list(ContractStep.values)
SIGNED_STEPS = CONTRACT_STEP_ORDER[CONTRACT_STEP_ORDER.index(ContractStep.SIGNED) :]


class CollectiveContract(models.Model):
    """One collective contract of a union; `step` is the furthest step reached."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="contracts"
    )
    kind = models.ForeignKey(
        ContractKind, verbose_name=_("contract kind"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(
        _("step"), max_length=24, choices=ContractStep.choices, default=ContractStep.OFFER
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        null=True,
        blank=True,
        help_text=_("Leave empty for the usual term of this kind (a wage contract runs one year)."),
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True, editable=False)
    workers_covered = models.PositiveIntegerField(_("workers covered"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["union_id", "kind__sort_order", "-signed_on"]
        indexes = [models.Index(fields=["union", "kind", "step", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.union} · {self.kind}"

    def save(self, *args, **kwargs):
        if not self.term_months:
            self.term_months = self.kind.default_term_months
        self.expires_on = add_months(self.signed_on, self.term_months) if self.signed_on else None
        super().save(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.step in SIGNED_STEPS


class ContractStepRecord(models.Model):
    """The date a contract reached a step."""

    contract = models.ForeignKey(
        CollectiveContract, on_delete=models.CASCADE, related_name="step_records"
    )
    step = models.CharField(_("step"), max_length=24, choices=ContractStep.choices)
    reached_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contract step")
        verbose_name_plural = _("contract steps")
        ordering = ["reached_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "step"], name="one_record_per_contract_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.reached_on}"
