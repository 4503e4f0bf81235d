"""The demo county's Double Bright status: realistic coverage, varied by township.

About three fifths of the founded unions are confirmed and compliant (more in the county
town and the park, fewer in the hill townships), a few wait for review, two were returned
with a reason (the demo chair's union among them, so the chair can try resubmitting), two
were confirmed before their last re-election and need updating, a few are drafts and the
rest have not started. Everything is drawn from its own seeded generator, so the register
drawn before it is unchanged, and written with bulk inserts and one log entry per step.
"""

import datetime
import functools
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from shuangliang.core.actionlog import build_entry
from shuangliang.doublebright.models import DoubleBrightStatus
from shuangliang.register import stored_figures
from shuangliang.register.models import Enterprise, OperatingStatus, Union

from .avatar import CJK_FONT, CJK_FONT_SC_INDEX
from .data import CHAIR_ENTERPRISE, CHAIR_TOWNSHIP_CODE, SEED

EVIDENCE_DIR = "doublebright/evidence/demo"
State = DoubleBrightStatus.State

# Share of each place's founded unions that are compliant.
COMPLIANT_SHARE = {
    "999001001": 0.78,  # 城關鎮, the county town
    "999001002": 0.66,
    "999001003": 0.38,  # 西山鄉, in the hills
    "999001004": 0.62,
    "999001005": 0.55,
    "999001006": 0.34,
    "999001007": 0.34,
    "999001008": 0.70,
    "999001009": 0.72,  # the industrial park
}
SUBMITTED, REJECTED, OUTDATED, DRAFTS = 4, 2, 2, 4
REJECTION_REASONS = (
    "公示栏照片看不清主席和副主席的姓名，请靠近重新拍摄后再提交。",
    "工会牌子照片中的名称与企业名称不一致，请更换牌子后重新提交。",
)


def build_double_bright(builder, unions: dict[str, Union]) -> None:
    """Write the statuses of the demo county's unions (called once, by DemoBuilder.build)."""
    rng = random.Random(SEED + 2012)
    today, now = builder.today, timezone.now()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=("county", "township", "chair"))
    }
    operating = {
        key
        for key, plans in builder.groups.items()
        if plans[0].status == OperatingStatus.IN_PRODUCTION
    }
    chair_key = next(
        key
        for key, plans in builder.groups.items()
        if any(p.name == CHAIR_ENTERPRISE for p in plans)
    )
    plan: dict[str, str] = {chair_key: State.REJECTED}
    by_place: dict[str, list[str]] = {}
    for key in unions:
        if key in operating and key != chair_key:
            by_place.setdefault(builder.groups[key][0].place, []).append(key)
    rest = []
    for place, keys in sorted(by_place.items()):
        keys = sorted(keys)
        rng.shuffle(keys)
        count = round(COMPLIANT_SHARE.get(place, 0.5) * len(keys))
        plan.update(dict.fromkeys(keys[:count], State.CONFIRMED))
        rest += keys[count:]
    rng.shuffle(rest)
    # Confirmed before the last re-election: a term that started at least four months ago.
    old_terms = [k for k in rest if (today - unions[k].term_start).days > 120][:OUTDATED]
    plan.update(dict.fromkeys(old_terms, "outdated"))
    rest = [k for k in rest if k not in old_terms]
    plan.update(dict.fromkeys(rest[:SUBMITTED], State.SUBMITTED))
    plan.update(dict.fromkeys(rest[SUBMITTED : SUBMITTED + REJECTED - 1], State.REJECTED))
    plan.update(
        dict.fromkeys(
            rest[SUBMITTED + REJECTED - 1 : SUBMITTED + REJECTED - 1 + DRAFTS], State.DRAFT
        )
    )

    statuses, steps = [], []
    reasons = iter(REJECTION_REASONS)
    for serial, (key, outcome) in enumerate(sorted(plan.items()), start=1):
        union = unions[key]
        # Submitted after the current term started: officers took office before it.
        since_term = max(2, (today - union.term_start).days)
        days_ago = min(since_term - 1, rng.randint(12, 160))
        if outcome == "outdated":
            days_ago = since_term + rng.randint(30, 90)
        submitted_on = today - datetime.timedelta(days=days_ago)
        submitted_at = now - datetime.timedelta(days=days_ago)
        status = DoubleBrightStatus(
            union=union,
            state=State.CONFIRMED if outcome == "outdated" else outcome,
            signboard_hung=True,
            identities_posted=outcome != State.DRAFT,
            badges_worn=outcome != State.DRAFT or rng.random() < 0.5,
            contact_cards_handed_out=rng.randint(20, 300) if outcome != State.DRAFT else 0,
            address_published=bool(union.office_address),
        )
        if outcome != State.DRAFT:
            status.submitted_at, status.submitted_on = submitted_at, submitted_on
            status.submitted_by = users.get("chair") if key == chair_key else None
        decided = submitted_at + datetime.timedelta(days=min(days_ago - 1, rng.randint(1, 10)))
        if status.state in (State.CONFIRMED, State.REJECTED):
            status.decided_at = decided
            reviewer = (
                "township" if union.federation.division_code == CHAIR_TOWNSHIP_CODE else "county"
            )
            status.decided_by = users.get(reviewer)
        if status.state == State.REJECTED:
            status.rejection_reason = next(reasons)
        if builder.photos:
            status.signboard_photo.name = _save(
                f"signboard-{serial:04d}.jpg", signboard_jpeg(union.name)
            )
            if outcome != State.DRAFT:
                status.notice_board_photo.name = _save(
                    f"notice-board-{serial:04d}.jpg", notice_board_jpeg(serial)
                )
        statuses.append(status)
        steps.append(_steps(status, submitted_on))
    DoubleBrightStatus.objects.bulk_create(statuses, batch_size=500)
    # bulk_create sends no signals: the enterprises' stored Double Bright values.
    stored_figures.refresh(
        Enterprise.objects.filter(union_id__in=[status.union_id for status in statuses])
    )
    for status, actions in zip(statuses, steps, strict=True):
        for action, data in actions:
            builder.log.append(build_entry(status, action, data={"source": "demo", **data}))


