"""Filters of the inspection and rectification lists (the staff lists filter by kind, state
and place from the query string without a form; here they are forms, so a bad value is a
400 and the schema shows the choices)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangliang.backoffice.filters import ScopedFilterForm
from shuangliang.standards.models import Grade, Inspection, Rectification


class InspectionFilterForm(ScopedFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Inspection.Kind.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + Inspection.State.choices
    )
    grade = forms.ChoiceField(
        label=_("Grade"), required=False, choices=[("", _("All"))] + Grade.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    union = forms.IntegerField(label=_("Union"), required=False, min_value=1)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "kind": data.get("kind") or "",
            "state": data.get("state") or "",
            "grade": data.get("grade") or "",
            "year": data.get("year"),
            "union": data.get("union"),
        }


class RectificationFilterForm(ScopedFilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), *Rectification.State.choices, ("overdue", _("Overdue"))],
    )
    union = forms.IntegerField(label=_("Union"), required=False, min_value=1)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "state": data.get("state") or "",
            "union": data.get("union"),
        }
