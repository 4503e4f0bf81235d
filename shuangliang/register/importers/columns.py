"""The columns a register workbook may have, and how a sheet's header row is found.

Headers are recognised by their common Chinese names in either script (and by the fields'
labels in every configured language), after folding to Simplified, half-width, lower case,
without spaces, punctuation, required-field asterisks or bracketed notes.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shuangliang.core.text import clean_text, to_simplified
from shuangliang.core.xlsx import Formula, Sheet, read_xlsx

ENTERPRISE, UNION, OFFICER = "enterprise", "union", "officer"
SHEET_KINDS = (ENTERPRISE, UNION, OFFICER)
HEADER_SCAN_ROWS = 10  # the header row is looked for among the first rows of a sheet
HEADER_MIN_MATCHES = 2

# ---------------------------------------------------------------------------------------------
# Text keys: headers and labels are compared in Simplified script, half-width, lower case,
# without spaces, punctuation or the asterisk that marks a required column.
_PUNCTUATION = re.compile(r"[\s*:,.;/\\|_\-—–~·'\"“”‘’()\[\]【】<>《》{}、。；：，！？!?#＃]+")
_PARENTHESISED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


def text_key(value: object) -> str:
    return _PUNCTUATION.sub("", to_simplified(clean_text(value)).lower())


def header_keys(value: object) -> list[str]:
    """The header as a key, then without what stands in brackets (units, notes)."""
    text = clean_text(value)
    keys = [text_key(text)]
    bare = text_key(_PARENTHESISED.sub("", text))
    if bare and bare != keys[0]:
        keys.append(bare)
    return keys


# ---------------------------------------------------------------------------------------------
# The columns the import understands. Aliases are Simplified; Traditional headers match after
# conversion. A field may have extra aliases that apply only on one kind of sheet, so that
# 统一社会信用代码 is the enterprise's code on an enterprise sheet and the union's own on a
# union sheet.


@dataclass(frozen=True)
class ImportField:
    """A column the import understands: the field it fills and the headers that name it."""

    key: str
    label: Any
    value_type: str  # text, code, codes, int, years, date, bool, phone, mobile, choice, township
    sheet_kinds: tuple[str, ...]
    aliases: tuple[str, ...]
    # Aliases that hold only on one kind of sheet: {kind: aliases}.
    kind_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _field(key, label, value_type, kinds, aliases: str, **kind_aliases: str) -> ImportField:
    return ImportField(
        key,
        label,
        value_type,
        kinds,
        tuple(aliases.split()),
        tuple((kind, tuple(extra.split())) for kind, extra in kind_aliases.items()),
    )


E, U, OF = (ENTERPRISE,), (UNION,), (OFFICER,)
EU = (ENTERPRISE, UNION)
_TOWNSHIP = (
    "所属乡镇 乡镇 乡镇街道 所属乡镇街道 乡镇园区 所属乡镇园区 乡镇街道园区 所属乡镇街道园区 园区 "
    "所属园区 所在乡镇 所在乡镇街道 街道 所属街道 所属镇 镇街 所属镇街 乡镇工会 所属乡镇工会"
)
FIELDS: dict[str, ImportField] = {
    f.key: f
    for f in [
        # The enterprise of an enterprise sheet's row (the template, or the clerks' roster).
        _field(
            "ent.name",
            _("Enterprise name"),
            "text",
            E,
            "企业名称 单位名称 企业全称 单位全称 企业单位名称 企业名 用人单位名称 用人单位",
        ),
        _field(
            "ent.credit_code",
            _("Enterprise credit code"),
            "code",
            E,
            "统一社会信用代码 信用代码 社会信用代码 统一信用代码 企业统一社会信用代码 企业信用代码 "
            "企业社会信用代码",
        ),
        _field("ent.federation", _("Township or park"), "township", E, _TOWNSHIP),
        _field(
            "ent.ownership",
            _("Ownership type"),
            "choice",
            E,
            "经济类型 所有制 所有制类型 所有制形式 登记注册类型 注册类型 企业类型 经济性质 "
            "企业性质 经济成分",
        ),
        _field(
            "ent.industry",
            _("Industry section"),
            "choice",
            E,
            "行业 行业门类 所属行业 行业类别 行业分类 国民经济行业 国民经济行业分类 所属行业门类",
        ),
        _field(
            "ent.headcount",
            _("Employees"),
            "int",
            E,
            "职工人数 从业人员 从业人数 从业人员数 员工人数 职工总数 职工数 在岗职工人数 用工人数 "
            "从业人员人数",
        ),
        _field(
            "ent.women_headcount",
            _("Women employees"),
            "int",
            E,
            "女职工人数 女职工数 其中女职工 女职工 其中女职工人数",
        ),
        _field(
            "ent.address",
            _("Enterprise address"),
            "text",
            E,
            "地址 企业地址 单位地址 注册地址 经营地址 企业住所 住所 详细地址",
        ),
        _field(
            "ent.operating_status",
            _("Operating status"),
            "choice",
            E,
            "经营状态 企业状态 生产状态 经营情况 生产经营状态 生产经营情况 状态",
        ),
        # The union: on a roster row with its enterprise, or a row of a union sheet.
        _field(
            "union.name",
            _("Union name"),
            "text",
            EU,
            "工会名称 工会全称 基层工会名称 工会组织名称 企业工会名称",
        ),
        _field(
            "union.credit_code",
            _("Union credit code"),
            "code",
            EU,
            "工会信用代码 工会统一社会信用代码 工会社会信用代码 工会法人统一社会信用代码 "
            "工会法人信用代码 工会代码",
            union="统一社会信用代码 信用代码 社会信用代码",
        ),
        _field("union.kind", _("Union kind"), "choice", EU, "工会类型 工会类别 建会形式 建会方式"),
        _field(
            "union.founded_on",
            _("Union founded on"),
            "date",
            EU,
            "成立日期 建会时间 建会日期 工会成立日期 工会成立时间 成立时间 组建时间 组建日期",
        ),
        _field(
            "union.member_count",
            _("Members"),
            "int",
            EU,
            "会员人数 会员数 工会会员人数 会员总数 工会会员数",
        ),
        _field(
            "union.women_member_count",
            _("Women members"),
            "int",
            EU,
            "女会员人数 女会员数 其中女会员 女会员 其中女会员人数",
        ),
        _field(
            "union.office_address",
            _("Union office address"),
            "text",
            EU,
            "工会办公地址 办公地址 工会地址 工会办公场所",
        ),
        _field(
            "union.office_phone",
            _("Union office phone"),
            "phone",
            EU,
            "办公电话 工会办公电话 工会电话 工会联系电话",
        ),
        _field(
            "union.term_start",
            _("Term started on"),
            "date",
            EU,
            "换届时间 本届任期开始 任期开始 换届日期 本届换届时间 任期开始时间 任期开始日期 "
            "届期开始 本届任期开始时间 最近换届时间 本届选举时间",
        ),
        _field(
            "union.term_years",
            _("Term length in years"),
            "years",
            EU,
            "任期年限 每届任期年限 任期年数 届期年限",
        ),
        _field(
            "union.has_audit_committee",
            _("Audit committee formed"),
            "bool",
            EU,
            "经审会 是否成立经审会 经费审查委员会 经审委员会 是否建立经审会",
        ),
        _field(
            "union.has_women_committee",
            _("Women workers' committee formed"),
            "bool",
            EU,
            "女职委 是否成立女职委 女职工委员会 是否建立女职委",
        ),
        _field("union.federation", _("Township or park"), "township", U, _TOWNSHIP),
        _field(
            "union.enterprises",
            _("Credit codes of the enterprises covered"),
            "codes",
            U,
            "企业统一社会信用代码 企业信用代码 所属企业信用代码 所属企业统一社会信用代码 "
            "覆盖企业信用代码 覆盖企业统一社会信用代码 企业社会信用代码",
        ),
        # The union's chair, on the same row as the union.
        _field(
            "chair.name",
            _("Chair's name"),
            "text",
            EU,
            "主席姓名 工会主席 主席 工会主席姓名 姓名",
        ),
        _field("chair.gender", _("Chair's gender"), "choice", EU, "性别 主席性别"),
        _field(
            "chair.mobile",
            _("Chair's mobile"),
            "mobile",
            EU,
            "主席手机 主席电话 手机号码 主席手机号码 主席手机号 手机 手机号 主席联系电话 移动电话",
        ),
        _field("chair.office_phone", _("Chair's office phone"), "phone", EU, "主席办公电话"),
        # A row of the cadres sheet: the union (by credit code or name) and one cadre.
        _field(
            "officer.union_code",
            _("Union credit code"),
            "code",
            OF,
            "工会信用代码 工会统一社会信用代码 工会社会信用代码",
        ),
        _field(
            "officer.enterprise_code",
            _("Enterprise credit code"),
            "code",
            OF,
            "企业统一社会信用代码 企业信用代码 统一社会信用代码 信用代码 社会信用代码",
        ),
        _field("officer.union_name", _("Union name"), "text", OF, "工会名称 所在工会 所属工会"),
        _field("cadre.name", _("Name"), "text", OF, "姓名 干部姓名 名字 工会干部姓名"),
        _field("cadre.gender", _("Gender"), "choice", OF, "性别"),
        _field(
            "officer.position",
            _("Position"),
            "choice",
            OF,
            "职务 工会职务 担任职务 现任职务 工会任职",
        ),
        _field("cadre.mobile", _("Mobile"), "mobile", OF, "手机 手机号码 手机号 移动电话"),
        _field("cadre.office_phone", _("Office phone"), "phone", OF, "办公电话 座机"),
        _field(
            "officer.term_start",
            _("Term starts"),
            "date",
            OF,
            "任期开始 任职时间 任职日期 任期开始时间 任期开始日期 本届任期开始 任职开始时间",
        ),
        _field(
            "officer.term_end",
            _("Term ends"),
            "date",
            OF,
            "任期结束 任期届满 任期结束时间 任期结束日期 任期届满时间",
        ),
        _field("officer.is_full_time", _("Full-time"), "bool", OF, "是否专职 专兼职 专职 专职兼职"),
    ]
}
IGNORED_HEADERS = {text_key(h) for h in ("序号", "编号", "备注", "说明", "填表说明", "序", "No")}
# Columns without which a sheet of that kind cannot be read at all.
REQUIRED_COLUMNS = {
    ENTERPRISE: ("ent.name", "ent.credit_code", "ent.ownership", "ent.industry"),
    UNION: ("union.name",),
    OFFICER: ("cadre.name", "officer.position"),
}
# The sheet titles of the downloadable template.
TEMPLATE_SHEETS = {ENTERPRISE: "企业", UNION: "工会", OFFICER: "工会干部"}


def field_choices_for(kind: str) -> list[tuple[str, str]]:
    """The fields a column of a sheet of this kind may be mapped to, for the mapping step."""
    return [(f.key, str(f.label)) for f in FIELDS.values() if kind in f.sheet_kinds]


def _alias_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS.values():
        if kind not in spec.sheet_kinds:
            continue
        aliases = list(spec.aliases)
        for extra_kind, extra in spec.kind_aliases:
            if extra_kind == kind:
                aliases = list(extra) + aliases
        for alias in aliases:
            key = text_key(alias)
            if index.setdefault(key, spec.key) != spec.key:
                raise AssertionError(f"{alias} names two fields on {kind} sheets")
    return index


ALIASES = {kind: _alias_index(kind) for kind in SHEET_KINDS}


@cache
def _label_index(kind: str) -> dict[str, str]:
    """Field labels in every configured language, as further header aliases."""
    index: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for spec in FIELDS.values():
                if kind in spec.sheet_kinds:
                    index.setdefault(text_key(str(spec.label)), spec.key)
    return index


def _match_header(kind: str, header: object) -> str | None:
    for key in header_keys(header):
        found = ALIASES[kind].get(key) or _label_index(kind).get(key)
        if found:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Sheets: header row, kind, columns


@dataclass
class SheetLayout:
    """Where a sheet's header is, what kind of rows it holds and which column is which."""

    title: str
    kind: str | None
    header_row: int = 0
    columns: dict[int, str] = field(default_factory=dict)  # column number (1-based) → field
    headers: dict[int, str] = field(default_factory=dict)  # column number → header as written
    unknown: list[tuple[int, str]] = field(default_factory=list)  # unrecognised, unmapped
    duplicates: list[tuple[int, str]] = field(default_factory=list)

    def column_of(self, key: str) -> int | None:
        for column, found in self.columns.items():
            if found == key:
                return column
        return None

    def header_for(self, key: str) -> str:
        column = self.column_of(key)
        return self.headers[column] if column else str(FIELDS[key].label)


