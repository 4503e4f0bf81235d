"""Staff print pages: a union's signboard, poster, badges and contact cards, one officer's
badge and card, and a federation's cadre poster, as PDFs.

Every object comes through the access chokepoint, so whoever may see a union may print its
materials (its own chair and the read-only leader included) and everyone else gets a 404.
PDFs are rendered in the user's active language, sent as a download with a Chinese file
name (RFC 5987) and never cached. QR codes lead to the host the user came in on.
"""

import io

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shuangliang.core.access import can, get_visible_or_404, scope_for, visible
from shuangliang.core.pdf.layouts import A4_BADGES_8UP, A4_CARDS_10UP
from shuangliang.register.models import Federation, Officer, Union

from .models import PrintJob
from .print_forms import (
    BadgeSheetForm,
    BatchForm,
    CardSheetForm,
    PosterForm,
    SignboardForm,
    bound,
    signboard_sizes,
    size_key,
)
from .print_selectors import federation_poster_cadres, union_print_officers
from .printing import (
    badge_pdf,
    contact_cards_pdf,
    poster_pdf,
    signboard_pdf,
    with_print_relations,
)
from .selectors import public_url_for
from .services import credentials_ensure

PDF_CACHE_CONTROL = "private, no-store"
RECENT_JOBS = 10


def pdf_response(data: bytes, filename: str) -> FileResponse:
    """A PDF download: the file name travels as RFC 5987 `filename*` (it is Chinese), and
    nothing on the way may keep a copy (it can carry phones and photos)."""
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = PDF_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _language() -> str:
    return translation.get_language()


def _verify_urls(request: HttpRequest, officers: list[Officer]):
    """A function officer → absolute verification address, issuing credentials in bulk."""
    credentials = credentials_ensure(officers=officers, actor=request.user)

    def verify_url(officer: Officer) -> str:
        path = reverse("public:credential_verify", kwargs={"token": credentials[officer.pk].token})
        return request.build_absolute_uri(path)

    return verify_url


def _union(request: HttpRequest, pk: int) -> Union:
    return get_visible_or_404(
        Union.objects.select_related("federation").prefetch_related("enterprises"),
        request.user,
        pk=pk,
    )


def _officers_or_back(request: HttpRequest, union: Union) -> list[Officer] | None:
    officers = union_print_officers(union=union)
    if not officers:
        messages.error(
            request, _("No cadre of this union is in office, so there is nothing to print.")
        )
    return officers or None


def _file_name(*parts: str) -> str:
    return "-".join(part for part in parts if part) + ".pdf"


def require_federation_scope(request: HttpRequest) -> None:
    """Federation materials and batches are for federation staff and leaders: a union
    officer sees their township only through their own union."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404


# Pages


@require_GET
def print_home(request: HttpRequest) -> HttpResponse:
    """Where printing starts: the user's unions, their federations' posters and batches."""
    scope = scope_for(request.user)
    if not scope.is_anything:
        raise Http404
    federations: list[Federation] = []
    if scope.is_superuser or scope.read_paths:
        visible_federations = visible(Federation.objects.all(), request.user)
        if scope.is_superuser:
            roots = list(Federation.objects.filter(parent__isnull=True).order_by("path"))
        else:
            roots = list(visible_federations.filter(path__in=scope.read_paths).order_by("path"))
        root_paths = {f.path for f in roots}
        children = Federation.objects.filter(parent__in=roots).order_by("path")
        federations = sorted(
            [*roots, *(c for c in children if c.path not in root_paths)], key=lambda f: f.path
        )
    own_unions = Union.objects.filter(pk__in=scope.union_ids).select_related("federation")
    jobs = (
        visible(PrintJob.objects.all(), request.user)
        .select_related("federation")
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )
    batch_form = None
    if federations:
        batch_form = BatchForm(federations=visible(Federation.objects.all(), request.user))
    return render(
        request,
        "doublebright/print_home.html",
        {
            "federations": federations,
            "top_depth": min((f.depth for f in federations), default=0),
            "own_unions": own_unions,
            "jobs": jobs,
            "batch_form": batch_form,
        },
    )


@require_GET
def print_union(request: HttpRequest, pk: int) -> HttpResponse:
    """A union's print materials, with what each cadre still needs (a photo, consent)."""
    union = _union(request, pk)
    officers = union_print_officers(union=union)
    return render(
        request,
        "doublebright/print_union.html",
        {
            "union": union,
            "officers": officers,
            "can_change": can(request.user, "change", union),
            "public_url": public_url_for(union, request),
            "signboard_form": SignboardForm(),
            "poster_form": PosterForm(),
            "badge_form": BadgeSheetForm(),
            "card_form": CardSheetForm(),
        },
    )


