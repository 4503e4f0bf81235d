"""The public union page's server-side cache (shuangliang/public/page_cache.py).

A cached page must still be exact: a withdrawn consent (QUALITY.md C1) or a new chair shows
on the very next request, and nothing depends on deleting a key in the process that made the
change (each gunicorn worker has its own cache; the version stamps live in the database).
"""

import datetime
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from shuangliang.campaign.models import Assignment
from shuangliang.doublebright import selectors
from shuangliang.doublebright.models import Credential, UnionPage
from shuangliang.doublebright.services import (
    credential_ensure,
    credential_revoke,
    union_page_ensure,
    union_page_update,
)
from shuangliang.public import page_cache
from shuangliang.register.models import Officer, Person, Position
from shuangliang.register.services import (
    enterprise_attach_union,
    enterprise_update,
    officer_appoint,
    officer_end,
    person_update,
    union_update,
)

from .factories import EnterpriseFactory, OfficerFactory, PersonFactory, UnionFactory

MOBILE = "13912345678"


@pytest.fixture
def cached(settings):
    """The cache on (as in production) and empty."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_u1(world) -> UnionPage:
    return union_page_ensure(union=world.u1)


def _url(page: UnionPage) -> str:
    return reverse("public:union_page", kwargs={"token": page.token})


def _get(client: Client, page: UnionPage):
    response = client.get(_url(page))
    assert response.status_code == 200
    return response


def _html(page: UnionPage) -> str:
    return _get(Client(), page).content.decode()


def _key(page: UnionPage, language: str = "zh-hans") -> str:
    """The key the view uses for the page as the database has it now."""
    with translation.override(language):
        return page_cache.union_page_key(page=selectors.union_page_for_public(token=page.token))


# --- a cached hit ------------------------------------------------------------------------------


def test_cached_hit_is_one_query_and_the_same_page(world, cached, page_u1):
    first = _html(page_u1)
    with CaptureQueriesContext(connection) as queries:
        second = _html(page_u1)
    # The page with its stamps, its federations and the notices app's model-unit years
    # (shown outside the cached content, read on every request): one query.
    assert len(queries) == 1
    assert "doublebright_unionpage" in queries[0]["sql"]
    assert "notices_designation" in queries[0]["sql"]
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", second) == strip.sub("", first)
    assert cache.get(_key(page_u1)) is not None


def test_cached_hit_keeps_the_public_headers_and_the_language_switch(world, cached, page_u1):
    responses = [_get(Client(), page_u1) for _ in range(2)]
    for response in responses:
        html = response.content.decode()
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-cache" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex">' in html
        assert f'href="{reverse("public:language")}?language=en' in html
        # The frame is rendered per request and carries no token: nothing per reader.
        assert "csrfmiddlewaretoken" not in html and not response.cookies


def test_opting_in_to_indexing_shows_on_the_next_request(world, cached, page_u1):
    assert _get(Client(), page_u1)["X-Robots-Tag"] == "noindex"
    union_page_update(actor=world.users["county_c1"], page=page_u1, indexable=True)
    response = _get(Client(), page_u1)
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_the_cache_is_per_language(world, cached, page_u1):
    chinese = _html(page_u1)
    client = Client()
    client.cookies["django_language"] = "en"
    english = _get(client, page_u1).content.decode()
    assert "Union cadres" in english and "Union cadres" not in chinese
    assert _key(page_u1, "en") != _key(page_u1, "zh-hans")
    assert cache.get(_key(page_u1, "en")) is not None


def test_the_cache_can_be_turned_off(world, settings, page_u1):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cache.clear()
    _html(page_u1)
    assert cache.get(_key(page_u1)) is None


# --- exact on every change ---------------------------------------------------------------------


def test_consent_withdrawal_shows_on_the_very_next_request(world, cached, page_u1):
    person = world.chair1.person
    person_update(actor=None, person=person, data={"mobile": MOBILE, "consent_mobile": True})
    assert MOBILE in _html(page_u1)
    assert MOBILE in _html(page_u1)  # now from the cache
    person_update(actor=None, person=person, data={"consent_mobile": False})
    assert MOBILE not in _html(page_u1)


def test_chair_change_shows_on_the_very_next_request(world, cached, page_u1):
    assert "王芳" in _html(page_u1)
    officer_appoint(
        actor=None,
        union=world.u1,
        person=PersonFactory(name="新主席"),
        data={"position": Position.CHAIR, "term_start": timezone.localdate()},
    )
    html = _html(page_u1)
    assert "新主席" in html
    assert "王芳" not in html


def test_the_change_is_seen_without_deleting_anything_from_the_cache(world, cached, page_u1):
    """What another worker would see: its copy stays in its memory, under a key that the
    database's new stamp no longer leads to."""
    _html(page_u1)
    old_key = _key(page_u1)
    assert cache.get(old_key) is not None
    officer_end(actor=None, officer=world.chair1)
    assert cache.get(old_key) is not None  # still there, as in another process
    assert _key(page_u1) != old_key
    assert "王芳" not in _html(page_u1)


def _rename_union(world):
    union_update(actor=None, union=world.u1, data={"name": "甲一机械改名工会"})
    return "<h1>甲一机械改名工会</h1>"  # the heading is in the cached part


def _office_hours(world):
    union_page_update(actor=None, page=world.u1.public_page, indexable=False, office_hours="周六")
    return "周六"


def _rename_enterprise(world):
    enterprise_update(actor=None, enterprise=world.e1, data={"name": "甲一新名有限公司"})
    return "甲一新名有限公司"


