"""A notice (通報) as an official document: PDF through the project's engine (core.pdf) and
Word (.docx) through python-docx, both from one plain data structure, `NoticeDocument`.

The layout follows the conventions of GB/T 9704 (党政机关公文格式): A4, a red header with
the issuing organ's name, the document number centred under it and a red rule; the title
centred; sections numbered 一、二、三、; the issuing organ and the date at the foot. The
header belongs to the first page only, so it is part of the running text (a `Flow`) rather
than a fixed element that every page would repeat.

User text (the free text, unit names, the title) is only ever set as plain text: the PDF
engine draws it with `FPDF.text()`, python-docx writes it into text runs, escaped as XML
(QUALITY.md B5, B6). Nothing is fetched and no file is read but the shipped font.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangliang.core.pdf import Flow, FlowStyle, Layout, Text, render
from shuangliang.core.pdf.fields import FIELDS, Field

RED = "#d40000"
INK = "#000000"
GREY = "#777777"

# GB/T 9704: A4, top margin 37 mm, left 28 mm, a 156 x 225 mm type area.
PAGE_W, PAGE_H = 210, 297
LEFT, TOP, WIDTH, HEIGHT = 28, 37, 156, 225

for _key, _description in {
    "notice.draft_mark": gettext_lazy("Mark of a notice that is not yet published"),
}.items():
    FIELDS.setdefault(_key, Field("text", _description))
FIELDS.setdefault(
    "notice.body", Field("list", gettext_lazy("Running text of a notice: header to date"))
)

# Table columns: number, unit, township, score, grade (156 mm in all).
TABLE_COLUMNS = (12, 70, 34, 18, 22)
TABLE_ALIGN = ("center", "left", "left", "center", "center")

NOTICE_STYLES = (
    FlowStyle(name="body", size=15, line_height=1.75, indent=10.6, space_before=0),
    FlowStyle(name="organ", size=30, bold=True, color=RED, align="center", line_height=1.3),
    FlowStyle(
        name="number",
        size=15,
        align="center",
        space_before=6,
        rule_below=0.8,
        rule_color=RED,
        rule_gap=3,
    ),
    FlowStyle(name="title", size=21, bold=True, align="center", line_height=1.45, space_before=8),
    FlowStyle(
        name="section",
        size=15,
        bold=True,
        line_height=1.75,
        space_before=3,
        indent=10.6,
        keep_with_next=True,
    ),
    FlowStyle(
        name="table-head",
        size=11.5,
        bold=True,
        line_height=1.5,
        space_before=2,
        columns=TABLE_COLUMNS,
        column_align=TABLE_ALIGN,
        rule_below=0.4,
        rule_gap=0.8,
        keep_with_next=True,
    ),
    FlowStyle(
        name="table-row",
        size=11.5,
        line_height=1.5,
        columns=TABLE_COLUMNS,
        column_align=TABLE_ALIGN,
        rule_below=0.1,
        rule_color=GREY,
        rule_gap=0.8,
    ),
    FlowStyle(name="signature", size=15, align="right", line_height=1.75, space_before=14),
    FlowStyle(name="date", size=15, align="right", line_height=1.75),
)

NOTICE_A4 = Layout(
    name="notice-a4",
    width=PAGE_W,
    height=PAGE_H,
    elements=(
        Text(
            key="notice.draft_mark",
            x=LEFT,
            y=16,
            w=WIDTH,
            h=10,
            size=14,
            align="right",
            color=RED,
            bold=True,
        ),
        Flow(key="notice.body", x=LEFT, y=TOP, w=WIDTH, h=HEIGHT, styles=NOTICE_STYLES),
        Text(
            key="page.number",
            x=LEFT,
            y=TOP + HEIGHT + 8,
            w=WIDTH,
            h=7,
            size=12,
            align="center",
            color=INK,
        ),
    ),
)

CHINESE_NUMERALS = "一二三四五六七八九十"


def section_number(index: int) -> str:
    """一、 二、 … 十、 十一、 … (1-based), the numbering of an official document's sections."""
    if index <= 10:
        return CHINESE_NUMERALS[index - 1] + "、"
    tens, ones = divmod(index, 10)
    prefix = ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十"
    return prefix + (CHINESE_NUMERALS[ones - 1] if ones else "") + "、"


