"""Reads of the field work: the cadre's enterprises and what is due there, visits,
follow-ups, field-work figures per cadre, team and township, and focus enterprises."""

import datetime
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from shuangliang.core.access import visible
from shuangliang.core.months import month_start
from shuangliang.register.models import (
    PATH_SEGMENT_WIDTH,
    Enterprise,
    Federation,
    OperatingStatus,
)
from shuangliang.register.selectors import in_subtree

from ..models import (
    Assignment,
    FocusPlan,
    FocusTagChange,
    FollowUp,
    Visit,
    WorkTeam,
)
from ..models.teams import active_assignment_q
from .plan import VISIT_WINDOW_DAYS, _today

# --- the cadre's enterprises ----------------------------------------------------------------

# What else is due at an enterprise comes from other apps through this hook, so the campaign
# never imports them: appeals routed to the cadre (issue 5's `appeals` app), open
# rectifications (inspections). A provider takes the user and the enterprise ids and returns
# {enterprise_id: [DueItem, ...]}; register one with `register_cadre_due_provider`.


@dataclass(frozen=True)
class DueItem:
    label: str
    count: int
    url: str = ""


CadreDueProvider = Callable[..., dict[int, list[DueItem]]]
CADRE_DUE_PROVIDERS: dict[str, CadreDueProvider] = {}


def register_cadre_due_provider(name: str, provider: CadreDueProvider) -> None:
    """Called by another app (e.g. appeals, in its AppConfig.ready) to add what is due."""
    CADRE_DUE_PROVIDERS[name] = provider


def _count_subquery(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass
class CadreEnterprise:
    assignment: Assignment
    enterprise: Enterprise
    last_visit: datetime.date | None
    visit_every_days: int
    open_follow_ups: int
    overdue_follow_ups: int
    others_due: list[DueItem] = field(default_factory=list)

    @property
    def next_visit_due(self) -> datetime.date:
        if self.last_visit is None:
            return self.assignment.starts_on
        return self.last_visit + datetime.timedelta(days=self.visit_every_days)

    @property
    def visit_overdue(self) -> bool:
        return self.next_visit_due < _today()

    @property
    def term_state(self) -> str:
        union = self.enterprise.union
        return union.reelection_state if union else "none"


def my_enterprises(*, user, today: datetime.date | None = None) -> list[CadreEnterprise]:
    """The enterprises assigned to the user today, each with what is due there; the most
    pressing (a visit overdue, then the earliest next visit) first."""
    today = today or _today()
    follow_ups = FollowUp.objects.filter(
        visit__enterprise_id=OuterRef("enterprise_id"), state=FollowUp.State.OPEN
    )
    assignments = (
        Assignment.objects.filter(active_assignment_q(today), cadre=user)
        .select_related("enterprise__federation", "enterprise__union", "team")
        .annotate(
            last_visit=Max("enterprise__visits__visited_on"),
            open_follow_ups=_count_subquery(follow_ups, "visit__enterprise_id"),
            overdue_follow_ups=_count_subquery(
                follow_ups.filter(due_on__lt=today), "visit__enterprise_id"
            ),
            focus_every=Subquery(
                FocusPlan.objects.filter(enterprise_id=OuterRef("enterprise_id")).values(
                    "visit_every_days"
                )[:1]
            ),
        )
    )
    rows = [
        CadreEnterprise(
            assignment=a,
            enterprise=a.enterprise,
            last_visit=a.last_visit,
            visit_every_days=a.focus_every or a.visit_every_days,
            open_follow_ups=a.open_follow_ups,
            overdue_follow_ups=a.overdue_follow_ups,
        )
        for a in assignments
    ]
    ids = [row.enterprise.pk for row in rows]
    for provider in CADRE_DUE_PROVIDERS.values():
        found = provider(user=user, enterprise_ids=ids)
        for row in rows:
            row.others_due.extend(found.get(row.enterprise.pk, []))
    rows.sort(key=lambda r: (not r.visit_overdue, r.next_visit_due, r.enterprise.name))
    return rows


# --- visits and follow-ups ------------------------------------------------------------------


def visit_list(
    *, user, federation: int | None = None, enterprise: int | None = None, mine: bool = False
) -> QuerySet[Visit]:
    qs = visible(Visit.objects.all(), user).select_related(
        "enterprise", "enterprise__federation", "visitor"
    )
    if federation:
        qs = in_subtree(qs, federation, "enterprise__federation__path")
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    if mine:
        qs = qs.filter(visitor=user)
    open_follow_ups = FollowUp.objects.filter(visit_id=OuterRef("pk"), state=FollowUp.State.OPEN)
    return qs.annotate(
        open_follow_ups=_count_subquery(open_follow_ups, "visit_id"),
        photo_count=Count("photos", distinct=True),
    ).order_by("-visited_on", "-id")


def follow_up_list(
    *, user, state: str = "open", mine: bool = False, federation: int | None = None
) -> QuerySet[FollowUp]:
    """Follow-ups in scope: 'open', 'overdue', 'closed' or '' for all."""
    qs = visible(FollowUp.objects.all(), user).select_related(
        "owner", "visit", "visit__enterprise", "visit__enterprise__federation"
    )
    if state == "overdue":
        qs = qs.filter(state=FollowUp.State.OPEN, due_on__lt=_today())
    elif state in FollowUp.State.values:
        qs = qs.filter(state=state)
    if mine:
        qs = qs.filter(owner=user)
    if federation:
        qs = in_subtree(qs, federation, "visit__enterprise__federation__path")
    return qs.order_by("state", "due_on", "id")


def follow_up_owner_choices(*, user, enterprise: Enterprise | None):
    """Who may own a follow-up: the person logging it, the cadres assigned to the enterprise,
    and members of the work teams of the federations above it."""
    from django.contrib.auth import get_user_model

    users = Q(pk=user.pk)
    if enterprise is not None:
        today = _today()
        path = enterprise.federation.path
        team_paths = [
            path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)
        ]
        users |= Q(
            pk__in=Assignment.objects.filter(
                active_assignment_q(today), enterprise=enterprise
            ).values("cadre_id")
        )
        users |= Q(
            pk__in=WorkTeam.members.through.objects.filter(
                workteam__federation__path__in=team_paths
            ).values("user_id")
        )
    return get_user_model().objects.filter(users, is_active=True).order_by("username")


