"""A hostile payload in every free-text column the application stores (QUALITY.md B5, B6).

The columns are found from the models, not listed by hand: every CharField and TextField of
the project's apps (and the user's names) that has no choices, is not one of the internal
columns below, and whose validators accept the payload. A field added later is covered
without touching the tests. Each row and column gets a payload with a number of its own, so a
page that shows the payload tells which column it came from.

The walk over the role matrix's GET routes that the quality tests share is here too.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ..role_matrix import Entry, load_matrix, resolve_args

# Columns the application writes itself and never takes from a person: tree paths, search
# indexes, hashes, tokens, codes of templates and log actions, languages.
INTERNAL = {
    "search_text",
    "path",
    "scope_path",
    "object_id",
    "action_type",
    "request_id",
    "language",
    "cache_key",
    "template_code",
    "key_prefix",
    "key_hash",
    "token",
    "tracking_hash",
    "submission_hash",
    "content_type",
    "key",
    "password",
    "seed",
}
# Raw payload in a response: markup a browser would run.
RAW = re.compile(r"<(?:script|i)>x(\d+)<")
# The payload as text: escaped in HTML or XML, or in a JSON string inside a page.
ESCAPED = re.compile(r"&lt;(?:script|i)&gt;x(\d+)&lt;|\\u003C(?:script|i)\\u003Ex(\d+)\\u003C")


def payload(number: int, max_length: int | None) -> str | None:
    long = (
        f'"\'><script>x{number}</script><img src="http://127.0.0.1:9/{number}.png">'
        "@import url(file:///etc/passwd);"
    )
    medium = f"\"'><script>x{number}</script>"
    short = f"<i>x{number}</i>"
    for text in (long, medium, short):
        if max_length is None or len(text) <= max_length:
            return text
    return None


@dataclass(frozen=True)
class Column:
    label: str
    field: str


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and not field.primary_key
        and field.name not in INTERNAL
    ]


def hostile_models():
    for model in apps.get_models():
        ours = model.__module__.startswith("shuangliang.") or model._meta.label == "auth.User"
        if ours and text_fields(model):
            yield model


def fill(exclude: set[str] = frozenset()) -> dict[int, Column]:
    """Put a payload into every free-text column of every row; returns number → column."""
    numbers: dict[int, Column] = {}
    number = 1000
    for model in hostile_models():
        fields = [f for f in text_fields(model) if f"{model._meta.label}.{f.name}" not in exclude]
        for pk in model._default_manager.values_list("pk", flat=True):
            values = {}
            for field in fields:
                number += 1
                text = payload(number, field.max_length)
                if text is None:
                    continue
                try:
                    field.run_validators(text)
                except ValidationError:
                    continue  # a format (code, phone) the payload cannot take
                values[field.name] = text
                numbers[number] = Column(model._meta.label, field.name)
            if values:
                model._default_manager.filter(pk=pk).update(**values)
    return numbers


def get_routes(*, attachments: bool = False) -> list[Entry]:
    """The GET routes of the role matrix, in its order. An attachment route (a worker's own
    file: B4 and C3 tests) only when asked for."""
    return [
        entry
        for entry in load_matrix()
        if entry.method == "GET" and (attachments or "attachment" not in entry.name)
    ]


def route_url(world, entry: Entry) -> str:
    """The address of a role-matrix route with its arguments taken from the test world."""
    return reverse(entry.name, kwargs=resolve_args(world, entry.args))
