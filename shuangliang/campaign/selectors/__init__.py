"""Reads of the campaign (`plan`) and of the field work (`fieldwork`).

Targets are measured with `register.selectors.stats_summary`, never recomputed: a target's
measure names one of its figures (`METRIC_FIGURES`).
"""

from .fieldwork import (
    CADRE_DUE_PROVIDERS,
    CadreEnterprise,
    DueItem,
    FieldworkFigures,
    WorkRow,
    fieldwork_figures,
    focus_enterprise_list,
    focus_history,
    follow_up_list,
    follow_up_owner_choices,
    my_enterprises,
    register_cadre_due_provider,
    visit_list,
)
from .plan import (
    METRIC_FIGURES,
    PlaceRow,
    TargetProgress,
    Timeline,
    campaign_figures,
    campaign_list,
    campaign_timeline,
    campaigns_followed,
    lower_federations,
    target_progress,
)

__all__ = [
    "CADRE_DUE_PROVIDERS",
    "METRIC_FIGURES",
    "CadreEnterprise",
    "DueItem",
    "FieldworkFigures",
    "PlaceRow",
    "TargetProgress",
    "Timeline",
    "WorkRow",
    "campaign_figures",
    "campaign_list",
    "campaign_timeline",
    "campaigns_followed",
    "fieldwork_figures",
    "focus_enterprise_list",
    "focus_history",
    "follow_up_list",
    "follow_up_owner_choices",
    "lower_federations",
    "my_enterprises",
    "register_cadre_due_provider",
    "target_progress",
    "visit_list",
]
