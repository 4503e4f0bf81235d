"""The print engine and the Double Bright print materials, read back with poppler and zbar.

Every PDF is checked the way a print shop would see it: page sizes in millimetres from
`pdfinfo`, fonts from `pdffonts`, text from `pdftotext`, images from `pdfimages`, and the
QR code decoded by `zbarimg` from a 150 dpi rendering made by `pdftoppm`.
"""

import builtins
import datetime
import io
import re
import shutil
import socket
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from shuangliang.core.pdf import QR, Image, Layout, Sheet, Text, render
from shuangliang.core.pdf.fonts import cjk_font
from shuangliang.core.pdf.layouts import A4_BADGES_8UP, A4_CARDS_10UP, BADGE, CONTACT_CARD
from shuangliang.core.pdf.typeset import PT, break_lines, fit_horizontal, fit_vertical
from shuangliang.doublebright.printing import (
    PosterCadre,
    badge_pdf,
    contact_cards_pdf,
    poster_pdf,
    signboard_pdf,
    with_print_relations,
)
from shuangliang.register.models import Officer, Position

from .factories import FederationFactory, OfficerFactory, PersonFactory, UnionFactory

TOOLS = ["pdfinfo", "pdffonts", "pdftotext", "pdfimages", "pdftoppm", "zbarimg"]
MISSING_TOOLS = [tool for tool in TOOLS if shutil.which(tool) is None]
needs_tools = pytest.mark.skipif(
    bool(MISSING_TOOLS),
    reason=f"missing {', '.join(MISSING_TOOLS)} (poppler-utils, zbar-tools: "
    "scripts/system-deps.sh installs them)",
)

MM_PER_PT = 25.4 / 72
VERIFY_URL = "https://demo.shuangliang.example/v/Xq7_kP2-mZ9aTf4w?lang=zh"
PUBLIC_URL = "https://demo.shuangliang.example/u/8fK2-qLm?ref=qr"


def verify_url_for(officer: Officer) -> str:
    return f"{VERIFY_URL}&o={officer.pk}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pdf_file(tmp_path):
    """Write PDF bytes to a file the poppler tools can read."""
    counter = iter(range(1000))

    def write(data: bytes):
        path = tmp_path / f"out-{next(counter)}.pdf"
        path.write_bytes(data)
        return path

    return write


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_sizes_mm(path) -> list[tuple[float, float]]:
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", path), re.M).group(1))
    out = run("pdfinfo", "-f", "1", "-l", str(pages), path)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    return [(round(float(w) * MM_PER_PT, 1), round(float(h) * MM_PER_PT, 1)) for w, h in sizes]


def text_of(path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return run(*args, path, "-")


def flat_text(path) -> str:
    """Extracted text with all white space removed, for phrases a layout may wrap."""
    return re.sub(r"\s+", "", text_of(path))


def image_count(path) -> int:
    lines = run("pdfimages", "-list", path).splitlines()[2:]
    return len([line for line in lines if line.strip()])


def qr_codes(path, tmp_path, page: int = 1) -> list[str]:
    prefix = tmp_path / f"raster-{path.stem}-{page}"
    run("pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), path, prefix)
    (png,) = tmp_path.glob(f"{prefix.name}*.png")
    result = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True, text=True)
    return sorted(line for line in result.stdout.splitlines() if line)


def jpeg_bytes(size=(600, 800)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (90, 140, 200)).save(out, "JPEG")
    return out.getvalue()


def officer(**person):
    """A chair in office whose person has the given fields."""
    person.setdefault("name", "王芳")
    union = UnionFactory(name="甲一机械有限公司工会委员会", office_address="甲一镇工业园区1号")
    return OfficerFactory(
        union=union,
        position=Position.CHAIR,
        person=PersonFactory(**person),
        term_end=datetime.date(2027, 4, 30),
    )


# Page sizes


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda o: signboard_pdf(o.union, PUBLIC_URL, "horizontal"), [(600, 400)]),
        (lambda o: signboard_pdf(o.union, PUBLIC_URL, "vertical"), [(400, 600)]),
        (lambda o: signboard_pdf(o.union, PUBLIC_URL, size_mm=(900, 600)), [(900, 600)]),
        (lambda o: badge_pdf([o], verify_url_for), [(85.6, 54)]),
        (lambda o: badge_pdf([o], verify_url_for, sheet=A4_BADGES_8UP), [(210, 297)]),
        (lambda o: contact_cards_pdf([o], verify_url_for), [(210, 297)]),
        (lambda o: contact_cards_pdf([o], verify_url_for, sheet=None), [(90, 54)]),
        (lambda o: poster_pdf(o.union, [o], PUBLIC_URL, "A4"), [(210, 297)]),
        (lambda o: poster_pdf(o.union, [o], PUBLIC_URL, "A3"), [(297, 420)]),
    ],
    ids=[
        "signboard-horizontal",
        "signboard-vertical",
        "signboard-custom",
        "badge",
        "badge-8up",
        "cards-10up",
        "card",
        "poster-a4",
        "poster-a3",
    ],
)
def test_print_material_pages_have_real_size_in_millimetres(make, expected, pdf_file):
    assert page_sizes_mm(pdf_file(make(officer()))) == expected


