"""The field registry: every value a layout may place, by key, with its kind.

Layouts name fields by these keys and never reach into models; `doublebright.printing`
turns register objects into records (dicts keyed the same way), applying consent there.
"""

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FieldKind = Literal["text", "image", "qr", "list"]


@dataclass(frozen=True)
class Field:
    """One registered field: what it holds (text, image bytes, a QR target, a list of
    records) and a description for people who edit layouts."""

    kind: FieldKind
    description: str | Promise


FIELDS: dict[str, Field] = {
    "union.name": Field("text", _("Union name as on the signboard")),
    "union.enterprise": Field("text", _("Enterprises the union covers")),
    "union.office_address": Field("text", _("Union office address")),
    "union.office_phone": Field("text", _("Union office phone")),
    "org.name": Field("text", _("Name of the union or federation whose cadres are listed")),
    "org.office_address": Field("text", _("Office address of the union or federation")),
    "org.office_phone": Field("text", _("Office phone of the union or federation")),
    "person.name": Field("text", _("Cadre's name")),
    "person.photo": Field("image", _("Cadre's photo, only with consent")),
    "person.mobile": Field("text", _("Cadre's mobile, only with consent")),
    "person.office_phone": Field("text", _("Cadre's office phone, only with consent")),
    "person.phone": Field("text", _("Cadre's mobile, else office phone, only with consent")),
    "person.office_address": Field("text", _("Cadre's office address")),
    "officer.position": Field("text", _("Position held")),
    "officer.term": Field("text", _("Date the term ends")),
    "service_promise": Field("text", _("Service promise printed on contact cards")),
    "qr.url": Field("qr", _("Address the QR code leads to")),
    "cadres": Field("list", _("Cadres listed on a notice-board poster")),
    "page.number": Field("text", _("Page number and page count (2 / 5), set by the engine")),
}


def field(key: str) -> Field:
    """The registered field for a key; raises KeyError naming the unknown key."""
    try:
        return FIELDS[key]
    except KeyError:
        raise KeyError(f"unknown layout field {key!r}") from None
