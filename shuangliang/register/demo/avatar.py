"""Placeholder portraits for the demo's cadres, drawn locally with Pillow."""

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_SC_INDEX = 2  # the Simplified Chinese face of the collection
SIZE = (240, 320)
COLOURS = (
    (70, 120, 180), (60, 140, 120), (150, 90, 140), (190, 120, 60),
    (90, 110, 160), (120, 140, 70), (170, 80, 80), (80, 130, 150),
)  # fmt: skip


@functools.lru_cache(maxsize=1)
def cjk_font() -> ImageFont.FreeTypeFont | None:
    """The CJK font for the surname, or None when the system has none."""
    try:
        return ImageFont.truetype(str(CJK_FONT), 132, index=CJK_FONT_SC_INDEX)
    except OSError:
        return None


def render_avatar(surname: str, colour_index: int, *, font=None, use_font: bool = True) -> bytes:
    """A 240x320 JPEG: the surname on a coloured ground, or a silhouette without a CJK font."""
    colour = COLOURS[colour_index % len(COLOURS)]
    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    font = font or (cjk_font() if use_font else None)
    if font is not None:
        draw.text(
            (SIZE[0] // 2, SIZE[1] // 2), surname, font=font, fill=(255, 255, 255), anchor="mm"
        )
    else:
        light = tuple(min(255, part + 70) for part in colour)
        draw.ellipse((70, 70, 170, 180), fill=light)  # head
        draw.ellipse((25, 200, 215, 400), fill=light)  # shoulders
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
