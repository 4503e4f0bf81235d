"""Layouts as data: elements placed in millimetres on a page, and sheets for n-up printing.

Coordinates are millimetres from the top-left corner of the layout (or, inside a
`Repeat`, of one cell); font sizes are points. Text comes from the field registry by
key, or is a fixed label given as a lazy translation, resolved when the engine draws it
inside `translation.override()`. Nothing here touches a model or a file.
"""

import dataclasses
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise

from .fields import field

Align = Literal["left", "center", "right"]
VAlign = Literal["top", "middle", "bottom"]


@dataclass(frozen=True, kw_only=True)
class Text:
    """A text box. With `key` it shows a field (skipped when empty), optionally through a
    translatable `template` with a `%(value)s` placeholder; with `label` it shows fixed
    text. Long text wraps up to `max_lines` lines (columns when `vertical`) and shrinks
    down to `min_size` points; only text that still does not fit is cut with an ellipsis."""

    h: float
    x: float = 0
    y: float = 0
    w: float = 0
    key: str | None = None
    label: str | Promise | None = None
    template: str | Promise | None = None
    size: float = 10
    min_size: float | None = None
    max_lines: int = 1
    align: Align = "left"
    valign: VAlign = "top"
    line_height: float = 1.25
    color: str = "#000000"
    bold: bool = False
    vertical: bool = False

    def __post_init__(self):
        if (self.key is None) == (self.label is None):
            raise ValueError("a text box has either a field key or a fixed label")
        if self.key is not None and field(self.key).kind != "text":
            raise ValueError(f"field {self.key!r} is not text")
        if self.max_lines < 1 or self.size <= 0:
            raise ValueError("a text box needs at least one line and a positive size")

    @property
    def floor_size(self) -> float:
        return self.min_size if self.min_size is not None else self.size * 0.4

    def scaled(self, sx: float, sy: float) -> "Text":
        s = min(sx, sy)
        return dataclasses.replace(
            self,
            x=self.x * sx,
            y=self.y * sy,
            w=self.w * sx,
            h=self.h * sy,
            size=self.size * s,
            min_size=None if self.min_size is None else self.min_size * s,
        )


@dataclass(frozen=True, kw_only=True)
class Image:
    """A photo from image bytes, cropped to fill the box; `frame` draws an outline that
    also marks the place when there is no photo (no consent)."""

    key: str
    x: float
    y: float
    w: float
    h: float
    frame: str | None = None

    def __post_init__(self):
        if field(self.key).kind != "image":
            raise ValueError(f"field {self.key!r} is not an image")

    def scaled(self, sx: float, sy: float) -> "Image":
        return dataclasses.replace(self, x=self.x * sx, y=self.y * sy, w=self.w * sx, h=self.h * sy)


@dataclass(frozen=True, kw_only=True)
class QR:
    """A vector QR code, `size` millimetres square including its quiet zone."""

    key: str
    x: float
    y: float
    size: float
    quiet_zone: int = 2
    color: str = "#000000"

    def __post_init__(self):
        if field(self.key).kind != "qr":
            raise ValueError(f"field {self.key!r} is not a QR target")

    def scaled(self, sx: float, sy: float) -> "QR":
        return dataclasses.replace(self, x=self.x * sx, y=self.y * sy, size=self.size * min(sx, sy))


@dataclass(frozen=True, kw_only=True)
class Line:
    """A straight line; `width` in millimetres."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.3
    color: str = "#000000"

    def scaled(self, sx: float, sy: float) -> "Line":
        return dataclasses.replace(
            self,
            x1=self.x1 * sx,
            y1=self.y1 * sy,
            x2=self.x2 * sx,
            y2=self.y2 * sy,
            width=self.width * min(sx, sy),
        )


@dataclass(frozen=True, kw_only=True)
class Box:
    """A rectangle, stroked and/or filled; `width` is the stroke in millimetres."""

    x: float
    y: float
    w: float
    h: float
    stroke: str | None = None
    fill: str | None = None
    width: float = 0.3

    def scaled(self, sx: float, sy: float) -> "Box":
        return dataclasses.replace(
            self,
            x=self.x * sx,
            y=self.y * sy,
            w=self.w * sx,
            h=self.h * sy,
            width=self.width * min(sx, sy),
        )


@dataclass(frozen=True, kw_only=True)
class Stack:
    """Text boxes set one under another from (x, y), each `w` wide and its own `h` tall;
    an empty field takes no room, so a card without a published phone has no gap."""

    x: float
    y: float
    w: float
    items: tuple[Text, ...]
    gap: float = 0.8

    def scaled(self, sx: float, sy: float) -> "Stack":
        return dataclasses.replace(
            self,
            x=self.x * sx,
            y=self.y * sy,
            w=self.w * sx,
            gap=self.gap * sy,
            items=tuple(item.scaled(sx, sy) for item in self.items),
        )


@dataclass(frozen=True, kw_only=True)
class Repeat:
    """A grid of `columns` x `rows` cells filled from a list field; each cell draws `cell`
    elements placed relative to the cell. Items beyond one page continue on further pages
    that repeat the layout's other elements."""

    key: str
    x: float
    y: float
    w: float
    h: float
    columns: int
    rows: int
    cell: tuple["Element", ...]

    def __post_init__(self):
        if field(self.key).kind != "list":
            raise ValueError(f"field {self.key!r} is not a list")
        if any(isinstance(element, Repeat | Flow) for element in self.cell):
            raise ValueError("a repeat cannot hold a repeat or a flow")

    @property
    def capacity(self) -> int:
        return self.columns * self.rows

    def scaled(self, sx: float, sy: float) -> "Repeat":
        return dataclasses.replace(
            self,
            x=self.x * sx,
            y=self.y * sy,
            w=self.w * sx,
            h=self.h * sy,
            cell=tuple(element.scaled(sx, sy) for element in self.cell),
        )


