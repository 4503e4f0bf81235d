"""The one PDF engine: draws a layout once per record, one per page or n-up on a sheet.

Safety (QUALITY.md B5): user text is only ever drawn as plain text with `FPDF.text()`,
never parsed as markup; images are decoded from bytes the caller passes, never from a
path or address; QR codes are drawn as rectangles from segno's matrix. Nothing is
fetched, and no file is opened but the shipped font.
"""

import hashlib
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import segno
from django.conf import settings
from django.utils import translation
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from .elements import QR, Box, Element, Flow, Image, Layout, Line, Repeat, Sheet, Stack, Text
from .fonts import FontFace, register_fonts
from .typeset import PT, SetLine, SetRule, fit_horizontal, fit_vertical, flow_pages

logger = logging.getLogger(__name__)

Record = Mapping[str, Any]

PHOTO_DPI = 300
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
BOLD_STROKE = 0.035  # stroke width of synthetic bold, in ems
VERTICAL_COLUMN_GAP = 0.25  # space between columns of vertical text, in ems


def render(
    layout: Layout,
    records: Iterable[Record],
    sheet: Sheet | None = None,
    *,
    language: str | None = None,
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One PDF with every record drawn in the layout: a page (or more, for a repeat that
    overflows) per record, or `sheet.capacity` records per sheet with crop marks. Fixed
    labels are translated into `language` (default: the active language). `progress`, if
    given, is called with the number of records drawn so far (a batch's progress bar)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    records = list(records)
    if not records:
        raise ValueError("nothing to print")
    if sheet is not None and (layout.repeats or layout.flows):
        raise ValueError("a layout with a repeat or a flow is printed one per page, not n-up")
    with translation.override(language):
        canvas = Canvas(title=title or layout.name)
        if sheet is None:
            for index, record in enumerate(records):
                for page_record in _pages(layout, record, canvas.measure):
                    canvas.pdf.add_page(format=(layout.width, layout.height))
                    canvas.draw_layout(layout, page_record, 0, 0)
                if progress is not None:
                    progress(index + 1)
        else:
            slots = sheet.slots(layout)
            for start in range(0, len(records), sheet.capacity):
                chunk = records[start : start + sheet.capacity]
                canvas.pdf.add_page(format=(sheet.width, sheet.height))
                if sheet.crop_marks:
                    canvas.crop_marks(sheet, layout)
                for (x, y), record in zip(slots, chunk, strict=False):
                    canvas.draw_layout(layout, record, x, y)
                if progress is not None:
                    progress(start + len(chunk))
        return bytes(canvas.pdf.output())


class FlowPage(tuple):
    """The lines of a flow already placed on one page (what `_pages` hands the drawing)."""


def _pages(layout: Layout, record: Record, measure: Callable[[str], float]) -> Iterator[Record]:
    """The record once per page: a repeat's items split into pages of its capacity, a
    flow's text into pages of its column. A layout with either also gets `page.number`
    ("2 / 5") on every page, unless the record brings its own."""
    repeats, flows = layout.repeats, layout.flows
    if not repeats and not flows:
        yield record
        return
    set_flows = {flow.key: _flow_pages(flow, record.get(flow.key), measure) for flow in flows}
    pages = max(
        1,
        *(-(-len(record.get(repeat.key) or ()) // repeat.capacity) for repeat in repeats),
        *(len(columns) for columns in set_flows.values()),
    )
    for page in range(pages):
        page_record = dict(record)
        page_record.setdefault("page.number", f"{page + 1} / {pages}")
        for repeat in repeats:
            items = list(record.get(repeat.key) or ())
            page_record[repeat.key] = items[page * repeat.capacity : (page + 1) * repeat.capacity]
        for key, columns in set_flows.items():
            page_record[key] = FlowPage(columns[page] if page < len(columns) else ())
        yield page_record


def _flow_pages(
    flow: Flow, items: Any, measure: Callable[[str], float]
) -> list[list[SetLine | SetRule]]:
    """A flow's items (mappings of `text` and `style`, or `cells` and a table style) set
    into columns of its size."""
    paragraphs = []
    for item in items or ():
        if not isinstance(item, Mapping):
            raise TypeError(f"flow field {flow.key!r} takes mappings of text and style")
        style = flow.style(item.get("style"))
        if style.columns:
            cells = item.get("cells") or ()
            if isinstance(cells, str):
                raise TypeError(f"table cells of flow field {flow.key!r} are a list of texts")
            paragraphs.append((style, [str(cell) for cell in cells]))
            continue
        text = item.get("text")
        if text is not None and text != "":
            paragraphs.append((flow.style(item.get("style")), str(text)))
    return flow_pages(paragraphs, width=flow.w, height=flow.h, measure=measure)


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class Canvas:
    """One document being drawn: the fpdf2 object, the font, and per-document caches."""

    def __init__(self, *, title: str):
        pdf = FPDF(unit="mm")
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.set_title(title)
        pdf.set_creator("Shuangliang")
        pdf.set_producer("Shuangliang")
        self.pdf = pdf
        self.face: FontFace = register_fonts(pdf)
        self._photos: dict[tuple[str, int, int], io.BytesIO] = {}

    # Layouts and elements

    def draw_layout(self, layout: Layout, record: Record, ox: float, oy: float) -> None:
        """Every element of the layout, offset to (ox, oy) on the current page."""
        for element in layout.elements:
            self.draw(element, record, ox, oy)

    def draw(self, element: Element, record: Record, ox: float, oy: float) -> None:
        """One element with its value from the record, offset to (ox, oy)."""
        if isinstance(element, Text):
            self.text(element, _text_value(element, record), ox, oy)
        elif isinstance(element, Stack):
            self.stack(element, record, ox, oy)
        elif isinstance(element, Image):
            self.image(element, record.get(element.key), ox, oy)
        elif isinstance(element, QR):
            self.qr(element, record.get(element.key), ox, oy)
        elif isinstance(element, Box):
            self.box(element, ox, oy)
        elif isinstance(element, Line):
            self.line(element, ox, oy)
        elif isinstance(element, Repeat):
            self.repeat(element, record.get(element.key) or (), ox, oy)
        elif isinstance(element, Flow):
            self.flow(element, record.get(element.key), ox, oy)
        else:  # pragma: no cover - the Element union is closed
            raise TypeError(f"unknown layout element {element!r}")

    def stack(self, stack: Stack, record: Record, ox: float, oy: float) -> None:
        """The stack's non-empty text boxes one under another."""
        y = stack.y
        for item in stack.items:
            value = _text_value(item, record)
            if not value:
                continue
            self.text(item, value, ox + stack.x + item.x, oy + y, width=stack.w - item.x)
            y += item.h + stack.gap

    def repeat(self, repeat: Repeat, items: Sequence[Record], ox: float, oy: float) -> None:
        """Up to `repeat.capacity` items in the grid, row by row (pages split the rest)."""
        cell_w, cell_h = repeat.w / repeat.columns, repeat.h / repeat.rows
        for index, item in enumerate(items[: repeat.capacity]):
            row, col = divmod(index, repeat.columns)
            x, y = ox + repeat.x + col * cell_w, oy + repeat.y + row * cell_h
            for element in repeat.cell:
                self.draw(element, item, x, y)

    def flow(self, flow: Flow, value: Any, ox: float, oy: float) -> None:
        """A flow's lines on this page; given raw items (outside `render`'s pagination),
        the first page of them."""
        if isinstance(value, FlowPage):
            lines = list(value)
        else:
            lines = (_flow_pages(flow, value, self.measure) or [[]])[0]
        pdf = self.pdf
        for line in lines:
            if isinstance(line, SetRule):
                top = oy + flow.y + line.top + line.width / 2
                pdf.set_draw_color(*_rgb(line.color))
                pdf.set_line_width(line.width)
                pdf.line(ox + flow.x, top, ox + flow.x + flow.w, top)
                continue
            style = line.style
            em = style.size * PT
            line_h = em * style.line_height
            x = ox + flow.x + line.indent
            w = flow.w - line.indent if line.width is None else line.width
            line_w = self.measure(line.text) * style.size
            align = line.align or style.align
            left = x + {"left": 0, "center": (w - line_w) / 2, "right": w - line_w}[align]
            baseline = oy + flow.y + line.top + (line_h - em) / 2 + self.face.ascent * em
            color = _rgb(style.color)
            pdf.set_text_color(*color)
            if not style.bold:
                pdf.set_font_size(style.size)
                pdf.text(left, baseline, line.text)
                continue
            with pdf.local_context(text_mode=TextMode.FILL_STROKE, draw_color=color):
                pdf.set_font_size(style.size)
                pdf.line_width = style.size * BOLD_STROKE  # in points: see _set_size
                pdf.text(left, baseline, line.text)

    def measure(self, text: str) -> float:
        """Width in millimetres of text set at one point."""
        return sum(self.face.advance(char) for char in text) * PT

    def text(self, box: Text, value: str, ox: float, oy: float, width: float | None = None) -> None:
        """Draw a text box's value (already resolved), fitted to its box."""
        if not value:
            return
        x, y, w = ox + box.x, oy + box.y, box.w if width is None else width
        pdf = self.pdf
        pdf.set_text_color(*_rgb(box.color))
        draw = self._vertical_text if box.vertical else self._horizontal_text
        if not box.bold:
            draw(box, value, x, y, w)
            return
        # Synthetic bold: fill and stroke the glyphs. The rendering mode and stroke width
        # are graphics state, so a q/Q pair keeps them from leaking into later text.
        color = _rgb(box.color)
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, draw_color=color):
            draw(box, value, x, y, w)

    def _set_size(self, box: Text, size: float) -> None:
        self.pdf.set_font_size(size)
        if box.bold:
            # fpdf2 2.8 writes the stroke width of text as it stands, without converting
            # millimetres to points (FPDF.text(): "... Tr {line_width} w"), so it is set
            # here in points, inside the local context that restores it.
            self.pdf.line_width = size * BOLD_STROKE

    def _horizontal_text(self, box: Text, value: str, x: float, y: float, w: float) -> None:
        fitted = fit_horizontal(
            value,
            width=w,
            height=box.h,
            size=box.size,
            floor=box.floor_size,
            max_lines=box.max_lines,
            line_height=box.line_height,
            measure=self.measure,
        )
        self._set_size(box, fitted.size)
        em = fitted.size * PT
        line_h = em * box.line_height
        block_h = line_h * len(fitted.lines)
        top = y + {"top": 0, "middle": (box.h - block_h) / 2, "bottom": box.h - block_h}[box.valign]
        for index, line in enumerate(fitted.lines):
            line_w = self.measure(line) * fitted.size
            left = x + {"left": 0, "center": (w - line_w) / 2, "right": w - line_w}[box.align]
            baseline = top + index * line_h + (line_h - em) / 2 + self.face.ascent * em
            self.pdf.text(left, baseline, line)

    def _vertical_text(self, box: Text, value: str, x: float, y: float, w: float) -> None:
        fitted = fit_vertical(
            value,
            width=w,
            height=box.h,
            size=box.size,
            floor=box.floor_size,
            max_columns=box.max_lines,
            column_gap=VERTICAL_COLUMN_GAP,
        )
        self._set_size(box, fitted.size)
        em = fitted.size * PT
        pitch = em * (1 + VERTICAL_COLUMN_GAP)
        block_w = em + pitch * (len(fitted.lines) - 1)
        left = x + {"left": 0, "center": (w - block_w) / 2, "right": w - block_w}[box.align]
        # Columns are read from right to left and start level with each other.
        block_h = em * max(len(column) for column in fitted.lines)
        top = y + {"top": 0, "middle": (box.h - block_h) / 2, "bottom": box.h - block_h}[box.valign]
        for index, column in enumerate(fitted.lines):
            column_x = left + block_w - em - index * pitch
            for row, char in enumerate(column):
                char_w = self.face.advance(char) * em
                baseline = top + row * em + self.face.ascent * em
                self.pdf.text(column_x + (em - char_w) / 2, baseline, char)

    def image(self, element: Image, data: Any, ox: float, oy: float) -> None:
        """A photo from bytes, cropped to fill its box; anything but bytes is refused."""
        x, y = ox + element.x, oy + element.y
        if data:
            if not isinstance(data, bytes | bytearray | memoryview):
                raise TypeError(f"image field {element.key!r} takes bytes, not {type(data)}")
            photo = self._photo(bytes(data), element.w, element.h)
            if photo is not None:
                self.pdf.image(photo, x=x, y=y, w=element.w, h=element.h)
        if element.frame:
            self.pdf.set_draw_color(*_rgb(element.frame))
            self.pdf.set_line_width(0.2)
            self.pdf.rect(x, y, element.w, element.h, style="D")

    def _photo(self, data: bytes, w: float, h: float) -> io.BytesIO | None:
        """A JPEG of the photo cropped to the box's aspect at no more than PHOTO_DPI."""
        target = (round(w / 25.4 * PHOTO_DPI), round(h / 25.4 * PHOTO_DPI))
        key = (hashlib.sha256(data).hexdigest(), *target)
        if key in self._photos:
            self._photos[key].seek(0)
            return self._photos[key]
        try:
            with PILImage.open(io.BytesIO(data)) as source:
                if source.format not in PHOTO_FORMATS:
                    logger.warning("Photo in format %s not printed", source.format)
                    return None
                # JPEG can decode at a half, quarter or eighth of its size: much faster
                # for a 1200 px photo that prints at a few hundred pixels.
                source.draft("RGB", (max(target), max(target)))
                picture = ImageOps.exif_transpose(source).convert("RGB")
        except (UnidentifiedImageError, OSError):
            logger.warning("Unreadable photo not printed")
            return None
        scale = min(1.0, picture.width / target[0], picture.height / target[1])
        size = (max(1, round(target[0] * scale)), max(1, round(target[1] * scale)))
        picture = ImageOps.fit(picture, size, PILImage.Resampling.LANCZOS, centering=(0.5, 0.4))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=88)
        out.seek(0)
        self._photos[key] = out
        return out

    def qr(self, element: QR, target: Any, ox: float, oy: float) -> None:
        """A vector QR code: one filled rectangle per run of dark modules (runs merged
        down the rows where they repeat), on a white square with its quiet zone."""
        if not target:
            return
        if not isinstance(target, str):
            raise TypeError(f"QR field {element.key!r} takes a string")
        matrix = segno.make(target, error="m", micro=False).matrix
        modules = len(matrix) + 2 * element.quiet_zone
        unit = element.size / modules
        x0, y0 = ox + element.x, oy + element.y
        pdf = self.pdf
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x0, y0, element.size, element.size, style="F")
        pdf.set_fill_color(*_rgb(element.color))
        origin_x = x0 + element.quiet_zone * unit
        origin_y = y0 + element.quiet_zone * unit
        for row, col, length, height in _module_rectangles(matrix):
            pdf.rect(
                origin_x + col * unit, origin_y + row * unit, length * unit, height * unit, "F"
            )

    def box(self, element: Box, ox: float, oy: float) -> None:
        """A rectangle, stroked and/or filled; nothing when it has neither."""
        style = ("D" if element.stroke else "") + ("F" if element.fill else "")
        if not style:
            return
        if element.stroke:
            self.pdf.set_draw_color(*_rgb(element.stroke))
            self.pdf.set_line_width(element.width)
        if element.fill:
            self.pdf.set_fill_color(*_rgb(element.fill))
        self.pdf.rect(ox + element.x, oy + element.y, element.w, element.h, style=style)

    def line(self, element: Line, ox: float, oy: float) -> None:
        """A straight line."""
        self.pdf.set_draw_color(*_rgb(element.color))
        self.pdf.set_line_width(element.width)
        self.pdf.line(ox + element.x1, oy + element.y1, ox + element.x2, oy + element.y2)

    def crop_marks(self, sheet: Sheet, layout: Layout) -> None:
        """Marks in the margin, outside the slot grid, in line with every cut."""
        slots = sheet.slots(layout)
        left, top = slots[0]
        right = left + sheet.columns * layout.width + (sheet.columns - 1) * sheet.gap_x
        bottom = top + sheet.rows * layout.height + (sheet.rows - 1) * sheet.gap_y
        cuts_x = sorted({x for x, _ in slots} | {x + layout.width for x, _ in slots})
        cuts_y = sorted({y for _, y in slots} | {y + layout.height for _, y in slots})
        near, far = sheet.mark_offset, sheet.mark_offset + sheet.mark_length
        pdf = self.pdf
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(sheet.mark_width)
        for x in cuts_x:
            pdf.line(x, top - far, x, top - near)
            pdf.line(x, bottom + near, x, bottom + far)
        for y in cuts_y:
            pdf.line(left - far, y, left - near, y)
            pdf.line(right + near, y, right + far, y)


def _text_value(box: Text, record: Record) -> str:
    """The text a box shows: its translated label, or its field through its template."""
    if box.label is not None:
        return str(box.label)
    value = record.get(box.key)  # type: ignore[arg-type]
    if value is None or value == "":
        return ""
    value = str(value)
    if box.template is not None:
        return str(box.template) % {"value": value}
    return value


def _module_rectangles(matrix: Sequence[Sequence[int]]) -> list[tuple[int, int, int, int]]:
    """(row, column, length, height) rectangles covering the dark modules: runs along each
    row, extended downwards while the next row has the very same run."""
    open_runs: dict[tuple[int, int], int] = {}  # (column, length) -> first row
    rectangles = []
    for row, cells in enumerate([*matrix, ()]):
        runs = set()
        col, width = 0, len(cells)
        while col < width:
            if cells[col]:
                start = col
                while col < width and cells[col]:
                    col += 1
                runs.add((start, col - start))
            else:
                col += 1
        for run, first in list(open_runs.items()):
            if run not in runs:
                rectangles.append((first, run[0], run[1], row - first))
                del open_runs[run]
        for run in runs:
            open_runs.setdefault(run, row)
    return rectangles
