"""Writes of publicity: news items, their photos and their publication state.

Every write validates through the model, saves and logs (core.actionlog) in one transaction.
Photos are cleaned by core.images.clean_image before the transaction opens (decoding takes a
while, and SQLite holds its write lock from BEGIN); a refused photo writes nothing. Access
is the caller's business (views fetch through core.access).
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.core.images import clean_image
from shuangliang.register.models import Federation

from .models import NewsItem, NewsPhoto
from .models.publicity import MAX_NEWS_PHOTOS
from .services import CampaignError

TEXT_FIELDS = ["title", "body", "published_on"]

# draft → published → withdrawn → published again; an item is edited in any state.
NEWS_TRANSITIONS: dict[str, frozenset[str]] = {
    NewsItem.State.DRAFT: frozenset({NewsItem.State.PUBLISHED}),
    NewsItem.State.PUBLISHED: frozenset({NewsItem.State.WITHDRAWN}),
    NewsItem.State.WITHDRAWN: frozenset({NewsItem.State.PUBLISHED}),
}

_BLANK_LINES = re.compile(r"\n{3,}")


def _plain(value: str, *, multiline: bool) -> str:
    """Text with control characters dropped (newlines kept in a body), lines trimmed and
    runs of empty lines reduced to one. Nothing is escaped here: templates, the feed and
    the PDF engine each escape or draw plain text on output."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.replace("\n", " ")
    keep = {"\n"} if multiline else set()
    value = "".join(
        char
        for char in value
        if char in keep or not unicodedata.category(char).startswith("C") or char == "\t"
    ).replace("\t", " ")
    if not multiline:
        return " ".join(value.split())
    lines = [line.strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _clean_data(data: dict) -> dict:
    out = {key: data[key] for key in TEXT_FIELDS if key in data}
    if "title" in out:
        out["title"] = _plain(out["title"], multiline=False)
    if "body" in out:
        out["body"] = _plain(out["body"], multiline=True)
    return out


def _add_photos(*, actor, item: NewsItem, cleaned: Sequence) -> None:
    for content in cleaned:
        photo = NewsPhoto(item=item)
        photo.image.save(content.name, content, save=False)
        photo.save()
    if cleaned:
        log_action(item, "campaign.news.photos_added", actor=actor, data={"count": len(cleaned)})


def _check_photo_count(count: int) -> None:
    if count > MAX_NEWS_PHOTOS:
        raise CampaignError(
            _("A news item may have at most %(count)s photos.") % {"count": MAX_NEWS_PHOTOS}
        )


def news_item_create(
    *, actor, federation: Federation, data: dict, photos: Iterable = ()
) -> NewsItem:
    """Write a new draft of the federation with its photos (at most MAX_NEWS_PHOTOS)."""
    photos = list(photos)
    _check_photo_count(len(photos))
    cleaned = [clean_image(photo) for photo in photos]
    with transaction.atomic():
        item = NewsItem(federation=federation, created_by=actor, **_clean_data(data))
        item.full_clean()
        item.save()
        log_action(
            item,
            "campaign.news.created",
            actor=actor,
            data={"created": snapshot(item, ["federation_id", *TEXT_FIELDS])},
        )
        _add_photos(actor=actor, item=item, cleaned=cleaned)
    return item


def news_item_update(
    *,
    actor,
    item: NewsItem,
    data: dict,
    photos: Iterable = (),
    remove_photos: Iterable[NewsPhoto] = (),
) -> NewsItem:
    """Change the item's text and date, drop some of its photos and add new ones. A
    published item may be corrected in place; its state does not change here."""
    photos = list(photos)
    remove = [photo for photo in remove_photos if photo.item_id == item.pk]
    _check_photo_count(item.photos.count() - len(remove) + len(photos))
    cleaned = [clean_image(photo) for photo in photos]
    with transaction.atomic():
        before = snapshot(NewsItem.objects.get(pk=item.pk), TEXT_FIELDS)
        for name, value in _clean_data(data).items():
            setattr(item, name, value)
        if item.state == NewsItem.State.PUBLISHED and item.published_on is None:
            item.published_on = timezone.localdate()
        item.full_clean()
        diff = changes(before, snapshot(item, TEXT_FIELDS))
        if diff:
            item.save(update_fields=[*sorted(diff), "updated_at"])
            log_action(item, "campaign.news.changed", actor=actor, data={"changes": diff})
        if remove:
            for photo in remove:
                photo.image.delete(save=False)
                photo.delete()
            log_action(
                item, "campaign.news.photos_removed", actor=actor, data={"count": len(remove)}
            )
        _add_photos(actor=actor, item=item, cleaned=cleaned)
    return item


@transaction.atomic
def news_item_transition(
    *, actor, item: NewsItem, to: str, on: datetime.date | None = None
) -> NewsItem:
    """Move the item along NEWS_TRANSITIONS. Publishing keeps a date already set (a later
    date schedules it) or dates it `on` / today; the state change is logged."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if to not in NEWS_TRANSITIONS.get(item.state, frozenset()):
        raise CampaignError(
            _("A news item cannot go from “%(from)s” to “%(to)s”.")
            % {"from": item.get_state_display(), "to": NewsItem.State(to).label}
        )
    previous = item.state
    item.state = to
    fields = ["state", "updated_at"]
    if to == NewsItem.State.PUBLISHED and item.published_on is None:
        item.published_on = on or timezone.localdate()
        fields.append("published_on")
    item.full_clean()
    item.save(update_fields=fields)
    log_action(
        item,
        f"campaign.news.{to}",
        actor=actor,
        data={
            "from": previous,
            "to": to,
            "published_on": item.published_on.isoformat() if item.published_on else None,
        },
    )
    return item
