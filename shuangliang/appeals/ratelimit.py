"""Rate limits of the public appeal pages (QUALITY.md E2), kept in the database so every
process shares them and a burst of concurrent posts cannot slip past the count.

A client is its connection's address as the server sees it (a forged X-Forwarded-For changes
nothing), stored only as a keyed hash, and buckets are deleted once their window has passed.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from . import conf
from .models import RateLimitBucket


def client_key(request: HttpRequest, action: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    message = f"{action}:{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def rate_limit_hit(key: str, *, limit: int | None = None, window: int | None = None) -> bool:
    """Count one request of `key`; False (and nothing counted) once `limit` requests were made
    within the last `window` seconds."""
    default_limit, default_window = conf.rate_limit()
    limit = default_limit if limit is None else limit
    window = default_window if window is None else window
    now = time.time()
    with transaction.atomic():
        bucket, _created = RateLimitBucket.objects.select_for_update().get_or_create(key=key)
        hits = [t for t in bucket.hits if t > now - window]
        allowed = len(hits) < limit
        if allowed:
            hits.append(now)
        bucket.hits = hits
        bucket.save(update_fields=["hits", "updated_at"])
    return allowed
