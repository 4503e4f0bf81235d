"""Public union and federation pages (issue 3): what a worker sees without logging in.

QUALITY.md C1: a cadre's phone or photo reaches the page only with that field's consent,
and withdrawal shows on the next request.
"""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from shuangliang.campaign.models import Assignment
from shuangliang.core.models import ActionLogEntry
from shuangliang.doublebright.models import UnionPage
from shuangliang.doublebright.selectors import public_url_for
from shuangliang.doublebright.services import (
    union_page_ensure,
    union_page_rotate_token,
    union_page_update,
)
from shuangliang.public.qr import qr_svg

from .factories import FederationFactory, OfficerFactory, TownshipFactory, UnionFactory

MOBILE = "13912345678"
OFFICE_PHONE = "0999-87654321"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{12,}$")
# Any reference to another host: absolute or protocol-relative URLs in attributes or CSS.
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z]+:)?//|url\(\s*["']?//""", re.I)


@pytest.fixture
def page_u1(world) -> UnionPage:
    return union_page_ensure(union=world.u1)


def _url(page: UnionPage) -> str:
    return reverse("public:union_page", kwargs={"token": page.token})


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def chair1_with_contacts(world, settings, tmp_path):
    """U1's chair with a mobile, an office phone and a photo on file, all consent off."""
    settings.MEDIA_ROOT = tmp_path
    person = world.chair1.person
    person.mobile = MOBILE
    person.office_phone = OFFICE_PHONE
    person.consent_mobile = person.consent_office_phone = person.consent_photo = False
    person.photo.save("photos/2026/wangfang.jpg", ContentFile(_jpeg()), save=False)
    person.save()
    return person


# --- the page itself -------------------------------------------------------------------------


def test_union_page_shows_union_enterprise_office_and_chair(world, page_u1):
    world.u1.office_address = "甲一镇工业路8号行政楼201"
    world.u1.office_phone = "0999-5551234"
    world.u1.save()
    union_page_update(
        actor=None, page=page_u1, indexable=False, office_hours="周一至周五 8:30-17:30"
    )
    html = _html(Client(), _url(page_u1))
    assert "<h1>甲一机械有限公司工会委员会</h1>" in html
    assert "甲一机械有限公司" in html
    assert "甲一镇工业路8号行政楼201" in html
    assert 'href="tel:09995551234"' in html
    assert "周一至周五 8:30-17:30" in html
    assert "王芳" in html
    assert "2027-04-30" in html  # the chair's term end
    assert "李强" not in html  # U2's chair


def test_union_page_lists_only_cadres_in_office(world, page_u1):
    OfficerFactory(union=world.u1, position="vice_chair", person__name="在任副主席")
    OfficerFactory(
        union=world.u1,
        position="committee_member",
        person__name="已卸任委员",
        status="ended",
        term_end=datetime.date(2023, 1, 1),
    )
    OfficerFactory(
        union=world.u1,
        position="committee_member",
        person__name="过期委员",
        term_end=datetime.date(2024, 1, 1),
    )
    html = _html(Client(), _url(page_u1))
    assert html.index("王芳") < html.index("在任副主席")  # chair first
    assert "已卸任委员" not in html
    assert "过期委员" not in html


def test_union_page_unknown_token_and_database_id_are_404(world, page_u1):
    client = Client()
    assert client.get("/u/AAAAAAAAAAAA/").status_code == 404
    assert client.get(f"/u/{world.u1.pk}/").status_code == 404
    assert client.get(f"/u/{page_u1.pk:012d}/").status_code == 404


def test_union_page_token_is_unguessable_and_not_the_id(world):
    tokens = {union_page_ensure(union=u).token for u in (world.u1, world.u2, world.u3)}
    assert len(tokens) == 3
    for token in tokens:
        assert TOKEN.match(token)
        assert token not in {str(world.u1.pk), str(world.u2.pk), str(world.u3.pk)}


def test_union_page_ensure_is_idempotent_and_logged(world):
    first = union_page_ensure(union=world.u1)
    assert union_page_ensure(union=world.u1) == first
    assert UnionPage.objects.filter(union=world.u1).count() == 1
    entries = ActionLogEntry.objects.filter(
        action_type="doublebright.union_page.created", object_id=str(first.pk)
    )
    assert entries.count() == 1
    assert entries.get().scope_path == world.t1.path


