"""Print materials as PDF: declarative layouts drawn by one engine with an embedded CJK font.

    from shuangliang.core.pdf import render
    from shuangliang.core.pdf.layouts import CONTACT_CARD, A4_CARDS_10UP

    pdf_bytes = render(CONTACT_CARD, records, A4_CARDS_10UP, language="zh-hans")

A `Flow` pours running text (paragraphs in named styles) over as many pages as it needs.
`elements` holds the layout vocabulary, `fields` the registry of keys a layout may use,
`layouts` the shipped designs, `engine` the renderer. `shuangliang.doublebright.printing`
builds records from the register.
"""

from .elements import QR, Box, Flow, FlowStyle, Image, Layout, Line, Repeat, Sheet, Stack, Text
from .engine import render
from .fields import FIELDS

__all__ = [
    "FIELDS",
    "QR",
    "Box",
    "Flow",
    "FlowStyle",
    "Image",
    "Layout",
    "Line",
    "Repeat",
    "Sheet",
    "Stack",
    "Text",
    "render",
]
