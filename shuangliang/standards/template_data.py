"""The templates shipped with the software: the default 九有 (nine items, 100 points) and the
Double Bright (雙亮) checklist. A federation copies one and edits its copy.

Each item: (text, points, mandatory, evidence, judgement, extra options).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TemplateItem:
    text: str
    points: int
    mandatory: bool = False
    evidence: str = "none"
    judgement: str = "yes_no"
    guidance: str = ""
    threshold: int | None = None
    unit: str = ""
    allow_na: bool = False


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    label: object
    sections: tuple[tuple[str, tuple[TemplateItem, ...]], ...]

    @property
    def total_points(self) -> int:
        return sum(item.points for _, items in self.sections for item in items)


NINE_HAVES = Template(
    code="nine_haves",
    name="“九有”基层工会规范化建设标准",
    label=_("The nine haves (九有), 100 points"),
    sections=(
        (
            "组织建设",
            (
                TemplateItem(
                    "有依法选举产生的工会主席",
                    12,
                    mandatory=True,
                    evidence="document",
                    guidance="查看选举结果批复；主席不得由企业行政负责人、合伙人及其近亲属担任。",
                ),
                TemplateItem(
                    "有健全的工会委员会、经费审查委员会和女职工委员会",
                    12,
                    evidence="document",
                    guidance="女职工委员会在有女职工的单位设立。",
                ),
            ),
        ),
        (
            "阵地建设",
            (
                TemplateItem(
                    "有工会牌子和印章",
                    10,
                    evidence="photo",
                    guidance="牌子名称与企业名称一致，悬挂在大门或办公场所醒目位置。",
                ),
                TemplateItem("有工会办公和职工活动场所", 10, evidence="photo"),
            ),
        ),
        (
            "制度建设",
            (
                TemplateItem(
                    "有健全的工作制度（会员代表大会、厂务公开）",
                    12,
                    evidence="document",
                ),
                TemplateItem("有独立的工会经费账户", 10, evidence="document"),
                TemplateItem("有会员名册和工作台账", 10, evidence="document"),
            ),
        ),
        (
            "作用发挥",
            (
                TemplateItem(
                    "有工资集体协商和集体合同",
                    12,
                    mandatory=True,
                    evidence="document",
                    guidance="综合集体合同、工资专项集体合同、女职工权益保护专项集体合同在有效期内。",
                ),
                TemplateItem(
                    "有服务职工的活动，会员满意度达标",
                    12,
                    evidence="number",
                    judgement="number",
                    threshold=80,
                    unit="%",
                    guidance="以随机抽取会员的满意度测评结果为准。",
                ),
            ),
        ),
    ),
)

DOUBLE_BRIGHT = Template(
    code="double_bright",
    name="“双亮”工作检查标准",
    label=_("Double Bright (雙亮) checklist, 100 points"),
    sections=(
        (
            "亮牌子",
            (
                TemplateItem(
                    "工会牌子悬挂到位，名称与企业名称一致",
                    20,
                    mandatory=True,
                    evidence="photo",
                ),
                TemplateItem("工会办公地址在公示栏、企业网站或内网公布", 15, evidence="photo"),
            ),
        ),
        (
            "亮身份",
            (
                TemplateItem(
                    "工会主席、副主席身份在公示栏公开",
                    20,
                    mandatory=True,
                    evidence="photo",
                ),
                TemplateItem("主席、副主席佩戴工作牌上岗，设置桌牌", 15, evidence="photo"),
                TemplateItem(
                    "发放工会服务联络卡",
                    15,
                    evidence="number",
                    judgement="number",
                    threshold=20,
                    unit="张",
                ),
                TemplateItem(
                    "换届或人员变动后及时更新公示信息",
                    15,
                    judgement="scale",
                    allow_na=True,
                    guidance="本年度无人员变动的可选“不适用”。",
                ),
            ),
        ),
    ),
)

TEMPLATES = {t.code: t for t in (NINE_HAVES, DOUBLE_BRIGHT)}
