"""The campaign (plan, phases, targets, tasks) and the field work (teams, assignments,
visits, follow-ups, focus enterprises)."""

from .fieldwork import FocusPlan, FocusTagChange, FollowUp, Visit, VisitPhoto
from .plan import Campaign, Metric, Phase, Target, Task
from .teams import Assignment, WorkTeam

__all__ = [
    "Assignment",
    "Campaign",
    "FocusPlan",
    "FocusTagChange",
    "FollowUp",
    "Metric",
    "Phase",
    "Target",
    "Task",
    "Visit",
    "VisitPhoto",
    "WorkTeam",
]
