"""The minimal write of the benchmark's reference: one row per request."""

from django.db import models


class BenchWrite(models.Model):
    """One posted form, stored as it came (exists only in the bench settings)."""

    key = models.CharField(max_length=200, unique=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
