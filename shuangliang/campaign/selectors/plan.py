"""Reads of the campaign: plans and their timeline, targets against the register's figures,
the cadre's enterprises, visits, follow-ups and the field-work figures.

Targets are measured with `register.selectors.stats_summary`, never recomputed: a target's
measure names one of its figures (METRIC_FIGURES). The Double Bright rate is read from there
too, once the Double Bright status work provides it; until then it shows as not measured.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from shuangliang.core.access import scope_for, visible
from shuangliang.core.months import add_months, month_end, month_start
from shuangliang.register.models import (
    PATH_SEGMENT_WIDTH,
    Federation,
)
from shuangliang.register.selectors import stats_summary

from ..models import (
    Campaign,
    Metric,
    Phase,
    Target,
    Task,
    Visit,
)

# Which figure of register.selectors.stats_summary measures each target.
METRIC_FIGURES = {
    Metric.DOUBLE_BRIGHT: "double_bright_rate",
    Metric.UNION_FOUNDING: "coverage_rate",
    Metric.THREE_CONTRACTS: "three_contracts_rate",
}
DUE_SOON_DAYS = 30
VISIT_WINDOW_DAYS = 90


def _today() -> datetime.date:
    return timezone.localdate()


# --- plans ----------------------------------------------------------------------------------


def campaign_list(*, user) -> QuerySet[Campaign]:
    """The campaigns the user sees: their own subtree's and those of the federations above."""
    return (
        visible(Campaign.objects.all(), user)
        .select_related("federation")
        .order_by("federation__depth", "-starts_on", "id")
    )


@dataclass
class TargetProgress:
    """One measure of a campaign: where it should be by now, where it is, what comes next."""

    metric: str
    label: str
    actual: float | None  # percent, None when the figure is not measured yet
    milestone: Target | None  # the target being worked towards (or the last one, when all due)
    expected: int  # percent that should have been reached by today (last target passed)

    @property
    def measured(self) -> bool:
        return self.actual is not None

    @property
    def state(self) -> str:
        """'met', 'behind' (under a target already due), 'open', or 'unmeasured'."""
        if self.actual is None:
            return "unmeasured"
        if self.milestone is not None and self.actual >= self.milestone.percent:
            return "met"
        if self.actual < self.expected:
            return "behind"
        return "open"


def _percent(figures: dict, metric: str) -> float | None:
    value = figures.get(METRIC_FIGURES[metric])
    return None if value is None else round(value * 100, 2)


def target_progress(
    *, targets: list[Target], figures: dict, today: datetime.date | None = None
) -> list[TargetProgress]:
    """Each measure with targets, measured by the given stats_summary figures."""
    today = today or _today()
    by_metric: dict[str, list[Target]] = defaultdict(list)
    for target in sorted(targets, key=lambda t: t.due_on):
        by_metric[target.metric].append(target)
    out = []
    for metric in Metric.values:
        metric_targets = by_metric.get(metric)
        if not metric_targets:
            continue
        passed = [t for t in metric_targets if t.due_on < today]
        upcoming = [t for t in metric_targets if t.due_on >= today]
        out.append(
            TargetProgress(
                metric=metric,
                label=str(Metric(metric).label),
                actual=_percent(figures, metric),
                milestone=upcoming[0] if upcoming else metric_targets[-1],
                expected=max((t.percent for t in passed), default=0),
            )
        )
    return out


@dataclass
class MonthColumn:
    start: datetime.date
    is_today: bool


@dataclass
class PhaseRow:
    phase: Phase
    is_stage: bool
    cells: list[tuple[bool, bool]]  # per month column: (the phase runs then, it is today)
    is_current: bool


@dataclass
class PlaceRow:
    federation: Federation | None  # None: the whole campaign area as the user sees it
    figures: dict
    progress: list[TargetProgress]


@dataclass
class Timeline:
    campaign: Campaign
    today: datetime.date
    months: list[MonthColumn]
    rows: list[PhaseRow]
    day_number: int  # today's day of the campaign, 0 before it starts
    current_phase: Phase | None
    current_stage: Phase | None
    places: list[PlaceRow]
    tasks: list[Task]
    overdue: list[Task]
    due_soon: list[Task]
    targets: list[Target]

    @property
    def before_start(self) -> bool:
        return self.today < self.campaign.starts_on

    @property
    def after_end(self) -> bool:
        return self.today > self.campaign.ends_on


MAX_MONTH_COLUMNS = 60


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], month_start(start)
    while day <= end and len(months) < MAX_MONTH_COLUMNS:
        months.append(day)
        day = add_months(day, 1)
    return months


