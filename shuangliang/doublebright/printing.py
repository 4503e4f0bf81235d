"""Print materials of Double Bright: register objects turned into layout records, and PDFs.

Consent is applied here, once (QUALITY.md C1): a record carries a cadre's phone or photo
only when that field's consent is on, so no layout can print one by mistake. QR targets
are addresses the caller builds (public page, verification page); nothing here knows URLs.
Every function renders inside `translation.override()`, so labels, positions and dates
come out in one language.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shuangliang.core.pdf import render
from shuangliang.core.pdf.elements import Sheet
from shuangliang.core.pdf.layouts import (
    A4_CARDS_10UP,
    BADGE,
    CONTACT_CARD,
    POSTERS,
    SIGNBOARDS,
)
from shuangliang.register.models import Federation, Officer, Person, Union

logger = logging.getLogger(__name__)

Record = dict[str, object]


@dataclass(frozen=True)
class PosterCadre:
    """A cadre on a poster who is not a union officer, such as a federation's own cadre;
    the caller passes only what may be published (phone and photo with consent)."""

    name: str
    position: str
    phone: str = ""
    photo: bytes | None = None


def with_print_relations(officers: QuerySet[Officer]) -> QuerySet[Officer]:
    """The officers with everything printing reads loaded up front: a fixed number of
    queries however many officers are printed."""
    return officers.select_related("person", "union").prefetch_related("union__enterprises")


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _photo_bytes(person: Person) -> bytes | None:
    """The stored photo's bytes when its publication is consented to, else None; a file
    missing from storage prints as no photo rather than failing a whole batch."""
    if not person.has_published_photo:
        return None
    try:
        with person.photo.open("rb") as file:
            return file.read()
    except OSError:
        logger.warning("Photo of person %s is missing from storage", person.pk)
        return None


def person_fields(person: Person) -> Record:
    """The person's fields for a layout; phones and photo only where consented."""
    mobile = person.published_mobile
    office_phone = person.published_office_phone
    return {
        "person.name": person.name,
        "person.photo": _photo_bytes(person),
        "person.mobile": mobile,
        "person.office_phone": office_phone,
        "person.phone": mobile or office_phone,
        "person.office_address": person.office_address,
    }


def union_fields(union: Union) -> Record:
    """The union's fields for a layout (its enterprises from a prefetch when there is one)."""
    return {
        "union.name": union.name,
        "union.enterprise": "、".join(e.name for e in union.enterprises.all()),
        "union.office_address": union.office_address,
        "union.office_phone": union.office_phone,
    }


def officer_fields(officer: Officer) -> Record:
    """An officer's record: the person (consent applied), the union, the position in the
    active language and the date the term ends (the union's re-election date when the
    officer has no end date of their own)."""
    term_end = officer.term_end or officer.union.reelection_due_on
    return {
        **person_fields(officer.person),
        **union_fields(officer.union),
        "officer.position": officer.get_position_display(),
        "officer.term": date_format(term_end, "DATE_FORMAT") if term_end else "",
    }


def badge_pdf(
    officers: Iterable[Officer],
    verify_url_for: Callable[[Officer], str],
    *,
    sheet: Sheet | None = None,
    language: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One PDF of badges, one per officer in the given order: a page each at card size,
    or n-up when a sheet (e.g. A4_BADGES_8UP) is given; each QR leads to the officer's
    verification address. `progress` is told how many badges are drawn so far."""
    with translation.override(_language(language)):
        records = [
            {**officer_fields(officer), "qr.url": verify_url_for(officer)} for officer in officers
        ]
        return render(
            BADGE,
            records,
            sheet,
            language=_language(language),
            title=_("Badges"),
            progress=progress,
        )


def contact_cards_pdf(
    officers: Iterable[Officer],
    verify_url_for: Callable[[Officer], str],
    *,
    service_promise: str | None = None,
    sheet: Sheet | None = A4_CARDS_10UP,
    language: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One PDF of contact cards in the given order, 10 to an A4 sheet with crop marks by
    default (sheet=None: a page per card); each QR leads to the officer's verification
    address, and the service promise is the federation's or the standard one."""
    with translation.override(_language(language)):
        promise = service_promise or _(
            "We listen to workers, speak up for them and serve them with all our hearts."
        )
        records = [
            {
                **officer_fields(officer),
                "service_promise": promise,
                "qr.url": verify_url_for(officer),
            }
            for officer in officers
        ]
        return render(
            CONTACT_CARD,
            records,
            sheet,
            language=_language(language),
            title=_("Contact cards"),
            progress=progress,
        )


def signboard_pdf(
    union: Union,
    public_url: str,
    orientation: Literal["horizontal", "vertical"] = "horizontal",
    *,
    size_mm: tuple[float, float] | None = None,
    language: str | None = None,
) -> bytes:
    """The union's signboard as a one-page PDF at real size (600 x 400 mm horizontal,
    400 x 600 mm vertical, or `size_mm` as width and height), with a QR code to its public
    page; the vertical variant sets the name top to bottom."""
    layout = SIGNBOARDS[orientation]
    if size_mm is not None:
        layout = layout.scaled(*size_mm)
    with translation.override(_language(language)):
        record = {**union_fields(union), "qr.url": public_url}
        return render(layout, [record], language=_language(language), title=union.name)


def signboards_pdf(
    unions: Iterable[Union],
    public_url_for: Callable[[Union], str],
    orientation: Literal["horizontal", "vertical"] = "horizontal",
    *,
    size_mm: tuple[float, float] | None = None,
    language: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Many unions' signboards in one PDF, a page each in the given order, as
    `signboard_pdf` draws them; `progress` is told how many are drawn so far."""
    layout = SIGNBOARDS[orientation]
    if size_mm is not None:
        layout = layout.scaled(*size_mm)
    with translation.override(_language(language)):
        records = [{**union_fields(union), "qr.url": public_url_for(union)} for union in unions]
        return render(
            layout,
            records,
            language=_language(language),
            title=_("Signboards"),
            progress=progress,
        )


def poster_pdf(
    owner: Union | Federation,
    cadres: Iterable[Officer | PosterCadre],
    public_url: str,
    size: Literal["A4", "A3"] = "A4",
    *,
    language: str | None = None,
) -> bytes:
    """The notice-board poster of a union's cadres, or of a federation's own cadres, in the
    given order: nine to a page with photo, name, position and phone (consent applied),
    then the office address and a QR code to the public page."""
    with translation.override(_language(language)):
        if isinstance(owner, Union):
            org = {
                "org.name": owner.name,
                "org.office_address": owner.office_address,
                "org.office_phone": owner.office_phone,
            }
        else:
            org = {
                "org.name": owner.name,
                "org.office_address": owner.address,
                "org.office_phone": owner.phone,
            }
        items = [_poster_item(cadre) for cadre in cadres]
        record = {**org, "cadres": items, "qr.url": public_url}
        return render(POSTERS[size], [record], language=_language(language), title=owner.name)


def _poster_item(cadre: Officer | PosterCadre) -> Record:
    if isinstance(cadre, PosterCadre):
        return {
            "person.name": cadre.name,
            "officer.position": cadre.position,
            "person.phone": cadre.phone,
            "person.photo": cadre.photo,
        }
    return {**person_fields(cadre.person), "officer.position": cadre.get_position_display()}
