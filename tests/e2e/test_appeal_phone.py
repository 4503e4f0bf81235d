"""Issue 4 end to end: on a phone, a worker raises a named and an anonymous concern from a
union's public page and keeps the tracking codes; U1's chair accepts one and replies; the
worker looks the code up and reads the reply. Nothing is fetched from outside."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from shuangliang.appeals.defaults import ensure_defaults
from shuangliang.appeals.models import Appeal, Appellant

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


def file_concern(page, union_url: str, *, subject: str, anonymous: bool) -> str:
    page.goto(union_url)
    with page.expect_navigation():
        page.locator("a.appeal-start").tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("select[name=category]", label="拖欠工资")
    page.fill("input[name=subject]", subject)
    page.fill("textarea[name=body]", "车间二十多人十月的加班费一直没有结算。")
    if anonymous:
        page.locator("input[name=identity][value=anonymous]").check()
        assert page.locator("input[name=name]").is_hidden()  # asked only of named workers
    else:
        page.fill("input[name=name]", "陈小明")
        page.fill("input[name=phone]", "13912345678")
        page.locator("input[name=identity_to_union]").check()
    with page.expect_navigation():
        page.locator("button.submit").tap()
    code = page.locator("#tracking-code").input_value()
    assert len(code.replace("-", "")) == 26
    assert page.locator("img.qr").is_visible()
    return code


def test_worker_files_concerns_and_reads_the_chairs_reply(
    world, live_server, phone_page, page, log_in
):
    outside = []
    for p in (phone_page, page):
        p.on(
            "request",
            lambda r: (
                None if r.url.startswith(("data:", live_server.url)) else outside.append(r.url)
            ),
        )
    union_url = f"{live_server.url}/u/{world.union_page.token}/"
    code = file_concern(phone_page, union_url, subject="十月加班费未结", anonymous=False)
    file_concern(phone_page, union_url, subject="食堂建议", anonymous=True)
    named = Appeal.objects.get(subject="十月加班费未结")
    anonymous = Appeal.objects.get(subject="食堂建议")
    assert named.handling_union == world.u1 and Appellant.objects.filter(appeal=named).exists()
    assert anonymous.is_anonymous and not Appellant.objects.filter(appeal=anonymous).exists()

    # The worker checks the status: submitted.
    phone_page.goto(f"{live_server.url}/track/")
    phone_page.fill("input[name=code]", code)
    with phone_page.expect_navigation():
        phone_page.locator("button.submit").tap()
    assert phone_page.url == f"{live_server.url}/track/"  # the code never enters an address
    assert phone_page.locator("#status").get_attribute("data-status") == "submitted"

    # U1's chair accepts it and replies.
    log_in(page, "chair_u1", PASSWORD)
    page.goto(f"{live_server.url}/appeals/")
    with page.expect_navigation():
        page.locator(f"a[href='/appeals/{named.pk}/']").first.click()
    with page.expect_navigation():
        page.locator("#steps button[value=accept]").click()
    assert page.locator("#appeal-status").inner_text() != ""
    page.fill("#reply-form textarea[name=body]", "已与企业财务核实，本周五前补发。")
    with page.expect_navigation():
        page.locator("#reply-form button[type=submit]").click()
    named.refresh_from_db()
    assert named.status == "accepted"

    # The worker sees the change and the reply, and nothing of who they are.
    phone_page.reload()
    assert phone_page.locator("#status").get_attribute("data-status") == "accepted"
    replies = phone_page.locator("#replies").inner_text()
    assert "已与企业财务核实，本周五前补发。" in replies
    assert "陈小明" not in phone_page.content() and "13912345678" not in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    assert outside == []
    assert phone_page.js_errors == [] and page.js_errors == []
