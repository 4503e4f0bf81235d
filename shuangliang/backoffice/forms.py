"""Model forms of the back office. Fields are listed explicitly (no mass assignment), and
every choice of a place is limited to what the user may change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangliang.core.access import visible
from shuangliang.register.models import (
    CollectiveContract,
    ContractKind,
    ContractStep,
    Enterprise,
    Federation,
    Officer,
    Person,
    Union,
)
from shuangliang.register.validators import normalise_credit_code


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def grassroots_federations(user):
    """Townships, parks and counties the user may put records in."""
    return visible(Federation.objects.all(), user, "change").exclude(
        level__in=[Federation.Level.NATIONAL, Federation.Level.PROVINCE, Federation.Level.CITY]
    )


FOCUS_FIELDS = (
    "focus_production_difficulty",
    "focus_hardship",
    "focus_labour_disputes",
    "focus_weak_union",
)


class EnterpriseForm(forms.ModelForm):
    """An enterprise's register data. Focus tags are set when the enterprise is entered; later
    changes go through the campaign's focus page, which records each with a date and reason
    (one path, so the record of change is complete)."""

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "federation",
            "ownership",
            "industry",
            "operating_status",
            "headcount",
            "women_headcount",
            "address",
            "focus_production_difficulty",
            "focus_hardship",
            "focus_labour_disputes",
            "focus_weak_union",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = grassroots_federations(user)
        if self.instance.pk:
            for name in FOCUS_FIELDS:
                del self.fields[name]

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data["credit_code"])


class UnionForm(forms.ModelForm):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises covered"),
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("A joint union covers several small enterprises."),
    )

    class Meta:
        model = Union
        fields = [
            "name",
            "kind",
            "federation",
            "credit_code",
            "founded_on",
            "member_count",
            "women_member_count",
            "office_address",
            "office_phone",
            "term_start",
            "term_years",
            "has_audit_committee",
            "has_women_committee",
        ]
        widgets = {"founded_on": DateInput(), "term_start": DateInput()}

    def __init__(self, *args, user, can_move: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = grassroots_federations(user)
        enterprises = visible(Enterprise.objects.all(), user, "change").select_related("federation")
        self.fields["enterprises"].queryset = enterprises
        if self.instance.pk:
            self.fields["enterprises"].initial = list(
                self.instance.enterprises.values_list("pk", flat=True)
            )
        if not can_move:
            # A union chair keeps the profile current but cannot move the union or its firms.
            del self.fields["federation"]
            del self.fields["enterprises"]

    def clean_credit_code(self):
        code = self.cleaned_data.get("credit_code")
        return normalise_credit_code(code) or None


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "mobile",
            "office_phone",
            "office_address",
            "consent_photo",
            "consent_mobile",
            "consent_office_phone",
        ]


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["position", "term_start", "term_end", "is_full_time"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class OfficerEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (Officer.Status.ENDED, Officer.Status.ENDED.label),
            (Officer.Status.REPLACED, Officer.Status.REPLACED.label),
            (Officer.Status.REVOKED, Officer.Status.REVOKED.label),
        ],
    )
    ended_on = forms.DateField(label=_("Left office on"), widget=DateInput())


class ContractForm(forms.ModelForm):
    class Meta:
        model = CollectiveContract
        fields = ["kind", "step", "signed_on", "term_months", "workers_covered"]
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ContractKind.objects.all()

    def clean(self):
        data = super().clean()
        step = data.get("step")
        from shuangliang.register.models import SIGNED_STEPS

        if step in SIGNED_STEPS and not data.get("signed_on"):
            self.add_error("signed_on", _("A signed contract needs its signing date."))
        return data


class ContractAdvanceForm(forms.Form):
    step = forms.ChoiceField(label=_("Next step"), choices=ContractStep.choices)
    reached_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
