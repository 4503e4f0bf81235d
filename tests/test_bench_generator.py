"""The benchmark's synthetic province is consistent: counts, codes, pages, tree paths."""

import pytest
from django.db.models import Count, F, Q

from shuangliang.bench.generator import Scale, generate_province
from shuangliang.doublebright.models import Credential, DoubleBrightStatus, UnionPage
from shuangliang.register.models import (
    Enterprise,
    Federation,
    Officer,
    Person,
    Position,
    Union,
)
from shuangliang.register.selectors import stats_summary
from shuangliang.register.validators import validate_credit_code, validate_union_credit_code

TINY = Scale(cities=2, counties=3, townships=9, enterprises=400)


@pytest.fixture
def province(db):
    return generate_province(scale=TINY, seed=3)


def test_generate_province_counts_match_the_scale(province):
    assert Enterprise.objects.count() == TINY.enterprises
    assert Federation.objects.filter(level="city").count() == TINY.cities
    assert Federation.objects.filter(level="county").count() == TINY.counties
    assert Federation.objects.filter(level__in=["township", "park"]).count() == TINY.townships
    unions = Union.objects.count()
    covered = Enterprise.objects.filter(union__isnull=False).count()
    assert 0.9 * TINY.enterprises < covered < TINY.enterprises
    assert 0.8 * covered < unions <= covered
    assert Person.objects.count() == Officer.objects.count()
    assert 4 * unions < Officer.objects.count() < 8 * unions
    assert province.counts["register.Enterprise"] == TINY.enterprises


def test_generate_province_credit_codes_are_valid_and_unique(province):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    for code in codes:
        validate_credit_code(code)
    union_codes = list(
        Union.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
    )
    for code in union_codes:
        validate_union_credit_code(code)
    assert len(set(codes)) == len(codes)
    assert len(set(union_codes)) == len(union_codes)


def test_generate_province_every_union_has_a_page_status_and_one_chair(province):
    assert UnionPage.objects.count() == Union.objects.count()
    assert DoubleBrightStatus.objects.count() == Union.objects.count()
    chairs = Union.objects.annotate(
        n=Count("officers", filter=Q(officers__position=Position.CHAIR, officers__status="active"))
    )
    assert set(chairs.values_list("n", flat=True)) == {1}
    live = Credential.objects.filter(revoked_at=None).values_list("officer_id", flat=True)
    assert len(set(live)) == len(live) > 0
    # Each union's enterprises are in its own township.
    assert (
        not Enterprise.objects.exclude(union=None)
        .exclude(union__federation=F("federation"))
        .exists()
    )


def test_generate_province_tree_paths_are_consistent(province):
    for federation in Federation.objects.select_related("parent"):
        parent_path = federation.parent.path if federation.parent else ""
        assert federation.path.startswith(parent_path)
        assert len(federation.path) == len(parent_path) + 7
        assert federation.depth == len(federation.path) // 7
    county = province.county
    assert Enterprise.objects.filter(federation__path__startswith=county.path).exists()
    assert province.township.parent_id == county.pk
    assert province.county.parent_id == province.city.pk


def test_generate_province_figures_are_plausible_and_new_rows_get_fresh_ids(province):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench_province")
    figures = stats_summary(user=user, federation=province.province)
    assert figures["enterprises_operating"] > 0.8 * TINY.enterprises
    assert 0.9 < figures["coverage_rate"] < 1
    assert 0.7 < figures["three_contracts_rate"] < 1
    assert 0.3 < figures["double_bright_rate"] < 0.8
    # The sequences were reset: an ordinary save gets the next free id.
    person = Person.objects.create(name="新人")
    assert person.pk == Person.objects.order_by("-pk").values_list("pk", flat=True)[1] + 1


def test_generate_province_refuses_a_taken_code(province):
    with pytest.raises(ValueError):
        generate_province(scale=TINY, province_code=province.province.division_code)
