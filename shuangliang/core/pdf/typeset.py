"""Line breaking and shrink-to-fit for Chinese text, horizontal and vertical.

Chinese breaks between any two characters; runs of Latin letters and digits (a phone
number, an address like "A-3/201") stay together unless a run alone is wider than the
line. Closing punctuation never starts a line. Sizes are points, lengths millimetres.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PT = 25.4 / 72  # millimetres per point
ELLIPSIS = "…"

_TOKENS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:;/@_'+#&%-]*|\s+|.", re.DOTALL)
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’,.;:!?)]}%…·")

# Vertical presentation forms, so that brackets and commas sit right in a column.
VERTICAL_FORMS = str.maketrans(
    {
        "（": "︵",
        "）": "︶",
        "(": "︵",
        ")": "︶",
        "【": "︻",
        "】": "︼",
        "《": "︽",
        "》": "︾",
        "〈": "︿",
        "〉": "﹀",
        "「": "﹁",
        "」": "﹂",
        "『": "﹃",
        "』": "﹄",
        "〔": "︹",
        "〕": "︺",
        "，": "︐",
        "、": "︑",
        "。": "︒",
        "：": "︓",
        "；": "︔",
        "！": "︕",
        "？": "︖",
        "…": "︙",
        "—": "︱",
        "-": "︱",
    }
)

Measure = Callable[[str], float]  # width in millimetres of a string set at 1 pt


@dataclass(frozen=True)
class Fitted:
    """Text broken into lines (or columns, when vertical) at the size that fits."""

    size: float
    lines: list[str]


def break_lines(text: str, max_width: float, measure: Measure, size: float) -> list[str]:
    """Greedy lines no wider than max_width at this size, except where one character
    alone is wider; explicit newlines are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_break_paragraph(paragraph, max_width, measure, size))
    return lines


def _break_paragraph(text: str, max_width: float, measure: Measure, size: float) -> list[str]:
    limit = max_width / size
    lines: list[str] = []

    def place(current: str, token: str) -> str:
        # Append to a line that is blank or has room; a run wider than a whole line
        # is broken by character.
        if measure(current + token) <= limit:
            return current + token
        for char in token:
            if current.strip() and measure(current + char) > limit:
                lines.append(current)
                current = ""
            current += char
        return current

    current = ""
    for token in _TOKENS.findall(text):
        if not current.strip() or measure(current + token) <= limit:
            current = place(current, token)
        elif token.isspace():
            lines.append(current)
            current = ""
        elif token[0] in _NO_LINE_START and len(current) > 1:
            # Carry the last character down with the punctuation mark.
            lines.append(current[:-1])
            current = current[-1] + token
        else:
            lines.append(current)
            current = place("", token)
    lines.append(current)
    return [line.strip() for line in lines]


def fit_horizontal(
    text: str,
    *,
    width: float,
    height: float,
    size: float,
    floor: float,
    max_lines: int,
    line_height: float,
    measure: Measure,
) -> Fitted:
    """The largest size from `size` down to `floor` at which the text fits in the box in
    at most max_lines lines; at the floor, extra lines are dropped and the last one ends
    with an ellipsis."""
    current = size
    while True:
        lines = break_lines(text, width, measure, current)
        fits_lines = len(lines) <= max_lines
        fits_height = min(len(lines), max_lines) * current * line_height * PT <= height + 1e-6
        if fits_lines and fits_height:
            return Fitted(current, lines)
        if current <= floor:
            break
        current = max(floor, current * 0.92)
    while len(lines) * current * line_height * PT > height + 1e-6 and current > 1:
        current *= 0.92  # the floor was too big for the box's height
    kept = lines[:max_lines]
    if len(lines) > max_lines:
        kept[-1] = _ellipsize(kept[-1], width, measure, current)
    return Fitted(current, kept)


def _ellipsize(line: str, width: float, measure: Measure, size: float) -> str:
    limit = width / size
    while line and measure(line + ELLIPSIS) > limit:
        line = line[:-1]
    return line + ELLIPSIS


