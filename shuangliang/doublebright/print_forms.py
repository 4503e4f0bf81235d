"""Options of the print materials: plaque sizes, paper sizes, sheets, and the batch form.

Plaque sizes are real ones (600 x 400 mm and 400 x 600 mm are the usual); a federation
that orders other sizes sets `SIGNBOARD_SIZES_MM` in the settings, as
{"horizontal": [[width, height], ...], "vertical": [...]}, the first of each the default.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.register.models import Federation

from .models import PrintJob

DEFAULT_SIGNBOARD_SIZES_MM = {
    "horizontal": [(600, 400), (900, 600), (1200, 800), (450, 300)],
    "vertical": [(400, 600), (600, 900), (800, 1200), (300, 450)],
}

ORIENTATION_CHOICES = [
    ("horizontal", pgettext_lazy("signboard", "Horizontal")),
    ("vertical", pgettext_lazy("signboard", "Vertical (name top to bottom)")),
]
POSTER_SIZE_CHOICES = [("A4", "A4"), ("A3", "A3")]
BADGE_SHEET_CHOICES = [
    ("single", _("One badge per page, at card size (for a card printer)")),
    ("a4", _("Eight badges to an A4 sheet, with crop marks")),
]
CARD_SHEET_CHOICES = [
    ("a4", _("Ten cards to an A4 sheet, with crop marks")),
    ("single", _("One card per page, at card size")),
]
POSITION_CHOICES = [
    ("leaders", _("Chairs and vice chairs")),
    ("all", _("All cadres in office")),
]


def signboard_sizes() -> dict[str, list[tuple[int, int]]]:
    configured = getattr(settings, "SIGNBOARD_SIZES_MM", None) or DEFAULT_SIGNBOARD_SIZES_MM
    return {
        orientation: [(int(w), int(h)) for w, h in configured.get(orientation, ())]
        or DEFAULT_SIGNBOARD_SIZES_MM[orientation]
        for orientation in DEFAULT_SIGNBOARD_SIZES_MM
    }


def size_label(size: tuple[int, int]) -> str:
    return f"{size[0]} × {size[1]} mm"


def size_key(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


class SignboardForm(forms.Form):
    """Orientation and plaque size; the size must be one offered for the orientation."""

    orientation = forms.ChoiceField(
        label=_("Orientation"), choices=ORIENTATION_CHOICES, initial="horizontal"
    )
    size = forms.ChoiceField(label=_("Plaque size"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sizes = signboard_sizes()
        seen, choices = set(), []
        for orientation in ("horizontal", "vertical"):
            for size in self.sizes[orientation]:
                if size_key(size) not in seen:
                    seen.add(size_key(size))
                    choices.append((size_key(size), size_label(size)))
        self.fields["size"].choices = [("", _("Usual size"))] + choices

    def clean(self):
        data = super().clean()
        orientation = data.get("orientation")
        if orientation is None:
            return data
        offered = self.sizes[orientation]
        chosen = data.get("size")
        if not chosen:
            data["size_mm"] = offered[0]
            return data
        by_key = {size_key(size): size for size in offered}
        if chosen not in by_key:
            self.add_error("size", _("This size does not suit a signboard of this orientation."))
        else:
            data["size_mm"] = by_key[chosen]
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {"orientation": data["orientation"], "size": size_key(data["size_mm"])}


class PosterForm(forms.Form):
    size = forms.ChoiceField(label=_("Paper size"), choices=POSTER_SIZE_CHOICES, initial="A4")


class BadgeSheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Layout"), choices=BADGE_SHEET_CHOICES, initial="single")


class CardSheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Layout"), choices=CARD_SHEET_CHOICES, initial="a4")


def bound(form_class, data):
    """A form over query parameters, falling back to its initial values when they are
    absent or invalid (a PDF link without options prints the usual variant)."""
    form = form_class(data or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data
    fallback = form_class({name: field.initial or "" for name, field in form.fields.items()})
    fallback.is_valid()
    return fallback.cleaned_data


class BatchForm(forms.Form):
    """One PDF of badges, contact cards or signboards for a township or a whole county."""

    federation = forms.ModelChoiceField(
        label=_("Township or county"), queryset=Federation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Materials"), choices=PrintJob.Kind.choices)
    positions = forms.ChoiceField(
        label=_("Cadres (badges and cards)"), choices=POSITION_CHOICES, initial="leaders"
    )
    badge_sheet = forms.ChoiceField(
        label=_("Badge layout"), choices=BADGE_SHEET_CHOICES, initial="a4"
    )
    orientation = forms.ChoiceField(
        label=_("Signboard orientation"), choices=ORIENTATION_CHOICES, initial="horizontal"
    )
    size = forms.ChoiceField(label=_("Plaque size"), required=False)

    def __init__(self, *args, federations, **kwargs):
        super().__init__(*args, **kwargs)
        federations = list(federations)
        self.fields["federation"].queryset = Federation.objects.filter(
            pk__in=[f.pk for f in federations]
        ).order_by("path")
        top = min((f.depth for f in federations), default=0)
        self.fields["federation"].label_from_instance = lambda f: "　" * (f.depth - top) + f.name
        self.sizes = signboard_sizes()
        sizes = {size_key(s): size_label(s) for o in self.sizes.values() for s in o}
        self.fields["size"].choices = [("", _("Usual size")), *sizes.items()]

    def clean(self):
        data = super().clean()
        if data.get("kind") == PrintJob.Kind.SIGNBOARDS and data.get("orientation"):
            offered = {size_key(s): s for s in self.sizes[data["orientation"]]}
            if data.get("size") and data["size"] not in offered:
                self.add_error(
                    "size", _("This size does not suit a signboard of this orientation.")
                )
        return data

    def options(self) -> dict:
        """The options that matter for the chosen kind, and nothing else (so that two
        requests differing only in an unused field share one cached file)."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == PrintJob.Kind.SIGNBOARDS:
            size = data.get("size") or size_key(self.sizes[data["orientation"]][0])
            return {"orientation": data["orientation"], "size": size}
        if kind == PrintJob.Kind.BADGES:
            return {"positions": data["positions"], "sheet": data["badge_sheet"]}
        return {"positions": data["positions"]}
