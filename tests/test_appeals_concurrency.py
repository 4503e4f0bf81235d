"""QUALITY.md D2, D3 and E2 under real concurrency: threads with their own connections.

An in-memory SQLite database cannot show this (its shared cache fails at once instead of
waiting); run with SQLITE_TEST_PATH set to a file, or with DATABASE_URL for PostgreSQL."""

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Count, Sum

from shuangliang.appeals import services
from shuangliang.appeals.defaults import ensure_defaults
from shuangliang.appeals.models import Appeal, Category, Channel
from shuangliang.appeals.ratelimit import rate_limit_hit
from shuangliang.statistics.models import AppealTally

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite"
        and (
            not connection.settings_dict["TEST"].get("NAME")
            or "memory" in str(connection.settings_dict["TEST"]["NAME"])
        ),
        reason="needs a file or server database (SQLITE_TEST_PATH or DATABASE_URL)",
    ),
]


def restore_migration_data() -> None:
    from django.apps import apps

    importlib.import_module(
        "shuangliang.register.migrations.0002_default_contract_kinds"
    ).create_kinds(apps, None)
    ensure_defaults()


@pytest.fixture(autouse=True)
def migration_data_before(transactional_db):
    """A transactional test empties every table when it ends: put back what the data
    migrations made before each test (the world needs it)."""
    restore_migration_data()


@pytest.fixture(scope="module", autouse=True)
def migration_data_after(django_db_setup, django_db_blocker):
    """...and after the last one, for the tests that follow."""
    yield
    with django_db_blocker.unblock():
        restore_migration_data()


def run_threads(count: int, job, *args):
    barrier = threading.Barrier(count)

    def work(index):
        try:
            barrier.wait()
            return job(index, *args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(work, range(count)))


def submit_one(index: int, world, form_key: str | None = None):
    return services.appeal_submit(
        form_key=form_key or services.form_key_new(),
        category=Category.objects.get(code="other"),
        subject=f"并发 {index}",
        body="并发提交测试",
        channel=Channel.GENERAL,
        enterprise=world.e1,
        anonymous=True,
    )


def test_no_appeal_is_lost_under_concurrent_submissions(world):
    """16 workers × 20 submissions: committed == attempted, no "database is locked"."""
    before = Appeal.objects.count()

    def twenty(index, world):
        return [submit_one(index * 100 + n, world).created for n in range(20)]

    results = run_threads(16, twenty, world)
    assert sum(len(r) for r in results) == 320
    assert Appeal.objects.count() - before == 320
    # The dashboard's tally of each federation, rewritten by every one of them, counts all.
    tallied = AppealTally.objects.values("federation_id").annotate(n=Sum("received"))
    assert {row["federation_id"]: row["n"] for row in tallied} == {
        row["handling_federation_id"]: row["n"]
        for row in Appeal.objects.values("handling_federation_id").annotate(n=Count("pk"))
    }


def test_same_form_posted_concurrently_makes_one_appeal_and_one_code(world):
    key = services.form_key_new()
    before = Appeal.objects.count()
    results = run_threads(8, submit_one, world, key)
    assert Appeal.objects.count() - before == 1
    assert len({r.tracking_code for r in results}) == 1
    assert len({r.appeal.pk for r in results}) == 1


def test_fifty_concurrent_requests_at_a_limit_of_five_pass_at_most_five(world):
    results = run_threads(50, lambda index: rate_limit_hit("concurrency-test", limit=5, window=600))
    assert sum(results) == 5
