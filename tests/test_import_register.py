"""The register import (QUALITY.md B1, B2, D1): layouts, headers, values, errors, atomicity,
hostile files, and the web flow with its access rules."""

import datetime
import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from shuangliang.core.models import ActionLogEntry, ImportJob
from shuangliang.core.text import search_key
from shuangliang.core.xlsx import SpreadsheetError
from shuangliang.register.importers import (
    TEMPLATE_SHEETS,
    inspect_workbook,
    register_import,
)
from shuangliang.register.models import (
    Enterprise,
    Federation,
    Officer,
    OperatingStatus,
    Ownership,
    Person,
    Position,
    Union,
)

from .conftest import client_for
from .factories import EnterpriseFactory, TownshipFactory, make_credit_code

ROSTER_HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属乡镇",
    "经济类型",
    "行业",
    "职工人数",
    "女职工人数",
    "经营状态",
    "工会名称",
    "建会时间",
    "会员人数",
    "换届时间",
    "主席姓名",
    "主席手机",
]
ROSTER_HEADER_TRADITIONAL = [
    "序號",
    "企業名稱",
    "統一社會信用代碼",
    "所屬鄉鎮",
    "經濟類型",
    "行業",
    "職工人數",
    "女職工人數",
    "經營狀態",
    "工會名稱",
    "建會時間",
    "會員人數",
    "換屆時間",
    "主席姓名",
    "主席手機",
]


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, their msgids; translations are checked elsewhere."""
    with translation.override("en"):
        yield


def english_client(world, role: str):
    client = client_for(world, role)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def xlsx(sheets: dict[str, list[list]]) -> io.BytesIO:
    """An xlsx file in memory with the given sheets and rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "register.xlsx"
    return out


def roster_row(n: int, *, township="甲一镇", code=None, name=None, mobile=None) -> list:
    return [
        n,
        name if name is not None else f"导入测试{n}有限公司",
        code if code is not None else make_credit_code(serial=500000 + n),
        township,
        "私营企业",
        "制造业",
        120,
        40,
        "在产",
        f"导入测试{n}有限公司工会委员会",
        "2020-05-01",
        100,
        "2023-05-01",
        f"张{n}",
        mobile if mobile is not None else f"139{n:08d}",
    ]


def roster(rows: list[list], header=ROSTER_HEADER, titles=("示範縣企業工會花名冊",)) -> io.BytesIO:
    return xlsx({"花名册": [[title] for title in titles] + [header] + rows})


def counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "unions": Union.objects.count(),
        "people": Person.objects.count(),
        "officers": Officer.objects.count(),
        "log": ActionLogEntry.objects.count(),
    }


# --- clean files ----------------------------------------------------------------------------


def test_roster_clean_file_writes_every_row_with_one_log_entry_each(world):
    before = counts()
    result = register_import(file=roster([roster_row(n) for n in range(1, 6)]), federation=world.c1)
    assert result.errors == []
    assert result.written is True
    assert result.counts == {
        "enterprises": 5,
        "unions": 5,
        "officers": 5,
        "people": 5,
        "attached": 0,
    }
    after = counts()
    assert after["enterprises"] - before["enterprises"] == 5
    assert after["unions"] - before["unions"] == 5
    assert after["officers"] - before["officers"] == 5
    assert after["people"] - before["people"] == 5
    assert after["log"] - before["log"] == 20
    enterprise = Enterprise.objects.get(name="导入测试3有限公司")
    assert enterprise.federation == world.t1
    assert enterprise.ownership == Ownership.PRIVATE
    assert enterprise.industry == "C"
    assert enterprise.operating_status == OperatingStatus.IN_PRODUCTION
    assert enterprise.search_text == enterprise.build_search_text()
    union = enterprise.union
    assert union.name == "导入测试3有限公司工会委员会"
    assert union.founded_on == datetime.date(2020, 5, 1)
    assert union.term_start == datetime.date(2023, 5, 1)
    assert union.federation == world.t1
    assert union.search_text == search_key(union.name, union.credit_code)  # as save() does
    chair = Officer.objects.get(union=union)
    assert chair.position == Position.CHAIR
    assert chair.status == Officer.Status.ACTIVE
    assert chair.term_start == datetime.date(2023, 5, 1)
    assert chair.person.name == "张3"
    assert chair.person.mobile == "13900000003"
    assert chair.person.search_text == search_key("张3")
    entries = ActionLogEntry.objects.filter(action_type="register.enterprise.imported")
    assert entries.count() == 5
    entry = entries.get(object_id=str(enterprise.pk))
    assert entry.actor is None
    assert entry.scope_path == world.t1.path
    assert entry.data["source"] == "import"
    person_entry = ActionLogEntry.objects.get(
        action_type="register.person.imported", object_id=str(chair.person.pk)
    )
    assert person_entry.data["created"]["mobile"] == "***"


