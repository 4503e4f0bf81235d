"""Who may do what to one standards object, beyond the scope rules in access.py."""

from shuangliang.core.access import scope_for

from .models import Rectification


def is_staff_over(user, rectification: Rectification) -> bool:
    """Staff of a federation above the rectification's union (or a superuser): the one rule
    of who re-inspects (verifies, reopens) and changes a rectification, on its page and over
    the API."""
    scope = scope_for(user)
    path = rectification.union.federation.path
    return scope.is_superuser or any(path.startswith(p) for p in scope.staff_paths)
