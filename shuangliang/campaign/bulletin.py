"""The monthly news bulletin (資訊簡報) of a federation as a PDF: the month's published items
and the headline figures, on A4 pages drawn by the one PDF engine (core.pdf).

The layout is data in millimetres; the running text is a `Flow`, so a long month continues
on further pages under the same heading. User text is drawn as plain text only (QUALITY.md
B5, B6). The figures are one call of `stats_summary` for the user and the federation.
"""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuangliang.core.pdf import Flow, FlowStyle, Layout, Line, Text, render
from shuangliang.core.pdf.fields import FIELDS, Field
from shuangliang.register.models import Federation

from .selectors.publicity import news_month_items

RED = "#c8102e"
INK = "#1a1a1a"
GREY = "#666666"
LEFT, WIDTH = 18, 174

for _key, _description in {
    "bulletin.federation": gettext_lazy("Federation that publishes the bulletin"),
    "bulletin.month": gettext_lazy("Month of the bulletin"),
    "bulletin.footer": gettext_lazy("Where the bulletin's figures come from, and when"),
}.items():
    FIELDS.setdefault(_key, Field("text", _description))
FIELDS.setdefault(
    "bulletin.body", Field("list", gettext_lazy("Paragraphs of a bulletin: figures and news"))
)

BULLETIN_STYLES = (
    FlowStyle(name="body", size=10.5, line_height=1.65, space_before=1.2, indent=7.4, color=INK),
    FlowStyle(name="section", size=14, bold=True, color=RED, space_before=7, keep_with_next=True),
    FlowStyle(name="heading", size=12.5, bold=True, color=INK, space_before=6, keep_with_next=True),
    FlowStyle(name="meta", size=9, color=GREY, line_height=1.4, space_before=0.5),
    FlowStyle(name="figure", size=10.5, line_height=1.65, color=INK),
)

BULLETIN_A4 = Layout(
    name="news-bulletin-a4",
    width=210,
    height=297,
    elements=(
        Text(key="bulletin.federation", x=LEFT, y=14, w=WIDTH, h=8, size=12, color=GREY),
        Text(
            label=gettext_lazy("News bulletin"),
            x=LEFT,
            y=22,
            w=110,
            h=14,
            size=24,
            bold=True,
            color=RED,
            valign="middle",
        ),
        Text(
            key="bulletin.month",
            x=LEFT + 110,
            y=22,
            w=WIDTH - 110,
            h=14,
            size=14,
            align="right",
            valign="middle",
            color=INK,
        ),
        Line(x1=LEFT, y1=39, x2=LEFT + WIDTH, y2=39, width=0.8, color=RED),
        Flow(key="bulletin.body", x=LEFT, y=44, w=WIDTH, h=232, styles=BULLETIN_STYLES),
        Line(x1=LEFT, y1=280, x2=LEFT + WIDTH, y2=280, width=0.2, color=GREY),
        Text(key="bulletin.footer", x=LEFT, y=282, w=130, h=6, size=8, max_lines=2, color=GREY),
        Text(
            key="page.number",
            x=LEFT + 130,
            y=282,
            w=WIDTH - 130,
            h=6,
            size=8,
            align="right",
            color=GREY,
        ),
    ),
)


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _figure_lines(figures: dict) -> list[str]:
    return [
        _("Enterprises in production: %(count)s") % {"count": figures["enterprises_operating"]},
        _("Unions founded: %(count)s (founding rate %(rate)s)")
        % {"count": figures["unions_founded"], "rate": _percent(figures["coverage_rate"])},
        _("Three contracts signed: %(count)s (%(rate)s)")
        % {
            "count": figures["three_contracts_signed"],
            "rate": _percent(figures["three_contracts_rate"]),
        },
        _("Unions meeting Double Bright: %(count)s (%(rate)s)")
        % {
            "count": figures["double_bright_compliant"],
            "rate": _percent(figures["double_bright_rate"]),
        },
        _("Visits to enterprises in the last 90 days: %(count)s")
        % {"count": figures.get("visits_last_90_days", 0)},
    ]


def bulletin_record(
    *, federation: Federation, month: datetime.date, items: list, figures: dict
) -> dict:
    """The bulletin's fields for the layout, in the active language."""
    body = [{"style": "section", "text": _("Figures")}]
    body += [{"style": "figure", "text": line} for line in _figure_lines(figures)]
    body.append({"style": "section", "text": _("News of the month")})
    for item in items:
        body.append({"style": "heading", "text": item.title})
        body.append({"style": "meta", "text": date_format(item.published_on, "DATE_FORMAT")})
        body += [{"style": "body", "text": paragraph} for paragraph in item.paragraphs]
    if not items:
        body.append({"style": "body", "text": _("No news was published this month.")})
    today = timezone.localdate()
    return {
        "bulletin.federation": federation.name,
        "bulletin.month": date_format(month, "YEAR_MONTH_FORMAT"),
        "bulletin.footer": _(
            "%(federation)s · figures for the federation and the places under it as of %(date)s"
        )
        % {"federation": federation.name, "date": date_format(today, "DATE_FORMAT")},
        "bulletin.body": body,
    }


def news_bulletin_pdf(
    *, user, federation: Federation, month: datetime.date, language: str | None = None
) -> bytes:
    """The federation's bulletin for the month: its published items and its figures as
    `user` may see them, in `language` (default: the active one)."""
    # The figures' home may move (register → statistics); it is looked up at call time.
    from shuangliang.register.selectors import stats_summary

    language = language or translation.get_language()
    with translation.override(language):
        items = news_month_items(federation=federation, month=month)
        figures = stats_summary(user=user, federation=federation)
        record = bulletin_record(federation=federation, month=month, items=items, figures=figures)
        title = _("News bulletin of %(federation)s, %(month)s") % {
            "federation": federation.name,
            "month": record["bulletin.month"],
        }
        return render(BULLETIN_A4, [record], language=language, title=title)