def test_roster_title_rows_above_the_header_are_skipped(world):
    file = roster([roster_row(1)], titles=("示範縣企業工會花名冊", "填报单位：甲县总工会", ""))
    result = register_import(file=file, federation=world.c1)
    assert result.errors == []
    assert result.counts["enterprises"] == 1
    assert Enterprise.objects.filter(name="导入测试1有限公司").exists()


def test_roster_traditional_headers_are_recognised(world):
    row = roster_row(1, township="甲一鎮")
    row[4], row[5], row[8] = "私營企業", "製造業", "在產"
    result = register_import(
        file=roster([row], header=ROSTER_HEADER_TRADITIONAL), federation=world.c1
    )
    assert result.errors == []
    enterprise = Enterprise.objects.get(name="导入测试1有限公司")
    assert (enterprise.ownership, enterprise.industry) == ("private", "C")
    assert enterprise.federation == world.t1
    assert enterprise.union.member_count == 100


def test_header_variants_are_recognised_in_both_scripts(world):
    header = [
        "*單位名稱",
        "信用代碼",
        "鄉鎮(街道)",
        "所有制",
        "行业（门类）",
        "從業人員\n（人）",
        "企業地址",
        "工會名稱",
        "工會主席",
        "手機號碼",
    ]
    row = [
        "变体有限公司",
        make_credit_code(serial=600001),
        "甲二",
        "外商投资企业",
        "C",
        "１２０",
        "甲二镇工业路1号",
        "变体有限公司工会",
        "李雷",
        "13900001111",
    ]
    layouts = inspect_workbook(file=roster([row], header=header))
    assert layouts[0].kind == "enterprise"
    assert layouts[0].header_row == 2
    assert layouts[0].unknown == []
    assert list(layouts[0].columns.values()) == [
        "ent.name",
        "ent.credit_code",
        "ent.federation",
        "ent.ownership",
        "ent.industry",
        "ent.headcount",
        "ent.address",
        "union.name",
        "chair.name",
        "chair.mobile",
    ]
    result = register_import(file=roster([row], header=header), federation=world.c1)
    assert result.errors == []
    enterprise = Enterprise.objects.get(name="变体有限公司")
    assert enterprise.federation == world.t2  # "甲二" without its suffix 镇
    assert enterprise.ownership == Ownership.FOREIGN_INVESTED
    assert enterprise.headcount == 120


def test_values_full_width_digits_serial_dates_and_text_numbers_are_normalised(world):
    row = roster_row(1)
    row[2] = " " + "".join(chr(ord(c) + 0xFEE0) for c in row[2]) + " "  # full-width code
    row[6] = "１２０"
    row[7] = "40"
    row[10] = 44317  # Excel serial for 2021-05-01
    row[11] = "９０人"
    row[12] = "2023年5月1日"
    row[14] = 13900000001  # a mobile typed as a number
    rows = [row, roster_row(2, mobile="+86 139-0000-0002")]
    result = register_import(file=roster(rows), federation=world.c1)
    assert result.errors == []
    enterprise = Enterprise.objects.get(name="导入测试1有限公司")
    assert enterprise.credit_code == make_credit_code(serial=500001)
    assert (enterprise.headcount, enterprise.women_headcount) == (120, 40)
    assert enterprise.union.founded_on == datetime.date(2021, 5, 1)
    assert enterprise.union.member_count == 90
    assert enterprise.union.term_start == datetime.date(2023, 5, 1)
    assert Person.objects.get(name="张1").mobile == "13900000001"
    assert Person.objects.get(name="张2").mobile == "13900000002"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021-05-01", datetime.date(2021, 5, 1)),
        ("2021/5/1", datetime.date(2021, 5, 1)),
        ("2021.5.1", datetime.date(2021, 5, 1)),
        ("2021年5月1日", datetime.date(2021, 5, 1)),
        ("20210501", datetime.date(2021, 5, 1)),
        ("２０２１－０５－０１", datetime.date(2021, 5, 1)),
        ("44317", datetime.date(2021, 5, 1)),
        (20210501, datetime.date(2021, 5, 1)),
        ("2021.05", datetime.date(2021, 5, 1)),
        (datetime.datetime(2021, 5, 1, 0, 0), datetime.date(2021, 5, 1)),
    ],
)
def test_values_dates_are_read_in_every_common_form(world, text, expected):
    row = roster_row(1)
    row[10] = text
    result = register_import(file=roster([row]), federation=world.c1)
    assert result.errors == []
    assert Union.objects.get(name="导入测试1有限公司工会委员会").founded_on == expected


