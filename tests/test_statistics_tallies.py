"""The dashboards' tallies (statistics.tallies): per federation counts of appeals, inspection
results and open rectifications, kept in the same transaction as every change, summed for
today's figures of a whole node, and always equal to the live aggregate they replace."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shuangliang.appeals import services as appeal_services
from shuangliang.appeals.models import Appeal, Category, Satisfaction
from shuangliang.standards import services as standard_services
from shuangliang.standards.models import Inspection, Rectification
from shuangliang.statistics import figures as fig
from shuangliang.statistics import tallies
from shuangliang.statistics.figures import core as figures_core
from shuangliang.statistics.models import AppealTally, RectificationTally, ResultTally

from .appeals_world import submit
from .standards_world import _answer_all

PROVIDERS = ("appeals", "standards")


def _nonzero(groups: dict) -> dict:
    """A group with nothing in it is the same as no group."""
    return {key: counts for key, counts in groups.items() if any(counts.values())}


def counted(query: fig.Query, dimension: str, *, live: bool, monkeypatch) -> dict:
    if live:
        monkeypatch.setattr(tallies, "usable", lambda query: False)
    try:
        return {
            name: _nonzero(fig.PROVIDERS[name][0](query, dimension) or {}) for name in PROVIDERS
        }
    finally:
        monkeypatch.undo()


def assert_tallies_equal_live(world, monkeypatch) -> dict:
    """For every node and user that reads tallies: the tallied counts equal the live ones."""
    cases = [
        (None, world.city),
        (world.users["county_c1"], world.c1),
        (world.users["leader_c1"], world.c1),
        (world.users["township_t1"], world.t1),
        (world.users["superuser"], None),
    ]
    for user, root in cases:
        query = fig.Query(user=user, root=root)
        assert tallies.usable(query)
        for dimension in (fig.ALL, fig.PLACE, fig.CATEGORY):
            tallied = counted(query, dimension, live=False, monkeypatch=monkeypatch)
            assert tallied == counted(query, dimension, live=True, monkeypatch=monkeypatch), (
                user,
                root,
                dimension,
            )
    out = io.StringIO()
    call_command("check_stored_figures", stdout=out)
    return counted(fig.Query(root=world.c1), fig.ALL, live=False, monkeypatch=monkeypatch)


def test_who_reads_the_tallies(world):
    users = world.users
    assert tallies.usable(fig.Query(user=None, root=world.city))
    assert tallies.usable(fig.Query(user=users["superuser"], root=None))
    assert tallies.usable(fig.Query(user=users["county_c1"], root=world.t1))
    assert tallies.usable(fig.Query(user=users["leader_c1"], root=world.c1))
    # Seeing only part of the node: the live count over what they may see.
    assert not tallies.usable(fig.Query(user=users["township_t1"], root=world.c1))
    assert not tallies.usable(fig.Query(user=users["cadre"], root=world.c1))
    assert not tallies.usable(fig.Query(user=users["chair_u1"], root=world.c1))
    assert not tallies.usable(fig.Query(user=users["county_c1"], root=None))
    # A past day is derived from the rows.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert not tallies.usable(fig.Query(user=None, root=world.city, as_of=yesterday))


def test_appeals_are_tallied_through_their_whole_life(world, monkeypatch):
    county = world.users["county_c1"]
    counts = assert_tallies_equal_live(world, monkeypatch)["appeals"]
    assert counts[None]["appeals_received"] == 2  # the world's two
    appeal = submit(
        enterprise=world.e1,
        wants_union=False,
        subject="社保未缴",
        category=Category.objects.get(code="social_insurance"),
    )
    assert_tallies_equal_live(world, monkeypatch)
    appeal_services.appeal_accept(appeal=appeal, actor=county)
    assert_tallies_equal_live(world, monkeypatch)
    # Sent on to the township: counted there from now on.
    appeal_services.appeal_transfer(appeal=appeal, actor=county, federation=world.t1)
    assert AppealTally.objects.filter(federation=world.t1).exists()
    assert_tallies_equal_live(world, monkeypatch)
    appeal = Appeal.objects.get(pk=appeal.pk)
    appeal_services.appeal_reply(
        appeal=appeal, actor=world.users["township_t1"], body="已协调补缴。", final=True
    )
    appeal_services.appeal_close(
        appeal=Appeal.objects.get(pk=appeal.pk), actor=county, satisfaction=Satisfaction.SATISFIED
    )
    counts = assert_tallies_equal_live(world, monkeypatch)["appeals"][None]
    assert counts["appeals_received"] == 3
    assert counts["appeals_satisfied"] == 1
    by_category = fig.PROVIDERS["appeals"][0](fig.Query(root=world.c1), fig.CATEGORY)
    assert by_category[appeal.category_id]["appeals_received"] == 1
    Appeal.objects.filter(pk=appeal.pk).get().delete()
    counts = assert_tallies_equal_live(world, monkeypatch)["appeals"][None]
    assert counts["appeals_received"] == 2


def test_overdue_follows_the_day_without_a_write(world, monkeypatch):
    query = fig.Query(user=world.users["county_c1"], root=world.c1)
    before = counted(query, fig.ALL, live=False, monkeypatch=monkeypatch)
    assert before["appeals"][None]["appeals_overdue"] == 0
    later = timezone.localdate() + datetime.timedelta(days=400)
    monkeypatch.setattr(figures_core.timezone, "localdate", lambda *a: later)
    after = fig.PROVIDERS["appeals"][0](query, fig.ALL)[None]
    monkeypatch.setattr(tallies, "usable", lambda query: False)
    live = fig.PROVIDERS["appeals"][0](query, fig.ALL)[None]
    monkeypatch.undo()
    assert after["appeals_overdue"] == live["appeals_overdue"] == 2


def test_results_and_rectifications_are_tallied(world, monkeypatch):
    county = world.users["county_c1"]
    counts = assert_tallies_equal_live(world, monkeypatch)["standards"][None]
    assert counts["standard_assessed"] == 1 and counts["rectifications_open"] == 1
    # A later passing check of U1 supersedes the world's failed one.
    later = Inspection.objects.create(
        kind="spot", union=world.u1, version=world.version1, year=timezone.localdate().year
    )
    _answer_all(later, failing=0)
    standard_services.inspection_submit(actor=county, inspection=later)
    counts = assert_tallies_equal_live(world, monkeypatch)["standards"][None]
    assert counts["standard_assessed"] == 1 and counts["standard_compliant"] == 1
    # Per grade: the failed check no longer counts, the passing one does.
    later.refresh_from_db()
    assert {key: counts[key] for key in fig.GRADE_FIGURE_KEYS if counts[key]} == {
        f"standard_{later.grade}": 1
    }
    # The task closed and verified: no longer open.
    task = Rectification.objects.get(pk=world.rectification1.pk)
    task.state = Rectification.State.VERIFIED
    task.save()
    counts = assert_tallies_equal_live(world, monkeypatch)["standards"][None]
    assert counts["rectifications_open"] == 0
    Inspection.objects.get(pk=later.pk).delete()
    counts = assert_tallies_equal_live(world, monkeypatch)["standards"][None]
    assert counts["standard_compliant"] == 0 and counts["standard_assessed"] == 1


def test_a_union_moving_or_deleted_takes_its_counts_along(world, monkeypatch):
    assert ResultTally.objects.filter(federation=world.t1).exists()
    union = world.u1
    union.federation = world.t2
    union.save()
    assert not ResultTally.objects.filter(federation=world.t1).exists()
    assert RectificationTally.objects.filter(federation=world.t2).exists()
    assert_tallies_equal_live(world, monkeypatch)
    world.u2.delete()
    assert_tallies_equal_live(world, monkeypatch)


def test_check_command_finds_and_repairs_a_wrong_tally(world):
    call_command("check_stored_figures", stdout=io.StringIO())
    AppealTally.objects.update(received=99)
    RectificationTally.objects.all().delete()
    with pytest.raises(CommandError, match="appeals tally"):
        call_command("check_stored_figures", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_stored_figures", "--repair", stdout=out)
    assert "appeals" in out.getvalue() and "rectifications" in out.getvalue()
    call_command("check_stored_figures", stdout=io.StringIO())


# Concurrent intake: tests/test_appeals_concurrency.py checks the tallies after 320 appeals
# from 16 threads (on a SQLite file and on PostgreSQL).


def test_todays_enterprise_counts_compiled_once_equal_the_orm(world, monkeypatch):
    """The headline counts of a whole node run a query compiled once (core.prepared); they
    equal the ORM's aggregate over what the user sees, for every node and both groupings."""
    from .factories import EnterpriseFactory, UnionFactory

    for township in (world.t1, world.t2, world.t1):
        EnterpriseFactory(federation=township, union=UnionFactory(federation=township))
    EnterpriseFactory(federation=world.t2)
    for user, root in (
        (world.users["county_c1"], world.c1),
        (world.users["city"], world.city),
        (world.users["county_c1"], world.t2),
        (None, None),
    ):
        query = fig.Query(user=user, root=root)
        for dimension in (fig.ALL, fig.PLACE):
            provider = fig.PROVIDERS["enterprises"][0]
            prepared = provider(query, dimension)
            monkeypatch.setattr(tallies, "usable", lambda query: False)
            assert prepared == provider(query, dimension), (root, dimension)
            monkeypatch.undo()
    everything = fig.PROVIDERS["enterprises"][0](fig.Query(), fig.ALL)[None]
    assert everything["enterprises_operating"] >= 4 and everything["unions_founded"] >= 3