# Fonts


@needs_tools
@pytest.mark.django_db
def test_pdf_embeds_the_cjk_font_and_no_other(pdf_file):
    path = pdf_file(contact_cards_pdf([officer(name="王𫖮")], verify_url_for))
    rows = run("pdffonts", path).splitlines()[2:]
    assert len(rows) == 1
    name, *_, emb, sub, uni, _obj, _gen = rows[0].split()
    assert name.endswith("+NotoSansCJKSC")
    assert (emb, sub, uni) == ("yes", "yes", "yes")


def test_cjk_font_has_rare_name_characters():
    # Extension A to E characters of the 通用规范汉字表 that appear in personal names.
    face = cjk_font()
    assert all(face.has_glyph(char) for char in "䶮𫖮𬌗堃喆頔赟𬭚𬬭𫓧𬸚")


@needs_tools
@pytest.mark.django_db
def test_rare_name_characters_print_as_text(pdf_file):
    path = pdf_file(badge_pdf([officer(name="王𫖮")], verify_url_for))
    assert "王𫖮" in text_of(path)


# QR codes


@needs_tools
@pytest.mark.django_db
def test_badge_qr_code_decodes_to_verification_address(pdf_file, tmp_path):
    cadre = officer()
    path = pdf_file(badge_pdf([cadre], verify_url_for))
    assert qr_codes(path, tmp_path) == [verify_url_for(cadre)]


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_signboard_qr_code_decodes_to_public_page(orientation, pdf_file, tmp_path):
    path = pdf_file(signboard_pdf(officer().union, PUBLIC_URL, orientation))
    assert qr_codes(path, tmp_path) == [PUBLIC_URL]


@needs_tools
@pytest.mark.django_db
def test_contact_card_sheet_qr_codes_decode_to_each_officer(pdf_file, tmp_path):
    officers = [officer(name=f"张{n}") for n in range(3)]
    path = pdf_file(contact_cards_pdf(officers, verify_url_for))
    assert qr_codes(path, tmp_path) == sorted(verify_url_for(o) for o in officers)


@needs_tools
@pytest.mark.django_db
def test_qr_code_is_vector_not_a_picture(pdf_file):
    path = pdf_file(badge_pdf([officer()], verify_url_for))
    assert image_count(path) == 0


@needs_tools
@pytest.mark.django_db
def test_poster_qr_code_decodes_to_public_page(pdf_file, tmp_path):
    cadre = officer()
    path = pdf_file(poster_pdf(cadre.union, [cadre], PUBLIC_URL))
    assert qr_codes(path, tmp_path) == [PUBLIC_URL]


# Sheets and batches


@needs_tools
@pytest.mark.django_db
def test_contact_cards_print_ten_to_an_a4_sheet(pdf_file):
    officers = [officer(name=f"李{n}号") for n in range(11)]
    path = pdf_file(contact_cards_pdf(officers, verify_url_for))
    assert page_sizes_mm(path) == [(210, 297), (210, 297)]
    first, second = text_of(path, 1), text_of(path, 2)
    assert [n for n in range(11) if f"李{n}号" in first] == list(range(10))
    assert [n for n in range(11) if f"李{n}号" in second] == [10]


