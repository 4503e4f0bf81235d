"""End-to-end harness: Playwright drives Debian's Chromium against pytest-django's live_server.

Fixtures: `browser` (one Chromium per session), `page` (a fresh context per test, desktop
1280×900), `phone_page` (390×844, mobile user agent and touch), `log_in` (fills the login
form). Every test under tests/e2e is marked `e2e`, so `pytest -m "not e2e"` leaves them out.
The browser sends `Accept-Language: zh-CN` as a Chinese user's browser does.
"""

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread, which makes Django's
# async-safety guard refuse ORM calls made by the test itself (fixtures, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SHUANGLIANG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
)
# Failing tests leave a screenshot here (the directory is in .gitignore).
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
TIMEOUT_MS = 15_000

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item so the page fixtures can tell a failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


def _new_page(browser, request: pytest.FixtureRequest, **context_options) -> Iterator:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Uncaught script errors are collected so tests can assert there were none.
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        # A crashed page must not hide the test's own failure behind a screenshot error.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A desktop page in a fresh browser context (no cookies shared between tests)."""
    yield from _new_page(browser, request, viewport=DESKTOP_VIEWPORT)


@pytest.fixture
def phone_page(browser, request: pytest.FixtureRequest):
    """A phone-sized page with a mobile user agent and touch, as a worker's phone."""
    yield from _new_page(
        browser,
        request,
        viewport=PHONE_VIEWPORT,
        user_agent=PHONE_USER_AGENT,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )


@pytest.fixture
def log_in(live_server) -> Callable:
    """log_in(page, username, password) submits the login form and waits for the next page."""

    def log_in(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form[action$='/accounts/login/'] button[type=submit]")

    return log_in
