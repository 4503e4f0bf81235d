"""Worker appeals over the API, the handlers' side.

Each operation does what the staff page does (appeals.views_staff), in the same order: fetch
through the access chokepoint (404 outside scope; "change" for the handling steps, so a
read-only leader gets 404), bind the page's form, run the page's step (`appeal_step`, the one
path to the services). Lists and details carry no identity; the identity operation calls the
page's reveal (appeals.selectors.appeal_identity_reveal), which logs it, and is a 404 exactly
where the page's is.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.response import Response

from shuangliang.appeals import selectors as appeal_selectors
from shuangliang.appeals import views_staff
from shuangliang.appeals.forms import (
    AppealFilterForm,
    CloseForm,
    ExtendForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    TransferForm,
)
from shuangliang.appeals.models import Appeal, Attachment
from shuangliang.appeals.services import AppealError
from shuangliang.appeals.views_staff import appeal_step
from shuangliang.core.access import can, visible

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
from ..register.views.common import ID
from .filters import appeal_filters
from .selectors import appeal_get, appeal_list
from .serializers import (
    AppealDetailSerializer,
    AppealSerializer,
    AppellantSerializer,
    AttachmentSerializer,
)

NO_TARGETS = {"union": None, "cadres": [], "federations": []}


class AppealApiView(ApiView):
    def handle_exception(self, exc):
        if isinstance(exc, AppealError):
            exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
        return super().handle_exception(exc)

    def detail_response(self, appeal: Appeal) -> Response:
        user = self.request.user
        context = {
            **self.get_serializer_context(),
            "can_change": can(user, "change", appeal),
            "identity_available": appeal_selectors.appeal_identity_visible(
                user=user, appeal=appeal
            ),
        }
        return Response(AppealDetailSerializer(appeal, context=context).data)


@extend_schema_view(
    get=extend_schema(
        summary="List the appeals you handle or oversee (no identity)",
        parameters=form_parameters(AppealFilterForm),
        responses={200: AppealSerializer(many=True), **errors(400, 401, 404)},
    )
)
class AppealListView(AppealApiView):
    serializer_class = AppealSerializer

    def get(self, request):
        filters = appeal_filters(request)
        page = self.paginate_queryset(appeal_list(user=request.user, filters=filters))
        context = {
            **self.get_serializer_context(),
            "deadline_dates": appeal_selectors.deadline_dates(),
        }
        data = AppealSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


@extend_schema_view(
    get=extend_schema(
        summary="An appeal with its replies (no identity)",
        parameters=[ID],
        responses={200: AppealDetailSerializer, **errors(401, 404)},
    )
)
class AppealDetailView(AppealApiView):
    serializer_class = AppealDetailSerializer

    def get(self, request, pk: int):
        return self.detail_response(appeal_get(user=request.user, pk=pk))


@extend_schema_view(
    post=extend_schema(
        summary="Show the appellant's name and phone (logged, as on the page)",
        description=(
            "Answers only where the staff page shows the identity: federation handlers of "
            "the appeal's line, its assigned cadre, and the enterprise union while it handles "
            "the appeal and the worker agreed. Anonymous appeals, leaders and everyone else "
            "get 404. Every answer is entered in the action log."
        ),
        parameters=[ID],
        request=None,
        responses={200: AppellantSerializer, **errors(401, 403, 404)},
    )
)
class AppealIdentityView(AppealApiView):
    serializer_class = AppellantSerializer

    def post(self, request, pk: int):
        appeal = appeal_get(user=request.user, pk=pk)
        appellant = appeal_selectors.appeal_identity_reveal(user=request.user, appeal=appeal)
        if appellant is None:
            raise Http404
        return Response(AppellantSerializer(appellant).data)


# The handling steps: one operation per step of the page's form.


def _targets(user, appeal):
    return appeal_selectors.transfer_targets(user=user, appeal=appeal)


STEPS = {
    # step: (form or None, extra form kwargs from (user, appeal), summary)
    "accept": (None, None, "Accept the appeal"),
    "decline": (ReasonForm, None, "Decline the appeal, with the reason"),
    "start": (None, None, "Start handling"),
    "transfer": (TransferForm, lambda u, a: {"targets": _targets(u, a)}, "Send the appeal on"),
    "reply": (ReplyForm, None, "Reply to the worker (final: the appeal becomes answered)"),
    "note": (NoteForm, None, "Record a phone call with the worker"),
    "extend": (ExtendForm, None, "Extend the deadline, with the reason"),
    "close": (CloseForm, None, "Close the appeal (satisfaction from the call back)"),
}


class AppealStepView(AppealApiView):
    serializer_class = AppealDetailSerializer
    step = ""

    def post(self, request, pk: int):
        appeal = appeal_get(user=request.user, pk=pk, action="change")
        form_class, form_kwargs, _summary = STEPS[self.step]
        data = {}
        if form_class is not None:
            kwargs = form_kwargs(request.user, appeal) if form_kwargs else {}
            data = bind(form_class, payload(request), **kwargs).data
        appeal_step(user=request.user, appeal=appeal, action=self.step, data=data)
        if not visible(Appeal.objects.filter(pk=appeal.pk), request.user).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)  # sent out of the caller's sight
        return self.detail_response(appeal_get(user=request.user, pk=pk))


def _step_view(step: str) -> type[AppealStepView]:
    form_class, form_kwargs, summary = STEPS[step]
    request_body = None
    if form_class is not None:
        kwargs = {"targets": NO_TARGETS} if form_class is TransferForm else {}
        request_body = form_serializer(f"Appeal{step.title()}", form_class, **kwargs)
    view = type(f"Appeal{step.title()}View", (AppealStepView,), {"step": step})
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            operation_id=f"appeals_{step}",
            parameters=[ID],
            request=request_body,
            responses={
                200: AppealDetailSerializer,
                204: OpenApiResponse(description="Sent out of your sight."),
                **errors(400, 401, 403, 404),
            },
        )
    )(view)


STEP_VIEWS = {step: _step_view(step) for step in STEPS}


# Attachments: the metadata with the appeal's access, the file through the staff page's own
# download (the access check, the log entry, `attachment` and `nosniff`). Handlers upload
# nothing: on the pages only the worker attaches files, with the appeal.


@extend_schema_view(
    get=extend_schema(
        summary="The files the worker attached to an appeal (metadata)",
        parameters=[ID],
        responses={200: AttachmentSerializer(many=True), **errors(401, 404)},
    )
)
class AppealAttachmentListView(AppealApiView):
    serializer_class = AttachmentSerializer

    def get(self, request, pk: int):
        appeal = appeal_get(user=request.user, pk=pk)
        attachments = visible(Attachment.objects.filter(appeal=appeal), request.user).order_by("id")
        page = self.paginate_queryset(attachments)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="Download an attachment (logged, as on the page)",
        description=(
            "Served as a download (`Content-Disposition: attachment`) with `nosniff`, after "
            "the access check of the staff page, which enters the view in the action log."
        ),
        parameters=[ID],
        responses={
            **binary_responses("application/pdf", "image/jpeg", description="The file."),
            **errors(401, 404),
        },
    )
)
class AppealAttachmentDownloadView(DownloadView):
    def get(self, request, pk: int):
        return self.page_response(views_staff.attachment_download, pk=pk)
