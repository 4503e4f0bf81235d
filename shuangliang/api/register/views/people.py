"""Officers (terms of office) and people over the API; phone numbers masked."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from shuangliang.backoffice.filters import (
    OfficerFilterForm,
)
from shuangliang.backoffice.forms import (
    OfficerEndForm,
    OfficerForm,
    PersonForm,
)
from shuangliang.core.access import get_visible_or_404
from shuangliang.core.actionlog import log_action
from shuangliang.register import services
from shuangliang.register.models import (
    Officer,
    Person,
)
from shuangliang.register.selectors import officer_list as select_officers

from ...base import (
    ApiView,
    bind,
    errors,
    form_parameters,
    form_serializer,
    payload,
)
from ..serializers import (
    OfficerSerializer,
    PersonSerializer,
)
from .common import ID, _body, _filter_form, _union_to_change

# Officers and people.

OFFICER_QUERYSET = Officer.objects.select_related("person", "union", "union__federation")

OfficerAppointBody = _body(
    "OfficerAppoint",
    OfficerForm,
    extra={
        "union": serializers.IntegerField(help_text="The union's id."),
        "person_id": serializers.IntegerField(
            required=False, help_text="Someone already in the register; or give `person`."
        ),
        "person": form_serializer("PersonWrite", PersonForm, serializer_kwargs={"required": False}),
    },
)


@extend_schema_view(
    get=extend_schema(
        summary="List the cadres in office",
        parameters=form_parameters(OfficerFilterForm),
        responses={200: OfficerSerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Appoint a cadre (a new chair replaces the chair in office)",
        request=OfficerAppointBody,
        responses={201: OfficerSerializer, **errors(400, 401, 403, 404)},
    ),
)
class OfficerListView(ApiView):
    serializer_class = OfficerSerializer

    def get(self, request):
        form = _filter_form(OfficerFilterForm, request)
        page = self.paginate_queryset(select_officers(user=request.user, **form.to_kwargs()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request):
        data = payload(request)
        union = _union_to_change(request, data)
        existing = None
        if data.get("person_id") not in (None, ""):
            existing = get_visible_or_404(
                Person.objects.all(), request.user, pk=data.get("person_id")
            )
        officer_form = bind(OfficerForm, data)
        person_form = None
        if existing is None:
            person_data = data.get("person")
            if not isinstance(person_data, dict):
                raise exceptions.ValidationError(
                    {"person": [_("Give the new cadre's details, or the id of a person.")]}
                )
            try:
                person_form = bind(PersonForm, person_data)
            except exceptions.ValidationError as exc:
                raise exceptions.ValidationError({"person": exc.detail})
        with transaction.atomic():
            person = existing or services.person_create(
                actor=request.user, data=person_form.cleaned_data
            )
            officer = services.officer_appoint(
                actor=request.user, union=union, person=person, data=officer_form.cleaned_data
            )
        officer = OFFICER_QUERYSET.get(pk=officer.pk)
        return Response(self.get_serializer(officer).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="A cadre's term of office",
        parameters=[ID],
        responses={200: OfficerSerializer, **errors(401, 404)},
    ),
    patch=extend_schema(
        summary="Change a term of office",
        parameters=[ID],
        request=_body("OfficerPatch", OfficerForm, partial=True),
        responses={200: OfficerSerializer, **errors(400, 401, 403, 404)},
    ),
)
class OfficerDetailView(ApiView):
    serializer_class = OfficerSerializer

    def get(self, request, pk: int):
        officer = get_visible_or_404(OFFICER_QUERYSET, request.user, pk=pk)
        return Response(self.get_serializer(officer).data)

    def patch(self, request, pk: int):
        officer = get_visible_or_404(OFFICER_QUERYSET, request.user, "change", pk=pk)
        form = bind(OfficerForm, payload(request), partial_from=officer, instance=officer)
        services.officer_update(actor=request.user, officer=officer, data=form.cleaned_data)
        return Response(self.get_serializer(OFFICER_QUERYSET.get(pk=pk)).data)


@extend_schema_view(
    post=extend_schema(
        summary="End a term of office (term ended, replaced or revoked)",
        parameters=[ID],
        request=_body("OfficerEnd", OfficerEndForm),
        responses={200: OfficerSerializer, **errors(400, 401, 403, 404)},
    )
)
class OfficerEndView(ApiView):
    serializer_class = OfficerSerializer

    def post(self, request, pk: int):
        officer = get_visible_or_404(OFFICER_QUERYSET, request.user, "change", pk=pk)
        if officer.status != Officer.Status.ACTIVE:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("This cadre has already left office.")]}
            )
        form = bind(OfficerEndForm, payload(request))
        services.officer_end(actor=request.user, officer=officer, **form.cleaned_data)
        return Response(self.get_serializer(OFFICER_QUERYSET.get(pk=pk)).data)


@extend_schema_view(
    post=extend_schema(
        summary="Enter a cadre in the register (登記入冊)",
        parameters=[ID],
        request=None,
        responses={200: OfficerSerializer, **errors(401, 403, 404)},
    )
)
class OfficerRegisterView(ApiView):
    serializer_class = OfficerSerializer

    def post(self, request, pk: int):
        officer = get_visible_or_404(OFFICER_QUERYSET, request.user, "change", pk=pk)
        services.officer_register(actor=request.user, officer=officer)
        return Response(self.get_serializer(OFFICER_QUERYSET.get(pk=pk)).data)


@extend_schema_view(
    get=extend_schema(
        summary="A cadre as a person (phone numbers masked)",
        parameters=[ID],
        responses={200: PersonSerializer, **errors(401, 404)},
    ),
    patch=extend_schema(
        summary="Change a person's details and publication consent",
        parameters=[ID],
        request=_body("PersonPatch", PersonForm, partial=True),
        responses={200: PersonSerializer, **errors(400, 401, 403, 404)},
    ),
)
class PersonDetailView(ApiView):
    serializer_class = PersonSerializer

    def get(self, request, pk: int):
        person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
        return Response(self.get_serializer(person).data)

    def patch(self, request, pk: int):
        person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
        form = bind(PersonForm, payload(request), partial_from=person, instance=person)
        services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        person.refresh_from_db()
        return Response(self.get_serializer(person).data)


@extend_schema_view(
    post=extend_schema(
        summary="Show a person's full phone numbers (logged, as on the pages)",
        parameters=[ID],
        request=None,
        responses={200: PersonSerializer, **errors(401, 403, 404)},
    )
)
class PersonUnmaskView(ApiView):
    serializer_class = PersonSerializer

    def post(self, request, pk: int):
        person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
        log_action(person, "register.person.unmasked", actor=request.user)
        return Response(PersonSerializer(person, context={"unmasked": True}).data)