def chinese_date(day: datetime.date) -> str:
    """2026年11月24日: dates of official documents in Arabic figures (GB/T 9704-2012)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class UnitLine:
    """One row of a table of units: already formatted for print."""

    name: str
    township: str
    score: str
    grade: str


@dataclass(frozen=True)
class NoticeDocument:
    """Everything a notice prints, as plain text: no model, no markup."""

    organ: str
    title: str
    document_number: str = ""
    issued_on: datetime.date | None = None
    figures: str = ""
    commended: list[UnitLine] = field(default_factory=list)
    to_improve: list[UnitLine] = field(default_factory=list)
    free_text: str = ""
    is_draft: bool = False

    def sections(self) -> list[tuple[str, str, list[str] | list[UnitLine]]]:
        """(numbered heading, kind, content) of each section, in order; kind is "text"
        (paragraphs) or "table" (units). Empty tables and free text are left out."""
        out: list = [(_("Results of the inspections"), "text", [self.figures])]
        if self.commended:
            out.append((_("Units commended"), "table", self.commended))
        if self.to_improve:
            out.append((_("Units to improve"), "table", self.to_improve))
        paragraphs = [line.strip() for line in self.free_text.splitlines() if line.strip()]
        if paragraphs:
            out.append((_("Requirements and next steps"), "text", paragraphs))
        return [
            (section_number(index) + heading, kind, content)
            for index, (heading, kind, content) in enumerate(out, start=1)
        ]

    def table_head(self) -> list[str]:
        return [_("No."), _("Unit"), _("Township"), _("Score"), _("Grade")]

    @property
    def heading_number(self) -> str:
        return self.document_number or _("(number given on publication)")

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on) if self.issued_on else _("(date of publication)")


def _unit_cells(index: int, unit: UnitLine) -> list[str]:
    return [str(index), unit.name, unit.township, unit.score, unit.grade]


def notice_record(document: NoticeDocument) -> dict:
    """The notice's fields for the PDF layout, in the active language."""
    body: list[dict] = [
        {"style": "organ", "text": document.organ},
        {"style": "number", "text": document.heading_number},
        {"style": "title", "text": document.title},
    ]
    for heading, kind, content in document.sections():
        body.append({"style": "section", "text": heading})
        if kind == "table":
            body.append({"style": "table-head", "cells": document.table_head()})
            body += [
                {"style": "table-row", "cells": _unit_cells(row, unit)}
                for row, unit in enumerate(content, start=1)
            ]
        else:
            body += [{"style": "body", "text": paragraph} for paragraph in content]
    body.append({"style": "signature", "text": document.organ})
    body.append({"style": "date", "text": document.date_text})
    return {
        "notice.body": body,
        "notice.draft_mark": _("Draft, not published") if document.is_draft else "",
    }


def notice_pdf(document: NoticeDocument, *, language: str | None = None) -> bytes:
    """The notice as an A4 PDF in the official layout, with the embedded CJK font."""
    language = language or translation.get_language()
    with translation.override(language):
        return render(NOTICE_A4, [notice_record(document)], title=document.title)


# --- Word ------------------------------------------------------------------------------------

DOCX_BODY_FONT = "仿宋_GB2312"  # the body face of official documents (FangSong)
DOCX_BODY_FALLBACK = "FangSong"  # the Latin-side name, for machines without the GB2312 face
DOCX_TITLE_FONT = "方正小标宋简体"
DOCX_HEADING_FONT = "黑体"


def _set_font(run, *, name: str, size: float, bold: bool = False, color: str | None = None):
    """A run's font with the East Asian face set too (w:eastAsia), which Word uses for
    Chinese characters whatever the Latin name says."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = DOCX_BODY_FALLBACK if name == DOCX_BODY_FONT else name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    doc,
    text: str,
    *,
    font=DOCX_BODY_FONT,
    size=16.0,
    bold=False,
    color=None,
    align=None,
    indent=False,
    space_before=0.0,
):
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)  # 22 lines on the type area, as the standard asks
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _set_font(paragraph.add_run(text), name=font, size=size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph) -> None:
    """A red rule under the paragraph (its bottom border), as under an official header."""
    from docx.oxml.ns import qn

    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"),
        {
            qn("w:val"): "single",
            qn("w:sz"): "18",
            qn("w:space"): "6",
            qn("w:color"): RED.lstrip("#").upper(),
        },
    )
    borders.append(bottom)
    p_pr.append(borders)


def _table(doc, head: list[str], rows: list[list[str]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        _set_font(run, name=DOCX_HEADING_FONT, size=12, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(text), name=DOCX_BODY_FONT, size=12)


def notice_docx(document: NoticeDocument, *, language: str | None = None) -> bytes:
    """The notice as a Word document in the same official layout as the PDF."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    language = language or translation.get_language()
    with translation.override(language):
        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.left_margin = Mm(TOP), Mm(LEFT)
        section.right_margin = Mm(PAGE_W - LEFT - WIDTH)
        section.bottom_margin = Mm(PAGE_H - TOP - HEIGHT)
        core = doc.core_properties
        core.title, core.author = document.title, document.organ
        center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
        if document.is_draft:
            _paragraph(doc, _("Draft, not published"), size=14, bold=True, color=RED, align=right)
        _paragraph(doc, document.organ, font=DOCX_TITLE_FONT, size=30, color=RED, align=center)
        _red_rule(_paragraph(doc, document.heading_number, align=center, space_before=12))
        _paragraph(
            doc, document.title, font=DOCX_TITLE_FONT, size=22, align=center, space_before=24
        )
        for heading, kind, content in document.sections():
            _paragraph(doc, heading, font=DOCX_HEADING_FONT, indent=True, space_before=6)
            if kind == "table":
                _table(
                    doc,
                    document.table_head(),
                    [_unit_cells(row, unit) for row, unit in enumerate(content, start=1)],
                )
            else:
                for paragraph in content:
                    _paragraph(doc, paragraph, indent=True)
        _paragraph(doc, document.organ, align=right, space_before=36)
        _paragraph(doc, document.date_text, align=right)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
