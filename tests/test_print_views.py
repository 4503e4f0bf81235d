"""Staff print pages (issue 3): a union's signboard, poster, badges and cards, one officer's
badge and card, a federation's cadre poster, and the chair printing their own.

PDFs are read back as a print shop would: page sizes in millimetres (`pdfinfo`), embedded
fonts (`pdffonts`), text (`pdftotext`) and the QR code decoded from a rendering (`zbarimg`).
"""

import datetime
import io
import re
from urllib.parse import quote, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage

from shuangliang.doublebright.models import Credential
from shuangliang.register.models import Officer, Position

from .conftest import client_for
from .factories import OfficerFactory, PersonFactory
from .test_pdf import (
    image_count,
    needs_tools,
    page_sizes_mm,
    qr_codes,
    run,
    text_of,
)

pytestmark = needs_tools


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def save_pdf(tmp_path):
    counter = iter(range(1000))

    def save(response):
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "application/pdf"
        path = tmp_path / f"served-{next(counter)}.pdf"
        path.write_bytes(b"".join(response.streaming_content))
        return path

    return save


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def fonts_all_embedded(path) -> bool:
    lines = [line for line in run("pdffonts", path).splitlines()[2:] if line.strip()]
    # Columns end "emb sub uni object ID" and the object ID is two numbers: "emb" is the
    # fifth word from the right.
    return bool(lines) and all(line.split()[-5] == "yes" for line in lines)


