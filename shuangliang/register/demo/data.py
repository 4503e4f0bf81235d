"""The fixed tables the demo county is drawn from: places, names, trades and shares."""

from shuangliang.register.models import ContractStep, IndustrySection, Ownership, Person

SEED = 20120601
DEMO_PASSWORD = "shuangliang-demo"
COUNTY_CODE = "999001"
PARK_CODE = "999001009"
CHAIR_TOWNSHIP_CODE = "999001001"
EXPECTED_FIGURES = {
    "enterprises_operating": 141,
    "unions_founded": 138,
    "three_contracts_signed": 127,
}
DEMO_USERNAMES = ("admin", "county", "leader", "township", "cadre", "chair")

# The tree above the places: (division code, name, level, parent code).
UPPER_FEDERATIONS = (
    ("990000", "示範省總工會", "province", None),
    ("999000", "示範市總工會", "city", "990000"),
    (COUNTY_CODE, "示範縣總工會", "county", "999000"),
)

# fmt: off
# (division code, name, simplified name, short prefix, operating, not operating, roads).
# The park has the most enterprises; operating counts add up to 141, the others to 14.
PLACES = (
    ("999001001", "城關鎮", "城关镇", "城关", 22, 2, ("人民路", "建设路", "解放街", "新华路")),
    ("999001002", "東湖鎮", "东湖镇", "东湖", 18, 2, ("湖滨路", "东湖大道", "渔港路")),
    ("999001003", "西山鄉", "西山乡", "西山", 8, 1, ("山前路", "茶园路")),
    ("999001004", "南港鎮", "南港镇", "南港", 15, 1, ("港口路", "南港大道", "滨江路")),
    ("999001005", "北橋鎮", "北桥镇", "北桥", 11, 1, ("北桥街", "兴业路")),
    ("999001006", "青石鎮", "青石镇", "青石", 9, 1, ("青石路", "矿山路")),
    ("999001007", "白沙鄉", "白沙乡", "白沙", 6, 1, ("白沙路", "沙洲路")),
    ("999001008", "河口街道", "河口街道", "河口", 14, 1, ("河口路", "商贸街", "文化路")),
    (PARK_CODE, "示範縣工業園區", "工业园区", "", 38, 4, ("创业大道", "工业大道", "科技路")),
)

BRANDS = (
    "宏达", "华丰", "鑫源", "恒泰", "金鼎", "永兴", "联创", "盛世", "天润", "德隆",
    "瑞丰", "新华", "东方", "利民", "嘉禾", "富康", "兴业", "远航", "明珠", "万通",
    "百盛", "凯达", "精诚", "国泰", "顺发", "昌盛", "佳美", "绿源", "祥和", "荣达",
    "永利", "博远", "华美", "同心", "金诚", "鸿运", "通达", "信诚", "丰源", "锦绣",
    "长兴", "汇通", "惠民", "振华", "立信", "康达", "圣泰", "中天", "广源", "宏图",
)

# Trades by GB/T 4754 section, each with the usual share of women in its workforce.
TRADES = {
    IndustrySection.C: (
        ("机械制造", 0.2), ("纺织", 0.65), ("服装", 0.75), ("电子科技", 0.55), ("食品", 0.55),
        ("塑料制品", 0.4), ("五金制品", 0.25), ("新型建材", 0.15), ("精细化工", 0.25),
        ("家具", 0.3), ("汽车配件", 0.2), ("包装材料", 0.4), ("印染", 0.45), ("鞋业", 0.65),
        ("陶瓷", 0.35), ("木业", 0.25), ("电器", 0.45), ("医疗器械", 0.5), ("新材料", 0.25),
        ("光电科技", 0.5), ("农产品加工", 0.5), ("茶业", 0.6), ("制药", 0.5),
        ("钢结构", 0.1), ("纸业", 0.3), ("线缆", 0.3),
    ),
    IndustrySection.F: (("商贸", 0.5), ("百货", 0.65), ("农资", 0.35), ("医药连锁", 0.7)),
    IndustrySection.G: (("物流", 0.2), ("运输", 0.1), ("仓储", 0.25)),
    IndustrySection.H: (("酒店", 0.65), ("餐饮管理", 0.6)),
    IndustrySection.E: (("建筑工程", 0.1), ("路桥工程", 0.08), ("装饰工程", 0.15)),
    IndustrySection.I: (("网络科技", 0.35), ("信息技术", 0.4)),
}
TOWNSHIP_SECTIONS = (
    (IndustrySection.C, 60), (IndustrySection.F, 12), (IndustrySection.G, 8),
    (IndustrySection.H, 8), (IndustrySection.E, 8), (IndustrySection.I, 4),
)
PARK_SECTIONS = ((IndustrySection.C, 90), (IndustrySection.G, 6), (IndustrySection.I, 4))
OWNERSHIPS = (
    (Ownership.PRIVATE, 52), (Ownership.LIMITED_LIABILITY, 26), (Ownership.JOINT_STOCK, 5),
    (Ownership.FOREIGN_INVESTED, 3), (Ownership.HMT_INVESTED, 3),
    (Ownership.STATE_OWNED, 5), (Ownership.COLLECTIVE, 4),
)

