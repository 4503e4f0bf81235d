"""No dead ends: every link a role is shown leads somewhere that role may go.

For each role the test world's pages are crawled from the staff home page (or, for the
public, from a union's public page): every same-site link on a page must answer without a
404 or a server error for the role that was shown it. A link to a page the role may not
open (a 404 behind a list the role can read) is a scoping mistake the role matrix cannot
see, because it checks routes one at a time. Found this way: an inspection page linked a
chair to its round, and an inspector to rectifications they may not follow.

To stay fast the crawl opens one URL per route pattern and skips downloads.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from .conftest import client_for

HREF = re.compile(r'href="([^"]+)"')
PER_ROUTE = 1
MAX_PAGES = 400
SKIP_PREFIXES = ("/static/", "/i18n/", "/accounts/logout", "/api/", "/admin/logout")


def start_for(world, role: str) -> str:
    if role == "anonymous":
        return reverse("public:union_page", args=[world.union_page.token])
    return reverse("backoffice:home")


def crawl(client, start: str) -> tuple[int, list[tuple[str, int, str]]]:
    queue = deque([(start, "")])
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    dead = []
    opened = 0
    while queue and opened < MAX_PAGES:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            dead.append((url, 404, referrer))
            continue
        per_route[route] = per_route.get(route, 0) + 1
        if per_route[route] > PER_ROUTE:
            continue
        response = client.get(url)
        opened += 1
        if response.status_code >= 400 and response.status_code != 403:
            dead.append((url, response.status_code, referrer))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.streaming:
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if not href.startswith("/") or href.startswith("//"):
                continue
            if href.startswith(SKIP_PREFIXES) or href in seen:
                continue
            queue.append((href, url))
    return opened, dead


@pytest.mark.parametrize(
    "role", ["anonymous", "chair_u1", "township_t1", "county_c1", "cadre", "leader_c1", "city"]
)
def test_every_link_shown_to_a_role_opens_for_it(world, role):
    opened, dead = crawl(client_for(world, role), start_for(world, role))
    assert opened > 5, "the crawl found almost nothing: the start page changed?"
    assert dead == [], "\n".join(f"{code} {url} (linked from {ref})" for url, code, ref in dead)
