"""Media in an S3-compatible bucket (issue 9, `MEDIA_STORAGE=s3`).

A real S3 protocol server (moto's, on loopback) stands in for MinIO or a cloud bucket. Photos
are uploaded through the staff page, served through the access-checked routes, printed on a
badge, backed up and restored, and nothing is written to the media directory on disk.
"""

import io
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.crypto import get_random_string
from PIL import Image

from shuangliang.core.backup import archive_media, restore_media

from .conftest import client_for
from .test_pdf import text_of
from .test_photos import _jpeg_with_metadata, _upload, _upload_url

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = {"aws_access_key_id": "shuangliang", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_options(endpoint: str, bucket: str) -> dict:
    """What settings.py builds from the S3_* environment variables."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": CREDENTIALS["aws_access_key_id"],
        "secret_key": CREDENTIALS["aws_secret_access_key"],
        "location": "media",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "addressing_style": "path",
    }


def new_bucket(endpoint: str):
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    name = f"shuangliang-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=name)
    return client, name


def keys(client, bucket: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def bucket(settings, s3_endpoint, tmp_path):
    client, name = new_bucket(s3_endpoint)
    settings.MEDIA_ROOT = tmp_path / "disk-media"  # must stay empty
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(s3_endpoint, name),
        },
    }
    client.bucket_name = name
    return client


def post(client, url, data):
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client.post(url, data, HTTP_X_CSRFTOKEN=secret)


@pytest.fixture
def uploaded(world, bucket):
    """Chair 1's photo, uploaded by county staff through the staff page, publication agreed."""
    person = world.chair1.person
    response = post(
        client_for(world, "county_c1"),
        _upload_url(person),
        {"photo": _upload(_jpeg_with_metadata())},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    person.consent_photo = True
    person.save(update_fields=["consent_photo"])
    return person


def stored_bytes(bucket, name: str) -> bytes:
    return bucket.get_object(Bucket=bucket.bucket_name, Key=f"media/{name}")["Body"].read()


def save(response, path: Path) -> Path:
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


def image_count(pdf: Path) -> int:
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return len(listing.splitlines()) - 2  # two header lines


def test_settings_build_a_private_s3_storage_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "SHUANGLIANG_VAR_DIR": str(tmp_path),
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "union-media",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "S3_PREFIX": "county",
    }
    script = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.default_acl, "
        "s.querystring_auth)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "S3Storage",
        "union-media",
        "http://127.0.0.1:9000",
        "county",
        "private",
        "True",
    ]


def test_an_unknown_media_storage_stops_the_start_with_a_clear_message(tmp_path):
    env = {**os.environ, "SHUANGLIANG_VAR_DIR": str(tmp_path), "MEDIA_STORAGE": "ftp"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'disk' or 's3'" in result.stderr


def test_upload_lands_in_the_bucket_as_a_clean_jpeg_and_not_on_disk(uploaded, bucket):
    assert keys(bucket, bucket.bucket_name) == [f"media/{uploaded.photo.name}"]
    with Image.open(io.BytesIO(stored_bytes(bucket, uploaded.photo.name))) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
    assert not Path(settings.MEDIA_ROOT).exists()


def test_objects_are_private(uploaded, bucket):
    acl = bucket.get_object_acl(Bucket=bucket.bucket_name, Key=f"media/{uploaded.photo.name}")
    grantees = {grant["Grantee"].get("URI") for grant in acl["Grants"]}
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees


def test_staff_and_public_photo_routes_stream_the_object(world, uploaded, bucket):
    expected = stored_bytes(bucket, uploaded.photo.name)
    staff = client_for(world, "county_c1").get(
        reverse("backoffice:person_photo", args=[uploaded.pk])
    )
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content) == expected
    outsider = client_for(world, "county_c2").get(
        reverse("backoffice:person_photo", args=[uploaded.pk])
    )
    assert outsider.status_code == 404


def test_badge_prints_the_photo_from_the_bucket_and_a_missing_object_prints_none(
    world, uploaded, bucket, tmp_path
):
    url = reverse("doublebright:officer_badge_pdf", args=[world.chair1.pk])
    client = client_for(world, "county_c1")
    with_photo = client.get(url)
    assert with_photo.status_code == 200
    with_pdf = save(with_photo, tmp_path / "with.pdf")
    assert world.chair1.person.name in text_of(with_pdf)
    bucket.delete_object(Bucket=bucket.bucket_name, Key=f"media/{uploaded.photo.name}")
    without = client.get(url)
    assert without.status_code == 200
    # The photo is the badge's one raster image; a missing object prints without it.
    assert image_count(with_pdf) == 1
    assert image_count(save(without, tmp_path / "without.pdf")) == 0


def test_backup_and_restore_carry_the_bucket_into_another(
    world, uploaded, bucket, s3_endpoint, tmp_path
):
    archive = tmp_path / "media.tar"
    assert archive_media(archive, storages["default"]) == 1
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [uploaded.photo.name]
    expected = stored_bytes(bucket, uploaded.photo.name)

    other, other_name = new_bucket(s3_endpoint)
    from storages.backends.s3 import S3Storage

    target = S3Storage(**s3_options(s3_endpoint, other_name))
    assert restore_media(archive, target) == 1
    assert keys(other, other_name) == [f"media/{uploaded.photo.name}"]
    restored = other.get_object(Bucket=other_name, Key=f"media/{uploaded.photo.name}")
    assert restored["Body"].read() == expected
    # Restoring again over the same files keeps their names (no renamed copies).
    assert restore_media(archive, target) == 1
    assert keys(other, other_name) == [f"media/{uploaded.photo.name}"]
