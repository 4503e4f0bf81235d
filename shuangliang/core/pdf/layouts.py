"""The shipped layouts and sheets: signboards, badges, contact cards and posters.

All measures are millimetres (type in points). Fixed labels are lazy translations, so a
layout prints in whatever language `render()` is asked for.
"""

from django.utils.translation import gettext_lazy as _

from .elements import QR, Box, Image, Layout, Line, Repeat, Sheet, Stack, Text

RED = "#c8102e"
INK = "#1a1a1a"
GREY = "#666666"
PALE_RED = "#fbe9eb"
WHITE = "#ffffff"

# Signboards (工会牌子): the union's name in large characters and a QR code to its
# public page. Real plaques come in several sizes; `Layout.scaled()` makes any of them.
SIGNBOARD_HORIZONTAL = Layout(
    name="signboard-horizontal",
    width=600,
    height=400,
    elements=(
        Box(x=12, y=12, w=576, h=376, stroke=RED, width=3),
        Box(x=20, y=20, w=560, h=360, stroke=RED, width=0.8),
        Text(
            key="union.name",
            x=45,
            y=55,
            w=510,
            h=215,
            size=230,
            min_size=60,
            max_lines=2,
            line_height=1.3,
            align="center",
            valign="middle",
            color=INK,
            bold=True,
        ),
        Line(x1=45, y1=285, x2=555, y2=285, width=0.8, color=RED),
        QR(key="qr.url", x=465, y=292, size=80),
        Text(
            label=_("Scan for this union's public page"),
            x=45,
            y=330,
            w=405,
            h=20,
            size=40,
            align="right",
            valign="middle",
            color=GREY,
        ),
    ),
)

SIGNBOARD_VERTICAL = Layout(
    name="signboard-vertical",
    width=400,
    height=600,
    elements=(
        Box(x=12, y=12, w=376, h=576, stroke=RED, width=3),
        Box(x=20, y=20, w=360, h=560, stroke=RED, width=0.8),
        Text(
            key="union.name",
            x=60,
            y=40,
            w=280,
            h=440,
            size=260,
            min_size=40,
            max_lines=2,
            align="center",
            valign="middle",
            color=INK,
            bold=True,
            vertical=True,
        ),
        QR(key="qr.url", x=165, y=490, size=70),
        Text(
            label=_("Scan for this union's public page"),
            x=40,
            y=561,
            w=320,
            h=12,
            size=22,
            align="center",
            valign="middle",
            color=GREY,
        ),
    ),
)

# Badge (工作牌, 戴牌上崗): ID-1 card size, worn on duty.
BADGE = Layout(
    name="badge",
    width=85.6,
    height=54,
    elements=(
        Box(x=0, y=0, w=85.6, h=11, fill=RED),
        Text(
            key="union.name",
            x=4,
            y=1,
            w=77.6,
            h=9,
            size=11,
            min_size=6,
            max_lines=2,
            line_height=1.15,
            align="center",
            valign="middle",
            color=WHITE,
            bold=True,
        ),
        Image(key="person.photo", x=4, y=14, w=22, h=29.3, frame="#bbbbbb"),
        Text(key="person.name", x=30, y=14, w=51.6, h=9, size=20, min_size=9, bold=True),
        Text(key="officer.position", x=30, y=24, w=34, h=6, size=10, min_size=6, color=RED),
        Text(
            key="officer.term",
            template=_("Term until %(value)s"),
            x=30,
            y=31,
            w=34,
            h=5,
            size=7,
            min_size=5,
            color=GREY,
        ),
        QR(key="qr.url", x=66, y=29, size=17),
        Text(
            label=_("Scan to verify"),
            x=62,
            y=46.2,
            w=23.6,
            h=3.5,
            size=5.5,
            align="center",
            color=GREY,
        ),
        Line(x1=4, y1=45.5, x2=60, y2=45.5, width=0.3, color=RED),
        Text(
            label=_("Union cadre on duty"),
            x=4,
            y=46.5,
            w=56,
            h=5,
            size=8,
            min_size=5,
            color=RED,
            bold=True,
        ),
    ),
)

