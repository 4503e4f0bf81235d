"""The notice as an official document (issue 5): PDF through core.pdf and Word through
python-docx, from plain data. The PDF rasterises, embeds its font and carries the figures and
unit names; the .docx opens and says the same; user text is printed verbatim, never read as
markup (QUALITY.md B5, B6)."""

import datetime
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from shuangliang.core.pdf.typeset import SetLine, SetRule
from shuangliang.notices.document import (
    NOTICE_A4,
    NoticeDocument,
    UnitLine,
    notice_docx,
    notice_pdf,
    section_number,
)

PAYLOAD = (
    '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png"> @import url(file:///etc/passwd)'
)


def _document(**overrides) -> NoticeDocument:
    data = {
        "organ": "甲县总工会",
        "title": "关于2026年度工会规范化建设检查情况的通报",
        "document_number": "甲县工通〔2026〕7号",
        "issued_on": datetime.date(2026, 11, 24),
        "figures": "共检查工会52家，其中示范12家，合格30家，基本合格6家，不合格4家，达标率80.8%。",
        "commended": [
            UnitLine(
                name="甲一机械有限公司工会委员会", township="甲一镇", score="96.5", grade="示范"
            )
        ],
        "to_improve": [
            UnitLine(
                name="甲二纺织有限公司工会委员会", township="甲二镇", score="48.0", grade="不合格"
            )
        ],
        "free_text": "各乡镇工会要对照标准抓好整改。\n整改情况于12月底前报县总工会。",
    }
    data.update(overrides)
    return NoticeDocument(**data)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def pdf_file(tmp_path):
    def write(document: NoticeDocument) -> Path:
        path = tmp_path / "notice.pdf"
        path.write_bytes(notice_pdf(document, language="zh-hans"))
        return path

    return write


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_section_number_chinese_numerals():
    assert [section_number(i) for i in (1, 2, 4, 10, 11, 20, 23)] == [
        "一、",
        "二、",
        "四、",
        "十、",
        "十一、",
        "二十、",
        "二十三、",
    ]


def test_notice_pdf_rasterises_embeds_its_font_and_carries_figures_and_names(pdf_file, tmp_path):
    path = pdf_file(_document())
    _run("pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page"))
    assert sorted(p.name for p in tmp_path.glob("page*.png")) == ["page-1.png"]
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb column
    assert all("NotoSansCJK" in line for line in fonts)
    text = _run("pdftotext", str(path), "-")
    for expected in (
        "甲县总工会",
        "甲县工通〔2026〕7号",
        "关于2026年度工会规范化建设检查情况的通报",
        "一、",
        "二、",
        "三、",
        "四、",
        "达标率80.8%",
        "甲一机械有限公司工会委员会",
        "96.5",
        "甲二纺织有限公司工会委员会",
        "48.0",
        "2026年11月24日",
    ):
        assert expected in text, expected