def test_template_layout_with_three_sheets_links_by_credit_code(world):
    code_a, code_b = make_credit_code(serial=700001), make_credit_code(serial=700002)
    union_code = make_credit_code(prefix="81", serial=700003)
    file = xlsx(
        {
            "企业": [
                ["企业名称", "统一社会信用代码", "所属乡镇", "经济类型", "行业"],
                ["示例：某某机械有限公司", make_credit_code(serial=1), "甲一镇", "私营企业", "C"],
                ["模板甲有限公司", code_a, "甲一镇", "私营企业", "C"],
                ["模板乙有限公司", code_b, "甲一镇", "个体工商户", "F"],
            ],
            "工会": [
                ["工会名称", "统一社会信用代码", "企业统一社会信用代码", "工会类型", "会员人数"],
                ["模板联合工会", union_code, f"{code_a}、{code_b}", "联合基层工会", 30],
            ],
            "工会干部": [
                ["工会信用代码", "姓名", "性别", "职务", "手机号码", "任期开始"],
                [union_code, "周主席", "女", "主席", "13911112222", "2024-01-01"],
                [union_code, "吴委员", "男", "委员", "", ""],
            ],
        }
    )
    before = counts()
    result = register_import(file=file, federation=world.c1)
    assert result.errors == []
    assert result.counts == {
        "enterprises": 2,
        "unions": 1,
        "officers": 2,
        "people": 2,
        "attached": 0,
    }
    assert any("example" in warning for warning in result.warnings)
    union = Union.objects.get(credit_code=union_code)
    assert union.kind == Union.Kind.JOINT
    assert set(union.enterprises.values_list("credit_code", flat=True)) == {code_a, code_b}
    assert union.federation == world.t1
    positions = dict(union.officers.values_list("person__name", "position"))
    assert positions == {"周主席": "chair", "吴委员": "committee_member"}
    assert counts()["log"] - before["log"] == 2 + 1 + 2 + 2


def test_union_sheet_attaches_registered_enterprises_without_a_union(world):
    registered = EnterpriseFactory(name="已登记无工会公司", federation=world.t2)
    file = xlsx(
        {
            "工会": [
                ["工会名称", "企业信用代码", "建会时间"],
                ["已登记无工会公司工会", registered.credit_code, "2024-03-01"],
            ]
        }
    )
    result = register_import(file=file, federation=world.c1)
    assert result.errors == []
    registered.refresh_from_db()
    assert registered.union.name == "已登记无工会公司工会"
    assert registered.union.federation == world.t2
    assert (
        ActionLogEntry.objects.filter(
            action_type="register.enterprise.union_changed", object_id=str(registered.pk)
        ).count()
        == 1
    )


def test_officer_sheet_adds_cadres_to_a_registered_union(world):
    file = xlsx(
        {
            "工会干部": [
                ["企业统一社会信用代码", "姓名", "职务", "手机"],
                [world.e1.credit_code, "新委员", "女职委委员", "13912345678"],
                [world.e1.credit_code, "新主席", "主席", ""],
                [world.e3.credit_code, "外县人", "委员", ""],
            ]
        }
    )
    result = register_import(file=file, federation=world.c1)
    assert [(e.row, e.column) for e in result.errors] == [(3, "职务"), (4, "企业统一社会信用代码")]
    assert result.errors[0].message == "This union already has a chair in office."
    assert result.written is False
    assert not Person.objects.filter(name="新委员").exists()


# --- bad rows: every error listed, nothing written ------------------------------------------


