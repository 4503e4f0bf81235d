"""Scope rules of notices and model units, called from the chokepoint (core.access.scope_q).

- A notice belongs to its issuing federation: seen by the staff and leaders of that
  federation or above, changed by its staff or above. A lower federation, a union officer
  and an assigned cadre see none of the back-office side (the public reads published
  notices on the federation's public page; a union named in one gets it in its inbox).
- A model-unit designation lives where its union lives: seen by staff and leaders of that
  subtree and by the union's own officers, changed by staff of the subtree (who may decide
  is narrower: `selectors.designation_can_decide`).
- An inbox entry is seen by the officers of its union and by the notice's readers.
"""

from django.db.models import Q

from shuangliang.core.access import Action, Scope, _paths_q


def notices_scope_q(label: str, scope: Scope, action: Action, paths: tuple[str, ...]) -> Q:
    """The filter for one model of the notices app; `paths` are the subtrees for this action."""
    if label == "notices.notice":
        return _paths_q("federation__path", paths)
    if label == "notices.designation":
        q = _paths_q("union__federation__path", paths)
        if action == "view" and scope.union_ids:
            q |= Q(union_id__in=scope.union_ids)
        return q
    if label == "notices.noticedelivery":
        q = _paths_q("notice__federation__path", paths)
        if action == "view" and scope.union_ids:
            q |= Q(union_id__in=scope.union_ids)
        return q
    raise LookupError(f"No access rule for {label}")
