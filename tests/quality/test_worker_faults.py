"""QUALITY.md D4 for the worker: a background task that fails half-way (after drawing part of
a batch) leaves no file and no half-done job behind, and the job's page says it failed.

The batch runs as it does in production: queued on the database backend, picked up by
`manage.py db_worker`. (An import cut off while writing: test_import_register.py.)
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from shuangliang.doublebright import print_jobs
from shuangliang.doublebright.models import PrintJob

from ..conftest import client_for
from ..factories import OfficerFactory
from ..test_pdf import needs_tools
from ..test_print_batch import _csrf_client, ask

pytestmark = needs_tools


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_batch_that_fails_half_way_in_the_worker_leaves_no_file_and_says_so(
    default_contract_kinds, world, settings, media_root, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRINT_BATCH_INLINE_MAX = 1
    monkeypatch.setattr(print_jobs, "PROGRESS_INTERVAL", print_jobs.PROGRESS_INTERVAL * 0)
    for _ in range(4):
        OfficerFactory(union=world.u1)
    drawn = []
    real = print_jobs._render

    def dies_half_way(job, progress):
        def report(done):
            progress(done)
            drawn.append(done)
            if done >= 2:
                raise OSError("worker killed")

        return real(job, report)

    monkeypatch.setattr(print_jobs, "_render", dies_half_way)
    client = _csrf_client(world, "county_c1")
    job = ask(client, world.t1, "badges")
    assert job.status == PrintJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert drawn and max(drawn) == 2  # it did stop half-way
    assert job.status == PrintJob.Status.FAILED and job.finished_at is not None
    assert not job.file
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*.pdf"))
    page = client_for(world, "county_c1").get(reverse("doublebright:print_job", args=[job.pk]))
    html = page.content.decode()
    assert job.message and job.message in html
    assert "<progress" not in html
    assert reverse("doublebright:print_job_download", args=[job.pk]) not in html
    download = client_for(world, "county_c1").get(
        reverse("doublebright:print_job_download", args=[job.pk])
    )
    assert download.status_code in (302, 404)
    assert download.get("Content-Type", "") != "application/pdf"
