"""The notice list's filters: a form bound to the query string (a bad value is a 400)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangliang.backoffice.filters import ScopedFilterForm


class NoticeFilterForm(ScopedFilterForm):
    """`q` searches the title; `federation` is the issuing federation's subtree."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "federation": data.get("federation"),
            "year": data.get("year"),
        }
