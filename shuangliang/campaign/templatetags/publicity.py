"""Template tags of publicity for pages outside the campaign app (the public federation page)."""

from django import template

from shuangliang.campaign.selectors.publicity import PUBLIC_LATEST, news_public_list
from shuangliang.register.models import Federation

register = template.Library()


@register.simple_tag
def latest_news(federation: Federation) -> list:
    """The federation's latest published news items, newest first (one query)."""
    return list(news_public_list(federation=federation)[:PUBLIC_LATEST])