# Fixed enterprises that pages, tests and the e2e search rely on; each place's first slots.
# (place, name, ownership, section, headcount)
ANCHORS = (
    (PARK_CODE, "示范县宏达机械制造有限公司", Ownership.PRIVATE, IndustrySection.C, 1260),
    (PARK_CODE, "华丰电子科技（示范）有限公司", Ownership.HMT_INVESTED, IndustrySection.C, 1850),
    ("999001002", "东湖纺织有限公司", Ownership.LIMITED_LIABILITY, IndustrySection.C, 320),
    (CHAIR_TOWNSHIP_CODE, "示范县城关永兴食品有限公司", Ownership.PRIVATE, IndustrySection.C, 186),
)
CHAIR_ENTERPRISE = "示范县城关永兴食品有限公司"
CHAIR_PERSON = ("李", "秀英", Person.Gender.FEMALE)

# Demo accounts: username -> (given name, surname); the chair's name follows CHAIR_PERSON.
ACCOUNT_NAMES = {
    "admin": ("系统管理员", ""),
    "county": ("建华", "陈"),
    "leader": ("国强", "赵"),
    "township": ("丽娟", "刘"),
    "cadre": ("志明", "孙"),
    "chair": (CHAIR_PERSON[1], CHAIR_PERSON[0]),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
)
MALE_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "建国",
    "建华", "志强", "国庆", "海涛", "文斌", "永刚", "德明", "春生", "立新", "俊杰", "宏伟",
    "晓东", "建军", "志明", "国华", "学文", "新民", "卫东", "振宇", "鹏", "浩", "亮", "峰", "波",
)
FEMALE_GIVEN = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "桂英", "玉兰", "秀兰", "丽娟",
    "海燕", "红梅", "雪梅", "晓燕", "春燕", "美玲", "慧敏", "婷婷", "小红", "淑华", "凤英",
    "金凤", "丽华", "翠萍", "彩霞", "玉梅", "晓丽",
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
)

# Days after signing at which a contract reaches each step (offer and talks come before).
STEP_OFFSETS = {
    ContractStep.OFFER: -75, ContractStep.TALKS: -55, ContractStep.CONGRESS_APPROVED: -12,
    ContractStep.SIGNED: 0, ContractStep.SUBMITTED: 6, ContractStep.REVIEWED: 22,
    ContractStep.IN_FORCE: 22, ContractStep.FILED: 35,
}
# fmt: on

COUNTED_KINDS = ("comprehensive", "wage", "women")
# How the unions that fall short of the three contracts fall short: kind -> what it holds
# ("signed", "expired" or a step before signing); a missing kind has no contract at all.
SHORTFALLS = (
    {"comprehensive": "signed", "wage": ContractStep.TALKS},
    {"comprehensive": "signed", "wage": "signed", "women": ContractStep.OFFER},
    {"comprehensive": "signed", "wage": "expired", "women": "signed"},
    {},
    {"comprehensive": "signed", "women": "signed", "wage": ContractStep.CONGRESS_APPROVED},
    {"comprehensive": "expired", "wage": "signed", "women": "signed"},
)
