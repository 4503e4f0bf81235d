"""Issue 6: the campaign plan, its timeline and targets, assignments, visits and follow-ups.

The standing cast (tests/conftest.py, tests/campaign_world.py): county C1 runs the seed's plan
with today in phase two; the cadre is assigned to E2 (township T2) and visited it once.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from PIL import Image

from shuangliang.campaign import selectors, services
from shuangliang.campaign.models import (
    Assignment,
    Campaign,
    FocusTagChange,
    FollowUp,
    Metric,
    Phase,
    Target,
    Task,
    Visit,
    VisitPhoto,
    WorkTeam,
)
from shuangliang.campaign.plan_templates import DOUBLE_BRIGHT_SEED
from shuangliang.core.actionlog import history_for
from shuangliang.core.models import Membership
from shuangliang.core.months import add_months
from shuangliang.register.models import Enterprise
from shuangliang.register.selectors import stats_summary

from .conftest import client_for
from .factories import EnterpriseFactory, UnionFactory, UserFactory, membership

TODAY = timezone.localdate


def _post(client, url, data=None, **extra):
    """A POST with a valid CSRF token, as the browser sends it."""
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=secret, **extra)


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    out.seek(0)
    out.name = "photo.jpg"
    return out


# --- the plan template ----------------------------------------------------------------------


def test_campaign_instantiate_copies_the_seed_plan_dated_by_month(world):
    start = datetime.date(2012, 6, 1)
    campaign = services.campaign_instantiate(
        actor=world.users["county_c1"],
        federation=world.c1,
        template_code=DOUBLE_BRIGHT_SEED.code,
        starts_on=start,
        language="en",
    )
    assert (campaign.starts_on, campaign.ends_on) == (start, datetime.date(2013, 12, 31))
    phases = list(campaign.phases.filter(parent__isnull=True).order_by("starts_on"))
    assert [(p.name, p.starts_on, p.ends_on) for p in phases] == [
        ("Phase one", datetime.date(2012, 6, 1), datetime.date(2012, 12, 31)),
        ("Phase two", datetime.date(2013, 1, 1), datetime.date(2013, 12, 31)),
    ]
    stages = campaign.phases.filter(parent__isnull=False).order_by("starts_on")
    assert [(s.starts_on.strftime("%Y-%m"), s.ends_on.strftime("%Y-%m")) for s in stages] == [
        ("2012-06", "2012-06"),  # mobilisation, month 1
        ("2012-07", "2012-09"),  # solid progress, months 2-4
        ("2012-10", "2012-12"),  # inspection and review, months 5-7
        ("2013-01", "2013-06"),  # full push, months 8-13
        ("2013-07", "2013-12"),  # consolidation, months 14-19
    ]
    assert campaign.tasks.count() == len(DOUBLE_BRIGHT_SEED.tasks)
    assert set(campaign.tasks.values_list("federation", flat=True)) == {world.c1.pk}
    targets = [(t.metric, t.percent, t.due_on) for t in campaign.targets.order_by("due_on", "id")]
    assert (Metric.DOUBLE_BRIGHT, 50, datetime.date(2012, 12, 31)) in targets
    assert (Metric.DOUBLE_BRIGHT, 75, datetime.date(2013, 6, 30)) in targets
    assert (Metric.DOUBLE_BRIGHT, 100, datetime.date(2013, 12, 31)) in targets
    assert history_for(campaign).filter(action_type="campaign.campaign.instantiated").count() == 1


def test_campaign_create_page_instantiates_for_a_changeable_federation_only(world):
    client = client_for(world, "county_c1")
    url = reverse("campaign:campaign_create")
    data = {"template": DOUBLE_BRIGHT_SEED.code, "starts_on": "2026-01-01", "name": "甲县方案"}
    response = _post(client, url, {**data, "federation": world.c2.pk})
    assert response.status_code == 200 and not Campaign.objects.filter(name="甲县方案").exists()
    response = _post(client, url, {**data, "federation": world.c1.pk})
    campaign = Campaign.objects.get(name="甲县方案")
    assert response.status_code == 302 and campaign.federation == world.c1


def test_campaign_adjusting_a_phase_outside_the_period_is_refused(world):
    phase = world.phase1
    client = client_for(world, "county_c1")
    url = reverse("campaign:phase_edit", args=[phase.pk])
    before = (phase.starts_on, phase.ends_on)
    early = phase.campaign.starts_on - datetime.timedelta(days=40)
    data = {"name": phase.name, "starts_on": early.isoformat(), "ends_on": phase.ends_on}
    response = _post(client, url, data)
    assert response.status_code == 200
    phase.refresh_from_db()
    assert (phase.starts_on, phase.ends_on) == before
    later = phase.starts_on + datetime.timedelta(days=3)
    response = _post(client, url, {**data, "starts_on": later.isoformat()})
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.starts_on == later


# --- who may do what with the plan ----------------------------------------------------------


def test_campaign_township_follows_the_county_plan_but_cannot_change_it(world):
    client = client_for(world, "township_t1")
    campaign = world.campaign1
    assert client.get(reverse("campaign:campaign_detail", args=[campaign.pk])).status_code == 200
    for name, pk in [
        ("campaign:campaign_edit", campaign.pk),
        ("campaign:phase_edit", world.phase1.pk),
        ("campaign:target_edit", world.target1.pk),
        ("campaign:task_edit", world.task1.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert _post(client, reverse(name, args=[pk]), {"name": "x"}).status_code == 404
    assert _post(client, reverse("campaign:task_done", args=[world.task1.pk])).status_code == 404
    world.task1.refresh_from_db()
    assert world.task1.done_on is None


def test_campaign_township_adds_its_own_task_which_another_township_does_not_see(world):
    client = client_for(world, "township_t1")
    url = reverse("campaign:task_create", args=[world.campaign1.pk])
    due = (TODAY() + datetime.timedelta(days=10)).isoformat()
    # Posting the county as owner is refused: the choice is limited to what T1 may change.
    response = _post(client, url, {"title": "镇任务", "federation": world.c1.pk, "due_on": due})
    assert response.status_code == 200 and not Task.objects.filter(title="镇任务").exists()
    response = _post(client, url, {"title": "镇任务", "federation": world.t1.pk, "due_on": due})
    assert response.status_code == 302
    task = Task.objects.get(title="镇任务")
    assert (task.campaign, task.federation) == (world.campaign1, world.t1)
    # T1 changes its own task; T2's staff and the county see it accordingly.
    assert client.get(reverse("campaign:task_edit", args=[task.pk])).status_code == 200
    t2_staff = UserFactory(username="township_t2")
    membership(t2_staff, Membership.Role.FEDERATION_STAFF, federation=world.t2)
    timeline = selectors.campaign_timeline(user=t2_staff, campaign=world.campaign1)
    assert task not in timeline.tasks and world.task1 in timeline.tasks
    timeline = selectors.campaign_timeline(user=world.users["county_c1"], campaign=world.campaign1)
    assert task in timeline.tasks


def test_campaign_leader_reads_the_plan_and_changes_nothing(world):
    client = client_for(world, "leader_c1")
    assert (
        client.get(reverse("campaign:campaign_detail", args=[world.campaign1.pk])).status_code
        == 200
    )
    assert client.get(reverse("campaign:campaign_create")).status_code == 404
    assert client.get(reverse("campaign:task_create", args=[world.campaign1.pk])).status_code == 404
    assert client.get(reverse("campaign:visit_create")).status_code == 404
    assert (
        _post(client, reverse("campaign:target_delete", args=[world.target1.pk])).status_code == 404
    )
    assert Target.objects.filter(pk=world.target1.pk).exists()
    body = client.get(reverse("campaign:campaign_detail", args=[world.campaign1.pk])).content
    assert reverse("campaign:campaign_edit", args=[world.campaign1.pk]).encode() not in body


def test_campaign_other_county_sees_nothing_of_c1(world):
    client = client_for(world, "county_c2")
    assert (
        client.get(reverse("campaign:campaign_detail", args=[world.campaign1.pk])).status_code
        == 404
    )
    assert list(selectors.campaign_list(user=world.users["county_c2"])) == []
    assert world.campaign1 in selectors.campaign_list(user=world.users["city"])


def test_campaign_task_done_and_reopened_are_logged(world):
    client = client_for(world, "county_c1")
    url = reverse("campaign:task_done", args=[world.task1.pk])
    assert _post(client, url).status_code == 302
    world.task1.refresh_from_db()
    assert world.task1.done_on == TODAY() and world.task1.done_by == world.users["county_c1"]
    assert _post(client, url, {"done": "0"}).status_code == 302
    world.task1.refresh_from_db()
    assert world.task1.done_on is None
    actions = list(history_for(world.task1).values_list("action_type", flat=True))
    assert actions == ["campaign.task.reopened", "campaign.task.done"]


# --- the timeline: today's position, targets against the register's figures --------------------


def test_campaign_timeline_shows_today_in_phase_two(world):
    timeline = selectors.campaign_timeline(user=world.users["county_c1"], campaign=world.campaign1)
    assert timeline.current_phase.name == "Phase two"
    assert timeline.current_stage.name == "Full push"
    assert [m.is_today for m in timeline.months].count(True) == 1
    assert timeline.months[9].is_today  # the tenth month of the campaign
    past_due = {t.pk for t in world.campaign1.tasks.filter(due_on__lt=TODAY())}
    assert {t.pk for t in timeline.overdue} == past_due


def test_campaign_timeline_targets_equal_the_register_figures_per_township(world):
    # Some spread: T1 gets two more enterprises, one without a union.
    EnterpriseFactory(federation=world.t1, union=UnionFactory(federation=world.t1))
    EnterpriseFactory(federation=world.t1, union=None)
    user = world.users["county_c1"]
    timeline = selectors.campaign_timeline(user=user, campaign=world.campaign1)
    assert [row.federation for row in timeline.places] == [None, world.t1, world.t2]
    for row in timeline.places:
        expected = stats_summary(user=user, federation=row.federation or world.c1)
        by_metric = {item.metric: item for item in row.progress}
        assert by_metric[Metric.UNION_FOUNDING].actual == round(expected["coverage_rate"] * 100, 2)
        assert by_metric[Metric.THREE_CONTRACTS].actual == round(
            expected["three_contracts_rate"] * 100, 2
        )
        double_bright = expected.get("double_bright_rate")
        assert by_metric[Metric.DOUBLE_BRIGHT].actual == (
            None if double_bright is None else round(double_bright * 100, 2)
        )
    t1 = timeline.places[1]
    assert {i.metric: i.actual for i in t1.progress}[Metric.UNION_FOUNDING] == pytest.approx(
        100 * 2 / 3, abs=0.01
    )
    # The page shows the same numbers.
    body = client_for(world, "county_c1").get(world.campaign1.get_absolute_url()).content.decode()
    assert 'data-place="990101001"' in body and "66.7%" in body


def test_campaign_target_progress_states():
    today = datetime.date(2026, 6, 15)
    targets = [
        Target(metric=Metric.UNION_FOUNDING, percent=90, due_on=datetime.date(2026, 1, 31)),
        Target(metric=Metric.UNION_FOUNDING, percent=95, due_on=datetime.date(2026, 12, 31)),
    ]

    def state(rate):
        figures = {"coverage_rate": rate}
        return selectors.target_progress(targets=targets, figures=figures, today=today)[0]

    assert (state(0.80).state, state(0.80).expected, state(0.80).milestone.percent) == (
        "behind",
        90,
        95,
    )
    assert state(0.92).state == "open"
    assert state(0.95).state == "met"
    assert selectors.target_progress(targets=targets, figures={}, today=today)[0].state == (
        "unmeasured"
    )


# --- assignments and the cadre's enterprises ---------------------------------------------------


def test_campaign_cadre_sees_only_assigned_enterprises_and_their_visits(world):
    cadre = world.users["cadre"]
    rows = selectors.my_enterprises(user=cadre)
    assert [row.enterprise for row in rows] == [world.e2]
    assert rows[0].last_visit == world.visit1.visited_on and rows[0].open_follow_ups == 1
    other = Visit.objects.create(
        enterprise=world.e1, visitor=world.users["county_c1"], visited_on=TODAY()
    )
    client = client_for(world, "cadre")
    assert client.get(reverse("campaign:visit_detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("campaign:visit_list")).context["page"].object_list
    assert {v.pk for v in listed} == {world.visit1.pk}
    assert client.get(reverse("campaign:focus_detail", args=[world.e1.pk])).status_code == 404


def test_campaign_ended_assignment_removes_the_enterprise_from_the_cadre(world):
    client = client_for(world, "county_c1")
    url = reverse("campaign:assignment_end", args=[world.assignment1.pk])
    yesterday = TODAY() - datetime.timedelta(days=1)
    assert _post(client, url, {"ends_on": yesterday.isoformat()}).status_code == 302
    cadre = world.users["cadre"]
    assert selectors.my_enterprises(user=cadre) == []
    # The visit the cadre made stays theirs; other visits to E2 are out of reach now.
    assert Visit.objects.filter(pk=world.visit1.pk).exists()
    county_visit = Visit.objects.create(
        enterprise=world.e2, visitor=world.users["county_c1"], visited_on=TODAY()
    )
    cadre_client = client_for(world, "cadre")
    assert cadre_client.get(county_visit.get_absolute_url()).status_code == 404
    assert cadre_client.get(world.visit1.get_absolute_url()).status_code == 200


def test_campaign_assignment_cannot_be_made_by_a_township_outside_it(world):
    client = client_for(world, "township_t1")
    data = {
        "cadre": world.users["township_t1"].pk,
        "enterprise": world.e2.pk,  # T2's
        "starts_on": TODAY().isoformat(),
        "visit_every_days": 30,
    }
    before = Assignment.objects.count()
    assert _post(client, reverse("campaign:assignment_create"), data).status_code == 200
    assert Assignment.objects.count() == before
    data["enterprise"] = world.e1.pk
    assert _post(client, reverse("campaign:assignment_create"), data).status_code == 302
    assert Assignment.objects.filter(enterprise=world.e1, cadre=world.users["township_t1"]).exists()


def test_campaign_work_team_members_are_logged(world):
    team = services.work_team_save(
        actor=world.users["county_c1"],
        data={"name": "第二队", "federation": world.c1},
        members=[world.users["cadre"]],
    )
    services.work_team_save(
        actor=world.users["county_c1"],
        team=team,
        data={"name": "第二队", "federation": world.c1},
        members=[world.users["county_c1"]],
    )
    entry = history_for(team).filter(action_type="campaign.work_team.members_changed").first()
    assert entry.data == {
        "added": [world.users["county_c1"].pk],
        "removed": [world.users["cadre"].pk],
    }
    assert WorkTeam.objects.get(pk=team.pk).members.get() == world.users["county_c1"]


# --- visits from a phone --------------------------------------------------------------------


def test_campaign_cadre_logs_a_visit_with_a_follow_up_and_a_photo(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world, "cadre")
    due = TODAY() + datetime.timedelta(days=14)
    data = {
        "enterprise": world.e2.pk,
        "visited_on": TODAY().isoformat(),
        "met_union_chair": "on",
        "met_workers": "on",
        "people_met": "李强",
        "workers_raised": "高温补贴",
        "done_on_spot": "当场协调",
        "contact_cards": 12,
        "follow_up": "督促发放高温补贴",
        "follow_up_due_on": due.isoformat(),
        "follow_up_owner": world.users["cadre"].pk,
        "photos": _jpeg(),
        # Extra fields are ignored (QUALITY.md A4).
        "visitor": world.users["county_c1"].pk,
        "state": "closed",
    }
    response = _post(client, reverse("campaign:visit_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    visit = Visit.objects.exclude(pk=world.visit1.pk).get()
    assert (visit.enterprise, visit.visitor, visit.contact_cards) == (
        world.e2,
        world.users["cadre"],
        12,
    )
    follow_up = visit.follow_ups.get()
    assert (follow_up.state, follow_up.due_on, follow_up.owner) == (
        "open",
        due,
        world.users["cadre"],
    )
    photo = visit.photos.get()
    with photo.image.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"
    served = client.get(reverse("campaign:visit_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for(world, "county_c2")
        .get(reverse("campaign:visit_photo", args=[photo.pk]))
        .status_code
        == 404
    )
    assert history_for(visit).filter(action_type="campaign.visit.logged").count() == 1


def test_campaign_cadre_cannot_log_a_visit_to_an_unassigned_enterprise(world):
    client = client_for(world, "cadre")
    data = {"enterprise": world.e1.pk, "visited_on": TODAY().isoformat(), "contact_cards": 0}
    response = _post(client, reverse("campaign:visit_create"), data)
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert Visit.objects.filter(enterprise=world.e1).count() == 0


def test_campaign_visit_refuses_a_future_date_and_a_bad_photo(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world, "cadre")
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    data = {"enterprise": world.e2.pk, "visited_on": tomorrow, "contact_cards": 0}
    assert _post(client, reverse("campaign:visit_create"), data).status_code == 200
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "photo.jpg"
    data = {"enterprise": world.e2.pk, "visited_on": TODAY().isoformat(), "photos": fake}
    data["contact_cards"] = 0
    response = _post(client, reverse("campaign:visit_create"), data)
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert Visit.objects.count() == 1 and VisitPhoto.objects.count() == 1  # the world's


def test_campaign_follow_up_needs_an_outcome_to_close_and_can_reopen(world):
    follow_up = world.follow_up1
    cadre = world.users["cadre"]
    with pytest.raises(services.CampaignError):
        services.follow_up_transition(actor=cadre, follow_up=follow_up, to="closed", outcome=" ")
    services.follow_up_transition(actor=cadre, follow_up=follow_up, to="closed", outcome="已协商")
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.closed_on, follow_up.outcome) == (
        "closed",
        TODAY(),
        "已协商",
    )
    with pytest.raises(services.CampaignError):
        services.follow_up_transition(actor=cadre, follow_up=follow_up, to="closed", outcome="x")
    services.follow_up_transition(actor=cadre, follow_up=follow_up, to="open")
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.closed_on) == ("open", None)
    actions = list(history_for(follow_up).values_list("action_type", flat=True))
    assert actions == ["campaign.follow_up.open", "campaign.follow_up.closed"]


def test_campaign_follow_up_owner_sees_it_without_seeing_the_enterprise(world):
    """A follow-up handed to a township clerk is theirs to close, even for another township."""
    clerk = world.users["township_t1"]
    follow_up = services.follow_up_add(
        actor=world.users["cadre"],
        visit=world.visit1,
        data={"description": "转办", "owner": clerk, "due_on": TODAY()},
    )
    listed = selectors.follow_up_list(user=clerk, state="open", mine=True)
    assert list(listed) == [follow_up]
    client = client_for(world, "township_t1")
    url = reverse("campaign:follow_up_close", args=[follow_up.pk])
    assert _post(client, url, {"outcome": "已办"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.CLOSED
    # Not the visit itself, which lies in T2.
    assert client.get(world.visit1.get_absolute_url()).status_code == 404


def test_campaign_union_chair_sees_no_visit_of_their_enterprise(world):
    visit = Visit.objects.create(
        enterprise=world.e1, visitor=world.users["county_c1"], visited_on=TODAY()
    )
    client = client_for(world, "chair_u1")
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(reverse("campaign:visit_list")).status_code == 404
    from shuangliang.core.access import visible

    assert not visible(Visit.objects.all(), world.users["chair_u1"]).exists()


# --- figures --------------------------------------------------------------------------------


def test_campaign_fieldwork_figures_count_visits_against_the_frequency(world):
    cadre = world.users["cadre"]
    assignment = world.assignment1
    assignment.team = world.team1
    assignment.visit_every_days = 30
    assignment.save()
    FollowUp.objects.create(
        visit=world.visit1,
        description="逾期",
        owner=cadre,
        due_on=TODAY() - datetime.timedelta(days=2),
    )
    figures = selectors.fieldwork_figures(user=world.users["county_c1"], days=90)
    (row,) = figures.cadres
    assert (row.enterprises, row.visits, row.expected_visits, row.not_visited) == (1, 1, 3, 0)
    assert (row.follow_ups_open, row.follow_ups_overdue) == (2, 1)
    (team,) = figures.teams
    assert (team.label, team.visits, team.expected_visits) == ("甲县第一工作队", 1, 3)
    by_place = {r.label: r for r in figures.townships}
    assert (by_place["甲二镇"].visits, by_place["甲二镇"].not_visited) == (1, 0)
    assert (by_place["甲一镇"].visits, by_place["甲一镇"].not_visited) == (0, 1)
    assert by_place["甲二镇"].follow_ups_overdue == 1
    # County C2 counts none of it.
    figures = selectors.fieldwork_figures(user=world.users["county_c2"], days=90)
    assert figures.cadres == [] and [r.label for r in figures.townships] == ["乙一镇"]


def test_campaign_stats_summary_adds_visits_and_target_progress(world):
    user = world.users["county_c1"]
    figures = stats_summary(user=user)
    assert figures["visits_last_90_days"] == 1
    (progress,) = figures["campaign_target_progress"]
    assert progress["campaign"] == world.campaign1.pk and progress["federation"] == "990101"
    by_metric = {t["metric"]: t for t in progress["targets"]}
    assert by_metric["union_founding"]["actual_percent"] == round(figures["coverage_rate"] * 100, 2)
    # T1's own figures, against the county's plan it follows; C2 has neither.
    figures = stats_summary(user=user, federation=world.t1)
    assert figures["visits_last_90_days"] == 0
    assert [p["campaign"] for p in figures["campaign_target_progress"]] == [world.campaign1.pk]
    figures = stats_summary(user=world.users["county_c2"])
    assert (figures["visits_last_90_days"], figures["campaign_target_progress"]) == (0, [])


# --- focus enterprises ----------------------------------------------------------------------


def test_campaign_focus_tag_removed_with_reason_and_date(world):
    enterprise = world.e1
    Enterprise.objects.filter(pk=enterprise.pk).update(focus_hardship=True)
    enterprise.refresh_from_db()
    client = client_for(world, "county_c1")
    url = reverse("campaign:focus_tag_change", args=[enterprise.pk])
    day = TODAY() - datetime.timedelta(days=5)
    data = {"tag": "focus_hardship", "added": "0", "changed_on": day.isoformat(), "reason": ""}
    assert _post(client, url, data).status_code == 200  # a reason is required
    data["reason"] = "困难职工已全部帮扶"
    assert _post(client, url, data).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.focus_hardship is False
    change = FocusTagChange.objects.get(enterprise=enterprise)
    assert (change.added, change.changed_on, change.reason) == (False, day, "困难职工已全部帮扶")
    # Taking it off again is refused; the enterprise's own log has the change.
    assert _post(client, url, data).status_code == 200
    assert FocusTagChange.objects.filter(enterprise=enterprise).count() == 1
    assert history_for(enterprise).filter(action_type="register.enterprise.changed").exists()
    listed = selectors.focus_enterprise_list(user=world.users["county_c1"])
    assert enterprise not in listed  # no tag and no plan


def test_campaign_focus_plan_is_seen_by_the_assigned_cadre(world):
    services.focus_plan_save(
        actor=world.users["county_c1"],
        enterprise=world.e2,
        data={"cadre": world.users["cadre"], "visit_every_days": 7, "improvements": "稳岗"},
    )
    rows = selectors.my_enterprises(user=world.users["cadre"])
    assert rows[0].visit_every_days == 7
    client = client_for(world, "cadre")
    response = client.get(reverse("campaign:focus_detail", args=[world.e2.pk]))
    assert response.status_code == 200 and "稳岗" in response.content.decode()
    assert client.get(reverse("campaign:focus_plan_edit", args=[world.e2.pk])).status_code == 404


# --- query counts ---------------------------------------------------------------------------


def _grow(world, size: int) -> None:
    """Add `size` enterprises, assignments, visits, follow-ups and tasks in C1."""
    cadre = world.users["cadre"]
    for number in range(size):
        township = world.t1 if number % 2 else world.t2
        enterprise = EnterpriseFactory(federation=township, focus_hardship=number % 3 == 0)
        Assignment.objects.create(
            cadre=cadre, enterprise=enterprise, team=world.team1, starts_on=TODAY()
        )
        visit = Visit.objects.create(enterprise=enterprise, visitor=cadre, visited_on=TODAY())
        VisitPhoto.objects.create(visit=visit, image=f"visits/x{number}.jpg")
        FollowUp.objects.create(
            visit=visit, description="跟进", owner=cadre, due_on=TODAY() - datetime.timedelta(1)
        )
        Task.objects.create(
            campaign=world.campaign1, federation=township, title=f"任务{number}", due_on=TODAY()
        )


PAGES = [
    ("county_c1", "campaign:campaign_detail", "campaign1"),
    ("county_c1", "campaign:campaign_list", None),
    ("county_c1", "campaign:visit_list", None),
    ("county_c1", "campaign:follow_up_list", None),
    ("county_c1", "campaign:fieldwork", None),
    ("county_c1", "campaign:assignment_list", None),
    ("county_c1", "campaign:team_list", None),
    ("county_c1", "campaign:focus_list", None),
    ("cadre", "campaign:my_enterprises", None),
    ("cadre", "campaign:visit_list", None),
]


@pytest.mark.parametrize(("role", "name", "arg"), PAGES, ids=[f"{r}-{n}" for r, n, _ in PAGES])
def test_campaign_page_query_count_is_constant(world, role, name, arg):
    client = client_for(world, role)
    url = reverse(name, args=[getattr(world, arg).pk] if arg else [])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _grow(world, 2)
    small = count()
    _grow(world, 12)
    assert count() == small


def test_campaign_phase_and_target_models_refuse_bad_dates(world):
    phase = Phase(
        campaign=world.campaign1,
        name="x",
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        phase.full_clean()
    assert add_months(world.campaign1.starts_on, 19) > world.campaign1.ends_on
