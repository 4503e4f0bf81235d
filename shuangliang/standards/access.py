"""Scope rules of the standards app, called from the chokepoint (core.access.scope_q).

- A standard is the rule book of its federation: changed by staff of that federation (or
  above), read by them, its leaders, and the federations below it (which inherit it).
  Versions, sections and items follow their standard.
- An inspection round belongs to the federation that runs it: seen by the staff and leaders
  of that federation's subtree, changed by its staff.
- An inspection, its answers and evidence live where the inspected union lives: seen by
  staff and leaders above the union; changed by staff above it. The union's own officers see
  their union's inspections and fill in its self-checks; the inspector assigned to an
  inspection, and for a mutual check the officers of the inspecting union, see and fill it.
  Another union's chair sees nothing of it.
- A rectification is seen by staff and leaders above the union and by the union's officers;
  changed by staff above it and by the union's officers (who close it with evidence).
"""

from django.db.models import Q

from shuangliang.core.access import Action, Scope, _paths_q
from shuangliang.register.models import PATH_SEGMENT_WIDTH


def _ancestor_paths(paths: tuple[str, ...]) -> list[str]:
    out = []
    for path in paths:
        out += [path[:end] for end in range(PATH_SEGMENT_WIDTH, len(path), PATH_SEGMENT_WIDTH)]
    return out


def _standard_q(scope: Scope, action: Action, paths: tuple[str, ...], prefix: str = "") -> Q:
    q = _paths_q(f"{prefix}federation__path", paths)
    if action == "view":
        q |= Q(**{f"{prefix}federation__path__in": _ancestor_paths(paths)})
    return q


def _inspection_q(scope: Scope, action: Action, paths: tuple[str, ...], prefix: str = "") -> Q:
    q = _paths_q(f"{prefix}union__federation__path", paths)
    if scope.union_ids:
        own = Q(**{f"{prefix}union_id__in": scope.union_ids})
        if action == "change":
            own &= Q(**{f"{prefix}kind": "self"})
        q |= own | Q(**{f"{prefix}inspector_union_id__in": scope.union_ids})
    if scope.user_id is not None:
        q |= Q(**{f"{prefix}inspector_id": scope.user_id})
    return q


def standards_scope_q(label: str, scope: Scope, action: Action, paths: tuple[str, ...]) -> Q:
    """The filter for one model of the standards app; `paths` are the subtrees for this action."""
    if label == "standards.standard":
        return _standard_q(scope, action, paths)
    if label == "standards.standardversion":
        return _standard_q(scope, action, paths, "standard__")
    if label in {"standards.section", "standards.item"}:
        return _standard_q(scope, action, paths, "version__standard__")
    if label == "standards.inspectionround":
        return _paths_q("federation__path", paths)
    if label == "standards.inspection":
        return _inspection_q(scope, action, paths)
    if label == "standards.answer":
        return _inspection_q(scope, action, paths, "inspection__")
    if label == "standards.evidence":
        return _inspection_q(scope, action, paths, "answer__inspection__")
    if label == "standards.rectification":
        q = _paths_q("union__federation__path", paths)
        if scope.union_ids:
            q |= Q(union_id__in=scope.union_ids)
        return q
    raise LookupError(f"No access rule for {label}")
