"""Reads of Double Bright for the public pages: what a worker may see, and nothing more.

Consent is applied here, once: the public pages receive `PublicCadre` values that simply do
not carry a phone or photo the cadre has not agreed to publish (QUALITY.md C1), so no
template can leak one by mistake.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.register.models import Federation, Officer, Position, Union
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


def union_page_by_token(*, token: str) -> UnionPage:
    """The page behind a token, with its union; raises UnionPage.DoesNotExist."""
    return UnionPage.objects.select_related("union", "union__federation").get(token=token)


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
    assignments = (
        Assignment.objects.filter(enterprise__union=union, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("cadre")
        .order_by("starts_on", "id")
    )
    seen, out = set(), []
    for assignment in assignments:
        if assignment.cadre_id in seen:
            continue
        seen.add(assignment.cadre_id)
        cadre = assignment.cadre
        # Chinese order: family name first. A login name is never shown to the public.
        name = f"{cadre.last_name}{cadre.first_name}".strip()
        if name or assignment.public_phone:  # nothing a worker could use otherwise
            out.append(
                AssignedCadre(
                    name=name,
                    position_title=assignment.position_title,
                    phone=assignment.public_phone,
                )
            )
    return out


def concern_contact(*, union: Union) -> Federation:
    """The federation a worker should contact with a concern: the nearest one above the
    union that publishes a phone, else the union's own township or park."""
    chain = [union.federation, *reversed(list(union.federation.ancestors()))]
    for federation in chain:
        if federation.phone:
            return federation
    return union.federation


def credential_by_token(*, token: str) -> Credential:
    """The credential behind a token, with its officer, person and union."""
    return Credential.objects.select_related(
        "officer", "officer__person", "officer__union", "officer__union__federation"
    ).get(token=token)


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
