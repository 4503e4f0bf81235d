"""The demo county's season of standards work: the county's 九有 standard (published) and a
Double Bright draft, self-checks of most unions, a spot check of about a third of the unions
stratified by township with a realistic spread of grades, a supervisory check of the demo
chair's union with one failed item (so `chair` has one open rectification), and
rectifications open, overdue, closed and verified. Loaded by the demo loader after the
register; a second load finds the county's standard and writes nothing."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shuangliang.core.models import Membership
from shuangliang.register.demo.data import COUNTY_CODE
from shuangliang.register.models import Federation, Union
from shuangliang.statistics import tallies

from . import results, services
from .figures import RECTIFICATION_TALLY
from .models import Answer, Inspection, Item, Rectification, Standard

SEED = "standards-demo"
SPOT_SEED = "九有抽查-demo"
# Share of unions per quality tier: the spread of grades an honest season shows.
TIERS = ((0.97, 0.2), (0.86, 0.4), (0.72, 0.25), (0.55, 0.15))


def _answers(rng: random.Random, items: list[Item], quality: float, *, fail: int | None = None):
    """Answers for a union of the given quality (roughly its percentage / 100); `fail`: the
    one item to fail whatever the quality (and every other passes)."""
    out = []
    for n, item in enumerate(items):
        if fail is not None:
            passed = n != fail
        else:
            odds = min(1.0, quality + 0.2) if item.mandatory else quality
            passed = rng.random() < odds
        answer = Answer(item=item)
        if item.allow_na and fail is None and rng.random() < 0.1:
            answer.not_applicable = True
        elif item.judgement == Item.Judgement.YES_NO:
            answer.yes = passed
        elif item.judgement == Item.Judgement.SCALE:
            answer.level = item.scale_max if passed else rng.randint(0, item.pass_level - 1)
        else:
            threshold = item.threshold or Decimal(0)
            delta = Decimal(rng.randint(1, 15))
            answer.number = threshold + delta if passed else max(Decimal(0), threshold - delta)
        if not passed:
            answer.note = "现场查看未达标"
        out.append(answer)
    return out


def _fill_and_submit(actor, inspection: Inspection, answers: list[Answer], when) -> None:
    for answer in answers:
        answer.inspection = inspection
    Answer.objects.bulk_create(answers)
    services.inspection_submit(actor=actor, inspection=inspection)
    Inspection.objects.filter(pk=inspection.pk).update(submitted_at=when)
    # A queryset update sends no signal: which check is the result may have changed.
    results.refresh(results.group_of(inspection))


def load_demo_standards(*, today: datetime.date | None = None) -> int:
    """Write the season once. Returns the number of inspections written."""
    county = Federation.objects.filter(division_code=COUNTY_CODE).first()
    if county is None or Standard.objects.filter(federation=county).exists():
        return 0
    users = get_user_model().objects.in_bulk(
        ["county", "cadre", "chair", "township"], field_name="username"
    )
    if "county" not in users:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    staff = users["county"]
    chair_union_id = (
        Membership.objects.filter(user__username="chair", union__isnull=False)
        .values_list("union_id", flat=True)
        .first()
    )
    day_of_year = today.timetuple().tm_yday

    def when(days_ago: int) -> datetime.datetime:
        day = today - datetime.timedelta(days=min(days_ago, day_of_year - 1))
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))

    written = 0
    with transaction.atomic():
        standard = services.standard_from_template(
            actor=staff, federation=county, code="nine_haves"
        )
        version = services.standard_publish(actor=staff, standard=standard)
        services.standard_from_template(actor=staff, federation=county, code="double_bright")
        items = list(version.items.order_by("section__position", "position"))
        unions = list(Union.objects.filter(federation__path__startswith=county.path).order_by("pk"))
        quality = {}
        for union in unions:
            roll, tier = rng.random(), TIERS[-1][0]
            for level, share in TIERS:
                if roll < share:
                    tier = level
                    break
                roll -= share
            quality[union.pk] = tier
        # Self-checks: about seven unions in ten, a little kinder than the inspectors.
        for union in unions:
            if union.pk != chair_union_id and rng.random() > 0.7:
                continue
            inspection = services.self_check_start(actor=staff, union=union, version=version)
            _fill_and_submit(
                staff,
                inspection,
                _answers(rng, items, min(1.0, quality[union.pk] + 0.1)),
                when(rng.randint(40, 70)),
            )
            written += 1
        # The spot check: a third of the unions, by township, weighted to focus enterprises.
        spot = services.round_create(
            actor=staff,
            federation=county,
            kind="spot",
            name=f"{today.year}年度“九有”规范化建设抽查",
            version=version,
            year=today.year,
            due_on=today + datetime.timedelta(days=20),
            seed=SPOT_SEED,
            params={"mode": "percent", "value": "30", "weight": "focus"},
        )
        inspectors = [users[name] for name in ("county", "township", "cadre") if name in users]
        drawn = list(spot.inspections.select_related("union").order_by("pk"))
        for n, inspection in enumerate(drawn):
            inspection.inspector = inspectors[n % len(inspectors)]
            inspection.save(update_fields=["inspector"])
            if n % 8 == 7:
                continue  # still to be inspected
            good = inspection.union_id == chair_union_id  # its trouble is the supervisory one
            _fill_and_submit(
                staff,
                inspection,
                _answers(rng, items, 1.0 if good else quality[inspection.union_id]),
                when(rng.randint(8, 35)),
            )
            written += 1
        # The county's supervisory check of the demo chair's union: one failed item.
        if chair_union_id is not None:
            inspection = Inspection.objects.create(
                kind=Inspection.Kind.SUPERVISORY,
                union_id=chair_union_id,
                version=version,
                year=today.year,
                inspector=staff,
            )
            fail = next(n for n, item in enumerate(items) if item.evidence == Item.Evidence.PHOTO)
            _fill_and_submit(staff, inspection, _answers(rng, items, 1.0, fail=fail), when(5))
            written += 1
        # Rectifications of the spot check: some overdue, some closed, some verified.
        tasks = list(
            Rectification.objects.filter(inspection__round=spot).order_by("pk").select_related()
        )
        for n, task in enumerate(tasks):
            if n % 5 == 0:
                Rectification.objects.filter(pk=task.pk).update(
                    deadline=today - datetime.timedelta(days=rng.randint(1, 12))
                )
                # No signal from a queryset update: recount the open tasks' deadlines.
                tallies.refresh(RECTIFICATION_TALLY, {task.union.federation_id})
            elif n % 5 in (1, 2):
                services.rectification_transition(
                    actor=staff,
                    rectification=task,
                    to=Rectification.State.CLOSED,
                    fields={
                        "closing_note": "已按要求整改到位，附整改前后对比。",
                        "closed_at": when(3),
                    },
                )
                if n % 5 == 2:
                    services.rectification_verify(actor=staff, rectification=task)
    return written