def _steps(status: DoubleBrightStatus, submitted_on: datetime.date) -> list[tuple[str, dict]]:
    """The log entries a status's history would hold, with the dates they happened on."""
    steps = [("doublebright.status.created", {})]
    if status.submitted_on:
        steps.append(("doublebright.status.submitted", {"on": submitted_on.isoformat()}))
    if status.state == State.CONFIRMED:
        steps.append(
            ("doublebright.status.confirmed", {"on": status.decided_at.date().isoformat()})
        )
    elif status.state == State.REJECTED:
        steps.append(
            (
                "doublebright.status.rejected",
                {"on": status.decided_at.date().isoformat(), "reason": status.rejection_reason},
            )
        )
    return steps


def _save(name: str, data: bytes) -> str:
    """Write a demo photo under a fixed name (a reload into a fresh database reuses it)."""
    path = f"{EVIDENCE_DIR}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


@functools.lru_cache(maxsize=4)
def _font(size: int):
    try:
        return ImageFont.truetype(str(CJK_FONT), size, index=CJK_FONT_SC_INDEX)
    except OSError:
        return None


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def signboard_jpeg(name: str) -> bytes:
    """A vertical white plaque with the union's name in red, on a grey gate pillar."""
    image = Image.new("RGB", (360, 480), (150, 150, 145))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 30, 240, 450), fill=(250, 250, 245), outline=(180, 150, 60), width=4)
    font = _font(20)
    text = name.removesuffix("委员会")[:20]
    if font is not None:
        step = min(20, 400 // max(1, len(text)))
        for index, char in enumerate(text):
            draw.text((180, 48 + index * step), char, font=font, fill=(180, 20, 20), anchor="mt")
    else:
        for row in range(12):
            draw.rectangle((165, 50 + row * 32, 195, 72 + row * 32), fill=(180, 20, 20))
    return _jpeg(image)


def notice_board_jpeg(serial: int) -> bytes:
    """A blue notice board headed 工会干部公示栏 with a row of cadre cards."""
    image = Image.new("RGB", (480, 360), (225, 222, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 340), fill=(30, 70, 140))
    font = _font(26)
    if font is not None:
        draw.text((240, 50), "工会干部公示栏", font=font, fill=(255, 255, 255), anchor="mm")
    cards = 3 + serial % 3
    width = 400 // cards
    for index in range(cards):
        left = 40 + index * width
        draw.rectangle((left, 90, left + width - 12, 300), fill=(250, 250, 250))
        draw.rectangle((left + 10, 100, left + width - 22, 190), fill=(200, 205, 215))
        draw.rectangle((left + 10, 205, left + width - 22, 215), fill=(60, 60, 60))
        draw.rectangle((left + 10, 225, left + width - 40, 233), fill=(120, 120, 120))
    return _jpeg(image)
