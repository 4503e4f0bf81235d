"""Inspections and rectifications over the API, read-only, scoped by core.access as on the
staff pages. Filling in inspections and closing rectifications (with a photo) stay on the
pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from ..base import ApiView, errors, form_parameters
from ..register.views.common import ID, _filter_form
from .filters import InspectionFilterForm, RectificationFilterForm
from .selectors import inspection_get, inspection_list, rectification_get, rectification_list
from .serializers import (
    InspectionDetailSerializer,
    InspectionSerializer,
    RectificationSerializer,
)


@extend_schema_view(
    get=extend_schema(
        summary="List inspections (self, spot, mutual, supervisory) with score and grade",
        parameters=form_parameters(InspectionFilterForm),
        responses={200: InspectionSerializer(many=True), **errors(400, 401, 404)},
    )
)
class InspectionListView(ApiView):
    serializer_class = InspectionSerializer

    def get(self, request):
        form = _filter_form(InspectionFilterForm, request)
        page = self.paginate_queryset(inspection_list(user=request.user, **form.to_kwargs()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="An inspection with its score, grade and the rectifications it opened",
        parameters=[ID],
        responses={200: InspectionDetailSerializer, **errors(401, 404)},
    )
)
class InspectionDetailView(ApiView):
    serializer_class = InspectionDetailSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(inspection_get(user=request.user, pk=pk)).data)


@extend_schema_view(
    get=extend_schema(
        summary="List rectification tasks (state `overdue`: open past the deadline)",
        parameters=form_parameters(RectificationFilterForm),
        responses={200: RectificationSerializer(many=True), **errors(400, 401, 404)},
    )
)
class RectificationListView(ApiView):
    serializer_class = RectificationSerializer

    def get(self, request):
        form = _filter_form(RectificationFilterForm, request)
        page = self.paginate_queryset(rectification_list(user=request.user, **form.to_kwargs()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="A rectification task",
        parameters=[ID],
        responses={200: RectificationSerializer, **errors(401, 404)},
    )
)
class RectificationDetailView(ApiView):
    serializer_class = RectificationSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(rectification_get(user=request.user, pk=pk)).data)
