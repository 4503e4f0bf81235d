"""The one CJK font of print materials: shipped in the repository, embedded in every PDF.

Noto Sans CJK SC is an OpenType font with CFF outlines. fpdf2 embeds such fonts as CID
Type 0C, subset to the glyphs a document uses; ReportLab cannot embed CFF at all, and the
TrueType-outline fonts it can use (Droid Sans Fallback, WenQuanYi) lack the rare name
characters of CJK Extensions B to F that China's 通用规范汉字表 added for personal names.
The font file lives next to this module (see fonts/README.md), so a machine that only
pip-installs requirements.txt renders the same glyphs as CI.
"""

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# fpdf2 subsets the font with fontTools on every output, and fontTools logs each step at
# INFO: a dozen lines per PDF that say nothing to whoever reads the server log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


@dataclass(frozen=True, eq=False)
class FontFace:
    """A font file and the metrics the engine measures and positions text with, in
    fractions of the em: the same advance widths fpdf2 writes into the PDF."""

    family: str
    path: Path
    ascent: float  # top of the ideographic em box above the baseline
    descent: float  # bottom of the em box below the baseline (positive)
    advances: dict[int, float]  # code point -> advance width
    missing_advance: float

    def advance(self, char: str) -> float:
        """Advance width of one character in ems (the .notdef width when it is missing)."""
        return self.advances.get(ord(char), self.missing_advance)

    def has_glyph(self, char: str) -> bool:
        return ord(char) in self.advances


@cache
def cjk_font() -> FontFace:
    """The CJK face, read once per process; raises if the shipped file is missing."""
    path = FONT_DIR / "NotoSansCJKsc-Regular.otf"
    font = TTFont(path, lazy=True)
    try:
        units = font["head"].unitsPerEm
        os2 = font["OS/2"]
        metrics = font["hmtx"].metrics
        advances = {code: metrics[name][0] / units for code, name in font.getBestCmap().items()}
        return FontFace(
            family="NotoSansCJKsc",
            path=path,
            ascent=os2.sTypoAscender / units,
            descent=-os2.sTypoDescender / units,
            advances=advances,
            missing_advance=metrics[".notdef"][0] / units,
        )
    finally:
        font.close()


def register_fonts(pdf: FPDF) -> FontFace:
    """Add the CJK face to a document (fpdf2 keeps fonts per document) and select it."""
    face = cjk_font()
    pdf.add_font(face.family, "", face.path)
    pdf.set_font(face.family, size=10)
    return face
