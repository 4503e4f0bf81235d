"""Cadre verification (issue 3): the QR code on a badge says whether its holder is in office.

Validity is derived from the officer's term on every request: a chair change, an ended or
expired term, or a revoked credential all show "no longer valid" with no extra step.
"""

import datetime
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from shuangliang.core.models import ActionLogEntry
from shuangliang.doublebright.models import Credential, UnionPage
from shuangliang.doublebright.selectors import credential_status, verify_url_for
from shuangliang.doublebright.services import (
    DoubleBrightError,
    credential_ensure,
    credential_reissue,
    credential_revoke,
    union_page_ensure,
    union_page_update,
)
from shuangliang.public.qr import qr_svg
from shuangliang.register.models import Officer, Position
from shuangliang.register.services import officer_appoint, officer_end

from .factories import OfficerFactory, PersonFactory

TOKEN = re.compile(r"^[A-Za-z0-9_-]{12,}$")


def _verify_url(credential: Credential) -> str:
    return reverse("public:credential_verify", kwargs={"token": credential.token})


def _verdict(client: Client, credential: Credential) -> tuple[bool, str]:
    """(is the panel green, the page's HTML)."""
    response = client.get(_verify_url(credential))
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(
        r'class="verdict (valid|invalid)" id="verdict" data-valid="(true|false)"', html
    )
    assert match, "no verdict panel"
    assert (match.group(1) == "valid") == (match.group(2) == "true")
    return match.group(1) == "valid", html


def _no_longer_valid() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("No longer valid")


def _valid() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("Valid")


@pytest.fixture
def credential1(world) -> Credential:
    return credential_ensure(officer=world.chair1)


def test_valid_credential_names_union_position_and_term(world, credential1):
    valid, html = _verdict(Client(), credential1)
    assert valid
    assert _valid() in html
    assert "王芳" in html
    assert "甲一机械有限公司工会委员会" in html
    with translation.override("zh-hans"):
        assert translation.gettext("Chair") in html
    assert "2027-04-30" in html
    page = UnionPage.objects.get(union=world.u1)
    assert f'href="{reverse("public:union_page", kwargs={"token": page.token})}"' in html


def test_chair_change_makes_old_credential_no_longer_valid_and_shows_new_chair(world, credential1):
    client = Client()
    assert _verdict(client, credential1)[0]
    new_person = PersonFactory(name="周明远")
    new_chair = officer_appoint(
        actor=world.users["county_c1"],
        union=world.u1,
        person=new_person,
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )

    valid, html = _verdict(client, credential1)
    assert not valid
    assert _no_longer_valid() in html
    assert "甲一机械有限公司工会委员会" in html  # the worker can still find the union
    union_url = reverse(
        "public:union_page", kwargs={"token": UnionPage.objects.get(union=world.u1).token}
    )
    assert f'href="{union_url}"' in html

    union_html = client.get(union_url).content.decode()
    assert "周明远" in union_html
    assert "王芳" not in union_html
    new_credential = Credential.objects.get(officer=new_chair)
    assert _verdict(client, new_credential)[0]
    assert f'href="{_verify_url(new_credential)}"' in union_html


def test_revoked_credential_is_no_longer_valid_and_a_reissued_one_is(world, credential1):
    client = Client()
    new = credential_reissue(
        actor=world.users["county_c1"], credential=credential1, reason="工作牌遗失"
    )
    valid, html = _verdict(client, credential1)
    assert not valid and _no_longer_valid() in html
    assert new.token != credential1.token and TOKEN.match(new.token)
    assert _verdict(client, new)[0]
    entry = ActionLogEntry.objects.get(action_type="doublebright.credential.revoked")
    assert entry.data == {"reason": "工作牌遗失"}
    assert entry.actor == world.users["county_c1"]
    assert entry.scope_path == world.t1.path


def test_revoke_needs_a_reason_and_happens_once(world, credential1):
    with pytest.raises(DoubleBrightError):
        credential_revoke(actor=None, credential=credential1, reason="  ")
    credential_revoke(actor=None, credential=credential1, reason="错误发放")
    with pytest.raises(DoubleBrightError):
        credential_revoke(actor=None, credential=credential1, reason="再次")


