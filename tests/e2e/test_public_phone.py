"""Issue 3 end to end: a worker's phone scans the union's QR code, checks the chair's badge,
and after a change of chair the old badge's address says "no longer valid"."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone, translation

from shuangliang.doublebright.services import union_page_ensure
from shuangliang.register.models import Position
from shuangliang.register.services import officer_appoint

from ..factories import PersonFactory

create_kinds = import_module(
    "shuangliang.register.migrations.0002_default_contract_kinds"
).create_kinds


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture(scope="module", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """The rows data migrations made (the contract kinds the world needs), present before the
    test and put back after it: a live-server test ends by flushing the whole database, and
    the tests that follow expect the database as `migrate` left it."""
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)
    yield
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)


def test_worker_checks_chair_badge_and_old_badge_after_chair_change(world, live_server, phone_page):
    page = phone_page
    outside = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    person = world.chair1.person
    person.consent_mobile = True
    person.save()
    union_url = f"{live_server.url}/u/{union_page_ensure(union=world.u1).token}/"

    page.goto(union_url)
    chair = page.locator("article.cadre.chair")
    assert chair.locator("h3").inner_text().startswith("王芳")
    assert chair.locator(f"a[href='tel:{person.mobile}']").count() == 1
    # Readable on a 390 px phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        chair.locator("a.verify").tap()
    verify_url = page.url
    assert "/v/" in verify_url
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-valid") == "true"
    assert _zh("Valid") in verdict.locator("h1").inner_text()
    assert "甲一机械有限公司工会委员会" in verdict.inner_text()

    officer_appoint(
        actor=world.users["county_c1"],
        union=world.u1,
        person=PersonFactory(name="周明远"),
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )

    page.goto(verify_url)  # the old badge's QR code, scanned again
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-valid") == "false"
    assert _zh("No longer valid") in verdict.locator("h1").inner_text()
    with page.expect_navigation():
        page.locator("p.next a").tap()
    assert page.url == union_url
    assert page.locator("article.cadre.chair h3").inner_text().startswith("周明远")
    assert "王芳" not in page.content()

    assert outside == []
    assert page.js_errors == []
