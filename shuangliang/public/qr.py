"""QR codes of public addresses, drawn locally with segno (nothing is fetched from outside)."""

import io

import segno

# Level M survives a scuffed or partly covered print (about 15 % of the code).
ERROR_LEVEL = "m"


def qr_code(url: str, *, mask: int | None = None) -> segno.QRCode:
    """The QR code of an address; never a Micro QR, which phone scanners often cannot read.

    Without `mask` the encoder scores all eight masks and keeps the best (most of the cost);
    a fixed one is as valid and readable on a screen, for a code drawn once per request."""
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False, mask=mask)


def qr_svg(url: str, *, scale: int = 8, mask: int | None = None) -> bytes:
    """A standalone SVG document (vector, prints sharp at any size)."""
    buffer = io.BytesIO()
    qr_code(url, mask=mask).save(
        buffer,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgclass=None,
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return buffer.getvalue()