@dataclass(frozen=True, kw_only=True)
class FlowStyle:
    """How one kind of paragraph of a `Flow` is set: type size in points, line height in
    ems, space above the paragraph and first-line indent in millimetres. A style that
    keeps with the next (a heading) is never left alone at the foot of a column.

    `rule_below` (a stroke in millimetres) draws a rule across the column `rule_gap` below
    the paragraph, in `rule_color` (default: the text's). A style with `columns` (widths in
    millimetres) sets table rows: its items carry `cells` instead of `text`, each cell
    wrapped in its column (`column_align` per column, else `align`), and a row is never
    split between pages."""

    name: str
    size: float = 10
    bold: bool = False
    color: str = "#000000"
    align: Align = "left"
    line_height: float = 1.5
    space_before: float = 0
    indent: float = 0
    keep_with_next: bool = False
    rule_below: float = 0
    rule_color: str | None = None
    rule_gap: float = 1.5
    columns: tuple[float, ...] = ()
    column_align: tuple[Align, ...] = ()
    cell_padding: float = 1

    def __post_init__(self):
        if self.size <= 0 or self.line_height <= 0:
            raise ValueError("a flow style needs a positive size and line height")
        if self.column_align and len(self.column_align) != len(self.columns):
            raise ValueError("a table style aligns each of its columns or none")
        if any(width <= 2 * self.cell_padding for width in self.columns):
            raise ValueError("a table column must be wider than its padding")

    def scaled(self, s: float) -> "FlowStyle":
        return dataclasses.replace(
            self,
            size=self.size * s,
            space_before=self.space_before * s,
            indent=self.indent * s,
            rule_below=self.rule_below * s,
            rule_gap=self.rule_gap * s,
            columns=tuple(width * s for width in self.columns),
            cell_padding=self.cell_padding * s,
        )


@dataclass(frozen=True, kw_only=True)
class Flow:
    """Running text: the paragraphs of a list field poured into a column from the top,
    broken into lines; what does not fit continues on further pages that repeat the
    layout's other elements. Each item is a mapping with `text` and `style` (the name of
    one of `styles`; the first when absent); newlines in a text start new paragraphs. An
    item in a table style (one with `columns`) carries `cells`, one text per column."""

    key: str
    x: float
    y: float
    w: float
    h: float
    styles: tuple[FlowStyle, ...]

    def __post_init__(self):
        if field(self.key).kind != "list":
            raise ValueError(f"field {self.key!r} is not a list")
        names = [style.name for style in self.styles]
        if not names or len(set(names)) != len(names):
            raise ValueError("a flow needs styles with distinct names")

    def style(self, name: str | None) -> FlowStyle:
        """The style of that name; the first style for None or an unknown name."""
        for style in self.styles:
            if style.name == name:
                return style
        return self.styles[0]

    def scaled(self, sx: float, sy: float) -> "Flow":
        s = min(sx, sy)
        return dataclasses.replace(
            self,
            x=self.x * sx,
            y=self.y * sy,
            w=self.w * sx,
            h=self.h * sy,
            styles=tuple(style.scaled(s) for style in self.styles),
        )


Element = Text | Image | QR | Line | Box | Stack | Repeat | Flow


@dataclass(frozen=True, kw_only=True)
class Layout:
    """One page (a signboard, a poster) or one item of a sheet (a badge, a card)."""

    name: str
    width: float
    height: float
    elements: tuple[Element, ...]

    def __post_init__(self):
        if self.width <= 0 or self.height <= 0:
            raise ValueError("a layout needs a positive size")

    @property
    def repeats(self) -> list[Repeat]:
        return [element for element in self.elements if isinstance(element, Repeat)]

    @property
    def flows(self) -> list[Flow]:
        return [element for element in self.elements if isinstance(element, Flow)]

    def scaled(self, width: float, height: float, name: str | None = None) -> "Layout":
        """The same design at another size: positions stretch, type scales with the
        smaller of the two ratios so that text never grows out of its box."""
        sx, sy = width / self.width, height / self.height
        return Layout(
            name=name or f"{self.name}-{width:g}x{height:g}",
            width=width,
            height=height,
            elements=tuple(element.scaled(sx, sy) for element in self.elements),
        )


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """A paper size with a grid of `columns` x `rows` slots for n-up printing, centred on
    the page, with crop marks in the margin at every cut line."""

    name: str
    width: float
    height: float
    columns: int
    rows: int
    gap_x: float = 0
    gap_y: float = 0
    crop_marks: bool = True
    mark_length: float = 5
    mark_offset: float = 2
    mark_width: float = 0.15

    @property
    def capacity(self) -> int:
        return self.columns * self.rows

    def origin(self, layout: Layout) -> tuple[float, float]:
        """Top-left corner of the slot grid for items of this layout; raises ValueError
        when the grid does not fit on the paper."""
        grid_w = self.columns * layout.width + (self.columns - 1) * self.gap_x
        grid_h = self.rows * layout.height + (self.rows - 1) * self.gap_y
        if grid_w > self.width or grid_h > self.height:
            raise ValueError(f"{self.capacity} of {layout.name} do not fit on {self.name}")
        return (self.width - grid_w) / 2, (self.height - grid_h) / 2

    def slots(self, layout: Layout) -> list[tuple[float, float]]:
        """Top-left corners of the slots, row by row."""
        ox, oy = self.origin(layout)
        return [
            (ox + col * (layout.width + self.gap_x), oy + row * (layout.height + self.gap_y))
            for row in range(self.rows)
            for col in range(self.columns)
        ]
