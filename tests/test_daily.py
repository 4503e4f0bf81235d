"""The daily jobs: retention of import jobs and print batches (C5) and the daily runner."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from shuangliang.core.models import ImportJob
from shuangliang.core.retention import purge_import_jobs, purge_print_jobs
from shuangliang.doublebright.models import PrintJob


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _age(model, pk, days: float) -> None:
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


def test_import_jobs_are_purged_after_the_retention_period_with_their_files(world, media, settings):
    settings.IMPORT_RETENTION_DAYS = 30
    keep = world.import_job
    old = ImportJob.objects.create(
        created_by=keep.created_by, federation=keep.federation, original_name="旧名册.xlsx"
    )
    old.file.save("upload.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=True)
    path = media / old.file.name
    assert path.exists()
    _age(ImportJob, keep.pk, 29.99)
    _age(ImportJob, old.pk, 30.01)
    assert purge_import_jobs() == 1
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [keep.pk]
    assert not path.exists()


def test_print_batches_are_purged_after_the_retention_period_with_their_pdf(world, media, settings):
    settings.PRINT_BATCH_RETENTION_DAYS = 30
    keep = world.print_job
    old = PrintJob.objects.get(pk=keep.pk)
    old.pk = None
    old.cache_key = "0" * 64
    old.save()
    old.file.save("batch.pdf", ContentFile(b"%PDF-1.4 names and phones"), save=True)
    path = media / old.file.name
    _age(PrintJob, keep.pk, 29.99)
    _age(PrintJob, old.pk, 30.01)
    assert purge_print_jobs() == 1
    assert list(PrintJob.objects.values_list("pk", flat=True)) == [keep.pk]
    assert not path.exists()


def test_run_daily_runs_every_configured_job_and_reports_a_failure(world, settings, capsys):
    settings.DAILY_COMMANDS = ["purge_working_files", "no_such_command"]
    call_command("run_daily")
    assert "Purged 0 import jobs and 0 print batches." in capsys.readouterr().out

    settings.DAILY_COMMANDS = ["restore /nonexistent", "purge_working_files"]
    with pytest.raises(CommandError, match="restore"):
        call_command("run_daily")
    # The job after the failing one still ran.
    assert "Purged 0 import jobs" in capsys.readouterr().out


def test_the_default_daily_jobs_all_run(world, settings, media, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("run_daily")
    assert "Daily jobs done." in capsys.readouterr().out
