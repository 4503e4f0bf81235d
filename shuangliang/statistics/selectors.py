"""Reads of the statistics pages: who may see a federation's figures, and what a dashboard,
a report, a comparison and the open-data page show. All figures come from `figures`."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.core.months import add_months, month_start
from shuangliang.register.models import Federation

from . import figures as fig
from .models import StatisticsSettings
from .snapshots import snapshot_figures, snapshot_history

HISTORY_MONTHS = 12


# Access -----------------------------------------------------------------------------------


def statistics_federations(*, user, action: str = "view") -> QuerySet[Federation]:
    """The federations whose statistics the user may read (staff and leaders of the subtree,
    superusers) or, with action "change", whose statistics settings they may change. A union
    chair or an assigned cadre has no federation's figures: their scope is not a subtree."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Federation.objects.all()
    paths = scope.staff_paths if action == "change" else scope.read_paths
    if not paths:
        return Federation.objects.none()
    return visible(Federation.objects.all(), user, action).filter(
        pk__in=_under_paths_q(paths).values("pk")
    )


def _under_paths_q(paths: tuple[str, ...]) -> QuerySet[Federation]:
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return Federation.objects.filter(q)


def statistics_federation_or_404(*, user, pk: int, action: str = "view") -> Federation:
    federation = statistics_federations(user=user, action=action).filter(pk=pk).first()
    if federation is None:
        raise Http404
    return federation


def statistics_roots(*, user) -> list[Federation]:
    """The top federations of the user's statistics: where their dashboard opens."""
    scope = scope_for(user)
    if scope.is_superuser:
        return list(Federation.objects.filter(parent__isnull=True).order_by("path"))
    paths = sorted(set(scope.read_paths))
    tops = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    return list(Federation.objects.filter(path__in=tops).order_by("path"))


# Links to the lists behind the numbers ----------------------------------------------------


def list_url(figure: fig.Figure, params: dict | None) -> str:
    """The list page behind a figure, narrowed to a group; '' when it has none."""
    if not figure.list_route or params is None:
        return ""
    if figure.list_route != fig.ENTERPRISES and set(params) - {"federation"}:
        return ""  # only the enterprise list filters by industry, ownership, size or tag
    query = {**figure.list_params, **params}
    return reverse(figure.list_route) + ("?" + urlencode(query) if query else "")


@dataclass
class Cell:
    """One number on a page: the figure, its value and the list behind it."""

    figure: fig.Figure
    value: float | int | None
    url: str = ""
    previous: float | int | None = None

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)

    @property
    def change(self) -> float | int | None:
        """Since the previous month: a count's difference, a rate's in percentage points."""
        if self.value is None or self.previous is None:
            return None
        if self.figure.kind == "rate":
            return round((self.value - self.previous) * 100, 1)
        return self.value - self.previous


def cells(figures: dict, params: dict | None, keys, previous: dict | None = None) -> list[Cell]:
    out = []
    for key in keys:
        figure = fig.FIGURES_BY_KEY[key]
        out.append(
            Cell(
                figure,
                figures.get(key),
                list_url(figure, params),
                None if previous is None else previous.get(key),
            )
        )
    return out


# Dashboard --------------------------------------------------------------------------------

TABLE_KEYS = {
    fig.PLACE: (
        "enterprises_operating",
        "unions_founded",
        "coverage_rate",
        "three_contracts_signed",
        "three_contracts_rate",
        "double_bright_compliant",
        "double_bright_rate",
        "union_members",
        "appeals_received",
        "appeals_overdue",
        "visits_last_90_days",
    ),
}
ENTERPRISE_TABLE_KEYS = (
    "enterprises_operating",
    "unions_founded",
    "enterprises_without_union",
    "coverage_rate",
    "three_contracts_signed",
    "three_contracts_rate",
    "double_bright_compliant",
    "double_bright_rate",
)


@dataclass
class Breakdown:
    dimension: str
    label: str
    keys: tuple[str, ...]
    rows: list[tuple[fig.GroupRow, list[Cell]]]
    total: list[Cell] | None = None


@dataclass
class Dashboard:
    federation: Federation
    ancestors: list[Federation]
    today: datetime.date
    headline: list[Cell]
    figures: dict
    previous_month: datetime.date
    has_previous: bool
    targets: list = field(default_factory=list)  # (campaign, [TargetProgress])
    breakdowns: list[Breakdown] = field(default_factory=list)
    charts: dict = field(default_factory=dict)


