"""Forms of the campaign pages. Fields are listed explicitly (no mass assignment); every
choice of a place, enterprise, team or person is limited to what the user may change."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.core.access import visible
from shuangliang.core.images import ACCEPT_ATTRIBUTE
from shuangliang.register.models import FOCUS_TAGS, Enterprise, Federation

from .models import (
    Assignment,
    Campaign,
    FocusPlan,
    FollowUp,
    Phase,
    Target,
    Task,
    Visit,
    WorkTeam,
)
from .plan_templates import PLAN_TEMPLATES
from .selectors import follow_up_owner_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _user_label(user) -> str:
    full = f"{user.last_name}{user.first_name}".strip()
    return f"{full} ({user.username})" if full else user.username


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


def federation_cadres(user):
    """People who may join a team or be assigned: active users holding a federation role
    (staff or assigned cadre) in a federation the user may change."""
    from shuangliang.core.models import Membership

    places = visible(Federation.objects.all(), user, "change").values("pk")
    members = Membership.objects.filter(
        is_active=True,
        federation__in=places,
        role__in=[Membership.Role.FEDERATION_STAFF, Membership.Role.ASSIGNED_CADRE],
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("username")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input, as a phone's camera roll picks them."""

    max_files = 6

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Attach at most %(count)s photos.") % {"count": self.max_files}
            )
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


class CampaignCreateForm(forms.Form):
    """Instantiate a plan template for a federation from a start date."""

    template = forms.ChoiceField(label=_("Plan template"))
    federation = forms.ModelChoiceField(label=_("Federation"), queryset=Federation.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the template's name."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.code, t.name) for t in PLAN_TEMPLATES.values()]
        self.fields["federation"].queryset = visible(
            Federation.objects.all(), user, "change"
        ).order_by("path")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "starts_on", "ends_on", "goal"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["metric", "percent", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "phase", "federation", "due_on", "notes"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, user, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all()
        # The task's owner: a federation the user may change, at or under the campaign's.
        self.fields["federation"].queryset = visible(
            Federation.objects.filter(path__startswith=campaign.federation.path), user, "change"
        ).order_by("path")


class WorkTeamForm(forms.ModelForm):
    members = UserMultipleChoiceField(
        label=_("Members"), queryset=get_user_model().objects.none(), required=False
    )

    class Meta:
        model = WorkTeam
        fields = ["name", "federation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = visible(
            Federation.objects.all(), user, "change"
        ).order_by("path")
        self.fields["members"].queryset = federation_cadres(user)
        if self.instance.pk:
            self.fields["members"].initial = list(
                self.instance.members.values_list("pk", flat=True)
            )


class AssignmentForm(forms.ModelForm):
    cadre = UserChoiceField(label=_("Cadre"), queryset=get_user_model().objects.none())

    class Meta:
        model = Assignment
        fields = [
            "cadre",
            "enterprise",
            "team",
            "position_title",
            "public_phone",
            "starts_on",
            "ends_on",
            "visit_every_days",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = federation_cadres(user)
        self.fields["enterprise"].queryset = visible(
            Enterprise.objects.all(), user, "change"
        ).select_related("federation")
        self.fields["team"].queryset = visible(WorkTeam.objects.all(), user, "change")
        if self.instance.pk:
            # Who and where stay fixed: end this assignment and make a new one instead.
            del self.fields["cadre"]
            del self.fields["enterprise"]


class VisitForm(forms.ModelForm):
    """The visit as logged from a phone; the follow-up fields are optional."""

    follow_up = forms.CharField(
        label=_("Follow-up: what is to be done"), max_length=300, required=False
    )
    follow_up_due_on = forms.DateField(
        label=_("Follow-up due on"), required=False, widget=DateInput()
    )
    follow_up_owner = UserChoiceField(
        label=_("Follow-up owner"), queryset=get_user_model().objects.none(), required=False
    )
    photos = MultipleImageField(label=_("Photos"), required=False)

    class Meta:
        model = Visit
        fields = [
            "enterprise",
            "visited_on",
            "met_union_chair",
            "met_workers",
            "met_management",
            "people_met",
            "workers_raised",
            "done_on_spot",
            "contact_cards",
        ]
        widgets = {
            "visited_on": DateInput(),
            "workers_raised": forms.Textarea(attrs={"rows": 3}),
            "done_on_spot": forms.Textarea(attrs={"rows": 3}),
            "contact_cards": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, enterprises, enterprise: Enterprise | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if enterprise is not None:
            self.fields["enterprise"].initial = enterprise.pk
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["follow_up_owner"].queryset = follow_up_owner_choices(
            user=user, enterprise=enterprise
        )
        self.fields["follow_up_owner"].initial = user.pk

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("follow_up"):
            if not data.get("follow_up_due_on"):
                self.add_error("follow_up_due_on", _("Give the follow-up a due date."))
            if not data.get("follow_up_owner"):
                self.add_error("follow_up_owner", _("Say who owns the follow-up."))
        return data

    def visit_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "enterprise"}

    def follow_ups(self) -> list[dict]:
        if not self.cleaned_data.get("follow_up"):
            return []
        return [
            {
                "description": self.cleaned_data["follow_up"],
                "due_on": self.cleaned_data["follow_up_due_on"],
                "owner": self.cleaned_data["follow_up_owner"],
            }
        ]


class FollowUpForm(forms.ModelForm):
    owner = UserChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())

    class Meta:
        model = FollowUp
        fields = ["description", "due_on", "owner"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, user, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = follow_up_owner_choices(user=user, enterprise=enterprise)


class FollowUpCloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class FocusPlanForm(forms.ModelForm):
    cadre = UserChoiceField(
        label=_("Responsible cadre"), queryset=get_user_model().objects.none(), required=False
    )

    class Meta:
        model = FocusPlan
        fields = ["cadre", "visit_every_days", "improvements", "progress"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = federation_cadres(user)


class FocusTagChangeForm(forms.Form):
    tag = forms.ChoiceField(label=_("Focus tag"), choices=list(FOCUS_TAGS.items()))
    added = forms.TypedChoiceField(
        label=_("Change"),
        choices=[("1", _("Put the tag on")), ("0", _("Take the tag off"))],
        coerce=lambda value: value == "1",
    )
    changed_on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()

    def clean_changed_on(self) -> datetime.date:
        day = self.cleaned_data["changed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The change cannot be dated in the future."))
        return day


class FieldworkFilterForm(forms.Form):
    federation = forms.TypedChoiceField(
        label=_("Township or park"), required=False, coerce=int, empty_value=None
    )
    days = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=90,
        choices=[
            ("30", _("Last 30 days")),
            ("60", _("Last 60 days")),
            ("90", _("Last 90 days")),
            ("180", _("Last 180 days")),
        ],
    )

    def __init__(self, *args, federations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].choices = [("", _("All"))] + [(f.pk, f.name) for f in federations]
