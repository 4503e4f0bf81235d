"""Template tags of notices for the public pages outside this app (federation and union)."""

from django import template

from shuangliang.register.models import Federation, Union

from ..selectors import designations_public, notices_published

register = template.Library()

PUBLIC_LATEST = 5


@register.simple_tag
def latest_notices(federation: Federation) -> list:
    """The federation's latest published notices, newest first (one query)."""
    return list(notices_published(federation=federation)[:PUBLIC_LATEST])


@register.simple_tag
def model_unit_years(union: Union) -> list[int]:
    """The years the union was an approved model unit, newest first: read with the union by
    the public page's own query (`model_unit_years`, see model_unit_years_subquery), else one
    query here."""
    years = getattr(union, "model_unit_years", None)
    if years is not None:
        return years
    return [designation.year for designation in designations_public(union=union)]
