"""The stored "is the union's result" of each inspection (standards.results): written with every
submission and deletion, equal to the derived rule, checked and repaired by
`check_stored_figures`, and what the figures count."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from shuangliang.bench.generator import SCALES, generate_province
from shuangliang.standards import results, selectors, services
from shuangliang.standards.models import Grade, Inspection
from shuangliang.statistics import figures as fig

from .conftest import client_for
from .standards_world import _answer_all


def assert_stored_equals_derived() -> int:
    """Every inspection's stored flag equals the derived one; returns the number of results."""
    assert not results.mismatches().exists()
    year = timezone.localdate().year
    as_derived = selectors.results_queryset(year=year, as_of=timezone.localdate())
    assert set(selectors.results_queryset(year=year).values_list("pk", flat=True)) == set(
        as_derived.values_list("pk", flat=True)
    )
    return Inspection.objects.filter(is_result=True).count()


def submit(world, union, *, kind="spot", failing=0) -> Inspection:
    inspection = Inspection.objects.create(
        kind=kind, union=union, version=world.version1, year=timezone.localdate().year
    )
    _answer_all(inspection, failing=failing)
    return services.inspection_submit(actor=world.users["county_c1"], inspection=inspection)


def result_of(union) -> int | None:
    return (
        Inspection.objects.filter(union=union, is_result=True).values_list("pk", flat=True).first()
    )


def test_the_latest_inspectors_check_is_the_result_and_a_self_check_never(world):
    first = world.inspection_done  # the world's supervisory check of U1, failed
    assert result_of(world.u1) == first.pk
    later = submit(world, world.u1, failing=0)
    assert result_of(world.u1) == later.pk
    first.refresh_from_db()
    assert not first.is_result
    own = submit(world, world.u2, kind="self")
    assert not Inspection.objects.get(pk=own.pk).is_result
    assert result_of(world.u2) is None
    # A draft is never a result, even after it is saved again.
    world.inspection1.save()
    assert not Inspection.objects.get(pk=world.inspection1.pk).is_result
    assert assert_stored_equals_derived() == 1


def test_deleting_the_result_makes_the_previous_check_the_result(world):
    first = world.inspection_done
    later = submit(world, world.u1)
    later.delete()
    assert result_of(world.u1) == first.pk
    # Deleting a check that is not the result changes nothing.
    again = submit(world, world.u1)
    Inspection.objects.get(pk=first.pk).delete()
    assert result_of(world.u1) == again.pk
    assert_stored_equals_derived()


def test_another_year_or_another_union_is_its_own_group(world):
    this_year = submit(world, world.u1)
    last_year = Inspection.objects.create(
        kind="spot", union=world.u1, version=world.version1, year=this_year.year - 1
    )
    _answer_all(last_year)
    services.inspection_submit(actor=world.users["county_c1"], inspection=last_year)
    other = submit(world, world.u2)
    flags = dict(
        Inspection.objects.filter(pk__in=[this_year.pk, last_year.pk, other.pk]).values_list(
            "pk", "is_result"
        )
    )
    assert flags == {this_year.pk: True, last_year.pk: True, other.pk: True}
    assert_stored_equals_derived()


def test_the_dashboard_counts_the_stored_results(world):
    submit(world, world.u1, failing=0)  # supersedes the world's failed check
    submit(world, world.u2, failing=0)
    figures = fig.headline_figures(user=world.users["county_c1"], federation=world.c1)
    assert figures["standard_assessed"] == 2
    assert figures["standard_compliance_rate"] == 1.0
    # The counts and the results page's rows are the same rows.
    rows = selectors.union_results(federation=world.c1, year=timezone.localdate().year)
    assert len(rows) == figures["standard_assessed"]


def test_a_past_day_is_still_derived(world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    later = submit(world, world.u1)
    Inspection.objects.filter(pk=world.inspection_done.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=2)
    )
    results.refresh(results.group_of(later))
    as_of = selectors.results_queryset(year=later.year, as_of=yesterday)
    assert list(as_of.values_list("pk", flat=True)) == [world.inspection_done.pk]
    assert list(selectors.results_queryset(year=later.year).values_list("pk", flat=True)) == [
        later.pk
    ]


