"""Scaling past one worker (issue 9): two `manage.py db_worker` processes against one
PostgreSQL take every queued task exactly once between them.

The database backend takes a task with `SELECT … FOR UPDATE SKIP LOCKED`; this test runs two
real worker processes on the suite's throw-away PostgreSQL (an in-memory SQLite cannot be
shared with other processes) and checks that no task ran twice, none was lost, and both
workers did some of the work.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.test_deploy import database_url
from tests.worker_tasks import record_execution

ROOT = Path(__file__).resolve().parent.parent
TASKS = 60


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_two_workers_take_every_task_exactly_once(transactional_db, database_backend, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can share: runs on PostgreSQL")
    log = tmp_path / "executions.log"
    for number in range(TASKS):
        record_execution.enqueue(str(log), number)
    assert DBTaskResult.objects.filter(status="READY").count() == TASKS

    env = {**os.environ, "DATABASE_URL": database_url(), "TASKS_BACKEND": "database"}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"test-worker-{n}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    deadline = time.monotonic() + 120
    for worker in workers:
        output, _ = worker.communicate(timeout=max(1, deadline - time.monotonic()))
        assert worker.returncode == 0, output

    runs = [line.split() for line in log.read_text().splitlines()]
    numbers = sorted(int(number) for number, _pid in runs)
    assert numbers == list(range(TASKS)), "a task ran twice or not at all"
    assert len({pid for _number, pid in runs}) == 2, "one worker did all the work"
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert {r.worker_ids[0] for r in results} == {"test-worker-1", "test-worker-2"}
