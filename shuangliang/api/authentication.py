"""How API requests say who they are: a bearer token (integrations) or the staff session."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import api_token_for_secret, api_token_touch, use_token_scope


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer slk_…`. An unknown, expired or revoked token is a 401, on the
    request that follows the change."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split() if isinstance(header, str) else []
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2 or not parts[1].isascii():
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        secret = parts[1]
        token = api_token_for_secret(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        user = token.user
        use_token_scope(user=user, token=token)
        api_token_touch(token=token)
        return user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in staff member's session; writes need the CSRF token, as on the pages."""


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created on the staff page “API tokens”.",
        }


class ApiSessionScheme(OpenApiAuthenticationExtension):
    target_class = ApiSessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
