"""Notices and rankings wired to the standards app's results (issue 5): a notice drafted from
real inspections counts what the standards' selectors count, commends the model units and
lists those below qualified; rankings show exactly the subtree's units in tie-break order."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shuangliang.notices import results, services
from shuangliang.standards import services as standards
from shuangliang.standards.models import Answer, Inspection, Item, Rectification

from .conftest import client_for


def _inspect(union, version, actor, *, failing: int = 0) -> Inspection:
    """A submitted supervisory check of the union: the first `failing` items fail."""
    inspection = Inspection.objects.create(
        kind=Inspection.Kind.SUPERVISORY, union=union, version=version, year=version_year()
    )
    for n, item in enumerate(Item.objects.filter(version=version).order_by("pk")):
        passed = n >= failing
        fields = {"inspection": inspection, "item": item}
        if item.judgement == Item.Judgement.YES_NO:
            fields["yes"] = passed
        elif item.judgement == Item.Judgement.SCALE:
            fields["level"] = item.scale_max if passed else 0
        else:
            fields["number"] = (item.threshold or 0) + (1 if passed else -1)
        Answer.objects.create(**fields)
    return standards.inspection_submit(actor=actor, inspection=inspection)


def version_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def graded(world):
    """Standards of the city (so both counties inherit it): U1 passes every item, U2 fails
    the first (mandatory) one, U3 in county C2 passes everything."""
    city = world.users["city"]
    standard = standards.standard_from_template(
        actor=city, federation=world.city, code="nine_haves"
    )
    version = standards.standard_publish(actor=city, standard=standard)
    Inspection.objects.filter(kind__in=["spot", "mutual", "supervisory"]).delete()
    u1 = _inspect(world.u1, version, city)
    u2 = _inspect(world.u2, version, city, failing=1)
    u3 = _inspect(world.u3, version, city)
    return {"standard": standard, "u1": u1, "u2": u2, "u3": u3}


def test_notice_drafted_from_results_counts_and_tables(world, graded):
    assert graded["u1"].grade == "model" and graded["u2"].grade == "not_qualified"
    notice = services.notice_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        title="关于检查情况的通报",
        year=version_year(),
        standard=graded["standard"],
    )
    assert notice.figures["inspected"] == 2
    assert notice.figures["unions"] == 2
    assert notice.figures["grades"] == {"model": 1, "qualified": 0, "basic": 0, "not_qualified": 1}
    assert [row["union_id"] for row in notice.commended] == [world.u1.pk]
    assert [row["union_id"] for row in notice.to_improve] == [world.u2.pk]
    assert notice.commended[0]["score"] == str(graded["u1"].percent)
    assert notice.to_improve[0]["township"] == world.t2.name


def test_notice_refresh_takes_new_results(world, graded):
    notice = services.notice_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        title="关于检查情况的通报",
        year=version_year(),
        standard=graded["standard"],
    )
    # U2 is inspected again and now passes everything: its latest result counts.
    _inspect(world.u2, graded["u1"].version, world.users["city"])
    notice = services.notice_refresh(actor=world.users["county_c1"], notice=notice)
    assert notice.figures["grades"]["model"] == 2 and notice.to_improve == []


def test_rankings_page_shows_the_subtree_in_tie_break_order(world, graded):
    url = reverse("notices:rankings", args=[world.c1.pk]) + f"?standard={graded['standard'].pk}"
    html = client_for(world, "county_c1").get(url).content.decode()
    assert html.index(world.u1.name) < html.index(world.u2.name)
    assert world.u3.name not in html
    assert 'id="tie-break"' in html
    city_html = (
        client_for(world, "city")
        .get(reverse("notices:rankings", args=[world.city.pk]) + "?by=ownership")
        .content.decode()
    )
    assert world.u3.name in city_html
    assert client_for(world, "county_c2").get(url).status_code == 404


def test_union_results_carry_open_rectifications_and_inspection_date(world, graded):
    rows = {
        row.union_id: row
        for row in results.union_results(
            federation=world.c1, year=version_year(), standard=graded["standard"]
        )
    }
    open_u2 = Rectification.objects.filter(union=world.u2, state="open").count()
    assert open_u2 >= 1
    assert rows[world.u2.pk].open_rectifications == open_u2
    assert rows[world.u1.pk].open_rectifications == 0
    assert rows[world.u1.pk].inspected_on == timezone.localdate()
    assert isinstance(rows[world.u1.pk].inspected_on, datetime.date)
    assert rows[world.u1.pk].industry == world.e1.industry
