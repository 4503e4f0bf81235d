"""The register over the API: enterprises, unions, officers, people, contracts.

Each operation does what the matching staff page does, in the same order: fetch through the
access chokepoint (404 outside scope), bind the page's form, call the page's service.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from shuangliang.backoffice.filters import (
    EnterpriseFilterForm,
    OfficerFilterForm,
    UnionFilterForm,
)
from shuangliang.backoffice.forms import (
    ContractAdvanceForm,
    ContractForm,
    EnterpriseForm,
    OfficerEndForm,
    OfficerForm,
    PersonForm,
    UnionForm,
)
from shuangliang.core.access import get_visible_or_404, visible
from shuangliang.core.actionlog import log_action
from shuangliang.register import services
from shuangliang.register.models import (
    CONTRACT_STEP_ORDER,
    CollectiveContract,
    ContractStep,
    Enterprise,
    Federation,
    Officer,
    Person,
    Union,
)
from shuangliang.register.selectors import enterprise_list, federations_for_filter, union_list
from shuangliang.register.selectors import officer_list as select_officers

from ..base import (
    ApiView,
    bind,
    errors,
    form_errors,
    form_parameters,
    form_serializer,
    payload,
)
from .filters import ENTERPRISE_SORT_CHOICES, UNION_SORT_CHOICES, ContractFilterForm, SortForm
from .selectors import contract_kind_list, contract_list
from .serializers import (
    ContractKindSerializer,
    ContractSerializer,
    EnterpriseSerializer,
    FederationSerializer,
    OfficerSerializer,
    PersonSerializer,
    UnionSerializer,
)

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id.")


def _filter_form(form_class, request, **kwargs):
    """Bind a list's filter form to the query string; a bad filter is a 400, not ignored."""
    federations = federations_for_filter(user=request.user).filter(depth__gte=1)
    form = form_class(request.query_params, federations=federations, **kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


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


# Federations (reference data: the places to filter by and to put records in).


@extend_schema_view(
    get=extend_schema(
        summary="List the federations in your scope",
        responses={200: FederationSerializer(many=True), **errors(401, 404)},
    )
)
class FederationListView(ApiView):
    serializer_class = FederationSerializer

    def get(self, request):
        page = self.paginate_queryset(visible(Federation.objects.all(), request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# Enterprises.


@extend_schema_view(
    get=extend_schema(
        summary="List enterprises",
        parameters=[
            *form_parameters(EnterpriseFilterForm),
            _sort_parameter(ENTERPRISE_SORT_CHOICES),
        ],
        responses={200: EnterpriseSerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Register an enterprise",
        request=_body("EnterpriseWrite", EnterpriseForm, user=NO_USER),
        responses={201: EnterpriseSerializer, **errors(400, 401, 403, 404)},
    ),
)
class EnterpriseListView(ApiView):
    serializer_class = EnterpriseSerializer

    def get(self, request):
        form = _filter_form(EnterpriseFilterForm, request)
        qs = enterprise_list(
            user=request.user,
            filters=form.to_filters(),
            sort=_sort(request, ENTERPRISE_SORT_CHOICES),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request):
        self.require_register_staff()
        form = bind(EnterpriseForm, payload(request), user=request.user)
        enterprise = services.enterprise_create(actor=request.user, data=form.cleaned_data)
        return Response(self.get_serializer(enterprise).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="An enterprise",
        parameters=[ID],
        responses={200: EnterpriseSerializer, **errors(401, 404)},
    ),
    patch=extend_schema(
        summary="Change an enterprise (absent fields keep their values)",
        parameters=[ID],
        request=_body("EnterprisePatch", EnterpriseForm, user=NO_USER, partial=True),
        responses={200: EnterpriseSerializer, **errors(400, 401, 403, 404)},
    ),
    delete=extend_schema(
        summary="Delete an enterprise",
        parameters=[ID],
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class EnterpriseDetailView(ApiView):
    serializer_class = EnterpriseSerializer
    queryset = Enterprise.objects.select_related("federation", "union")

    def get(self, request, pk: int):
        return Response(self.get_serializer(self._get(pk)).data)

    def patch(self, request, pk: int):
        enterprise = self._get(pk, "change")
        form = bind(
            EnterpriseForm,
            payload(request),
            partial_from=enterprise,
            instance=enterprise,
            user=request.user,
        )
        services.enterprise_update(
            actor=request.user, enterprise=enterprise, data=form.cleaned_data
        )
        return Response(self.get_serializer(self._get(pk)).data)

    def delete(self, request, pk: int):
        self.require_register_staff()
        enterprise = self._get(pk, "change")
        services.enterprise_delete(actor=request.user, enterprise=enterprise)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _get(self, pk, action="view"):
        return get_visible_or_404(self.queryset, self.request.user, action, pk=pk)


# Unions.


@extend_schema_view(
    get=extend_schema(
        summary="List unions",
        parameters=[*form_parameters(UnionFilterForm), _sort_parameter(UNION_SORT_CHOICES)],
        responses={200: UnionSerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Register a union and the enterprises it covers",
        request=_body("UnionWrite", UnionForm, user=NO_USER),
        responses={201: UnionSerializer, **errors(400, 401, 403, 404)},
    ),
)
class UnionListView(ApiView):
    serializer_class = UnionSerializer

    def get(self, request):
        form = _filter_form(UnionFilterForm, request)
        qs = union_list(
            user=request.user, sort=_sort(request, UNION_SORT_CHOICES), **form.to_kwargs()
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request):
        self.require_register_staff()
        form = bind(UnionForm, payload(request), user=request.user)
        data = dict(form.cleaned_data)
        enterprises = list(data.pop("enterprises"))
        union = services.union_create(actor=request.user, data=data, enterprises=enterprises)
        return Response(
            self.get_serializer(union_get(request.user, union.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def union_get(user, pk, action="view") -> Union:
    """One union as the list shows it (with its chair and number of enterprises)."""
    return get_visible_or_404(union_list(user=user), user, action, pk=pk)


@extend_schema_view(
    get=extend_schema(
        summary="A union",
        parameters=[ID],
        responses={200: UnionSerializer, **errors(401, 404)},
    ),
    patch=extend_schema(
        summary="Change a union (a chair may change the profile, not the place or enterprises)",
        parameters=[ID],
        request=_body("UnionPatch", UnionForm, user=NO_USER, partial=True),
        responses={200: UnionSerializer, **errors(400, 401, 403, 404)},
    ),
    delete=extend_schema(
        summary="Delete a union (its enterprises are detached first)",
        parameters=[ID],
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class UnionDetailView(ApiView):
    serializer_class = UnionSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(union_get(request.user, pk)).data)

    def patch(self, request, pk: int):
        union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
        can_move = self.scope.can_write_register
        form = bind(
            UnionForm,
            payload(request),
            partial_from=union,
            instance=union,
            user=request.user,
            can_move=can_move,
        )
        data = dict(form.cleaned_data)
        enterprises = data.pop("enterprises", None)
        with transaction.atomic():
            services.union_update(actor=request.user, union=union, data=data)
            if enterprises is not None:
                keep = {e.pk for e in enterprises}
                for enterprise in union.enterprises.exclude(pk__in=keep):
                    services.enterprise_attach_union(
                        actor=request.user, enterprise=enterprise, union=None
                    )
                for enterprise in enterprises:
                    services.enterprise_attach_union(
                        actor=request.user, enterprise=enterprise, union=union
                    )
        return Response(self.get_serializer(union_get(request.user, pk)).data)

    def delete(self, request, pk: int):
        self.require_register_staff()
        union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
        services.union_delete(actor=request.user, union=union)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
        union_id = data.get("union")
        if not isinstance(union_id, int | str) or isinstance(union_id, bool):
            raise exceptions.ValidationError({"union": [_("This field is required.")]})
        union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=union_id)
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


# Collective contracts.


@extend_schema_view(
    get=extend_schema(
        summary="List collective contracts",
        parameters=form_parameters(ContractFilterForm),
        responses={200: ContractSerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Record a collective contract",
        request=_body(
            "ContractWrite",
            ContractForm,
            extra={"union": serializers.IntegerField(help_text="The union's id.")},
        ),
        responses={201: ContractSerializer, **errors(400, 401, 403, 404)},
    ),
)
class ContractListView(ApiView):
    serializer_class = ContractSerializer

    def get(self, request):
        form = _filter_form(ContractFilterForm, request)
        page = self.paginate_queryset(contract_list(user=request.user, **form.to_kwargs()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request):
        data = payload(request)
        union_id = data.get("union")
        if not isinstance(union_id, int | str) or isinstance(union_id, bool):
            raise exceptions.ValidationError({"union": [_("This field is required.")]})
        union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=union_id)
        form = bind(ContractForm, data)
        contract = services.contract_create(actor=request.user, union=union, data=form.cleaned_data)
        return Response(
            self.get_serializer(contract_get(request.user, contract.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def contract_get(user, pk, action="view") -> CollectiveContract:
    return get_visible_or_404(contract_list(user=user), user, action, pk=pk)


@extend_schema_view(
    get=extend_schema(
        summary="A collective contract with the dates of its steps",
        parameters=[ID],
        responses={200: ContractSerializer, **errors(401, 404)},
    ),
    delete=extend_schema(
        summary="Delete a collective contract",
        parameters=[ID],
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class ContractDetailView(ApiView):
    serializer_class = ContractSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(contract_get(request.user, pk)).data)

    def delete(self, request, pk: int):
        contract = get_visible_or_404(
            CollectiveContract.objects.all(), request.user, "change", pk=pk
        )
        services.contract_delete(actor=request.user, contract=contract)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _AdvanceForm(ContractAdvanceForm):
    """The page's form with the steps still ahead of this contract as the only choices."""

    def __init__(self, *args, contract: CollectiveContract | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if contract is not None:
            later = CONTRACT_STEP_ORDER[CONTRACT_STEP_ORDER.index(contract.step) + 1 :]
            self.fields["step"].choices = [(s, ContractStep(s).label) for s in later]


@extend_schema_view(
    post=extend_schema(
        summary="Record the next step a contract reached",
        parameters=[ID],
        request=_body("ContractAdvance", ContractAdvanceForm),
        responses={200: ContractSerializer, **errors(400, 401, 403, 404)},
    )
)
class ContractAdvanceView(ApiView):
    serializer_class = ContractSerializer

    def post(self, request, pk: int):
        contract = get_visible_or_404(
            CollectiveContract.objects.select_related("union", "kind"),
            request.user,
            "change",
            pk=pk,
        )
        form = bind(_AdvanceForm, payload(request), contract=contract)
        services.contract_advance(actor=request.user, contract=contract, **form.cleaned_data)
        return Response(self.get_serializer(contract_get(request.user, pk)).data)


@extend_schema_view(
    get=extend_schema(
        summary="The kinds of collective contract",
        responses={200: ContractKindSerializer(many=True), **errors(401, 404)},
    )
)
class ContractKindListView(ApiView):
    serializer_class = ContractKindSerializer

    def get(self, request):
        page = self.paginate_queryset(contract_kind_list())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
