"""Collective contracts and their kinds over the API."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from shuangliang.backoffice.forms import (
    ContractAdvanceForm,
    ContractForm,
)
from shuangliang.core.access import get_visible_or_404
from shuangliang.register import services
from shuangliang.register.models import (
    CONTRACT_STEP_ORDER,
    CollectiveContract,
    ContractStep,
)

from ...base import (
    ApiView,
    bind,
    errors,
    form_parameters,
    payload,
)
from ..filters import ContractFilterForm
from ..selectors import contract_kind_list, contract_list
from ..serializers import (
    ContractKindSerializer,
    ContractSerializer,
)
from .common import ID, _body, _filter_form, _union_to_change

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
        union = _union_to_change(request, data)
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