def _find_header(sheet: Sheet) -> tuple[int, tuple] | None:
    for number, values in sheet.rows:
        if number > HEADER_SCAN_ROWS:
            break
        matches = {
            kind: sum(1 for value in values if value is not None and _match_header(kind, value))
            for kind in SHEET_KINDS
        }
        if max(matches.values()) >= HEADER_MIN_MATCHES:
            return number, values
    return None


def analyse_sheet(sheet: Sheet, mapping: dict[str, str] | None = None) -> SheetLayout:
    """Find the header row and the kind of a sheet, and map its columns.

    `mapping` holds the user's choices for unrecognised columns: {column number: field or ""}.
    """
    mapping = mapping or {}
    found = _find_header(sheet)
    if found is None:
        return SheetLayout(title=sheet.title, kind=None)
    number, values = found
    matched = {kind: {_match_header(kind, value) for value in values} for kind in SHEET_KINDS}
    if "ent.name" in matched[ENTERPRISE]:
        kind = ENTERPRISE
    elif "cadre.name" in matched[OFFICER]:
        kind = OFFICER
    elif "union.name" in matched[UNION]:
        kind = UNION
    else:
        return SheetLayout(title=sheet.title, kind=None, header_row=number)
    layout = SheetLayout(title=sheet.title, kind=kind, header_row=number)
    allowed = {key for key, _label in field_choices_for(kind)}
    for column, value in enumerate(values, start=1):
        header = _to_header_text(value)
        if not header:
            continue
        layout.headers[column] = header
        key = _match_header(kind, value)
        chosen = mapping.get(str(column))
        if chosen is not None:  # the user's choice wins; "" means ignore
            key = chosen if chosen in allowed else None
            if not key:
                continue
        elif key is None:
            if text_key(header) not in IGNORED_HEADERS:
                layout.unknown.append((column, header))
            continue
        if key in layout.columns.values():
            layout.duplicates.append((column, header))
            continue
        layout.columns[column] = key
    return layout


def _to_header_text(value: Any) -> str:
    if value is None or isinstance(value, Formula):
        return ""
    return clean_text(value)


def inspect_workbook(*, file: IO[bytes]) -> list[SheetLayout]:
    """Read only the top of each sheet: its kind, columns and the unrecognised headers."""
    sheets = read_xlsx(file, scan_rows=HEADER_SCAN_ROWS)
    return [analyse_sheet(sheet) for sheet in sheets]
