"""Publicity (issue 6): federation news items, their public pages and Atom feed, the monthly
bulletin PDF, and a union's embeddable card.

QUALITY.md A2 (outsiders 404), A4 (no mass assignment), B4 (photos cleaned), B5/B6 (user
text escaped on pages and in the feed, drawn as plain text in the PDF), C1 (the card shows
the chair's phone only with consent), F1 (only the card may be framed).
"""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shuangliang.campaign.models import NewsItem, NewsPhoto
from shuangliang.campaign.publicity_services import (
    news_item_create,
    news_item_transition,
    news_item_update,
)
from shuangliang.campaign.services import CampaignError
from shuangliang.core.models import ActionLogEntry
from shuangliang.core.months import add_months
from shuangliang.core.pdf import Flow, FlowStyle, Layout, Text, render
from shuangliang.register.selectors import stats_summary

from .test_demo import demo_db  # noqa: F401  (the class-scoped demo fixture)

ATOM = "{http://www.w3.org/2005/Atom}"
XSS_TITLE = '<script>alert("t")</script>标题'
XSS_BODY = '第一段<img src=x onerror=alert(1)>\n<a href="javascript:alert(2)">点我</a>第二段'
MOBILE = "13912345678"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")), reason="poppler-utils missing"
)


def _login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _jpeg(color=(200, 30, 30), exif: bool = False) -> bytes:
    image = Image.new("RGB", (40, 30), color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def _upload(name="photo.jpg", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or _jpeg(), content_type="image/jpeg")


def _item(world, *, title="甲县新闻", body="正文第一段\n正文第二段", state="published", days_ago=1):
    item = news_item_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        data={"title": title, "body": body, "published_on": None},
    )
    if state != "draft":
        item = news_item_transition(
            actor=world.users["county_c1"],
            item=item,
            to=NewsItem.State.PUBLISHED,
            on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )
    if state == "withdrawn":
        item = news_item_transition(
            actor=world.users["county_c1"], item=item, to=NewsItem.State.WITHDRAWN
        )
    return item


def _public_url(item: NewsItem) -> str:
    return reverse("public:news_detail", args=[item.federation.division_code, item.pk])


