"""Issue 2 end to end: a county clerk imports a roster, finds a firm across scripts, exports.

Runs against the demo county, as `county` would use it: the roster is the one-sheet layout
clerks keep (a title row above the header, Traditional headers), the search is typed in
Traditional script for a name registered in Simplified, and the export is read back.
"""

import io

import openpyxl
import pytest
from django.core.management import call_command

from shuangliang.register.models import Enterprise, Officer

from ..factories import make_credit_code

NEW_FIRM = "示范县新纪元纺织科技有限公司"


def _roster() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名冊"
    sheet.append(["示範縣企業工會花名冊（2026年）"])
    sheet.append(
        [
            "企業名稱",
            "統一社會信用代碼",
            "所屬鄉鎮",
            "經濟類型",
            "行業",
            "職工人數",
            "工會名稱",
            "建會時間",
            "會員人數",
            "主席姓名",
            "主席手機",
        ]
    )
    sheet.append(
        [
            NEW_FIRM,
            make_credit_code(serial=888001),
            "東湖鎮",
            "私營企業",
            "製造業",
            "86",
            NEW_FIRM + "工会委员会",
            "2024-03-01",
            "60",
            "周明远",
            "13800138000",
        ]
    )
    sheet.append(
        [
            "示范县晨光电子有限公司",
            make_credit_code(serial=888002),
            "城關鎮",
            "有限責任公司",
            "C",
            "45",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--no-photos", verbosity=0)


def test_county_imports_searches_across_scripts_and_exports(
    demo, live_server, page, log_in, tmp_path
):
    log_in(page, "county", "shuangliang-demo")

    # Import: upload, let every row be checked, confirm.
    page.click("nav.mainnav a[href$='/import/']")
    roster = tmp_path / "花名冊.xlsx"
    roster.write_bytes(_roster())
    page.set_input_files("input[type=file]", str(roster))
    page.select_option("select[name=federation]", label="示範縣總工會")
    page.click("form.edit button[type=submit]")
    confirm = page.locator("#import-status form button[type=submit]")
    confirm.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "import-preview.png"))
    confirm.click()
    page.locator("#import-status[data-status=done]").wait_for(timeout=30_000)
    assert Enterprise.objects.filter(name=NEW_FIRM, federation__name="東湖鎮").exists()
    assert (
        Officer.objects.filter(union__name=NEW_FIRM + "工会委员会", position="chair").count() == 1
    )

    # Search in Traditional script for the name registered in Simplified.
    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "新紀元紡織")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("#enterprise-table tbody tr")
    assert rows.count() == 1
    assert rows.first.inner_text().startswith(NEW_FIRM)

    # Export the filtered list and read the workbook back.
    with page.expect_download() as download_info:
        page.click("a[href*='/enterprises/export/'][href*='format=xlsx']")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert NEW_FIRM in values
    assert "东湖纺织有限公司" not in values  # the filter applies to the export too