def test_roster_bad_rows_are_all_listed_and_nothing_is_written(world):
    registered = world.e3.credit_code  # registered in another county: still taken
    good = roster_row(1)
    bad_check = make_credit_code(serial=500002)
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    rows = [
        good,
        roster_row(2, name=""),  # row 4: name missing
        roster_row(3, code=bad_check),  # row 5: wrong check character
        roster_row(4, code=good[2]),  # row 6: same code as row 3
        roster_row(5, code=registered),  # row 7: already registered
        roster_row(6, township="乙一镇"),  # row 8: township of the other county
        roster_row(7),  # row 9: a formula as the member count
        roster_row(8),  # row 10: a date that is not a date
        roster_row(9, name="长" * 10_000),  # row 11: 10,000 characters
        roster_row(10, name="笑脸😀有限公司"),  # row 12: emoji
        roster_row(11, mobile="1390000"),  # row 13: short mobile
        roster_row(12),  # row 14: fine
    ]
    rows[6][11] = "=SUM(1,2)"
    rows[7][10] = "去年五月"
    before = counts()
    result = register_import(file=roster(rows), federation=world.c1)
    found = [(e.sheet, e.row, e.column) for e in result.errors]
    assert found == [
        ("花名册", 4, "企业名称"),
        ("花名册", 5, "统一社会信用代码"),
        ("花名册", 6, "统一社会信用代码"),
        ("花名册", 7, "统一社会信用代码"),
        ("花名册", 8, "所属乡镇"),
        ("花名册", 9, "会员人数"),
        ("花名册", 10, "建会时间"),
        ("花名册", 11, "企业名称"),
        ("花名册", 12, "企业名称"),
        ("花名册", 13, "主席手机"),
    ]
    messages = {e.row: e.message for e in result.errors}
    assert messages[4] == "This field cannot be blank."
    assert "check character" in messages[5]
    assert messages[6] == f"The credit code {good[2]} also appears on sheet 花名册, row 3."
    assert messages[7] == "An enterprise with this credit code is already registered."
    assert messages[8] == "“乙一镇” is not a township or park of 甲县总工会."
    assert messages[9] == "The cell holds a formula (=SUM(1,2)); type the value itself instead."
    assert messages[10] == "“去年五月” is not a date; write it like 2021-05-01."
    assert messages[11] == "Ensure this value has at most 200 characters (it has 10000)."
    assert "emoji" in messages[12]
    assert messages[13] == "A mobile number has 11 digits and begins with 1."
    assert result.written is False
    assert counts() == before


def test_required_column_missing_is_one_error_for_the_sheet(world):
    file = xlsx(
        {
            "企业": [
                ["企业名称", "所属乡镇", "行业", "经济类型"],
                ["缺代码公司", "甲一镇", "C", "私营"],
            ]
        }
    )
    result = register_import(file=file, federation=world.c1)
    assert result.errors == [("企业", 1, "", "The sheet has no column for Enterprise credit code.")]


def test_township_is_optional_when_importing_into_a_township(world):
    file = xlsx(
        {
            "企业": [
                ["企业名称", "统一社会信用代码", "经济类型", "行业"],
                ["镇内公司", make_credit_code(serial=800001), "集体", "E"],
            ]
        }
    )
    result = register_import(file=file, federation=world.t2)
    assert result.errors == []
    assert Enterprise.objects.get(name="镇内公司").federation == world.t2


def test_township_name_without_suffix_must_be_unambiguous(world):
    TownshipFactory(name="甲一乡", parent=world.c1, division_code="990101009")
    result = register_import(file=roster([roster_row(1, township="甲一")]), federation=world.c1)
    assert [e.message for e in result.errors] == [
        "“甲一” matches several townships; write the full name."
    ]


def test_ten_thousand_rows_with_three_percent_bad_list_every_bad_row_and_write_nothing(world):
    rows, bad = [], set()
    for n in range(1, 10_001):
        row = roster_row(n)
        row[6], row[7], row[11] = 25 + n % 977, n % 25, 20 + n % 5  # varied, as in real files
        excel_row = n + 2  # one title row and the header
        if n % 33 == 0:
            bad.add(excel_row)
            kind = (n // 33) % 4
            if kind == 0:
                row[1] = ""
            elif kind == 1:
                row[2] = row[2][:17] + ("0" if row[2][17] != "0" else "1")
            elif kind == 2:
                row[3] = "乙一镇"
            else:
                row[2] = rows[0][2]  # a duplicate of the first row's code
        rows.append(row)
    before = counts()
    result = register_import(file=roster(rows), federation=world.c1)
    assert {e.row for e in result.errors} == bad
    assert len(result.errors) == len(bad) == 303
    assert result.written is False
    assert counts() == before


def test_ten_thousand_clean_rows_write_exactly_ten_thousand_enterprises(world):
    header = ["企业名称", "统一社会信用代码", "所属乡镇", "经济类型", "行业", "职工人数"]
    rows = [
        [f"万行{n}公司", make_credit_code(serial=900000 + n), "甲一镇", "私营", "C", 30]
        for n in range(10_000)
    ]
    before = counts()
    result = register_import(file=xlsx({"企业": [header] + rows}), federation=world.c1)
    assert result.errors == []
    after = counts()
    assert after["enterprises"] - before["enterprises"] == 10_000
    assert after["log"] - before["log"] == 10_000


# --- hostile files ------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_hostile_renamed_text_file_is_refused(db):
    with pytest.raises(SpreadsheetError, match="not an Excel workbook"):
        inspect_workbook(file=io.BytesIO("企业名称,信用代码\n".encode()))


def test_hostile_old_xls_file_is_refused(db):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with pytest.raises(SpreadsheetError, match=r"\.xls"):
        inspect_workbook(file=io.BytesIO(ole))


def test_hostile_zip_bomb_is_refused_before_inflating(db, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    bomb = _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 30_000_000})
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(SpreadsheetError, match="unpack"):
        inspect_workbook(file=bomb)


