"""Publicity (宣傳): a federation's news items (資訊簡報) with their photos.

A news item's title and body are plain text: each line of the body is a paragraph, and
nothing in them is ever treated as markup (QUALITY.md B6). An item reaches the public only
while it is published and its publication date has come.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_NEWS_PHOTOS = 4


class NewsItem(models.Model):
    """A short news item of a federation, written by its staff, with a publication state."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    federation = models.ForeignKey(
        "register.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="news_items",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=8000,
        help_text=_("Plain text: each line is a paragraph."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish today. A later date keeps it hidden until then."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["federation", "state", "published_on"])]
        constraints = [
            models.CheckConstraint(
                name="news_item_published_has_date",
                condition=~Q(state="published") | Q(published_on__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign:news_detail", args=[self.pk])

    def is_public_on(self, day: datetime.date) -> bool:
        return (
            self.state == self.State.PUBLISHED
            and self.published_on is not None
            and self.published_on <= day
        )

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs: every line that is not empty."""
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class NewsPhoto(models.Model):
    """A photo of a news item, stored as a cleaned JPEG (core.images.clean_image)."""

    item = models.ForeignKey(
        NewsItem, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="news/%Y/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("news photo")
        verbose_name_plural = _("news photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.item} #{self.pk}"