def jpeg_upload(name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    PILImage.new("RGB", (300, 400), (90, 140, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# Served PDFs: sizes, fonts, QR, headers


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("", (600, 400)),
        ("?orientation=vertical", (400, 600)),
        ("?orientation=horizontal&size=900x600", (900, 600)),
        ("?orientation=vertical&size=600x900", (600, 900)),
        ("?orientation=vertical&size=900x600", (400, 600)),  # unsuitable: the usual size
    ],
)
def test_union_signboard_pdf_is_at_plaque_size_with_embedded_fonts(world, save_pdf, query, size):
    url = reverse("doublebright:union_signboard_pdf", args=[world.u1.pk]) + query
    path = save_pdf(client_for(world, "chair_u1").get(url))
    assert page_sizes_mm(path) == [size]
    assert fonts_all_embedded(path)


def test_union_signboard_qr_decodes_to_the_public_page(world, save_pdf, tmp_path):
    url = reverse("doublebright:union_signboard_pdf", args=[world.u1.pk])
    path = save_pdf(client_for(world, "leader_c1").get(url))
    public = "http://testserver" + reverse(
        "public:union_page", kwargs={"token": world.union_page.token}
    )
    assert qr_codes(path, tmp_path) == [public]


def test_officer_badge_pdf_headers_size_and_qr_to_verification(world, save_pdf, tmp_path):
    client = client_for(world, "chair_u1")
    response = client.get(reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote("王芳") in disposition  # RFC 5987: the Chinese name, percent-encoded
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert response["X-Content-Type-Options"] == "nosniff"
    path = save_pdf(response)
    assert page_sizes_mm(path) == [(85.6, 54)]
    assert fonts_all_embedded(path)

    credential = Credential.objects.get(officer=world.chair1, revoked_at__isnull=True)
    verify = reverse("public:credential_verify", kwargs={"token": credential.token})
    (decoded,) = qr_codes(path, tmp_path)
    assert decoded == "http://testserver" + verify
    page = client_for(world, "anonymous").get(urlsplit(decoded).path)
    assert page.status_code == 200
    assert "王芳" in page.content.decode()


def test_officer_card_sheet_is_ten_of_the_same_card_on_a4(world, save_pdf, tmp_path):
    url = reverse("doublebright:officer_card_pdf", args=[world.chair1.pk]) + "?sheet=a4"
    path = save_pdf(client_for(world, "township_t1").get(url))
    assert page_sizes_mm(path) == [(210, 297)]
    assert text_of(path).count("王芳") == 10
    single = reverse("doublebright:officer_card_pdf", args=[world.chair1.pk]) + "?sheet=single"
    assert page_sizes_mm(save_pdf(client_for(world, "township_t1").get(single))) == [(90, 54)]


def test_union_badges_and_cards_hold_exactly_the_cadres_in_office(world, save_pdf):
    vice = OfficerFactory(union=world.u1, position=Position.VICE_CHAIR, person__name="陈静")
    OfficerFactory(
        union=world.u1,
        position=Position.COMMITTEE_MEMBER,
        person__name="林旧",
        status=Officer.Status.ENDED,
        ended_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    OfficerFactory(union=world.u2, position=Position.VICE_CHAIR, person__name="外人")
    client = client_for(world, "county_c1")

    badges = save_pdf(client.get(reverse("doublebright:union_badges_pdf", args=[world.u1.pk])))
    assert page_sizes_mm(badges) == [(85.6, 54), (85.6, 54)]
    text = text_of(badges)
    assert "王芳" in text and vice.person.name in text
    assert "林旧" not in text and "外人" not in text

    url = reverse("doublebright:union_badges_pdf", args=[world.u1.pk]) + "?sheet=a4"
    assert page_sizes_mm(save_pdf(client.get(url))) == [(210, 297)]
    cards = save_pdf(client.get(reverse("doublebright:union_cards_pdf", args=[world.u1.pk])))
    assert page_sizes_mm(cards) == [(210, 297)]
    assert "林旧" not in text_of(cards)


@pytest.mark.parametrize(("size", "mm"), [("A4", (210, 297)), ("A3", (297, 420))])
def test_union_poster_pdf_paper_sizes(world, save_pdf, size, mm):
    url = reverse("doublebright:union_poster_pdf", args=[world.u1.pk]) + f"?size={size}"
    path = save_pdf(client_for(world, "chair_u1").get(url))
    assert page_sizes_mm(path) == [mm]
    assert "王芳" in text_of(path)


def test_printed_phone_follows_consent(world, save_pdf):
    """QUALITY.md C1: a phone is printed only while its consent is on."""
    person = world.chair1.person
    url = reverse("doublebright:officer_card_pdf", args=[world.chair1.pk]) + "?sheet=single"
    client = client_for(world, "county_c1")
    assert person.mobile not in text_of(save_pdf(client.get(url)))
    person.consent_mobile = True
    person.save()
    assert person.mobile in text_of(save_pdf(client.get(url)))


def test_pdf_text_is_in_the_users_language(world, save_pdf):
    url = reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk])
    client = client_for(world, "chair_u1")
    client.cookies["django_language"] = "en"
    english = text_of(save_pdf(client.get(url)))
    assert "Scan to verify" in english and "Chair" in english
    client.cookies["django_language"] = "zh-hans"
    chinese = text_of(save_pdf(client.get(url)))
    assert "Scan to verify" not in chinese
    assert _zh("Chair") in chinese


def test_badge_of_an_officer_out_of_office_is_refused_with_a_message(world):
    officer = OfficerFactory(
        union=world.u1,
        position=Position.VICE_CHAIR,
        status=Officer.Status.REPLACED,
        ended_on=timezone.localdate(),
    )
    client = client_for(world, "chair_u1")
    for name in ("officer_badge_pdf", "officer_card_pdf"):
        response = client.get(reverse(f"doublebright:{name}", args=[officer.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("backoffice:person_detail", args=[officer.person_id])


def test_union_pdfs_of_another_county_are_404(world):
    client = client_for(world, "county_c2")
    for name in ("union_signboard_pdf", "union_poster_pdf", "union_badges_pdf", "union_cards_pdf"):
        assert client.get(reverse(f"doublebright:{name}", args=[world.u1.pk])).status_code == 404
    for name in ("officer_badge_pdf", "officer_card_pdf"):
        url = reverse(f"doublebright:{name}", args=[world.chair1.pk])
        assert client.get(url).status_code == 404


# Federation cadre poster (縣總工會幹部公示)


def test_federation_poster_lists_the_assigned_cadres_with_their_published_phone(
    world, save_pdf, tmp_path
):
    from shuangliang.campaign.models import Assignment

    cadre = world.users["cadre"]
    cadre.last_name, cadre.first_name = "周", "杰"
    cadre.save()
    Assignment.objects.filter(cadre=cadre).update(
        position_title="县总工会挂点干部", public_phone="0999-2106688"
    )
    url = reverse("doublebright:federation_poster_pdf", args=[world.c1.pk]) + "?size=A3"
    path = save_pdf(client_for(world, "county_c1").get(url))
    assert page_sizes_mm(path) == [(297, 420)]
    text = re.sub(r"\s+", "", text_of(path))
    assert "周杰" in text and "县总工会挂点干部" in text and "0999-2106688" in text
    assert "cadre" not in text  # a login name is never printed
    public = "http://testserver" + reverse(
        "public:federation_page", kwargs={"division_code": world.c1.division_code}
    )
    assert qr_codes(path, tmp_path) == [public]

    # Another county's staff, and a union chair under C1, get a 404.
    assert client_for(world, "county_c2").get(url).status_code == 404
    t1_poster = reverse("doublebright:federation_poster_pdf", args=[world.t1.pk])
    assert client_for(world, "chair_u1").get(t1_poster).status_code == 404
    assert client_for(world, "township_t1").get(t1_poster).status_code == 200


# Pages and links


def test_print_materials_are_linked_from_the_union_page_and_the_overview(world):
    client = client_for(world, "leader_c1")
    union_page = client.get(reverse("backoffice:union_detail", args=[world.u1.pk]))
    assert reverse("doublebright:print_union", args=[world.u1.pk]) in union_page.content.decode()
    home = client.get(reverse("backoffice:home"))
    assert reverse("doublebright:print_home") in home.content.decode()

    page = client.get(reverse("doublebright:print_home")).content.decode()
    # The leader's county and its townships, each with a poster and a batch.
    for federation in (world.c1, world.t1, world.t2):
        assert reverse("doublebright:federation_poster_pdf", args=[federation.pk]) in page
    assert reverse("doublebright:federation_poster_pdf", args=[world.c2.pk]) not in page


def test_print_union_page_links_every_pdf_and_the_way_back(world):
    response = client_for(world, "township_t1").get(
        reverse("doublebright:print_union", args=[world.u1.pk])
    )
    html = response.content.decode()
    for name in ("union_signboard_pdf", "union_poster_pdf", "union_badges_pdf", "union_cards_pdf"):
        assert reverse(f"doublebright:{name}", args=[world.u1.pk]) in html
    assert reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk]) in html
    assert reverse("backoffice:union_detail", args=[world.u1.pk]) in html
    assert f"/u/{world.union_page.token}/" in html
    # Staff who may change the union see where a cadre's photo and consent are set.
    assert reverse("backoffice:person_edit", args=[world.chair1.person_id]) in html


def test_read_only_leader_sees_no_edit_links_on_the_print_page(world):
    html = (
        client_for(world, "leader_c1")
        .get(reverse("doublebright:print_union", args=[world.u1.pk]))
        .content.decode()
    )
    assert reverse("backoffice:person_edit", args=[world.chair1.person_id]) not in html
    assert reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk]) in html


