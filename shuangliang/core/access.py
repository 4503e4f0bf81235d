"""The one chokepoint for access: what a user may see and change.

Scope comes from the user's memberships, read fresh on every request (so a removed role
fails at once): federation staff and leaders see their federation's subtree, union
officers their own union, assigned cadres the enterprises they are assigned to. Views
fetch objects only through `visible(...)` / `get_visible_or_404(...)`; an object out of
scope is a 404, never a 403.
"""

from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

Action = Literal["view", "change"]

SCOPE_CACHE_ATTR = "_shuangliang_scope"


@dataclass(frozen=True)
class Scope:
    """Where a user stands in the tree, computed once per request."""

    is_superuser: bool = False
    staff_paths: tuple[str, ...] = ()  # subtrees the user may change (federation staff)
    leader_paths: tuple[str, ...] = ()  # subtrees the user may only read
    union_ids: frozenset[int] = field(default_factory=frozenset)  # own unions (officer role)
    is_assigned_cadre: bool = False
    user_id: int | None = None

    @property
    def read_paths(self) -> tuple[str, ...]:
        return self.staff_paths + self.leader_paths

    @property
    def is_anything(self) -> bool:
        return bool(
            self.is_superuser or self.read_paths or self.union_ids or self.is_assigned_cadre
        )

    @property
    def can_write_register(self) -> bool:
        return self.is_superuser or bool(self.staff_paths)


NO_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from shuangliang.core.models import Membership

    staff, leader, unions, cadre = [], [], set(), False
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("federation")
    for membership in memberships:
        if membership.role == Membership.Role.FEDERATION_STAFF:
            staff.append(membership.federation.path)
        elif membership.role == Membership.Role.LEADER:
            leader.append(membership.federation.path)
        elif membership.role == Membership.Role.UNION_OFFICER:
            unions.add(membership.union_id)
        elif membership.role == Membership.Role.ASSIGNED_CADRE:
            cadre = True
    scope = Scope(
        is_superuser=user.is_superuser,
        staff_paths=tuple(staff),
        leader_paths=tuple(leader),
        union_ids=frozenset(unions),
        is_assigned_cadre=cadre,
        user_id=user.pk,
    )
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    if hasattr(user, SCOPE_CACHE_ATTR):
        delattr(user, SCOPE_CACHE_ATTR)


def _paths_q(lookup: str, paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def _assigned_enterprise_ids(scope: Scope):
    from shuangliang.campaign.models import Assignment

    today = timezone.localdate()
    return (
        Assignment.objects.filter(cadre_id=scope.user_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("enterprise_id")
    )


def _assigned_union_ids(scope: Scope):
    from shuangliang.register.models import Enterprise

    return Enterprise.objects.filter(
        pk__in=_assigned_enterprise_ids(scope), union__isnull=False
    ).values("union_id")


def scope_q(model: type[Model], scope: Scope, action: Action) -> Q:
    """The filter that restricts `model` to what `scope` may see or change."""
    label = model._meta.label_lower
    paths = scope.staff_paths if action == "change" else scope.read_paths
    union_ids = scope.union_ids
    q = Q(pk__in=[])
    if label == "register.federation":
        q = _paths_q("path", paths)
        if action == "view" and union_ids:
            q |= Q(unions__in=union_ids)
        return q
    if label == "register.enterprise":
        q = _paths_q("federation__path", paths)
        if action == "view":
            if union_ids:
                q |= Q(union_id__in=union_ids)
            if scope.is_assigned_cadre:
                q |= Q(pk__in=_assigned_enterprise_ids(scope))
        return q
    if label == "register.union":
        q = _paths_q("federation__path", paths)
        if union_ids:  # a chair keeps their own union's profile and officers up to date
            q |= Q(pk__in=union_ids)
        if action == "view" and scope.is_assigned_cadre:
            q |= Q(pk__in=_assigned_union_ids(scope))
        return q
    if label in {"register.officer", "register.collectivecontract"}:
        q = _paths_q("union__federation__path", paths)
        if union_ids:
            q |= Q(union_id__in=union_ids)
        if action == "view" and scope.is_assigned_cadre:
            q |= Q(union_id__in=_assigned_union_ids(scope))
        return q
    if label == "doublebright.printjob":
        # A batch holds every cadre of a township or county: it is for the staff and leaders
        # whose subtree holds its federation (its requester while they keep that role), never
        # for a union officer, whose own union is only one of those in it.
        return _paths_q("federation__path", paths)
    if label == "register.person":
        from shuangliang.register.models import Officer

        officers = Officer.objects.filter(scope_q(Officer, scope, action)).values("person_id")
        return Q(pk__in=officers)
    if label == "doublebright.doublebrightstatus":
        # Like the union's officers: staff of the subtree and the union's own cadres fill it
        # in; who may confirm or return it is narrower (doublebright.status_selectors).
        q = _paths_q("union__federation__path", paths)
        if union_ids:
            q |= Q(union_id__in=union_ids)
        if action == "view" and scope.is_assigned_cadre:
            q |= Q(union_id__in=_assigned_union_ids(scope))
        return q
    if label == "appeals.appeal":
        # Appeals: the handling federation's line upwards; a union only while it handles the
        # appeal (never one the worker sent to the federation); a cadre what is assigned to them.
        q = _paths_q("handling_federation__path", paths)
        if union_ids:
            q |= Q(route="union", handling_union_id__in=union_ids)
        if scope.is_assigned_cadre:
            q |= Q(assignee_id=scope.user_id)
        return q
    if label in {"appeals.attachment", "appeals.message", "appeals.contactnote"}:
        from shuangliang.appeals.models import Appeal

        appeals = Appeal.objects.filter(scope_q(Appeal, scope, action)).values("pk")
        return Q(appeal_id__in=appeals)
    if label.startswith("campaign."):
        from shuangliang.campaign.access import campaign_scope_q

        return campaign_scope_q(label, scope, action, paths)
    if label.startswith("notices."):
        from shuangliang.notices.access import notices_scope_q

        return notices_scope_q(label, scope, action, paths)
    if label.startswith("standards."):
        from shuangliang.standards.access import standards_scope_q

        return standards_scope_q(label, scope, action, paths)
    raise LookupError(f"No access rule for {label}")


def visible(queryset: QuerySet, user, action: Action = "view") -> QuerySet:
    """Restrict a queryset to the user's scope; everything else is filtered out."""
    scope = scope_for(user)
    if scope.is_superuser:
        return queryset
    if not scope.is_anything:
        return queryset.none()
    return queryset.filter(scope_q(queryset.model, scope, action))


def get_visible_or_404(queryset: QuerySet, user, action: Action = "view", **lookup) -> Model:
    try:
        return visible(queryset, user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can(user, action: Action, obj: Model) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
