"""The rectification lifecycle over the API, as on its pages (standards.views.results): the
union and staff above it close a task with a photo; staff above the union verify it, open it
again with a reason, and change its deadline or the person responsible. Same forms and
services (B1), same scope (outsiders get 404), read-only tokens refused, Chinese messages
with nothing written, and the photo checked by its bytes and stored without metadata (B4)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from shuangliang.core.models import ActionLogEntry
from shuangliang.standards import services
from shuangliang.standards.models import Rectification

from .api_clients import token_client
from .conftest import ROLES as ALL_ROLES
from .conftest import client_for

ROLES = [role for role in ALL_ROLES if role != "anonymous"]
CLOSERS = {"chair_u1", "township_t1", "county_c1", "city", "superuser"}  # as the close page
STAFF = {"township_t1", "county_c1", "city", "superuser"}  # as verify and reopen
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def url(name: str, rectification) -> str:
    return reverse(f"api:rectification_{name}", args=[rectification.pk])


def assert_chinese(messages: list[str]) -> None:
    assert messages and all(CJK.search(m) for m in messages), messages


def jpeg(*, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "Canon"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31.0, 14.0, 5.0),
        }
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo(data: bytes | None = None, name: str = "evidence.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if data is None else data, "image/jpeg")


def closed(world) -> Rectification:
    rectification = world.rectification1
    return services.rectification_close(
        actor=world.users["chair_u1"],
        rectification=rectification,
        note="已补挂牌子",
        photo=photo(),
    )


def state(rectification) -> str:
    return Rectification.objects.get(pk=rectification.pk).state


# Closing with a photo -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_close_follows_the_page(world, media, role):
    rectification = world.rectification1
    api = token_client(world, role, name="整改系统")
    response = api.post(url("close", rectification), {"note": "已补挂牌子", "photo": photo()})
    if role in CLOSERS:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["state"] == "closed" and body["has_photo"] and body["closing_note"]
        stored = Rectification.objects.get(pk=rectification.pk)
        assert stored.closed_by == world.users[role]
        entry = ActionLogEntry.objects.get(action_type="standards.rectification.closed")
        assert entry.data["api_token"] == "整改系统" and entry.data["via"] == "api"
    else:
        assert response.status_code == 404
        assert state(rectification) == "open"
        assert files_in(media) == set()


def test_the_photo_is_stored_re_encoded_without_metadata(world, media):
    rectification = world.rectification1
    api = token_client(world, "chair_u1")
    data = jpeg(gps=True)
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really carries GPS
    response = api.post(url("close", rectification), {"note": "已整改", "photo": photo(data)})
    assert response.status_code == 200
    stored = Rectification.objects.get(pk=rectification.pk).closing_photo
    with stored.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info
    # It is served back as an image that can run nothing.
    served = api.get(url("photo", rectification))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<?php system($_GET['c']); ?>", "evidence.jpg"),  # bad magic bytes
        (b"%PDF-1.4\n%%EOF\n", "evidence.png"),  # a PDF renamed
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "evidence.webp"),
        (None, "evidence.svg"),  # a real JPEG, with a name off the allowlist
        (None, "evidence.exe"),
        (b"", "evidence.jpg"),
    ],
)
def test_bad_uploads_are_refused_in_chinese_and_nothing_is_written(world, media, data, name):
    rectification = world.rectification1
    api = token_client(world, "chair_u1")
    logged = ActionLogEntry.objects.count()
    response = api.post(url("close", rectification), {"note": "已整改", "photo": photo(data, name)})
    assert response.status_code == 400
    assert_chinese(response.json()["photo"])
    stored = Rectification.objects.get(pk=rectification.pk)
    assert stored.state == "open" and not stored.closing_photo and not stored.closing_note
    assert files_in(media) == set()
    assert ActionLogEntry.objects.count() == logged


def test_close_needs_a_note_and_a_photo(world, media):
    rectification = world.rectification1
    api = token_client(world, "chair_u1")
    response = api.post(url("close", rectification), {})
    assert response.status_code == 400
    assert set(response.json()) == {"note", "photo"}
    for messages in response.json().values():
        assert_chinese(messages)
    # A photo is an upload: a JSON body is not accepted, a form value is no file.
    response = api.post(
        url("close", rectification), {"note": "x", "photo": "aGVsbG8="}, "application/json"
    )
    assert response.status_code == 415
    response = api.post(
        url("close", rectification), "note=x&photo=aGVsbG8%3D", "application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and list(response.json()) == ["photo"]
    assert state(rectification) == "open" and files_in(media) == set()


def test_closing_a_closed_task_is_refused_in_chinese(world, media):
    rectification = closed(world)
    before = files_in(media)
    api = token_client(world, "chair_u1")
    response = api.post(url("close", rectification), {"note": "再次", "photo": photo()})
    assert response.status_code == 400
    assert_chinese(response.json()["non_field_errors"])
    assert files_in(media) == before  # the new photo was removed again


# Re-inspection: verify and reopen -----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_verify_and_reopen_are_for_staff_above_the_union(world, media, role):
    rectification = closed(world)
    api = token_client(world, role)
    reopened = api.post(url("reopen", rectification), {"reason": "照片看不清"}, "application/json")
    if role in STAFF:
        assert reopened.status_code == 200 and reopened.json()["state"] == "open"
        entry = ActionLogEntry.objects.get(action_type="standards.rectification.reopened")
        assert entry.data["reason"] == "照片看不清"
        closed_again = services.rectification_close(
            actor=world.users["chair_u1"],
            rectification=Rectification.objects.get(pk=rectification.pk),
            note="重拍",
            photo=photo(),
        )
        verified = api.post(url("verify", closed_again))
        assert verified.status_code == 200 and verified.json()["state"] == "verified"
        assert verified.json()["verified_at"]
    else:
        assert reopened.status_code == 404
        assert api.post(url("verify", rectification)).status_code == 404
        assert state(rectification) == "closed"


def test_reopen_needs_a_reason_and_verify_a_closed_task(world, media):
    rectification = world.rectification1
    api = token_client(world, "township_t1")
    response = api.post(url("verify", rectification))  # still open
    assert response.status_code == 400
    assert_chinese(response.json()["non_field_errors"])
    closed(world)
    response = api.post(url("reopen", rectification), {"reason": ""}, "application/json")
    assert response.status_code == 400
    assert_chinese(response.json()["reason"])
    assert state(rectification) == "closed"


# Deadline and person responsible ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_update_is_for_staff_above_the_union(world, role):
    rectification = world.rectification1
    before = Rectification.objects.get(pk=rectification.pk)
    response = token_client(world, role).patch(
        url("detail", rectification), {"responsible": "李四"}, "application/json"
    )
    after = Rectification.objects.get(pk=rectification.pk)
    if role in STAFF:
        assert response.status_code == 200
        assert response.json()["responsible"] == "李四" == after.responsible
        assert after.deadline == before.deadline  # left out of the PATCH: unchanged
        assert ActionLogEntry.objects.filter(action_type="standards.rectification.changed").exists()
    else:
        assert response.status_code == 404
        assert after.responsible == before.responsible


@pytest.mark.parametrize(
    "body",
    [{"deadline": "2031-02-30"}, {"deadline": ""}, {"responsible": ""}, {"responsible": "长" * 51}],
)
def test_bad_update_gets_the_pages_chinese_message_and_writes_nothing(world, body):
    rectification = world.rectification1
    api = token_client(world, "county_c1")
    logged = ActionLogEntry.objects.count()
    response = api.patch(url("detail", rectification), body, "application/json")
    assert response.status_code == 400
    assert set(response.json()) == set(body)
    for messages in response.json().values():
        assert_chinese(messages)
    after = Rectification.objects.get(pk=rectification.pk)
    assert (after.deadline, after.responsible) == (
        rectification.deadline,
        rectification.responsible,
    )
    assert ActionLogEntry.objects.count() == logged


def test_extra_fields_change_nothing(world):
    rectification = world.rectification1
    body = {"responsible": "李四", "state": "verified", "union": world.u2.pk, "closing_note": "x"}
    response = token_client(world, "county_c1").patch(
        url("detail", rectification), body, "application/json"
    )
    assert response.status_code == 200
    after = Rectification.objects.get(pk=rectification.pk)
    assert (after.state, after.union_id, after.closing_note) == ("open", world.u1.pk, "")


# Tokens and outsiders -----------------------------------------------------------------------


def test_read_only_token_changes_nothing(world, media):
    rectification = world.rectification1
    api = token_client(world, "county_c1", can_write=False)
    assert api.post(url("close", rectification), {"note": "x", "photo": photo()}).status_code == 403
    assert (
        api.patch(
            url("detail", rectification), {"responsible": "李四"}, "application/json"
        ).status_code
        == 403
    )
    assert state(rectification) == "open" and files_in(media) == set()
    closed(world)
    assert api.post(url("verify", rectification)).status_code == 403
    assert api.post(url("reopen", rectification), {"reason": "看不清"}).status_code == 403
    assert state(rectification) == "closed"
    # Reading still works.
    assert api.get(url("photo", rectification)).status_code == 200


@pytest.mark.parametrize("role", ["county_c2", "chair_u2", "cadre"])
def test_outsiders_get_404_for_ids_around_the_task(world, media, role):
    api = token_client(world, role)
    for offset in (0, 1, -1, 100, -100):
        pk = max(1, world.rectification1.pk + offset)
        for name in ("close", "verify", "reopen"):
            target = reverse(f"api:rectification_{name}", args=[pk])
            assert (
                api.post(target, {"note": "x", "reason": "x", "photo": photo()}).status_code == 404
            )
        detail = reverse("api:rectification_detail", args=[pk])
        assert api.patch(detail, {"responsible": "x"}, "application/json").status_code == 404
        assert api.get(reverse("api:rectification_photo", args=[pk])).status_code == 404
    assert state(world.rectification1) == "open" and files_in(media) == set()


@pytest.mark.parametrize("role", ROLES)
def test_photo_follows_the_page(world, media, role):
    rectification = closed(world)
    page = client_for(world, role).get(
        reverse("standards:rectification_photo", args=[rectification.pk])
    )
    served = token_client(world, role).get(url("photo", rectification))
    assert served.status_code == page.status_code
    if page.status_code == 200:
        assert served["Content-Type"] == page["Content-Type"] == "image/jpeg"
