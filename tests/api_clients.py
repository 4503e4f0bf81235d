"""Clients for the API tests: a token client per role of the standing cast (tests/conftest.py)."""

import datetime

from django.test import Client
from django.utils import timezone

from shuangliang.api.models import ApiToken
from shuangliang.api.tokens import api_token_issue


def issue_token(user, *, federation=None, can_write=True, days=30, name="对接系统"):
    """(token, secret) for `user`, issued through the service the staff page uses."""
    token = ApiToken(
        user=user,
        name=name,
        federation=federation,
        can_write=can_write,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    secret = api_token_issue(actor=user, token=token)
    return token, secret


def bearer_client(secret: str) -> Client:
    """A client that sends the token on every request and holds no session (CSRF on)."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def token_client(world, role: str, **kwargs) -> Client:
    _token, secret = issue_token(world.users[role], **kwargs)
    return bearer_client(secret)