# Contact card (服務職工聯絡卡): business-card size, handed out to workers.
CONTACT_CARD = Layout(
    name="contact-card",
    width=90,
    height=54,
    elements=(
        Text(key="person.name", x=6, y=5, w=52, h=8, size=17, min_size=9, bold=True),
        Text(key="officer.position", x=6, y=13.5, w=52, h=5, size=9, min_size=6, color=RED),
        Text(
            key="union.name",
            x=6,
            y=19,
            w=56,
            h=7,
            size=7.5,
            min_size=5,
            max_lines=2,
            line_height=1.2,
            color=INK,
        ),
        Stack(
            x=6,
            y=27.5,
            w=56,
            gap=0.6,
            items=(
                Text(key="person.mobile", template=_("Mobile: %(value)s"), h=3.6, size=7),
                Text(
                    key="person.office_phone",
                    template=_("Office phone: %(value)s"),
                    h=3.6,
                    size=7,
                ),
                Text(
                    key="person.office_address",
                    template=_("Office: %(value)s"),
                    h=6.6,
                    size=7,
                    min_size=5,
                    max_lines=2,
                    line_height=1.2,
                ),
            ),
        ),
        QR(key="qr.url", x=66, y=5, size=20),
        Text(label=_("Scan to verify"), x=63, y=25.5, w=26, h=3.5, size=5.5, align="center"),
        Box(x=0, y=43, w=90, h=11, fill=PALE_RED),
        Text(
            label=_("Service promise"),
            x=4,
            y=44,
            w=16,
            h=9,
            size=7,
            min_size=5,
            max_lines=2,
            valign="middle",
            color=RED,
            bold=True,
        ),
        Text(
            key="service_promise",
            x=21,
            y=44,
            w=65,
            h=9,
            size=6.5,
            min_size=4.5,
            max_lines=3,
            line_height=1.2,
            valign="middle",
            color=INK,
        ),
    ),
)

# Notice-board poster (公示欄): every cadre of a union, or of a federation, with photo.
_POSTER_CELL = (
    Box(x=2, y=2, w=59.3, h=64, stroke="#dddddd", width=0.3),
    Image(key="person.photo", x=19.15, y=5, w=25, h=33.3, frame="#cccccc"),
    Text(
        key="person.name",
        x=4,
        y=40,
        w=55.3,
        h=8,
        size=15,
        min_size=8,
        align="center",
        bold=True,
    ),
    Text(
        key="officer.position",
        x=4,
        y=48.5,
        w=55.3,
        h=6,
        size=10,
        min_size=6,
        align="center",
        color=RED,
    ),
    Text(
        key="person.phone",
        template=_("Phone: %(value)s"),
        x=4,
        y=55.5,
        w=55.3,
        h=5,
        size=9,
        min_size=6,
        align="center",
    ),
)

POSTER_A4 = Layout(
    name="poster-a4",
    width=210,
    height=297,
    elements=(
        Box(x=0, y=0, w=210, h=34, fill=RED),
        Text(
            key="org.name",
            x=12,
            y=5,
            w=186,
            h=14,
            size=24,
            min_size=10,
            align="center",
            valign="middle",
            color=WHITE,
            bold=True,
        ),
        Text(
            label=_("Public notice of union cadres"),
            x=12,
            y=20,
            w=186,
            h=10,
            size=16,
            align="center",
            valign="middle",
            color=WHITE,
        ),
        Repeat(key="cadres", x=10, y=40, w=190, h=204, columns=3, rows=3, cell=_POSTER_CELL),
        Line(x1=10, y1=250, x2=200, y2=250, width=0.5, color=RED),
        Stack(
            x=12,
            y=255,
            w=140,
            gap=1.5,
            items=(
                Text(
                    key="org.office_address",
                    template=_("Office address: %(value)s"),
                    h=10,
                    size=11,
                    min_size=7,
                    max_lines=2,
                    line_height=1.2,
                ),
                Text(
                    key="org.office_phone",
                    template=_("Office phone: %(value)s"),
                    h=5,
                    size=11,
                    min_size=7,
                ),
                Text(
                    label=_("Scan the code to see this page online or to raise a concern."),
                    h=9,
                    size=9,
                    min_size=6,
                    max_lines=2,
                    line_height=1.2,
                    color=GREY,
                ),
            ),
        ),
        QR(key="qr.url", x=163, y=253, size=37),
    ),
)

POSTER_A3 = POSTER_A4.scaled(297, 420, name="poster-a3")

# Sheets for n-up printing.
A4_CARDS_10UP = Sheet(name="a4-10up", width=210, height=297, columns=2, rows=5)
A4_BADGES_8UP = Sheet(name="a4-8up", width=210, height=297, columns=2, rows=4, gap_x=6, gap_y=6)

SIGNBOARDS = {"horizontal": SIGNBOARD_HORIZONTAL, "vertical": SIGNBOARD_VERTICAL}
POSTERS = {"A4": POSTER_A4, "A3": POSTER_A3}
