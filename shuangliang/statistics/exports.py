"""The statistical report as xlsx (through core.exports) and as PDF (a layout as data,
drawn by core.pdf): the same rows and the same total as the page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangliang.core.exports import Exporter
from shuangliang.core.pdf import FIELDS, Layout, Line, Repeat, Text, render
from shuangliang.core.pdf.fields import Field

from . import figures as fig
from .reports import REPORT_COLUMNS, Report, display_value, export_value


class ReportExporter(Exporter):
    """One row per place and a last row with the total."""

    filename_stem = pgettext_lazy("export file name", "Statistical report")
    sheet_title = pgettext_lazy("sheet title", "Report")
    widths = (28,)

    def __init__(self, report: Report):
        self.report = report

    def filename(self, fmt: str) -> str:
        report = self.report
        return f"{self.filename_stem}-{report.federation.division_code}-{report.month:%Y%m}.{fmt}"

    def get_headers(self) -> list[str]:
        headers = [str(_("Township or park"))]
        for figure in self.report.columns:
            label = str(figure.label)
            headers.append(f"{label} (%)" if figure.kind == "rate" else label)
        return headers

    def iter_rows(self):
        for row in [*self.report.rows, self.report.total]:
            values = [row.label]
            for figure in self.report.columns:
                value = None if row.figures is None else row.figures.get(figure.key)
                values.append(export_value(figure, value))
            yield values


# PDF --------------------------------------------------------------------------------------

# The report's fields in the layout registry: a layout names fields, never model attributes.
for _key, _description in {
    "statistics.title": _("Report title: federation and month"),
    "statistics.note": _("Where the report's numbers come from"),
    "statistics.place": _("Place of a report row"),
    **{f"statistics.{key}": _("A figure of a report row") for key in REPORT_COLUMNS},
}.items():
    FIELDS.setdefault(_key, Field("text", _description))
FIELDS.setdefault("statistics.rows", Field("list", _("Rows of a statistical report")))

INK = "#1a1a1a"
GREY = "#666666"
RED = "#c8102e"
PAGE_W, PAGE_H = 297, 210  # A4 landscape
LEFT, PLACE_W = 12, 45
COLUMN_W = (PAGE_W - 2 * LEFT - PLACE_W) / len(REPORT_COLUMNS)
TABLE_TOP, ROW_H, ROWS_PER_PAGE = 42, 7, 21

COLUMN_LABELS = {
    "enterprises_operating": _("Enterprises"),
    "unions_founded": _("Unions founded"),
    "union_members": _("Members"),
    "coverage_rate": _("Founding rate"),
    "three_contracts_signed": _("Three contracts"),
    "three_contracts_rate": _("Three-contract rate"),
    "double_bright_compliant": _("Double Bright"),
    "double_bright_rate": _("Double Bright rate"),
    "standard_compliance_rate": _("Standard compliance"),
    **{key: fig.FIGURES_BY_KEY[key].label for key in fig.GRADE_FIGURE_KEYS},
    "appeals_received": _("Appeals"),
}


def _column_x(index: int) -> float:
    return LEFT + PLACE_W + index * COLUMN_W


def _report_layout() -> Layout:
    header = [
        Text(
            label=_("Township or park"),
            x=LEFT,
            y=TABLE_TOP - 10,
            w=PLACE_W,
            h=9,
            size=9,
            valign="middle",
            color=GREY,
        )
    ]
    cells = [
        Text(key="statistics.place", x=1, y=0, w=PLACE_W - 2, h=ROW_H, size=9, valign="middle")
    ]
    for index, key in enumerate(REPORT_COLUMNS):
        x = _column_x(index)
        header.append(
            Text(
                label=COLUMN_LABELS[key],
                x=x,
                y=TABLE_TOP - 10,
                w=COLUMN_W - 1,
                h=9,
                size=8,
                max_lines=2,
                align="right",
                valign="middle",
                color=GREY,
            )
        )
        cells.append(
            Text(
                key=f"statistics.{key}",
                x=x - LEFT,
                y=0,
                w=COLUMN_W - 1,
                h=ROW_H,
                size=9,
                align="right",
                valign="middle",
            )
        )
    table_right = _column_x(len(REPORT_COLUMNS))
    cells.append(Line(x1=0, y1=ROW_H, x2=table_right - LEFT, y2=ROW_H, width=0.1, color=GREY))
    return Layout(
        name="statistical-report",
        width=PAGE_W,
        height=PAGE_H,
        elements=(
            Text(key="statistics.title", x=LEFT, y=12, w=PAGE_W - 2 * LEFT, h=10, size=16),
            Text(key="statistics.note", x=LEFT, y=22, w=PAGE_W - 2 * LEFT, h=6, size=9, color=GREY),
            *header,
            Line(x1=LEFT, y1=TABLE_TOP, x2=table_right, y2=TABLE_TOP, width=0.4, color=RED),
            Repeat(
                key="statistics.rows",
                x=LEFT,
                y=TABLE_TOP,
                w=table_right - LEFT,
                h=ROW_H * ROWS_PER_PAGE,
                columns=1,
                rows=ROWS_PER_PAGE,
                cell=tuple(cells),
            ),
            Text(
                label=_(
                    "Rates: founding over enterprises in production; contracts and Double "
                    "Bright over unions founded."
                ),
                x=LEFT,
                y=PAGE_H - 14,
                w=PAGE_W - 2 * LEFT,
                h=6,
                size=8,
                color=GREY,
            ),
        ),
    )


REPORT_LAYOUT = _report_layout()


def report_note(report: Report) -> str:
    if report.is_live:
        return str(_("Figures as the register stands on %(day)s.") % {"day": _today_text()})
    if report.derived:
        return str(
            _(
                "Figures of the month as derived from the dates on the records (founding, "
                "signing, confirmation); enterprises are those in production today."
            )
        )
    return str(_("Figures as recorded at the end of the month."))


def _today_text() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def report_title(report: Report) -> str:
    return str(
        _("%(name)s: statistical report for %(month)s")
        % {"name": report.federation.name, "month": f"{report.month:%Y-%m}"}
    )


def report_pdf(report: Report) -> bytes:
    """The report on A4 landscape pages; the total is the table's last row."""
    rows = []
    for row in [*report.rows, report.total]:
        record = {"statistics.place": row.label}
        for figure in report.columns:
            value = None if row.figures is None else row.figures.get(figure.key)
            record[f"statistics.{figure.key}"] = display_value(figure, value)
        rows.append(record)
    record = {
        "statistics.title": report_title(report),
        "statistics.note": report_note(report),
        "statistics.rows": rows,
    }
    return render(REPORT_LAYOUT, [record], title=report_title(report))
