"""Exports of the register's lists (QUALITY.md A3, B3, C2): exactly the user's scope, no
formulas, masked phones, a query count that does not grow with the rows."""

import csv
import io
import zipfile

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from shuangliang.core.exports import Exporter, escape_text
from shuangliang.register.models import Position

from .conftest import client_for
from .factories import EnterpriseFactory, OfficerFactory, UnionFactory

HOSTILE_NAMES = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def get(world, role: str, name: str, **params):
    client = client_for(world, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse(f"backoffice:{name}"), params)


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content(response)))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    return list(sheet.iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def column(rows: list, header: str) -> list:
    index = list(rows[0]).index(header)
    return [row[index] for row in rows[1:]]


@pytest.mark.parametrize(
    "role, expected",
    [
        ("county_c1", {"甲一机械有限公司", "甲二纺织有限公司"}),
        ("county_c2", {"乙一电子有限公司"}),
        ("township_t1", {"甲一机械有限公司"}),
        ("chair_u1", {"甲一机械有限公司"}),
        ("cadre", {"甲二纺织有限公司"}),
        ("city", {"甲一机械有限公司", "甲二纺织有限公司", "乙一电子有限公司"}),
    ],
)
def test_enterprise_export_xlsx_holds_exactly_the_scope(world, role, expected):
    response = get(world, role, "enterprise_export", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    assert set(column(rows, "Enterprise name")) == expected
    codes = {e.name: e.credit_code for e in (world.e1, world.e2, world.e3)}
    assert set(column(rows, "Unified social credit code")) == {codes[name] for name in expected}


@pytest.mark.parametrize(
    "role, expected",
    [
        ("county_c1", {"甲一机械有限公司", "甲二纺织有限公司"}),
        ("county_c2", {"乙一电子有限公司"}),
    ],
)
def test_enterprise_export_csv_holds_exactly_the_scope(world, role, expected):
    response = get(world, role, "enterprise_export", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert set(column(csv_rows(response), "Enterprise name")) == expected


def test_enterprise_export_applies_the_list_filters(world):
    response = get(world, "county_c1", "enterprise_export", format="csv", federation=world.t2.pk)
    assert column(csv_rows(response), "Enterprise name") == ["甲二纺织有限公司"]
    response = get(world, "county_c1", "enterprise_export", format="csv", q="甲一機械")
    assert column(csv_rows(response), "Enterprise name") == ["甲一机械有限公司"]


def test_enterprise_export_filter_on_another_scope_gives_no_foreign_rows(world):
    response = get(world, "county_c1", "enterprise_export", format="csv", federation=world.t3.pk)
    assert "乙一电子有限公司" not in content(response).decode()


def test_enterprise_export_file_name_carries_the_date(world):
    response = get(world, "county_c1", "enterprise_export", format="csv")
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="Enterprise directory-{today}.csv"'
    )


def test_exporter_file_name_outside_ascii_is_encoded_per_rfc_5987(db):
    class Named(Exporter):
        filename_stem = "企业名录"

        def get_headers(self):
            return ["名称"]

        def iter_rows(self):
            return [["甲"]]

    response = Named().response("xlsx")
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95-{today}.xlsx"
    )
    response.close()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_export_escapes_formula_text_in_xlsx_and_csv(world, name):
    EnterpriseFactory(name=name, federation=world.t1)
    rows = xlsx_rows(get(world, "county_c1", "enterprise_export", format="xlsx"))
    # XML reading turns a carriage return into a line feed; the quote is what matters.
    assert "'" + name.replace("\r", "\n") in column(rows, "Enterprise name")
    rows = csv_rows(get(world, "county_c1", "enterprise_export", format="csv"))
    assert "'" + name in column(rows, "Enterprise name")
    assert name not in column(rows, "Enterprise name")


def test_export_xlsx_has_no_formula_element(world):
    for name in HOSTILE_NAMES:
        EnterpriseFactory(name=name, federation=world.t1)
    data = content(get(world, "county_c1", "enterprise_export", format="xlsx"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml


def test_escape_text_leaves_ordinary_text_alone():
    assert escape_text("甲一机械有限公司") == "甲一机械有限公司"
    assert escape_text("A=B") == "A=B"
    assert escape_text("=HYPERLINK()") == "'=HYPERLINK()"


def test_officer_export_masks_mobile_numbers(world):
    response = get(world, "county_c1", "officer_export", format="csv")
    text = content(response).decode()
    chair = world.chair1.person
    assert chair.mobile not in text
    assert chair.masked_mobile in text
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert set(column(rows, "Name")) == {"王芳", "李强"}
    assert set(column(rows, "Mobile")) == {
        world.chair1.person.masked_mobile,
        world.chair2.person.masked_mobile,
    }


def test_officer_export_xlsx_masks_mobile_numbers_in_the_file(world):
    data = content(get(world, "county_c1", "officer_export", format="xlsx"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    for officer in (world.chair1, world.chair2, world.chair3):
        assert officer.person.mobile.encode() not in xml
    assert world.chair1.person.masked_mobile.encode() in xml


def test_union_export_holds_the_scope_and_the_masked_chair(world):
    rows = xlsx_rows(get(world, "county_c2", "union_export", format="xlsx"))
    assert column(rows, "Union name") == ["乙一电子有限公司工会委员会"]
    assert column(rows, "Chair") == ["赵敏"]
    assert column(rows, "Chair's mobile") == [world.chair3.person.masked_mobile]
    assert world.chair3.person.mobile not in str(rows)


def test_export_is_open_to_read_only_roles_and_closed_to_anonymous(world):
    assert get(world, "leader_c1", "union_export", format="csv").status_code == 200
    response = get(world, "anonymous", "enterprise_export", format="csv")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _queries(world, name: str, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        content(get(world, "county_c1", name, format=fmt))
    return len(queries)


@pytest.mark.parametrize("name", ["enterprise_export", "union_export", "officer_export"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_query_count_does_not_grow_with_rows(world, name, fmt):
    small = _queries(world, name, fmt)
    for _ in range(20):
        union = UnionFactory(federation=world.t1)
        EnterpriseFactory(federation=world.t1, union=union)
        OfficerFactory(union=union, position=Position.CHAIR)
    assert _queries(world, name, fmt) == small
