"""The base of every staff API view: who may call it, how errors look, how forms validate.

Validation has one path (QUALITY.md B1): a write binds the very form the staff page binds
(shuangliang/backoffice/forms.py) and hands its cleaned data to the register service the
page calls, so a bad credit code gets the same message here as on the page. Scope comes
from the one chokepoint, core.access; a token's narrower scope is put there by its
authentication (tokens.use_token_scope).
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from shuangliang.core.access import scope_for
from shuangliang.core.actionlog import action_context
from shuangliang.register.services import RegisterError

from .authentication import ApiSessionAuthentication, ApiTokenAuthentication
from .models import ApiToken


class InScope(BasePermission):
    """A caller with no scope at all (anonymous, or a user without a role) is a 401."""

    def has_permission(self, request, view) -> bool:
        if not scope_for(request.user).is_anything:
            raise exceptions.NotAuthenticated()
        return True


class TokenMayWrite(BasePermission):
    """A read-only token may not write: 403, whatever its user may do."""

    message = gettext_lazy("This token is read-only.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in SAFE_METHODS:
            return token.can_write
        return True


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        self.page_size = settings.LIST_PAGE_SIZE
        return super().get_page_size(request)


ERROR = inline_serializer(
    "Error",
    fields={"detail": serializers.CharField(required=False)},
)
ERRORS = {
    400: OpenApiResponse(
        description="Validation failed: a list of messages per field ({field: [message]})."
    ),
    401: OpenApiResponse(ERROR, description="No valid token or session."),
    403: OpenApiResponse(ERROR, description="A read-only token, or a missing CSRF token."),
    404: OpenApiResponse(ERROR, description="No such object in your scope."),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


class ApiView(generics.GenericAPIView):
    """Token or session, a scope required, JSON in and out, writes logged with the token."""

    authentication_classes = [ApiTokenAuthentication, ApiSessionAuthentication]
    permission_classes = [InScope, TokenMayWrite]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination

    @classmethod
    def as_view(cls, **initkwargs):
        # The API answers 401 itself; LoginRequiredMiddleware would redirect to the login page.
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            self._log_context = action_context(**self.log_facts())
            self._log_context.__enter__()

    def log_facts(self) -> dict:
        """What the action log records about an API call: that it came through the API, and
        with which token."""
        facts = {"via": "api"}
        if isinstance(self.request.auth, ApiToken):
            facts["api_token"] = self.request.auth.name
            facts["api_token_id"] = self.request.auth.pk
        return facts

    def finalize_response(self, request, response, *args, **kwargs):
        context = getattr(self, "_log_context", None)
        if context is not None:
            self._log_context = None
            context.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(_validation_detail(exc))
        elif isinstance(exc, RegisterError):
            exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
        elif isinstance(exc, ProtectedError):
            return Response(
                {"detail": _("This record is still referenced and cannot be deleted.")},
                status=status.HTTP_409_CONFLICT,
            )
        return super().handle_exception(exc)

    # Helpers for the views.
    @property
    def scope(self):
        return scope_for(self.request.user)

    def require_register_staff(self) -> None:
        """Creating and deleting register records is for federation staff (as on the pages)."""
        if not self.scope.can_write_register:
            raise Http404


class DownloadView(ApiView):
    """A file download. The file is the staff page's own response (same access check, same
    headers); an error is JSON whatever the Accept header asks for, and a logged view (an
    attachment opened) records the API token as a write does."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    def page_response(self, page_view, **kwargs):
        """The staff page's view, called with this request (the API's user already on it)."""
        with action_context(**self.log_facts()):
            return page_view(self.request._request, **kwargs)


def binary_responses(*content_types: str, description: str) -> dict:
    """The documented 200 of a download, one entry per content type it may have."""
    from drf_spectacular.types import OpenApiTypes

    return {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in content_types
    }


def _validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


# Forms as the API's validators.

SCALARS = (str, int, float, bool, type(None))


def payload(request) -> dict:
    """The request body as a dict of field values (JSON object or form-encoded)."""
    data = request.data
    if hasattr(data, "dict") and hasattr(data, "getlist"):
        return {
            key: data.getlist(key) if len(data.getlist(key)) > 1 else data.get(key) for key in data
        }
    if not isinstance(data, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The request body must be a JSON object.")]}
        )
    return dict(data)


