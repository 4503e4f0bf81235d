"""Background work: django-tasks tasks that carry the request id of whoever asked for them.

A long job (an import, a batch of print materials) is a task defined with `background_task`
and started with `enqueue_on_commit`. With the database backend the task waits in our own
database for a worker (`manage.py db_worker`), and it is enqueued only once the request's
transaction has committed, so the worker always finds the rows the task is about. With the
immediate backend (tests, or `TASKS_BACKEND=immediate`) the task runs at once, inside the
request: there is no other process to wait for.

The request id travels with the task, so action-log entries written by the job point back to
the request that started it.
"""

import functools

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .middleware import current_request_id, use_request_id


def background_task(func=None, **task_options):
    """Like django_tasks.task; the function runs under the enqueuing request's id."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, request_id: str = "-", **kwargs):
            with use_request_id(request_id):
                return function(*args, **kwargs)

        return task(**task_options)(run)

    return decorate(func) if func is not None else decorate


def runs_in_request(background) -> bool:
    """Whether tasks of `background` (a task) run inside the request that enqueues them."""
    return isinstance(background.get_backend(), ImmediateBackend)


def enqueue_on_commit(background, *args, **kwargs) -> None:
    """Start the task once the current transaction commits (at once with the immediate backend)."""
    kwargs["request_id"] = current_request_id()
    if runs_in_request(background):
        background.enqueue(*args, **kwargs)
        return
    transaction.on_commit(lambda: background.enqueue(*args, **kwargs))
