"""Forms of the Double Bright status pages. Plain forms (not model forms): the services do
every write, and only the fields listed here can be posted (no mass assignment)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangliang.backoffice.filters import ScopedFilterForm
from shuangliang.core.images import ACCEPT_ATTRIBUTE
from shuangliang.register.validators import validate_plain_text

from .models import DoubleBrightStatus, UnionPage
from .status_selectors import Coverage

MAX_CONTACT_CARDS = 100_000


class PhotoInput(forms.ClearableFileInput):
    """A file input that offers the phone's camera first."""

    clear_checkbox_label = ""

    def __init__(self):
        super().__init__(attrs={"accept": ACCEPT_ATTRIBUTE, "capture": "environment"})

    def is_initial(self, value):  # never render the stored file's name or URL
        return False


class StatusForm(forms.Form):
    """The checklist as the union fills it in; photos replace the stored ones when given."""

    signboard_hung = forms.BooleanField(
        label=_("The union signboard is hung at the gate or office"), required=False
    )
    signboard_photo = forms.FileField(
        label=_("Photo of the signboard at the gate or office"),
        required=False,
        widget=PhotoInput(),
        help_text=_("JPEG, PNG or WebP. The photo is stored without its location data."),
    )
    identities_posted = forms.BooleanField(
        label=_("The cadres' identities are posted on the notice board"), required=False
    )
    notice_board_photo = forms.FileField(
        label=_("Photo of the notice board showing the cadres"),
        required=False,
        widget=PhotoInput(),
        help_text=_("JPEG, PNG or WebP. The photo is stored without its location data."),
    )
    badges_worn = forms.BooleanField(
        label=_("The chair and vice chairs wear their badges on duty"), required=False
    )
    contact_cards_handed_out = forms.IntegerField(
        label=_("Number of contact cards handed out"),
        min_value=0,
        max_value=MAX_CONTACT_CARDS,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    address_published = forms.BooleanField(
        label=_("Office address published (bulletin board, website or intranet)"),
        required=False,
    )

    ITEMS = [
        "signboard_hung",
        "identities_posted",
        "badges_worn",
        "contact_cards_handed_out",
        "address_published",
    ]
    PHOTOS = ["signboard_photo", "notice_board_photo"]

    @classmethod
    def initial_for(cls, status: DoubleBrightStatus) -> dict:
        return {name: getattr(status, name) for name in cls.ITEMS}

    def items(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ITEMS}

    def photos(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PHOTOS if self.cleaned_data[name]}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give a reason for returning it, so the union knows what to fix.")
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Give a reason for returning it, so the union knows what to fix."),
                code="required",
            )
        return reason


class ContactForm(forms.Form):
    """The union's office address (register) and office hours (public page)."""

    office_address = forms.CharField(
        label=_("Office address"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Shown on the public page and the notice-board poster."),
    )
    office_hours = forms.CharField(
        label=UnionPage._meta.get_field("office_hours").verbose_name,
        max_length=100,
        required=False,
        validators=[validate_plain_text],
        help_text=UnionPage._meta.get_field("office_hours").help_text,
    )


class CoverageFilterForm(ScopedFilterForm):
    coverage = forms.ChoiceField(
        label=_("Double Bright state"),
        required=False,
        choices=[("", _("All")), *Coverage.choices],
    )

    def to_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "coverage": data.get("coverage") or "",
        }
