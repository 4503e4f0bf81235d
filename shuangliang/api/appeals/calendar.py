"""The holiday calendar appeal deadlines are counted with (appeals.workdays), over the API.

Every caller with a scope reads it (a handler sees why a deadline falls where it does); only
those who keep it on the staff page (federation staff, `can_write_register`) add and remove
days, through the page's form (appeals.forms.CalendarDayForm) and services. Anyone else gets
the page's 404.
"""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.response import Response

from shuangliang.appeals import services
from shuangliang.appeals.forms import CalendarDayForm
from shuangliang.appeals.models import CalendarDay

from ..base import ApiView, bind, errors, form_errors, form_parameters, form_serializer, payload
from ..register.views.common import ID
from .serializers import CalendarDaySerializer


class CalendarFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *CalendarDay.Kind.choices]
    )


def _filters(request) -> dict:
    form = CalendarFilterForm(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form.cleaned_data


class CalendarApiView(ApiView):
    serializer_class = CalendarDaySerializer

    def require_calendar_editor(self) -> None:
        """As the staff page: the calendar is kept by federation staff."""
        if not self.scope.can_write_register:
            raise Http404


@extend_schema_view(
    get=extend_schema(
        summary="The days off and adjusted working days deadlines are counted with",
        parameters=form_parameters(CalendarFilterForm),
        responses={200: CalendarDaySerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Add a day to the calendar (federation staff)",
        description="Deadlines already set are not moved.",
        request=form_serializer("CalendarDayCreate", CalendarDayForm),
        responses={201: CalendarDaySerializer, **errors(400, 401, 403, 404)},
    ),
)
class CalendarDayListView(CalendarApiView):
    def get(self, request):
        data = _filters(request)
        days = CalendarDay.objects.order_by("date")
        if data.get("year"):
            days = days.filter(date__year=data["year"])
        if data.get("kind"):
            days = days.filter(kind=data["kind"])
        page = self.paginate_queryset(days)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request):
        self.require_calendar_editor()
        form = bind(CalendarDayForm, payload(request))
        day = services.calendar_day_save(actor=request.user, **form.cleaned_data)
        return Response(self.get_serializer(day).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        summary="Remove a day from the calendar (federation staff)",
        description=(
            "Answers with the day as it was. Deadlines already set are not moved. (A day has "
            "no address of its own to read: the calendar is one table for everyone, read "
            "through the list.)"
        ),
        parameters=[ID],
        request=None,
        responses={200: CalendarDaySerializer, **errors(401, 403, 404)},
    ),
)
class CalendarDayDeleteView(CalendarApiView):
    def post(self, request, pk: int):
        self.require_calendar_editor()
        day = CalendarDay.objects.filter(pk=pk).first()
        if day is None:
            raise Http404
        data = self.get_serializer(day).data
        services.calendar_day_delete(actor=request.user, day=day)
        return Response(data)
