"""GET /healthz: what a load balancer and monitoring read."""

import datetime

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shuangliang.core.background import background_task


@background_task
def noop() -> None:
    """A task for the queue-age figure."""


def test_health_answers_without_login_and_is_not_cached(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "oldest_queued_task_seconds": 0}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_reports_how_long_the_oldest_task_has_waited(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    noop.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    waited = Client().get("/healthz").json()["oldest_queued_task_seconds"]
    assert 595 <= waited <= 660


def test_health_is_503_when_the_database_fails(db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("shuangliang.core.views.connection", BrokenConnection())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.parametrize("path", ["/healthz"])
def test_health_is_exempt_from_the_https_redirect(db, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(path).status_code == 200
    assert Client().get("/accounts/login/").status_code == 301