def test_hostile_macro_workbook_is_refused(db):
    file = xlsx({"企业": [["企业名称"]]})
    members = {}
    with zipfile.ZipFile(file) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    members["xl/vbaProject.bin"] = b"\0" * 100
    with pytest.raises(SpreadsheetError, match="macros"):
        inspect_workbook(file=_zip(members))


def test_hostile_oversized_file_is_refused(db, settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="MB"):
        inspect_workbook(file=xlsx({"企业": [["企业名称"] * 50] * 50}))


def test_hostile_too_many_rows_are_refused(db, settings):
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(SpreadsheetError, match="more than 10 rows"):
        register_import(
            file=xlsx({"企业": [[f"公司{n}"] for n in range(20)]}),
            federation=Federation(name="x", path="0/"),
        )


def test_hostile_far_away_cell_is_refused_without_reading_every_blank_row(db, settings):
    settings.IMPORT_MAX_ROWS = 1000
    workbook = Workbook()
    workbook.active.append(["企业名称", "统一社会信用代码"])
    workbook.active.cell(row=1_048_576, column=16_384, value="x")
    file = io.BytesIO()
    workbook.save(file)
    with pytest.raises(SpreadsheetError, match="more than 1000 rows"):
        register_import(file=file, federation=Federation(name="x", path="0/"))


def _with_member(name: str, xml: bytes) -> io.BytesIO:
    """A real workbook with one of its XML parts replaced."""
    file = xlsx({"企业": [["企业名称", "统一社会信用代码"], ["甲", "乙"]]})
    members = {}
    with zipfile.ZipFile(file) as archive:
        for member in archive.namelist():
            members[member] = archive.read(member)
    assert name in members
    members[name] = xml
    return _zip(members)


def test_hostile_billion_laughs_is_refused(db):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with pytest.raises(SpreadsheetError, match="entity declarations"):
        inspect_workbook(file=_with_member("xl/worksheets/sheet1.xml", bomb))


def test_hostile_external_entity_is_refused(db):
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with pytest.raises(SpreadsheetError, match="entity declarations"):
        inspect_workbook(file=_with_member("xl/workbook.xml", xxe))


