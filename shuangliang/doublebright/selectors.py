"""Reads of Double Bright for the public pages: what a worker may see, and nothing more.

Consent is applied here, once: the public pages receive `PublicCadre` values that simply do
not carry a phone or photo the cadre has not agreed to publish (QUALITY.md C1), so no
template can leak one by mistake.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import DEFERRED, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.prepared import PreparedQuery
from shuangliang.register.models import Enterprise, Federation, Officer, Person, Position, Union
from shuangliang.register.selectors import position_rank, search_q

from .models import Credential, UnionPage


@dataclass(frozen=True)
class PublicCadre:
    """One union cadre as the public page shows them; absent fields were not consented to."""

    name: str
    position: str
    is_chair: bool
    term_end: datetime.date | None
    verify_token: str
    has_photo: bool
    mobile: str
    office_phone: str


@dataclass(frozen=True)
class AssignedCadre:
    """A federation cadre assigned (掛點) to one of the union's enterprises."""

    name: str
    position_title: str
    phone: str


@dataclass(frozen=True)
class CredentialStatus:
    """Whether a credential vouches for its holder today, and if not, why."""

    is_valid: bool
    reason: str  # valid, revoked, replaced, officer_revoked, ended, not_started
    ended_on: datetime.date | None

    @property
    def explanation(self) -> str:
        """A sentence for the worker who scanned the code."""
        ended = self.ended_on.isoformat() if self.ended_on else ""
        if self.reason == "revoked":
            return _("This credential was withdrawn by the union federation.")
        if self.reason == "replaced":
            return _("This cadre was replaced on %(date)s.") % {"date": ended}
        if self.reason == "officer_revoked":
            return _("This cadre was removed from office on %(date)s.") % {"date": ended}
        if self.reason == "ended":
            return _("This cadre's term ended on %(date)s.") % {"date": ended}
        if self.reason == "not_started":
            return _("This cadre's term has not started yet.")
        return ""


@dataclass(frozen=True)
class UnionPublicContent:
    """Everything the public union page shows below its heading, consent already applied."""

    enterprises: list[str]
    cadres: list[PublicCadre]
    assigned_cadres: list[AssignedCadre]
    concern: Federation


def union_page_by_token(*, token: str) -> UnionPage:
    """The page behind a token, with its union; raises UnionPage.DoesNotExist."""
    return UnionPage.objects.select_related("union", "union__federation").get(token=token)


# What the public page shows of its union's federations: the township or park and the
# levels above it (county, city, province, national), joined in the page's own query.
_PARENT_LEVELS = 4
_FEDERATION_FIELDS = ("id", "name", "phone", "division_code", "path", "parent_id")
_PAGE_FIELDS = ("id", "union_id", "token", "indexable", "office_hours", "updated_at")
_UNION_FIELDS = ("name", "office_address", "office_phone", "federation_id")


