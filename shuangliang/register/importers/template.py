"""The downloadable import template: one sheet per kind, its headers and one example row.

The headers and the example are the file format the importer reads, so they are Chinese
whatever the user's language (the importer also recognises every field's translated label).
Example rows start with 示例 and are skipped on import.
"""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..validators import credit_code_check_character
from .columns import ENTERPRISE, OFFICER, REQUIRED_COLUMNS, TEMPLATE_SHEETS, UNION


def _code(prefix: str) -> str:
    body = f"{prefix}999001MA0000001"[:17]
    return body + credit_code_check_character(body)


EXAMPLE_ENTERPRISE_CODE = _code("91")
EXAMPLE_UNION_CODE = _code("81")
EXAMPLE_DATE = datetime.date(2023, 5, 1)

# (field, header, example value, drop-down choices or "")
TEMPLATE_COLUMNS = {
    ENTERPRISE: [
        ("ent.name", "企业名称", "示例：示范机械有限公司", ""),
        ("ent.credit_code", "统一社会信用代码", EXAMPLE_ENTERPRISE_CODE, ""),
        ("ent.federation", "所属乡镇", "城关镇", ""),
        (
            "ent.ownership",
            "经济类型",
            "私营企业",
            "国有企业,集体企业,股份合作企业,有限责任公司,股份有限公司,私营企业,个体工商户,"
            "港澳台投资企业,外商投资企业,其他",
        ),
        ("ent.industry", "行业", "制造业", ""),
        ("ent.headcount", "职工人数", 120, ""),
        ("ent.women_headcount", "女职工人数", 45, ""),
        ("ent.address", "企业地址", "城关镇工业路8号", ""),
        ("ent.operating_status", "经营状态", "在产", "在产,在建,停产,关闭"),
    ],
    UNION: [
        ("union.name", "工会名称", "示例：示范机械有限公司工会委员会", ""),
        ("union.credit_code", "工会统一社会信用代码", EXAMPLE_UNION_CODE, ""),
        ("union.enterprises", "企业统一社会信用代码", EXAMPLE_ENTERPRISE_CODE, ""),
        ("union.federation", "所属乡镇", "城关镇", ""),
        ("union.kind", "工会类型", "单独建会", "单独建会,联合基层工会,园区工会,行业工会"),
        ("union.founded_on", "建会时间", datetime.date(2020, 5, 1), ""),
        ("union.member_count", "会员人数", 110, ""),
        ("union.women_member_count", "女会员人数", 40, ""),
        ("union.office_address", "工会办公地址", "城关镇工业路8号办公楼201室", ""),
        ("union.office_phone", "办公电话", "0771-1234567", ""),
        ("union.term_start", "换届时间", EXAMPLE_DATE, ""),
        ("union.term_years", "任期年限", 5, "3,5"),
        ("union.has_audit_committee", "经审会", "是", "是,否"),
        ("union.has_women_committee", "女职委", "是", "是,否"),
    ],
    OFFICER: [
        ("officer.union_code", "工会统一社会信用代码", EXAMPLE_UNION_CODE, ""),
        ("officer.union_name", "工会名称", "示范机械有限公司工会委员会", ""),
        ("cadre.name", "姓名", "示例：王芳", ""),
        ("cadre.gender", "性别", "女", "女,男"),
        ("officer.position", "职务", "主席", "主席,副主席,委员,经审委员,女职委委员"),
        ("cadre.mobile", "手机号码", "13800000000", ""),
        ("cadre.office_phone", "办公电话", "0771-1234568", ""),
        ("officer.term_start", "任期开始", EXAMPLE_DATE, ""),
        ("officer.term_end", "任期结束", datetime.date(2028, 4, 30), ""),
        ("officer.is_full_time", "是否专职", "否", "是,否"),
    ],
}
TEXT_FIELDS = {
    "ent.credit_code",
    "union.credit_code",
    "union.enterprises",
    "officer.union_code",
    "union.office_phone",
    "cadre.mobile",
    "cadre.office_phone",
}
TEMPLATE_ROWS = 1000  # rows prepared with text format and drop-downs


def template_workbook() -> bytes:
    """The import template as xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    required_font = Font(bold=True, color="B3261E")
    header_fill = PatternFill("solid", fgColor="F0F2F4")
    for kind, columns in TEMPLATE_COLUMNS.items():
        sheet = workbook.create_sheet(TEMPLATE_SHEETS[kind])
        sheet.freeze_panes = "A2"
        for index, (key, header, example, choices) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            head = sheet.cell(row=1, column=index, value=header)
            head.font = required_font if key in REQUIRED_COLUMNS[kind] else Font(bold=True)
            head.fill = header_fill
            cell = sheet.cell(row=2, column=index, value=example)
            if isinstance(example, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if key in TEXT_FIELDS:  # codes and phones stay text, not numbers
                for row in range(2, TEMPLATE_ROWS + 2):
                    sheet.cell(row=row, column=index).number_format = "@"
            if choices:
                validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
                validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                sheet.add_data_validation(validation)
            sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
