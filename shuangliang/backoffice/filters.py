"""Parse list filters from the query string; list pages and their exports share this."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import (
    FOCUS_TAGS,
    IndustrySection,
    Officer,
    OperatingStatus,
    Ownership,
    Position,
    Union,
)
from shuangliang.register.selectors import EnterpriseFilters

YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


def _attrs(attrs: dict) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them, in the same order."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select written out in Python, with the same markup as Django's templates.

    The template renderer renders one template per option; with a province's 1,100
    federations to choose from, that was most of a list page's server time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                extra = _attrs(option["attrs"]) if option["attrs"] else ""
                parts.append(
                    f'<option value="{conditional_escape(str(option["value"]))}"{extra}>'
                    f"{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ScopedFilterForm(forms.Form):
    """A search box and a choice of place among the federations the user may see."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    federation = forms.TypedChoiceField(
        label=_("Township or park"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
    )

    def __init__(self, *args, federations=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        self.fields["federation"].choices = [("", _("All"))] + [(f.pk, f.name) for f in federations]


class EnterpriseFilterForm(ScopedFilterForm):
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All"))] + IndustrySection.choices
    )
    ownership = forms.ChoiceField(
        label=_("Ownership"),
        required=False,
        choices=[("", _("All")), ("non_public", _("Non-public")), ("public", _("Public"))]
        + Ownership.choices,
    )
    status = forms.ChoiceField(
        label=_("Operating status"),
        required=False,
        choices=[("", _("All"))] + OperatingStatus.choices,
    )
    focus = forms.ChoiceField(
        label=_("Focus tag"),
        required=False,
        choices=[("", _("All")), ("any", _("Any focus tag"))] + list(FOCUS_TAGS.items()),
    )
    has_union = forms.ChoiceField(label=_("Has a union"), required=False, choices=YES_NO)
    three_contracts = forms.ChoiceField(
        label=_("Three contracts signed"), required=False, choices=YES_NO
    )
    double_bright = forms.ChoiceField(
        label=_("Double Bright compliant"), required=False, choices=YES_NO
    )
    headcount_min = forms.IntegerField(label=_("Employees from"), required=False, min_value=0)
    headcount_max = forms.IntegerField(label=_("Employees up to"), required=False, min_value=0)

    def to_filters(self) -> EnterpriseFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EnterpriseFilters(
            q=data.get("q") or "",
            federation=data.get("federation"),
            industry=data.get("industry") or "",
            ownership=data.get("ownership") or "",
            status=data.get("status") or "",
            focus=data.get("focus") or "",
            has_union=_yes_no(data.get("has_union") or ""),
            three_contracts=_yes_no(data.get("three_contracts") or ""),
            double_bright=_yes_no(data.get("double_bright") or ""),
            headcount_min=data.get("headcount_min"),
            headcount_max=data.get("headcount_max"),
        )


class UnionFilterForm(ScopedFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Union.Kind.choices
    )

    def to_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "kind": data.get("kind") or "",
        }


class OfficerFilterForm(ScopedFilterForm):
    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=[("", _("All"))] + Position.choices
    )
    registration = forms.ChoiceField(
        label=_("Registration status"),
        required=False,
        choices=[("", _("All"))] + Officer.Registration.choices,
    )

    def to_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "position": data.get("position") or "",
            "registration": data.get("registration") or "",
        }
