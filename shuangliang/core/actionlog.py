"""The action log: one entry per change, and per view of sensitive data."""

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile

from .middleware import current_request_id
from .models import ActionLogEntry

# Values of these fields never enter the log in clear.
MASKED_FIELDS = {"mobile", "office_phone", "phone", "password", "photo"}

# Facts about the channel of the current request (the API adds the name of the token used),
# added to every entry logged inside `action_context()`.
_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "action_log_context", default=None
)


@contextlib.contextmanager
def action_context(**facts):
    """Add `facts` to the data of every entry logged inside the block."""
    token = _context.set({**(_context.get() or {}), **facts})
    try:
        yield
    finally:
        _context.reset(token)


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _scope_path(obj: Model) -> str:
    for attr in ("path",):
        if getattr(obj, attr, None):
            return getattr(obj, attr)
    for chain in ("federation", "union.federation", "enterprise.federation"):
        target = obj
        for part in chain.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None and getattr(target, "path", None):
            return target.path
    return ""


def snapshot(obj: Model, fields: Iterable[str]) -> dict:
    """The values of `fields` as the log stores them."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ; masked fields say only that they changed."""
    out = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            out[name] = ["***", "***"] if name in MASKED_FIELDS else [old, new]
    return out


def log_action(
    obj: Model, action_type: str, *, actor=None, data: dict | None = None
) -> ActionLogEntry:
    """Record one action on one object, with the request id it happened in."""
    entry = build_entry(obj, action_type, actor=actor, data=data)
    entry.save()
    return entry


def build_entry(
    obj: Model, action_type: str, *, actor=None, data: dict | None = None
) -> ActionLogEntry:
    """An unsaved entry, for bulk paths that write many at once with `bulk_create`."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return ActionLogEntry(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_type=action_type,
        actor_id=actor_id,
        scope_path=_scope_path(obj),
        request_id=current_request_id(),
        data={**(_context.get() or {}), **(data or {})},
    )


def history_for(obj: Model) -> QuerySet[ActionLogEntry]:
    """The object's history, newest first (callers reach the object through access checks)."""
    return ActionLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