def fit_vertical(
    text: str,
    *,
    width: float,
    height: float,
    size: float,
    floor: float,
    max_columns: int,
    column_gap: float,
) -> Fitted:
    """Characters set top to bottom in columns (read right to left): as few columns as
    fit at no less than `floor`, at the largest size up to `size` for that many; text
    that fits nowhere is cut with a vertical ellipsis at the floor."""
    chars = list("".join(text.split()).translate(VERTICAL_FORMS)) or [""]
    for columns in range(1, max_columns + 1):
        per_column = -(-len(chars) // columns)
        largest = min(
            size,
            height / (per_column * PT),
            width / ((columns + (columns - 1) * column_gap) * PT),
        )
        if largest >= floor:
            return Fitted(largest, _columns(chars, per_column))
    per_column = max(1, int(height / (floor * PT)))
    if len(chars) > per_column * max_columns:
        chars = chars[: per_column * max_columns - 1] + ["︙"]
    return Fitted(floor, _columns(chars, per_column))


def _columns(chars: list[str], per_column: int) -> list[str]:
    return ["".join(chars[i : i + per_column]) for i in range(0, len(chars), per_column)]


@dataclass(frozen=True)
class SetLine:
    """One line of running text placed in a flow's column: `top` is millimetres below the
    column's top edge, `indent` millimetres from its left edge; `style` is the FlowStyle.
    A line of a table cell also has the cell's `width` and `align`."""

    text: str
    style: Any
    top: float
    indent: float
    width: float | None = None
    align: str | None = None


@dataclass(frozen=True)
class SetRule:
    """A horizontal rule across the column, `top` millimetres below its top edge."""

    top: float
    width: float
    color: str


def _rule(style: Any, y: float) -> tuple[list[SetRule], float]:
    """The style's rule below a paragraph that ends at `y`, and the height it takes."""
    if not getattr(style, "rule_below", 0):
        return [], 0.0
    top = y + style.rule_gap
    rule = SetRule(top, style.rule_below, style.rule_color or style.color)
    return [rule], style.rule_gap * 2 + style.rule_below


def _table_row(style: Any, cells: Any, measure: Measure, y: float) -> tuple[list[SetLine], float]:
    """One table row's cell lines placed from `y`, and the row's height."""
    line_h = style.size * PT * style.line_height
    placed: list[SetLine] = []
    x, depth = 0.0, 1
    texts = [str(cell if cell is not None else "") for cell in cells]
    for index, width in enumerate(style.columns):
        inner = width - 2 * style.cell_padding
        text = texts[index] if index < len(texts) else ""
        lines = _break_paragraph(" ".join(text.split()), inner, measure, style.size)
        align = style.column_align[index] if style.column_align else style.align
        for row, line in enumerate(lines):
            placed.append(
                SetLine(line, style, y + row * line_h, x + style.cell_padding, inner, align)
            )
        depth = max(depth, len(lines))
        x += width
    return placed, depth * line_h


def flow_pages(
    paragraphs: Iterable[tuple[Any, Any]], *, width: float, height: float, measure: Measure
) -> list[list[SetLine | SetRule]]:
    """Paragraphs (style, text) broken into lines and poured into columns `height` tall,
    one list of placed lines per column (page). Space before a paragraph is dropped at the
    top of a column; a keep-with-next paragraph moves on rather than end a column. A
    paragraph's first line is indented by its style's `indent`. For a table style (one
    with `columns`) the text is a sequence of cells: the row is placed whole."""
    pages: list[list[SetLine | SetRule]] = [[]]
    y = 0.0
    for style, text in paragraphs:
        if getattr(style, "columns", ()):
            space = style.space_before if pages[-1] else 0.0
            rules, rule_h = _rule(style, 0.0)
            lines, row_h = _table_row(style, text, measure, 0.0)
            if pages[-1] and y + space + row_h + rule_h > height + 1e-6:
                pages.append([])
                y, space = 0.0, 0.0
            y += space
            lines, row_h = _table_row(style, text, measure, y)
            pages[-1].extend(lines)
            rules, rule_h = _rule(style, y + row_h)
            pages[-1].extend(rules)
            y += row_h + rule_h
            continue
        for paragraph in (text or "").split("\n"):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            lines = _indented_lines(paragraph, width, style.indent, measure, style.size)
            line_h = style.size * PT * style.line_height
            space = style.space_before if pages[-1] else 0.0
            needed = line_h * (len(lines) + 1 if style.keep_with_next else 1)
            if pages[-1] and y + space + min(needed, height) > height + 1e-6:
                pages.append([])
                y, space = 0.0, 0.0
            y += space
            for index, line in enumerate(lines):
                if pages[-1] and y + line_h > height + 1e-6:
                    pages.append([])
                    y = 0.0
                pages[-1].append(SetLine(line, style, y, style.indent if index == 0 else 0.0))
                y += line_h
            rules, rule_h = _rule(style, y)
            pages[-1].extend(rules)
            y += rule_h
    return pages


def _indented_lines(
    text: str, width: float, indent: float, measure: Measure, size: float
) -> list[str]:
    """Lines of one paragraph whose first line is `indent` millimetres narrower."""
    if indent <= 0:
        return _break_paragraph(text, width, measure, size)
    first = _break_paragraph(text, max(width - indent, size * PT), measure, size)[0]
    rest = text[len(first) :].strip() if text.startswith(first) else ""
    if not first or not rest:
        return _break_paragraph(text, width - indent, measure, size) if not first else [first]
    return [first, *_break_paragraph(rest, width, measure, size)]
