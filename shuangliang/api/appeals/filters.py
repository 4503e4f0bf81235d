"""The appeal list's filters: the staff list's own form (appeals.forms.AppealFilterForm),
bound to the query string; a bad filter is a 400, not ignored."""

from rest_framework import exceptions

from shuangliang.appeals import selectors
from shuangliang.appeals.forms import AppealFilterForm
from shuangliang.appeals.models import Category
from shuangliang.register.selectors import federations_for_filter

from ..base import form_errors


def appeal_filters(request) -> selectors.AppealFilters:
    form = AppealFilterForm(
        request.query_params,
        federations=federations_for_filter(user=request.user),
        categories=Category.objects.order_by("sort_order", "id"),
    )
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    data = form.cleaned_data
    return selectors.AppealFilters(
        q=data.get("q") or "",
        federation=data.get("federation"),
        status=data.get("status") or "",
        category=data.get("category"),
        deadline=data.get("deadline") or "",
    )
