"""Issue 5 end to end: a worker's phone opens the federation page, follows its published
notice, reads the tables and downloads the PDF; the union page of a model unit says so."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from shuangliang.doublebright.services import union_page_ensure
from shuangliang.notices import services

create_kinds = import_module(
    "shuangliang.register.migrations.0002_default_contract_kinds"
).create_kinds


@pytest.fixture(scope="module", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """Put back the rows of data migrations around the live-server flush (see
    test_public_phone.py)."""
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)
    yield
    with django_db_blocker.unblock():
        create_kinds(django_apps, None)


def test_worker_reads_a_published_notice_on_a_phone(world, live_server, phone_page):
    page = phone_page
    outside = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    notice = world.notice_published1
    services.designation_decide(
        actor=world.users["county_c1"], designation=world.designation1, approve=True
    )
    page.goto(f"{live_server.url}/f/{world.c1.division_code}/")
    with page.expect_navigation():
        page.get_by_role("link", name=notice.title).tap()
    assert page.locator(".notice-head .organ").inner_text() == world.c1.name
    assert notice.document_number in page.locator(".notice-head .number").inner_text()
    assert page.locator("table.units td", has_text=world.u1.name).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("script").count() == 0
    with page.expect_download() as download:
        page.locator("a[href$='notice.docx']").tap()
    assert download.value.suggested_filename.endswith(".docx")
    page.goto(f"{live_server.url}/u/{union_page_ensure(union=world.u1).token}/")
    assert "2026" in page.locator("#model-unit").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert outside == []
