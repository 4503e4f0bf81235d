"""Issue 7 end to end: county C1's leader opens the dashboard on a phone, the charts draw on
a canvas, the page fits the screen, and a number leads to the list it counts."""

import io
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from PIL import Image

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
    # Every chart of the page is drawn: each has a canvas with pixels on it (a chart draws
    # itself over a few frames after its canvas appears, so wait for them), and a screenshot
    # of it shows the chart's colours, not a blank card.
    charts = page.locator("[data-chart]")
    names = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
    assert {"history", "places", "grades"} <= set(names)
    for name in names:
        page.wait_for_function(
            """(name) => {
                const c = document.querySelector(`[data-chart="${name}"] canvas`);
                if (!c) return false;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n > 1000;
            }""",
            arg=name,
        )
        page.wait_for_timeout(1200)  # ECharts' entry animation (1 s) has ended
        shot = Image.open(io.BytesIO(page.locator(f"[data-chart={name}]").screenshot()))
        raw = shot.convert("RGB").tobytes()
        pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
        inked = sum(1 for r, g, b in pixels if min(r, g, b) < 200)
        assert inked > 500, (name, inked)
        # Series colours (not only grey axes and text): some strongly coloured pixels.
        coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 80)
        assert coloured > 200, (name, coloured)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.js_errors == []

    # The grades under their chart lead to the results of that grade.
    grade_link = page.locator("#grade-links a").first
    grade, shown_results = grade_link.get_attribute("data-grade"), grade_link.inner_text()
    with page.expect_navigation():
        grade_link.tap()
    assert "/standards/results/" in page.url and f"grade={grade}" in page.url
    assert page.locator("#result-table tbody tr").count() == int(shown_results.split()[-1])
    page.go_back()

    number = page.locator("#headline [data-figure=enterprises_operating] a.figure-link")
    shown = int(number.inner_text())
    assert shown == 2
    with page.expect_navigation():
        number.tap()
    assert "/enterprises/" in page.url and "status=in_production" in page.url
    assert page.locator("#enterprise-table tbody tr").count() == shown
    assert outside == []
