"""Cell values as the models want them: text, numbers, dates, codes, phones and choices.

Full-width digits and stray spaces are folded (clean_text); dates are read from Excel date
cells, date serials and the usual ways of writing a date as text; choices accept their codes,
explicit Chinese aliases (either script) and the translated labels of the model's choices.
"""

import datetime
import re
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from shuangliang.core.text import clean_text
from shuangliang.core.xlsx import Formula, excel_serial_to_date
from shuangliang.register.validators import has_unusable_character

from ..models import IndustrySection, OperatingStatus, Ownership, Person, Position, Union
from ..validators import normalise_credit_code
from .columns import ImportField, text_key

# Explicit aliases in Simplified script (Traditional input is converted before matching).
_CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "ownership": {
        Ownership.STATE_OWNED: "国有 国有企业 国企 国有独资 国有控股 国有独资公司 国有控股企业 "
        "国有经济 全民所有制 全民",
        Ownership.COLLECTIVE: "集体 集体企业 集体所有制 集体经济",
        Ownership.JOINT_STOCK_COOPERATIVE: "股份合作 股份合作企业 股份合作制 股份合作制企业",
        Ownership.LIMITED_LIABILITY: "有限责任公司 有限责任 有限公司 其他有限责任公司",
        Ownership.JOINT_STOCK: "股份有限公司 股份有限 股份公司 股份制 股份制企业",
        Ownership.PRIVATE: "私营 私营企业 民营 民营企业 私企 私人企业 私营有限责任公司 "
        "私营独资企业 私营合伙企业 私营股份有限公司",
        Ownership.INDIVIDUAL: "个体 个体工商户 个体户 个体经营 个体经济",
        Ownership.HMT_INVESTED: "港澳台 港澳台投资 港澳台商投资 港澳台商投资企业 港澳台投资企业 "
        "港澳台资 港资 台资 澳资",
        Ownership.FOREIGN_INVESTED: "外资 外商投资 外商投资企业 外资企业 外商独资 外商独资企业 "
        "中外合资 中外合资经营企业 中外合作 中外合作经营企业",
        Ownership.OTHER: "其他 其它 其他企业",
    },
    "industry": {  # GB/T 4754-2017 section names, then common short forms
        IndustrySection.A: "农林牧渔业 农业 林业 畜牧业 渔业 农林牧渔",
        IndustrySection.B: "采矿业 采矿 矿业",
        IndustrySection.C: "制造业 制造 工业",
        IndustrySection.D: "电力热力燃气及水生产和供应业 电力 燃气 供水 供电",
        IndustrySection.E: "建筑业 建筑",
        IndustrySection.F: "批发和零售业 批发零售 批发 零售 商贸 批发零售业",
        IndustrySection.G: "交通运输仓储和邮政业 交通运输 物流 仓储 邮政 运输",
        IndustrySection.H: "住宿和餐饮业 住宿餐饮 餐饮 住宿 酒店",
        IndustrySection.I: "信息传输软件和信息技术服务业 信息技术 软件 互联网 电信",
        IndustrySection.J: "金融业 金融 银行 保险",
        IndustrySection.K: "房地产业 房地产 物业",
        IndustrySection.L: "租赁和商务服务业 商务服务 租赁",
        IndustrySection.M: "科学研究和技术服务业 科研 技术服务 科学研究",
        IndustrySection.N: "水利环境和公共设施管理业 水利 环境 公共设施管理",
        IndustrySection.O: "居民服务修理和其他服务业 居民服务 修理 家政",
        IndustrySection.P: "教育",
        IndustrySection.Q: "卫生和社会工作 卫生 医疗 医药卫生 社会工作",
        IndustrySection.R: "文化体育和娱乐业 文化 体育 娱乐 文化体育娱乐",
        IndustrySection.S: "公共管理社会保障和社会组织 公共管理 社会组织",
        IndustrySection.T: "国际组织",
    },
    "operating_status": {
        OperatingStatus.IN_PRODUCTION: "在产 投产 在营 正常 正常经营 正常生产 生产 在业 存续 "
        "营业 开业 在产在营 生产经营 已投产 经营",
        OperatingStatus.UNDER_CONSTRUCTION: "在建 筹建 建设中 基建 未投产 筹建中",
        OperatingStatus.SUSPENDED: "停产 半停产 停业 歇业 停产停业 暂停营业 停工",
        OperatingStatus.CLOSED: "关闭 注销 吊销 倒闭 破产 关停 已注销 已关闭 已吊销",
    },
    "kind": {
        Union.Kind.SINGLE: "单独 单独建会 企业工会 独立建会 单建 单独组建 基层工会 独立",
        Union.Kind.JOINT: "联合 联合基层工会 联合建会 联建 联合工会 区域联合 联合组建",
        Union.Kind.PARK: "园区 园区工会 园区工会联合会",
        Union.Kind.INDUSTRY: "行业 行业工会 行业工会联合会",
    },
    "gender": {
        Person.Gender.FEMALE: "女 女性 f",
        Person.Gender.MALE: "男 男性 m",
    },
    "position": {
        Position.CHAIR: "主席 工会主席 专职主席 兼职主席",
        Position.VICE_CHAIR: "副主席 常务副主席 工会副主席 专职副主席",
        Position.COMMITTEE_MEMBER: "委员 工会委员 委员会委员 工会委员会委员 常委",
        Position.AUDIT_COMMITTEE: "经审委员 经审会委员 经费审查委员 经审主任 经审委员会主任 "
        "经审会主任 经费审查委员会委员 经费审查委员会主任",
        Position.WOMEN_COMMITTEE: "女职委委员 女职委主任 女职工委员会委员 女职工委员会主任 女职委",
    },
}
_CHOICE_MODELS = {
    "ownership": Ownership,
    "industry": IndustrySection,
    "operating_status": OperatingStatus,
    "kind": Union.Kind,
    "gender": Person.Gender,
    "position": Position,
}
_TRUE = "是 有 已成立 已建 已建立 成立 建立 √ ✓ ✔ y yes true 1 专职 已"
_FALSE = "否 无 未成立 未建 未建立 没有 × ✗ ✘ n no false 0 兼职 未"
_BOOLEANS = {text_key(v): True for v in _TRUE.split()} | {
    text_key(v): False for v in _FALSE.split()
}
_YEARS = {"3": 3, "三": 3, "5": 5, "五": 5}