# Query counts: fixed however many cadres the union has


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["print_union", "union_badges_pdf", "union_cards_pdf", "union_poster_pdf"]
)
def test_print_query_count_does_not_grow_with_the_cadres(world, name):
    client = client_for(world, "county_c1")
    url = reverse(f"doublebright:{name}", args=[world.u1.pk])
    for _ in range(2):
        OfficerFactory(union=world.u1, position=Position.COMMITTEE_MEMBER)
    _queries(client, url)  # issues the credentials once
    small = _queries(client, url)
    for _ in range(10):
        OfficerFactory(union=world.u1, position=Position.COMMITTEE_MEMBER)
    _queries(client, url)
    assert _queries(client, url) == small


# The chair's own flow (issue 3 "Done when")


def test_chair_uploads_a_photo_gives_consent_prints_and_reaches_the_public_page(
    world, save_pdf, tmp_path
):
    client = client_for(world, "chair_u1")
    person = world.chair1.person
    client.get(reverse("backoffice:home"))  # the CSRF cookie, as a browser gets it
    client_csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}

    # From the overview to their union's print page.
    home = client.get(reverse("doublebright:print_home")).content.decode()
    print_url = reverse("doublebright:print_union", args=[world.u1.pk])
    assert print_url in home
    page = client.get(print_url).content.decode()
    assert _zh("No photo yet") in page
    person_url = reverse("backoffice:person_detail", args=[person.pk])
    assert f"{person_url}#photo-upload" in page
    assert reverse("backoffice:person_edit", args=[person.pk]) in page

    # Upload a photo, then give consent to publish it and the mobile.
    response = client.post(
        reverse("backoffice:person_photo_upload", args=[person.pk]),
        {"photo": jpeg_upload()},
        **client_csrf,
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo
    data = {
        "name": person.name,
        "gender": person.gender,
        "mobile": person.mobile,
        "office_phone": person.office_phone,
        "office_address": person.office_address,
        "consent_photo": "on",
        "consent_mobile": "on",
    }
    response = client.post(reverse("backoffice:person_edit", args=[person.pk]), data, **client_csrf)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.consent_photo and person.consent_mobile

    # Print a badge (with the photo) and a card sheet.
    badge = save_pdf(client.get(reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk])))
    assert page_sizes_mm(badge) == [(85.6, 54)]
    assert image_count(badge) == 1
    cards = save_pdf(
        client.get(reverse("doublebright:officer_card_pdf", args=[world.chair1.pk]) + "?sheet=a4")
    )
    assert page_sizes_mm(cards) == [(210, 297)]
    assert person.mobile in text_of(cards)

    # The QR code and the link on the print page both lead to public pages showing the chair.
    (verify,) = qr_codes(badge, tmp_path)
    assert "王芳" in client_for(world, "anonymous").get(urlsplit(verify).path).content.decode()
    public = re.search(r'id="public-page-link" href="([^"]+)"', page).group(1)
    public_page = client_for(world, "anonymous").get(urlsplit(public).path)
    assert public_page.status_code == 200
    assert "王芳" in public_page.content.decode()


def test_chair_cannot_print_another_unions_materials(world):
    client = client_for(world, "chair_u1")
    assert client.get(reverse("doublebright:print_union", args=[world.u2.pk])).status_code == 404
    url = reverse("doublebright:officer_badge_pdf", args=[world.chair2.pk])
    assert client.get(url).status_code == 404
    # A person of another union stays out of reach as well.
    other = PersonFactory()
    OfficerFactory(union=world.u2, person=other)
    url = reverse("backoffice:person_edit", args=[other.pk])
    assert client.get(url).status_code == 404
