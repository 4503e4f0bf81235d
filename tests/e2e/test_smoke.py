"""Smoke test of the whole stack: a browser logs in and lands on the overview, in Chinese."""

import re

import pytest
from django.utils import translation

from shuangliang.core.models import Membership
from shuangliang.register.models import Federation

from ..factories import FederationFactory, TownshipFactory, UserFactory, membership

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("page_fixture", ["page", "phone_page"])
def test_login_lands_on_overview_in_chinese(request, live_server, log_in, page_fixture):
    county = FederationFactory(
        name="冒烟县总工会", level=Federation.Level.COUNTY, division_code="990901"
    )
    TownshipFactory(name="冒烟镇", parent=county, division_code="990901001")
    user = UserFactory(username="smoke_county")
    membership(user, Membership.Role.FEDERATION_STAFF, federation=county)
    page = request.getfixturevalue(page_fixture)

    log_in(page, "smoke_county", "pw-for-tests-only")

    assert page.url == f"{live_server.url}/"
    assert page.get_attribute("html", "lang") == "zh-hans"
    with translation.override("zh-hans"):
        overview = translation.gettext("Overview")
    heading = page.inner_text("h1").strip()
    assert heading == overview
    assert CJK.search(heading), f"the overview heading is not in Chinese: {heading!r}"
    assert page.js_errors == []
