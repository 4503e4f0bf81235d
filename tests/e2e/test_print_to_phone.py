"""Issue 3 "Done when", end to end: the demo chair uploads a photo, gives consent and prints
their badge through the staff pages; the QR code decoded from that PDF opens the chair's
verification page on a phone; after a change of chair the same printed code says "no
longer valid"."""

import io
import subprocess
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone, translation
from PIL import Image as PILImage

from shuangliang.core.models import Membership
from shuangliang.register.models import Officer, Position
from shuangliang.register.services import officer_appoint

from ..factories import PersonFactory
from ..test_pdf import MISSING_TOOLS, image_count, page_sizes_mm

create_kinds = import_module(
    "shuangliang.register.migrations.0002_default_contract_kinds"
).create_kinds

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(MISSING_TOOLS), reason=f"missing {MISSING_TOOLS}"),
]


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture(scope="module", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """The rows data migrations made, put back after the live-server test flushed them (the
    tests that follow expect the database as `migrate` left it)."""
    yield
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--no-photos", verbosity=0)


def _decode_qr(pdf_path, tmp_path) -> str:
    prefix = tmp_path / "badge"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", pdf_path, prefix], check=True
    )
    (png,) = tmp_path.glob("badge*.png")
    result = subprocess.run(
        ["zbarimg", "-q", "--raw", png], capture_output=True, text=True, check=True
    )
    (url,) = [line for line in result.stdout.splitlines() if line]
    return url


def test_chair_prints_badge_and_phone_checks_it_before_and_after_a_change_of_chair(
    demo, live_server, page, phone_page, log_in, tmp_path
):
    union = Membership.objects.get(user__username="chair").union
    chair = Officer.objects.select_related("person").get(
        union=union, position=Position.CHAIR, status=Officer.Status.ACTIVE
    )
    name = chair.person.name
    log_in(page, "chair", "shuangliang-demo")

    # Overview → print materials → the chair's own union.
    with page.expect_navigation():
        page.click("#print-materials-link")
    with page.expect_navigation():
        page.click("#own-unions a.button")
    row = page.locator(f"#print-cadres tr[data-officer='{chair.pk}']")
    assert name in row.inner_text()

    # Upload a photo, then give consent to publish it.
    with page.expect_navigation():
        row.locator("a[href*='#photo-upload']").click()
    photo = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 400), (90, 140, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page.set_input_files("#photo-upload", str(photo))
    with page.expect_navigation():
        page.click("form[action$='/photo/upload/'] button[type=submit]")
    with page.expect_navigation():
        page.click(f"a[href$='/people/{chair.person_id}/edit/']")
    page.check("input[name=consent_photo]")
    with page.expect_navigation():
        page.click("form.edit button[type=submit]")
    chair.person.refresh_from_db()
    assert chair.person.photo and chair.person.consent_photo

    # Back on the print page: the badge, downloaded as the chair would.
    page.goto(f"{live_server.url}/double-bright/print/unions/{chair.union_id}/")
    row = page.locator(f"#print-cadres tr[data-officer='{chair.pk}']")
    with page.expect_download() as download_info:
        row.locator("a[data-print=badge]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert name in download.suggested_filename
    badge = tmp_path / "badge.pdf"
    badge.write_bytes(download.path().read_bytes())
    assert page_sizes_mm(badge) == [(85.6, 54)]
    assert image_count(badge) == 1  # the photo, now that it may be published
    verify_url = _decode_qr(badge, tmp_path)
    assert verify_url.startswith(f"{live_server.url}/v/")

    # A worker's phone opens the printed code.
    outside = []
    phone_page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    phone_page.goto(verify_url)
    verdict = phone_page.locator("#verdict")
    assert verdict.get_attribute("data-valid") == "true"
    assert _zh("Valid") in verdict.locator("h1").inner_text()
    assert name in verdict.inner_text()

    # The union elects a new chair; the old badge's code now warns.
    officer_appoint(
        actor=Membership.objects.get(user__username="county").user,
        union=chair.union,
        person=PersonFactory(name="周明远"),
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )
    phone_page.goto(verify_url)
    verdict = phone_page.locator("#verdict")
    assert verdict.get_attribute("data-valid") == "false"
    assert _zh("No longer valid") in verdict.locator("h1").inner_text()

    assert outside == []
    assert page.js_errors == [] and phone_page.js_errors == []
