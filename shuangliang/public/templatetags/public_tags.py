"""Template helpers of the public pages."""

import re

from django import template

register = template.Library()

_NOT_DIALLED = re.compile(r"[^0-9+]")


@register.filter
def tel_href(phone: str) -> str:
    """A click-to-call address: `tel:` and the digits (a leading + kept)."""
    return "tel:" + _NOT_DIALLED.sub("", phone or "")