def test_card_sheet_centres_ten_cards_with_room_for_crop_marks():
    slots = A4_CARDS_10UP.slots(CONTACT_CARD)
    assert len(slots) == 10
    assert slots[0] == (15, 13.5)
    assert slots[-1] == (105, 13.5 + 4 * 54)


def test_sheet_refuses_a_layout_that_does_not_fit():
    sheet = Sheet(name="tiny", width=100, height=100, columns=2, rows=2)
    with pytest.raises(ValueError, match="do not fit"):
        sheet.slots(BADGE)


@needs_tools
@pytest.mark.django_db
def test_badges_print_eight_to_an_a4_sheet(pdf_file):
    officers = [officer(name=f"赵{n}号") for n in range(9)]
    path = pdf_file(badge_pdf(officers, verify_url_for, sheet=A4_BADGES_8UP))
    assert len(page_sizes_mm(path)) == 2
    assert [n for n in range(9) if f"赵{n}号" in text_of(path, 2)] == [8]


@needs_tools
@pytest.mark.django_db
def test_poster_continues_on_a_second_page_after_nine_cadres(pdf_file):
    union = UnionFactory(name="乙一电子有限公司工会委员会")
    officers = [
        OfficerFactory(union=union, person=PersonFactory(name=f"孙{n}号")) for n in range(10)
    ]
    path = pdf_file(poster_pdf(union, officers, PUBLIC_URL))
    assert len(page_sizes_mm(path)) == 2
    assert "乙一电子有限公司工会委员会" in text_of(path, 2)
    assert [n for n in range(10) if f"孙{n}号" in text_of(path, 2)] == [9]


@needs_tools
@pytest.mark.django_db
def test_federation_poster_lists_its_own_cadres(pdf_file):
    federation = FederationFactory(name="示范县总工会", address="示范县人民路1号")
    cadres = [PosterCadre(name="周杰", position="副主席", phone="0771-5550001")]
    path = pdf_file(poster_pdf(federation, cadres, PUBLIC_URL, "A3"))
    text = flat_text(path)
    assert "示范县总工会" in text
    assert "周杰" in text and "副主席" in text and "0771-5550001" in text
    assert "示范县人民路1号" in text


@pytest.mark.django_db
def test_card_batch_reads_the_register_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    union = UnionFactory()
    for n in range(6):
        OfficerFactory(union=union, person=PersonFactory(name=f"钱{n}"))
    for count in (2, 6):
        officers = with_print_relations(Officer.objects.filter(union=union))[:count]
        with django_assert_num_queries(2):
            contact_cards_pdf(officers, verify_url_for)


# Consent (QUALITY.md C1)


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize("consent", [False, True])
def test_contact_card_prints_mobile_only_with_consent(consent, pdf_file):
    cadre = officer(mobile="13912345678", consent_mobile=consent)
    path = pdf_file(contact_cards_pdf([cadre], verify_url_for))
    assert ("13912345678" in flat_text(path)) is consent
    assert ("12345678" in flat_text(path)) is consent


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize("consent", [False, True])
def test_poster_prints_office_phone_only_with_consent(consent, pdf_file):
    cadre = officer(mobile="", office_phone="0771-2468013", consent_office_phone=consent)
    path = pdf_file(poster_pdf(cadre.union, [cadre], PUBLIC_URL))
    assert ("2468013" in flat_text(path)) is consent


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize("consent", [False, True])
def test_badge_prints_photo_only_with_consent(consent, pdf_file):
    cadre = officer(consent_photo=consent)
    cadre.person.photo.save("face.jpg", ContentFile(jpeg_bytes()))
    path = pdf_file(badge_pdf([cadre], verify_url_for))
    assert image_count(path) == (1 if consent else 0)


# Vertical text