def _attach_enterprise(world):
    enterprise = EnterpriseFactory(name="新并入有限公司", federation=world.t1, union=None)
    enterprise_attach_union(actor=None, enterprise=enterprise, union=world.u1)
    return "新并入有限公司"


def _assign_cadre(world):
    Assignment.objects.create(
        cadre=world.users["city"],
        enterprise=world.e1,
        position_title="市总工会挂点干部",
        public_phone="0999-3334444",
        starts_on=datetime.date(2024, 1, 1),
    )
    return "市总工会挂点干部"


def _rename_assigned_cadre(world):
    Assignment.objects.create(
        cadre=world.users["city"], enterprise=world.e1, starts_on=datetime.date(2024, 1, 1)
    )
    _html(world.u1.public_page)  # cached with the old name
    user = world.users["city"]
    user.last_name, user.first_name = "周", "新名"
    user.save()
    return "周新名"


def _federation_phone(world):
    world.t1.phone = "0999-7654321"
    world.t1.save()
    return "tel:09997654321"


def _new_cadre(world):
    OfficerFactory(union=world.u1, position=Position.VICE_CHAIR, person__name="新副主席")
    return "新副主席"


def _imported_cadre(world):
    """The register import writes officers with bulk_create: no signal is sent."""
    person = Person.objects.create(name="导入委员")
    Officer.objects.bulk_create(
        [
            Officer(
                person=person,
                union=world.u1,
                position=Position.COMMITTEE_MEMBER,
                term_start=datetime.date(2024, 1, 1),
            )
        ]
    )
    return "导入委员"


def _reissued_credential(world):
    old = credential_ensure(officer=world.chair1)
    credential_revoke(actor=None, credential=old, reason="遗失")
    return credential_ensure(officer=world.chair1).token


@pytest.mark.parametrize(
    "change",
    [
        _rename_union,
        _office_hours,
        _rename_enterprise,
        _attach_enterprise,
        _assign_cadre,
        _rename_assigned_cadre,
        _federation_phone,
        _new_cadre,
        _imported_cadre,
        _reissued_credential,
    ],
)
def test_every_change_the_page_shows_is_seen_on_the_next_request(world, cached, page_u1, change):
    _html(page_u1)
    _html(page_u1)
    shown = change(world)
    assert shown in _html(page_u1)


def _enterprises(page: UnionPage) -> list[str]:
    sign = re.search(r'<section class="sign">(.*?)</section>', _html(page), re.S).group(1)
    names = re.search(r'<p class="muted">(.*?)</p>', sign)
    return names.group(1).split("、") if names else []


def test_an_enterprise_leaving_the_union_leaves_its_page(world, cached, page_u1):
    other = union_page_ensure(union=world.u2)
    assert _enterprises(page_u1) == ["甲一机械有限公司"]
    assert _enterprises(other) == ["甲二纺织有限公司"]
    enterprise_attach_union(actor=None, enterprise=world.e1, union=world.u2)
    assert _enterprises(page_u1) == []
    assert sorted(_enterprises(other)) == sorted(["甲二纺织有限公司", "甲一机械有限公司"])


def test_a_term_ending_today_leaves_the_cached_page_tomorrow(world, cached, page_u1):
    today = timezone.localdate()
    OfficerFactory(union=world.u1, person__name="今日卸任", term_end=today)
    assert "今日卸任" in _html(page_u1)
    with mock.patch.object(timezone, "localdate", return_value=today + datetime.timedelta(1)):
        assert "今日卸任" not in _html(page_u1)


def test_a_rotated_token_retires_the_cached_page(world, cached, page_u1):
    from shuangliang.doublebright.services import union_page_rotate_token

    old_url = _url(page_u1)
    _html(page_u1)
    union_page_rotate_token(actor=None, page=page_u1)
    assert Client().get(old_url).status_code == 404
    assert _url(page_u1) != old_url and "王芳" in _html(page_u1)


# --- query counts ------------------------------------------------------------------------------


def _miss_queries(page: UnionPage) -> int:
    with CaptureQueriesContext(connection) as queries:
        _html(page)
    return len(queries)


def test_rendering_takes_the_same_queries_for_any_shape_of_union(world, settings):
    """A small union against a joint union with many cadres, a revoked credential, several
    enterprises, assigned cadres and a township without a phone: three queries each (the
    page with its federations and the notices app's model-unit years, cadres, enterprises)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    small = union_page_ensure(union=UnionFactory(federation=world.t3))
    big_union = UnionFactory(federation=world.t1)
    world.t1.phone = ""
    world.t1.save()
    officers = [OfficerFactory(union=big_union, position=Position.CHAIR)]
    officers += [OfficerFactory(union=big_union) for _ in range(12)]
    credential_revoke(actor=None, credential=credential_ensure(officer=officers[0]), reason="丢失")
    for n in range(4):
        enterprise = EnterpriseFactory(federation=world.t1, union=big_union)
        Assignment.objects.create(
            cadre=world.users["cadre" if n % 2 else "city"],
            enterprise=enterprise,
            public_phone="0999-1",
            starts_on=datetime.date(2024, 1, 1),
        )
    big = union_page_ensure(union=big_union)
    _html(big)  # issues the missing credentials once
    assert Credential.objects.filter(officer__union=big_union, revoked_at=None).count() == 13
    assert _miss_queries(small) == _miss_queries(big) == 3


def test_the_page_selector_reads_the_newest_officer_change(world, page_u1):
    page = selectors.union_page_for_public(token=page_u1.token)
    newest = Officer.objects.filter(union=world.u1).latest("updated_at").updated_at
    assert page.officers_changed_at == newest