def test_hostile_damaged_zip_is_refused(db):
    data = xlsx({"企业": [["企业名称"]]}).getvalue()
    with pytest.raises(SpreadsheetError, match="damaged"):
        inspect_workbook(file=io.BytesIO(data[: len(data) // 2]))


# --- the web flow ---------------------------------------------------------------------------


@pytest.fixture
def inline_imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, file: io.BytesIO, federation: Federation, name="名册.xlsx"):
    file.name = name
    client.get(reverse("backoffice:import_start"))
    return client.post(
        reverse("backoffice:import_start"),
        {"file": file, "federation": federation.pk, "csrfmiddlewaretoken": _csrf(client)},
    )


def latest_job() -> ImportJob:
    return ImportJob.objects.latest("pk")


def _csrf(client) -> str:
    return client.cookies["csrftoken"].value


def test_import_web_flow_preview_errors_then_fix_then_confirm(world, inline_imports):
    client = english_client(world, "county_c1")
    bad = roster([roster_row(1), roster_row(2, township="乙一镇")])
    before = counts()
    response = _upload(client, bad, world.c1)
    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:import_status", args=[job.pk])
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        ["花名册", 4, "所属乡镇", "“乙一镇” is not a township or park of 甲县总工会."]
    ]
    page = client.get(reverse("backoffice:import_status", args=[job.pk]))
    assert page.status_code == 200
    assert "“乙一镇” is not a township or park of 甲县总工会." in page.content.decode()
    assert counts() == before

    response = _upload(client, roster([roster_row(1), roster_row(2)]), world.c1)
    job = latest_job()
    assert job.status == ImportJob.Status.READY
    assert job.counts["enterprises"] == 2
    page = client.get(reverse("backoffice:import_status", args=[job.pk])).content.decode()
    assert reverse("backoffice:import_confirm", args=[job.pk]) in page
    assert counts() == before

    response = client.post(
        reverse("backoffice:import_confirm", args=[job.pk]),
        {"csrfmiddlewaretoken": _csrf(client)},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert not job.file
    after = counts()
    assert after["enterprises"] - before["enterprises"] == 2
    entry = ActionLogEntry.objects.get(
        action_type="register.enterprise.imported",
        object_id=str(Enterprise.objects.get(name="导入测试1有限公司").pk),
    )
    assert entry.actor == world.users["county_c1"]
    assert entry.data["job"] == job.pk


def test_import_web_flow_maps_unrecognised_columns(world, inline_imports):
    client = english_client(world, "county_c1")
    header = ROSTER_HEADER[:9] + ["企业联系人电话"]
    row = roster_row(1)[:9] + ["0771-1234567"]
    _upload(client, roster([row], header=header), world.c1)
    job = latest_job()
    assert job.status == ImportJob.Status.MAPPING
    url = reverse("backoffice:import_map", args=[job.pk])
    page = client.get(url)
    assert "企业联系人电话" in page.content.decode()
    response = client.post(url, {"花名册:10": "", "csrfmiddlewaretoken": _csrf(client)})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.column_mapping == {"花名册": {"10": ""}}
    assert job.status == ImportJob.Status.READY
    assert job.warnings == []


def test_import_status_page_polls_while_running(world, inline_imports):
    client = english_client(world, "county_c1")
    job = ImportJob.objects.create(
        created_by=world.users["county_c1"],
        federation=world.c1,
        original_name="x.xlsx",
        status=ImportJob.Status.VALIDATING,
        total_rows=200,
        processed_rows=50,
    )
    html = client.get(reverse("backoffice:import_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress value="50" max="200">' in html
    partial = client.get(
        reverse("backoffice:import_status", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial
    assert '<progress value="50" max="200">' in partial


def test_import_job_is_visible_only_to_its_creator(world, inline_imports):
    job = ImportJob.objects.create(
        created_by=world.users["county_c1"],
        federation=world.c1,
        original_name="x.xlsx",
        status=ImportJob.Status.READY,
    )
    for role in ("city", "county_c2", "superuser"):
        client = english_client(world, role)
        for name in ("import_status", "import_map"):
            assert client.get(reverse(f"backoffice:{name}", args=[job.pk])).status_code == 404
        client.get(reverse("backoffice:import_start"))
        response = client.post(
            reverse("backoffice:import_confirm", args=[job.pk]),
            {"csrfmiddlewaretoken": _csrf(client)},
        )
        assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY


@pytest.mark.parametrize("role", ["leader_c1", "chair_u1", "cadre"])
def test_import_pages_are_404_for_roles_that_cannot_write_the_register(world, role):
    client = english_client(world, role)
    assert client.get(reverse("backoffice:import_start")).status_code == 404
    assert client.get(reverse("backoffice:import_template")).status_code == 404


def test_import_start_redirects_anonymous_to_login(world):
    response = english_client(world, "anonymous").get(reverse("backoffice:import_start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_import_start_offers_only_federations_the_user_may_change(world, inline_imports):
    client = english_client(world, "county_c1")
    html = client.get(reverse("backoffice:import_start")).content.decode()
    assert world.t1.name in html
    assert world.t3.name not in html
    jobs = ImportJob.objects.count()
    response = _upload(client, roster([roster_row(1)]), world.c2)
    assert response.status_code == 200
    assert ImportJob.objects.count() == jobs


def test_import_start_reports_a_hostile_file_clearly(world, inline_imports):
    client = english_client(world, "county_c1")
    jobs = ImportJob.objects.count()
    response = _upload(
        client, io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), world.c1
    )
    assert response.status_code == 200
    assert "old Excel (.xls) file" in response.content.decode()
    assert ImportJob.objects.count() == jobs


def test_import_template_has_three_sheets_that_import_cleanly(world):
    response = english_client(world, "county_c1").get(reverse("backoffice:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == list(TEMPLATE_SHEETS.values())
    assert [c.value for c in workbook["企业"][1]][:2] == ["企业名称", "统一社会信用代码"]
    rows = list(workbook["企业"].iter_rows(values_only=True))
    assert rows[1][0] == "示例：示范机械有限公司"  # one example row, skipped on import
    assert all(value is None for row in rows[2:] for value in row)
    assert workbook["企业"]["B3"].number_format == "@"  # codes stay text
    assert response["Content-Disposition"] == (
        'attachment; filename="Register import template.xlsx"'
    )
    layouts = inspect_workbook(file=io.BytesIO(content))
    assert [layout.kind for layout in layouts] == ["enterprise", "union", "officer"]
    assert all(layout.unknown == [] for layout in layouts)
    result = register_import(file=io.BytesIO(content), federation=world.t1)
    assert result.errors == [("", 0, "", "The file holds no rows to import.")]


def test_union_sheet_refuses_an_enterprise_that_already_has_a_union(world):
    file = xlsx({"工会": [["工会名称", "企业信用代码"], ["重复工会", world.e1.credit_code]]})
    result = register_import(file=file, federation=world.c1)
    assert result.errors == [
        (
            "工会",
            2,
            "企业信用代码",
            f"The enterprise {world.e1.credit_code} is already registered with a union.",
        )
    ]


def test_officer_sheet_finds_a_registered_union_by_name_in_either_script(world):
    file = xlsx(
        {
            "工會幹部": [
                ["工會名稱", "姓名", "職務"],
                ["甲一機械有限公司工會委員會", "繁体委员", "委員"],
                ["乙一电子有限公司工会委员会", "外县委员", "委员"],
            ]
        }
    )
    result = register_import(file=file, federation=world.c1)
    assert [(e.row, e.column) for e in result.errors] == [(3, "工會名稱")]
    assert result.errors[0].message == (
        "No union called “乙一电子有限公司工会委员会” is in this file or in 甲县总工会."
    )
    file = xlsx(
        {
            "工會幹部": [
                ["工會名稱", "姓名", "職務"],
                ["甲一機械有限公司工會委員會", "繁体委员", "委員"],
            ]
        }
    )
    result = register_import(file=file, federation=world.c1)
    assert result.errors == []
    assert Officer.objects.get(person__name="繁体委员").union == world.u1


def test_import_waits_for_the_worker_and_reports_progress(
    default_contract_kinds, world, settings, tmp_path
):
    """With the database backend the check is queued when the request commits and a worker
    (`manage.py db_worker`) runs it; the page shows the job queued until then."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    client = english_client(world, "county_c1")
    # A transactional test: the worker commits and closes connections as in production.
    _upload(client, roster([roster_row(n) for n in range(1, 301)]), world.c1)
    job = latest_job()
    assert job.status == ImportJob.Status.QUEUED
    status_page = client.get(reverse("backoffice:import_status", args=[job.pk]))
    assert status_page.status_code == 200
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert (job.total_rows, job.processed_rows) == (300, 300)
    assert job.counts["enterprises"] == 300
    assert Enterprise.objects.filter(name__startswith="导入测试").count() == 0


def test_an_import_cut_off_while_writing_leaves_nothing_half_written(
    world, inline_imports, monkeypatch
):
    """QUALITY.md D4: the write is one transaction; a worker that dies in the middle (here:
    the audit entries fail after the unions, enterprises, people and officers are in) leaves
    no row behind, and the job says nothing was written."""
    from shuangliang.core.models import ActionLogEntry as Entry

    client = english_client(world, "county_c1")
    _upload(client, roster([roster_row(n) for n in range(1, 51)]), world.c1)
    job = latest_job()
    assert job.status == ImportJob.Status.READY
    before = counts()

    from shuangliang.register.importers import database

    insert_rows = database.insert_rows

    def die_at_the_entries(model, objects):
        if model is Entry:
            raise OSError("worker killed")
        insert_rows(model, objects)

    monkeypatch.setattr(database, "insert_rows", die_at_the_entries)
    client.post(
        reverse("backoffice:import_confirm", args=[job.pk]),
        {"csrfmiddlewaretoken": _csrf(client)},
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "The import stopped unexpectedly; nothing was written."
    assert counts() == before
    assert not Enterprise.objects.filter(name__startswith="导入测试").exists()


# --- the write pass: one chunk at a time ----------------------------------------------------


def test_rows_are_written_a_chunk_at_a_time_with_links_across_chunks(world, monkeypatch):
    """With chunks of two rows, enterprises of the union sheet and officers of the officer
    sheet still find unions written in earlier chunks, every row gets one log entry, and the
    writer never holds more than one chunk."""
    from shuangliang.register.importers import database

    monkeypatch.setattr(database, "CHUNK_ROWS", 2)
    held = []
    flush = database.ChunkWriter.flush

    def recording_flush(self):
        held.append(len(self.unions) + len(self.enterprises) + len(self.officers))
        flush(self)

    monkeypatch.setattr(database.ChunkWriter, "flush", recording_flush)
    codes = [make_credit_code(serial=710000 + n) for n in range(5)]
    union_codes = [make_credit_code(prefix="81", serial=711000 + n) for n in range(3)]
    file = xlsx(
        {
            "企业": [["企业名称", "统一社会信用代码", "所属乡镇", "经济类型", "行业"]]
            + [[f"分块{n}有限公司", c, "甲一镇", "私营企业", "C"] for n, c in enumerate(codes)],
            "工会": [["工会名称", "统一社会信用代码", "企业统一社会信用代码"]]
            + [
                [f"分块{n}工会", union_codes[n], codes[n] if n < 2 else f"{codes[2]}、{codes[3]}"]
                for n in range(3)
            ],
            "工会干部": [["工会信用代码", "姓名", "职务"]]
            + [[union_codes[n], f"分块主席{n}", "主席"] for n in range(3)]
            + [[union_codes[2], "分块委员", "委员"]],
        }
    )
    before = counts()
    result = register_import(file=file, federation=world.c1)
    assert result.errors == []
    assert result.written
    assert max(held) <= 2
    for n, code in enumerate(union_codes):
        union = Union.objects.get(credit_code=code)
        expected = {codes[n]} if n < 2 else {codes[2], codes[3]}
        assert set(union.enterprises.values_list("credit_code", flat=True)) == expected
        assert union.officers.filter(position="chair", person__name=f"分块主席{n}").exists()
    assert Enterprise.objects.get(credit_code=codes[4]).union is None
    after = counts()
    assert after["enterprises"] - before["enterprises"] == 5
    assert after["log"] - before["log"] == 5 + 3 + 4 + 4  # enterprises, unions, people, officers


def test_check_constraints_evaluated_in_python_agree_with_the_database(db):
    """The import evaluates the models' simple check constraints without a query; the verdict
    must be the database's for every value, NULL included."""
    from django.db.models import CheckConstraint, Q

    from shuangliang.register.importers.checks import UNKNOWN, python_check

    cases = [
        (Enterprise(headcount=h, women_headcount=w), "enterprise_women_not_above_headcount")
        for h in (None, 0, 5)
        for w in (None, 0, 5, 6)
    ]
    day = datetime.date(2024, 1, 1)
    cases += [
        (Officer(term_start=s, term_end=e), "officer_term_ends_after_start")
        for s in (day, None)
        for e in (None, day, day - datetime.timedelta(days=1), day + datetime.timedelta(days=1))
    ]
    cases += [
        (Union(member_count=m, women_member_count=w), "union_women_not_above_members")
        for m in (None, 3)
        for w in (None, 2, 3, 4)
    ]
    for obj, name in cases:
        constraint = next(c for c in obj._meta.constraints if c.name == name)
        assert isinstance(constraint, CheckConstraint)
        verdict = python_check(constraint.condition, obj)
        assert verdict is not UNKNOWN
        against = obj._get_field_expression_map(meta=obj._meta)
        in_database = Q(constraint.condition).check(against)
        assert (verdict is not False) == in_database, (name, obj.__dict__)


def _import_keeping_the_importer(monkeypatch, file, federation):
    """Import `file` and return the result and the importer, as it was when it closed."""
    from shuangliang.register.importers import rows

    kept = []
    close = rows.Importer.close

    def keeping_close(self):
        kept.append(self)
        close(self)

    monkeypatch.setattr(rows.Importer, "close", keeping_close)
    result = register_import(file=file, federation=federation)
    return result, kept[0]


def _held_in_memory(importer) -> dict[str, int]:
    """The sizes of the importer's containers (and its index's), but its messages."""
    sizes = {}
    for owner, state in (("importer", vars(importer)), ("index", vars(importer.index))):
        for name, value in state.items():
            if isinstance(value, dict | list | set) and name not in {"errors", "warnings"}:
                sizes[f"{owner}.{name}"] = len(value)
    return sizes


def test_what_the_importer_holds_in_memory_does_not_grow_with_the_file(world, monkeypatch):
    """Every row's enterprise, union and chair is kept for the checks across rows, but in the
    import's index on disk: the Python state is the same for 5 rows and for 60."""
    held = []
    for serial, size in ((900_000, 5), (910_000, 60)):
        file = roster([roster_row(serial + n) for n in range(size)])
        result, importer = _import_keeping_the_importer(monkeypatch, file, world.c1)
        assert result.errors == []
        assert result.counts["enterprises"] == result.counts["unions"] == size
        held.append(_held_in_memory(importer))
        monkeypatch.undo()
    assert held[0] == held[1]
    assert Union.objects.filter(name="导入测试910059有限公司工会委员会").get().officers.count() == 1


def test_the_index_answers_across_sheets_and_is_closed_after_a_bad_file(world, monkeypatch):
    """A duplicate found through the index names the first row; the index is closed even
    when the import stops with errors."""
    import sqlite3

    code = make_credit_code(serial=920_001)
    file = roster([roster_row(1, code=code), roster_row(2), roster_row(3, code=code)])
    result, importer = _import_keeping_the_importer(monkeypatch, file, world.c1)
    assert [(e.row, e.column) for e in result.errors] == [(5, "统一社会信用代码")]
    assert "row 3" in result.errors[0].message
    with pytest.raises(sqlite3.ProgrammingError):
        importer.index.enterprise(code)
