"""Forms of the standards pages. They bind and validate; the services decide."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.core.access import visible
from shuangliang.core.images import ACCEPT_ATTRIBUTE
from shuangliang.register.models import Federation

from .models import InspectionRound, Item, Section, Standard, StandardVersion
from .sampling import WEIGHTS
from .services import ITEM_FIELDS
from .template_data import TEMPLATES

# Phones: the camera opens straight from the file input; images only.
PHOTO_ATTRS = {"accept": "image/*", "capture": "environment", "class": "photo-input"}


class TemplateCopyForm(forms.Form):
    """Start a federation's own standard from a shipped template."""

    template = forms.ChoiceField(
        label=_("Template"), choices=[(code, t.label) for code, t in TEMPLATES.items()]
    )
    federation = forms.ModelChoiceField(
        label=_("For federation"), queryset=Federation.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = visible(Federation.objects.all(), user, "change")


class StandardCopyForm(forms.Form):
    """Copy a standard one can see (e.g. the higher federation's) to change it."""

    source = forms.ModelChoiceField(label=_("Standard to copy"), queryset=Standard.objects.none())
    federation = forms.ModelChoiceField(
        label=_("For federation"), queryset=Federation.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = visible(Standard.objects.all(), user)
        self.fields["federation"].queryset = visible(Federation.objects.all(), user, "change")


class StandardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea
    )
    threshold_model = forms.IntegerField(label=_("Model from (%)"), min_value=0, max_value=100)
    threshold_qualified = forms.IntegerField(
        label=_("Qualified from (%)"), min_value=0, max_value=100
    )
    threshold_basic = forms.IntegerField(
        label=_("Basically qualified from (%)"), min_value=0, max_value=100
    )

    def clean(self):
        data = super().clean()
        model, qualified, basic = (
            data.get("threshold_model"),
            data.get("threshold_qualified"),
            data.get("threshold_basic"),
        )
        if None not in (model, qualified, basic) and not basic <= qualified <= model:
            raise ValidationError(
                _("The thresholds must rise from basically qualified to qualified to model.")
            )
        return data


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=120)


class ItemForm(forms.ModelForm):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())

    class Meta:
        model = Item
        fields = ["section", *ITEM_FIELDS]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, version: StandardVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all()

    def clean(self):
        data = super().clean()
        if data.get("judgement") == Item.Judgement.NUMBER and data.get("threshold") is None:
            self.add_error("threshold", _("A number is judged against a threshold: give one."))
        if (
            data.get("judgement") == Item.Judgement.SCALE
            and data.get("pass_level") is not None
            and data.get("scale_max") is not None
            and data["pass_level"] > data["scale_max"]
        ):
            self.add_error("pass_level", _("The passing level cannot be above the highest level."))
        return data


class RoundForm(forms.Form):
    """A spot, mutual or supervisory check: what, where, and how the unions are chosen."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionRound.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    federation = forms.ModelChoiceField(label=_("Federation"), queryset=Federation.objects.none())
    version = forms.ModelChoiceField(label=_("Standard"), queryset=StandardVersion.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=_("Sample by"),
        choices=[("percent", _("Percentage of unions")), ("number", _("Number of unions"))],
        initial="percent",
    )
    value = forms.DecimalField(
        label=_("Percentage or number"), min_value=Decimal("0.1"), max_digits=7, decimal_places=1
    )
    weight = forms.ChoiceField(
        label=_("Weight the draw towards"),
        choices=[
            ("none", _("No weighting")),
            ("focus", _("Focus enterprises")),
            ("never_inspected", _("Unions never inspected")),
        ],
        initial="none",
    )
    allow_same_township = forms.BooleanField(
        label=_("Mutual check: allow pairs within the same township"), required=False
    )
    seed = forms.CharField(
        label=_("Seed"),
        required=False,
        max_length=40,
        help_text=_("Leave empty for a new draw; the same seed repeats the same draw."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = visible(Federation.objects.all(), user, "change")
        self.fields["version"].queryset = (
            visible(StandardVersion.objects.all(), user)
            .filter(state=StandardVersion.State.PUBLISHED)
            .select_related("standard")
        )
        self.fields["year"].initial = timezone.localdate().year
        self.fields["value"].required = False

    def clean(self):
        data = super().clean()
        if data.get("kind") != InspectionRound.Kind.MUTUAL:
            value = data.get("value")
            if value is None:
                self.add_error("value", _("Give a percentage or a number of unions."))
            elif data.get("mode") == "percent" and value > 100:
                self.add_error("value", _("A percentage cannot be above 100."))
            elif data.get("mode") == "number" and value != int(value):
                self.add_error("value", _("Give a whole number of unions."))
        if data.get("weight") not in WEIGHTS:
            self.add_error("weight", _("Choose a weighting."))
        return data

    def params(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == InspectionRound.Kind.MUTUAL:
            return {"allow_same_township": bool(data.get("allow_same_township"))}
        value = data["value"]
        return {
            "mode": data["mode"],
            "value": str(value) if data["mode"] == "percent" else int(value),
            "weight": data["weight"],
        }


class RectificationCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=_("Photo of the item put right"),
        widget=forms.ClearableFileInput(
            attrs={**PHOTO_ATTRS, "accept": ACCEPT_ATTRIBUTE + ",image/*"}
        ),
    )


class RectificationUpdateForm(forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.CharField(label=_("Responsible person"), max_length=50)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong"), max_length=500)


# The one inspection form ------------------------------------------------------------------

NA = "na"


def parse_answers(items: list[Item], data) -> tuple[dict[int, dict], dict[int, str]]:
    """Answers from posted data, only for the items whose fields were posted (so saving one
    answer as you go leaves the others alone): ({item id: fields}, {item id: error})."""
    answers: dict[int, dict] = {}
    errors: dict[int, str] = {}
    for item in items:
        key, note_key = f"a{item.pk}", f"n{item.pk}"
        fields: dict = {}
        if note_key in data:
            fields["note"] = str(data.get(note_key, ""))[:500]
        if key in data:
            raw = str(data.get(key, "")).strip()
            na = raw == NA or data.get(f"na{item.pk}") == "on"
            fields.update(not_applicable=False, yes=None, level=None, number=None)
            if na and item.allow_na:
                fields["not_applicable"] = True
            elif raw == "":
                pass
            elif item.judgement == Item.Judgement.YES_NO:
                if raw not in ("yes", "no"):
                    errors[item.pk] = str(_("Choose yes or no."))
                    continue
                fields["yes"] = raw == "yes"
            elif item.judgement == Item.Judgement.SCALE:
                if not raw.isdigit() or int(raw) > item.scale_max:
                    errors[item.pk] = str(_("Choose a level of the scale."))
                    continue
                fields["level"] = int(raw)
            else:
                try:
                    number = Decimal(raw.replace(",", "."))
                except InvalidOperation:
                    errors[item.pk] = str(_("Enter a number."))
                    continue
                if not number.is_finite() or abs(number) >= Decimal("1e10"):
                    errors[item.pk] = str(_("Enter a number."))
                    continue
                fields["number"] = number.quantize(Decimal("0.01"))
        if fields:
            answers[item.pk] = fields
    return answers, errors


def parse_photos(items: list[Item], files) -> dict[int, list]:
    return {item.pk: files.getlist(f"p{item.pk}") for item in items if files.getlist(f"p{item.pk}")}
