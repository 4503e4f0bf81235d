"""Cadre photos (QUALITY.md B4, C1, D1): uploads are checked by content, re-encoded without
metadata and size-limited; staff see them only through the access-checked route."""

import io
import re
import struct
import zlib

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.crypto import get_random_string
from PIL import ExifTags, Image

from shuangliang.core.images import MAX_SIDE, clean_image
from shuangliang.core.models import ActionLogEntry
from shuangliang.register import services
from shuangliang.register.models import Person

from .conftest import client_for

STORED_NAME = re.compile(r"^photos/\d{4}/[0-9a-f]{32}\.jpg$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"  # messages are compared by their English msgids
    return tmp_path


def _post(client, url, data):
    """POST as a browser does, with the CSRF cookie and header."""
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client.post(url, data, HTTP_X_CSRFTOKEN=secret)


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _jpeg_with_metadata(size=(800, 600)) -> bytes:
    """A JPEG carrying camera, date, orientation and GPS tags, plus XMP and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS 5D"
    exif[ExifTags.Base.DateTime] = "2024:05:01 10:00:00"
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: display turned 90° clockwise
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 14.0, 5.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 28.0, 7.0),
    }
    image = Image.new("RGB", size, (180, 40, 40))
    data = _encode(
        image,
        "JPEG",
        exif=exif,
        comment=b"home address: secret",
        xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
    )
    # Make sure the test input really carries what must be stripped.
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "xmp", "comment"} <= set(check.info)
    return data


def _png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of `width` x `height`, all black, tiny on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _stored_files(root) -> list:
    # Cadre photos only: other capabilities' test-world files (appeal attachments) sit beside.
    return [path for path in (root / "photos").rglob("*") if path.is_file()]


def _upload_url(person) -> str:
    return reverse("backoffice:person_photo_upload", args=[person.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- clean_image ---------------------------------------------------------------------------


def test_clean_image_strips_exif_gps_xmp_and_comment_and_applies_orientation():
    cleaned = clean_image(_upload(_jpeg_with_metadata()))
    raw = cleaned.read()
    with Image.open(io.BytesIO(raw)) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (600, 800)  # the orientation tag was applied, then dropped
        assert dict(stored.getexif()) == {}
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(stored.info)
    for secret in (b"Exif", b"Canon", b"EOS 5D", b"secret", b"2024:05:01"):
        assert secret not in raw


@pytest.mark.parametrize(
    ("mode", "fmt", "params"),
    [
        ("RGBA", "PNG", {}),
        ("LA", "PNG", {}),
        ("RGBA", "WEBP", {"lossless": True}),
    ],
)
def test_clean_image_lays_transparency_on_white(mode, fmt, params):
    transparent = Image.new(mode, (40, 30), (0,) * len(mode))
    name = "clear." + fmt.lower()
    cleaned = clean_image(_upload(_encode(transparent, fmt, **params), name=name))
    with Image.open(cleaned) as stored:
        assert stored.mode == "RGB"
        assert all(channel >= 250 for channel in stored.getpixel((20, 15)))


def test_clean_image_converts_palette_with_transparency():
    image = Image.new("P", (40, 30), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    data = _encode(image, "PNG", transparency=0)
    with Image.open(clean_image(_upload(data, name="p.png"))) as stored:
        assert stored.mode == "RGB"
        assert all(channel >= 250 for channel in stored.getpixel((5, 5)))


@pytest.mark.parametrize(
    ("image", "fmt", "name"),
    [
        (Image.new("CMYK", (30, 20), (0, 255, 255, 0)), "JPEG", "cmyk.jpg"),
        (Image.new("I;16", (30, 20), 40000), "PNG", "deep.png"),
        (Image.new("L", (30, 20), 128), "PNG", "grey.png"),
    ],
)
def test_clean_image_converts_other_modes_to_rgb(image, fmt, name):
    with Image.open(clean_image(_upload(_encode(image, fmt), name=name))) as stored:
        assert stored.mode == "RGB"
        assert stored.size == (30, 20)


def test_clean_image_shrinks_to_the_long_side_limit():
    data = _encode(Image.new("RGB", (3000, 2000), (10, 200, 10)), "JPEG")
    with Image.open(clean_image(_upload(data))) as stored:
        assert stored.size == (MAX_SIDE, 800)


def test_clean_image_gives_a_random_name_not_the_uploaded_one():
    data = _jpeg_with_metadata()
    names = {clean_image(_upload(data, name="王芳-身份证.JPG")).name for _ in range(3)}
    assert len(names) == 3
    for name in names:
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", name)


def _svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


REFUSED = {
    "text renamed .jpg": (b"just some text, not a picture\n" * 10, "photo.jpg"),
    "gif": (_encode(Image.new("RGB", (10, 10)), "GIF"), "photo.gif"),
    "gif renamed .png": (_encode(Image.new("RGB", (10, 10)), "GIF"), "photo.png"),
    "svg": (_svg(), "photo.svg"),
    "svg renamed .png": (_svg(), "photo.png"),
    "html renamed .webp": (b"<!doctype html><script>alert(1)</script>", "photo.webp"),
    "png with .exe name": (_encode(Image.new("RGB", (10, 10)), "PNG"), "photo.exe"),
    "png with no extension": (_encode(Image.new("RGB", (10, 10)), "PNG"), "photo"),
    "empty file": (b"", "photo.jpg"),
    "truncated jpeg": (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "photo.jpg"),
    "ten megabytes": (b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024), "photo.jpg"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_clean_image_refuses(case):
    data, name = REFUSED[case]
    with pytest.raises(ValidationError):
        clean_image(_upload(data, name=name))


@pytest.mark.parametrize(
    "size",
    [
        (8000, 8000),  # over our limit, under Pillow's
        (10000, 10000),  # where Pillow only warns
        (20000, 20000),  # where Pillow raises its own error
    ],
)
def test_clean_image_refuses_decompression_bombs_with_a_clear_message(size):
    data = _png_bomb(*size)
    assert len(data) < 200_000  # small on disk, huge in memory
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(data, name="bomb.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"


# --- the service ---------------------------------------------------------------------------


def test_person_set_photo_accepts_bytes_from_trusted_code(world, media_root):
    person = world.chair1.person
    services.person_set_photo(
        actor=None, person=person, image_bytes=_encode(Image.new("RGB", (50, 50)), "PNG")
    )
    person.refresh_from_db()
    assert STORED_NAME.match(person.photo.name)
    assert (media_root / person.photo.name).is_file()


def test_person_set_photo_wants_exactly_one_source(world):
    with pytest.raises(TypeError):
        services.person_set_photo(actor=None, person=world.chair1.person)


# --- the views -----------------------------------------------------------------------------


@pytest.fixture
def with_photo(world):
    """Chair 1 with a photo uploaded by county staff."""
    person = world.chair1.person
    response = _post(
        client_for(world, "county_c1"),
        _upload_url(person),
        {"photo": _upload(_jpeg_with_metadata())},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo
    return person


def test_upload_stores_a_clean_jpeg_under_a_random_name(world, with_photo, media_root):
    stored_path = media_root / with_photo.photo.name
    assert STORED_NAME.match(with_photo.photo.name)
    raw = stored_path.read_bytes()
    with Image.open(stored_path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert not {"xmp", "comment"} & set(stored.info)
    assert b"Canon" not in raw and b"secret" not in raw
    assert _stored_files(media_root) == [stored_path]


def test_upload_redirects_to_the_person_with_a_success_message(world):
    person = world.chair1.person
    response = _post(
        client_for(world, "chair_u1"),
        _upload_url(person),
        {"photo": _upload(_jpeg_with_metadata())},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:person_detail", args=[person.pk])
    assert _messages(response) == ["The photo was saved."]


def test_upload_logs_one_entry_per_upload_without_file_names(world):
    person = world.chair1.person
    client = client_for(world, "township_t1")
    for _ in range(2):
        _post(client, _upload_url(person), {"photo": _upload(_jpeg_with_metadata())})
    entries = ActionLogEntry.objects.filter(
        object_id=str(person.pk), action_type="register.person.photo_changed"
    )
    assert entries.count() == 2
    for entry in entries:
        assert entry.actor_id == world.users["township_t1"].pk
        assert entry.data == {"changes": {"photo": ["***", "***"]}}


def test_replacing_a_photo_deletes_the_old_file(
    world, with_photo, media_root, django_capture_on_commit_callbacks
):
    old_path = media_root / with_photo.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        _post(
            client_for(world, "county_c1"),
            _upload_url(with_photo),
            {"photo": _upload(_jpeg_with_metadata())},
        )
    with_photo.refresh_from_db()
    assert not old_path.exists()
    assert _stored_files(media_root) == [media_root / with_photo.photo.name]


@pytest.mark.parametrize(
    ("data", "name"),
    [REFUSED["text renamed .jpg"], REFUSED["svg"], REFUSED["gif"], REFUSED["ten megabytes"]],
    ids=["text", "svg", "gif", "10MB"],
)
def test_refused_upload_shows_an_error_and_changes_nothing(
    world, with_photo, media_root, data, name
):
    client = client_for(world, "county_c1")  # logging in is itself an audited act
    before_name = with_photo.photo.name
    before_files = _stored_files(media_root)
    before_log = ActionLogEntry.objects.count()
    response = _post(client, _upload_url(with_photo), {"photo": _upload(data, name)})
    assert response.status_code == 302
    assert len(_messages(response)) == 1
    with_photo.refresh_from_db()
    assert with_photo.photo.name == before_name
    assert _stored_files(media_root) == before_files
    assert ActionLogEntry.objects.count() == before_log


def test_decompression_bomb_upload_is_refused_without_crashing(world, media_root):
    person = world.chair1.person
    response = _post(
        client_for(world, "county_c1"),
        _upload_url(person),
        {"photo": _upload(_png_bomb(20000, 20000), "bomb.png", "image/png")},
    )
    assert response.status_code == 302
    assert _messages(response) == ["The image is too large: it may have at most 40 million pixels."]
    person.refresh_from_db()
    assert not person.photo
    assert _stored_files(media_root) == []


def test_upload_without_a_file_says_so(world):
    response = _post(client_for(world, "county_c1"), _upload_url(world.chair1.person), {})
    assert response.status_code == 302
    assert _messages(response) == ["Choose a photo to upload."]


@pytest.mark.parametrize("role", ["chair_u1", "township_t1", "county_c1", "city", "leader_c1"])
def test_photo_route_serves_the_photo_to_those_who_see_the_person(
    world, with_photo, media_root, role
):
    response = client_for(world, role).get(reverse("backoffice:person_photo", args=[with_photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert b"".join(response.streaming_content) == (media_root / with_photo.photo.name).read_bytes()


@pytest.mark.parametrize("role", ["county_c2", "chair_u2"])
def test_photo_route_is_404_for_outsiders(world, with_photo, role):
    client = client_for(world, role)
    assert client.get(reverse("backoffice:person_photo", args=[with_photo.pk])).status_code == 404
    response = _post(client, _upload_url(with_photo), {"photo": _upload(_jpeg_with_metadata())})
    assert response.status_code == 404


def test_photo_route_sends_anonymous_users_to_login(world, with_photo):
    response = client_for(world, "anonymous").get(
        reverse("backoffice:person_photo", args=[with_photo.pk])
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_leader_can_see_the_photo_but_not_upload_or_remove_it(world, with_photo):
    client = client_for(world, "leader_c1")
    name = with_photo.photo.name
    photo_url = reverse("backoffice:person_photo", args=[with_photo.pk])
    assert client.get(photo_url).status_code == 200
    upload = _post(client, _upload_url(with_photo), {"photo": _upload(_jpeg_with_metadata())})
    assert upload.status_code == 404
    remove_url = reverse("backoffice:person_photo_remove", args=[with_photo.pk])
    assert _post(client, remove_url, {}).status_code == 404
    with_photo.refresh_from_db()
    assert with_photo.photo.name == name


def test_photo_route_without_a_photo_serves_a_placeholder(world):
    response = client_for(world, "county_c1").get(
        reverse("backoffice:person_photo", args=[world.chair1.person_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_photo_route_with_a_missing_file_serves_the_placeholder(world, with_photo, media_root):
    (media_root / with_photo.photo.name).unlink()
    response = client_for(world, "county_c1").get(
        reverse("backoffice:person_photo", args=[with_photo.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_media_files_have_no_public_url(world, with_photo):
    """Only the access-checked route serves photos; MEDIA_URL leads nowhere, even for root."""
    for role in ("anonymous", "superuser"):
        response = client_for(world, role).get(settings.MEDIA_URL + with_photo.photo.name)
        assert response.status_code in (302, 404)
        assert not response.get("Content-Type", "").startswith("image/")


def test_remove_deletes_the_file_clears_the_field_and_logs(
    world, with_photo, media_root, django_capture_on_commit_callbacks
):
    path = media_root / with_photo.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client_for(world, "chair_u1"),
            reverse("backoffice:person_photo_remove", args=[with_photo.pk]),
            {},
        )
    assert response.status_code == 302
    assert _messages(response) == ["The photo was removed."]
    with_photo.refresh_from_db()
    assert not with_photo.photo
    assert not path.exists()
    entries = ActionLogEntry.objects.filter(
        object_id=str(with_photo.pk), action_type="register.person.photo_removed"
    )
    assert entries.count() == 1
    assert entries.get().actor_id == world.users["chair_u1"].pk


def test_removing_when_there_is_no_photo_logs_nothing(world):
    person = world.chair1.person
    client = client_for(world, "county_c1")  # logging in is itself an audited act
    before = ActionLogEntry.objects.count()
    response = _post(
        client,
        reverse("backoffice:person_photo_remove", args=[person.pk]),
        {},
    )
    assert response.status_code == 302
    assert ActionLogEntry.objects.count() == before
    assert not Person.objects.get(pk=person.pk).photo


def test_person_page_shows_the_photo_and_forms_to_those_who_may_change(world, with_photo):
    html = client_for(world, "county_c1").get(with_photo.get_absolute_url()).content.decode()
    assert f'src="{reverse("backoffice:person_photo", args=[with_photo.pk])}"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("backoffice:person_photo_remove", args=[with_photo.pk]) in html
    assert "data-confirm=" in html
    assert with_photo.photo.name not in html  # the storage path never reaches the page


def test_person_page_for_a_leader_shows_the_photo_without_forms(world, with_photo):
    html = client_for(world, "leader_c1").get(with_photo.get_absolute_url()).content.decode()
    assert reverse("backoffice:person_photo", args=[with_photo.pk]) in html
    assert _upload_url(with_photo) not in html
    assert reverse("backoffice:person_photo_remove", args=[with_photo.pk]) not in html


def test_person_page_without_a_photo_shows_a_placeholder(world):
    person = world.chair1.person
    html = client_for(world, "county_c1").get(person.get_absolute_url()).content.decode()
    assert f'src="{reverse("backoffice:person_photo", args=[person.pk])}"' not in html
    assert "No photo yet" in html
