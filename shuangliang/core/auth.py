"""Logging in: a lockout after repeated failures (QUALITY.md E1), and every login audited.

After `LOGIN_LOCKOUT_FAILURES` failed attempts on one account name within
`LOGIN_LOCKOUT_MINUTES`, the account refuses every login (the right password too) until the
oldest of those failures is older than the window. The count is per account name, so neither
a new client address nor a forged X-Forwarded-For header resets it.
"""

import datetime
import math

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actionlog import log_action
from .models import LoginFailure


def _key(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def locked_for(username: str) -> datetime.timedelta | None:
    """How much longer the account stays locked, or None when it is not locked."""
    since = timezone.now() - _window()
    recent = list(
        LoginFailure.objects.filter(username=_key(username), at__gt=since)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_LOCKOUT_FAILURES]
    )
    if len(recent) < settings.LOGIN_LOCKOUT_FAILURES:
        return None
    # Unlocked when the oldest of the last N failures leaves the window.
    return recent[-1] + _window() - timezone.now()


def record_failure(username: str) -> None:
    key = _key(username)
    LoginFailure.objects.filter(username=key, at__lte=timezone.now() - _window()).delete()
    LoginFailure.objects.create(username=key)


class LockingAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing locked accounts before any password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Your user name and password did not match. Please try again."),
        "locked": _(
            "Too many failed logins for this account. Try again in %(minutes)d minutes, "
            "or ask your federation to reset the password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            remaining = locked_for(username)
            if remaining is not None:
                user = get_user_model().objects.filter(username=username).first()
                if user is not None:
                    log_action(user, "login_refused_locked", actor=None)
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": max(1, math.ceil(remaining.total_seconds() / 60))},
                )
        return super().clean()


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    if not username:
        return
    record_failure(username)
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        log_action(user, "login_failed", actor=None)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    LoginFailure.objects.filter(username=_key(user.get_username())).delete()
    log_action(user, "login", actor=user)
