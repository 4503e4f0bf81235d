"""Import jobs: an uploaded workbook checked, then (once confirmed) written, with progress.

    mapping ──mapped──▶ queued ──▶ validating ──▶ invalid | ready | failed
    ready ──confirmed──▶ importing ──▶ done | invalid | failed

Both runs go through `register_import` (the check is its dry run). They run as the background
task `import_job_run` (core/background.py: a worker picks it up once the request's transaction
has committed; with the immediate backend it runs inside the request). Moves between states are
conditional updates, so a double-clicked confirm writes once. The uploaded file is deleted when
a job ends.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shuangliang.core.background import background_task, enqueue_on_commit
from shuangliang.core.models import ImportJob
from shuangliang.core.xlsx import SpreadsheetError

from ..models import Federation
from .columns import SheetLayout

logger = logging.getLogger(__name__)

Status = ImportJob.Status
CHECK, WRITE = "check", "write"
ENDED = {Status.INVALID, Status.DONE, Status.FAILED}
TRANSITIONS = {
    Status.MAPPING: {Status.QUEUED},
    Status.QUEUED: {Status.VALIDATING, Status.IMPORTING, Status.FAILED},
    Status.VALIDATING: {Status.INVALID, Status.READY, Status.FAILED},
    Status.READY: {Status.QUEUED},
    Status.IMPORTING: {Status.DONE, Status.INVALID, Status.FAILED},
}
# A running job that has not moved for this long was cut off (the server restarted).
STALE_AFTER = datetime.timedelta(minutes=15)


class ImportJobError(Exception):
    """The job is not in a state that allows this step; the message is for the user."""


def import_job_get_for_user(*, user, pk: int) -> ImportJob | None:
    """An import job, only for the user who started it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ImportJob.objects.filter(pk=pk, created_by=user).select_related("federation").first()


def import_job_is_stale(job: ImportJob) -> bool:
    return job.is_running and timezone.now() - job.updated_at > STALE_AFTER


def _move(job: ImportJob, to: str, **fields) -> bool:
    """Move the job to `to` if no one else has moved it first; True when this call did."""
    sources = [state for state, targets in TRANSITIONS.items() if to in targets]
    fields["updated_at"] = timezone.now()
    moved = ImportJob.objects.filter(pk=job.pk, status__in=sources).update(status=to, **fields)
    if moved:
        job.status = to
        for name, value in fields.items():
            setattr(job, name, value)
    return bool(moved)


@transaction.atomic
def import_job_create(
    *, user, federation: Federation, upload: UploadedFile, layouts: list[SheetLayout]
) -> ImportJob:
    """Store an upload; ask for a column mapping when headers were not recognised, else check."""
    unknown = [
        {
            "sheet": layout.title,
            "kind": layout.kind,
            "column": column,
            "header": header,
            "taken": sorted(set(layout.columns.values())),
        }
        for layout in layouts
        if layout.kind
        for column, header in layout.unknown
    ]
    job = ImportJob(
        created_by=user,
        federation=federation,
        original_name=(upload.name or "")[:255],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        unknown_columns=unknown,
        status=Status.MAPPING if unknown else Status.QUEUED,
    )
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    if not unknown:
        _start(job, CHECK)
    return job


def import_job_map(*, job: ImportJob, mapping: dict[str, dict[str, str]]) -> ImportJob:
    """Record the user's choice for each unrecognised column, then check the rows."""
    if not _move(job, Status.QUEUED, column_mapping=mapping):
        raise ImportJobError(_("The columns of this import have already been chosen."))
    _start(job, CHECK)
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Write a checked import (the rows are checked again while they are written)."""
    if job.status != Status.READY or not _move(job, Status.QUEUED, processed_rows=0):
        raise ImportJobError(_("This import is not ready to be written."))
    _start(job, WRITE)
    return job


def _start(job: ImportJob, phase: str) -> None:
    enqueue_on_commit(import_job_run, job.pk, phase)


@background_task
def import_job_run(job_pk: int, phase: str) -> None:
    """Check or write an import job (the background task)."""
    _run(job_pk, phase)


def _run(job_pk: int, phase: str) -> None:
    from . import register_import

    job = ImportJob.objects.select_related("federation", "created_by").get(pk=job_pk)
    if not _move(job, Status.VALIDATING if phase == CHECK else Status.IMPORTING):
        return

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_pk).update(
            processed_rows=done, total_rows=total, updated_at=timezone.now()
        )

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with job.file.open("rb") as handle:
                result = register_import(
                    file=handle,
                    federation=job.federation,
                    actor=job.created_by,
                    column_mapping=job.column_mapping,
                    dry_run=phase == CHECK,
                    progress=progress,
                    log_data={"source": "import", "file": job.original_name, "job": job.pk},
                )
        except SpreadsheetError as exc:
            _end(job, Status.FAILED, message=str(exc))
            return
        except Exception:
            logger.exception("Import job %s stopped", job_pk)
            _end(
                job,
                Status.FAILED,
                message=_("The import stopped unexpectedly; nothing was written."),
            )
            return
    if result.errors:
        status = Status.INVALID
    else:
        status = Status.READY if phase == CHECK else Status.DONE
    _end(
        job,
        status,
        counts=result.counts,
        errors=[list(error) for error in result.errors],
        warnings=result.warnings,
        total_rows=result.total_rows,
        processed_rows=result.total_rows,
    )


def _end(job: ImportJob, status: str, **fields) -> None:
    if status in ENDED:
        fields["finished_at"] = timezone.now()
    _move(job, status, **fields)
    if status in ENDED and job.file:
        job.file.delete(save=False)  # the workbook may hold personal data; keep only results
        ImportJob.objects.filter(pk=job.pk).update(file="")
