"""Helpers of the register's API views: filters, sorting, documentation of bodies."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from shuangliang.core.access import get_visible_or_404
from shuangliang.register.models import Union
from shuangliang.register.selectors import federations_for_filter

from ...base import (
    form_errors,
    form_serializer,
)
from ..filters import SortForm

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id.")


def _filter_form(form_class, request, **kwargs):
    """Bind a list's filter form to the query string; a bad filter is a 400, not ignored."""
    federations = federations_for_filter(user=request.user).filter(depth__gte=1)
    form = form_class(request.query_params, federations=federations, **kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


def _union_to_change(request, data: dict) -> Union:
    """The union a new officer or contract belongs to: given by id in the body, and one the
    caller may change (else 404, as on the pages)."""
    union_id = data.get("union")
    if not isinstance(union_id, int | str) or isinstance(union_id, bool):
        raise exceptions.ValidationError({"union": [_("This field is required.")]})
    return get_visible_or_404(Union.objects.all(), request.user, "change", pk=union_id)


def _sort(request, choices) -> str:
    form = SortForm(request.query_params, choices=choices)
    if not form.is_valid():
        raise exceptions.ValidationError({"sort": [str(m) for m in form.errors["sort"]]})
    return form.cleaned_data.get("sort") or "name"


def _sort_parameter(choices) -> OpenApiParameter:
    return OpenApiParameter("sort", str, enum=[key for key, _label in choices])


# A form's request body, for the documentation; the user-dependent choices are left open.
def _body(name, form_class, **kwargs):
    return form_serializer(name, form_class, **kwargs)


class _NoUser:
    """Forms that need a user to build their choices get one that sees nothing, for the schema."""

    is_authenticated = False
    is_active = False
    is_superuser = False
    pk = None


NO_USER = _NoUser()
