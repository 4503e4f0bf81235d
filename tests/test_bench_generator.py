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


# Activity: appeals and inspections ----------------------------------------------------------


def _staff_client(province):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=province.users["bench_province"]))
    return client


def test_generate_province_appeals_follow_the_apps_rules(province):
    import datetime

    from django.utils import timezone

    from shuangliang.appeals import conf
    from shuangliang.appeals.models import Appeal, Appellant, Route, Status
    from shuangliang.appeals.services import appeals_escalate_overdue
    from shuangliang.appeals.workdays import add_working_days
    from shuangliang.core.models import ActionLogEntry

    appeals = list(Appeal.objects.select_related("handling_federation", "enterprise"))
    assert len(appeals) == TINY.appeal_count == TINY.enterprises * 3 // 2
    statuses = {a.status for a in appeals}
    assert {Status.SUBMITTED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED} <= statuses
    assert Status.DECLINED in statuses
    assert Appellant.objects.count() == sum(1 for a in appeals if not a.is_anonymous)
    assert len({a.tracking_hash for a in appeals}) == len(appeals)
    today = timezone.localdate()
    days = {(today - timezone.localtime(a.submitted_at).date()).days for a in appeals}
    assert max(days) > 600 and min(days) < 30  # two years of them
    for a in appeals:
        submitted_on = timezone.localtime(a.submitted_at).date()
        assert a.accept_due_on == add_working_days(submitted_on, conf.accept_working_days())
        if a.accepted_at is not None:
            accepted_on = timezone.localtime(a.accepted_at).date()
            due = add_working_days(accepted_on, conf.conclude_working_days())
            if a.extension_days:
                due = add_working_days(due, a.extension_days)
            assert a.conclude_due_on == due
        assert (a.answered_at is not None) == (a.status in (Status.ANSWERED, Status.CLOSED))
        assert (a.closed_at is not None) == (a.status in (Status.CLOSED, Status.DECLINED))
        if a.route == Route.UNION:
            assert a.handling_union.federation_id == a.handling_federation_id
        elif a.enterprise is not None:  # a county handles an enterprise's concern
            assert a.handling_federation.level == "county"
        if a.escalated_at is not None:
            assert a.escalated_to_id == a.handling_federation.parent_id
    # Overdue open appeals were escalated as the daily job does: it finds nothing left.
    assert any(
        a.escalated_at for a in appeals if a.status in (Status.SUBMITTED, Status.IN_PROGRESS)
    )
    assert appeals_escalate_overdue() == 0
    # Every appeal's history starts with its submission; handler steps follow.
    entries = ActionLogEntry.objects.filter(action_type__startswith="appeals.appeal.")
    assert entries.filter(action_type="appeals.appeal.submitted").count() == len(appeals)
    accepted = sum(1 for a in appeals if a.accepted_at is not None)
    assert entries.filter(action_type="appeals.appeal.accepted").count() == accepted
    assert all(a.updated_at >= a.submitted_at for a in appeals)
    assert not [a for a in appeals if a.submitted_at > timezone.now()]
    assert datetime.date(2000, 1, 1) < today


def test_generate_province_inspections_are_scored_as_the_app_scores_them(province):
    from shuangliang.standards import scoring
    from shuangliang.standards.models import Answer, Inspection, Rectification

    inspections = list(Inspection.objects.select_related("version"))
    assert len(inspections) == TINY.inspection_count
    kinds = {i.kind for i in inspections}
    assert kinds == {"self", "spot", "mutual", "supervisory"}
    assert {i.version.number for i in inspections} == {1, 2}
    answers: dict[int, list] = {}
    for answer in Answer.objects.select_related("item"):
        answers.setdefault(answer.inspection_id, []).append(answer)
    failed_by_inspection = {}
    for inspection in inspections:
        if inspection.state == "draft":
            assert inspection.id not in answers and inspection.grade == ""
            continue
        judged = []
        for answer in answers[inspection.id]:
            result = scoring.judge(
                answer.item,
                not_applicable=answer.not_applicable,
                yes=answer.yes,
                level=answer.level,
                number=answer.number,
            )
            assert (result.earned, result.failed) == (answer.earned, answer.failed)
            judged.append((answer.item, result))
        version = inspection.version
        result = scoring.score(
            judged,
            (version.threshold_model, version.threshold_qualified, version.threshold_basic),
        )
        assert (inspection.percent, inspection.grade) == (result.percent, result.grade)
        assert inspection.mandatory_failed == result.mandatory_failed
        failed_by_inspection[inspection.id] = {
            a.item_id for a in answers[inspection.id] if a.failed and inspection.kind != "self"
        }
    grades = {i.grade for i in inspections if i.state == "submitted"}
    assert {"model", "qualified", "not_qualified"} <= grades
    tasks: dict[int, set] = {}
    for task in Rectification.objects.all():
        tasks.setdefault(task.inspection_id, set()).add(task.item_id)
    assert tasks == {k: v for k, v in failed_by_inspection.items() if v}
    assert {t.state for t in Rectification.objects.all()} == {"open", "closed", "verified"}