def lower_federations(*, user, campaign: Campaign) -> QuerySet[Federation]:
    """The federations one level under the campaign's, as far as the user may see them."""
    return visible(
        Federation.objects.filter(
            path__startswith=campaign.federation.path, depth=campaign.federation.depth + 1
        ),
        user,
    ).order_by("division_code")


def campaign_timeline(*, user, campaign: Campaign, today: datetime.date | None = None) -> Timeline:
    """Everything the timeline page shows, in a number of queries that depends on the number
    of lower federations (one stats_summary each), not on enterprises, visits or tasks."""
    today = today or _today()
    phases = list(campaign.phases.all())
    month_starts = _month_starts(campaign.starts_on, campaign.ends_on)
    months = [MonthColumn(m, m <= today <= month_end(m)) for m in month_starts]
    top = [p for p in phases if p.parent_id is None]
    rows = []
    for phase in top:
        for item in [phase] + [p for p in phases if p.parent_id == phase.pk]:
            rows.append(
                PhaseRow(
                    phase=item,
                    is_stage=item.parent_id is not None,
                    cells=[
                        (
                            item.starts_on <= month_end(m.start) and item.ends_on >= m.start,
                            m.is_today,
                        )
                        for m in months
                    ],
                    is_current=item.contains(today),
                )
            )
    tasks = list(
        visible(campaign.tasks.all(), user).select_related("federation", "phase", "done_by")
    )
    targets = list(campaign.targets.all())
    places = []
    for place in [None, *lower_federations(user=user, campaign=campaign)]:
        # The first row is the whole campaign area, as far as the user sees it.
        figures = stats_summary(
            user=user, federation=place or campaign.federation, with_campaign=False
        )
        places.append(
            PlaceRow(place, figures, target_progress(targets=targets, figures=figures, today=today))
        )
    open_tasks = [t for t in tasks if not t.is_done]
    return Timeline(
        campaign=campaign,
        today=today,
        months=months,
        rows=rows,
        day_number=max(0, min((today - campaign.starts_on).days + 1, campaign.total_days)),
        current_phase=next((p for p in top if p.contains(today)), None),
        current_stage=next((p for p in phases if p.parent_id and p.contains(today)), None),
        places=places,
        tasks=tasks,
        overdue=[t for t in open_tasks if t.due_on < today],
        due_soon=[
            t
            for t in open_tasks
            if today <= t.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS)
        ],
        targets=targets,
    )


def campaigns_followed(*, user, federation: Federation | None) -> QuerySet[Campaign]:
    """Campaigns running today that apply to `federation` (its own and those above it), or,
    without one, to the top of the user's scope."""
    today = _today()
    if federation is not None:
        roots = [federation.path]
    else:
        scope = scope_for(user)
        roots = list(scope.read_paths)
        if scope.is_superuser:
            roots = list(
                Federation.objects.filter(parent__isnull=True).values_list("path", flat=True)
            )
    paths = set()
    for root in roots:
        paths |= {
            root[:end] for end in range(PATH_SEGMENT_WIDTH, len(root) + 1, PATH_SEGMENT_WIDTH)
        }
    return (
        visible(Campaign.objects.all(), user)
        .filter(federation__path__in=paths, starts_on__lte=today, ends_on__gte=today)
        .select_related("federation")
        .prefetch_related("targets")
        .order_by("federation__depth", "id")
    )


def campaign_figures(*, user, federation: Federation | None, register_figures: dict) -> dict:
    """The campaign's part of GET /api/v1/stats/summary, measured on the same scope."""
    visits = visible(Visit.objects.all(), user).filter(
        visited_on__gte=_today() - datetime.timedelta(days=VISIT_WINDOW_DAYS - 1)
    )
    if federation is not None:
        visits = visits.filter(enterprise__federation__path__startswith=federation.path)
    progress = []
    for campaign in campaigns_followed(user=user, federation=federation):
        targets = []
        for item in target_progress(targets=list(campaign.targets.all()), figures=register_figures):
            targets.append(
                {
                    "metric": item.metric,
                    "target_percent": item.milestone.percent if item.milestone else None,
                    "due_on": item.milestone.due_on.isoformat() if item.milestone else None,
                    "expected_percent": item.expected,
                    "actual_percent": item.actual,
                    "state": item.state,
                }
            )
        progress.append(
            {
                "campaign": campaign.pk,
                "name": campaign.name,
                "federation": campaign.federation.division_code,
                "targets": targets,
            }
        )
    return {"visits_last_90_days": visits.count(), "campaign_target_progress": progress}
