"""Uploaded images made safe to keep (QUALITY.md B4).

An upload is trusted for nothing: its name, its declared content type and its metadata are
all discarded. The type is read from the file's first bytes, the pixel count is checked
before anything is decoded, and what is stored is a fresh JPEG drawn from the decoded
pixels, so no EXIF, GPS, XMP, ICC profile or comment of the original survives.
"""

import io
import secrets
import warnings
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# Decoding costs memory in proportion to pixels, not to bytes on disk: a 20000 x 20000 PNG
# of one colour weighs a few kilobytes and would take over a gigabyte to open.
MAX_PIXELS = 40_000_000
MAX_SIDE = 1200
JPEG_QUALITY = 85
ALLOWED_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp"})
# Pillow's names for the formats we accept; MPO is the multi-picture JPEG many phones write.
ALLOWED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"

_MAGIC_JPEG = b"\xff\xd8\xff"
_MAGIC_PNG = b"\x89PNG\r\n\x1a\n"


def sniff_image_type(head: bytes) -> str | None:
    """The MIME type that a file's first bytes announce, if it is JPEG, PNG or WebP."""
    if head.startswith(_MAGIC_JPEG):
        return "image/jpeg"
    if head.startswith(_MAGIC_PNG):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _read_bounded(upload) -> bytes:
    """The upload's bytes, refusing it as soon as it proves larger than the limit."""
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_UPLOAD_BYTES:
        raise _too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte past the limit: the declared size is the client's word, not a fact.
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    return data


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="file_too_large",
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image is too large: it may have at most %(limit)s million pixels.")
        % {"limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The file could not be read as an image. It may be damaged."), code="unreadable"
    )


def _open(data: bytes) -> Image.Image:
    """Open lazily (headers only) with Pillow's decompression-bomb warning made an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise _unreadable()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only, transparency laid on white, in a new image that carries no `info`."""
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", rgba.size, (255, 255, 255))
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        # 16-bit greyscale PNGs: scale down to 8 bits before colour conversion.
        image = image.point(lambda value: value / 256).convert("L")
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _decode(data: bytes) -> Image.Image:
    """Decode, verify and normalise the image; every Pillow failure becomes a ValidationError."""
    try:
        # First pass: check the structure without decoding the pixels.
        with _open(data) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise _unsupported()
            _check_pixels(probe)
            probe.verify()
        # verify() leaves the image unusable, so open again to decode.
        with _open(data) as image:
            _check_pixels(image)
            if image.format in {"JPEG", "MPO"}:
                # Let libjpeg decode at a reduced scale when the result will be shrunk anyway.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.seek(0)  # the first frame of an animation or of a multi-picture file
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            flat = _flatten(upright)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        # Pillow's parsers raise anything from OSError to struct.error, IndexError or
        # ZeroDivisionError on hostile input; whatever the cause, the file is refused.
        raise _unreadable() from None
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return flat


def _unsupported() -> ValidationError:
    return ValidationError(
        _("Only JPEG, PNG and WebP images can be uploaded."), code="unsupported_type"
    )


def clean_image(upload) -> ContentFile:
    """A safe copy of an uploaded image: JPEG, at most MAX_SIDE pixels on the long side, with
    no metadata at all and a random file name. Raises ValidationError for anything else."""
    name = getattr(upload, "name", "") or ""
    if PurePath(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        raise _unsupported()
    data = _read_bounded(upload)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if sniff_image_type(data[:16]) is None:
        raise _unsupported()
    image = _decode(data)
    out = io.BytesIO()
    # No exif, icc_profile, xmp or comment argument: the new file carries none of them.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.jpg")
