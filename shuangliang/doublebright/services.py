"""Writes of Double Bright: public union pages and cadre credentials.

Pages and credentials are created lazily the first time they are needed (a public page is
opened, a badge is printed) and never again, so later reads are read-only. Each write is
logged; lazy creation on a public request has no actor.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import build_entry, log_action
from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import Officer, Union

from .models import Credential, UnionPage, new_token


class DoubleBrightError(Exception):
    """A domain rule refused the write; the message is for the user."""


def union_page_ensure(*, union: Union, actor=None) -> UnionPage:
    """The union's public page, created with a fresh token when it has none yet."""
    page = UnionPage.objects.filter(union=union).first()
    if page is not None:
        return page
    try:
        with transaction.atomic():
            page = UnionPage.objects.create(union=union)
            log_action(page, "doublebright.union_page.created", actor=actor)
    except IntegrityError:  # a concurrent request created it first
        page = UnionPage.objects.get(union=union)
    return page


def union_pages_ensure(*, unions: Iterable[Union], actor=None) -> dict[int, UnionPage]:
    """{union id: page} for many unions at once: one read, and one insert if any are missing."""
    by_id = {union.pk: union for union in unions}
    union_ids = set(by_id)
    pages = {p.union_id: p for p in UnionPage.objects.filter(union_id__in=union_ids)}
    missing = sorted(union_ids - pages.keys())
    if missing:
        with transaction.atomic():
            # ignore_conflicts: a concurrent request may create some of them first.
            UnionPage.objects.bulk_create(
                [UnionPage(union_id=union_id) for union_id in missing], ignore_conflicts=True
            )
            created = list(UnionPage.objects.filter(union_id__in=missing))
            for page in created:  # reuse the caller's objects: no query per log entry
                page.union = by_id[page.union_id]
            ActionLogEntry.objects.bulk_create(
                [build_entry(p, "doublebright.union_page.created", actor=actor) for p in created]
            )
        pages.update({p.union_id: p for p in created})
    return pages


@transaction.atomic
def union_page_update(
    *, actor, page: UnionPage, indexable: bool, office_hours: str = ""
) -> UnionPage:
    """Opt the page in or out of search engines and set the office hours it shows."""
    before = {"indexable": page.indexable, "office_hours": page.office_hours}
    page.indexable = indexable
    page.office_hours = office_hours.strip()
    after = {"indexable": page.indexable, "office_hours": page.office_hours}
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        page.save(update_fields=["indexable", "office_hours", "updated_at"])
        log_action(page, "doublebright.union_page.changed", actor=actor, data={"changes": diff})
    return page


@transaction.atomic
def union_page_rotate_token(*, actor, page: UnionPage) -> UnionPage:
    """Give the page a new address; the old one stops working at once (a 404)."""
    page.token = new_token()
    page.save(update_fields=["token", "updated_at"])
    # The token itself stays out of the log: it is the page's only access secret.
    log_action(page, "doublebright.union_page.token_rotated", actor=actor)
    return page


def credential_ensure(*, officer: Officer, actor=None) -> Credential:
    """The officer's credential in use, issued with a fresh token when there is none."""
    credential = Credential.objects.filter(officer=officer, revoked_at__isnull=True).first()
    if credential is not None:
        return credential
    try:
        with transaction.atomic():
            credential = Credential.objects.create(officer=officer)
            log_action(credential, "doublebright.credential.issued", actor=actor)
    except IntegrityError:  # a concurrent request issued it first
        credential = Credential.objects.get(officer=officer, revoked_at__isnull=True)
    return credential


def credentials_ensure(*, officers: Iterable[Officer], actor=None) -> dict[int, Credential]:
    """{officer id: live credential} for many officers: one read, one insert if any missing."""
    by_id = {officer.pk: officer for officer in officers}
    officer_ids = set(by_id)
    live = Credential.objects.filter(officer_id__in=officer_ids, revoked_at__isnull=True)
    credentials = {c.officer_id: c for c in live}
    missing = sorted(officer_ids - credentials.keys())
    if missing:
        with transaction.atomic():
            Credential.objects.bulk_create(
                [Credential(officer_id=officer_id) for officer_id in missing],
                ignore_conflicts=True,
            )
            created = list(
                Credential.objects.filter(officer_id__in=missing, revoked_at__isnull=True)
            )
            for credential in created:
                credential.officer = by_id[credential.officer_id]
            ActionLogEntry.objects.bulk_create(
                [build_entry(c, "doublebright.credential.issued", actor=actor) for c in created]
            )
        credentials.update({c.officer_id: c for c in created})
    return credentials


@transaction.atomic
def credential_revoke(*, actor, credential: Credential, reason: str) -> Credential:
    """Revoke a credential (a lost badge, a mistake): its QR code shows "no longer valid"."""
    if credential.revoked_at is not None:
        raise DoubleBrightError(_("This credential has already been revoked."))
    reason = reason.strip()
    if not reason:
        raise DoubleBrightError(_("Give a reason for revoking the credential."))
    credential.revoked_at = timezone.now()
    credential.revoked_reason = reason[:200]
    credential.save(update_fields=["revoked_at", "revoked_reason"])
    log_action(credential, "doublebright.credential.revoked", actor=actor, data={"reason": reason})
    return credential


@transaction.atomic
def credential_reissue(*, actor, credential: Credential, reason: str) -> Credential:
    """Revoke a credential and issue a new one for the same term (a badge to reprint)."""
    credential_revoke(actor=actor, credential=credential, reason=reason)
    return credential_ensure(officer=credential.officer, actor=actor)
