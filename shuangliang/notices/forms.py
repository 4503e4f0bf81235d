"""Forms of notices and model units: they bind and validate; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Designation, Notice


class NoticeCreateForm(forms.Form):
    """A new draft: who issues it, about which year and standard."""

    federation = forms.ModelChoiceField(label=_("Issuing federation"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    year = forms.IntegerField(label=_("Year of the inspections"), min_value=2000, max_value=2100)

    def __init__(self, *args, federations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = federations

    def clean_title(self):
        title = self.cleaned_data["title"]
        Notice._meta.get_field("title").run_validators(title)
        return title


class NoticeEditForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "number_prefix", "free_text"]
        widgets = {"free_text": forms.Textarea(attrs={"rows": 10})}


class DesignationProposeForm(forms.ModelForm):
    union = forms.ModelChoiceField(label=_("Union"), queryset=None)

    class Meta:
        model = Designation
        fields = ["union", "year", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["year"].min_value = 2000


class DesignationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the proposal is refused."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the proposal is refused."))
        return data