def test_generate_province_pages_and_figures_read_the_generated_activity(province):
    from django.urls import reverse

    from shuangliang.appeals.models import Appeal
    from shuangliang.appeals.selectors import overdue_q
    from shuangliang.standards.models import Rectification
    from shuangliang.standards.selectors import results_queryset
    from shuangliang.statistics.figures import headline_figures

    client = _staff_client(province)
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 200
    newest = Appeal.objects.order_by("-submitted_at", "-id").first()
    assert newest.subject in response.content.decode()
    response = client.get(reverse("appeals:detail", args=[newest.pk]))
    assert response.status_code == 200 and newest.subject in response.content.decode()
    response = client.get(reverse("standards:inspection_list"))
    assert response.status_code == 200
    assert "“九有”基层工会规范化建设标准" in response.content.decode()

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    user = get_user_model().objects.get(pk=province.users["bench_province"])
    figures = headline_figures(user=user, federation=province.county)
    in_county = Appeal.objects.filter(handling_federation__path__startswith=province.county.path)
    assert figures["appeals_received"] == in_county.count() > 0
    today = timezone.localdate()
    assert figures["appeals_overdue"] == in_county.filter(overdue_q(today)).count() > 0
    rated = in_county.exclude(satisfaction="")
    satisfied = rated.filter(satisfaction="satisfied").count()
    assert figures["appeals_satisfaction_rate"] == pytest.approx(
        satisfied / rated.count(), abs=1e-3
    )
    results = results_queryset(year=today.year, federation=province.county)
    assert results.count() > 0
    passing = results.filter(grade__in=["model", "qualified"]).count()
    rate = figures["standard_compliance_rate"]
    assert rate == pytest.approx(passing / results.count(), abs=1e-3)
    open_tasks = Rectification.objects.filter(
        state="open", union__federation__path__startswith=province.county.path
    ).count()
    assert figures["rectifications_open"] == open_tasks


def test_generate_province_stores_the_three_contracts_as_the_register_would(province):
    from shuangliang.register import stored_figures

    assert not stored_figures.mismatches().exists()
    assert Enterprise.objects.filter(stored_figures.stored_q()).exists()


def test_a_superuser_sees_a_city_over_its_generated_counties(province):
    """Issue 7: a superuser opens the dashboard of a city of the generated province; it
    rolls up its counties (a row each, adding up to the headline), every chart has data,
    and the numbers lead to lists of as many records."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from shuangliang.statistics import figures as fig

    superuser = get_user_model().objects.create_superuser("bench-root", password=None)
    client = Client()
    client.force_login(superuser)
    city = province.city
    counties = Federation.objects.filter(parent=city)
    assert counties.count() >= 2
    response = client.get(reverse("statistics:dashboard", args=[city.pk]))
    assert response.status_code == 200
    data = response.context["d"]
    places = data.breakdowns[0]
    assert {row.federation for row, _cells in places.rows if not row.is_remainder} == set(counties)
    for key in ("enterprises_operating", "unions_founded", "three_contracts_signed"):
        by_county = sum(
            fig.headline_figures(user=superuser, federation=county)[key] for county in counties
        )
        assert data.figures[key] == by_county > 0
    charts = data.charts
    assert len(charts["places"]["names"]) == counties.count()
    assert charts["categories"] and charts["grades"]
    assert sum(g["value"] for g in charts["grades"]) == data.figures["standard_assessed"]
    # The numbers lead to their lists (the enterprises, the results of a grade).
    followed = 0
    for cell in data.headline:
        if cell.figure.key in ("enterprises_operating", "unions_founded"):
            listed = client.get(cell.url)
            assert listed.context["page"].paginator.count == cell.value
            followed += 1
    assert followed == 2
    for grade in charts["grades"]:
        listed = client.get(grade["url"])
        assert listed.context["page"].paginator.count == grade["value"]
