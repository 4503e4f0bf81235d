"""API tokens: issue, revoke, authenticate, and the scope a token acts with.

A token acts as its user, never as more: on every request its scope is the user's scope as
it stands now (so a removed role or deactivated user fails at once, QUALITY.md A5), cut down
to the token's federation subtree when it has one. Only a SHA-256 hash of the secret is
stored: the secret has 256 random bits, so a slow hash would add nothing but latency.
"""

import datetime
import hashlib
import secrets
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.access import SCOPE_CACHE_ATTR, Scope, scope_for, visible
from shuangliang.core.actionlog import log_action
from shuangliang.register.models import Federation, Union

from .models import ApiToken

SECRET_PREFIX = "slk_"
# `last_used_at` is written at most this often, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def federations_for_token(*, user):
    """The federations a token of `user` may be narrowed to: those the user may see."""
    return visible(Federation.objects.all(), user).order_by("path")


def api_token_check(*, token: ApiToken) -> None:
    """The rules of a new token, for the staff page's form, the admin and the service alike:
    limited only to a place its user may see, and expiring within API_TOKEN_MAX_DAYS."""
    if (
        token.federation_id is not None
        and not federations_for_token(user=token.user).filter(pk=token.federation_id).exists()
    ):
        raise ValidationError(
            {"federation": _("A token can only be limited to a place its user may see.")}
        )
    latest = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if token.expires_at is None or token.expires_at > latest:
        raise ValidationError(
            {
                "expires_at": _("A token must expire within %(days)d days.")
                % {"days": settings.API_TOKEN_MAX_DAYS}
            }
        )


@transaction.atomic
def api_token_issue(*, actor, token: ApiToken) -> str:
    """Save an unsaved token (its user, name, federation, rights and expiry set) with a fresh
    secret, log it, and return the secret: the only time it exists outside the client."""
    if token.pk is not None:
        raise ValueError("api_token_issue takes an unsaved token.")
    api_token_check(token=token)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token.key_hash = hash_secret(secret)
    token.key_prefix = secret[: len(SECRET_PREFIX) + 6]
    token.full_clean()
    token.save()
    log_action(
        token,
        "api.token.created",
        actor=actor,
        data={
            "user": token.user.get_username(),
            "name": token.name,
            "federation": str(token.federation) if token.federation_id else None,
            "can_write": token.can_write,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return secret


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; it is refused from the next request on. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_action(token, "api.token.revoked", actor=actor, data={"name": token.name})
    return token


def api_token_list(*, user):
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).select_related("federation")


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The usable token behind a secret, with its user; None when unknown, revoked or expired."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "federation")
        .filter(key_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record the use, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _narrow_paths(paths: tuple[str, ...], limit: str) -> tuple[str, ...]:
    """Each path cut down to `limit`: an ancestor of it becomes `limit`, a descendant stays,
    anything else goes."""
    out: list[str] = []
    for path in paths:
        if limit.startswith(path):
            narrowed = limit
        elif path.startswith(limit):
            narrowed = path
        else:
            continue
        if narrowed not in out:
            out.append(narrowed)
    return tuple(out)


def token_scope(*, user, token: ApiToken) -> Scope:
    """The scope a request made with `token` acts with: the user's, never wider.

    With a federation, only what lies in its subtree remains. Assigned cadres see single
    enterprises rather than a subtree, so that part of a scope does not survive narrowing.
    A read-only token keeps the federation paths as read-only ones (its writes are refused
    before any view runs; this is the second lock).
    """
    scope = scope_for(user)
    if token.federation_id is not None:
        limit = token.federation.path
        if scope.is_superuser:
            scope = Scope(staff_paths=(limit,), user_id=scope.user_id)
        else:
            union_ids = (
                frozenset(
                    Union.objects.filter(
                        pk__in=scope.union_ids, federation__path__startswith=limit
                    ).values_list("pk", flat=True)
                )
                if scope.union_ids
                else frozenset()
            )
            scope = replace(
                scope,
                staff_paths=_narrow_paths(scope.staff_paths, limit),
                leader_paths=_narrow_paths(scope.leader_paths, limit),
                union_ids=union_ids,
                is_assigned_cadre=False,
            )
    if not token.can_write and scope.staff_paths:
        scope = replace(scope, staff_paths=(), leader_paths=scope.read_paths)
    return scope


def use_token_scope(*, user, token: ApiToken) -> None:
    """Make the access chokepoint (core.access.visible) see the token's scope for `user`,
    the user object of this one request."""
    setattr(user, SCOPE_CACHE_ATTR, token_scope(user=user, token=token))
