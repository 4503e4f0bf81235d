"""The statistical report per federation and month (a row per township, totals that add up),
the comparison report, and the open-data figures. Numbers come from `figures` (this month)
or from the monthly snapshots (past months), never from a query of their own."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.core.months import month_start
from shuangliang.register.models import Federation

from . import figures as fig
from .snapshots import snapshot_history

# The columns federations exchange upwards, in order.
REPORT_COLUMNS = (
    "enterprises_operating",
    "unions_founded",
    "union_members",
    "coverage_rate",
    "three_contracts_signed",
    "three_contracts_rate",
    "double_bright_compliant",
    "double_bright_rate",
    "standard_compliance_rate",
    *fig.GRADE_FIGURE_KEYS,  # this year's results per grade
    "appeals_received",
)
COMPARED_RATES = (
    "coverage_rate",
    "three_contracts_rate",
    "double_bright_rate",
    "standard_compliance_rate",
    "appeals_on_time_rate",
)


@dataclass
class ReportRow:
    label: str
    figures: dict | None  # None: no snapshot of this place for the month
    federation: Federation | None = None
    is_total: bool = False


@dataclass
class Report:
    federation: Federation
    month: datetime.date
    is_live: bool  # this month: the register as it stands
    derived: bool  # a past month derived from record dates (not taken at the time)
    rows: list[ReportRow]
    total: ReportRow
    columns: tuple[fig.Figure, ...] = field(
        default_factory=lambda: tuple(fig.FIGURES_BY_KEY[key] for key in REPORT_COLUMNS)
    )


def report_months(*, federation: Federation, today: datetime.date | None = None) -> list:
    """The months a report can be asked for: this one and those with a snapshot."""
    from .models import MonthlySnapshot

    current = month_start(today or timezone.localdate())
    past = (
        MonthlySnapshot.objects.filter(federation=federation, month__lt=current)
        .order_by("-month")
        .values_list("month", flat=True)[:60]
    )
    return [current, *past]


def statistical_report(
    *, user, federation: Federation, month: datetime.date | None = None, today=None
) -> Report:
    """A row per child federation (and one for what sits directly under the federation),
    and the total, which is the sum of the rows and equals the federation's own figures."""
    current = month_start(today or timezone.localdate())
    month = month_start(month) if month else current
    if month >= current:
        rows = fig.figures_by(user=user, federation=federation, dimension=fig.PLACE)
        report_rows = [ReportRow(r.label, r.figures, r.federation) for r in rows]
        total = fig.totals(rows)
        return Report(
            federation,
            current,
            True,
            False,
            report_rows,
            ReportRow(str(_("Total")), total, federation, True),
        )
    children = fig.children_of(federation)
    history = snapshot_history(federations=[federation, *children], first=month, last=month)
    node = history[federation.pk].get(month)
    report_rows, derived = [], False
    child_sum: fig.Counts = {}
    for child in children:
        snapshot = history[child.pk].get(month)
        if snapshot is None:
            report_rows.append(ReportRow(child.name, None, child))
            continue
        derived |= snapshot.source == "derived"
        fig.add_counts(child_sum, snapshot.counts)
        report_rows.append(ReportRow(child.name, fig.derive(snapshot.counts), child))
    if node is not None:
        derived |= node.source == "derived"
        remainder = {
            key: (value - (child_sum.get(key) or 0)) if value is not None else None
            for key, value in node.counts.items()
        }
        if any(remainder.values()):
            label = str(_("Directly under %(name)s") % {"name": federation.name})
            report_rows.append(ReportRow(label, fig.derive(remainder), federation))
    counted = [r for r in report_rows if r.figures is not None]
    total: fig.Counts = {}
    for row in counted:
        fig.add_counts(total, {k: v for k, v in row.figures.items() if fig.is_count(k)})
    return Report(
        federation,
        month,
        False,
        derived,
        report_rows,
        ReportRow(str(_("Total")), fig.derive(total) if counted else None, federation, True),
    )


def display_value(figure: fig.Figure, value) -> str:
    """A figure as a report prints it: counts as they are, rates in percent."""
    if value is None:
        return "—"
    if figure.kind == "rate":
        return f"{value * 100:.1f}%"
    return str(value)


def export_value(figure: fig.Figure, value):
    """A figure as a spreadsheet cell: counts as numbers, rates as percent numbers."""
    if value is None:
        return None
    if figure.kind == "rate":
        return round(value * 100, 1)
    return value


# Comparison -------------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    label: str
    rates: list[tuple[float | None, float | None]]  # (value, difference in points)
    federation: Federation | None = None


