"""The API documentation page really renders in Chromium under the site's CSP: Swagger UI
loads from our own static files, draws every operation, and the browser reports no CSP
violation and no script error."""

from shuangliang.core.models import Membership
from shuangliang.register.models import Federation

from ..factories import FederationFactory, UserFactory, membership


def test_api_docs_render_under_the_csp(live_server, page, log_in):
    county = FederationFactory(
        name="文档县总工会", level=Federation.Level.COUNTY, division_code="990902"
    )
    user = UserFactory(username="docs_county")
    membership(user, Membership.Role.FEDERATION_STAFF, federation=county)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    log_in(page, "docs_county", "pw-for-tests-only")

    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/enterprises" in path for path in paths)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Shuangliang API")
    assert violations == []
    assert outside == []
    assert page.js_errors == []