def test_rotating_the_token_retires_the_old_address(world, page_u1):
    old_url = _url(page_u1)
    union_page_rotate_token(actor=world.users["county_c1"], page=page_u1)
    client = Client()
    assert client.get(old_url).status_code == 404
    assert client.get(_url(page_u1)).status_code == 200
    entry = ActionLogEntry.objects.get(action_type="doublebright.union_page.token_rotated")
    assert page_u1.token not in str(entry.data)


def test_union_page_is_public_and_keeps_the_language_switch(world, page_u1):
    response = Client().get(_url(page_u1))
    html = response.content.decode()
    switch = f"{reverse('public:language')}?language=zh-hant&amp;next={_url(page_u1)}"
    assert f'href="{switch}"' in html
    assert 'class="mainnav"' not in html  # not the staff layout
    # Links, not a form: no CSRF token in the page and no cookie set by it.
    assert "csrfmiddlewaretoken" not in html and not response.cookies


def test_public_language_switch_remembers_the_language_and_returns(world, page_u1):
    client = Client()
    url = reverse("public:language")
    response = client.get(url, {"language": "zh-hant", "next": _url(page_u1)})
    assert response.status_code == 302 and response["Location"] == _url(page_u1)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    html = client.get(_url(page_u1)).content.decode()
    assert '<html lang="zh-hant">' in html and "聯" in html
    # Another site is never the way back; an unknown language sets nothing.
    response = client.get(url, {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.get(url, {"language": "xx", "next": _url(page_u1)})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- consent (QUALITY.md C1) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consent_field", "value", "href"),
    [
        ("consent_mobile", MOBILE, f"tel:{MOBILE}"),
        ("consent_office_phone", OFFICE_PHONE, "tel:099987654321"),
    ],
)
def test_phone_appears_only_with_consent_and_withdrawal_shows_next_request(
    world, page_u1, chair1_with_contacts, consent_field, value, href
):
    client = Client()
    url = _url(page_u1)
    digits = value.replace("-", "")
    body = client.get(url).content
    assert value.encode() not in body and digits.encode() not in body
    assert value[-4:].encode() + b"<" not in body  # not even a masked form

    setattr(chair1_with_contacts, consent_field, True)
    chair1_with_contacts.save()
    html = client.get(url).content.decode()
    assert f'href="{href}"' in html
    assert value in html

    setattr(chair1_with_contacts, consent_field, False)
    chair1_with_contacts.save()
    body = client.get(url).content
    assert value.encode() not in body and digits.encode() not in body


def test_one_consent_does_not_publish_the_other_phone(world, page_u1, chair1_with_contacts):
    chair1_with_contacts.consent_mobile = True
    chair1_with_contacts.save()
    body = Client().get(_url(page_u1)).content
    assert MOBILE.encode() in body
    assert OFFICE_PHONE.encode() not in body and b"087654321" not in body


def _photo_url(html: str) -> str | None:
    match = re.search(r'<img class="photo" src="([^"]+)"', html)
    return match.group(1) if match else None


def test_photo_appears_only_with_consent_and_withdrawal_shows_next_request(
    world, page_u1, chair1_with_contacts
):
    client = Client()
    url = _url(page_u1)
    html = _html(client, url)
    assert _photo_url(html) is None
    assert "wangfang" not in html and "photos/" not in html

    chair1_with_contacts.consent_photo = True
    chair1_with_contacts.save()
    photo_url = _photo_url(_html(client, url))
    assert photo_url is not None
    assert "wangfang" not in photo_url  # the stored file name is not revealed
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert response["Content-Disposition"] == "inline"  # the stored name is not sent

    chair1_with_contacts.consent_photo = False
    chair1_with_contacts.save()
    assert client.get(photo_url).status_code == 404
    assert _photo_url(_html(client, url)) is None


def test_photo_route_is_404_without_consent_and_a_placeholder_without_a_photo(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from shuangliang.doublebright.services import credential_ensure

    token = credential_ensure(officer=world.chair1).token
    photo_url = reverse("public:credential_photo", kwargs={"token": token})
    person = world.chair1.person
    person.photo = ""
    person.consent_photo = False
    person.save()
    assert Client().get(photo_url).status_code == 404
    person.consent_photo = True  # consent, but no photo on file: a plain placeholder
    person.save()
    response = Client().get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    person.photo.save("p.jpg", ContentFile(_jpeg()), save=False)
    person.consent_photo = False
    person.save()
    assert Client().get(photo_url).status_code == 404
    person.consent_photo = True
    person.save()
    response = Client().get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == _jpeg_on_file(person)


def _jpeg_on_file(person) -> bytes:
    with person.photo.open("rb") as handle:
        return handle.read()


def test_photo_route_is_404_once_the_cadre_has_left_office(world, chair1_with_contacts):
    from shuangliang.doublebright.services import credential_ensure
    from shuangliang.register.services import officer_end

    chair1_with_contacts.consent_photo = True
    chair1_with_contacts.save()
    token = credential_ensure(officer=world.chair1).token
    photo_url = reverse("public:credential_photo", kwargs={"token": token})
    assert Client().get(photo_url).status_code == 200
    officer_end(actor=None, officer=world.chair1)
    assert Client().get(photo_url).status_code == 404


def test_public_pages_are_not_cached_on_the_way(world, page_u1):
    response = Client().get(_url(page_u1))
    assert "no-cache" in response["Cache-Control"]


# --- federation cadre and the concern entry -----------------------------------------------------


def test_union_page_shows_the_assigned_federation_cadre(world):
    cadre = world.users["cadre"]
    cadre.username = "login-name-chen"
    cadre.last_name, cadre.first_name = "陈", "建国"
    cadre.save()
    Assignment.objects.filter(cadre=cadre).update(
        position_title="县总工会组织部部长", public_phone="0999-2106688"
    )
    Assignment.objects.create(
        cadre=world.users["city"],
        enterprise=world.e2,
        position_title="已结束的挂点",
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    html = _html(Client(), _url(union_page_ensure(union=world.u2)))
    assert "陈建国" in html  # family name first
    assert "县总工会组织部部长" in html
    assert 'href="tel:09992106688"' in html
    assert "login-name-chen" not in html
    assert "已结束的挂点" not in html


def test_raise_a_concern_leads_to_the_nearest_federation_with_a_phone(world, page_u1):
    world.c1.phone = "0999-12345"
    world.c1.address = "甲县人民路1号"
    world.c1.save()
    html = _html(Client(), _url(page_u1))
    assert 'class="concern"' in html
    concern = html[html.index('class="concern"') :]
    concern = concern[: concern.index("</section>")]
    assert "甲县总工会" in concern
    assert 'href="tel:099912345"' in concern
    federation_url = reverse("public:federation_page", kwargs={"division_code": "990101"})
    assert f'href="{federation_url}"' in concern
    federation_html = _html(Client(), federation_url)
    assert "甲县人民路1号" in federation_html
    assert 'href="tel:099912345"' in federation_html


# --- search engines, weight, hosts --------------------------------------------------------------


def test_union_page_is_noindex_by_default(world, page_u1):
    response = Client().get(_url(page_u1))
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_union_page_indexable_when_opted_in(world, page_u1):
    union_page_update(actor=world.users["county_c1"], page=page_u1, indexable=True)
    response = Client().get(_url(page_u1))
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()
    entry = ActionLogEntry.objects.get(action_type="doublebright.union_page.changed")
    assert entry.data == {"changes": {"indexable": [False, True]}}


def test_union_page_is_light_and_references_no_other_host(world, page_u1, chair1_with_contacts):
    chair1_with_contacts.consent_photo = True
    chair1_with_contacts.consent_mobile = True
    chair1_with_contacts.save()
    for position in ("vice_chair", "committee_member", "committee_member", "women_committee"):
        OfficerFactory(union=world.u1, position=position)
    client = Client()
    response = client.get(_url(page_u1))
    html = response.content.decode()
    assert len(response.content) < 100_000
    assert EXTERNAL.search(html) is None
    assert "<script" not in html
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets == ["/static/public/css/public.css"]
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("public/css/public.css")).read_text(encoding="utf-8")
    assert len(response.content) + len(css.encode()) < 100_000
    assert EXTERNAL.search(css) is None and "@import" not in css


# --- QR codes ----------------------------------------------------------------------------------


def test_union_qr_svg_encodes_the_absolute_page_address(world, page_u1):
    response = Client().get(reverse("public:union_qr_svg", kwargs={"token": page_u1.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == qr_svg(f"http://testserver{_url(page_u1)}")
    assert b"<script" not in response.content


def _zbar(png: bytes, tmp_path) -> str:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (Debian package zbar-tools, see scripts/system-deps.sh)")
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_union_qr_png_decodes_to_the_page_address(world, page_u1, tmp_path):
    response = Client().get(reverse("public:union_qr_png", kwargs={"token": page_u1.token}))
    assert response["Content-Type"] == "image/png"
    assert _zbar(response.content, tmp_path) == f"http://testserver{_url(page_u1)}"


def test_union_qr_unknown_token_is_404(world):
    assert Client().get("/u/AAAAAAAAAAAA/qr.svg").status_code == 404
    assert Client().get("/u/AAAAAAAAAAAA/qr.png").status_code == 404


def test_public_url_for_gives_the_absolute_address(world, rf, settings):
    settings.ALLOWED_HOSTS = ["union.example.org"]
    request = rf.get("/", HTTP_HOST="union.example.org")
    url = public_url_for(world.u1, request)
    token = UnionPage.objects.get(union=world.u1).token
    assert url == f"http://union.example.org/u/{token}/"


# --- federation page --------------------------------------------------------------------------


def _federation_url(federation) -> str:
    return reverse("public:federation_page", kwargs={"division_code": federation.division_code})


def test_federation_page_groups_its_unions_by_township(world):
    html = _html(Client(), _federation_url(world.c1))
    assert "<h1>甲县总工会</h1>" in html
    assert html.index("甲一镇") < html.index("甲一机械") < html.index("甲二镇")
    assert html.index("甲二镇") < html.index("甲二纺织")
    assert "乙一电子" not in html  # another county
    for union in (world.u1, world.u2):
        assert f'href="{_url(UnionPage.objects.get(union=union))}"' in html
    assert not UnionPage.objects.filter(union=world.u3).exists()


@pytest.mark.parametrize("query", ["甲一機械", "甲一机械", "jyjx"])
def test_federation_page_search_works_in_either_script(world, query):
    html = _html(Client(), _federation_url(world.c1) + f"?q={query}")
    assert "甲一机械有限公司工会委员会" in html
    assert "甲二纺织有限公司工会委员会" not in html


def test_federation_page_unknown_division_code_is_404(world):
    assert Client().get("/f/999999/").status_code == 404
    assert Client().get("/f/abc/").status_code == 404


def test_federation_page_is_noindex(world):
    response = Client().get(_federation_url(world.c1))
    assert response["X-Robots-Tag"] == "noindex"


def _add_unions(world, count: int) -> None:
    for _ in range(count):
        OfficerFactory(union=UnionFactory(federation=world.t2), position="chair")


def test_federation_page_paginates(world):
    _add_unions(world, 60)
    client = Client()
    first = _html(client, _federation_url(world.c1))
    second = _html(client, _federation_url(world.c1) + "?page=2")
    assert first.count('href="/u/') == 50
    assert second.count('href="/u/') == 12
    assert "page=2" in first


def test_federation_page_query_count_does_not_grow_with_data(world):
    client = Client()
    url = _federation_url(world.c1)
    _add_unions(world, 3)
    client.get(url)  # the first visit creates the missing pages
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_unions(world, 40)
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_federation_page_creates_missing_pages_in_a_fixed_number_of_queries(world):
    """The first visit writes the missing pages in bulk, not one insert per union."""
    client = Client()
    counts = []
    for size, code in ((2, "990103"), (30, "990104")):
        county = FederationFactory(parent=world.city, division_code=code)
        township = TownshipFactory(parent=county, division_code=code + "001")
        for _ in range(size):
            UnionFactory(federation=township)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_federation_url(county)).status_code == 200
        assert UnionPage.objects.filter(union__federation=township).count() == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_union_page_query_count_does_not_grow_with_cadres(world, page_u1):
    client = Client()
    url = _url(page_u1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(8):
        OfficerFactory(union=world.u1, position="committee_member")
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
