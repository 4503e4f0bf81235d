"""Issue 5 end to end: on the demo county, `county` runs a spot check of 10 % of the unions
stratified by township (shown, then confirmed) and assigns `cadre`; `cadre` scores two unions
on a phone — answers saved as they are given, one given while offline and sent when the
connection returns — and a failed item opens a rectification that `chair` closes with a photo."""

import pytest
from django.core.management import call_command
from PIL import Image

from shuangliang.core.models import Membership
from shuangliang.register.models import Federation
from shuangliang.standards.models import Answer, Inspection, InspectionRound, Item, Rectification
from shuangliang.standards.selectors import round_draw, versions_applicable

PASSWORD = "shuangliang-demo"
PARAMS = {"mode": "percent", "value": "10", "weight": "none"}


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--no-photos", verbosity=0)


def _photo(tmp_path, name: str) -> str:
    path = tmp_path / name
    Image.new("RGB", (640, 480), (200, 40, 40)).save(path, "JPEG")
    return str(path)


def _answer(page, inspection: Inspection, *, fail: Item | None = None) -> None:
    for item in inspection.version.items.order_by("section__position", "position"):
        if item.judgement == Item.Judgement.NUMBER:
            page.fill(f"input[name=a{item.pk}]", "60" if item == fail else "92")
            page.locator(f"input[name=a{item.pk}]").dispatch_event("change")
        else:
            page.check(f"input[name=a{item.pk}][value={'no' if item == fail else 'yes'}]")


def _synced(page, inspection: Inspection) -> None:
    """Wait until the script has no unsent answer left for the inspection."""
    page.wait_for_function(
        f"() => !window.localStorage.getItem('shuangliang:inspection-{inspection.pk}')"
    )


def test_spot_check_scored_on_a_phone_and_rectified_by_the_chair(
    demo, live_server, page, phone_page, log_in, browser, tmp_path
):
    county = Federation.objects.get(division_code="999001")
    chair_union = Membership.objects.get(user__username="chair").union
    version = versions_applicable(union=chair_union)[0]
    # The draw is reproducible from its seed: pick a seed whose draw holds the chair's union.
    seed = next(
        s
        for s in (f"e2e-{n}" for n in range(200))
        if chair_union.pk
        in round_draw(federation=county, kind="spot", seed=s, params=PARAMS).union_ids
    )
    expected = round_draw(federation=county, kind="spot", seed=seed, params=PARAMS).union_ids

    # County: fill in the check, see the draw, confirm it.
    log_in(page, "county", PASSWORD)
    page.goto(f"{live_server.url}/standards/rounds/new/")
    page.select_option("select[name=kind]", "spot")
    page.fill("input[name=name]", "十月九有抽查")
    page.select_option("select[name=federation]", str(county.pk))
    page.select_option("select[name=version]", str(version.pk))
    page.select_option("select[name=mode]", "percent")
    page.fill("input[name=value]", "10")
    page.fill("input[name=seed]", seed)
    with page.expect_navigation():
        page.click("button[name=action][value=preview]")
    shown = page.locator("#draw ul.drawn li")
    assert shown.count() == len(expected)
    assert InspectionRound.objects.filter(seed=seed).count() == 0  # shown, not yet created
    townships = page.locator("#draw h3").count()
    assert townships == len(
        {u.federation_id for u in chair_union.__class__.objects.filter(pk__in=expected)}
    )
    with page.expect_navigation():
        page.click("button[name=action][value=confirm]")
    inspection_round = InspectionRound.objects.get(seed=seed)
    assert sorted(inspection_round.drawn) == sorted(expected)
    # ...and assign the cadre to the chair's union and one other.
    mine = inspection_round.inspections.get(union=chair_union)
    other = inspection_round.inspections.exclude(union=chair_union).order_by("pk").first()
    cadre_id = str(Membership.objects.get(user__username="cadre").user_id)
    for inspection in (mine, other):
        page.select_option(f"select[name=inspector-{inspection.pk}]", cadre_id)
    with page.expect_navigation():
        page.click("form[action$='/assign/'] button[type=submit]")
    assert set(
        inspection_round.inspections.filter(inspector_id=cadre_id).values_list("pk", flat=True)
    ) == {mine.pk, other.pk}

    # Cadre, on a phone: both inspections are on their list.
    phone = phone_page
    log_in(phone, "cadre", PASSWORD)
    phone.goto(f"{live_server.url}/standards/")
    for inspection in (mine, other):
        assert phone.locator(f"ul.todo a[href$='/inspections/{inspection.pk}/form/']").count() == 1
    # The chair's union: one item fails (the signboard), with a photo of it.
    signboard = mine.version.items.get(text="有工会牌子和印章")
    phone.click(f"ul.todo a[href$='/inspections/{mine.pk}/form/']")
    phone.wait_for_selector("#inspection-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator(f"input[name=p{signboard.pk}]").get_attribute("capture") == "environment"
    first = mine.version.items.order_by("section__position", "position").first()
    phone.check(f"input[name=a{first.pk}][value=yes]")
    _synced(phone, mine)
    assert Answer.objects.get(inspection=mine, item=first).yes is True  # saved as it was given
    # The connection drops: the answer waits on the phone and goes when it returns.
    phone.context.set_offline(True)
    phone.check(f"input[name=a{signboard.pk}][value=no]")
    phone.wait_for_function("document.querySelector('.autosave-status.offline') !== null")
    assert not Answer.objects.filter(inspection=mine, item=signboard).exists()
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    _synced(phone, mine)
    assert Answer.objects.get(inspection=mine, item=signboard).yes is False
    _answer(phone, mine, fail=signboard)
    phone.set_input_files(f"input[name=p{signboard.pk}]", _photo(tmp_path, "signboard.jpg"))
    with phone.expect_navigation():
        phone.click("button[name=action][value=submit]")
    mine.refresh_from_db()
    assert mine.state == "submitted" and mine.percent is not None and mine.percent < 100
    assert Answer.objects.get(inspection=mine, item=signboard).evidence.count() == 1
    # The other union: everything holds.
    phone.goto(f"{live_server.url}/standards/inspections/{other.pk}/form/")
    _answer(phone, other)
    with phone.expect_navigation():
        phone.click("button[name=action][value=submit]")
    other.refresh_from_db()
    assert other.state == "submitted" and other.percent == 100
    assert phone.js_errors == []

    # The failed item opened a rectification of the chair's union.
    task = Rectification.objects.get(inspection=mine)
    assert task.item == signboard and task.state == "open"

    # Chair, on a phone (a fresh context): closes it with a photo.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    chair = context.new_page()
    log_in(chair, "chair", PASSWORD)
    chair.goto(f"{live_server.url}/standards/rectifications/")
    chair.click(f"a[href$='/rectifications/{task.pk}/']")
    chair.click(f"a[href$='/rectifications/{task.pk}/close/']")
    chair.fill("textarea[name=note]", "已重新制作并悬挂工会牌子")
    chair.set_input_files("input[name=photo]", _photo(tmp_path, "fixed.jpg"))
    with chair.expect_navigation():
        chair.click("button[type=submit].primary")
    task.refresh_from_db()
    assert task.state == "closed" and task.closing_photo and task.closed_by.username == "chair"
    width = chair.evaluate(
        "(() => { const i = document.querySelector('img.thumb'); return i && i.naturalWidth; })()"
    )
    assert width and width > 0
    context.close()