def _feed(client: Client, federation) -> ElementTree:
    response = client.get(reverse("public:news_feed", args=[federation.division_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert list(tmp_path.glob("page*.png")), "the PDF did not rasterise"
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out.stdout.decode()


# --- writing, publishing, withdrawing ---------------------------------------------------------


def test_news_item_lifecycle_through_the_pages_is_logged(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _login(world, "county_c1")
    response = client.post(
        reverse("campaign:news_create"),
        {
            "federation": world.c1.pk,
            "title": "  县总工会\n召开推进会 ",
            "body": "第一段\r\n\r\n\r\n第二段",
            "photos": [_upload(data=_jpeg(exif=True))],
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get(title="县总工会 召开推进会")
    assert item.state == NewsItem.State.DRAFT and item.created_by == world.users["county_c1"]
    assert item.body == "第一段\n\n第二段" and item.paragraphs == ["第一段", "第二段"]
    assert client.get(_public_url(item)).status_code == 404

    assert client.post(reverse("campaign:news_publish", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.state == NewsItem.State.PUBLISHED
    assert item.published_on == timezone.localdate()
    assert Client().get(_public_url(item)).status_code == 200

    assert client.post(reverse("campaign:news_withdraw", args=[item.pk])).status_code == 302
    assert Client().get(_public_url(item)).status_code == 404
    actions = list(
        ActionLogEntry.objects.filter(
            object_id=str(item.pk), action_type__startswith="campaign.news"
        )
        .order_by("id")
        .values_list("action_type", flat=True)
    )
    assert actions == [
        "campaign.news.created",
        "campaign.news.photos_added",
        "campaign.news.published",
        "campaign.news.withdrawn",
    ]


def test_news_transitions_follow_the_table(world):
    item = _item(world, state="draft")
    with pytest.raises(CampaignError):
        news_item_transition(actor=None, item=item, to=NewsItem.State.WITHDRAWN)
    item = news_item_transition(actor=None, item=item, to=NewsItem.State.PUBLISHED)
    with pytest.raises(CampaignError):
        news_item_transition(actor=None, item=item, to=NewsItem.State.PUBLISHED)
    item = news_item_transition(actor=None, item=item, to=NewsItem.State.WITHDRAWN)
    item = news_item_transition(actor=None, item=item, to=NewsItem.State.PUBLISHED)
    assert item.state == NewsItem.State.PUBLISHED


def test_news_edit_ignores_state_and_federation_fields(world):
    """QUALITY.md A4: extra fields change nothing."""
    item = _item(world, state="draft")
    response = _login(world, "county_c1").post(
        reverse("campaign:news_edit", args=[item.pk]),
        {
            "title": "改过的标题",
            "body": "改过的正文",
            "state": "published",
            "federation": world.c2.pk,
            "created_by": world.users["city"].pk,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "改过的标题"
    assert item.state == NewsItem.State.DRAFT
    assert item.federation == world.c1
    assert item.created_by == world.users["county_c1"]


def test_news_create_offers_only_the_users_own_federations(world):
    client = _login(world, "county_c2")
    response = client.post(
        reverse("campaign:news_create"), {"federation": world.c1.pk, "title": "x", "body": "y"}
    )
    assert response.status_code == 200  # the form refuses C1
    assert not NewsItem.objects.filter(title="x").exists()


def test_news_photos_are_cleaned_and_limited(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = news_item_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        data={"title": "t", "body": "b"},
        photos=[_upload(data=_jpeg(exif=True))],
    )
    photo = item.photos.get()
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert photo.image.name.startswith("news/") and "photo" not in photo.image.name
    with pytest.raises(CampaignError):
        news_item_update(actor=None, item=item, data={}, photos=[_upload() for _ in range(4)])
    response = _login(world, "county_c1").post(
        reverse("campaign:news_edit", args=[item.pk]),
        {
            "title": "t",
            "body": "b",
            "photos": [SimpleUploadedFile("evil.jpg", b"<html>not an image</html>")],
        },
    )
    assert response.status_code == 200
    assert item.photos.count() == 1
    # Removing a photo through the form.
    response = _login(world, "county_c1").post(
        reverse("campaign:news_edit", args=[item.pk]),
        {"title": "t", "body": "b", "remove_photos": [photo.pk]},
    )
    assert response.status_code == 302
    assert not NewsPhoto.objects.filter(pk=photo.pk).exists()


# --- public visibility ------------------------------------------------------------------------


def test_published_item_is_on_the_federation_page_with_a_link(world):
    item = _item(world, title="甲县今日要闻")
    html = Client().get(reverse("public:federation_page", args=[world.c1.division_code]))
    body = html.content.decode()
    assert "甲县今日要闻" in body
    assert f'href="{_public_url(item)}"' in body
    assert reverse("public:news_feed", args=[world.c1.division_code]) in body
    # Another federation's page does not show it.
    other = Client().get(reverse("public:federation_page", args=[world.c2.division_code]))
    assert "甲县今日要闻" not in other.content.decode()


@pytest.mark.parametrize("state", ["draft", "withdrawn", "future"])
def test_unpublished_items_and_their_photos_are_404_publicly(world, settings, tmp_path, state):
    settings.MEDIA_ROOT = tmp_path
    if state == "future":
        item = _item(world, title="未来的新闻", days_ago=-3)
    else:
        item = _item(world, title="未来的新闻", state=state)
    news_item_update(actor=None, item=item, data={}, photos=[_upload()])
    photo = item.photos.get()
    client = Client()
    assert client.get(_public_url(item)).status_code == 404
    photo_url = reverse("public:news_photo", args=[world.c1.division_code, item.pk, photo.pk])
    assert client.get(photo_url).status_code == 404
    page = client.get(reverse("public:federation_page", args=[world.c1.division_code]))
    assert "未来的新闻" not in page.content.decode()
    titles = [e.findtext(f"{ATOM}title") for e in _feed(client, world.c1).iter(f"{ATOM}entry")]
    assert "未来的新闻" not in titles
    # The staff still see it and its photo.
    staff = _login(world, "county_c1")
    assert staff.get(reverse("campaign:news_detail", args=[item.pk])).status_code == 200
    assert staff.get(reverse("campaign:news_photo", args=[photo.pk])).status_code == 200


def test_public_item_under_another_federations_code_is_404(world):
    item = _item(world)
    url = reverse("public:news_detail", args=[world.c2.division_code, item.pk])
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("public:news_detail", args=["990199", item.pk])).status_code == 404


def test_published_photo_is_served_as_a_safe_image(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = _item(world)
    news_item_update(actor=None, item=item, data={}, photos=[_upload()])
    photo = item.photos.get()
    page = Client().get(_public_url(item)).content.decode()
    url = reverse("public:news_photo", args=[world.c1.division_code, item.pk, photo.pk])
    assert f'src="{url}"' in page
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


# --- no stored XSS (QUALITY.md B6) ------------------------------------------------------------


def test_xss_payload_is_escaped_on_public_pages_and_staff_pages(world):
    item = _item(world, title=XSS_TITLE, body=XSS_BODY)
    pages = [
        Client().get(reverse("public:federation_page", args=[world.c1.division_code])),
        Client().get(_public_url(item)),
        _login(world, "county_c1").get(reverse("campaign:news_detail", args=[item.pk])),
        _login(world, "county_c1").get(reverse("campaign:news_list")),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;标题" in body
    item_page = pages[1].content.decode()
    assert "<img src=x" not in item_page and 'href="javascript' not in item_page
    assert "第一段&lt;img src=x onerror=alert(1)&gt;" in item_page


def test_atom_feed_validates_and_escapes_the_payload(world):
    older = _item(world, title="较早的新闻", days_ago=5)
    newer = _item(world, title=XSS_TITLE, body=XSS_BODY, days_ago=1)
    _item(world, title="草稿", state="draft")
    root = _feed(Client(), world.c1)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    # The world's own published item of C1 is in the feed too.
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [XSS_TITLE, "甲县总工会部署“双亮”活动", "较早的新闻"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://testserver" + _public_url(newer)
    assert first.findtext(f"{ATOM}id").startswith("tag:testserver,")
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # A reader renders the summary as HTML: the payload must be text in it, not markup.
    assert "<img" not in summary.text and "<a " not in summary.text
    assert summary.text == (
        "<p>第一段&lt;img src=x onerror=alert(1)&gt;</p>"
        "<p>&lt;a href=&quot;javascript:alert(2)&quot;&gt;点我&lt;/a&gt;第二段</p>"
    )
    assert entries[2].find(f"{ATOM}link").get("href").endswith(_public_url(older))


def test_feed_of_unknown_federation_is_404(world):
    assert Client().get(reverse("public:news_feed", args=["990199"])).status_code == 404


# --- the monthly bulletin ---------------------------------------------------------------------


@needs_poppler
def test_bulletin_pdf_has_the_months_items_and_figures(world, tmp_path):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    _item(
        world, title=XSS_TITLE, body="<img src=http://example.invalid/x.png>本月第一段", days_ago=0
    )
    world.news1.published_on = today
    world.news1.save(update_fields=["published_on"])
    last_month = _item(world, title="上个月的新闻", days_ago=0)
    last_month.published_on = add_months(this_month, -1)
    last_month.save(update_fields=["published_on"])
    _item(world, title="撤回的新闻", state="withdrawn")
    client = _login(world, "county_c1")
    response = client.get(
        reverse("campaign:news_bulletin_pdf"),
        {"federation": world.c1.pk, "month": this_month.strftime("%Y-%m")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = _pdf_text(b"".join(response.streaming_content), tmp_path)
    assert XSS_TITLE in text
    assert "<img src=http://example.invalid/x.png>本月第一段" in text
    assert "甲县总工会部署“双亮”活动" in text  # the world's item of this month
    assert "上个月的新闻" not in text and "撤回的新闻" not in text
    figures = stats_summary(user=world.users["county_c1"], federation=world.c1)
    assert f"Enterprises in production: {figures['enterprises_operating']}" in text
    assert f"Unions founded: {figures['unions_founded']}" in text
    assert f"Three contracts signed: {figures['three_contracts_signed']}" in text
    assert f"Visits to enterprises in the last 90 days: {figures['visits_last_90_days']}" in text
    assert re.search(r"\b1\s*/\s*1\b", text)


def test_bulletin_pdf_is_only_for_the_users_federations(world):
    client = _login(world, "county_c2")
    response = client.get(
        reverse("campaign:news_bulletin_pdf"), {"federation": world.c1.pk, "month": "2025-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # the form refuses C1
    bad_month = _login(world, "county_c1").get(
        reverse("campaign:news_bulletin_pdf"), {"federation": world.c1.pk, "month": "2025-13"}
    )
    assert bad_month["Content-Type"].startswith("text/html")


def test_bulletin_page_has_a_month_picker(world):
    body = _login(world, "leader_c1").get(reverse("campaign:news_bulletin")).content.decode()
    assert 'type="month"' in body
    assert timezone.localdate().strftime("%Y-%m") in body


@needs_poppler
def test_flow_runs_over_pages_with_page_numbers(tmp_path):
    """The engine's running text (core.pdf Flow): long text continues on further pages."""
    layout = Layout(
        name="flow-test",
        width=100,
        height=80,
        elements=(
            Text(key="page.number", x=5, y=72, w=90, h=5, size=7),
            Flow(
                key="cadres",
                x=5,
                y=5,
                w=90,
                h=60,
                styles=(FlowStyle(name="body", size=9, indent=6), FlowStyle(name="h", size=12)),
            ),
        ),
    )
    paragraphs = [{"style": "h", "text": "标题"}] + [
        {"text": f"第{number}段：县总工会召开推进会，部署全面推进阶段任务。"}
        for number in range(40)
    ]
    data = render(layout, [{"cadres": paragraphs}], language="zh-hans")
    text = _pdf_text(data, tmp_path)
    pages = text.count("\f")
    assert pages >= 3
    assert "第0段" in text and "第39段" in text
    assert re.search(rf"\b{pages}\s*/\s*{pages}\b", text)


# --- the embeddable card ----------------------------------------------------------------------


def test_embed_is_frameable_and_sets_no_cookie(world):
    url = reverse("public:union_embed", args=[world.union_page.token])
    for client in (Client(), _login(world, "county_c1")):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors *" in csp and "'none'" not in csp.split("frame-ancestors")[1]
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert not response.cookies
        assert "Set-Cookie" not in response
        body = response.content.decode()
        assert world.u1.name in body and "王芳" in body
        assert "csrfmiddlewaretoken" not in body and "<script" not in body
        page_url = reverse("public:union_page", args=[world.union_page.token])
        assert f'href="{page_url}" target="_blank" rel="noopener"' in body


def test_other_routes_still_deny_framing(world):
    item = _item(world)
    urls = [
        reverse("public:union_page", args=[world.union_page.token]),
        reverse("public:federation_page", args=[world.c1.division_code]),
        _public_url(item),
        reverse("public:news_feed", args=[world.c1.division_code]),
        reverse("campaign:union_embed_code", args=[world.u1.pk]),
        reverse("campaign:news_list"),
    ]
    client = _login(world, "county_c1")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_embed_shows_the_chairs_phone_only_with_consent(world):
    person = world.chair1.person
    person.mobile = MOBILE
    person.consent_mobile = False
    person.save()
    url = reverse("public:union_embed", args=[world.union_page.token])
    assert MOBILE not in Client().get(url).content.decode()
    person.consent_mobile = True
    person.save()
    assert MOBILE in Client().get(url).content.decode()


def test_embed_unknown_token_is_404(world):
    assert Client().get("/u/unknowntoken123/embed/").status_code == 404


def test_embed_code_page_gives_an_escaped_iframe(world):
    world.u1.name = '甲一"><script>x</script>工会'
    world.u1.save()
    body = (
        _login(world, "chair_u1")
        .get(reverse("campaign:union_embed_code", args=[world.u1.pk]))
        .content.decode()
    )
    embed = "http://testserver" + reverse("public:union_embed", args=[world.union_page.token])
    assert f"&lt;iframe src=&quot;{embed}&quot;" in body
    # The name is escaped once in the code to copy, and again to show it as text.
    assert "title=&quot;甲一&amp;quot;&amp;gt;&amp;lt;script&amp;gt;" in body
    assert "<script>x" not in body


# --- the demo county ----------------------------------------------------------------------------


@pytest.mark.usefixtures("demo_db")
class TestDemoNews:
    def test_demo_county_publishes_news_once(self, db):
        from django.core.management import call_command

        items = NewsItem.objects.filter(federation__division_code="999001")
        assert items.filter(state=NewsItem.State.PUBLISHED).count() == 3
        body = Client().get(reverse("public:federation_page", args=["999001"])).content.decode()
        for item in items:
            assert item.title in body
        call_command("load_demo", stdout=io.StringIO())
        assert NewsItem.objects.count() == 3