def test_expired_term_is_no_longer_valid(world):
    officer = OfficerFactory(
        union=world.u1,
        position=Position.VICE_CHAIR,
        term_start=datetime.date(2019, 1, 1),
        term_end=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert officer.status == Officer.Status.ACTIVE  # nobody ended it: the date alone decides
    valid, html = _verdict(Client(), credential_ensure(officer=officer))
    assert not valid and _no_longer_valid() in html


def test_term_ending_today_is_still_valid(world):
    officer = OfficerFactory(
        union=world.u1,
        position=Position.VICE_CHAIR,
        term_start=datetime.date(2022, 1, 1),
        term_end=timezone.localdate(),
    )
    assert _verdict(Client(), credential_ensure(officer=officer))[0]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Officer.Status.ENDED, "ended"),
        (Officer.Status.REPLACED, "replaced"),
        (Officer.Status.REVOKED, "officer_revoked"),
    ],
)
def test_officer_leaving_office_invalidates_the_credential(world, credential1, status, reason):
    officer_end(actor=None, officer=world.chair1, status=status)
    credential1.refresh_from_db()
    assert credential_status(credential=credential1).reason == reason
    valid, html = _verdict(Client(), credential1)
    assert not valid and _no_longer_valid() in html
    assert timezone.localdate().isoformat() in html  # when it stopped


def test_term_not_started_is_not_valid(world):
    officer = OfficerFactory(
        union=world.u1,
        position=Position.COMMITTEE_MEMBER,
        term_start=timezone.localdate() + datetime.timedelta(days=10),
        term_end=None,
    )
    assert not _verdict(Client(), credential_ensure(officer=officer))[0]


def test_unknown_token_is_404(world, credential1):
    client = Client()
    assert client.get("/v/AAAAAAAAAAAA/").status_code == 404
    assert client.get(f"/v/{world.chair1.pk}/").status_code == 404
    assert client.get(f"/v/{credential1.pk:012d}/").status_code == 404
    assert client.get("/v/AAAAAAAAAAAA/qr.svg").status_code == 404
    assert client.get("/v/AAAAAAAAAAAA/photo").status_code == 404


def test_credential_tokens_are_unguessable_and_not_ids(world):
    credentials = [credential_ensure(officer=o) for o in (world.chair1, world.chair2)]
    for credential in credentials:
        assert TOKEN.match(credential.token)
        assert credential.token != str(credential.pk)
        assert credential.token != str(credential.officer_id)
    assert credentials[0].token != credentials[1].token


def test_credential_ensure_is_idempotent_and_logged(world):
    first = credential_ensure(officer=world.chair1)
    assert credential_ensure(officer=world.chair1) == first
    entries = ActionLogEntry.objects.filter(
        action_type="doublebright.credential.issued", object_id=str(first.pk)
    )
    assert entries.count() == 1
    credential_revoke(actor=None, credential=first, reason="测试")
    second = credential_ensure(officer=world.chair1)
    assert second != first and second.revoked_at is None
    assert Credential.objects.filter(officer=world.chair1).count() == 2


def test_verification_page_is_never_indexed(world, credential1):
    union_page_update(actor=None, page=union_page_ensure(union=world.u1), indexable=True)
    response = Client().get(_verify_url(credential1))
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_verification_page_shows_phones_never(world, credential1):
    person = world.chair1.person
    person.consent_mobile = False
    person.save()
    assert person.mobile.encode() not in Client().get(_verify_url(credential1)).content


def test_verification_qr_svg_encodes_the_absolute_address(world, credential1):
    response = Client().get(
        reverse("public:credential_qr_svg", kwargs={"token": credential1.token})
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == qr_svg(f"http://testserver{_verify_url(credential1)}")


def test_verification_qr_png_decodes_to_the_address(world, credential1, tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (Debian package zbar-tools, see scripts/system-deps.sh)")
    response = Client().get(
        reverse("public:credential_qr_png", kwargs={"token": credential1.token})
    )
    path = tmp_path / "qr.png"
    path.write_bytes(response.content)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver{_verify_url(credential1)}"


def test_old_qr_keeps_decoding_to_a_page_that_says_no_longer_valid(world, credential1):
    """A printed badge cannot change: its address stays the same and the page changes."""
    before = Client().get(reverse("public:credential_qr_svg", kwargs={"token": credential1.token}))
    officer_end(actor=None, officer=world.chair1, status=Officer.Status.REPLACED)
    after = Client().get(reverse("public:credential_qr_svg", kwargs={"token": credential1.token}))
    assert before.content == after.content
    assert not _verdict(Client(), credential1)[0]


def test_verify_url_for_issues_a_credential_and_gives_its_address(world, rf):
    url = verify_url_for(world.chair2, rf.get("/"))
    credential = Credential.objects.get(officer=world.chair2)
    assert url == f"http://testserver/v/{credential.token}/"
