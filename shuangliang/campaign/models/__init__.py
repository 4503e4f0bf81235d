"""The campaign (plan, phases, targets, tasks), the field work (teams, assignments, visits,
follow-ups, focus enterprises) and its publicity (news items and their photos)."""

from .fieldwork import FocusPlan, FocusTagChange, FollowUp, Visit, VisitPhoto
from .plan import Campaign, Metric, Phase, Target, Task
from .publicity import NewsItem, NewsPhoto
from .teams import Assignment, WorkTeam

__all__ = [
    "Assignment",
    "Campaign",
    "FocusPlan",
    "FocusTagChange",
    "FollowUp",
    "Metric",
    "NewsItem",
    "NewsPhoto",
    "Phase",
    "Target",
    "Task",
    "Visit",
    "VisitPhoto",
    "WorkTeam",
]
