from .access import scope_for


def roles(request):
    """Expose the user's scope to templates (menus only; every view still checks access)."""
    return {"scope": scope_for(getattr(request, "user", None))}