def _public_page_queryset(token: str) -> QuerySet:
    from shuangliang.notices.selectors import model_unit_years_subquery

    newest_officer_change = (
        Officer.objects.filter(union=OuterRef("union_id"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    fields = [*_PAGE_FIELDS, *(f"union__{name}" for name in _UNION_FIELDS)]
    for level in range(_PARENT_LEVELS + 1):
        prefix = "union__federation" + "__parent" * level
        fields += [f"{prefix}__{name}" for name in _FEDERATION_FIELDS]
    # Annotations last: a values_list() row then has the compiled SQL's column order.
    return (
        UnionPage.objects.filter(token=token)
        .annotate(
            officers_changed_at=Subquery(newest_officer_change),
            model_unit_years=model_unit_years_subquery("union_id"),
        )
        .values_list(*fields, "officers_changed_at", "model_unit_years")
    )


_PUBLIC_PAGE_QUERY = PreparedQuery(_public_page_queryset, token="public-page-token-placeholder")


def _instance(model, names, values):
    """A model instance from some of its fields (the others deferred, as with only())."""
    given = dict(zip(names, values, strict=True))
    ordered = [given.get(field.attname, DEFERRED) for field in model._meta.concrete_fields]
    return model.from_db("default", names, ordered)


def union_page_for_public(*, token: str) -> UnionPage:
    """The page behind a token for its public view, in one query: the page, what it shows
    of its union, the union's township or park with the federations above it (for the
    concern contact), `officers_changed_at` (the newest change to the union's officers, a
    part of the page cache's key) and the union's `model_unit_years` (notices app). Raises
    UnionPage.DoesNotExist.

    The query runs on every scan of a QR code, so it is compiled once (prepared.py)."""
    from shuangliang.notices.selectors import model_unit_years_parse

    rows = _PUBLIC_PAGE_QUERY.rows(token=token)
    if not rows:
        raise UnionPage.DoesNotExist
    values = rows[0]
    n = len(_PAGE_FIELDS)
    page = _instance(UnionPage, _PAGE_FIELDS, values[:n])
    union = _instance(Union, ("id", *_UNION_FIELDS), [page.union_id, *values[n : n + 4]])
    n += 4
    federations = []
    for _level in range(_PARENT_LEVELS + 1):
        part = values[n : n + len(_FEDERATION_FIELDS)]
        n += len(_FEDERATION_FIELDS)
        if part[0] is None:
            break
        federations.append(_instance(Federation, _FEDERATION_FIELDS, part))
    for lower, upper in zip(federations, federations[1:], strict=False):
        lower.parent = upper
    union.federation = federations[0]
    page.union = union
    page.officers_changed_at, years = values[-2:]
    union.model_unit_years = model_unit_years_parse(years)
    return page


_OFFICER_FIELDS = ("id", "person_id", "position", "term_start", "term_end")
_PERSON_FIELDS = (
    "name",
    "photo",
    "consent_photo",
    "mobile",
    "consent_mobile",
    "office_phone",
    "consent_office_phone",
)


def _cadres_queryset(union_id: int, today: datetime.date) -> QuerySet:
    """The union's officers in office with what the page shows of their person, and every
    credential of each (rarely more than one; the live one is kept by the reader)."""
    return (
        Officer.objects.filter(Officer.current_q(today), union_id=union_id)
        .order_by()
        .values_list(
            *_OFFICER_FIELDS,
            *(f"person__{name}" for name in _PERSON_FIELDS),
            "credentials__token",
            "credentials__revoked_at",
        )
    )


def _enterprises_queryset(union_id: int) -> QuerySet:
    """The union's enterprises with all their assignments (a handful; today's are kept by
    the reader)."""
    return (
        Enterprise.objects.filter(union_id=union_id)
        .order_by("name", "id")
        .values_list(
            "id",
            "name",
            "assignments__starts_on",
            "assignments__ends_on",
            "assignments__id",
            "assignments__cadre_id",
            "assignments__cadre__last_name",
            "assignments__cadre__first_name",
            "assignments__position_title",
            "assignments__public_phone",
        )
    )


# Unlikely values, replaced on every run (prepared.py).
_CADRES_QUERY = PreparedQuery(
    _cadres_queryset, union_id=-73_019_467, today=datetime.date(1901, 2, 3)
)
_ENTERPRISES_QUERY = PreparedQuery(_enterprises_queryset, union_id=-73_019_467)


def union_public_content(*, page: UnionPage) -> UnionPublicContent:
    """What the public page shows of its union (loaded by `union_page_for_public`), in
    two more queries: the cadres in office with their person and live credential, and the
    union's enterprises with the federation cadres assigned to them (the concern contact
    comes from the federations loaded with the page)."""
    from .services import credentials_ensure

    union = page.union
    today = timezone.localdate()
    by_id: dict[int, Officer] = {}
    credentials: dict[int, Credential] = {}
    for row in _CADRES_QUERY.rows(union_id=union.pk, today=today):
        officer_id, person_id = row[0], row[1]
        if officer_id not in by_id:
            officer = _instance(Officer, _OFFICER_FIELDS, row[:5])
            officer.person = _instance(Person, ("id", *_PERSON_FIELDS), [person_id, *row[5:12]])
            by_id[officer_id] = officer
        token, revoked_at = row[12:]
        if token and revoked_at is None:
            credentials[officer_id] = Credential(officer_id=officer_id, token=token)
    # Sorting here is cheaper than compiling the rank into the query.
    rank = {position: n for n, position in enumerate(Position.values)}
    officers = sorted(
        by_id.values(),
        key=lambda o: (rank.get(o.position, len(rank)), o.term_start, o.person.name, o.pk),
    )
    missing = [officer for officer in officers if officer.pk not in credentials]
    if missing:  # issued once, the first time the page is opened after they took office
        credentials.update(credentials_ensure(officers=missing))
    rows = _ENTERPRISES_QUERY.rows(union_id=union.pk)
    enterprise_ids: list[int] = []
    enterprises: list[str] = []
    assignments: list[tuple] = []
    for enterprise_id, name, starts_on, ends_on, *assignment in rows:
        if not enterprise_ids or enterprise_ids[-1] != enterprise_id:
            enterprise_ids.append(enterprise_id)
            enterprises.append(name)
        if starts_on is not None and starts_on <= today and (ends_on is None or ends_on >= today):
            assignments.append((starts_on, *assignment))
    return UnionPublicContent(
        enterprises=enterprises,
        cadres=public_cadres(officers=officers, credentials=credentials),
        assigned_cadres=_assigned_cadres(sorted(assignments)),  # by start date, then id
        concern=concern_contact(union=union),
    )


def union_current_officers(*, union: Union) -> list[Officer]:
    """The union's cadres in office today, chair first."""
    today = timezone.localdate()
    return list(
        Officer.objects.filter(Officer.current_q(today), union=union)
        .select_related("person", "union", "union__federation")
        .annotate(position_rank=position_rank())
        .order_by("position_rank", "term_start", "person__name", "id")
    )


def public_cadres(
    *, officers: list[Officer], credentials: dict[int, Credential]
) -> list[PublicCadre]:
    """The officers as the public sees them: phones and photo only where consented."""
    cadres = []
    for officer in officers:
        person = officer.person
        cadres.append(
            PublicCadre(
                name=person.name,
                position=officer.get_position_display(),
                is_chair=officer.position == Position.CHAIR,
                term_end=officer.term_end,
                verify_token=credentials[officer.pk].token,
                has_photo=person.has_published_photo,
                mobile=person.published_mobile,
                office_phone=person.published_office_phone,
            )
        )
    return cadres


def union_assigned_cadres(*, union: Union) -> list[AssignedCadre]:
    """The federation cadres assigned today to the union's enterprises, one entry each."""
    from shuangliang.campaign.models import Assignment

    today = timezone.localdate()
    rows = (
        Assignment.objects.filter(enterprise__union=union, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "id")
        .values_list(
            "starts_on",
            "id",
            "cadre_id",
            "cadre__last_name",
            "cadre__first_name",
            "position_title",
            "public_phone",
        )
    )
    return _assigned_cadres(rows)


def _assigned_cadres(rows) -> list[AssignedCadre]:
    """(starts_on, id, cadre id, last name, first name, title, phone) rows, in that order,
    as one entry per cadre."""
    seen, out = set(), []
    for _starts_on, _id, cadre_id, last_name, first_name, position_title, phone in rows:
        if cadre_id in seen:
            continue
        seen.add(cadre_id)
        # Chinese order: family name first. A login name is never shown to the public.
        name = f"{last_name}{first_name}".strip()
        if name or phone:  # nothing a worker could use otherwise
            out.append(AssignedCadre(name=name, position_title=position_title, phone=phone))
    return out


def concern_contact(*, union: Union) -> Federation:
    """The federation a worker should contact with a concern: the nearest one above the
    union that publishes a phone, else the union's own township or park.

    No query when the federations above were loaded with the union (union_page_for_public
    joins them); else one."""
    township = union.federation
    chain = [township]
    while chain[-1].parent_id is not None:
        if not Federation.parent.is_cached(chain[-1]):
            chain = [township, *reversed(list(township.ancestors()))]
            break
        chain.append(chain[-1].parent)
    return _concern(chain)


def _concern(chain: list[Federation]) -> Federation:
    """The first federation of the chain (nearest first) with a phone, else the first."""
    for federation in chain:
        if federation.phone:
            return federation
    return chain[0]


def credential_by_token(*, token: str) -> Credential:
    """The credential behind a token, with its officer, person and union."""
    return Credential.objects.select_related(
        "officer", "officer__person", "officer__union", "officer__union__federation"
    ).get(token=token)


def credential_for_public(*, token: str) -> Credential:
    """The credential behind a token with what its verification page shows, in one query
    (the union's public page joined too; None there when it has none yet). Raises
    Credential.DoesNotExist."""
    return (
        Credential.objects.select_related("officer__person", "officer__union__public_page")
        .only(
            "token",
            "revoked_at",
            "officer__position",
            "officer__status",
            "officer__term_start",
            "officer__term_end",
            "officer__ended_on",
            "officer__person__name",
            "officer__person__photo",
            "officer__person__consent_photo",
            "officer__union__name",
            "officer__union__public_page__token",
        )
        .get(token=token)
    )


def credential_status(
    *, credential: Credential, today: datetime.date | None = None
) -> CredentialStatus:
    """Derived from the officer's state on every call: nothing to update when a chair changes."""
    today = today or timezone.localdate()
    officer = credential.officer
    if credential.revoked_at is not None:
        return CredentialStatus(False, "revoked", None)
    if officer.status == Officer.Status.REPLACED:
        return CredentialStatus(False, "replaced", officer.ended_on or officer.term_end)
    if officer.status == Officer.Status.REVOKED:
        return CredentialStatus(False, "officer_revoked", officer.ended_on or officer.term_end)
    if officer.status != Officer.Status.ACTIVE:
        return CredentialStatus(False, "ended", officer.ended_on or officer.term_end)
    if officer.term_end is not None and officer.term_end < today:
        return CredentialStatus(False, "ended", officer.term_end)
    if officer.term_start > today:
        return CredentialStatus(False, "not_started", None)
    return CredentialStatus(True, "valid", None)


def credential_photo_holder(*, token: str):
    """The Person whose photo may be shown behind this token right now, or None.

    Checked on every request: a live credential, a cadre in office, consent given.
    Withdrawing consent therefore hides the photo on the very next request.
    """
    credential = (
        Credential.objects.select_related("officer", "officer__person")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if credential is None or not credential_status(credential=credential).is_valid:
        return None
    person = credential.officer.person
    return person if person.consent_photo else None


def federation_by_division_code(*, division_code: str) -> Federation:
    """Raises Federation.DoesNotExist."""
    return Federation.objects.get(division_code=division_code)


def federation_public_unions(*, federation: Federation, q: str = "") -> QuerySet[Union]:
    """The unions of the federation's subtree, by township, with their public page if any."""
    qs = Union.objects.filter(federation__path__startswith=federation.path)
    if q:
        qs = qs.filter(search_q(q))
    return qs.select_related("federation", "public_page").order_by("federation__path", "name", "id")


def public_path_for(union: Union) -> str:
    """The site-relative address of the union's public page (created on first use)."""
    from .services import union_page_ensure

    page = union_page_ensure(union=union)
    return reverse("public:union_page", kwargs={"token": page.token})


def public_url_for(union: Union, request=None) -> str:
    """The absolute address of the union's public page, for a link or a QR code.

    With a request, the host the user came in on; without one (a background PDF batch),
    settings.PUBLIC_BASE_URL when set, else the site-relative path.
    """
    path = public_path_for(union)
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path


def verify_url_for(officer: Officer, request=None) -> str:
    """The absolute address of the officer's verification page (the badge and card QR)."""
    from .services import credential_ensure

    credential = credential_ensure(officer=officer)
    path = reverse("public:credential_verify", kwargs={"token": credential.token})
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path