def test_notice_pdf_header_is_red_on_the_first_page_only(pdf_file, tmp_path):
    units = [
        UnitLine(name=f"第{i}号单位工会", township="甲一镇", score="91.0", grade="示范")
        for i in range(80)
    ]
    path = pdf_file(_document(commended=units))
    pages = int(
        next(
            line.split()[-1]
            for line in _run("pdfinfo", str(path)).splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages >= 3
    first = _run("pdftotext", "-f", "1", "-l", "1", str(path), "-")
    second = _run("pdftotext", "-f", "2", "-l", "2", str(path), "-")
    assert "甲县工通〔2026〕7号" in first and "甲县工通〔2026〕7号" not in second
    text = _run("pdftotext", str(path), "-")
    assert all(f"第{i}号单位工会" in text for i in range(80))
    # The red rule and header: red pixels in the top part of page 1 only.
    from PIL import Image

    _run("pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "2", str(path), str(tmp_path / "p"))

    def red_pixels(name):
        with Image.open(tmp_path / name) as image:
            rgb = image.convert("RGB")
            data = rgb.tobytes()
            return sum(
                1
                for i in range(0, len(data), 3)
                if data[i] > 180 and data[i + 1] < 90 and data[i + 2] < 90
            )

    assert red_pixels("p-1.png") > 50
    assert red_pixels("p-2.png") == 0


def test_notice_table_rows_are_never_split_between_pages():
    from shuangliang.core.pdf.engine import Canvas, _flow_pages
    from shuangliang.notices.document import notice_record

    long_name = "很长的单位名称" * 8
    units = [
        UnitLine(name=long_name, township="甲一镇", score="90", grade="示范") for _ in range(40)
    ]
    record = notice_record(_document(commended=units, to_improve=[]))
    flow = NOTICE_A4.flows[0]
    pages = _flow_pages(flow, record["notice.body"], Canvas(title="t").measure)
    assert len(pages) > 1
    for page in pages:
        assert all(line.top <= flow.h + 1e-6 for line in page)
        rows = [
            line for line in page if isinstance(line, SetLine) and line.style.name == "table-row"
        ]
        # A wrapped unit name keeps all its lines on the page of its row number.
        numbers = [line for line in rows if line.indent < 10]
        names = [line for line in rows if 10 < line.indent < 20]
        assert len(names) == len(numbers) * 4
    assert any(isinstance(line, SetRule) for page in pages for line in page)


def test_notice_pdf_prints_markup_verbatim_and_fetches_nothing(pdf_file, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = pdf_file(
        _document(
            free_text=PAYLOAD,
            title="通报<b>加粗</b>",
            commended=[
                UnitLine(name="<script>x</script>工会", township="甲一镇", score="95", grade="示范")
            ],
        )
    )
    text = _run("pdftotext", "-raw", str(path), "-").replace("\n", "")
    assert "<script>alert(1)</script>" in text
    assert '<img src="http://127.0.0.1:9/x.png">' in text
    assert "@import url(file:///etc/passwd)" in text
    assert "通报<b>加粗</b>" in text
    assert "<script>x</script>工会" in text
    assert _run("pdfimages", "-list", str(path)).splitlines()[2:] == []


def test_notice_docx_opens_and_carries_the_same_text():
    data = notice_docx(_document(), language="zh-hans")
    text = _docx_text(data)
    for expected in (
        "甲县总工会",
        "甲县工通〔2026〕7号",
        "关于2026年度工会规范化建设检查情况的通报",
        "一、",
        "四、",
        "达标率80.8%",
        "甲一机械有限公司工会委员会",
        "96.5",
        "甲二纺织有限公司工会委员会",
        "2026年11月24日",
        "整改情况于12月底前报县总工会。",
    ):
        assert expected in text, expected
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 2
    assert [c.text for c in doc.tables[0].rows[1].cells][1:4] == [
        "甲一机械有限公司工会委员会",
        "甲一镇",
        "96.5",
    ]
    # The body's East Asian face is FangSong (仿宋_GB2312); the header is red with a rule.
    fonts = {
        run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for p in doc.paragraphs
        for run in p.runs
    }
    assert "仿宋_GB2312" in fonts
    header = doc.paragraphs[0]
    assert header.text == "甲县总工会" and str(header.runs[0].font.color.rgb) == "D40000"
    assert doc.paragraphs[1]._element.pPr.find(qn("w:pBdr")) is not None


def test_notice_docx_keeps_markup_as_text():
    data = notice_docx(
        _document(
            free_text=PAYLOAD,
            commended=[
                UnitLine(name="<script>x</script>工会", township="甲一镇", score="95", grade="示范")
            ],
        )
    )
    text = _docx_text(data)
    assert PAYLOAD in text and "<script>x</script>工会" in text
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
        names = archive.namelist()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml
    assert not any("media" in name for name in names)  # nothing was fetched or embedded


def test_notice_draft_is_marked_and_has_no_number(pdf_file):
    path = pdf_file(_document(document_number="", issued_on=None, is_draft=True))
    text = _run("pdftotext", str(path), "-")
    assert "甲县工通" not in text
    assert "Draft" in text or "草稿" in text
