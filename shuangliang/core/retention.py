"""Retention of working files (QUALITY.md C5): uploaded workbooks and printed batches.

Both hold personal data (names, phones) and both can be made again from the register, so
they are kept only as long as a clerk needs them:

- import jobs (their results: counts, errors naming rows) `IMPORT_RETENTION_DAYS` after they
  were last touched; an abandoned job's uploaded workbook goes with it;
- print batches (the PDF file and the job) `PRINT_BATCH_RETENTION_DAYS` after they finished
  or were last touched.

A record exactly at the boundary is kept; one second older is purged.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def _cutoff(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _purge_jobs(model, days: int, now: datetime.datetime | None) -> int:
    """Delete the jobs of `model` untouched for `days`, each with its file."""
    count = 0
    for job in model.objects.filter(updated_at__lt=_cutoff(days, now)).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def purge_import_jobs(now: datetime.datetime | None = None) -> int:
    from .models import ImportJob

    return _purge_jobs(ImportJob, settings.IMPORT_RETENTION_DAYS, now)


def purge_print_jobs(now: datetime.datetime | None = None) -> int:
    from shuangliang.doublebright.models import PrintJob

    return _purge_jobs(PrintJob, settings.PRINT_BATCH_RETENTION_DAYS, now)
