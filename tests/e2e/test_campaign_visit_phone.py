"""Issue 6 end to end: on the demo county, `cadre` opens their enterprises on a phone and logs a
visit with a follow-up and a photo; `county` opens the plan's timeline and reads targets
against actual per township."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from shuangliang.campaign.models import Assignment, Campaign, FollowUp, Visit
from shuangliang.register.models import Federation

PASSWORD = "shuangliang-demo"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--no-photos", verbosity=0)


def test_cadre_logs_a_visit_from_a_phone(demo, live_server, phone_page, log_in, tmp_path):
    page = phone_page
    log_in(page, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/campaign/my-enterprises/")
    cards = page.locator("#my-enterprises section.card")
    assigned = Assignment.objects.filter(cadre__username="cadre").count()
    assert cards.count() == assigned == 8
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    first = cards.first
    enterprise_id = int(first.get_attribute("data-enterprise"))
    first.locator("a.button.primary").click()
    page.wait_for_selector("#visit-form")
    assert page.locator("select[name=enterprise]").input_value() == str(enterprise_id)
    page.check("input[name=met_union_chair]")
    page.check("input[name=met_workers]")
    page.fill("input[name=people_met]", "工会主席、三名一线职工")
    page.fill("textarea[name=workers_raised]", "夜班补贴多年未调整")
    page.fill("textarea[name=done_on_spot]", "当场向企业负责人转达，约定下周协商")
    page.fill("input[name=contact_cards]", "15")
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.fill("input[name=follow_up]", "督促企业召开工资协商会议")
    page.fill("input[name=follow_up_due_on]", due.isoformat())
    photo = tmp_path / "visit.jpg"
    Image.new("RGB", (800, 600), (30, 120, 200)).save(photo, "JPEG")
    page.set_input_files("input[name=photos]", str(photo))
    with page.expect_navigation():
        page.click("#visit-form button[type=submit]")

    visit = Visit.objects.get(enterprise_id=enterprise_id, workers_raised="夜班补贴多年未调整")
    assert visit.visitor.username == "cadre" and visit.contact_cards == 15
    follow_up = visit.follow_ups.get()
    assert (follow_up.due_on, follow_up.owner.username, follow_up.state) == (due, "cadre", "open")
    assert visit.photos.count() == 1
    assert page.url.endswith(f"/campaign/visits/{visit.pk}/")
    assert "督促企业召开工资协商会议" in page.locator("#follow-ups").inner_text()
    # The photo is served back to the cadre through the access-checked route.
    size = page.evaluate(
        "(() => { const i = document.querySelector('.photos img'); return i.naturalWidth; })()"
    )
    assert size > 0
    assert page.js_errors == []

    # Back on the list, the follow-up is among the cadre's open ones.
    page.goto(f"{live_server.url}/campaign/my-enterprises/")
    assert "督促企业召开工资协商会议" in page.locator("#my-follow-ups").inner_text()
    assert FollowUp.objects.filter(owner__username="cadre", state="open").count() >= 2


def test_county_timeline_shows_targets_per_township(demo, live_server, page, log_in):
    log_in(page, "county", PASSWORD)
    # Each click loads a new page: wait for it, or the checks below read a page still loading.
    with page.expect_navigation():
        page.click("nav.mainnav a[href$='/campaign/']")
    with page.expect_navigation():
        page.click("#campaign-table a")
    county = Federation.objects.get(division_code="999001")
    campaign = Campaign.objects.get(federation=county)
    assert page.url.endswith(campaign.get_absolute_url())
    # Today is in phase two, and the month column of today is marked.
    assert page.locator("#timeline th[aria-current=date]").count() == 1
    current = campaign.phases.filter(parent__isnull=True).order_by("starts_on").last()
    assert current.name in page.locator("#current-phase").inner_text()
    # One row for the whole county and one per township or park, with a meter per measure.
    rows = page.locator("#target-table tbody tr")
    assert rows.count() == Federation.objects.filter(parent=county).count() + 1
    assert rows.nth(1).locator("meter").count() >= 2
    assert page.locator("#overdue li").count() == 2
    assert page.js_errors == []