@cache
def _choice_index(name: str) -> dict[str, str]:
    choices = _CHOICE_MODELS[name]
    index = {text_key(value): value for value in choices.values}
    for value, aliases in _CHOICE_ALIASES[name].items():
        for alias in aliases.split():
            index.setdefault(text_key(alias), value)
            if name == "industry":  # "C制造业", "C 制造业"
                index.setdefault(text_key(value + alias), value)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                index.setdefault(text_key(str(label)), value)
    return index


class CellError(Exception):
    """A cell's content cannot be used; the message is for the clerk."""


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_NUMBER = re.compile(r"^(\d+)(?:\.0+)?(?:人|名|个)?$")
CODE_SPLIT = re.compile(r"[,，、;；/\s]+")


def _to_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    text = clean_text(raw)
    if has_unusable_character(text):
        raise CellError(
            _("The text contains an emoji, a symbol or a control character that cannot be used.")
        )
    return text


def _to_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(_("Enter a whole number."))
    text = clean_text(raw).replace(",", "").replace(" ", "")
    negative = text.startswith("-")
    match = _NUMBER.match(text.lstrip("-"))
    if not match:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text[:40]})
    return -int(match.group(1)) if negative else int(match.group(1))


def _to_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int) and 1900_01_01 <= raw <= 2100_12_31:  # 20210501 typed as a number
        raw = str(raw)
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        day = excel_serial_to_date(raw)
        if day is None:
            raise CellError(_("%(value)s is not a date.") % {"value": raw})
        return day
    text = clean_text(raw).replace(" ", "")
    if text.isdigit() and len(text) == 5:  # a date serial stored as text
        day = excel_serial_to_date(int(text))
        if day is not None:
            return day
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            break
    else:
        match = _MONTH_PATTERN.match(text)
        if not match:
            raise CellError(
                _("“%(value)s” is not a date; write it like 2021-05-01.") % {"value": text[:40]}
            )
        year, month, day = int(match.group(1)), int(match.group(2)), 1
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s” is not a valid date.") % {"value": text[:40]})
    if not 1900 <= result.year <= 2100:
        raise CellError(_("“%(value)s” is not a valid date.") % {"value": text[:40]})
    return result


def _to_code(raw: Any) -> str:
    if isinstance(raw, float):
        raise CellError(
            _(
                "The credit code was stored as a number and has lost digits; format the column "
                "as text and enter the code again."
            )
        )
    return normalise_credit_code(_to_text(raw))


def _to_phone(raw: Any, *, mobile: bool) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            raise CellError(_("Enter the phone number as text."))
        raw = str(int(raw))
    phone = _to_text(raw).replace(" ", "")
    if mobile:
        phone = phone.replace("-", "").removeprefix("+86")
    return phone


def convert(spec: ImportField, raw: Any) -> Any:
    """A cell's value as the model wants it, or None for an empty cell; CellError if unusable."""
    if isinstance(raw, Formula):
        raise CellError(
            _("The cell holds a formula (%(formula)s); type the value itself instead.")
            % {"formula": raw.text[:40]}
        )
    if raw is None or (isinstance(raw, str) and not clean_text(raw)):
        return None
    kind = spec.value_type
    if kind in {"text", "township"}:
        return _to_text(raw)
    if kind == "code":
        return _to_code(raw)
    if kind == "codes":
        if isinstance(raw, float):
            return [_to_code(raw)]
        return [normalise_credit_code(p) for p in CODE_SPLIT.split(_to_text(raw)) if p]
    if kind == "int":
        return _to_int(raw)
    if kind == "years":
        text = text_key(_to_text(raw)).removesuffix("年")
        if text not in _YEARS:
            raise CellError(_("A union's term is 3 or 5 years."))
        return _YEARS[text]
    if kind == "date":
        return _to_date(raw)
    if kind == "bool":
        key = text_key(raw if isinstance(raw, str) else _to_text(raw))
        if key not in _BOOLEANS:
            raise CellError(_("Write 是 or 否 (yes or no)."))
        return _BOOLEANS[key]
    if kind in {"phone", "mobile"}:
        return _to_phone(raw, mobile=kind == "mobile")
    if kind == "choice":
        text = _to_text(raw)
        value = _choice_index(spec.key.split(".", 1)[1]).get(text_key(text))
        if value is None:
            raise CellError(
                _("“%(value)s” is not a recognised value for %(field)s.")
                % {"value": text[:40], "field": spec.label}
            )
        return value
    raise AssertionError(kind)
