"""Inspections (read-only) and rectifications over the API, scoped by core.access as on the
staff pages. A rectification moves as on its page (standards.views.results), through the
page's forms and the standards services: the union or staff above it close it with a photo
(cleaned by core.images.clean_image, as on the page); staff above the union verify it,
reopen it with a reason, and change its deadline or the person responsible. Filling in
inspections stays on the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from shuangliang.core.access import get_visible_or_404
from shuangliang.standards import services
from shuangliang.standards.forms import RectificationCloseForm, RectificationUpdateForm, ReopenForm
from shuangliang.standards.models import Rectification

# The page's rule of who re-inspects: staff of a federation above the union (one rule).
from shuangliang.standards.permissions import is_staff_over
from shuangliang.standards.views.common import serve_photo

from ..base import (
    ApiView,
    DownloadView,
    binary_responses,
    bind,
    errors,
    form_parameters,
    form_serializer,
    payload,
)
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


class RectificationApiView(ApiView):
    serializer_class = RectificationSerializer

    def handle_exception(self, exc):
        if isinstance(exc, services.StandardsError):
            exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
        return super().handle_exception(exc)

    def rectification(self, pk: int, action: str = "view") -> Rectification:
        return get_visible_or_404(
            Rectification.objects.select_related("union__federation", "item"),
            self.request.user,
            action,
            pk=pk,
        )

    def staff_rectification(self, pk: int) -> Rectification:
        """One the caller re-inspects: staff above its union (else 404, as the page)."""
        rectification = self.rectification(pk, "change")
        if not is_staff_over(self.request.user, rectification):
            raise Http404
        return rectification

    def answer(self, pk: int) -> Response:
        return Response(self.get_serializer(rectification_get(user=self.request.user, pk=pk)).data)


@extend_schema_view(
    get=extend_schema(
        summary="A rectification task",
        parameters=[ID],
        responses={200: RectificationSerializer, **errors(401, 404)},
    ),
    patch=extend_schema(
        summary="Change the deadline or the person responsible (staff above the union)",
        parameters=[ID],
        request=form_serializer("RectificationUpdate", RectificationUpdateForm, partial=True),
        responses={200: RectificationSerializer, **errors(400, 401, 403, 404)},
    ),
)
class RectificationDetailView(RectificationApiView):
    def get(self, request, pk: int):
        return self.answer(pk)

    def patch(self, request, pk: int):
        rectification = self.staff_rectification(pk)
        current = {"deadline": rectification.deadline, "responsible": rectification.responsible}
        form = bind(
            RectificationUpdateForm, payload(request), partial_from=rectification, initial=current
        )
        services.rectification_update(
            actor=request.user, rectification=rectification, **form.cleaned_data
        )
        return self.answer(pk)


@extend_schema_view(
    post=extend_schema(
        summary="Report the item put right, with a photo (the union, or staff above it)",
        description=(
            "Multipart: `note` and `photo` (JPEG, PNG or WebP, checked by its bytes; stored "
            "re-encoded without EXIF or location). The task then waits for re-inspection."
        ),
        parameters=[ID],
        request={
            "multipart/form-data": form_serializer("RectificationClose", RectificationCloseForm)
        },
        responses={200: RectificationSerializer, **errors(400, 401, 403, 404)},
    )
)
class RectificationCloseView(RectificationApiView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        rectification = self.rectification(pk, "change")
        form = bind(RectificationCloseForm, payload(request), files=request.FILES)
        try:
            services.rectification_close(
                actor=request.user,
                rectification=rectification,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"photo": error.messages}) from error
        return self.answer(pk)


@extend_schema_view(
    post=extend_schema(
        summary="Re-inspection found the item put right (staff above the union)",
        parameters=[ID],
        request=None,
        responses={200: RectificationSerializer, **errors(400, 401, 403, 404)},
    )
)
class RectificationVerifyView(RectificationApiView):
    def post(self, request, pk: int):
        rectification = self.staff_rectification(pk)
        services.rectification_verify(actor=request.user, rectification=rectification)
        return self.answer(pk)


@extend_schema_view(
    post=extend_schema(
        summary="Re-inspection found the item still wrong: open it again (staff above the union)",
        parameters=[ID],
        request=form_serializer("RectificationReopen", ReopenForm),
        responses={200: RectificationSerializer, **errors(400, 401, 403, 404)},
    )
)
class RectificationReopenView(RectificationApiView):
    def post(self, request, pk: int):
        rectification = self.staff_rectification(pk)
        form = bind(ReopenForm, payload(request))
        services.rectification_reopen(
            actor=request.user, rectification=rectification, reason=form.cleaned_data["reason"]
        )
        return self.answer(pk)


@extend_schema_view(
    get=extend_schema(
        summary="The photo a rectification was closed with",
        description="A placeholder image when it has none.",
        parameters=[ID],
        responses={
            **binary_responses("image/jpeg", "image/png", "image/webp", description="The photo."),
            **errors(401, 404),
        },
    )
)
class RectificationPhotoView(DownloadView):
    def get(self, request, pk: int):
        rectification = get_visible_or_404(Rectification.objects.all(), request.user, pk=pk)
        return serve_photo(rectification.closing_photo)
