"""Issue 7 end to end: county C1's leader opens the dashboard on a phone, the charts draw on
a canvas, the page fits the screen, and a number leads to the list it counts."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from shuangliang.appeals.defaults import ensure_defaults

create_kinds = import_module(
    "shuangliang.register.migrations.0002_default_contract_kinds"
).create_kinds
PASSWORD = "pw-for-tests-only"


@pytest.fixture(scope="module", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """Rows of the data migrations, present before the test and put back after the live
    server's flush, for the tests that follow."""
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)
        ensure_defaults()
    yield
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)
        ensure_defaults()


def test_leader_opens_the_county_dashboard_on_a_phone_and_clicks_through(
    world, live_server, phone_page, log_in
):
    page = phone_page
    outside = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("data:", live_server.url)) else outside.append(r.url),
    )
    log_in(page, "leader_c1", PASSWORD)
    page.goto(f"{live_server.url}/statistics/{world.c1.pk}/")
    page.wait_for_selector("#chart-history canvas")
    page.wait_for_selector("#chart-places canvas")
    box = page.locator("#chart-history canvas").first.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    # Something was drawn: the canvas is not blank.
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('#chart-history canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n;
        }"""
    )
    assert painted > 1000
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []

    number = page.locator("#headline [data-figure=enterprises_operating] a.figure-link")
    shown = int(number.inner_text())
    assert shown == 2
    with page.expect_navigation():
        number.tap()
    assert "/enterprises/" in page.url and "status=in_production" in page.url
    assert page.locator("#enterprise-table tbody tr").count() == shown
    assert outside == []
