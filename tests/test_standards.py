"""Standards and inspections (issue 5): scoring, versions, draws and pairings, the one form,
rectifications, results and figures, and who may see and change what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shuangliang.core.actionlog import history_for
from shuangliang.standards import sampling, scoring, selectors, services
from shuangliang.standards.models import (
    Grade,
    Inspection,
    InspectionRound,
    Item,
    Rectification,
    StandardVersion,
)
from shuangliang.statistics import figures as fig
from shuangliang.statistics import tallies

from .factories import EnterpriseFactory, UnionFactory
from .standards_world import _answer_all


def _item(points, *, mandatory=False, judgement="yes_no", **extra) -> Item:
    return Item(points=Decimal(points), mandatory=mandatory, judgement=judgement, **extra)


THRESHOLDS = (90, 75, 60)


def client_for(world, role: str) -> Client:
    """A logged-in client without CSRF enforcement (the role matrix checks CSRF)."""
    client = Client()
    client.force_login(world.users[role])
    return client


# Scoring -----------------------------------------------------------------------------------


def test_scoring_not_applicable_leaves_the_denominator():
    a, b, c = _item(50), _item(30), _item(20, allow_na=True)
    judged = [
        (a, scoring.judge(a, yes=True)),
        (b, scoring.judge(b, yes=False)),
        (c, scoring.judge(c, not_applicable=True)),
    ]
    result = scoring.score(judged, THRESHOLDS)
    assert (result.earned, result.possible) == (Decimal(50), Decimal(80))
    assert result.percent == Decimal("62.5")
    assert result.grade == Grade.BASIC


def test_scoring_na_is_refused_for_an_item_that_does_not_allow_it():
    assert scoring.judge(_item(10), not_applicable=True) is None


def test_scoring_thresholds_are_inclusive():
    for percent, grade in (
        (Decimal(90), Grade.MODEL),
        (Decimal("89.9"), Grade.QUALIFIED),
        (Decimal(75), Grade.QUALIFIED),
        (Decimal("74.9"), Grade.BASIC),
        (Decimal(60), Grade.BASIC),
        (Decimal("59.9"), Grade.NOT_QUALIFIED),
    ):
        assert scoring.grade_for(percent, THRESHOLDS, False) == grade, percent
    assert scoring.grade_for(Decimal(85), (80, 70, 60), False) == Grade.MODEL


def test_scoring_failed_mandatory_item_caps_at_not_qualified():
    must, other = _item(5, mandatory=True), _item(95)
    result = scoring.score(
        [(must, scoring.judge(must, yes=False)), (other, scoring.judge(other, yes=True))],
        THRESHOLDS,
    )
    assert result.percent == Decimal("95.0")
    assert result.mandatory_failed and result.grade == Grade.NOT_QUALIFIED


def test_scoring_scale_and_number_judgements():
    scale = _item(12, judgement="scale", scale_max=4, pass_level=2)
    assert scoring.judge(scale, level=3) == scoring.Judged(Decimal("9.00"), False)
    assert scoring.judge(scale, level=1) == scoring.Judged(Decimal("3.00"), True)
    number = _item(10, judgement="number", threshold=Decimal(80))
    assert scoring.judge(number, number=Decimal(80)) == scoring.Judged(Decimal(10), False)
    assert scoring.judge(number, number=Decimal("79.99")) == scoring.Judged(Decimal(0), True)
    assert scoring.judge(number) is None  # not answered yet


def test_scoring_all_not_applicable_has_no_percentage():
    c = _item(20, allow_na=True)
    result = scoring.score([(c, scoring.judge(c, not_applicable=True))], THRESHOLDS)
    assert result.percent is None and result.grade == Grade.NOT_QUALIFIED


# Standards and versions --------------------------------------------------------------------


def test_template_nine_haves_has_nine_items_and_100_points(world):
    version = world.version1
    assert version.items.count() == 9
    assert sum(item.points for item in version.items.all()) == 100
    assert version.items.filter(mandatory=True).count() == 2
    assert (version.threshold_model, version.threshold_qualified, version.threshold_basic) == (
        90,
        75,
        60,
    )


def test_publishing_a_new_version_leaves_old_scores_unchanged(world):
    county = world.users["county_c1"]
    done = Inspection.objects.get(pk=world.inspection_done.pk)
    before = (done.percent, done.grade, done.version_id)
    draft = services.standard_draft(actor=county, standard=world.standard1)
    # The new version halves the first item and raises the thresholds.
    first = draft.items.order_by("pk").first()
    services.item_save(actor=county, section=first.section, item=first, fields={"points": 1})
    services.standard_update(
        actor=county,
        standard=world.standard1,
        name=world.standard1.name,
        description="",
        thresholds={"threshold_model": 99, "threshold_qualified": 98, "threshold_basic": 97},
    )
    v2 = services.standard_publish(actor=county, standard=world.standard1)
    assert v2.number == 2 and v2.pk != done.version_id
    done.refresh_from_db()
    assert (done.percent, done.grade, done.version_id) == before
    assert Item.objects.get(pk=world.version1.items.order_by("pk").first().pk).points == 12
    # A published version refuses changes.
    frozen = world.version1.items.first()
    with pytest.raises(services.StandardsError):
        services.item_save(actor=county, section=frozen.section, item=frozen, fields={"points": 3})


def test_lower_federation_inherits_the_parent_standard_until_it_has_its_own(world):
    assert selectors.standards_applicable(federation=world.t1) == [world.standard1]
    assert selectors.standards_applicable(federation=world.t3) == []
    own = services.standard_from_template(
        actor=world.users["township_t1"], federation=world.t1, code="double_bright"
    )
    # A draft is not in force: T1 still follows the county.
    assert selectors.standards_applicable(federation=world.t1) == [world.standard1]
    services.standard_publish(actor=world.users["township_t1"], standard=own)
    assert selectors.standards_applicable(federation=world.t1) == [own]
    assert selectors.standards_applicable(federation=world.t2) == [world.standard1]


def test_standard_copy_and_template_pages(world):
    client = client_for(world, "township_t1")
    response = client.post(
        reverse("standards:standard_list"),
        {"action": "copy", "c-source": world.standard1.pk, "c-federation": world.t1.pk},
    )
    assert response.status_code == 302
    copy = world.t1.standards.get()
    assert copy.copied_from == world.standard1
    assert copy.versions.get().items.count() == 9  # the county's latest version (its draft)
    # County C2 cannot copy into C1's township (not in the form's choices).
    response = client_for(world, "county_c2").post(
        reverse("standards:standard_list"),
        {"action": "template", "t-template": "nine_haves", "t-federation": world.t1.pk},
    )
    assert response.status_code == 200 and world.t1.standards.count() == 1


# Draws and pairings ------------------------------------------------------------------------


def _candidates(per_township: dict[int, int], focus_every: int = 0) -> list[sampling.Candidate]:
    out, pk = [], 1
    for township, n in per_township.items():
        for i in range(n):
            focus = bool(focus_every) and i % focus_every == 0
            out.append(sampling.Candidate(pk, township, focus=focus, never_inspected=focus))
            pk += 1
    return out


def test_sample_is_reproducible_from_the_seed_and_stratified():
    candidates = _candidates({1: 40, 2: 30, 3: 20, 4: 10})
    first = sampling.draw_sample(candidates, seed="abc", percent=Decimal(10))
    assert first == sampling.draw_sample(
        list(reversed(candidates)), seed="abc", percent=Decimal(10)
    )
    assert first != sampling.draw_sample(candidates, seed="abd", percent=Decimal(10))
    township = {c.union_id: c.township_id for c in candidates}
    per = {t: sum(1 for u in first if township[u] == t) for t in (1, 2, 3, 4)}
    assert per == {1: 4, 2: 3, 3: 2, 4: 1}
    by_number = sampling.draw_sample(candidates, seed="abc", number=10)
    per = {t: sum(1 for u in by_number if township[u] == t) for t in (1, 2, 3, 4)}
    assert per == {1: 4, 2: 3, 3: 2, 4: 1} and len(set(by_number)) == 10


def test_sample_weighting_prefers_focus_unions():
    candidates = _candidates({1: 100}, focus_every=5)  # 20 focus unions of 100
    focus = {c.union_id for c in candidates if c.focus}
    plain = weighted = 0
    for seed in range(200):
        plain += len(focus & set(sampling.draw_sample(candidates, seed=str(seed), number=10)))
        weighted += len(
            focus & set(sampling.draw_sample(candidates, seed=str(seed), number=10, weight="focus"))
        )
    assert plain / 200 == pytest.approx(2, abs=0.5)
    assert weighted / 200 > 3.5


def test_pairing_never_self_never_same_township_and_everyone_once():
    candidates = _candidates({1: 7, 2: 5, 3: 4, 4: 2})
    township = {c.union_id: c.township_id for c in candidates}
    for seed in ("a", "b", "c", "d"):
        pairs = sampling.pair_unions(candidates, seed=seed)
        assert pairs == sampling.pair_unions(candidates, seed=seed)
        inspecting = [a for a, _ in pairs]
        inspected = [b for _, b in pairs]
        assert sorted(inspecting) == sorted(inspected) == sorted(township)
        assert all(a != b for a, b in pairs)
        assert all(township[a] != township[b] for a, b in pairs)


def test_pairing_refuses_when_one_township_holds_more_than_half():
    with pytest.raises(sampling.PairingError):
        sampling.pair_unions(_candidates({1: 6, 2: 3}), seed="x")
    pairs = sampling.pair_unions(_candidates({1: 6, 2: 3}), seed="x", allow_same_township=True)
    assert all(a != b for a, b in pairs) and len(pairs) == 9


def _grow(world, n: int) -> list:
    """n more unions in each township of C1, each with an enterprise."""
    made = []
    for township in (world.t1, world.t2):
        for _ in range(n):
            union = UnionFactory(federation=township)
            EnterpriseFactory(federation=township, union=union)
            made.append(union)
    return made


def test_spot_check_page_shows_the_draw_then_confirms_the_same_draw(world):
    _grow(world, 9)  # 10 unions in each of T1 and T2
    client = client_for(world, "county_c1")
    data = {
        "kind": "spot",
        "name": "第二季度抽查",
        "federation": world.c1.pk,
        "version": world.version1.pk,
        "year": timezone.localdate().year,
        "mode": "percent",
        "value": "10",
        "weight": "never_inspected",
        "seed": "",
    }
    response = client.post(reverse("standards:round_create"), {**data, "action": "preview"})
    assert response.status_code == 200
    drawn = response.context["drawn"]
    seed = response.context["form"].cleaned_data["seed"]
    assert seed and len(drawn.split(",")) == 2  # one of ten in each township
    assert InspectionRound.objects.count() == 1  # nothing created by the preview
    response = client.post(
        reverse("standards:round_create"),
        {**data, "seed": seed, "drawn": drawn, "action": "confirm"},
    )
    assert response.status_code == 302
    created = InspectionRound.objects.exclude(pk=world.round1.pk).get()
    assert created.seed == seed and created.drawn == [int(x) for x in drawn.split(",")]
    assert sorted(created.inspections.values_list("union_id", flat=True)) == sorted(created.drawn)
    townships = set(created.inspections.values_list("union__federation_id", flat=True))
    assert townships == {world.t1.pk, world.t2.pk}
    # The recorded seed and parameters make the same draw again.
    again = selectors.round_draw(
        federation=world.c1, kind="spot", seed=created.seed, params=created.params
    )
    assert again.union_ids == created.drawn


def test_mutual_check_pairs_across_townships(world):
    _grow(world, 2)
    inspection_round = services.round_create(
        actor=world.users["county_c1"],
        federation=world.c1,
        kind="mutual",
        name="互查",
        version=world.version1,
        year=timezone.localdate().year,
        due_on=None,
        seed="pairs",
        params={"allow_same_township": False},
    )
    rows = list(inspection_round.inspections.select_related("union", "inspector_union"))
    assert len(rows) == 6
    for row in rows:
        assert row.inspector_union_id != row.union_id
        assert row.inspector_union.federation_id != row.union.federation_id
    # The inspecting union's chair fills in the other union's form.
    inspected_by_u1 = next(r for r in rows if r.inspector_union_id == world.u1.pk)
    client = client_for(world, "chair_u1")
    url = reverse("standards:inspection_form", args=[inspected_by_u1.pk])
    assert client.get(url).status_code == 200
    assert client_for(world, "chair_u2").get(url).status_code == 404


# The one form --------------------------------------------------------------------------------


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    out.seek(0)
    out.name = "evidence.jpg"
    return out


def _all_answers(version: StandardVersion, *, fail_first: bool) -> dict:
    data = {}
    for n, item in enumerate(version.items.order_by("pk")):
        bad = fail_first and n == 0
        if item.judgement == Item.Judgement.NUMBER:
            data[f"a{item.pk}"] = "50" if bad else "95"
        elif item.judgement == Item.Judgement.SCALE:
            data[f"a{item.pk}"] = "0" if bad else str(item.scale_max)
        else:
            data[f"a{item.pk}"] = "no" if bad else "yes"
    return data


def test_self_check_draft_autosave_submit_and_no_rectification(world):
    client = client_for(world, "chair_u1")
    response = client.post(reverse("standards:selfcheck_start", args=[world.u1.pk]))
    assert response.status_code == 302
    inspection = world.selfcheck1
    url = reverse("standards:inspection_form", args=[inspection.pk])
    assert response["Location"] == url
    page = client.get(url)
    assert b'capture="environment"' in page.content and b"inspection.js" in page.content
    items = list(world.version1.items.order_by("pk"))
    # Saving one answer as you go leaves the others alone.
    response = client.post(
        url, {"action": "autosave", f"a{items[1].pk}": "yes", f"n{items[1].pk}": "好"}
    )
    assert response.json()["saved"] == [items[1].pk]
    response = client.post(url, {"action": "autosave", f"a{items[2].pk}": "no"})
    answers = {a.item_id: a for a in inspection.answers.all()}
    assert answers[items[1].pk].yes is True and answers[items[1].pk].note == "好"
    assert answers[items[2].pk].yes is False
    # An evidence photo on a draft save.
    response = client.post(url, {"action": "save", f"p{items[2].pk}": _photo()})
    assert response.status_code == 302
    evidence = answers[items[2].pk].evidence.get()
    assert client.get(reverse("standards:evidence_photo", args=[evidence.pk]))["Content-Type"] == (
        "image/jpeg"
    )
    # Submitting with items missing is refused; complete, it is scored.
    response = client.post(url, {"action": "submit"})
    inspection.refresh_from_db()
    assert inspection.is_draft
    response = client.post(
        url, {"action": "submit", **_all_answers(world.version1, fail_first=True)}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == "submitted" and inspection.percent == Decimal("88.0")
    assert inspection.grade == Grade.NOT_QUALIFIED  # the first item is mandatory
    assert not inspection.rectifications.exists()  # a self-check opens none
    # Submitted: the form is closed, autosave says so.
    assert client.get(url).status_code == 302
    assert client.post(url, {"action": "autosave"}).json()["submitted"] is True
    assert history_for(inspection).filter(action_type="standards.inspection.submitted").exists()


def test_inspector_scores_and_sees_the_gap_and_failed_items_open_rectifications(world):
    # U1's self-check first, all passing.
    chair = client_for(world, "chair_u1")
    chair.post(
        reverse("standards:inspection_form", args=[world.selfcheck1.pk]),
        {"action": "submit", **_all_answers(world.version1, fail_first=False)},
    )
    cadre = client_for(world, "cadre")
    url = reverse("standards:inspection_form", args=[world.inspection1.pk])
    response = cadre.post(
        url, {"action": "submit", **_all_answers(world.version1, fail_first=True)}
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(pk=world.inspection1.pk)
    assert inspection.percent == Decimal("88.0") and inspection.grade == Grade.NOT_QUALIFIED
    rectification = inspection.rectifications.get()
    assert rectification.state == "open" and rectification.union == world.u1
    assert rectification.deadline == timezone.localdate() + datetime.timedelta(days=30)
    assert rectification.responsible == world.chair1.person.name
    detail = client_for(world, "county_c1").get(
        reverse("standards:inspection_detail", args=[inspection.pk])
    )
    assert detail.context["own"].percent == Decimal("100.0")
    assert detail.context["gap"] == Decimal("-12.0")
    rows = selectors.union_results(federation=world.c1, year=inspection.year)
    assert [(r.pk, r.self_percent, r.gap) for r in rows] == [
        (inspection.pk, Decimal("100.0"), Decimal("-12.0"))
    ]


def test_answers_of_another_version_are_refused(world):
    other = services.standard_from_template(
        actor=world.users["county_c1"], federation=world.c1, code="double_bright"
    )
    foreign = other.versions.get().items.first()
    with pytest.raises(services.StandardsError):
        services.inspection_save_answers(
            actor=world.users["cadre"],
            inspection=world.inspection1,
            answers={foreign.pk: {"yes": True}},
        )


# Rectifications ------------------------------------------------------------------------------


def test_chair_closes_a_rectification_with_a_photo_and_staff_verify(world):
    rectification = world.rectification1
    chair = client_for(world, "chair_u1")
    url = reverse("standards:rectification_close", args=[rectification.pk])
    response = chair.post(url, {"note": "已补挂牌子"})
    assert response.status_code == 200  # a photo is required
    response = chair.post(url, {"note": "已补挂牌子", "photo": _photo()})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.state == "closed" and rectification.closing_photo
    assert rectification.closed_by == world.users["chair_u1"]
    photo = chair.get(reverse("standards:rectification_photo", args=[rectification.pk]))
    assert photo["Content-Type"] == "image/jpeg"
    # The chair cannot verify their own; the leader cannot either; the township can.
    verify = reverse("standards:rectification_verify", args=[rectification.pk])
    assert chair.post(verify).status_code == 404
    assert client_for(world, "leader_c1").post(verify).status_code == 404
    reopen = reverse("standards:rectification_reopen", args=[rectification.pk])
    client_for(world, "township_t1").post(reopen, {"reason": "照片看不清"})
    rectification.refresh_from_db()
    assert rectification.state == "open"
    chair.post(url, {"note": "重新拍照", "photo": _photo()})
    client_for(world, "township_t1").post(verify)
    rectification.refresh_from_db()
    assert rectification.state == "verified"
    actions = list(history_for(rectification).values_list("action_type", flat=True))
    assert actions.count("standards.rectification.closed") == 2
    assert "standards.rectification.verified" in actions


def test_overdue_rectifications_are_flagged_and_counted(world):
    Rectification.objects.filter(pk=world.rectification1.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    tallies.rebuild_all()  # a queryset update sends no signal to the dashboard's tallies
    client = client_for(world, "county_c1")
    response = client.get(reverse("standards:rectification_list"), {"state": "overdue"})
    assert [r.pk for r in response.context["page"]] == [world.rectification1.pk]
    assert response.content.count(b'class="tag bad"') == 1  # the overdue flag
    counts = selectors.rectification_counts(user=world.users["county_c1"])
    assert counts["open"] == 1 and counts["overdue"] == 1
    figures = fig.headline_figures(user=world.users["county_c1"], federation=world.c1)
    assert figures["rectifications_open"] == figures["rectifications_overdue"] == 1


# Who may see and change ----------------------------------------------------------------------


def test_chair_of_u2_cannot_see_u1_inspections_or_rectifications(world):
    client = client_for(world, "chair_u2")
    for name, pk in (
        ("standards:inspection_detail", world.inspection_done.pk),
        ("standards:inspection_form", world.selfcheck1.pk),
        ("standards:rectification_detail", world.rectification1.pk),
        ("standards:rectification_close", world.rectification1.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    listed = client.get(reverse("standards:inspection_list")).context["page"]
    assert list(listed) == []
    assert client.post(reverse("standards:selfcheck_start", args=[world.u1.pk])).status_code == 404


def test_chair_sees_but_does_not_fill_an_inspectors_check_of_their_union(world):
    client = client_for(world, "chair_u1")
    assert (
        client.get(reverse("standards:inspection_detail", args=[world.inspection1.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("standards:inspection_form", args=[world.inspection1.pk])).status_code
        == 404
    )


def test_inspection_page_links_its_round_only_for_those_who_may_open_it(world):
    """The chair sees the round's name but no link to a page that would answer 404."""
    detail = reverse("standards:inspection_detail", args=[world.inspection1.pk])
    round_url = reverse("standards:round_detail", args=[world.round1.pk])
    chair_page = client_for(world, "chair_u1").get(detail).content.decode()
    assert round_url not in chair_page
    assert world.round1.name in chair_page
    assert client_for(world, "chair_u1").get(round_url).status_code == 404
    assert round_url in client_for(world, "county_c1").get(detail).content.decode()


