"""Filters of the API's lists. Enterprises, unions and officers use the staff lists' own
filter forms (backoffice.filters); contracts, which have no staff list, get one here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangliang.backoffice.filters import YES_NO, ScopedFilterForm
from shuangliang.register.models import ContractStep
from shuangliang.register.selectors import ENTERPRISE_SORTS

ENTERPRISE_SORT_CHOICES = [(key, key) for key in ENTERPRISE_SORTS]
UNION_SORT_CHOICES = [
    (key, key) for key in ("name", "-name", "members", "-members", "term", "-term")
]


class SortForm(forms.Form):
    sort = forms.ChoiceField(label=_("Sort"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [("", "")] + list(choices)


class ContractFilterForm(ScopedFilterForm):
    union = forms.IntegerField(label=_("Union"), required=False, min_value=1)
    kind = forms.SlugField(label=_("Contract kind"), required=False, max_length=32)
    step = forms.ChoiceField(
        label=_("Step"), required=False, choices=[("", _("All"))] + ContractStep.choices
    )
    in_force = forms.ChoiceField(label=_("In force"), required=False, choices=YES_NO)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "union": data.get("union"),
            "kind": data.get("kind") or "",
            "step": data.get("step") or "",
            "in_force": {"yes": True, "no": False}.get(data.get("in_force") or ""),
        }