# --- figures --------------------------------------------------------------------------------


@dataclass
class WorkRow:
    """Field work of one cadre, team or township over the window."""

    key: object
    label: str
    enterprises: int = 0
    expected_visits: int = 0
    visits: int = 0
    not_visited: int = 0
    follow_ups_open: int = 0
    follow_ups_overdue: int = 0
    visits_this_month: int = 0

    @property
    def visit_rate(self) -> int | None:
        if not self.expected_visits:
            return None
        return round(100 * self.visits / self.expected_visits)


@dataclass
class FieldworkFigures:
    days: int
    since: datetime.date
    cadres: list[WorkRow]
    teams: list[WorkRow]
    townships: list[WorkRow]


def _expected_visits(
    assignment: Assignment, since: datetime.date, today: datetime.date, every: int
):
    start = max(assignment.starts_on, since)
    end = min(assignment.ends_on or today, today)
    if end < start:
        return 0
    return math.ceil(((end - start).days + 1) / every)


def fieldwork_figures(
    *, user, federation: int | None = None, days: int = VISIT_WINDOW_DAYS
) -> FieldworkFigures:
    """Per cadre, work team and township: visits made against the target frequency over the
    last `days` days, enterprises not visited in that time, follow-ups open and overdue.
    A fixed number of queries, whatever the number of rows."""
    today = _today()
    since = today - datetime.timedelta(days=days - 1)
    this_month = month_start(today)

    assignments = visible(Assignment.objects.all(), user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=since), starts_on__lte=today
    )
    visits = visible(Visit.objects.all(), user)
    follow_ups = visible(FollowUp.objects.filter(state=FollowUp.State.OPEN), user)
    enterprises = visible(Enterprise.objects.all(), user).filter(
        operating_status=OperatingStatus.IN_PRODUCTION
    )
    townships = visible(Federation.objects.all(), user).filter(
        level__in=[Federation.Level.TOWNSHIP, Federation.Level.PARK]
    )
    if federation:
        assignments = in_subtree(assignments, federation, "enterprise__federation__path")
        visits = in_subtree(visits, federation, "enterprise__federation__path")
        follow_ups = in_subtree(follow_ups, federation, "visit__enterprise__federation__path")
        enterprises = in_subtree(enterprises, federation)
        townships = in_subtree(townships, federation, "path")

    assignments = list(
        assignments.select_related("cadre", "team").annotate(
            focus_every=Subquery(
                FocusPlan.objects.filter(enterprise_id=OuterRef("enterprise_id")).values(
                    "visit_every_days"
                )[:1]
            )
        )
    )
    window = visits.filter(visited_on__gte=since)
    made = {
        (row["visitor_id"], row["enterprise_id"]): row["n"]
        for row in window.values("visitor_id", "enterprise_id").annotate(n=Count("pk"))
    }
    visited = set(window.values_list("enterprise_id", flat=True).distinct())
    by_owner = {
        row["owner_id"]: row
        for row in follow_ups.values("owner_id").annotate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
        )
    }

    cadres: dict[int, WorkRow] = {}
    teams: dict[int, WorkRow] = {}
    team_enterprises: dict[int, set] = defaultdict(set)
    cadre_enterprises: dict[int, set] = defaultdict(set)
    for a in assignments:
        every = a.focus_every or a.visit_every_days
        expected = _expected_visits(a, since, today, every)
        count = made.get((a.cadre_id, a.enterprise_id), 0)
        row = cadres.setdefault(a.cadre_id, WorkRow(a.cadre_id, _user_label(a.cadre)))
        row.expected_visits += expected
        row.visits += count
        cadre_enterprises[a.cadre_id].add(a.enterprise_id)
        if a.team_id:
            team = teams.setdefault(a.team_id, WorkRow(a.team_id, a.team.name))
            team.expected_visits += expected
            team.visits += count
            team_enterprises[a.team_id].add(a.enterprise_id)
    for key, row in cadres.items():
        row.enterprises = len(cadre_enterprises[key])
        row.not_visited = len(cadre_enterprises[key] - visited)
        owned = by_owner.get(key, {})
        row.follow_ups_open = owned.get("open", 0)
        row.follow_ups_overdue = owned.get("overdue", 0)
    for key, row in teams.items():
        row.enterprises = len(team_enterprises[key])
        row.not_visited = len(team_enterprises[key] - visited)

    per_place = {
        row["federation_id"]: row
        for row in enterprises.values("federation_id").annotate(
            total=Count("pk"),
            seen=Count("pk", filter=Q(Exists(window.filter(enterprise_id=OuterRef("pk"))))),
        )
    }
    visit_counts = {
        row["enterprise__federation_id"]: row
        for row in visits.filter(visited_on__gte=min(since, this_month))
        .values("enterprise__federation_id")
        .annotate(
            window=Count("pk", filter=Q(visited_on__gte=since)),
            month=Count("pk", filter=Q(visited_on__gte=this_month)),
        )
    }
    place_follow_ups = {
        row["visit__enterprise__federation_id"]: row
        for row in follow_ups.values("visit__enterprise__federation_id").annotate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
        )
    }
    places = []
    for township in townships.order_by("path"):
        counts = per_place.get(township.pk, {})
        visits_here = visit_counts.get(township.pk, {})
        owed = place_follow_ups.get(township.pk, {})
        places.append(
            WorkRow(
                township.pk,
                township.name,
                enterprises=counts.get("total", 0),
                visits=visits_here.get("window", 0),
                visits_this_month=visits_here.get("month", 0),
                not_visited=counts.get("total", 0) - counts.get("seen", 0),
                follow_ups_open=owed.get("open", 0),
                follow_ups_overdue=owed.get("overdue", 0),
            )
        )
    return FieldworkFigures(
        days=days,
        since=since,
        cadres=sorted(cadres.values(), key=lambda r: r.label),
        teams=sorted(teams.values(), key=lambda r: r.label),
        townships=places,
    )


def _user_label(user) -> str:
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.username


# --- focus enterprises ----------------------------------------------------------------------


def focus_enterprise_list(*, user, federation: int | None = None) -> QuerySet[Enterprise]:
    """Enterprises with a focus tag now or a plan, with their plan and last visit."""
    from shuangliang.register.models import FOCUS_TAGS

    any_tag = Q()
    for name in FOCUS_TAGS:
        any_tag |= Q(**{name: True})
    qs = visible(Enterprise.objects.all(), user).filter(any_tag | Q(focus_plan__isnull=False))
    if federation:
        qs = in_subtree(qs, federation)
    return (
        qs.select_related("federation", "focus_plan", "focus_plan__cadre")
        .annotate(
            last_visit=Max("visits__visited_on"),
            tag_changes=Count("focus_tag_changes", distinct=True),
        )
        .order_by("federation__path", "name", "id")
    )


def focus_history(*, user, enterprise: Enterprise) -> QuerySet[FocusTagChange]:
    return (
        visible(FocusTagChange.objects.filter(enterprise=enterprise), user)
        .select_related("actor")
        .order_by("-changed_on", "-id")
    )
