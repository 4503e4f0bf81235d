"""Batches of print materials: all badges, contact cards or signboards of a township or a
county as one PDF, with progress, cached until the data changes.

    queued ──▶ running ──▶ done | failed

A request computes the batch's cache key (kind, options, language, federation and a
fingerprint of the data); a finished job with that key answers at once, and so does one
still running. Otherwise a new job is made: small batches are printed inside the request,
big ones by the background task `print_job_run` (core/background.py), which reports
progress as it draws. Moves between states are conditional updates, so a job runs once.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import log_action
from shuangliang.core.background import background_task, enqueue_on_commit
from shuangliang.core.pdf.layouts import A4_BADGES_8UP, A4_CARDS_10UP
from shuangliang.register.models import Federation

from .models import PrintJob
from .print_selectors import (
    batch_officers,
    batch_unions,
    fingerprint,
    positions_for,
    print_data_fingerprint,
)
from .printing import badge_pdf, contact_cards_pdf, signboards_pdf
from .services import credentials_ensure, union_pages_ensure

logger = logging.getLogger(__name__)

Status = PrintJob.Status
Kind = PrintJob.Kind
RUNNING = {Status.QUEUED, Status.RUNNING}
# Bump when a layout changes, so files printed with the old one are not served again.
CACHE_VERSION = 1
# A running job that has not moved for this long was cut off (the worker stopped).
STALE_AFTER = datetime.timedelta(minutes=15)
# Progress is written at most this often (a write per badge would slow the batch down).
PROGRESS_INTERVAL = datetime.timedelta(seconds=0.5)


class PrintJobError(Exception):
    """The batch cannot be printed as asked; the message is for the user."""


def batch_max_items() -> int:
    """The most items one batch may hold (a province's every badge is not one PDF)."""
    return int(getattr(settings, "PRINT_BATCH_MAX_ITEMS", 5000))


def batch_inline_max() -> int:
    """Batches up to this many items are printed in the request; bigger ones in the
    background."""
    return int(getattr(settings, "PRINT_BATCH_INLINE_MAX", 20))


def print_job_is_stale(job: PrintJob) -> bool:
    return job.is_running and timezone.now() - job.updated_at > STALE_AFTER


def _items(*, federation: Federation, kind: str, options: dict) -> list:
    if kind == Kind.SIGNBOARDS:
        return list(batch_unions(federation=federation))
    positions = positions_for(options.get("positions"))
    return list(batch_officers(federation=federation, positions=positions))


def print_job_cache_key(*, federation: Federation, kind: str, options: dict, language: str) -> str:
    """The fingerprint of everything the batch's PDF is made from."""
    return fingerprint(
        {
            "version": CACHE_VERSION,
            "federation": federation.pk,
            "kind": kind,
            "options": options,
            "language": language,
            "data": print_data_fingerprint(federation=federation, kind=kind, options=options),
        }
    )


def print_job_request(
    *, user, federation: Federation, kind: str, options: dict, language: str
) -> PrintJob:
    """The job that answers this request: a finished one with the same cache key (the file
    is served at once), one still running, or a new one (started now).

    `federation` must come through the access chokepoint; `options` from BatchForm plus the
    public `base_url` the QR codes point to.
    """
    items = _items(federation=federation, kind=kind, options=options)
    if not items:
        raise PrintJobError(_("There is nothing to print for %(place)s.") % {"place": federation})
    if len(items) > batch_max_items():
        raise PrintJobError(
            _(
                "This batch would hold %(count)s items; at most %(limit)s can be printed at "
                "once. Choose a township instead."
            )
            % {"count": len(items), "limit": batch_max_items()}
        )
    # Issue missing public pages and credentials first: issuing one changes the data the
    # cache key is computed from.
    if kind == Kind.SIGNBOARDS:
        union_pages_ensure(unions=items, actor=user)
    else:
        credentials_ensure(officers=items, actor=user)
    key = print_job_cache_key(federation=federation, kind=kind, options=options, language=language)

    cached = (
        PrintJob.objects.filter(cache_key=key, status=Status.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )
    if cached is not None and cached.file.storage.exists(cached.file.name):
        return cached
    running = PrintJob.objects.filter(cache_key=key, status__in=RUNNING).order_by("-id").first()
    if running is not None and not print_job_is_stale(running):
        return running

    with transaction.atomic():
        job = PrintJob.objects.create(
            created_by=user,
            federation=federation,
            kind=kind,
            options=options,
            language=language,
            cache_key=key,
            progress_total=len(items),
        )
        log_action(
            job,
            "doublebright.print_job.requested",
            actor=user,
            data={"kind": kind, "options": options, "language": language, "items": len(items)},
        )
    if len(items) <= batch_inline_max():
        print_job_execute(job_pk=job.pk)
        job.refresh_from_db()
    else:
        enqueue_on_commit(print_job_run, job.pk)
    return job


@background_task
def print_job_run(job_pk: int) -> None:
    """Print one batch (the background task)."""
    print_job_execute(job_pk=job_pk)


def _public_base(job: PrintJob) -> str:
    return job.options.get("base_url", "").rstrip("/")


def _render(job: PrintJob, progress) -> bytes:
    """The batch's PDF, drawn from the data as it is now."""
    options, language, base = job.options, job.language, _public_base(job)
    items = _items(federation=job.federation, kind=job.kind, options=options)
    if job.kind == Kind.SIGNBOARDS:
        pages = union_pages_ensure(unions=items)

        def public_url(union) -> str:
            token = pages[union.pk].token
            return base + reverse("public:union_page", kwargs={"token": token})

        width, height = (int(n) for n in options["size"].split("x"))
        return signboards_pdf(
            items,
            public_url,
            options["orientation"],
            size_mm=(width, height),
            language=language,
            progress=progress,
        )

    credentials = credentials_ensure(officers=items)

    def verify_url(officer) -> str:
        token = credentials[officer.pk].token
        return base + reverse("public:credential_verify", kwargs={"token": token})

    if job.kind == Kind.BADGES:
        sheet = A4_BADGES_8UP if options.get("sheet") == "a4" else None
        return badge_pdf(items, verify_url, sheet=sheet, language=language, progress=progress)
    return contact_cards_pdf(
        items, verify_url, sheet=A4_CARDS_10UP, language=language, progress=progress
    )


def print_job_execute(*, job_pk: int) -> None:
    """Take a queued job, draw its PDF with progress, store the file and mark it done (or
    failed with a message). A job that is not queued any more is left alone."""
    now = timezone.now()
    taken = PrintJob.objects.filter(pk=job_pk, status=Status.QUEUED).update(
        status=Status.RUNNING, updated_at=now
    )
    if not taken:
        return
    job = PrintJob.objects.select_related("federation").get(pk=job_pk)
    last_write = [now]

    def progress(done: int) -> None:
        moment = timezone.now()
        if moment - last_write[0] >= PROGRESS_INTERVAL:
            last_write[0] = moment
            PrintJob.objects.filter(pk=job.pk).update(progress_done=done, updated_at=moment)

    try:
        with translation.override(job.language):
            pdf = _render(job, progress)
    except Exception:
        logger.exception("Print job %s failed", job.pk)
        with translation.override(job.language):
            message = _("The batch could not be printed. Please try again or ask for help.")
        PrintJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, message=message, finished_at=timezone.now()
        )
        return
    job.file.save("batch.pdf", ContentFile(pdf), save=False)
    job.status = Status.DONE
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress_done", "finished_at", "updated_at"])
    _drop_superseded(job)


def _drop_superseded(job: PrintJob) -> None:
    """Delete the files of older batches of the same request whose data has changed since:
    they will never be served again, and they hold personal data."""
    older = (
        PrintJob.objects.filter(
            federation=job.federation_id,
            kind=job.kind,
            options=job.options,
            language=job.language,
            status=Status.DONE,
        )
        .exclude(cache_key=job.cache_key)
        .exclude(file="")
    )
    for stale in older:
        stale.file.delete(save=False)
        stale.save(update_fields=["file", "updated_at"])


def print_job_file_name(job: PrintJob) -> str:
    """The download's name, in the job's language: place, materials and date."""
    with translation.override(job.language):
        kind = job.get_kind_display()
    stamp = timezone.localtime(job.finished_at or job.created_at).date().isoformat()
    return f"{job.federation.name}-{kind}-{stamp}.pdf"