def test_check_command_finds_and_repairs_a_wrong_flag(world):
    later = submit(world, world.u1)
    call_command("check_stored_figures", stdout=io.StringIO())
    # A queryset update skips the receivers: both flags are now wrong.
    Inspection.objects.filter(pk=later.pk).update(is_result=False)
    Inspection.objects.filter(pk=world.inspection_done.pk).update(is_result=True)
    with pytest.raises(CommandError, match="2 inspections"):
        call_command("check_stored_figures", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_stored_figures", "--repair", stdout=out)
    assert "2 inspections" in out.getvalue()
    assert result_of(world.u1) == later.pk
    assert_stored_equals_derived()


def test_the_demo_and_the_generator_store_them(db):
    call_command("load_demo", stdout=io.StringIO())
    generate_province(scale=SCALES["tiny"], seed=5, province_code="980000")
    assert assert_stored_equals_derived() > 0
    call_command("check_stored_figures", stdout=io.StringIO())


def _dashboard_grades(world, role, federation) -> tuple[list[dict] | None, str]:
    response = client_for(world, role).get(reverse("statistics:dashboard", args=[federation.pk]))
    assert response.status_code == 200
    return response.context["charts"]["grades"], response.content.decode()


def test_the_dashboard_draws_the_grades_and_each_leads_to_its_results(world):
    """The grade chart counts this year's results per grade as the user sees them, from the
    tallies for a whole node and live for a part of it, and each grade leads to a results
    list of exactly that many unions of that grade."""
    submit(world, world.u2, failing=0)  # U2 (township T2) passes; U1 keeps its failed check
    year = timezone.localdate().year
    for role, federation in (("county_c1", world.c1), ("township_t1", world.t1)):
        user = world.users[role]
        grades, html = _dashboard_grades(world, role, federation)
        expected = selectors.grade_distribution(federation=federation, year=year, user=user)
        assert [g["grade"] for g in grades] == list(Grade.values)  # best first
        assert {g["grade"]: g["value"] for g in grades} == expected
        assert 'data-chart="grades"' in html
        client = client_for(world, role)
        for g in grades:
            assert f'href="{escape(g["url"])}"' in html
            page = client.get(g["url"])
            assert page.status_code == 200
            rows = page.context["rows"]
            assert page.context["page"].paginator.count == len(rows) == g["value"]
            assert {row.grade for row in rows} <= {g["grade"]}
    # The township's user does not see T2's result.
    grades, _html = _dashboard_grades(world, "township_t1", world.t1)
    assert sum(g["value"] for g in grades) == 1
    county_grades, _html = _dashboard_grades(world, "county_c1", world.c1)
    assert sum(g["value"] for g in county_grades) == 2


def test_the_dashboard_says_when_there_are_no_results_yet(world):
    Inspection.objects.all().delete()
    grades, html = _dashboard_grades(world, "county_c1", world.c1)
    assert grades is None
    assert 'data-chart="grades"' not in html
    assert "今年尚无检查结果" in html  # "No inspection results this year yet."


def test_the_results_page_filters_by_grade_and_pages(world, settings):
    settings.LIST_PAGE_SIZE = 1
    submit(world, world.u2, failing=0)
    client = client_for(world, "county_c1")
    url = reverse("standards:results")
    every = client.get(url, {"federation": world.c1.pk})
    assert every.context["page"].paginator.count == 2
    assert len(every.context["rows"]) == 1 and 'rel="next"' in every.content.decode()
    second = client.get(url, {"federation": world.c1.pk, "page": 2})
    assert {r.union_id for r in every.context["rows"] + second.context["rows"]} == {
        world.u1.pk,
        world.u2.pk,
    }
    failed = Inspection.objects.get(pk=world.inspection_done.pk).grade
    only = client.get(url, {"federation": world.c1.pk, "grade": failed})
    assert [r.union_id for r in only.context["rows"]] == [world.u1.pk]
    # An unknown grade is no filter at all.
    unknown = client.get(url, {"federation": world.c1.pk, "grade": "<b>"})
    assert unknown.context["grade"] == "" and unknown.context["page"].paginator.count == 2
