"""Federations, enterprises and unions over the API."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from shuangliang.backoffice.filters import (
    EnterpriseFilterForm,
    UnionFilterForm,
)
from shuangliang.backoffice.forms import (
    EnterpriseForm,
    UnionForm,
)
from shuangliang.core.access import get_visible_or_404, visible
from shuangliang.register import services
from shuangliang.register.models import (
    Enterprise,
    Federation,
    Union,
)
from shuangliang.register.selectors import enterprise_list, union_list

from ...base import (
    ApiView,
    bind,
    errors,
    form_parameters,
    payload,
)
from ..filters import ENTERPRISE_SORT_CHOICES, UNION_SORT_CHOICES
from ..serializers import (
    EnterpriseSerializer,
    FederationSerializer,
    UnionSerializer,
)
from .common import ID, NO_USER, _body, _filter_form, _sort, _sort_parameter

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
