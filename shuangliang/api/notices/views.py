"""Published notices (通報) over the API, read-only, for those the staff pages show notices
to: staff and leaders of the issuing federation or above (anyone else gets the page's 404).
The PDF and the Word document are the staff page's own downloads, for a published notice
in scope; drafts stay on the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from shuangliang.core.access import scope_for
from shuangliang.notices import views as notice_pages
from shuangliang.notices.views import DOCX_TYPE

from ..base import ApiView, DownloadView, binary_responses, errors, form_parameters
from ..register.views.common import ID, _filter_form
from .filters import NoticeFilterForm
from .selectors import notice_get, notice_list
from .serializers import NoticeDetailSerializer, NoticeSerializer


def require_reader(user) -> None:
    """As the notice pages: federation staff, leaders and superusers."""
    scope = scope_for(user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


@extend_schema_view(
    get=extend_schema(
        summary="List published notices of inspection results in your scope",
        parameters=form_parameters(NoticeFilterForm),
        responses={200: NoticeSerializer(many=True), **errors(400, 401, 404)},
    )
)
class NoticeListView(ApiView):
    serializer_class = NoticeSerializer

    def get(self, request):
        require_reader(request.user)
        form = _filter_form(NoticeFilterForm, request)
        page = self.paginate_queryset(notice_list(user=request.user, **form.to_kwargs()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="A published notice with its figures and the units it names",
        parameters=[ID],
        responses={200: NoticeDetailSerializer, **errors(401, 404)},
    )
)
class NoticeDetailView(ApiView):
    serializer_class = NoticeDetailSerializer

    def get(self, request, pk: int):
        require_reader(request.user)
        return Response(self.get_serializer(notice_get(user=request.user, pk=pk)).data)


class NoticeDocumentView(DownloadView):
    page_view = None

    def get(self, request, pk: int):
        require_reader(request.user)
        notice = notice_get(user=request.user, pk=pk)
        return self.page_response(type(self).page_view, pk=notice.pk)


@extend_schema_view(
    get=extend_schema(
        summary="A published notice as PDF",
        parameters=[ID],
        responses={
            **binary_responses("application/pdf", description="The notice."),
            **errors(401, 404),
        },
    )
)
class NoticePdfView(NoticeDocumentView):
    page_view = notice_pages.notice_pdf_view


@extend_schema_view(
    get=extend_schema(
        summary="A published notice as a Word document",
        parameters=[ID],
        responses={**binary_responses(DOCX_TYPE, description="The notice."), **errors(401, 404)},
    )
)
class NoticeDocxView(NoticeDocumentView):
    page_view = notice_pages.notice_docx_view