def bind(
    form_class: type[forms.Form], data: dict, *, partial_from=None, files=None, **kwargs
) -> forms.Form:
    """Bind `form_class` to `data` and validate it, or raise a 400 with the form's messages.

    Only the form's own fields are read (anything else in the body is ignored, QUALITY.md A4).
    With `partial_from` (a PATCH), fields absent from `data` keep the values the unbound form
    would show for that instance. A file field is read from `files` (the multipart request's
    uploads) only, never from the body's values.
    """
    probe = form_class(**kwargs)
    values: dict = {}
    uploads: dict = {}
    errors: dict[str, list[str]] = {}
    for name, field in probe.fields.items():
        if isinstance(field, forms.FileField):
            if files is not None and name in files:
                uploads[name] = files[name]
            continue
        if name in data:
            value = data[name]
            many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
            if many and isinstance(value, str | int) and not isinstance(value, bool):
                value = [value]  # one value of a form-encoded list
            ok = (
                isinstance(value, list) and all(isinstance(v, SCALARS) for v in value)
                if many
                else isinstance(value, SCALARS)
            )
            if not ok:
                errors[name] = [_("This value has the wrong type.")]
                continue
            if isinstance(field, forms.BooleanField) and value is None:
                value = False
            values[name] = value
        elif partial_from is not None:
            values[name] = probe.get_initial_for_field(field, name)
            if isinstance(field, forms.ModelMultipleChoiceField) and values[name] is None:
                values[name] = []
    if errors:
        raise exceptions.ValidationError(errors)
    form = form_class(data=values, files=uploads, **kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


# Forms as the API's documentation: the schema of a request body or of query parameters is
# derived from the same form that validates it.


def _serializer_field(field: forms.Field, *, for_body: bool) -> serializers.Field:
    required = field.required and for_body
    common = {"required": required, "help_text": str(field.help_text) or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.FileField):
        return serializers.FileField(**common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**common, "required": False})
    if (
        isinstance(field, forms.TypedChoiceField)
        and field.coerce is int
        and not _static_choices(field)
    ):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.ChoiceField):
        choices = _static_choices(field)
        if choices:
            return serializers.ChoiceField(
                choices=choices, allow_blank=not field.required, allow_null=False, **common
            )
        return serializers.CharField(allow_blank=not field.required, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=not field.required, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value,
            max_value=field.max_value,
            allow_null=not field.required,
            **common,
        )
    return serializers.CharField(
        max_length=getattr(field, "max_length", None),
        allow_blank=not field.required,
        **common,
    )


def _static_choices(field: forms.ChoiceField) -> list[tuple]:
    """(value, label) of a choice field's fixed choices, without the blank one."""
    if isinstance(field, forms.ModelChoiceField):
        return []
    return [(value, label) for value, label in field.choices if value not in ("", None)]


def form_serializer(
    name: str,
    form_class: type[forms.Form],
    *,
    partial: bool = False,
    extra: dict | None = None,
    serializer_kwargs: dict | None = None,
    **form_kwargs,
):
    """A serializer describing the body `form_class` accepts (documentation only); with
    `partial`, every field may be left out (a PATCH)."""
    form = form_class(**form_kwargs)
    fields = {}
    for field_name, field in form.fields.items():
        fields[field_name] = _serializer_field(field, for_body=not partial)
    fields.update(extra or {})
    return inline_serializer(name, fields=fields, **(serializer_kwargs or {}))


def form_parameters(form_class: type[forms.Form], **kwargs) -> list:
    """OpenAPI query parameters for a list's filter form (documentation only)."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    out = []
    for name, field in form_class(**kwargs).fields.items():
        description = str(field.label or "")
        if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
            out.append(OpenApiParameter(name, OpenApiTypes.INT, description=description))
        elif isinstance(field, forms.ChoiceField):
            out.append(
                OpenApiParameter(
                    name,
                    OpenApiTypes.STR,
                    enum=[value for value, _label in _static_choices(field)],
                    description=description,
                )
            )
        else:
            out.append(OpenApiParameter(name, OpenApiTypes.STR, description=description))
    return out
