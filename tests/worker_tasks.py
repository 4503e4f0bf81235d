"""A task for tests/test_two_workers.py, importable by the worker processes it starts."""

import os
import time

from shuangliang.core.background import background_task


@background_task
def record_execution(log_path: str, number: int) -> int:
    """Append "number pid" to a file, one O_APPEND write per run, and take a little time so
    that both workers have tasks to take."""
    time.sleep(0.15)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"{number} {os.getpid()}\n")
    return number