@dataclass
class Comparison:
    federation: Federation
    keys: tuple[str, ...]
    own: dict
    parent: Federation | None
    parent_overall: dict | None
    sibling_average: dict | None
    sibling_count: int
    children: list[ComparisonRow]

    @property
    def labels(self) -> list[str]:
        return [str(fig.FIGURES_BY_KEY[key].label) for key in self.keys]

    def rows_against_parent(self) -> list[ComparisonRow]:
        rows = [ComparisonRow(self.federation.name, _diffs(self.own, None, self.keys))]
        if self.parent_overall is not None:
            rows.append(
                ComparisonRow(
                    str(_("%(name)s, overall") % {"name": self.parent.name}),
                    _diffs(self.parent_overall, self.own, self.keys, invert=True),
                )
            )
        if self.sibling_average is not None:
            rows.append(
                ComparisonRow(
                    str(
                        _("Average of the %(count)s federations under %(name)s")
                        % {"count": self.sibling_count, "name": self.parent.name}
                    ),
                    _diffs(self.sibling_average, self.own, self.keys, invert=True),
                )
            )
        return rows


def _diffs(figures: dict, against: dict | None, keys, invert: bool = False) -> list:
    out = []
    for key in keys:
        value = figures.get(key)
        other = None if against is None else against.get(key)
        if value is None or other is None:
            out.append((value, None))
            continue
        diff = (other - value) if invert else (value - other)
        out.append((value, round(diff * 100, 1)))
    return out


def comparison_report(*, user, federation: Federation) -> Comparison:
    """This federation against the level above (its overall rates and the plain average of
    its federations), and each federation under it against it. The level above is read as
    aggregate rates only, like open data: no names, no lists, no counts of other subtrees."""
    keys = COMPARED_RATES
    own = fig.headline_figures(user=user, federation=federation)
    parent = federation.parent
    parent_overall = sibling_average = None
    sibling_count = 0
    if parent is not None:
        parent_overall = fig.headline_figures(user=None, federation=parent)
        siblings = [
            r
            for r in fig.figures_by(user=None, federation=parent, dimension=fig.PLACE)
            if not r.is_remainder
        ]
        sibling_count = len(siblings)
        sibling_average = {}
        for key in keys:
            values = [r.figures[key] for r in siblings if r.figures.get(key) is not None]
            sibling_average[key] = round(sum(values) / len(values), 4) if values else None
    children = [
        ComparisonRow(row.label, _diffs(row.figures, own, keys), row.federation)
        for row in fig.figures_by(user=user, federation=federation, dimension=fig.PLACE)
    ]
    return Comparison(
        federation, keys, own, parent, parent_overall, sibling_average, sibling_count, children
    )


# Open data --------------------------------------------------------------------------------

OPEN_DATA_KEYS = (
    "enterprises_operating",
    "unions_founded",
    "coverage_rate",
    "three_contracts_signed",
    "three_contracts_rate",
    "double_bright_compliant",
    "double_bright_rate",
    "union_members",
    "standard_compliance_rate",
    "appeals_received",
    "appeals_on_time_rate",
)


def _threshold() -> int:
    from shuangliang.appeals import conf

    return conf.public_min_count()


def _public(figures: dict, threshold: int) -> dict:
    """The published figures of one unit: appeal counts below the threshold become None,
    and so does the on-time rate when fewer appeals than that were concluded (C6)."""
    out = {key: figures.get(key) for key in OPEN_DATA_KEYS}
    received = figures.get("appeals_received")
    if received is not None and received < threshold:
        out["appeals_received"] = None
    concluded = figures.get("appeals_concluded")
    if concluded is None or concluded < threshold:
        out["appeals_on_time_rate"] = None
    return out


@dataclass
class OpenData:
    federation: Federation
    as_of: datetime.date
    threshold: int
    figures: dict
    places: list[tuple[str, str, dict]]  # (name, division code, figures)
    keys: tuple[str, ...] = OPEN_DATA_KEYS

    def as_json(self) -> dict:
        return {
            "federation": {
                "name": self.federation.name,
                "division_code": self.federation.division_code,
            },
            "as_of": self.as_of.isoformat(),
            "suppressed_below": self.threshold,
            "figures": self.figures,
            "places": [
                {"name": name, "division_code": code, "figures": figures}
                for name, code, figures in self.places
            ],
        }


def open_data(*, federation: Federation) -> OpenData:
    """A federation's public figures: aggregates only, appeal counts under the threshold
    suppressed per unit, and one more per table when only one would be (so that it cannot
    be worked out from the total and the other rows)."""
    threshold = _threshold()
    figures = _public(fig.headline_figures(user=None, federation=federation), threshold)
    rows = fig.figures_by(user=None, federation=federation, dimension=fig.PLACE)
    places = [
        (row.label, row.federation.division_code if not row.is_remainder else "", row.figures)
        for row in rows
    ]
    published = [(name, code, _public(f, threshold)) for name, code, f in places]
    hidden = [p for p in published if p[2]["appeals_received"] is None]
    if len(hidden) == 1 and figures["appeals_received"] is not None:
        shown = sorted(
            (p for p in published if p[2]["appeals_received"] is not None),
            key=lambda p: p[2]["appeals_received"],
        )
        if shown:
            shown[0][2]["appeals_received"] = None
    return OpenData(federation, timezone.localdate(), threshold, figures, published)
