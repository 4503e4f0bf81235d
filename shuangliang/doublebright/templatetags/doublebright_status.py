"""Template helpers of the Double Bright status: the panel on the union page, state tags
and readable history lines."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import DoubleBrightStatus
from ..status_selectors import Coverage

register = template.Library()

ACTION_LABELS = {
    "doublebright.status.created": _("Checklist started"),
    "doublebright.status.changed": _("Checklist changed"),
    "doublebright.status.submitted": _("Submitted for review"),
    "doublebright.status.confirmed": _("Confirmed by the federation"),
    "doublebright.status.rejected": _("Returned to the union"),
    "doublebright.status.reopened": _("Reopened for changes"),
}

COVERAGE_TAGS = {
    Coverage.COMPLIANT: "ok",
    Coverage.OUTDATED: "warn",
    Coverage.SUBMITTED: "info",
    Coverage.REJECTED: "bad",
    Coverage.DRAFT: "",
    Coverage.NOT_STARTED: "",
}
STATE_TAGS = {
    DoubleBrightStatus.State.DRAFT: "",
    DoubleBrightStatus.State.SUBMITTED: "info",
    DoubleBrightStatus.State.CONFIRMED: "ok",
    DoubleBrightStatus.State.REJECTED: "bad",
}


@register.inclusion_tag("doublebright/status/_panel.html", takes_context=True)
def double_bright_panel(context, union):
    """The union's Double Bright card, for the union page of the back office."""
    from ..status_selectors import union_status
    from ..status_views import status_context

    request = context["request"]
    return {**status_context(request, union, union_status(union=union)), "request": request}


@register.filter
def status_action_label(action_type: str) -> str:
    return ACTION_LABELS.get(action_type, action_type)


@register.filter
def coverage_tag(value: str) -> str:
    """A tag for a Coverage value."""
    return format_html(
        '<span class="tag {}">{}</span>', COVERAGE_TAGS.get(value, ""), Coverage.labels[value]
    )


@register.filter
def state_tag(status) -> str:
    """A tag for a status's state; 'not started' when there is none."""
    if status is None:
        return coverage_tag(Coverage.NOT_STARTED)
    return format_html(
        '<span class="tag {}">{}</span>', STATE_TAGS[status.state], status.get_state_display()
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0)