# Union PDFs


def _signboard_choice(query) -> tuple[str, tuple[int, int]]:
    """Orientation and size from the query; an unknown or unsuitable size prints the usual
    size of the orientation."""
    form = SignboardForm(query or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["orientation"], form.cleaned_data["size_mm"]
    orientation = query.get("orientation")
    if orientation not in ("horizontal", "vertical"):
        orientation = "horizontal"
    return orientation, signboard_sizes()[orientation][0]


@require_GET
def union_signboard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    union = _union(request, pk)
    orientation, size = _signboard_choice(request.GET)
    data = signboard_pdf(
        union, public_url_for(union, request), orientation, size_mm=size, language=_language()
    )
    return pdf_response(data, _file_name(union.name, _("Signboard"), size_key(size)))


@require_GET
def union_poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    union = _union(request, pk)
    size = bound(PosterForm, request.GET)["size"]
    officers = union_print_officers(union=union)
    data = poster_pdf(union, officers, public_url_for(union, request), size, language=_language())
    return pdf_response(data, _file_name(union.name, _("Notice board"), size))


@require_GET
def union_badges_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    union = _union(request, pk)
    officers = _officers_or_back(request, union)
    if officers is None:
        return redirect("doublebright:print_union", pk=union.pk)
    sheet = A4_BADGES_8UP if bound(BadgeSheetForm, request.GET)["sheet"] == "a4" else None
    data = badge_pdf(officers, _verify_urls(request, officers), sheet=sheet, language=_language())
    return pdf_response(data, _file_name(union.name, _("Badges")))


@require_GET
def union_cards_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    union = _union(request, pk)
    officers = _officers_or_back(request, union)
    if officers is None:
        return redirect("doublebright:print_union", pk=union.pk)
    sheet = A4_CARDS_10UP if bound(CardSheetForm, request.GET)["sheet"] == "a4" else None
    data = contact_cards_pdf(
        officers, _verify_urls(request, officers), sheet=sheet, language=_language()
    )
    return pdf_response(data, _file_name(union.name, _("Contact cards")))


# One officer's PDFs


def _officer(request: HttpRequest, pk: int) -> Officer:
    return get_visible_or_404(
        with_print_relations(Officer.objects.all()).select_related("union__federation"),
        request.user,
        pk=pk,
    )


def _not_in_office(request: HttpRequest, officer: Officer) -> HttpResponse:
    """Back to the person, with a message: a badge or card of someone out of office would
    only carry a QR code that says "no longer valid"."""
    messages.error(
        request,
        _("%(name)s is not in office, so no badge or card can be printed.")
        % {"name": officer.person.name},
    )
    return redirect("backoffice:person_detail", pk=officer.person_id)


@require_GET
def officer_badge_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    if not officer.is_current:
        return _not_in_office(request, officer)
    data = badge_pdf([officer], _verify_urls(request, [officer]), language=_language())
    return pdf_response(data, _file_name(officer.person.name, _("Badge")))


@require_GET
def officer_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    if not officer.is_current:
        return _not_in_office(request, officer)
    sheet = A4_CARDS_10UP if bound(CardSheetForm, request.GET)["sheet"] == "a4" else None
    # A sheet of one cadre's cards: ten of the same card, to cut and hand out.
    officers = [officer] * (sheet.capacity if sheet else 1)
    data = contact_cards_pdf(
        officers, _verify_urls(request, [officer]), sheet=sheet, language=_language()
    )
    return pdf_response(data, _file_name(officer.person.name, _("Contact cards")))


# Federation PDF


@require_GET
def federation_poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice-board poster of a federation's own cadres (縣總工會幹部公示)."""
    require_federation_scope(request)
    federation = get_visible_or_404(Federation.objects.all(), request.user, pk=pk)
    size = bound(PosterForm, request.GET)["size"]
    path = reverse("public:federation_page", kwargs={"division_code": federation.division_code})
    data = poster_pdf(
        federation,
        federation_poster_cadres(federation=federation),
        request.build_absolute_uri(path),
        size,
        language=_language(),
    )
    return pdf_response(data, _file_name(federation.name, _("Cadre notice board"), size))