@needs_tools
@pytest.mark.django_db
def test_vertical_signboard_sets_the_name_top_to_bottom(pdf_file):
    union = UnionFactory(name="甲一机械有限公司工会委员会")
    path = pdf_file(signboard_pdf(union, PUBLIC_URL, "vertical"))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.+?)</word>',
        run("pdftotext", "-bbox", path, "-"),
    )
    name_chars = [(float(x), float(y), char) for x, y, char in words if len(char) == 1]
    assert "".join(char for _, _, char in name_chars) == union.name
    assert len({x for x, _, _ in name_chars}) == 1  # one column
    ys = [y for _, y, _ in name_chars]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # each character below the last


def test_vertical_text_uses_vertical_forms_of_brackets():
    fitted = fit_vertical(
        "某（中国）公司", width=100, height=200, size=50, floor=10, max_columns=1, column_gap=0.25
    )
    assert fitted.lines == ["某︵中国︶公司"]


# Shrink to fit


def test_long_name_shrinks_to_fit_its_lines_without_losing_characters():
    name = "甲一机械制造（中国）集团股份有限公司华南区域第一分公司及关联企业联合工会委员会"
    measure = lambda text: sum(cjk_font().advance(c) for c in text) * PT  # noqa: E731
    fitted = fit_horizontal(
        name,
        width=77.6,
        height=9,
        size=11,
        floor=6,
        max_lines=2,
        line_height=1.15,
        measure=measure,
    )
    assert 6 <= fitted.size < 11
    assert "".join(fitted.lines) == name
    assert len(fitted.lines) <= 2
    assert all(measure(line) * fitted.size <= 77.6 for line in fitted.lines)


def test_line_breaking_keeps_numbers_whole_and_punctuation_off_line_starts():
    measure = lambda text: sum(cjk_font().advance(c) for c in text) * PT  # noqa: E731
    lines = break_lines("地址：人民路18号A-3栋，电话13800001234", 30, measure, 10)
    assert all(not line.startswith(("，", "：")) for line in lines)
    assert any("13800001234" in line for line in lines)
    assert "".join(lines) == "地址：人民路18号A-3栋，电话13800001234"


# Translation


@needs_tools
@pytest.mark.django_db
@pytest.mark.parametrize(("language", "position"), [("zh-hans", "工会主席"), ("en", "Chair")])
def test_badge_prints_position_in_the_requested_language(language, position, pdf_file):
    path = pdf_file(badge_pdf([officer()], verify_url_for, language=language))
    assert position in flat_text(path)


# Fetch nothing (QUALITY.md B5)

HOSTILE = [
    "<img src=http://x>",
    "file:///etc/passwd",
    "@import url(http://x/y.css);",
]


@needs_tools
@pytest.mark.django_db
def test_hostile_text_is_drawn_literally_and_fetches_nothing(monkeypatch, pdf_file):
    cadre = officer(
        name=HOSTILE[0],
        office_address=HOSTILE[1],
        mobile="13800001234",
        consent_mobile=True,
    )
    cadre.union.name = HOSTILE[2]
    cadre.union.save()

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    opened = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(builtins, "open", recording_open)
    cards = contact_cards_pdf([cadre], verify_url_for)
    badge = badge_pdf([cadre], verify_url_for)
    monkeypatch.undo()

    assert any(path.endswith(".otf") for path in opened)  # the recorder saw the font
    assert not [path for path in opened if "passwd" in path or "://" in path]
    card_text, badge_text = flat_text(pdf_file(cards)), flat_text(pdf_file(badge))
    literal = [re.sub(r"\s+", "", hostile) for hostile in HOSTILE]
    assert all(text in card_text for text in literal)
    assert literal[0] in badge_text and literal[2] in badge_text


def test_image_fields_refuse_anything_but_bytes():
    layout = Layout(
        name="photo",
        width=50,
        height=50,
        elements=(Image(key="person.photo", x=0, y=0, w=20, h=20),),
    )
    with pytest.raises(TypeError, match="bytes"):
        render(layout, [{"person.photo": "/etc/passwd"}])


def test_layout_refuses_unknown_or_mismatched_fields():
    with pytest.raises(KeyError, match="union.nickname"):
        Text(key="union.nickname", x=0, y=0, w=10, h=10)
    with pytest.raises(ValueError, match="not a QR target"):
        QR(key="union.name", x=0, y=0, size=10)