def dashboard(*, user, federation: Federation, today: datetime.date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a number of queries that does not depend on the
    number of enterprises, unions, appeals or townships."""
    from shuangliang.campaign.selectors import campaigns_followed, target_progress

    today = today or timezone.localdate()
    this_month = month_start(today)
    previous_month = add_months(this_month, -1)
    figures = fig.headline_figures(user=user, federation=federation)
    history = snapshot_history(
        federations=[federation],
        first=add_months(this_month, -HISTORY_MONTHS),
        last=previous_month,
    )[federation.pk]
    previous = snapshot_figures(history.get(previous_month))
    base = {"federation": federation.pk}
    headline = cells(figures, base, [f.key for f in fig.HEADLINE], previous)
    targets = [
        (campaign, target_progress(targets=list(campaign.targets.all()), figures=figures))
        for campaign in campaigns_followed(user=user, federation=federation)
    ]
    breakdowns = []
    place_rows = fig.figures_by(user=user, federation=federation, dimension=fig.PLACE)
    breakdowns.append(_breakdown(fig.PLACE, place_rows, TABLE_KEYS[fig.PLACE], base, True))
    for dimension in (fig.INDUSTRY, fig.OWNERSHIP, fig.SIZE, fig.FOCUS):
        rows = fig.figures_by(user=user, federation=federation, dimension=dimension)
        breakdowns.append(_breakdown(dimension, rows, ENTERPRISE_TABLE_KEYS, base, False))
    categories = fig.figures_by(user=user, federation=federation, dimension=fig.CATEGORY)
    charts = _charts(
        federation=federation,
        figures=figures,
        history=history,
        this_month=this_month,
        place_rows=place_rows,
        categories=categories,
        targets=targets,
    )
    return Dashboard(
        federation=federation,
        ancestors=[a for a in federation.ancestors() if _readable(user, a)],
        today=today,
        headline=headline,
        figures=figures,
        previous_month=previous_month,
        has_previous=previous is not None,
        targets=targets,
        breakdowns=breakdowns,
        charts=charts,
    )


def _readable(user, federation: Federation) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or any(federation.path.startswith(p) for p in scope.read_paths)


def _breakdown(dimension, rows, keys, base: dict, with_total: bool) -> Breakdown:
    """A table of a breakdown; each number links to its list (the node's federation and the
    row's group), except in the row of what sits directly under the node."""
    out = []
    for row in rows:
        params = None if row.is_remainder else {**base, **row.params}
        out.append((row, cells(row.figures, params, keys)))
    total = cells(fig.totals(rows), base, keys) if with_total else None
    return Breakdown(dimension, str(fig.DIMENSIONS[dimension]), keys, out, total)


def _charts(*, federation, figures, history, this_month, place_rows, categories, targets) -> dict:
    months = sorted(history)
    series = {key: [] for key in ("coverage_rate", "three_contracts_rate", "double_bright_rate")}
    labels = []
    derived = []
    for month in months:
        month_figures = snapshot_figures(history[month])
        labels.append(f"{month:%Y-%m}")
        derived.append(history[month].source == "derived")
        for key, values in series.items():
            value = month_figures.get(key)
            values.append(None if value is None else round(value * 100, 1))
    labels.append(f"{this_month:%Y-%m}")
    derived.append(False)
    for key, values in series.items():
        value = figures.get(key)
        values.append(None if value is None else round(value * 100, 1))
    target = None
    for _campaign, progress in targets:
        for item in progress:
            if item.metric == "double_bright" and item.milestone is not None:
                target = item.milestone.percent
                break
        if target is not None:
            break
    return {
        "history": {
            "months": labels,
            "derived": derived,
            "series": [
                {"key": key, "name": str(fig.FIGURES_BY_KEY[key].label), "data": values}
                for key, values in series.items()
            ],
        },
        "places": {
            "names": [row.label for row in place_rows if not row.is_remainder],
            "double_bright_rate": [
                _percent(row.figures.get("double_bright_rate"))
                for row in place_rows
                if not row.is_remainder
            ],
            "coverage_rate": [
                _percent(row.figures.get("coverage_rate"))
                for row in place_rows
                if not row.is_remainder
            ],
            "target": target,
            "labels": {
                "double_bright_rate": str(fig.FIGURES_BY_KEY["double_bright_rate"].label),
                "coverage_rate": str(fig.FIGURES_BY_KEY["coverage_rate"].label),
            },
        },
        "categories": [
            {"name": row.label, "value": row.figures.get("appeals_received") or 0}
            for row in categories
        ],
        "grades": _grade_chart(federation, figures),
    }


def _grade_chart(federation: Federation, figures: dict) -> list[dict] | None:
    """This year's inspection results per grade, best first, each with the list behind it;
    None (an empty state) when there are none yet."""
    if not figures.get("standard_assessed"):
        return None
    out = []
    for (grade, label), key in zip(fig.GRADES, fig.GRADE_FIGURE_KEYS, strict=True):
        out.append(
            {
                "grade": grade,
                "name": str(label),
                "value": figures[key],
                "url": list_url(fig.FIGURES_BY_KEY[key], {"federation": federation.pk}),
            }
        )
    return out


def _percent(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def open_data_enabled(federation: Federation) -> bool:
    return StatisticsSettings.objects.filter(federation=federation, open_data=True).exists()
