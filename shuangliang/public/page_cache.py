"""A short server-side cache of the public union page's content, exact on every change.

Why a version stamp in the database and not a delete on change: every gunicorn worker
keeps its own cache (the default LocMem backend), and a signal handler can delete a key
only in the process that made the change — the other workers would keep serving the old
page. So the cache key carries a stamp that is read from the database on every request,
in the same single query that finds the page by its token:

- `UnionPage.updated_at`, which the receivers below set to now whenever something the page
  shows changes: the union, its officers, their persons (names, consents, phones, photo),
  their credentials, the union's enterprises, the cadres assigned to those enterprises (and
  those cadres' names), a federation above the union (the concern contact), or the page
  itself. The bump is an UPDATE in the writer's transaction, so it becomes visible to every
  worker at the same instant as the change, and rolls back with it;
- the newest `updated_at` of the union's officers, because the register import creates
  officers of existing unions with `bulk_create`, which sends no signals;
- today's date (who is in office, and which assignments run, change at midnight) and the
  language.

A withdrawn consent or a new chair therefore changes the key, and the next request renders
the page afresh (QUALITY.md C1). The time limit only bounds the memory a page holds.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone, translation

from shuangliang.campaign.models import Assignment
from shuangliang.doublebright.models import Credential, UnionPage
from shuangliang.register.models import Enterprise, Federation, Officer, Person, Union

PREFIX = "public:union_page:"


def union_page_key(*, page: UnionPage, kind: str = "html") -> str:
    """The cache key of the page's content: the page, its stamps, the day and the language.
    `page` comes from `selectors.union_page_for_public` (with `officers_changed_at`); `kind`
    is the form it is kept in (the HTML page's content, or the public API's data)."""
    parts = (
        kind,
        page.pk,
        page.token,  # a rotated token retires the old content with the old address
        page.updated_at.isoformat(),
        page.officers_changed_at.isoformat() if page.officers_changed_at else "",
        timezone.localdate().isoformat(),
        translation.get_language() or "",
    )
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return PREFIX + digest


def get(key: str):
    """The cached content under `key`, or None (also when the cache is turned off)."""
    if not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return None
    return cache.get(key)


def put(key: str, content) -> None:
    """Keep the content (a text, or plain data) for PUBLIC_PAGE_CACHE_SECONDS (0: not at
    all)."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS:
        if isinstance(content, str):
            content = str(content)  # a plain str, not a SafeString
        cache.set(key, content, settings.PUBLIC_PAGE_CACHE_SECONDS)


def union_pages_touch(condition: Q) -> None:
    """Give the pages matching `condition` a new stamp: their cached content is retired."""
    UnionPage.objects.filter(condition).update(updated_at=timezone.now())


# --- receivers -----------------------------------------------------------------------------
# A row that can move to another union (an officer, an enterprise, an assignment) retires
# the page it leaves before the save (the database still holds the old link) and the page
# it joins after it.


def _moves(instance, update_fields, link: str) -> bool:
    return not instance._state.adding and (
        update_fields is None or link in update_fields or f"{link}_id" in update_fields
    )


def _union_saved(sender, instance: Union, **kwargs) -> None:
    union_pages_touch(Q(union_id=instance.pk))


def _officer_moving(sender, instance: Officer, update_fields=None, **kwargs) -> None:
    if _moves(instance, update_fields, "union"):
        union_pages_touch(Q(union__officers=instance.pk))


def _officer_changed(sender, instance: Officer, **kwargs) -> None:
    union_pages_touch(Q(union_id=instance.union_id))


def _person_saved(sender, instance: Person, created=False, **kwargs) -> None:
    if not created:
        union_pages_touch(Q(union__officers__person=instance.pk))


def _credential_changed(sender, instance: Credential, **kwargs) -> None:
    union_pages_touch(Q(union__officers=instance.officer_id))


def _enterprise_moving(sender, instance: Enterprise, update_fields=None, **kwargs) -> None:
    if _moves(instance, update_fields, "union"):
        union_pages_touch(Q(union__enterprises=instance.pk))


def _enterprise_changed(sender, instance: Enterprise, **kwargs) -> None:
    if instance.union_id is not None:
        union_pages_touch(Q(union_id=instance.union_id))


def _assignment_moving(sender, instance: Assignment, update_fields=None, **kwargs) -> None:
    if _moves(instance, update_fields, "enterprise"):
        union_pages_touch(Q(union__enterprises__assignments=instance.pk))


def _assignment_changed(sender, instance: Assignment, **kwargs) -> None:
    union_pages_touch(Q(union__enterprises=instance.enterprise_id))


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    # A login saves only last_login, which no page shows; a cadre's name is shown.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    union_pages_touch(Q(union__enterprises__assignments__cadre=instance.pk))


def _federation_saved(sender, instance: Federation, created=False, **kwargs) -> None:
    # Rare (a federation's phone or name), but it may be the concern contact of every
    # union below it.
    if not created and instance.path:
        union_pages_touch(Q(union__federation__path__startswith=instance.path))


def connect() -> None:
    """Called once from the app's ready()."""
    uid = "public.page_cache"
    post_save.connect(_union_saved, sender=Union, dispatch_uid=f"{uid}.union")
    pre_save.connect(_officer_moving, sender=Officer, dispatch_uid=f"{uid}.officer.pre")
    post_save.connect(_officer_changed, sender=Officer, dispatch_uid=f"{uid}.officer.save")
    post_delete.connect(_officer_changed, sender=Officer, dispatch_uid=f"{uid}.officer.delete")
    post_save.connect(_person_saved, sender=Person, dispatch_uid=f"{uid}.person")
    post_save.connect(_credential_changed, sender=Credential, dispatch_uid=f"{uid}.cred.save")
    post_delete.connect(_credential_changed, sender=Credential, dispatch_uid=f"{uid}.cred.del")
    pre_save.connect(_enterprise_moving, sender=Enterprise, dispatch_uid=f"{uid}.ent.pre")
    post_save.connect(_enterprise_changed, sender=Enterprise, dispatch_uid=f"{uid}.ent.save")
    post_delete.connect(_enterprise_changed, sender=Enterprise, dispatch_uid=f"{uid}.ent.del")
    pre_save.connect(_assignment_moving, sender=Assignment, dispatch_uid=f"{uid}.asg.pre")
    post_save.connect(_assignment_changed, sender=Assignment, dispatch_uid=f"{uid}.asg.save")
    post_delete.connect(_assignment_changed, sender=Assignment, dispatch_uid=f"{uid}.asg.del")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid=f"{uid}.user")
    post_save.connect(_federation_saved, sender=Federation, dispatch_uid=f"{uid}.federation")
