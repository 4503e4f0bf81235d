"""Template helpers of the back office: sortable headers, query strings, status tags."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:
    """A column header that sorts by `key`, and reverses when it already does."""
    request = context["request"]
    current = request.GET.get("sort", "name")
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], arrow = f"-{key}", " ↑"
    elif current == f"-{key}":
        params["sort"], arrow = key, " ↓"
    else:
        params["sort"], arrow = key, ""
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def current_query(context) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()


@register.filter
def reelection_tag(union) -> str:
    from django.utils.translation import gettext as _

    state = union.reelection_state
    due = union.reelection_due_on
    if state == "lapsed":
        return format_html(
            '<span class="tag bad">{}</span>',
            _("Re-election overdue since %(date)s") % {"date": due},
        )
    if state == "due_soon":
        return format_html(
            '<span class="tag warn">{}</span>', _("Re-election due %(date)s") % {"date": due}
        )
    if state == "ok":
        return format_html(
            '<span class="tag ok">{}</span>', _("Term until %(date)s") % {"date": due}
        )
    return format_html('<span class="tag">{}</span>', _("No term recorded"))
