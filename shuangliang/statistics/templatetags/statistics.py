"""Formatting of figures in the statistics templates."""

from django import template
from django.utils.translation import gettext as _

from ..reports import display_value

register = template.Library()


@register.simple_tag
def report_value(figure, figures: dict) -> str:
    return display_value(figure, figures.get(figure.key))


@register.simple_tag
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.simple_tag
def open_value(figure, figures: dict, threshold: int) -> str:
    """A published figure; a suppressed appeal count reads "fewer than N" (C6)."""
    value = figures.get(figure.key)
    if value is None and figure.suppress_small:
        return _("fewer than %(count)s") % {"count": threshold}
    if value is None and figure.key == "appeals_on_time_rate":
        return _("not shown")
    return display_value(figure, value)
