"""Scope rules of the campaign's models, called from the chokepoint (core.access.scope_q).

- A campaign is seen by its federation's subtree (lower federations follow the higher plan)
  and by the federations above it; it is changed by staff of its federation or above.
  Phases and targets follow their campaign. A task is changed by staff of the federation
  that owns it (or above): a township adds and keeps its own tasks on the county's plan.
- Work teams, assignments, visits, follow-ups and focus plans live where their enterprise
  (or team) lives: seen by staff and leaders of that subtree, changed by its staff.
- An assigned cadre sees their own assignments and teams, the visits and focus plans of the
  enterprises assigned to them today, and changes the visits they made themselves. The
  owner of a follow-up sees and closes it.
- Union officers see none of it: a visit records what workers raised about their employer.
- A news item (and its photos) is the voice of its federation: written by the staff of that
  federation or above, read by them and by its leaders; not by a lower federation, a union
  officer or an assigned cadre (the public sees published items on the public pages).
"""

from django.db.models import Q

from shuangliang.core.access import (
    Action,
    Scope,
    _assigned_enterprise_ids,
    _paths_q,
)
from shuangliang.register.models import PATH_SEGMENT_WIDTH


def _ancestor_paths(paths: tuple[str, ...]) -> list[str]:
    out = []
    for path in paths:
        out += [path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path), PATH_SEGMENT_WIDTH)]
    return out


def _campaign_q(scope: Scope, action: Action, paths: tuple[str, ...], prefix: str = "") -> Q:
    q = _paths_q(f"{prefix}federation__path", paths)
    if action == "view":
        q |= Q(**{f"{prefix}federation__path__in": _ancestor_paths(paths)})
    return q


def _visit_q(scope: Scope, action: Action, paths: tuple[str, ...], prefix: str = "") -> Q:
    q = _paths_q(f"{prefix}enterprise__federation__path", paths)
    if scope.user_id is not None:
        q |= Q(**{f"{prefix}visitor_id": scope.user_id})
    if action == "view" and scope.is_assigned_cadre:
        q |= Q(**{f"{prefix}enterprise_id__in": _assigned_enterprise_ids(scope)})
    return q


def campaign_scope_q(label: str, scope: Scope, action: Action, paths: tuple[str, ...]) -> Q:
    """The filter for one campaign model; `paths` are the subtrees for this action."""
    if label == "campaign.campaign":
        return _campaign_q(scope, action, paths)
    if label in {"campaign.phase", "campaign.target"}:
        return _campaign_q(scope, action, paths, "campaign__")
    if label == "campaign.task":
        # By the federation that owns the task: a township sees the county's tasks and its
        # own, not those another township added.
        return _campaign_q(scope, action, paths)
    if label == "campaign.workteam":
        q = _paths_q("federation__path", paths)
        if action == "view" and scope.is_assigned_cadre:
            from .models import WorkTeam

            q |= Q(
                pk__in=WorkTeam.members.through.objects.filter(user_id=scope.user_id).values(
                    "workteam_id"
                )
            )
        return q
    if label == "campaign.assignment":
        q = _paths_q("enterprise__federation__path", paths)
        if action == "view" and scope.is_assigned_cadre:
            q |= Q(cadre_id=scope.user_id)
        return q
    if label == "campaign.visit":
        return _visit_q(scope, action, paths)
    if label == "campaign.visitphoto":
        return _visit_q(scope, action, paths, "visit__")
    if label == "campaign.followup":
        return _visit_q(scope, action, paths, "visit__") | Q(owner_id=scope.user_id or 0)
    if label in {"campaign.focusplan", "campaign.focustagchange"}:
        q = _paths_q("enterprise__federation__path", paths)
        if action == "view" and scope.is_assigned_cadre:
            q |= Q(enterprise_id__in=_assigned_enterprise_ids(scope))
        return q
    if label == "campaign.newsitem":
        return _paths_q("federation__path", paths)
    if label == "campaign.newsphoto":
        return _paths_q("item__federation__path", paths)
    raise LookupError(f"No access rule for {label}")