def test_inspector_sees_the_rectifications_found_but_links_only_those_they_may_open(world):
    """The assigned cadre inspected U1; U1's rectifications are followed up by its officers
    and the staff above, so the cadre gets their names without links that would answer 404."""
    world.inspection_done.inspector = world.users["cadre"]
    world.inspection_done.save(update_fields=["inspector"])
    detail = reverse("standards:inspection_detail", args=[world.inspection_done.pk])
    link = reverse("standards:rectification_detail", args=[world.rectification1.pk])
    cadre = client_for(world, "cadre")
    page = cadre.get(detail).content.decode()
    assert world.rectification1.item.text in page
    assert link not in page
    assert cadre.get(link).status_code == 404
    for role in ("chair_u1", "county_c1"):
        assert link in client_for(world, role).get(detail).content.decode()


def test_another_county_gets_404_everywhere(world):
    client = client_for(world, "county_c2")
    for name, pk in (
        ("standards:standard_detail", world.standard1.pk),
        ("standards:round_detail", world.round1.pk),
        ("standards:inspection_detail", world.inspection1.pk),
        ("standards:rectification_detail", world.rectification1.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    results = client.get(reverse("standards:results")).context
    assert results["rows"] == [] and results["federation"] == world.c2


def test_leader_reads_but_changes_nothing(world):
    client = client_for(world, "leader_c1")
    assert client.get(reverse("standards:round_detail", args=[world.round1.pk])).status_code == 200
    assert client.get(reverse("standards:results"), {"federation": world.c1.pk}).status_code == 200
    before = world.rectification1.deadline
    response = client.post(
        reverse("standards:rectification_detail", args=[world.rectification1.pk]),
        {"deadline": "2099-01-01", "responsible": "某人"},
    )
    assert response.status_code == 404
    world.rectification1.refresh_from_db()
    assert world.rectification1.deadline == before
    assert (
        client.post(reverse("standards:standard_publish", args=[world.standard1.pk])).status_code
        == 404
    )


def test_posting_extra_fields_changes_nothing(world):
    """QUALITY.md A4: score, grade, state or union in the form's post are ignored."""
    client = client_for(world, "cadre")
    url = reverse("standards:inspection_form", args=[world.inspection1.pk])
    client.post(
        url,
        {
            "action": "save",
            "percent": "100",
            "grade": "model",
            "state": "submitted",
            "union": world.u2.pk,
        },
    )
    inspection = Inspection.objects.get(pk=world.inspection1.pk)
    assert (inspection.percent, inspection.grade, inspection.state, inspection.union_id) == (
        None,
        "",
        "draft",
        world.u1.pk,
    )


# Results and figures ------------------------------------------------------------------------


def test_results_selectors_grade_distribution_and_counts(world):
    year = timezone.localdate().year
    # A later check of U1 supersedes the first; U2 gets a model grade.
    later = Inspection.objects.create(
        kind="spot", union=world.u1, version=world.version1, year=year
    )
    _answer_all(later, failing=0)
    services.inspection_submit(actor=world.users["county_c1"], inspection=later)
    u2 = Inspection.objects.create(kind="spot", union=world.u2, version=world.version1, year=year)
    _answer_all(u2, failing=0)
    services.inspection_submit(actor=world.users["county_c1"], inspection=u2)
    rows = selectors.union_results(federation=world.c1, year=year)
    assert {r.pk for r in rows} == {later.pk, u2.pk}
    distribution = selectors.grade_distribution(federation=world.c1, year=year)
    assert distribution == {"model": 2, "qualified": 0, "basic": 0, "not_qualified": 0}
    counts = selectors.inspected_counts(federation=world.c1, year=year)
    assert counts["unions"] == 2 and counts["results"] == 2 and counts["passing"] == 2
    assert counts["inspections"] == 3 and counts["self_checks"] == 0
    # Seen by the township, only T1's union counts.
    t1 = selectors.grade_distribution(
        federation=world.c1, year=year, user=world.users["township_t1"]
    )
    assert sum(t1.values()) == 1
    figures = fig.headline_figures(user=world.users["county_c1"], federation=world.c1)
    assert figures["standard_compliance_rate"] == 1.0
    rows = fig.figures_by(user=world.users["county_c1"], federation=world.c1, dimension=fig.PLACE)
    assert fig.totals(rows)["standard_assessed"] == 2


def test_stats_summary_carries_the_standards_figures(world):
    response = client_for(world, "county_c1").get(
        reverse("api:stats_summary"), HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert data["standard_compliance_rate"] == 0.0  # one result, not qualified
    assert data["rectifications_open"] == 1


# Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "name", "arg"),
    [
        ("county_c1", "standards:inspection_list", None),
        ("county_c1", "standards:rectification_list", None),
        ("county_c1", "standards:results", None),
        ("county_c1", "standards:round_list", None),
        ("county_c1", "standards:standard_list", None),
        ("county_c1", "standards:round_detail", "round1"),
        ("chair_u1", "standards:inspection_list", None),
    ],
)
def test_list_query_count_is_constant(world, role, name, arg):
    client = client_for(world, role)
    url = reverse(name, args=[getattr(world, arg).pk] if arg else [])
    year = timezone.localdate().year

    def grow(n):
        for union in _grow(world, n):
            inspection = Inspection.objects.create(
                kind="spot", union=union, version=world.version1, year=year, round=world.round1
            )
            _answer_all(inspection, failing=1)
            services.inspection_submit(actor=world.users["county_c1"], inspection=inspection)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"federation": world.c1.pk}).status_code == 200
        return len(queries)

    grow(2)
    small = count()
    grow(6)
    assert count() == small
